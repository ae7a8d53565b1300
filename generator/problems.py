"""The Problem record (one thing wrong in the office's files), its type, and its renderings.

Every kind of problem is a `ProblemType` (code, title, message template, fix hint, severity),
all listed in generator/catalogue.py; problems are made by `TYPE.at(file, row, column, ...)`.
Data from the office's files reaches a terminal, a GitHub log and web pages through these
records, so rendering makes invisible and control characters visible (`U+001B`), keeps what a
message quotes short, and lists at most `PER_FILE` problems of one file. GitLab reads them as a
Code Quality report (`render_gitlab`), which its merge request page shows on the files.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import asdict, dataclass

PER_FILE = 200  # problems listed per file; the rest are counted (docs/data-format.md §2.1)
MAX_LISTED = 1000  # problems listed in all: a folder of many bad files still prints little
QUOTE_CHARS = 40  # characters of a cell that a message quotes
# Control, format (zero-width, bidi), private-use, surrogate, unassigned (and non-character),
# line and paragraph separators.
UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"})
# Letters and symbols that render as nothing: Hangul fillers, the blank Braille pattern.
INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u2800")


@dataclass(frozen=True, order=True)
class Problem:
    """One problem: where it is (file, Excel row, column) and what to do, in Chinese."""

    file: str
    row: int | None
    column: str | None
    code: str
    message: str
    severity: str = "error"  # "error" refuses the data; "warning" is shown, exit status 0
    count: int = 1  # how many problems the record stands for (more than 1: "N more not listed")

    @property
    def is_warning(self) -> bool:
        return self.severity == "warning"

    def location(self) -> str:
        where = visible(self.file)
        if self.row is not None:
            where += f" 第{self.row}行"
        if self.column:
            where += f"「{visible(self.column)}」列"
        return where

    def text(self) -> str:
        label = "（提醒）" if self.is_warning else ""
        return f"{self.location()}：{label}{visible(self.message)}"

    def github(self) -> str:
        """A GitHub Actions workflow command that annotates the file."""
        props = f"file={_escape_property(visible(self.file))}"
        if self.row is not None:
            props += f",line={self.row}"
        kind = "评比数据提醒" if self.is_warning else "评比数据有误"
        title = kind + (f"「{visible(self.column)}」列" if self.column else "")
        props += f",title={_escape_property(title)}"
        command = "warning" if self.is_warning else "error"
        return f"::{command} {props}::{_escape_data(self.text())}"


@dataclass(frozen=True)
class ProblemType:
    """A kind of problem: its code, what it means (说明), how to fix it (怎么改), its message."""

    code: str
    title: str
    fix: str
    template: str  # str.format template of the message, filled by at()'s keyword fields
    severity: str = "error"

    def at(
        self,
        file: str,
        row: int | None = None,
        column: str | None = None,
        *,
        count: int = 1,
        **fields,
    ) -> Problem:
        message = self.template.format(count=count, **fields)
        return Problem(file, row, column, self.code, message, self.severity, count)

    def variant(self, template: str | None = None, severity: str | None = None) -> ProblemType:
        """The same code with another wording or severity (e.g. a file's other column)."""
        return ProblemType(
            self.code, self.title, self.fix, template or self.template, severity or self.severity
        )


class InvalidData(Exception):
    """Raised by library code when the office's files have problems (errors, maybe warnings)."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problems")
        self.problems = sorted(problems, key=sort_key)


class InvalidArgument(InvalidData):
    """The command line asked for something wrong (a month written wrong, a file that is not
    there, an unknown sheet): the command exits 2, as a usage error, after saying which."""


def visible(text: str) -> str:
    """`text` with control and invisible characters written as their codes (ESC → U+001B)."""
    if text.isprintable() and not INVISIBLE.intersection(text):
        return text
    return "".join(
        c if c.isprintable() and c not in INVISIBLE else f"<U+{ord(c):04X}>" for c in text
    )


def _unsafe(char: str) -> bool:
    return char in INVISIBLE or unicodedata.category(char) in UNSAFE_CATEGORIES


def unsafe_characters(text: str) -> list[str]:
    """The codes (`U+200B`) of characters that a note (说明) may not contain, in order: any
    visible text is fine (names are held to generator/names.py's allow-list)."""
    if text.isprintable() and not INVISIBLE.intersection(text):
        return []
    return list(dict.fromkeys(f"U+{ord(c):04X}" for c in text if _unsafe(c)))


def quote(text: str) -> str:
    """A cell as a message quotes it: at most QUOTE_CHARS characters, invisible ones made visible."""
    if len(text) > QUOTE_CHARS:
        text = text[:QUOTE_CHARS] + f"…（共{len(text)}个字符）"
    return visible(text)


def sort_key(problem: Problem) -> tuple:
    last = problem.code == "more_problems"  # "N more" closes its file's list
    return (problem.file, last, problem.row or 0, problem.column or "", problem.code)


def errors_of(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if not p.is_warning]


def total(problems: list[Problem]) -> int:
    return sum(p.count for p in problems)


def limited(problems: list[Problem]) -> list[Problem]:
    """At most PER_FILE problems of each file, then one that says how many more there are."""
    kept: list[Problem] = []
    counts: dict[str, int] = {}
    for problem in sorted(problems, key=sort_key):
        if problem.code == "more_problems":  # already counted where the problems were found
            kept.append(problem)
            continue
        counts[problem.file] = counts.get(problem.file, 0) + 1
        if counts[problem.file] <= PER_FILE:
            kept.append(problem)
    for file, count in counts.items():
        if count > PER_FILE:
            kept.append(more_problems(file, count - PER_FILE))
    kept.sort(key=sort_key)
    if len(kept) > MAX_LISTED:
        rest = total(kept[MAX_LISTED - 1 :])
        kept = kept[: MAX_LISTED - 1] + [_more_in_all(rest)]
    return kept


# The one kind of problem that rendering itself makes; listed in the catalogue with the others.
MORE_PROBLEMS = ProblemType(
    "more_problems",
    "问题太多，未全部列出",
    "先改正已列出的问题，再重新校验，其余问题会接着列出",
    "这个文件还有 {count} 个问题未列出（每个文件最多列出 {limit} 个），请先改正以上问题",
)
MORE_IN_ALL = MORE_PROBLEMS.variant(
    "还有 {count} 个问题未列出（一次最多列出 {limit} 个），请先改正以上问题"
)


def _more_in_all(count: int) -> Problem:
    return MORE_IN_ALL.at("（其余文件）", count=count, limit=MAX_LISTED)


def more_problems(file: str, count: int) -> Problem:
    return MORE_PROBLEMS.at(file, count=count, limit=PER_FILE)


def render_text(problems: list[Problem]) -> str:
    shown = limited(problems)
    lines = [p.text() for p in shown]
    errors = total(errors_of(problems))
    warnings = total(problems) - errors
    if errors:
        extra = f"（另有 {warnings} 条提醒）" if warnings else ""
        lines.append(f"共发现 {errors} 个问题{extra}，请改正后重新提交。")
    elif warnings:
        lines.append(f"共有 {warnings} 条提醒，请核对；数据可以使用。")
    return "\n".join(lines)


def render_github(problems: list[Problem]) -> str:
    return "\n".join(p.github() for p in limited(problems))


def render_json(problems: list[Problem]) -> str:
    rows = [asdict(p) for p in limited(problems)]
    ok = not errors_of(problems)
    return json.dumps({"ok": ok, "problems": rows}, ensure_ascii=False, indent=2)


# A GitLab Code Quality report's severities: an error refuses the data, a warning does not.
GITLAB_SEVERITY = {"error": "major", "warning": "minor"}


def render_gitlab(problems: list[Problem]) -> str:
    """GitLab's Code Quality report: a JSON array, one finding per problem, on its file and row."""
    findings = [
        {
            "description": p.text(),
            "check_name": p.code,
            "fingerprint": _fingerprint(p),
            "severity": GITLAB_SEVERITY[p.severity],
            "location": {"path": visible(p.file), "lines": {"begin": p.row or 1}},
        }
        for p in limited(problems)
    ]
    return json.dumps(findings, ensure_ascii=False, indent=2)


def _fingerprint(problem: Problem) -> str:
    # The same problem in the next pipeline has the same fingerprint, so GitLab can tell a
    # problem fixed from one still there.
    key = [problem.file, problem.row, problem.column, problem.code, problem.message]
    return hashlib.sha256(json.dumps(key, ensure_ascii=False).encode("utf-8")).hexdigest()


def github_safe(text: str) -> str:
    """Plain text for a GitHub Actions log: no line of it can be read as a workflow command."""
    return "\n".join(_defuse(line) for line in text.split("\n"))


def _defuse(line: str) -> str:
    # The runner treats a line whose first non-blank characters are "::" as a command.
    stripped = line.lstrip()
    if stripped.startswith("::"):
        return line[: len(line) - len(stripped)] + ":" + " " + stripped[1:]
    return line


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")

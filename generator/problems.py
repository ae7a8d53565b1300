"""The Problem record (one thing wrong in the office's files) and its renderings."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem: where it is (file, Excel row, column) and what to do, in Chinese."""

    file: str
    row: int | None
    column: str | None
    code: str
    message: str

    def location(self) -> str:
        where = self.file
        if self.row is not None:
            where += f" 第{self.row}行"
        if self.column:
            where += f"「{self.column}」列"
        return where

    def text(self) -> str:
        return f"{self.location()}: {self.message}"

    def github(self) -> str:
        """A GitHub Actions workflow command that annotates the file."""
        props = f"file={_escape_property(self.file)}"
        if self.row is not None:
            props += f",line={self.row}"
        title = "评比数据有误" + (f"「{self.column}」列" if self.column else "")
        props += f",title={_escape_property(title)}"
        return f"::error {props}::{_escape_data(self.text())}"


class InvalidData(Exception):
    """Raised by library code when the office's files have problems."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problems")
        self.problems = sorted(problems, key=sort_key)


def sort_key(problem: Problem) -> tuple:
    return (problem.file, problem.row or 0, problem.column or "", problem.code)


def render_text(problems: list[Problem]) -> str:
    lines = [p.text() for p in sorted(problems, key=sort_key)]
    lines.append(f"共发现 {len(problems)} 个问题,请改正后重新提交。")
    return "\n".join(lines)


def render_github(problems: list[Problem]) -> str:
    return "\n".join(p.github() for p in sorted(problems, key=sort_key))


def render_json(problems: list[Problem]) -> str:
    rows = [asdict(p) for p in sorted(problems, key=sort_key)]
    return json.dumps({"ok": not rows, "problems": rows}, ensure_ascii=False, indent=2)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")

"""A seeded mutation fuzzer over the demo town's bytes, extreme values through the rules,
random workbooks through import, random git histories through the history and the site, and
random names and content pages through the checks.

Whatever the office's software or an attacker makes of the files, loading ends in a Dataset or
in Chinese problems — never a traceback or a hang — and a Dataset always computes: validate and
compute agree. Numbers at the limits of RULES.md §2.1 never wrap around. A workbook imports as
its cells show, or is refused with Chinese problems from the catalogue. Whatever the history
(times git accepts, merges, reverts, hostile messages), no doubtful time becomes a first
publication, and the same history builds the same site.
"""

from __future__ import annotations

import datetime as dt
import filecmp
import pickle
import random
import re
import signal
import tempfile
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
from _history_helpers import MARCH, DataRepo, csv_bytes, history_town, period_rows
from _office_helpers import JANUARY, read_csv, write_town
from _site_helpers import build_site
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.styles import Font
from test_properties import check_against_reference
from towns import Town

from generator.catalogue import TYPES
from generator.demo import demo_files
from generator.history.gitlog import collect_history
from generator.layout import SETTINGS_FILES, place
from generator.load import load_files
from generator.office.importer import import_workbook
from generator.problems import InvalidData
from generator.results import table_csv
from generator.rules import compute
from generator.site.publication import first_publication, publication
from generator.site.revisions import cell_fixes, site_history

CASES = 300
SEED = 20261130
# Bytes an office program, a clerk or an attacker might put into a CSV.
PIECES = [
    b'"',
    b",",
    b"\r\n",
    b"\n",
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    "\u200b".encode(),
    "\u202e".encode(),
    "９".encode(),
    "．".encode(),
    "－".encode(),
    b"\x1b[2J",
    "东山村".encode(),
    "东山村".encode("gbk"),
    b"-1",
    b"1e308",
    b"99999999999999999999999",
    b"100.001",
    b'=HYPERLINK("x")',
    b"::error::x",
    "一票否决".encode(),
    "现场会".encode(),
    "加分".encode(),
]


def small_demo() -> dict[str, bytes]:
    """The demo town's shape with a few of its months: enough variety, fast to load."""
    files = demo_files()
    placed = {path: place(path) for path in files}
    months = sorted(p for p, at in placed.items() if at and at.kind in ("scores", "events"))
    keep = {*SETTINGS_FILES, *months[:8]}
    keep |= {p for p, at in placed.items() if at and at.kind == "annual"}
    return {path: data for path, data in files.items() if path in keep}


def mutate(data: bytes, rnd: random.Random) -> bytes:
    if rnd.random() < 0.4:
        return mutate_cell(data, rnd)
    for _ in range(rnd.randint(1, 4)):
        at = rnd.randrange(len(data) + 1)
        roll = rnd.random()
        if roll < 0.3:
            data = data[:at] + rnd.choice(PIECES) + data[at:]
        elif roll < 0.5 and data:
            data = data[:at] + bytes([rnd.randrange(256)]) + data[at + 1 :]
        elif roll < 0.7:
            data = data[:at] + data[at + rnd.randint(1, 40) :]
        elif roll < 0.85:
            lines = data.split(b"\n")
            line = rnd.randrange(len(lines))
            lines.insert(line, lines[rnd.randrange(len(lines))])
            data = b"\n".join(lines)
        else:
            data = data[:at]
    return data


def mutate_cell(data: bytes, rnd: random.Random) -> bytes:
    """A clerk's change: one cell of a data row becomes another score, empty, or a piece."""
    lines = data.split(b"\n")
    if len(lines) < 3:
        return data
    row = rnd.randrange(1, len(lines) - 1)
    cells = lines[row].split(b",")
    column = rnd.randrange(1, len(cells)) if len(cells) > 1 else 0
    choice = rnd.random()
    if choice < 0.6:
        cells[column] = f"{rnd.randint(0, 100)}.{rnd.randint(0, 99):02d}".encode()
    elif choice < 0.8:
        cells[column] = b""
    else:
        cells[column] = rnd.choice(PIECES)
    lines[row] = b",".join(cells)
    return b"\n".join(lines)


def mutated_towns():
    rnd = random.Random(SEED)
    base = small_demo()
    for _ in range(CASES):
        files = dict(base)
        for path in rnd.sample(sorted(files), rnd.randint(1, 3)):
            files[path] = mutate(files[path], rnd)
        if rnd.random() < 0.1:  # a file under a name it does not have
            source, target = rnd.sample(sorted(files), 2)
            files[target] = files[source]
        yield files


@contextmanager
def deadline(seconds: int):
    def hang(signum, frame):
        raise TimeoutError(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_mutated_demo_files_give_a_dataset_or_chinese_problems():
    outcomes = {"valid": 0, "refused": 0}
    for case, files in enumerate(mutated_towns()):
        with deadline(30):
            try:
                data = load_files(files)
            except InvalidData as error:
                outcomes["refused"] += 1
                assert error.problems, case
                for problem in error.problems:
                    assert problem.text().isprintable(), (case, problem)
                    assert _has_chinese(problem.message), (case, problem)
                continue
            outcomes["valid"] += 1
            results = compute(data)  # validate passed, so compute must too
            for name in ("flags", "rewards", "actions", "grid_averages"):
                table_csv(results, name)
    # The fuzzer reaches both sides: otherwise it tests nothing.
    assert outcomes["valid"] >= 25 and outcomes["refused"] >= 100, outcomes


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


# -- extreme values ----------------------------------------------------------------------------

EXTREME_SCORES = [0, 0.01, 1, 499.99, 999.99, 1000, None]
EXTREME_ADJUSTMENTS = ["0.01", "1", "999.99", "1000"]


@st.composite
def extreme_towns(draw) -> Town:
    rnd = random.Random(draw(st.integers(0, 2**32)))
    full = draw(st.sampled_from([1000, 1]))
    town = Town(grids=["g1"])
    town.categories = [("a", "甲项", "monthly", full), ("b", "乙项", "monthly", full)]
    town.rules = [
        {
            "from": "2023-01",
            "red_count": draw(st.sampled_from([1, 3, 20000])),
            "yellow_count": draw(st.sampled_from([0, 3, 20000])),
            "reward_tiers": [10_000_000] * draw(st.integers(1, 50)),
            "penalty_tiers": [0, 10_000_000],
        }
    ]
    scale = full / 1000
    villages = [f"v{i}" for i in range(draw(st.integers(1, 6)))]
    for month in ("2023-01", "2023-02", "2023-03"):
        scores = {
            v: [_scaled(rnd.choice(EXTREME_SCORES), scale) for _ in range(2)] for v in villages
        }
        scores[villages[0]][0] = full  # never a blank month
        town.month(month, scores)
        for v in villages:
            for column, name in enumerate(("甲项", "乙项")):
                if scores[v][column] is None:
                    continue
                for _ in range(rnd.randint(0, 25)):  # many adjustments of full marks each
                    kind = rnd.choice(["加分", "扣分"])
                    value = _scaled(float(rnd.choice(EXTREME_ADJUSTMENTS)), scale)
                    town.event(month, v, kind, name, value, "调整")
    return town


def _scaled(value, scale: float):
    if value is None:
        return None
    hundredths = round(value * scale * 100)
    return max(hundredths, 1) / 100 if value else 0


@settings(max_examples=examples(40))
@given(extreme_towns())
def test_extreme_values_never_wrap_around(town: Town):
    _, results = check_against_reference(town)
    assert (results.rewards["reward"] >= 0).all() and (results.rewards["penalty"] >= 0).all()
    assert results.rewards["reward"].max() <= 10_000_000


@pytest.mark.parametrize("value", ["1000", "999.99"])
def test_fifty_adjustments_of_full_marks_add_up_exactly(value):
    town = Town(grids=["g1"])
    town.categories = [("a", "甲项", "monthly", 1000), ("b", "乙项", "monthly", 1000)]
    town.rules = [{"from": "2020-01", "red_count": 1, "yellow_count": 1}]
    town.month("2023-01", {"v1": [1000, None], "v2": [0, None]})
    for _ in range(50):
        town.event("2023-01", "v1", "加分", "甲项", value, "奖")
        town.event("2023-01", "v2", "扣分", "甲项", value, "罚")
    flags = town.compute().flags.set_index("village_id")  # scores in integer hundredths
    step = round(float(value) * 100)
    assert flags.loc["v1", "score"] == 1000_00 + 50 * step
    assert flags.loc["v2", "score"] == -50 * step
    assert flags.loc["v1", "flag"] == "red" and flags.loc["v2", "flag"] == "yellow"


# -- workbooks -----------------------------------------------------------------------------
#
# Random workbooks as a third party sends them: numbers, texts, blanks, error values and
# formulas without a result in the score cells, under number formats; hidden rows, columns and
# sheets, white on white (a font's or a format's own colour), zeros the sheet does not show,
# merged cells, another visible sheet, a title naming another month.
# Import ends in Chinese catalogue problems, or in a CSV whose every score is the number the
# cell shows — by an oracle of its own, not the importer's renderer.

BOOK_VILLAGES = ["东山村", "梅林村", "桃源村", "西湖村", "枫林村", "新苑村"]
BOOK_CATEGORIES = ["党建引领发展", "和美家园建设", "创业承诺践行"]
BOOK_FORMATS = ["General", "General", "0.00", "0.0", "0", "0%", ";;;", '0"分"', "#,##0.00"]
BOOK_FORMATS += ["[Red]0.00", "[White]0", "0;-0;[White]0"]  # a format's own font colour
ERROR_VALUES = ["#DIV/0!", "#N/A", "#VALUE!", "#REF!"]


def shown_by_excel(value, number_format: str) -> str | None:
    """What Excel shows for a number under the formats drawn; None: no number to compare."""
    number = Decimal(repr(float(value)))

    def rounded(places: int) -> Decimal:
        return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)

    if number_format in ("[White]0", "[White]0.00") or (
        number_format == "0;-0;[White]0" and number == 0
    ):
        return None  # white on white: nothing shows
    if number_format == "General":
        return format(number.normalize(), "f")
    if number_format in ("0.00", "0.0", "0", "[Red]0.00", "0;-0;[White]0"):
        return str(rounded(len(number_format.partition(".")[2].partition(";")[0])))
    if number_format == "#,##0.00":
        return f"{rounded(2):,}"
    if number_format == '0"分"':
        return f"{rounded(0)}分"
    if number_format == "0%":
        return f"{(number * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)}%"
    return ""  # ;;;


@st.composite
def score_cells(draw) -> dict:
    """One score cell: its content, its number format, and whether its font is white."""
    kind = draw(
        st.sampled_from(
            ["number"] * 12 + ["zero", "blank", "text", "mark", "error", "formula", "bool"]
        )
    )
    value = {
        "number": draw(st.integers(0, 10000)) / 100,
        "zero": 0,
        "blank": None,
        "text": draw(st.sampled_from(["85", "９０", "92分", "88.5"])),
        "mark": "未参评",
        "error": draw(st.sampled_from(ERROR_VALUES)),
        "formula": "=80+5",
        "bool": True,
    }[kind]
    plain = draw(st.integers(0, 3)) > 0
    number_format = "General" if plain else draw(st.sampled_from(BOOK_FORMATS))
    return {"value": value, "format": number_format, "white": draw(st.integers(0, 30)) == 0}


@st.composite
def third_party_books(draw) -> dict:
    """Plain numbers, with a few cells (none, one time in three) and the sheet spoiled."""
    villages = draw(st.permutations(BOOK_VILLAGES))
    plain = st.builds(  # formats that show two decimals as they are
        lambda n, number_format: {"value": n / 100, "format": number_format, "white": False},
        st.integers(0, 10000),
        st.sampled_from(["General", "General", "0.00", "#,##0.00", "[Red]0.00"]),
    )
    rows = [(v, [draw(plain) for _ in BOOK_CATEGORIES]) for v in villages]
    rare = st.integers(0, 9).map(lambda n: n == 0)  # one time in ten
    if draw(rare):  # a number in its format's own white, alone in the table
        row, column = draw(st.integers(0, 5)), draw(st.integers(0, 2))
        rows[row][1][column] = {**rows[row][1][column], "format": "[White]0.00"}
    for _ in range(draw(st.sampled_from([0, 0, 1, 2, 3]))):
        row, column = draw(st.integers(0, 5)), draw(st.integers(0, 2))
        rows[row][1][column] = draw(score_cells())
    return {
        "sheet": draw(st.sampled_from(["二月", "评分", "2月", "3月"] + ["二月"] * 6)),
        "title": draw(st.sampled_from([None, None, "测试镇2024年2月评分", "测试镇2024年3月评分"])),
        "rows": rows,
        "hidden_row": draw(st.integers(0, 5)) if draw(rare) else None,
        "hidden_column": draw(st.integers(1, 4)) if draw(rare) else None,
        "hidden_sheet": draw(st.sampled_from(["hidden", "veryHidden", "visible"]))
        if draw(rare)
        else None,
        "merge_scores": draw(rare),
        "total_row": draw(st.booleans()),
        "zeros_hidden": draw(rare),
    }


def save_book(spec: dict, path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = spec["sheet"]
    if spec["title"]:
        sheet.append([spec["title"]])
        sheet.merge_cells("A1:D1")
    first = sheet.max_row + 1 if spec["title"] else 1
    sheet.append(["村名", *BOOK_CATEGORIES, "备注"])
    for offset, (village, cells) in enumerate(spec["rows"], start=1):
        sheet.append([village, *(c["value"] for c in cells), "无"])
        for column, cell in enumerate(cells, start=2):
            target = sheet.cell(first + offset, column)
            target.number_format = cell["format"]
            if cell["white"]:
                target.font = Font(color="FFFFFF")
    if spec["total_row"]:
        last = first + len(spec["rows"])
        sheet.append(["合计", f"=SUM(B{first + 1}:B{last})", "#REF!", None])
    if spec["hidden_row"] is not None:
        sheet.row_dimensions[first + 1 + spec["hidden_row"]].hidden = True
    if spec["hidden_column"] is not None:
        sheet.column_dimensions["ABCDE"[spec["hidden_column"]]].hidden = True
    if spec["merge_scores"]:
        sheet.merge_cells(start_row=first + 1, start_column=2, end_row=first + 2, end_column=2)
    if spec["zeros_hidden"]:
        sheet.sheet_view.showZeros = False
    if spec["hidden_sheet"]:
        other = book.create_sheet("初评")
        other.append(["村名", *BOOK_CATEGORIES])
        other.append(["东山村", 1, 2, 3])
        other.sheet_state = spec["hidden_sheet"]
    book.save(path)


def expected_score(cell: dict, zeros_hidden: bool = False) -> str | None:
    """The CSV cell a score cell must become if import takes it; None: import must refuse."""
    value = cell["value"]
    if value is None:
        return ""
    if cell["white"]:
        return None  # nothing shows
    if zeros_hidden and not isinstance(value, str | bool) and value == 0:
        return None  # shows blank, i.e. 未参评, yet holds 0
    if isinstance(value, bool) or (isinstance(value, str) and value.startswith(("#", "="))):
        return None
    if isinstance(value, str):
        text = value.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
        return "" if text == "未参评" else _plain_number(text)
    shown = shown_by_excel(value, cell["format"])
    return None if shown is None else _plain_number(shown)


def _plain_number(text: str) -> str | None:
    """A number as import writes it (82, 82.5), if the text shows one with two decimals at most."""
    if not re.fullmatch(r"\d{1,3}(,\d{3})*(\.\d+)?", text):
        return None
    number = Decimal(text.replace(",", ""))
    if number > 100 or number != number.quantize(Decimal("0.01")):
        return None
    return format(number.normalize(), "f")


def check_imported(spec: dict, written: list[list[str]]) -> None:
    """What import wrote is what every imported cell shows, on the one sheet it may read."""
    assert spec["sheet"] != "3月" and "3月" not in (spec["title"] or ""), spec
    assert spec["hidden_sheet"] != "visible", spec  # two visible score sheets: refused
    assert spec["hidden_row"] is None and spec["hidden_column"] in (None, 4), spec
    assert not spec["merge_scores"], spec
    header, *rows = written
    cells = dict(spec["rows"])
    for village, *scores in rows:
        for name, score in zip(header[1:], scores, strict=True):
            cell = cells[village][BOOK_CATEGORIES.index(name)]
            assert expected_score(cell, spec["zeros_hidden"]) == score, (village, name, cell, score)


def test_random_workbooks_import_as_they_show_or_are_refused(tmp_path):
    scores = write_town(tmp_path, {"2024-01": JANUARY}, {})
    target = scores / "2024" / "2024-02.csv"
    outcomes = {"imported": 0, "refused": 0}

    @settings(max_examples=examples(200), deadline=None)
    @given(third_party_books())
    def check(spec):
        source = tmp_path / "二月评分.xlsx"
        save_book(spec, source)
        target.unlink(missing_ok=True)
        with deadline(30):
            try:
                import_workbook(source, "2024-02", scores)
            except InvalidData as error:
                outcomes["refused"] += 1
                for problem in error.problems:
                    assert problem.code in TYPES, problem
                    assert problem.text().isprintable() and _has_chinese(problem.message)
                assert not target.exists()
                return
        outcomes["imported"] += 1
        check_imported(spec, read_csv(target))

    check()
    assert outcomes["imported"] and outcomes["refused"], outcomes


# -- names and content pages (issue 17 classes 2 and 4) -------------------------------------------

NAME_TEXT = (
    st.text(
        st.one_of(
            st.characters(codec="utf-8", exclude_characters=',"\r\n'),
            st.sampled_from(
                ["\u3164", "\u2800", "\u200b", "\ufe0f", "\u0301", "\u0430", "东", "A"]
            ),
        ),
        min_size=1,
        max_size=12,
    )
    .map(str.strip)
    .filter(bool)
)


@settings(max_examples=examples(150))
@given(NAME_TEXT)
def test_any_village_name_is_accepted_only_when_every_character_is_allowed(name):
    """A name either loads, holding only allowed characters, or is refused by codes that name
    its first foreign characters; never a traceback."""
    from generator.names import foreign_characters, is_name_character

    town = Town(names={"A1": name, "A2": "乙村"}).month("2024-01", {"A1": 90, "A2": 80})
    files = town.files()
    files["villages.csv"] = f"编号,村名,网格\nA1,{name},g1\nA2,乙村,g1\n".encode()
    try:
        data = load_files(files)
    except InvalidData as error:
        assert all(p.text().isprintable() for p in error.problems), name
        text = "\n".join(p.text() for p in error.problems)
        for code in foreign_characters(name)[:5]:
            assert code in text, (name, code)
        return
    assert all(is_name_character(c) for c in data.villages[0].name), name


META_KEYS = st.sampled_from(
    ["Title", "slug", "SLUG", "Save_as", "url", "Lang", "template", "Status", "Summary",
     "Date", "og_image", "Translation", "path", "Tags", "x-y_z"]
)  # fmt: skip


@settings(max_examples=examples(150))
@given(
    st.lists(st.tuples(META_KEYS, st.text(max_size=20)), max_size=6),
    st.sampled_from(["", "---\n"]),
    st.text(max_size=40),
)
def test_any_page_header_is_read_as_python_markdown_reads_it(header, start, body):
    """The line-by-line reading of a page's metadata finds exactly the keys Python-Markdown's
    meta extension gives Pelican, and every problem names one of the page's lines."""
    import markdown

    from generator.site.pagecheck import check_page, lines_of, settings_of

    lines = [f"{key}: {value}".replace("\r", " ").replace("\n", " ") for key, value in header]
    text = start + "\n".join(lines) + "\n\n" + body
    reader = markdown.Markdown(extensions=["markdown.extensions.meta"])
    reader.convert(text)
    found = {s.key.lower() for s in settings_of("pages/p.md", text)}
    assert found == set(reader.Meta), text
    problems = check_page("content/pages/p.md", "pages/p.md", text, {"pages/p.md"}, True)
    for problem in problems:
        assert problem.row is None or 1 <= problem.row <= len(lines_of(text)), problem


# -- git histories ------------------------------------------------------------------------------
#
# Random histories of a small town, made as real git repositories with commit objects written
# byte for byte (any time git accepts, merges, reverts, evil merges, hostile messages), read as
# the site reads them. Whatever the history: no traceback, no doubtful time as a first
# publication or a deadline (checked against an independent reading of RULES.md §2.1 below), no
# △ on a cell that is back to its first published value, the same reading every time.

HISTORY_MONTHS = ["2024-01", "2024-02", "2024-03", "2024-04"]
LAST_SECOND = 4102444800  # 2100-01-01T00:00:00Z
# Times a commit may carry: ordinary ones (seconds after the month, Beijing), and the edges.
EDGE_STAMPS = [
    "0 +0000",
    "-5 +0000",
    "2147483648 +0000",
    "4102444800 +0800",
    "253402300800 +0000",
    "99999999999999999999 +0000",
    "1712282400 +9999",
    "1712282400 -1200",
    "1712282400 +1400",
    "",
]


@st.composite
def git_histories(draw) -> list[tuple]:
    """Operations: ("publish"|"correct"|"revert"|"merge", month, value, stamp, message, evil)."""
    ops = []
    for step in range(draw(st.integers(1, 9))):
        kind = draw(st.sampled_from(["publish", "publish", "correct", "revert", "merge"]))
        month = draw(st.sampled_from(HISTORY_MONTHS))
        ordinary = f"{1706745600 + step * 86400 * 20 + draw(st.integers(0, 86400))} +0800"
        stamp = draw(st.one_of(st.just(ordinary), st.just(ordinary), st.sampled_from(EDGE_STAMPS)))
        message = draw(
            st.one_of(
                st.just("录入评分"),
                st.integers(0, 3000).map(lambda n: 'Revert "' * n + "复议更正" + '"' * n),
                st.text(min_size=0, max_size=40),
                st.just("依据纪要，" * 20_000),
            )
        )
        value = draw(st.sampled_from([60, 85, 95]))  # few values: corrections undone are common
        ops.append((kind, month, value, stamp, message, draw(st.booleans())))
    return ops


class ModelRepo:
    """A town's scores folder in a real repository, each commit written as an object with the
    time given, its files and parents chosen here; what each commit holds is kept in Python."""

    def __init__(self, root):
        self.repo = DataRepo(root)
        self.base = {p: d for p, d in history_town().files().items() if "/" not in p}
        self.states: list[dict] = []  # each mainline commit's files, oldest first
        self.commits: list[str] = []
        self.stamps: dict[str, str] = {}
        self.parents: dict[str, list[str]] = {}
        self.written: dict[str, set[str]] = {}  # months whose file a non-merge commit wrote

    def commit(self, files: dict, parents: list[str], stamp: str, message: str) -> str:
        for path in list(self.repo.scores.rglob("*.csv")) + list(self.repo.scores.glob("*.toml")):
            path.unlink()
        for path, data in {**self.base, **files}.items():
            self.repo.write(path, data)
        text = message.replace("\0", "") or "数据更新"
        sha = self.repo.stamped_commit(text, "张会计", stamp, parents)
        self.stamps[sha], self.parents[sha] = stamp, parents
        return sha

    def apply(self, op: tuple) -> None:
        kind, month, value, stamp, message, evil = op
        now = dict(self.states[-1]) if self.states else {}
        head = self.commits[-1:] if self.commits else []
        path = f"{month[:4]}/{month}.csv"
        if kind == "revert" and len(self.states) > 1:
            files, parents = dict(self.states[-2]), head
        elif kind == "merge" and len(self.states) > 1:
            files, parents = self._merged(now, path, value, evil, stamp), None
        elif kind in ("correct", "merge", "revert") and path not in now:
            return
        else:
            files, parents = {**now, path: month_bytes(month, value)}, head
        if parents is None:  # a merge: its side commit was made by _merged
            parents = [*head, self.side]
        sha = self.commit(files, parents, stamp, message)
        if len(parents) < 2:
            self.written[sha] = {
                p.split("/")[1][:7] for p, d in files.items() if now.get(p) != d and "/" in p
            }
        self.commits.append(sha)
        self.states.append(files)

    def _merged(self, now: dict, path: str, value: int, evil: bool, stamp: str) -> dict:
        """A side branch from an earlier commit changes one month; merged by hand or evilly."""
        at = len(self.states) // 2
        base = self.states[at]
        side = {**base, path: month_bytes(path[5:12], value)}
        self.side = self.commit(side, [self.commits[at]], stamp, "分支上的更正")
        self.written[self.side] = {path[5:12]} if base.get(path) != side[path] else set()
        merged = dict(now)
        for name in {*now, *side}:
            if now.get(name) == base.get(name) and name in side:
                merged[name] = side[name]
        if evil:  # put back what the branch merged into had before its own corrections
            merged = {**merged, **{k: v for k, v in base.items() if k in merged}}
        return merged


def month_bytes(month: str, value: int) -> bytes:
    rows = period_rows({**MARCH, "东村": value})
    return csv_bytes(rows)


def readable(stamp: str) -> tuple[int, int] | None:
    """An independent reading of a commit time: (seconds, offset minutes) when it is a time
    before 2100 in a real zone, else None."""
    parts = stamp.split(" ")
    if len(parts) != 2 or not parts[0].isdigit() or len(parts[1]) != 5:
        return None
    seconds, zone = int(parts[0]), parts[1]
    if zone[0] not in "+-" or not zone[1:].isdigit():
        return None
    minutes = int(zone[1:3]) * 60 + int(zone[3:])
    if int(zone[3:]) >= 60 or minutes > 14 * 60:
        return None
    offset = -minutes if zone[0] == "-" else minutes
    if seconds + offset * 60 >= LAST_SECOND:
        return None
    return seconds, offset


def expected_doubt(model: ModelRepo, sha: str) -> bool:
    """RULES.md §2.1, read again: is this (non-merge) commit's time doubtful?"""
    mine = readable(model.stamps[sha])
    if mine is None:
        return True
    seconds, offset = mine
    day = (dt.datetime(1970, 1, 1) + dt.timedelta(seconds=seconds + offset * 60)).date()
    if any(day < dt.date(int(m[:4]), int(m[5:7]), 1) for m in model.written.get(sha, ())):
        return True
    first = model.parents[sha][:1]
    before = [readable(model.stamps[p]) for p in first if p in model.stamps]
    after = [readable(model.stamps[c]) for c, ps in model.parents.items() if ps[:1] == [sha]]
    return any(b and b[0] > seconds for b in before) or any(a and a[0] < seconds for a in after)


def replayed(ops, folder: Path) -> ModelRepo | None:
    """A repository under `folder` made by the operations, its work tree at HEAD; None when
    they made no commit."""
    model = ModelRepo(folder / "repo")
    for op in ops:
        model.apply(op)
    if not model.commits:
        return None
    model.repo.git("reset", "-q", "--hard")
    return model


@settings(max_examples=examples(40))
@given(git_histories())
def test_random_git_histories_never_show_a_doubtful_time_as_a_publication(ops):
    with tempfile.TemporaryDirectory() as folder, deadline(120):
        model = replayed(ops, Path(folder))
        if model is None:
            return
        history = collect_history(model.repo.root, Path("scores"))
        assert history.available, history.note
        site = site_history(history)
        again = site_history(collect_history(model.repo.root, Path("scores")))
        assert pickle.dumps(again) == pickle.dumps(site)  # the same reading every time
        doubtful = {c.hash for c in history.commits if c.doubt}
        for commit in history.commits:
            if len(model.parents.get(commit.hash, [])) == 1 or not model.parents.get(commit.hash):
                assert (commit.hash in doubtful) == expected_doubt(model, commit.hash), commit
        notice = {"review_days": 5, "contact": "镇督查室"}
        for period, periodic in history.periods.items():
            first = periodic.revisions[0].commit
            shown = publication(first_publication(site, period), notice)
            if first.hash in doubtful:
                assert shown["label"] is None and "截至" not in shown["review"], period
                assert period not in site.period_dates and site.period_doubts[period]
            else:
                assert shown["label"] and "截至" in shown["review"], period
        for (period, _, _), fix in cell_fixes(site.revisions).items():
            assert period not in site.restored
            assert fix["old"] != fix["title"].rsplit(" → ", 1)[-1]


@settings(max_examples=examples(4))
@given(git_histories())
def test_random_git_histories_build_the_same_site_twice_without_a_doubtful_time(ops):
    with tempfile.TemporaryDirectory() as folder, deadline(300):
        model = replayed(ops, Path(folder))
        if model is None:
            return
        sites = [Path(folder) / "a", Path(folder) / "b"]
        for site in sites:
            build_site(model.repo.scores, site)
        assert same_tree(*sites)
        history = collect_history(model.repo.root, Path("scores"))
        # A time both a doubtful and a trustworthy commit carry (the fuzzer reuses its edge
        # times) may rightly show for the trustworthy one: only the others are looked for.
        shown = [*history.commits, history.version]
        trusted = {c.date for c in shown if not c.doubt}
        recorded = {c.date for c in shown if c.doubt and c.date} - trusted
        for page in sites[0].rglob("*.html"):
            text = page.read_text("utf-8")
            assert not any(f'datetime="{when}"' in text for when in recorded), page


def same_tree(a, b) -> bool:
    """Two folders with the same files, byte for byte, all the way down."""
    compared = filecmp.dircmp(a, b)
    if compared.left_only or compared.right_only or compared.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, compared.common_files, shallow=False)
    return not (mismatch or errors) and all(same_tree(a / d, b / d) for d in compared.common_dirs)

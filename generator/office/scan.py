"""What streaming one sheet's own records found, before and beside python-calamine's values.

calamine gives a cell's value; the office sees the cell as Excel shows it. The readers of each
format (xlsx.py, ods.py, biff.py) record here, within bounds, what calamine does not say: the
farthest cell holding something, cells that do not show their value (an error, a formula never
calculated, a number format or a font that changes or hides it), hidden rows and columns,
whether the sheet shows zeros, and (for .ods) merged ranges. Imports: problems, catalogue, load.cells, numfmt.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from generator import catalogue
from generator.load.cells import MAX_COLUMNS, MAX_DATA_ROWS
from generator.office.numfmt import Look
from generator.problems import ProblemType, quote

MAX_ROWS = MAX_DATA_ROWS  # rows read from a sheet, title and header included (§2.1)
MAX_LOOKS = 50_000  # cells that do not show their value: more is no score sheet
MAX_RANGES = 50_000  # hidden row or column ranges, merged ranges
MAX_STYLES = 65_536  # cell formats, fonts, fills of a workbook (Excel's own limit is 64,000)
_REF_RE = re.compile(r"([A-Za-z]{1,7})([0-9]{1,9})")

Merged = tuple[int, int, int, int]  # first row, first column, last row, last column (rows 1-based)
# Why a row or column is out of sight, as the readers record it.
HIDDEN, FILTERED, COLLAPSED, ZERO = "hidden", "filtered", "collapsed", "zero"


class Refused(Exception):
    """A bound was crossed; carries the kind of problem and the Chinese reason."""

    def __init__(self, kind: ProblemType, reason: str = "", **fields):
        super().__init__(reason or kind.code)
        self.kind, self.fields = kind, {"reason": reason, **fields}


def too_large(reason: str) -> Refused:
    return Refused(catalogue.WORKBOOK_TOO_LARGE, reason)


@dataclass
class Ranges:
    """Hidden rows (or columns) as (first, last, why) ranges; looked up by bisection."""

    what: str  # 行 or 列, for the message when there are too many
    ranges: list[tuple[int, int, str]] = field(default_factory=list)
    _starts: list[int] | None = None

    def add(self, first: int, last: int, why: str) -> None:
        if first > last:
            return
        if len(self.ranges) >= MAX_RANGES:
            raise too_large(f"表格里隐藏的{self.what}超过 {MAX_RANGES} 处，不像评分表")
        self.ranges.append((first, last, why))
        self._starts = None

    def why(self, index: int) -> str | None:
        """Why `index` is hidden, or None when it is in sight."""
        if not self.ranges:
            return None
        if self._starts is None:
            self._disjoint()
        at = bisect_right(self._starts, index) - 1
        if at >= 0 and self.ranges[at][0] <= index <= self.ranges[at][1]:
            return self.ranges[at][2]
        return None

    def relabel(self, old: str, new: str) -> None:
        """Ranges hidden for `old` are said to be hidden for `new` (a filter found after them)."""
        self.ranges = [(a, b, new if why == old else why) for a, b, why in self.ranges]
        self._starts = None

    def _disjoint(self) -> None:
        """Overlapping ranges cut so that each index lies in one (the earliest's reason wins)."""
        cut: list[tuple[int, int, str]] = []
        for first, last, why in sorted(self.ranges):
            if cut and first <= cut[-1][1]:
                first = cut[-1][1] + 1
            if first <= last:
                cut.append((first, last, why))
        self.ranges, self._starts = cut, [first for first, _, _ in cut]


@dataclass
class Scan:
    """One sheet as its records describe it; rows from 1, columns from 0 (A)."""

    far: tuple[int, int] | None = None  # the first cell with content beyond the bounds
    rows: int = 0  # the farthest row with content
    columns: int = 0  # one past the farthest column with content
    looks: dict[tuple[int, int], Look] = field(default_factory=dict)
    hidden_rows: Ranges = field(default_factory=lambda: Ranges("行"))
    hidden_columns: Ranges = field(default_factory=lambda: Ranges("列"))
    filtered: bool = False  # the sheet has a filter: its hidden rows were filtered out
    zeros_hidden: bool = False  # the sheet shows a cell holding 0 as blank (显示零值 off)
    merged: list[Merged] = field(default_factory=list)  # .ods only: calamine gives the others'

    def reach(self, row: int, column: int) -> None:
        """A cell holding something is at (row, column)."""
        if self.far is None and (row > MAX_ROWS or column >= MAX_COLUMNS):
            self.far = (row, column)
        self.rows, self.columns = max(self.rows, row), max(self.columns, column + 1)

    def look(self, row: int, column: int, look: Look) -> None:
        """The cell at (row, column) does not show its value: the first look recorded stays."""
        if row > MAX_ROWS or column >= MAX_COLUMNS or (row, column) in self.looks:
            return
        if len(self.looks) >= MAX_LOOKS:
            raise too_large(
                f"表格里有超过 {MAX_LOOKS} 个单元格显示的不是它存的值（错误值、公式或数字格式），"
                "不像评分表；请把评分表复制到一个新表格，格式改为「常规」后再导入"
            )
        self.looks[row, column] = look

    def merge(self, first_row: int, first_column: int, rows: int, columns: int) -> None:
        if rows <= 1 and columns <= 1:
            return
        if len(self.merged) >= MAX_RANGES:
            raise too_large(f"表格里有超过 {MAX_RANGES} 处合并单元格，不像评分表")
        self.merged.append(
            (first_row, first_column, first_row + rows - 1, first_column + columns - 1)
        )

    @property
    def area(self) -> int:
        return self.rows * self.columns


def cell_position(reference: str) -> tuple[int, int]:
    """'B7' → (7, 1); an unreadable reference is refused."""
    match = _REF_RE.fullmatch(reference)
    if not match:
        raise Refused(
            catalogue.UNREADABLE_WORKBOOK, f"表格里有无法识别的单元格位置「{quote(reference)}」"
        )
    letters, digits = match.groups()
    column = 0
    for letter in letters.upper():
        column = column * 26 + ord(letter) - 64
    return int(digits), column - 1


def number(text: str | None, default: int) -> int:
    """A row number or repeat count from an attribute; anything but digits is refused."""
    if text is None:
        return default
    if not text.isdigit() or len(text) > 9:
        raise Refused(catalogue.UNREADABLE_WORKBOOK, f"表格里有无法识别的行号「{quote(text)}」")
    return int(text)


def error_text(text: str) -> str:
    """An error value as a message shows it: Excel's own codes, anything else quoted short."""
    return quote(text.strip())[:20] or "#错误"

"""Which sheet of a workbook holds the scores: the one `--sheet` names; else the only visible
sheet with a header row (a cover sheet may come first).

Several visible sheets with a header (初评 and 终评, 「7月」 and 「8月」) are refused, listed,
until `--sheet` says which: import does not pick one. A hidden sheet with a header is named — a
warning when a visible one is imported, an error when it is the only one. Searching is
bounded: at most MAX_SEARCHED worksheets and MAX_SEARCHED_AREA cells are read without
`--sheet`. Imports: sheet, header, ownperiod, workbook.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator import catalogue
from generator.load.cells import MAX_COLUMNS
from generator.model import Town
from generator.office.header import Guess, find_header, no_header
from generator.office.ownperiod import names_period
from generator.office.scan import MAX_ROWS
from generator.office.sheet import Sheet, check_source, csv_sheet, fill_merged, sheet_of
from generator.office.workbook import HIDDEN, VISIBLE, Workbook
from generator.problems import InvalidData, Problem, quote

MAX_SEARCHED = 30  # worksheets searched for the table when --sheet names none
MAX_SEARCHED_AREA = MAX_ROWS * MAX_COLUMNS  # cells of all of them together
_HOW = {HIDDEN: "隐藏", VISIBLE: ""}


@dataclass(frozen=True)
class Found:
    """The sheet holding the table, its rows as shown, its header row's index, and warnings."""

    sheet: Sheet
    rows: list[tuple[int, list[str]]]
    start: int
    warnings: tuple[Problem, ...] = ()


def find_table(path: Path, sheet: str | None, town: Town, period: str) -> Found:
    """The sheet asked for, or the one sheet that holds a table; else a problem."""
    if check_source(path) == ".csv":
        return _in_sheet(path, csv_sheet(path), town)
    book = Workbook(path)
    if sheet is not None:
        return _in_sheet(path, sheet_of(path, book.grid(book.sheet_name(sheet))), town)
    worksheets = book.worksheets()
    _bound(book, worksheets)
    return _search(path, book, worksheets, town, period)


def _in_sheet(path: Path, table: Sheet, town: Town) -> Found:
    rows = fill_merged(table)
    start, guess = find_header(table.label, rows, town)
    if start < 0:
        raise InvalidData([no_header(path.name, town, guess, table.sheets)])
    return Found(table, rows, start)


def _bound(book: Workbook, worksheets: list[tuple[str, str]]) -> None:
    if len(worksheets) > MAX_SEARCHED:
        problem = catalogue.TOO_MANY_SHEETS.at(
            book.path.name, count=len(worksheets), limit=MAX_SEARCHED
        )
        raise InvalidData([problem])
    if sum(book.scan(name).area for name, _ in worksheets) > MAX_SEARCHED_AREA:
        problem = catalogue.TOO_LARGE_TO_SEARCH.at(book.path.name, cells=MAX_SEARCHED_AREA)
        raise InvalidData([problem])


@dataclass(frozen=True)
class _Seen:
    name: str
    visibility: str
    header_row: int


def _search(path: Path, book: Workbook, worksheets, town: Town, period: str) -> Found:
    first: Found | None = None
    tables: list[_Seen] = []
    closest: Guess | None = None
    for name, visibility in worksheets:
        table = sheet_of(path, book.grid(name))
        rows = fill_merged(table)
        start, guess = find_header(table.label, rows, town)
        if start < 0:
            if visibility == VISIBLE and (closest is None or guess.weight > closest.weight):
                closest = guess
            continue
        tables.append(_Seen(name, visibility, rows[start][0]))
        if first is None and visibility == VISIBLE:
            first = Found(table, rows, start)
    visible = [t for t in tables if t.visibility == VISIBLE]
    hidden = [t for t in tables if t.visibility != VISIBLE]
    if len(visible) > 1:
        raise InvalidData([_several(path, visible, period)])
    if first is None:
        if hidden:
            raise InvalidData([_hidden(path, t, catalogue.HIDDEN_SHEET_ONLY, "") for t in hidden])
        empty = Guess(path.name, 0, False, ())
        raise InvalidData([no_header(path.name, town, closest or empty, book.names)])
    warnings = tuple(_hidden(path, t, catalogue.HIDDEN_SHEET, first.sheet.name) for t in hidden)
    return Found(first.sheet, first.rows, first.start, warnings)


def _several(path: Path, tables: list[_Seen], period: str) -> Problem:
    listed = "、".join(f"「{quote(t.name)}」" for t in tables)
    matching = [t.name for t in tables if names_period(t.name, period)]
    hint = ""
    if len(matching) == 1:
        hint = f"（名称与 {period} 相符的是「{quote(matching[0])}」：--sheet {quote(matching[0])}）"
    return catalogue.SEVERAL_SHEETS.at(path.name, count=len(tables), listed=listed, hint=hint)


def _hidden(path: Path, table: _Seen, kind, chosen: str) -> Problem:
    how = _HOW.get(table.visibility, "深度隐藏（在 Excel 的「取消隐藏」里也不列出）")
    return kind.at(
        path.name,
        how=how,
        sheet=quote(table.name),
        header_row=table.header_row,
        chosen=quote(chosen),
    )

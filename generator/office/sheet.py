"""A third party's sheet as the clerk sees it: each cell's text, merged ranges filled in, and
what the sheet's own records say about cells that do not show their value (scan.py).

A CSV file is one sheet of text. A workbook's cell reads as calamine gives it (92.5 → "92.5",
90.0 → "90"), an error value as Excel shows it (#DIV/0!, never a blank: a blank means 未参评),
and a date as a date. Imports: workbook, numfmt, load.cells.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from generator import catalogue
from generator.load.cells import clean_cell, read_rows
from generator.office.numfmt import Look, general_text, look_of_text
from generator.office.scan import Merged, Scan
from generator.office.workbook import Grid, Workbook
from generator.problems import InvalidArgument, InvalidData, quote

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")  # .xlsb: no bounded reader for it
DATE_TYPES = (dt.datetime, dt.date, dt.time, dt.timedelta)  # what calamine gives date cells


@dataclass(frozen=True)
class Sheet:
    """One sheet's cells as Excel shows them: rows numbered from 1, columns from A (index 0)."""

    label: str  # how problems name it, e.g. "三月评分.xlsx「三月」"
    rows: list[tuple[int, list[str]]]
    merged: tuple[Merged, ...] = ()
    letters: bool = True  # False for CSV, whose empty columns the reader drops
    dates: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column) → as shown
    sheets: tuple[str, ...] = ()  # every sheet of its workbook, for messages
    scan: Scan = field(default_factory=Scan)  # looks resolved against the values
    name: str = ""  # the sheet's own name ("" for CSV)

    def look(self, row: int, column: int) -> Look | None:
        return self.scan.looks.get((row, column))


def check_source(path: Path) -> str:
    """The file's kind (its suffix); a missing or unsupported file is a usage error."""
    if not path.is_file():
        raise InvalidArgument([catalogue.MISSING_SOURCE_FILE.at(path.as_posix())])
    suffix = path.suffix.lower()
    if suffix == ".et":
        raise InvalidArgument([catalogue.UNSUPPORTED_ET.at(path.name)])
    if suffix != ".csv" and suffix not in WORKBOOK_SUFFIXES:
        raise InvalidArgument([catalogue.UNSUPPORTED_FILE.at(path.name)])
    return suffix


def csv_sheet(path: Path) -> Sheet:
    rows, problems = read_rows(path.read_bytes(), path.name)
    if problems:
        raise InvalidData(problems)
    return Sheet(path.name, rows, letters=False)


def read_sheets(path: Path, sheet: str | None = None):
    """The chosen sheet, or each visible one in turn, of a workbook; or a CSV file's table."""
    if check_source(path) == ".csv":
        yield csv_sheet(path)
        return
    book = Workbook(path)
    names = [book.sheet_name(sheet)] if sheet is not None else book.visible()
    for name in names:
        yield sheet_of(path, book.grid(name))


def sheet_of(path: Path, grid: Grid) -> Sheet:
    """A grid's cells as text, with its looks resolved against calamine's values."""
    rows, dates = [], {}
    for number, values in enumerate(grid.values, start=1):
        rows.append((number, [cell_text(v) for v in values]))
        for column, value in enumerate(values):
            if isinstance(value, DATE_TYPES):
                dates[(number, column)] = rows[-1][1][column]
    scan = _resolved(grid, rows, dates)
    label = f"{path.name}「{quote(grid.name)}」"
    return Sheet(label, rows, grid.merged, True, dates, grid.sheets, scan, grid.name)


def _resolved(grid: Grid, rows: list[tuple[int, list[str]]], dates: dict) -> Scan:
    """The grid's looks against its values: an error shows its code in the cell's text; a
    text under a text format is judged by its text; a date format on a value calamine read
    as a date is the date check's (dates), on any other value a format we cannot read; in a
    sheet that does not show zeros, a 0 shows blank."""
    looks = {}
    for (row, column), look in grid.scan.looks.items():
        cells = rows[row - 1][1] if row <= len(rows) else []
        text = cells[column] if column < len(cells) else ""
        if look.kind == "error" and column < len(cells):
            cells[column] = look.shown
        elif look.kind == "textformat":
            look = look_of_text(text, look.code)
        elif look.kind == "date":
            look = None if (row, column) in dates else Look("unsupported", "", text, look.code)
        elif look.kind == "invisible":
            look = Look("invisible", "", text) if text else None
        if look is not None:
            looks[row, column] = look
    if grid.scan.zeros_hidden:
        looks |= {cell: Look("zero", "", "0") for cell in _zeros(grid) if cell not in looks}
    grid.scan.looks = looks
    return grid.scan


def _zeros(grid: Grid):
    """Where a cell holds the number 0 (which a sheet not showing zeros shows blank)."""
    for row, values in enumerate(grid.values, start=1):
        for column, value in enumerate(values):
            if isinstance(value, int | float) and not isinstance(value, bool) and value == 0:
                yield row, column


def cell_text(value) -> str:
    """A cell as the clerk sees it: 92.5 → '92.5', 90.0 → '90', text stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return general_text(value)  # 88.10000000000001 → 88.1
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, DATE_TYPES):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else str(value)
    return clean_cell(str(value))


def fill_merged(sheet: Sheet) -> list[tuple[int, list[str]]]:
    """Each merged range reads as its top-left value, as the clerk sees it on screen."""
    width = max((len(cells) for _, cells in sheet.rows), default=0)
    grid = {row: cells + [""] * (width - len(cells)) for row, cells in sheet.rows}
    for first_row, first_col, last_row, last_col in sheet.merged:
        value = grid.get(first_row, [""] * width)[first_col] if first_col < width else ""
        for row in range(first_row, last_row + 1):
            for col in range(first_col, min(last_col, width - 1) + 1):
                if row in grid:
                    grid[row][col] = value
    return [(row, grid[row]) for row, _ in sheet.rows]

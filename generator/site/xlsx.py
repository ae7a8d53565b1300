"""Excel files for people: /data/xlsx/YYYY-MM.xlsx per period and /data/xlsx/YYYY.xlsx per year,
the results tables with Chinese headers and names instead of codes (sheets 红黄旗, 奖罚, 处理措施,
网格平均分), written with XlsxWriter. No I/O: tables in, bytes out.

The same rows always give the same bytes: the zip's times are XlsxWriter's fixed 1980 date in
memory, and the document's created time is the period's first day, never the clock. Text is
written as text (write_string), so a name starting with = + - @ never becomes a formula.
"""

from __future__ import annotations

import csv
import functools
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import xlsxwriter

from generator.periods import is_month, label, year_of
from generator.site.schema import RESULT_TABLES, Column, Table, code_name

XLSX_FOLDER = "data/xlsx"
WIDTHS = {"string": 14, "number": 9, "integer": 9}
WIDE = {"reason": 60, "action": 24, "village_id": 12}


@dataclass(frozen=True)
class Names:
    """Chinese names of the codes in the results tables."""

    villages: dict[str, str]
    grids: dict[str, str]
    categories: dict[str, str]

    @classmethod
    def of_document(cls, doc: dict) -> Names:
        """From results.json's document."""
        return cls(
            {v["id"]: v["name"] for v in doc["villages"]},
            {g["id"]: g["name"] for g in doc["grids"]},
            {c["id"]: c["name"] for c in doc["categories"]},
        )

    def text(self, column: Column, value: str) -> str:
        """A cell's text as people read it: names for ids, Chinese for codes."""
        if column.name == "period":
            return label(value)
        lookup = {"village_id": self.villages, "grid": self.grids, "category": self.categories}
        found = lookup.get(column.name)
        if found is not None:
            return found.get(value, value)
        return code_name(column, value) if column.codes else value


def xlsx_path(period: str) -> str:
    """'2024-05' → 'data/xlsx/2024-05.xlsx'; '2024' → 'data/xlsx/2024.xlsx'."""
    return f"{XLSX_FOLDER}/{period}.xlsx"


def workbooks(tables: dict[str, str], names: Names) -> dict[str, bytes]:
    """The results tables' CSV texts → {path: bytes} of every period's and year's workbook."""
    groups: dict[str, dict[str, list]] = defaultdict(lambda: {name: [] for name in RESULT_TABLES})
    for name, text in tables.items():
        rows = list(csv.reader(io.StringIO(text)))[1:]
        cells_of = shown(RESULT_TABLES[name], rows, names)
        for key, cells in zip((r[0] for r in rows), cells_of, strict=True):
            groups[key][name].append(cells)
            if is_month(key):
                groups[year_of(key)][name].append(cells)
    return {xlsx_path(key): workbook(key, groups[key]) for key in sorted(groups)}


def shown(table: Table, rows: list[list[str]], names: Names) -> list[list]:
    """Each row's cells as people read them: numbers, names for codes, None when empty; each
    distinct value of a column converted once."""
    convert = [
        functools.cache(functools.partial(_value, column, names)) for column in table.columns
    ]
    return [[f(value) for f, value in zip(convert, row, strict=True)] for row in rows]


def _value(column: Column, names: Names, value: str) -> str | int | float | None:
    if value == "":
        return None
    if column.type == "integer":
        return int(value)
    if column.type == "number":
        return float(value)
    return names.text(column, value)


def workbook(period: str, tables: dict[str, list[list]]) -> bytes:
    """One workbook: a sheet per results table, in RESULT_TABLES order."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    book.set_properties(
        {"title": f"{period} 红黄旗评比结果", "author": "", "created": _created(period)}
    )
    header = book.add_format({"bold": True})
    for name, table in RESULT_TABLES.items():
        _sheet(book.add_worksheet(table.title), table.columns, tables.get(name, []), header)
    book.close()
    return buffer.getvalue()


def _created(period: str) -> datetime:
    year, _, month = period.partition("-")
    return datetime(int(year), int(month or 1), 1)


def _sheet(sheet, columns: tuple[Column, ...], rows: list[list], header) -> None:
    """Text by write_string, so that it is never taken for a formula; numbers as numbers."""
    for col, column in enumerate(columns):
        sheet.write_string(0, col, column.sheet_title, header)
        sheet.set_column(col, col, WIDE.get(column.name, WIDTHS[column.type]))
    sheet.freeze_panes(1, 0)
    write = [sheet.write_string if c.type == "string" else sheet.write_number for c in columns]
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if value is not None:
                write[col](r, col, value)

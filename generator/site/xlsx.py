"""Excel files for people: /data/xlsx/YYYY-MM.xlsx per period and /data/xlsx/YYYY.xlsx per year,
the results tables with Chinese headers and names instead of codes (sheets 红黄旗, 奖罚, 处理措施,
网格平均分), written with XlsxWriter. No I/O: tables in, bytes out.

The same rows always give the same bytes: the zip's times are XlsxWriter's fixed 1980 date in
memory, and the document's created time is the period's first day, never the clock. Text is
written as text (write_string), so a name starting with = + - @ never becomes a formula.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import xlsxwriter

from generator.periods import is_month, label, year_of
from generator.site.schema import RESULT_TABLES, Column, code_name

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
    rows = {name: list(csv.reader(io.StringIO(text)))[1:] for name, text in tables.items()}
    groups: dict[str, dict[str, list]] = defaultdict(lambda: {name: [] for name in RESULT_TABLES})
    for name, table_rows in rows.items():
        for row in table_rows:
            groups[row[0]][name].append(row)
            if is_month(row[0]):
                groups[year_of(row[0])][name].append(row)
    return {xlsx_path(key): workbook(key, groups[key], names) for key in sorted(groups)}


def workbook(period: str, tables: dict[str, list[list[str]]], names: Names) -> bytes:
    """One workbook: a sheet per results table, in RESULT_TABLES order."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    book.set_properties(
        {"title": f"{period} 红黄旗评比结果", "author": "", "created": _created(period)}
    )
    header = book.add_format({"bold": True})
    for name, table in RESULT_TABLES.items():
        _sheet(book.add_worksheet(table.title), table.columns, tables.get(name, []), names, header)
    book.close()
    return buffer.getvalue()


def _created(period: str) -> datetime:
    year, _, month = period.partition("-")
    return datetime(int(year), int(month or 1), 1)


def _sheet(sheet, columns: tuple[Column, ...], rows: Iterable[list[str]], names, header) -> None:
    for col, column in enumerate(columns):
        sheet.write_string(0, col, column.sheet_title, header)
        sheet.set_column(col, col, WIDE.get(column.name, WIDTHS[column.type]))
    sheet.freeze_panes(1, 0)
    for r, row in enumerate(rows, start=1):
        for col, (column, value) in enumerate(zip(columns, row, strict=True)):
            _cell(sheet, r, col, column, value, names)


def _cell(sheet, row: int, col: int, column: Column, value: str, names: Names) -> None:
    if value == "":
        return
    if column.type == "integer":
        sheet.write_number(row, col, int(value))
    elif column.type == "number":
        sheet.write_number(row, col, float(value))
    else:
        sheet.write_string(row, col, names.text(column, value))

"""Excel files for people: /data/xlsx/YYYY-MM.xlsx per period and /data/xlsx/YYYY.xlsx per year,
the results tables with Chinese headers and names instead of codes (sheets 红黄旗, 奖罚, 处理措施,
网格平均分). No I/O: tables in, bytes out.

XlsxWriter writes the header workbook once (styles, properties, column widths, the frozen
first row); each workbook is that one with its period's title and dates and its data rows put
into its sheets as XML made here, a distinct value of a column once: through XlsxWriter's
per-cell calls (6.5 µs a cell) a county's six million cells took 40 s, now 2.9 s. A text cell
is an inline string (as XlsxWriter's constant_memory mode writes them), escaped, so a name
starting with = + - @ never becomes a formula; a number is written as XlsxWriter writes it
(%.16G).

The same rows always give the same bytes: every zip entry has the fixed 1980 date, and the
document's created time is the period's first day, never the clock.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from itertools import repeat

import numpy
import pandas
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
        keys, rows = sheet_rows(RESULT_TABLES[name], text, names)
        for key, row in zip(keys, rows, strict=True):
            groups[key][name].append(row)
            if is_month(key):
                groups[year_of(key)][name].append(row)
    return {xlsx_path(key): workbook(key, groups[key]) for key in sorted(groups)}


def sheet_rows(table: Table, text: str, names: Names) -> tuple[list[str], list[bytes]]:
    """A table's periods, and each row as people read it (numbers, names for codes) in the
    XML of a sheet row, UTF-8, ROW standing for the row's number: the same bytes serve a
    month's and its year's sheet. The CSV is read by pandas column by column, each distinct
    value of a column converted and encoded once; the loops over cells run in C (numpy's
    take, map, zip, join). Bytes, not text: numbering a county's rows as text and encoding
    the sheets took three times as long (1.6 s)."""
    frame = pandas.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False)
    columns = []
    for letter, column in zip(LETTERS, table.columns, strict=False):
        codes, distinct = pandas.factorize(frame[column.name], sort=False)
        shown = [_cell(letter, column, names, value).encode("utf-8") for value in distinct]
        columns.append(numpy.array(shown, dtype=object)[codes].tolist())
    rows_of = zip(repeat(f'<row r="{ROW}">'.encode()), *columns, repeat(b"</row>"))
    return frame["period"].tolist(), list(map(b"".join, rows_of))


ROW = "\x00"  # never in a cell's XML: inline_string writes control characters as _x0000_
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # the columns a results table can have


def _cell(letter: str, column: Column, names: Names, value: str) -> str:
    if value == "":
        return ""
    if column.type in ("integer", "number"):
        return f'<c r="{letter}{ROW}"><v>{float(value):.16G}</v></c>'
    return f'<c r="{letter}{ROW}"' + inline_string(names.text(column, value))


_LITERAL_ESCAPE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"[\x00-\x08\x0B-\x1F\uFFFE\uFFFF]")
_EDGE_SPACE = re.compile(r"^\s|\s$")


def inline_string(text: str) -> str:
    """A text cell, as Excel escapes text: control characters as _xHHHH_ (and a literal
    _xHHHH_ with its underscore escaped), & < > as entities; edge spaces kept."""
    text = _LITERAL_ESCAPE.sub(r"_x005F\1", text)
    text = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    space = ' xml:space="preserve"' if _EDGE_SPACE.search(text) else ""
    return f' t="inlineStr"><is><t{space}>{text}</t></is></c>'


def workbook(period: str, tables: dict[str, list[bytes]]) -> bytes:
    """One workbook: a sheet per results table, in RESULT_TABLES order; `tables` holds each
    table's rows as sheet_rows makes them."""
    sheets = {
        f"xl/worksheets/sheet{number}.xml": (table, tables.get(name, []))
        for number, (name, table) in enumerate(RESULT_TABLES.items(), start=1)
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        for entry, data in _header_entries():
            if entry.filename in sheets:
                data = _with_rows(data, *sheets[entry.filename])
            elif entry.filename == CORE:
                data = _core_of(data, period)
            info = zipfile.ZipInfo(entry.filename, date_time=ZIP_DATE)
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, entry.external_attr
            book.writestr(info, data, compresslevel=COMPRESSION)
    return buffer.getvalue()


ZIP_DATE = (1980, 1, 1, 0, 0, 0)
COMPRESSION = 1  # zlib's fastest: files 12 % larger than at its default (6), 1.6 s sooner a county


CORE = "docProps/core.xml"  # the only part of the header workbook that names the period
TEMPLATE_PERIOD = "2000-01"


@functools.cache
def _header_entries() -> tuple[tuple[zipfile.ZipInfo, bytes], ...]:
    """The entries of the header workbook, made by XlsxWriter once (for TEMPLATE_PERIOD): a
    county's 130 workbooks spent 0.55 s making it again for each."""
    source = zipfile.ZipFile(io.BytesIO(_headers_only(TEMPLATE_PERIOD)))
    return tuple((entry, source.read(entry)) for entry in source.infolist())


def _core_of(template: bytes, period: str) -> bytes:
    """docProps/core.xml of `period`'s workbook from TEMPLATE_PERIOD's: its title, created and
    modified times put in as XlsxWriter writes them (tests compare the two)."""
    text = template.decode("utf-8")
    for value in (_title, _w3c_time):
        old, new = value(TEMPLATE_PERIOD), value(period)
        if old not in text:  # an XlsxWriter that writes them otherwise: make it for period
            return zipfile.ZipFile(io.BytesIO(_headers_only(period))).read(CORE)
        text = text.replace(old, new)
    return text.encode("utf-8")


def _title(period: str) -> str:
    return f"{period} 红黄旗评比结果"


def _w3c_time(period: str) -> str:
    return f"{_created(period):%Y-%m-%dT%H:%M:%SZ}"


def _headers_only(period: str) -> bytes:
    """XlsxWriter's workbook with each sheet's header row and nothing else."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    book.set_properties({"title": _title(period), "author": "", "created": _created(period)})
    header = book.add_format({"bold": True})
    for table in RESULT_TABLES.values():
        _header(book.add_worksheet(table.title), table.columns, header)
    book.close()
    return buffer.getvalue()


def _created(period: str) -> datetime:
    year, _, month = period.partition("-")
    return datetime(int(year), int(month or 1), 1)


def _header(sheet, columns: tuple[Column, ...], header) -> None:
    for col, column in enumerate(columns):
        sheet.write_string(0, col, column.sheet_title, header)
        sheet.set_column(col, col, WIDE.get(column.name, WIDTHS[column.type]))
    sheet.freeze_panes(1, 0)


_DIMENSION = re.compile(rb'<dimension ref="[^"]*"/>')


def _with_rows(xml: bytes, table: Table, rows: list[bytes]) -> bytes:
    """A sheet's XML with `rows` (sheet_rows') after its header row, and its dimension to match."""
    head, end, tail = xml.partition(b"</sheetData>")
    dimension = f'<dimension ref="A1:{LETTERS[len(table.columns) - 1]}{len(rows) + 1}"/>'
    return _DIMENSION.sub(dimension.encode(), head, count=1) + _numbered(rows) + end + tail


def _numbered(rows: list[bytes]) -> bytes:
    """The rows joined, each one's ROW marks replaced by its number (2, 3, …), in C (map)."""
    numbers = (str(n).encode() for n in range(2, len(rows) + 2))
    return b"".join(map(bytes.replace, rows, repeat(ROW.encode()), numbers))

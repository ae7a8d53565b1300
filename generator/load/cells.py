"""Bytes → clean rows: decoding as Excel/WPS save files, CSV parsing, cell clean-up, numbers."""

from __future__ import annotations

import codecs
import csv
import functools
import io
import re
from dataclasses import dataclass

from generator import catalogue
from generator.problems import Problem, quote

MAX_CSV_BYTES = 5 * 1024 * 1024  # docs/data-format.md §2.1: larger files are one problem
MAX_DATA_ROWS = 20_000
MAX_COLUMNS = 200
_MAX_DIGITS = 9  # no score or 分值 within the limits has more; longer texts are out of range

# Full-width digits, point, signs (as typed with a Chinese IME) read as ASCII.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－＋−", "0123456789.-+-")
# str.strip() already drops U+3000 and NBSP; these are invisible but not "space".
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"
_NUMBER_RE = re.compile(r"^([+-]?)([0-9]*)(?:\.([0-9]*))?$")  # ASCII digits only: \d takes ٨٥
# A score cell reading one of these (after trimming) means 未参评, as a blank cell does: our
# extension of the contract, written in docs/data-format.md §2 and on the rules page.
# (－ and − read as "-".)
NOT_EVALUATED = frozenset({"未参评", "缺考", "/", "-", "－", "−", "—", "——"})


@dataclass(frozen=True)
class Table:
    """A CSV file's non-empty rows: the header and data rows, with Excel row numbers."""

    name: str
    header_row: int
    header: list[str]
    rows: list[tuple[int, list[str]]]

    def column_label(self, index: int) -> str:
        """The header text of a column, or its Excel letter when the header is empty."""
        header = self.header[index]
        if len(header) > 40:  # a column is named in every message about its cells
            header = header[:40] + "…"
        return header or f"{excel_column(index)}列"


def excel_column(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA, as Excel names columns."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def clean_cell(text: str) -> str:
    if text.isascii():  # nothing to translate, nothing invisible: most cells
        return text.strip()
    return text.strip().strip(_INVISIBLE).strip().translate(_FULL_WIDTH)


class _Cleaned(dict):
    """clean_cell of each distinct text once, across files: every month's file repeats the same
    village names and scores. Forgets all past _CLEANED_SIZE texts, so memory stays bounded."""

    def __missing__(self, text: str) -> str:
        if len(self) >= _CLEANED_SIZE:
            self.clear()
        cleaned = self[text] = clean_cell(text)
        return cleaned


_CLEANED_SIZE = 65536
_CLEANED = _Cleaned()


# Workbooks renamed to .csv: zip (.xlsx, .et, .ods) and OLE2 (.xls) signatures.
_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def too_large(data: bytes, name: str, limit: int = MAX_CSV_BYTES) -> Problem | None:
    """One problem for a file over `limit` bytes, which is then not read at all."""
    if len(data) <= limit:
        return None
    return catalogue.FILE_TOO_LARGE.at(name, limit=limit // 1024 // 1024)


def decode(data: bytes, name: str) -> tuple[str | None, Problem | None]:
    """Text of a file saved as UTF-8 (with or without BOM) or GB18030/GBK."""
    if data.startswith(_WORKBOOK_MAGIC):
        return None, catalogue.WORKBOOK.at(name)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, catalogue.ENCODING_UTF16.at(name)
    try:  # as utf-8-sig decodes, without going through its codec written in Python
        return (data[3:] if data.startswith(codecs.BOM_UTF8) else data).decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as error:
        row = data[: error.start].count(b"\n") + 1
        return None, catalogue.ENCODING.at(name, row)
    if "\x00" in text:
        return None, catalogue.ENCODING_NUL.at(name)
    return text, None


# A quoted cell followed by more text (`"85" ,` typed by hand): read as typed, not an error.
_LENIENT = "',' expected after '\"'"
# csv's messages → what went wrong, in Chinese
_CSV_ERRORS = {
    "unexpected end of data": '引号没有配对：从这一行起有一个以英文双引号 " 开头的单元格一直没有结束',
    "field larger than field limit": "有一个单元格超过 13 万个字符，多半是引号没有配对",
}


def _parse_csv(text: str, name: str, strict: bool) -> tuple[list, Problem | None]:
    """Numbered records of cleaned cells; strict makes an unclosed quote an error instead of
    a cell that swallows the rest of the file. Stops at the first record past the limits."""
    records = []  # only non-empty ones: millions of blank lines must cost neither time nor memory
    number = 0
    clean, keep = _CLEANED.__getitem__, records.append  # the loop runs once per line
    try:
        reader = csv.reader(io.StringIO(text, newline=""), strict=strict)
        for number, record in enumerate(reader, start=1):
            if not any(record):
                continue
            if len(record) > MAX_COLUMNS:
                if any(c.strip() for c in record[MAX_COLUMNS:]):
                    return [], _over_limit(name, number, f"超过 {MAX_COLUMNS} 列")
                record = record[:MAX_COLUMNS]
            cells = list(map(clean, record))
            if any(cells):
                keep((number, cells))
                if len(records) > MAX_DATA_ROWS + 1:
                    return [], _over_limit(name, number, f"数据超过 {MAX_DATA_ROWS} 行")
    except csv.Error as error:
        message = str(error)
        if strict and message.startswith(_LENIENT):
            return _parse_csv(text, name, strict=False)
        reason = next((v for k, v in _CSV_ERRORS.items() if message.startswith(k)), None)
        if reason is None:
            return [], catalogue.CSV.at(name, number + 1, error=quote(message))
        return [], catalogue.CSV_UNCLOSED_QUOTE.at(name, number + 1, reason=reason)
    return records, None


def _over_limit(name: str, row: int, what: str) -> Problem:
    return catalogue.TOO_MANY_CELLS.at(
        name, row, what=what, rows=MAX_DATA_ROWS, columns=MAX_COLUMNS
    )


def read_table(data: bytes, name: str) -> tuple[Table | None, list[Problem]]:
    """Decode and parse a CSV file; wholly empty rows and columns are dropped."""
    problem = too_large(data, name)
    if problem:
        return None, [problem]
    text, problem = decode(data, name)
    if problem:
        return None, [problem]
    records, problem = _parse_csv(text, name, strict=True)
    if problem:
        return None, [problem]
    if records and len(records[0][1]) == 1 and "\t" in records[0][1][0]:
        return None, [catalogue.NOT_CSV.at(name, records[0][0])]
    if not records:
        return None, [catalogue.EMPTY_FILE.at(name)]
    rows = _without_empty_columns(records)
    return Table(name, rows[0][0], rows[0][1], rows[1:]), []


def _without_empty_columns(records: list) -> list[tuple[int, list[str]]]:
    """Rows padded to one width, wholly empty columns dropped."""
    width = max(map(len, (cells for _, cells in records)))
    for _, cells in records:
        if len(cells) < width:
            cells += [""] * (width - len(cells))
    # a column is filled at its first non-empty cell, mostly its header: not a pass over all
    filled = [any(cells[i] for _, cells in records) for i in range(width)]
    if all(filled):
        return records
    keep = [i for i, full in enumerate(filled) if full]
    return [(number, [cells[i] for i in keep]) for number, cells in records]


def read_rows(data: bytes, name: str) -> tuple[list[tuple[int, list[str]]], list[Problem]]:
    """Clean rows of a CSV file (header first) with Excel row numbers, and decoding problems."""
    table, problems = read_table(data, name)
    if table is None:
        return [], problems
    return [(table.header_row, table.header), *table.rows], problems


def is_not_evaluated(text: str) -> bool:
    """Whether a score cell says 未参评 in words or a dash: it counts as blank."""
    return clean_cell(text) in NOT_EVALUATED


@dataclass(frozen=True)
class Number:
    """A parsed cell: hundredths of a point, or why it is not a number we accept."""

    hundredths: int | None
    error: str | None = None  # "not_a_number" | "too_many_decimals" | "too_large"


@functools.lru_cache(maxsize=8192)  # a month's scores repeat a few hundred distinct texts
def parse_number(text: str) -> Number:
    """'92.5' → 9250 hundredths; at most two decimals (trailing zeros do not count)."""
    match = _NUMBER_RE.match(text)
    if not match or not (match.group(2) or match.group(3)):
        return Number(None, "not_a_number")
    sign, whole, fraction = match.group(1), match.group(2) or "0", (match.group(3) or "")
    fraction = fraction.rstrip("0")
    if len(fraction) > 2:
        return Number(None, "too_many_decimals")
    whole = whole.lstrip("0") or "0"
    if len(whole) > _MAX_DIGITS:  # int() of a long digit string is slow, and never in range
        return Number(None, "too_large")
    value = int(whole) * 100 + int(fraction.ljust(2, "0"))
    return Number(-value if sign == "-" else value)


def format_points(hundredths: int) -> str:
    """9250 → '92.5', 9000 → '90', -50 → '-0.5': numbers without trailing zeros."""
    sign = "-" if hundredths < 0 else ""
    whole, fraction = divmod(abs(hundredths), 100)
    if fraction == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole}.{fraction:02d}".rstrip("0")

"""Bytes → clean rows: decoding as Excel/WPS save files, CSV parsing, cell clean-up, numbers."""

from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass

from generator.problems import Problem, quote

MAX_CSV_BYTES = 5 * 1024 * 1024  # RULES.md §2.1: larger files are one problem, not read
MAX_DATA_ROWS = 20_000
MAX_COLUMNS = 200
_MAX_DIGITS = 9  # no score or 分值 within the limits has more; longer texts are out of range

# Full-width digits, point, signs (as typed with a Chinese IME) read as ASCII.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－＋−", "0123456789.-+-")
# str.strip() already drops U+3000 and NBSP; these are invisible but not "space".
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"
_NUMBER_RE = re.compile(r"^([+-]?)([0-9]*)(?:\.([0-9]*))?$")  # ASCII digits only: \d takes ٨٥


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
    return text.strip().strip(_INVISIBLE).strip().translate(_FULL_WIDTH)


# Workbooks renamed to .csv: zip (.xlsx, .et, .ods) and OLE2 (.xls) signatures.
_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def too_large(data: bytes, name: str, limit: int = MAX_CSV_BYTES) -> Problem | None:
    """One problem for a file over `limit` bytes, which is then not read at all."""
    if len(data) <= limit:
        return None
    return Problem(
        name,
        None,
        None,
        "file_too_large",
        f"文件大于 {limit // 1024 // 1024} MB 的上限,不予读取:请检查是否误存了别的文件或多余的内容",
    )


def decode(data: bytes, name: str) -> tuple[str | None, Problem | None]:
    """Text of a file saved as UTF-8 (with or without BOM) or GB18030/GBK."""
    if data.startswith(_WORKBOOK_MAGIC):
        return None, Problem(
            name,
            None,
            None,
            "workbook",
            "这是 Excel/WPS 工作簿,不是 CSV 文件:请在 Excel 或 WPS 中「另存为」CSV UTF-8(逗号分隔),"
            "或用 flagboard import 导入",
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, Problem(
            name,
            None,
            None,
            "encoding",
            "文件是 UTF-16(Unicode 文本)编码,请在 Excel 中另存为「CSV UTF-8(逗号分隔)」",
        )
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as error:
        row = data[: error.start].count(b"\n") + 1
        return None, Problem(
            name,
            row,
            None,
            "encoding",
            "文件编码无法识别(既不是 UTF-8 也不是 GBK/GB18030),"
            "请在 Excel 或 WPS 中另存为「CSV UTF-8(逗号分隔)」",
        )
    if "\x00" in text:
        return None, Problem(
            name, None, None, "encoding", "文件含有空字符,不是文本文件,请另存为 CSV 文件"
        )
    return text, None


# A quoted cell followed by more text (`"85" ,` typed by hand): read as typed, not an error.
_LENIENT = "',' expected after '\"'"
# csv's messages → (problem code, what went wrong in Chinese)
_CSV_ERRORS = {
    "unexpected end of data": (
        "csv_unclosed_quote",
        '引号没有配对:从这一行起有一个以英文双引号 " 开头的单元格一直没有结束',
    ),
    "field larger than field limit": (
        "csv_unclosed_quote",
        "有一个单元格超过 13 万个字符,多半是引号没有配对",
    ),
}


def _parse_csv(text: str, name: str, strict: bool) -> tuple[list, Problem | None]:
    """Numbered records of cleaned cells; strict makes an unclosed quote an error instead of
    a cell that swallows the rest of the file. Stops at the first record past the limits."""
    records = []  # only non-empty ones: millions of blank lines must cost neither time nor memory
    number = 0
    try:
        reader = csv.reader(io.StringIO(text, newline=""), strict=strict)
        for number, record in enumerate(reader, start=1):
            if not any(record):
                continue
            if len(record) > MAX_COLUMNS and any(c.strip() for c in record[MAX_COLUMNS:]):
                return [], _over_limit(name, number, f"超过 {MAX_COLUMNS} 列")
            cells = [clean_cell(cell) for cell in record[:MAX_COLUMNS]]
            if any(cells):
                records.append((number, cells))
            if len(records) > MAX_DATA_ROWS + 1:
                return [], _over_limit(name, number, f"数据超过 {MAX_DATA_ROWS} 行")
    except csv.Error as error:
        message = str(error)
        if strict and message.startswith(_LENIENT):
            return _parse_csv(text, name, strict=False)
        code, reason = next(
            (v for k, v in _CSV_ERRORS.items() if message.startswith(k)),
            ("csv", f"CSV 格式有误({quote(message)})"),
        )
        fix = ";请用 Excel 或 WPS 打开检查这一行,改好后重新另存为 CSV"
        return [], Problem(name, number + 1, None, code, reason + fix)
    return records, None


def _over_limit(name: str, row: int, what: str) -> Problem:
    return Problem(
        name,
        row,
        None,
        "too_many_cells",
        f"文件{what},超过上限(最多 {MAX_DATA_ROWS} 行数据、{MAX_COLUMNS} 列),不再往下读:"
        "请检查是否误存了别的表格或多余的内容",
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
        return None, [
            Problem(
                name,
                records[0][0],
                None,
                "not_csv",
                "文件是用制表符分隔的文本,不是逗号分隔的 CSV:请另存为「CSV UTF-8(逗号分隔)」",
            )
        ]
    if not records:
        return None, [Problem(name, None, None, "empty_file", "文件是空的,请填写表头和数据")]
    width = max(len(cells) for _, cells in records)
    padded = [(number, cells + [""] * (width - len(cells))) for number, cells in records]
    keep = [i for i in range(width) if any(cells[i] for _, cells in padded)]
    rows = [(number, [cells[i] for i in keep]) for number, cells in padded]
    return Table(name, rows[0][0], rows[0][1], rows[1:]), []


def read_rows(data: bytes, name: str) -> tuple[list[tuple[int, list[str]]], list[Problem]]:
    """Clean rows of a CSV file (header first) with Excel row numbers, and decoding problems."""
    table, problems = read_table(data, name)
    if table is None:
        return [], problems
    return [(table.header_row, table.header), *table.rows], problems


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

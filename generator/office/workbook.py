"""Bounded reading of workbooks: a hostile file is refused before python-calamine reads it.

calamine allocates a sheet as a dense grid from A1 to its farthest cell, and trusts the sizes
in a zip's headers. So before it sees a file: the file's size, each zip member's declared and
actual decompressed size, its compression ratio, and the farthest cell holding something are
checked by streaming the XML (docs/data-format.md §2.1 「导入表格」). The same pass finds
formula cells whose result was never saved. Imports: problems, python-calamine; never prints.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

import python_calamine as calamine

from generator import catalogue
from generator.load.cells import MAX_COLUMNS, MAX_DATA_ROWS, excel_column
from generator.office import biff
from generator.problems import InvalidData, Problem, ProblemType, quote

# Rows read from a sheet, title and header included (docs/data-format.md §2.1).
MAX_ROWS = MAX_DATA_ROWS
MAX_FILE_BYTES = 20 * 1024 * 1024  # the workbook file itself
MAX_UNPACKED = 64 * 1024 * 1024  # all members of an .xlsx/.ods, decompressed
MAX_PARSED = 16 * 1024 * 1024  # its XML parts: what is parsed, in about 3 s at worst
MAX_RATIO = 100  # decompressed / compressed, for members over RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_MEMBERS = 2_000
MAX_SHEETS = 1_000
MAX_MERGED = 50_000
MAX_LISTED = 200  # formula cells listed one by one; the rest are counted
MAX_TRIED = 20  # visible sheets tried for a table when none is chosen (a cover sheet first)
_CHUNK = 256 * 1024
_REF_RE = re.compile(r"([A-Za-z]{1,7})([0-9]{1,9})")
_ZIP_SUFFIXES = (".xlsx", ".xlsm", ".ods")
_PARSED_SUFFIXES = (".xml", ".rels", "mimetype")

Merged = tuple[int, int, int, int]  # first row, first column, last row, last column (rows 1-based)


class _Refused(Exception):
    """A bound was crossed; carries the kind of problem and the Chinese reason."""

    def __init__(self, kind: ProblemType, reason: str = "", **fields):
        super().__init__(reason or kind.code)
        self.kind, self.fields = kind, {"reason": reason, **fields}


@dataclass(frozen=True)
class Grid:
    """One sheet's values as calamine returns them, row 1 first, column A first."""

    name: str
    values: list[list]
    merged: tuple[Merged, ...]
    sheets: tuple[str, ...] = ()  # every sheet of the workbook, in order (for messages)


@dataclass
class Extent:
    """What one sheet's streamed XML held: its farthest cell, formulas without a saved result."""

    far: tuple[int, int] | None = None  # (row, column) of the first cell beyond the bounds
    uncached: list[tuple[int, int]] = field(default_factory=list)
    uncached_count: int = 0

    def reach(self, row: int, column: int) -> None:
        """A cell holding something is at (row, column)."""
        if self.far is None and (row > MAX_ROWS or column >= MAX_COLUMNS):
            self.far = (row, column)

    def missing_result(self, row: int, column: int) -> None:
        self.uncached_count += 1
        if len(self.uncached) < MAX_LISTED:
            self.uncached.append((row, column))


@dataclass(frozen=True)
class _Opened:
    """A workbook that passed the checks made before calamine opens it."""

    book: object  # calamine.CalamineWorkbook
    extents: dict[str, Extent]  # .ods and .xls: every sheet's, found before opening


def read_grid(path: Path, sheet: str | None) -> Grid:
    """The chosen sheet (default: the first visible one) of a workbook, within the bounds."""
    return next(read_grids(path, sheet))


def read_grids(path: Path, sheet: str | None) -> Iterator[Grid]:
    """The chosen sheet; or, none chosen, each visible worksheet in turn (at most
    MAX_TRIED), so that the caller can take the first that holds a table."""
    opened = _guarded(path, lambda: _open(path))
    if sheet is None:
        names = visible_sheets(opened.book, path)[:MAX_TRIED]
    else:
        names = [sheet_name(opened.book, sheet, path)]
    for name in names:
        yield _guarded(path, lambda name=name: _grid(path, opened, name))


def _guarded(path: Path, read: Callable):
    try:
        return read()
    except _Refused as refused:
        raise InvalidData([refused.kind.at(path.name, **refused.fields)]) from None
    except InvalidData:
        raise
    except Exception as error:  # calamine and zipfile raise several unrelated types
        raise InvalidData([unreadable(path, error)]) from error


def unreadable(path: Path, error: Exception) -> Problem:
    return catalogue.UNREADABLE_WORKBOOK.at(
        path.name,
        reason=f"无法读取这个表格（{type(error).__name__}：{quote(str(error))}），"
        "请确认它是 Excel/WPS 表格，未加密，并已保存关闭",
    )


def _open(path: Path) -> _Opened:
    suffix = path.suffix.lower()
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _Refused(
            catalogue.WORKBOOK_TOO_LARGE, f"表格文件有 {_mb(size)}，超过上限 {_mb(MAX_FILE_BYTES)}"
        )
    extents: dict[str, Extent] = {}
    if suffix in _ZIP_SUFFIXES:
        check_archive(path)
    if suffix == ".ods":  # calamine reads every table of an .ods or .xls when it opens it
        extents = scan_ods(path)
        _refuse_far(extents)
    elif suffix == ".xls":
        _refuse_far({name: Extent(far=far) for name, far in xls_extents(path).items()})
    return _Opened(calamine.CalamineWorkbook.from_path(str(path)), extents)


def _grid(path: Path, opened: _Opened, name: str) -> Grid:
    extents = opened.extents
    if path.suffix.lower() in (".xlsx", ".xlsm"):  # …and a sheet of an .xlsx when it is read
        extents = {name: scan_xlsx_sheet(path, name)}
        _refuse_far(extents)
    _refuse_uncached(f"{path.name}「{quote(name)}」", extents.get(name, Extent()))
    found = opened.book.get_sheet_by_name(name)
    values = found.to_python(skip_empty_area=False, nrows=MAX_ROWS)
    return Grid(name, values, _merged(found), tuple(opened.book.sheet_names))


def xls_extents(path: Path) -> dict[str, tuple[int, int]]:
    """The sheets of an .xls whose farthest cell lies beyond the bounds, and that cell."""
    try:
        extents = biff.sheet_extents(path.read_bytes())
    except (biff.NotBiff, struct.error, IndexError) as error:
        raise _Refused(
            catalogue.UNREADABLE_WORKBOOK,
            f"无法读取这个 .xls 表格（{quote(str(error))}），请在 Excel/WPS 里另存为 .xlsx 后再导入",
        ) from error
    return {
        name: (row, column)
        for name, (row, column) in extents.items()
        if row > MAX_ROWS or column >= MAX_COLUMNS
    }


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def visible_sheets(workbook, path: Path) -> list[str]:
    """The visible worksheets, in order; a workbook without any is refused."""
    visible = [
        m.name
        for m in workbook.sheets_metadata
        if m.visible == calamine.SheetVisibleEnum.Visible
        and m.typ == calamine.SheetTypeEnum.WorkSheet
    ]
    if not visible:
        _unknown_sheet(workbook, None, path)
    return visible


def sheet_name(workbook, sheet: str, path: Path) -> str:
    """The sheet asked for by name or number."""
    names = workbook.sheet_names
    if sheet in names:
        return sheet
    if sheet.isdigit() and 1 <= int(sheet) <= len(names):
        return names[int(sheet) - 1]
    _unknown_sheet(workbook, sheet, path)


def _unknown_sheet(workbook, sheet: str | None, path: Path):
    listed = "、".join(f"「{quote(n)}」" for n in workbook.sheet_names[:50]) or "（无）"
    raise InvalidData(
        [catalogue.UNKNOWN_SHEET.at(path.name, sheet=quote(sheet or ""), listed=listed)]
    )


def _merged(found) -> tuple[Merged, ...]:
    """Merged ranges within the bounds; overlapping ones covering more cells than a full sheet
    (which only a crafted file has) are refused, so that filling them in stays linear."""
    ranges = getattr(found, "merged_cell_ranges", None) or []
    if len(ranges) > MAX_MERGED:
        raise _Refused(
            catalogue.WORKBOOK_TOO_LARGE, f"表格里有 {len(ranges)} 处合并单元格，不像评分表"
        )
    merged, area = [], 0
    for (first_row, first_column), (last_row, last_column) in ranges:
        last_row, last_column = min(last_row, MAX_ROWS - 1), min(last_column, MAX_COLUMNS - 1)
        if first_row > last_row or first_column > last_column:
            continue
        area += (last_row - first_row + 1) * (last_column - first_column + 1)
        if area > MAX_ROWS * MAX_COLUMNS:
            raise _Refused(
                catalogue.WORKBOOK_TOO_LARGE,
                "表格里的合并单元格互相重叠，不像 Excel/WPS 保存的文件",
            )
        merged.append((first_row + 1, first_column, last_row + 1, last_column))
    return tuple(merged)


# -- refusals ---------------------------------------------------------------------------


def _refuse_far(extents: dict[str, Extent]) -> None:
    for name, extent in extents.items():
        if extent.far is not None:
            row, column = extent.far
            raise _Refused(
                catalogue.SHEET_TOO_LARGE,
                sheet=quote(name),
                cell=f"{excel_column(column)}{row}",
                rows=MAX_ROWS,
                columns=MAX_COLUMNS,
                last=f"{excel_column(MAX_COLUMNS - 1)}{MAX_ROWS}",
            )


def _refuse_uncached(label: str, extent: Extent) -> None:
    problems = [
        catalogue.FORMULA_WITHOUT_RESULT.at(
            label, row, excel_column(column), cell=f"{excel_column(column)}{row}"
        )
        for row, column in extent.uncached
    ]
    more = extent.uncached_count - len(problems)
    if more > 0:
        problems.append(catalogue.FORMULA_WITHOUT_RESULT_MORE.at(label, count=more))
    if problems:
        raise InvalidData(problems)


# -- the zip container ------------------------------------------------------------------


def check_archive(path: Path) -> None:
    """Refuse a zip whose members would decompress past the bounds, or whose headers lie.

    The parts that calamine and this module parse (XML) are decompressed here once, to check
    that none holds more than its header says; others (pictures) are never decompressed."""
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise _Refused(catalogue.WORKBOOK_TOO_LARGE, f"表格里有 {len(members)} 个部件，不像评分表")
    parsed = [m for m in members if m.filename.lower().endswith(_PARSED_SUFFIXES)]
    for chosen, limit in ((members, MAX_UNPACKED), (parsed, MAX_PARSED)):
        declared = sum(m.file_size for m in chosen)
        if declared > limit:
            raise _Refused(catalogue.WORKBOOK_TOO_LARGE, _unpacked_message(declared, limit))
    for member in members:
        if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise _Refused(catalogue.ZIP_BOMB, _bomb_message(member))
    with path.open("rb") as handle:
        for member in parsed:
            for _ in member_chunks(handle, member):
                pass


def _unpacked_message(size: int, limit: int) -> str:
    return (
        f"表格解压后有 {_mb(size)}，超过上限 {_mb(limit)}；"
        "评分表用不到这么大，请把评分表复制到一个新表格里再导入"
    )


def _bomb_message(member: zipfile.ZipInfo) -> str:
    return (
        f"表格的部件「{quote(member.filename)}」压缩比异常（{_mb(member.compress_size)} "
        f"解压成 {_mb(member.file_size)}），像是恶意构造的文件，不予读取"
    )


def member_chunks(handle, member: zipfile.ZipInfo) -> Iterator[bytes]:
    """A member's bytes, decompressed in bounded chunks; more than its header says is refused."""
    if member.flag_bits & 0x1:
        raise _Refused(
            catalogue.ENCRYPTED_WORKBOOK, "表格已加密，请在 Excel/WPS 里取消密码保护后另存再导入"
        )
    handle.seek(member.header_offset)
    local = handle.read(30)
    if len(local) < 30 or local[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"bad local header: {member.filename}")
    name_length, extra_length = struct.unpack("<HH", local[26:30])
    handle.seek(member.header_offset + 30 + name_length + extra_length)
    if member.compress_type == zipfile.ZIP_STORED:
        chunks = _stored(handle, member.compress_size)
    elif member.compress_type == zipfile.ZIP_DEFLATED:
        chunks = _inflated(handle, member.compress_size)
    else:
        raise zipfile.BadZipFile(f"compression method {member.compress_type}")
    produced = 0
    for chunk in chunks:
        produced += len(chunk)
        if produced > member.file_size:
            raise _Refused(catalogue.ZIP_BOMB, _lying_message(member))
        yield chunk
    if produced != member.file_size:
        raise zipfile.BadZipFile(f"{member.filename}: {produced} bytes, not {member.file_size}")


def _lying_message(member: zipfile.ZipInfo) -> str:
    return (
        f"表格的部件「{quote(member.filename)}」解压后比文件头写的"
        f"（{member.file_size} 字节）更大，像是恶意构造的文件，不予读取"
    )


def _stored(handle, left: int) -> Iterator[bytes]:
    while left > 0:
        data = handle.read(min(_CHUNK, left))
        if not data:
            return
        left -= len(data)
        yield data


def _inflated(handle, left: int) -> Iterator[bytes]:
    inflater = zlib.decompressobj(-15)
    while not inflater.eof:
        data = inflater.unconsumed_tail
        if not data:
            data = handle.read(min(_CHUNK, left))
            left -= len(data)
            if not data:
                raise zipfile.BadZipFile("truncated member")
        yield inflater.decompress(data, _CHUNK)


# -- .xlsx ------------------------------------------------------------------------------


def scan_xlsx_sheet(path: Path, name: str) -> Extent:
    """Stream the named sheet's XML: its farthest cell with content, formulas without result."""
    extent = Extent()
    for member in _xlsx_sheet_members(path, name):
        _expat_scan(path, member, _XlsxCursor(extent), lambda: extent.far is not None)
    return extent


@dataclass
class _XlsxCursor:
    """Where the stream is in the sheet: cells without `r` follow the one before, as in Excel."""

    extent: Extent
    row: int = 0
    column: int = -1
    formula: bool = False
    value: str | None = None
    text_type: bool = False
    in_value: bool = False

    def start(self, name: str, attributes: dict[str, str]) -> None:
        tag = name.rpartition(" ")[2]
        if tag == "c":
            reference = attributes.get("r")
            if reference:
                self.row, self.column = cell_position(reference)
            else:
                self.column += 1
            self.formula, self.value = False, None
            self.text_type = attributes.get("t") == "str"  # an empty text is a saved result
        elif tag == "v":
            self.in_value, self.value = True, ""
        elif tag == "f":
            self.formula = True
        elif tag == "is":
            self.value = "is"
        elif tag == "row":
            self.row = _number(attributes.get("r"), self.row + 1)
            self.column = -1

    def text(self, data: str) -> None:
        if self.in_value and len(self.value) < 100:  # only whether it is empty matters
            self.value += data.strip()

    def end(self, name: str) -> None:
        tag = name.rpartition(" ")[2]
        if tag == "v":
            self.in_value = False
        elif tag == "c":
            if self.value or self.formula:
                self.extent.reach(self.row, self.column)
            if self.formula and (self.value is None or not (self.value or self.text_type)):
                self.extent.missing_result(self.row, self.column)


def _expat_scan(path: Path, member: str, cursor, done: Callable[[], bool]) -> None:
    """Feed a member's XML to the cursor's start/end/text callbacks; no tree is built."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.StartElementHandler = cursor.start
    parser.EndElementHandler = cursor.end
    parser.CharacterDataHandler = cursor.text
    parser.StartDoctypeDeclHandler = _no_doctype
    with zipfile.ZipFile(path) as archive, path.open("rb") as handle:
        for chunk in member_chunks(handle, archive.getinfo(member)):
            parser.Parse(chunk, False)
            if done():
                return
        parser.Parse(b"", True)


def _no_doctype(*_) -> None:
    raise _Refused(
        catalogue.UNREADABLE_WORKBOOK,
        "表格的 XML 里有文档类型声明（DOCTYPE），不像 Excel/WPS 保存的文件",
    )


def cell_position(reference: str) -> tuple[int, int]:
    """'B7' → (7, 1); an unreadable reference is refused."""
    match = _REF_RE.fullmatch(reference)
    if not match:
        raise _Refused(
            catalogue.UNREADABLE_WORKBOOK, f"表格里有无法识别的单元格位置「{quote(reference)}」"
        )
    letters, digits = match.groups()
    column = 0
    for letter in letters.upper():
        column = column * 26 + ord(letter) - 64
    return int(digits), column - 1


def _number(text: str | None, default: int) -> int:
    if text is None:
        return default
    if not text.isdigit() or len(text) > 9:
        raise _Refused(catalogue.UNREADABLE_WORKBOOK, f"表格里有无法识别的行号「{quote(text)}」")
    return int(text)


def _xlsx_sheet_members(path: Path, name: str) -> list[str]:
    """Every member that calamine might read as the named sheet (it reads xl/workbook.xml and
    its relationships, ignoring case, and puts xl/ before a relative target). A superset, so
    that no crafted file can steer calamine to a sheet this module did not check."""
    names = _case_insensitive(path)
    ids = {
        value
        for member in names.get("xl/workbook.xml", [])
        for sheet in _elements(path, member, "sheet", MAX_SHEETS)
        if sheet.get("name") == name
        for key, value in sheet.items()
        if key.rpartition(" ")[2] == "id"
    }
    targets = {
        relation.get("Target", "")
        for member in names.get("xl/_rels/workbook.xml.rels", [])
        for relation in _elements(path, member, "Relationship", MAX_MEMBERS)
        if relation.get("Id") in ids
    }
    found = [names.get(_calamine_path(target).lower(), []) for target in targets]
    return sorted({member for members in found for member in members})


def _calamine_path(target: str) -> str:
    if target.startswith("/xl/"):
        return target[1:]
    return target if target.startswith("xl/") else f"xl/{target}"


def _case_insensitive(path: Path) -> dict[str, list[str]]:
    with zipfile.ZipFile(path) as archive:
        names: dict[str, list[str]] = {}
        for member in archive.namelist():
            names.setdefault(member.lower(), []).append(member)
    return names


def _elements(path: Path, member: str, tag: str, limit: int) -> list[dict[str, str]]:
    """The attributes of every `tag` element of a member; more than `limit` is refused."""
    found: list[dict[str, str]] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        if name.rpartition(" ")[2] == tag:
            if len(found) >= limit:
                raise _Refused(
                    catalogue.WORKBOOK_TOO_LARGE, f"表格的「{quote(member)}」条目过多，不像评分表"
                )
            found.append(attributes)

    _expat_scan(path, member, _Callbacks(start), lambda: False)
    return found


@dataclass
class _Callbacks:
    start: Callable[[str, dict[str, str]], None]

    def end(self, name: str) -> None:
        pass

    def text(self, data: str) -> None:
        pass


# -- .ods -------------------------------------------------------------------------------


def scan_ods(path: Path) -> dict[str, Extent]:
    """Every table of content.xml (calamine reads them all at once), with repeats counted."""
    cursor = _OdsCursor()
    _expat_scan(path, "content.xml", cursor, lambda: any(e.far for e in cursor.tables.values()))
    return cursor.tables


@dataclass
class _OdsCursor:
    """Rows and cells of OpenDocument tables, where one element may stand for many repeats."""

    tables: dict[str, Extent] = field(default_factory=dict)
    extent: Extent | None = None
    row: int = 0
    row_repeat: int = 1
    column: int = 0
    cell: dict[str, str] | None = None  # the open cell's attributes, by local name
    has_text: bool = False

    def start(self, name: str, attributes: dict[str, str]) -> None:
        tag = name.rpartition(" ")[2]
        if tag in ("table-cell", "covered-table-cell"):
            self.cell = {k.rpartition(" ")[2]: v for k, v in attributes.items()}
            self.has_text = False
        elif tag == "table-row":
            local = {k.rpartition(" ")[2]: v for k, v in attributes.items()}
            self.row_repeat = _number(local.get("number-rows-repeated"), 1)
            self.column = 0
        elif tag == "table":
            if len(self.tables) >= MAX_SHEETS:
                raise _Refused(catalogue.WORKBOOK_TOO_LARGE, "表格里的工作表过多，不像评分表")
            local = {k.rpartition(" ")[2]: v for k, v in attributes.items()}
            self.extent = self.tables.setdefault(local.get("name", ""), Extent())
            self.row = 0

    def text(self, data: str) -> None:
        if self.cell is not None and not self.has_text:
            self.has_text = bool(data.strip())  # text:p, text:span … inside a cell

    def end(self, name: str) -> None:
        tag = name.rpartition(" ")[2]
        if tag in ("table-cell", "covered-table-cell") and self.cell is not None:
            self._end_cell(self.cell)
            self.cell = None
        elif tag == "table-row":
            self.row += self.row_repeat

    def _end_cell(self, cell: dict[str, str]) -> None:
        repeat = _number(cell.get("number-columns-repeated"), 1)
        typed, formula = "value-type" in cell, "formula" in cell
        if self.extent is not None and (typed or self.has_text or formula):
            self.extent.reach(self.row + self.row_repeat, self.column + repeat - 1)
            if formula and not typed and not self.has_text:
                self.extent.missing_result(self.row + 1, self.column)
        self.column += repeat

"""An .xlsx sheet's own XML, streamed: what calamine's values do not say (see scan.py).

For each cell: its reach, an error value (`t="e"`), a formula without a saved result, a number
whose format shows something else (numfmt.py, with the formats of xl/styles.xml), a font the
colour of its background; for the sheet: hidden and zero-sized rows and columns, collapsed
outline groups and filters, zeros shown as blank. Shared strings are measured, not kept:
calamine copies a shared string into every cell that uses it, so their total length is
bounded before it reads the sheet. Imports: archive, scan, numfmt.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from pathlib import Path

from generator import catalogue
from generator.load.cells import MAX_COLUMNS
from generator.office.archive import (
    MAX_MEMBERS,
    elements,
    local,
    members_by_lower_name,
    parse_member,
)
from generator.office.numfmt import (
    BUILTIN,
    GENERAL,
    Look,
    format_colour,
    look_of_number,
    look_of_text,
)
from generator.office.scan import (
    COLLAPSED,
    FILTERED,
    HIDDEN,
    MAX_ROWS,
    MAX_STYLES,
    ZERO,
    Refused,
    Scan,
    cell_position,
    error_text,
    number,
    too_large,
)
from generator.problems import quote

MAX_SHEETS = 1_000
MAX_TEXT = 16 * 1024 * 1024  # characters of shared strings that one sheet's cells may copy
_WHITE = "FFFFFF"
# ECMA-376 §18.8.27: the first legacy indexed colours; 64 is the system foreground (black).
_INDEXED = {0: "000000", 1: _WHITE, 8: "000000", 9: _WHITE, 64: "000000"}
_THEME = {0: _WHITE, 1: "000000"}  # lt1 and dk1 of the default theme (indices swap them)


@dataclass(frozen=True)
class CellStyle:
    """What a cell format (an `xf` of cellXfs) does to what the cell shows."""

    code: str = GENERAL  # the number format code
    invisible: bool = False  # its font is the colour of its fill (white on white)
    background: str | None = _WHITE  # its fill's colour (None: one that cannot be told)


@dataclass(frozen=True)
class Book:
    """What every sheet of one .xlsx shares: its cell formats and shared strings' lengths."""

    styles: tuple[CellStyle, ...]
    lengths: array  # characters of each shared string


def read_book(path: Path) -> Book:
    names = members_by_lower_name(path)
    styles = names.get("xl/styles.xml", [])[:1]
    lengths = array("L")
    for member in names.get("xl/sharedstrings.xml", []):  # calamine's; several: the longest
        found = _string_lengths(path, member)
        lengths.extend([0] * max(len(found) - len(lengths), 0))
        for index, length in enumerate(found):
            lengths[index] = max(lengths[index], length)
    return Book(_styles(path, styles[0]) if styles else (), lengths)


# -- xl/styles.xml -------------------------------------------------------------------------


@dataclass
class _StylesCursor:
    """numFmts, fonts' colours, fills' colours and cellXfs, in the order they come."""

    formats: dict[int, str] = field(default_factory=dict)
    fonts: list[str | None] = field(default_factory=list)  # colour as RRGGBB, None: unknown
    fills: list[str | None] = field(default_factory=list)
    xfs: list[tuple[int, int, int]] = field(default_factory=list)  # numFmtId, fontId, fillId
    path: list[str] = field(default_factory=list)

    def start(self, name: str, attributes: dict[str, str]) -> None:
        tag, parent = local(name), self.path[-1] if self.path else ""
        self.path.append(tag)
        if tag == "numFmt" and parent == "numFmts":
            self._count(self.formats)
            code = attributes.get("formatCode", "")
            self.formats[_int(attributes.get("numFmtId"))] = code
        elif tag == "font" and parent == "fonts":
            self._count(self.fonts)
            self.fonts.append("000000")  # no colour: automatic, the window text (black)
        elif tag == "color" and parent == "font" and self.fonts:
            self.fonts[-1] = _colour(attributes)
        elif tag == "fill" and parent == "fills":
            self._count(self.fills)
            self.fills.append(_WHITE)
        elif tag == "patternFill" and self.fills:
            kind = attributes.get("patternType", "none")
            self.fills[-1] = _WHITE if kind == "none" else None  # solid: its fgColor
        elif tag == "fgColor" and parent == "patternFill" and self.fills:
            self.fills[-1] = _colour(attributes)
        elif tag == "xf" and parent == "cellXfs":
            self._count(self.xfs)
            ids = (attributes.get(k) for k in ("numFmtId", "fontId", "fillId"))
            self.xfs.append(tuple(_int(i) for i in ids))

    def end(self, name: str) -> None:
        if self.path:
            self.path.pop()

    def text(self, data: str) -> None:
        pass

    @staticmethod
    def _count(found) -> None:
        if len(found) >= MAX_STYLES:
            raise too_large(f"表格的单元格格式超过 {MAX_STYLES} 种，不像评分表")


def _styles(path: Path, member: str) -> tuple[CellStyle, ...]:
    cursor = _StylesCursor()
    parse_member(path, member, cursor)
    styles = []
    for format_id, font, fill in cursor.xfs:
        code = cursor.formats.get(format_id) or BUILTIN.get(format_id, GENERAL)
        colour = cursor.fonts[font] if font < len(cursor.fonts) else "000000"
        background = cursor.fills[fill] if fill < len(cursor.fills) else _WHITE
        styles.append(CellStyle(code, colour is not None and colour == background, background))
    return tuple(styles)


def _colour(attributes: dict[str, str]) -> str | None:
    """RRGGBB of a colour element; None for one that cannot be told (tinted, unknown)."""
    if attributes.get("tint", "0") not in ("0", "0.0"):
        return None
    if "rgb" in attributes:
        return attributes["rgb"][-6:].upper()
    if "theme" in attributes:
        return _THEME.get(_int(attributes["theme"]))
    if "indexed" in attributes:
        return _INDEXED.get(_int(attributes["indexed"]))
    return "000000" if attributes.get("auto") in ("1", "true") else None


def _int(text: str | None) -> int:
    return int(text) if text and text.isdigit() and len(text) <= 9 else 0


# -- xl/sharedStrings.xml -----------------------------------------------------------------


@dataclass
class _StringsCursor:
    lengths: array = field(default_factory=lambda: array("L"))
    depth: int = 0  # inside an <si>

    def start(self, name: str, attributes: dict[str, str]) -> None:
        if local(name) == "si":
            self.lengths.append(0)
            self.depth += 1

    def end(self, name: str) -> None:
        if local(name) == "si":
            self.depth -= 1

    def text(self, data: str) -> None:
        if self.depth and self.lengths:
            self.lengths[-1] = min(self.lengths[-1] + len(data), MAX_TEXT + 1)


def _string_lengths(path: Path, member: str) -> array:
    cursor = _StringsCursor()
    parse_member(path, member, cursor)
    return cursor.lengths


# -- a sheet ----------------------------------------------------------------------------


def sheet_members(path: Path, name: str) -> list[str]:
    """Every member that calamine might read as the named sheet (it reads xl/workbook.xml and
    its relationships, ignoring case, and puts xl/ before a relative target). A superset, so
    that no crafted file can steer calamine to a sheet this module did not check."""
    names = members_by_lower_name(path)
    ids = {
        value
        for member in names.get("xl/workbook.xml", [])
        for sheet in elements(path, member, "sheet", MAX_SHEETS)
        if sheet.get("name") == name
        for key, value in sheet.items()
        if local(key) == "id"
    }
    targets = {
        relation.get("Target", "")
        for member in names.get("xl/_rels/workbook.xml.rels", [])
        for relation in elements(path, member, "Relationship", MAX_MEMBERS)
        if relation.get("Id") in ids
    }
    found = [names.get(_calamine_path(target).lower(), []) for target in targets]
    return sorted({member for members in found for member in members})


def _calamine_path(target: str) -> str:
    if target.startswith("/xl/"):
        return target[1:]
    return target if target.startswith("xl/") else f"xl/{target}"


def scan_sheet(path: Path, name: str, book: Book) -> Scan:
    """Stream the named sheet's XML (every member calamine might take for it)."""
    scan = Scan()
    for member in sheet_members(path, name):
        cursor = _SheetCursor(scan, book)
        parse_member(path, member, cursor, lambda: scan.far is not None)
        cursor.finish()
    return scan


@dataclass
class _SheetCursor:
    """Where the stream is in the sheet: cells without `r` follow the one before, as in Excel."""

    scan: Scan
    book: Book
    row: int = 0
    column: int = -1
    style: int = 0
    kind: str | None = None  # the cell's t attribute
    formula: bool = False
    value: str | None = None
    in_value: bool = False
    inline: int = 0  # characters of an inline string
    text_length: int = 0  # characters of shared strings copied into this sheet's cells
    zero_height: bool = False  # <sheetFormatPr zeroHeight="1">: rows are hidden by default

    def start(self, name: str, attributes: dict[str, str]) -> None:
        tag = local(name)
        if tag == "c":
            self._cell(attributes)
        elif tag == "v":
            self.in_value, self.value = True, ""
        elif tag == "f":
            self.formula = True
        elif tag == "is":
            self.value = self.value or ""
        elif tag == "row":
            self._row(attributes)
        elif tag == "col":
            self._column(attributes)
        elif tag == "sheetFormatPr":
            self.zero_height = attributes.get("zeroHeight") in ("1", "true")
        elif tag == "filterColumn":
            self.scan.filtered = True
        elif tag == "sheetView" and attributes.get("showZeros") in ("0", "false"):
            self.scan.zeros_hidden = True

    def _cell(self, attributes: dict[str, str]) -> None:
        reference = attributes.get("r")
        if reference:
            self.row, self.column = cell_position(reference)
        else:
            self.column += 1
        self.formula, self.value, self.inline = False, None, 0
        self.kind = attributes.get("t")
        self.style = _int(attributes.get("s"))

    def _row(self, attributes: dict[str, str]) -> None:
        self.row = number(attributes.get("r"), self.row + 1)
        self.column = -1
        height = attributes.get("ht")
        hidden = attributes.get("hidden") in ("1", "true") or _zero(height)
        if self.zero_height and not (height and not _zero(height)):
            hidden = True
        if hidden and self.row <= MAX_ROWS:
            outline = attributes.get("outlineLevel", "0") not in ("0", "")
            why = COLLAPSED if outline else (ZERO if _zero(height) else HIDDEN)
            self.scan.hidden_rows.add(self.row, self.row, why)

    def _column(self, attributes: dict[str, str]) -> None:
        first = number(attributes.get("min"), 1) - 1
        last = min(number(attributes.get("max"), first + 1) - 1, MAX_COLUMNS - 1)
        width = attributes.get("width")
        if attributes.get("hidden") in ("1", "true") or _zero(width):
            outline = attributes.get("outlineLevel", "0") not in ("0", "")
            why = COLLAPSED if outline else (ZERO if _zero(width) else HIDDEN)
            self.scan.hidden_columns.add(first, last, why)

    def text(self, data: str) -> None:
        if self.in_value and len(self.value) < 100:  # numbers and error codes are short
            self.value += data.strip()
        elif self.value is not None and not self.in_value:  # inside <is>
            self.inline += len(data.strip())

    def end(self, name: str) -> None:
        tag = local(name)
        if tag == "v":
            self.in_value = False
        elif tag == "c":
            self._end_cell()

    def _end_cell(self) -> None:
        has_text = bool(self.value) or self.inline > 0
        if has_text or self.formula:
            self.scan.reach(self.row, self.column)
        if self.kind == "s" and self.value and self.value.isdigit():
            self._copied(int(self.value[:9]))
        look = self._look(has_text)
        if look is not None:
            self.scan.look(self.row, self.column, look)

    def _look(self, has_text: bool) -> Look | None:
        if self.formula and (self.value is None or not (self.value or self.kind == "str")):
            return Look("uncached")  # an empty text (t="str") is a saved result
        if self.kind == "e":
            return Look("error", error_text(self.value or ""))
        if not has_text:
            return None
        style = self.book.styles[self.style] if self.style < len(self.book.styles) else None
        if style is None:
            return None
        look = None
        if self.kind in (None, "n") and self.value:
            look = _number_look(self.value, style.code)
            if look is None and _format_hides(float(self.value), style.code, style.background):
                look = Look("invisible")  # [White]0 on a white cell
        elif self.kind in ("s", "str", "inlineStr") and look_of_text("x", style.code):
            look = Look("textformat", code=style.code)  # the text is calamine's: see importer
        if look is None and style.invisible:
            look = Look("invisible")
        return look

    def _copied(self, index: int) -> None:
        lengths = self.book.lengths
        self.text_length += lengths[index] if index < len(lengths) else 0
        if self.text_length > MAX_TEXT:
            raise too_large(
                f"工作表的单元格共引用了超过 {MAX_TEXT // 1024 // 1024}M 个字符的共享文字，"
                "像是恶意构造的文件，不予读取"
            )

    def finish(self) -> None:
        """Rows hidden in a sheet with a filter (which comes after them) were filtered out."""
        if self.scan.filtered:
            self.scan.hidden_rows.relabel(HIDDEN, FILTERED)


def _format_hides(value: float, code: str, background: str | None) -> bool:
    colour = format_colour(value, code)
    return colour is not None and colour == background


def _zero(size: str | None) -> bool:
    try:
        return size is not None and float(size) == 0
    except ValueError:
        return False


def _number_look(value: str, code: str) -> Look | None:
    try:
        held = float(value)
    except ValueError:
        raise Refused(
            catalogue.UNREADABLE_WORKBOOK, f"表格里有无法识别的数值「{quote(value)}」"
        ) from None
    return look_of_number(held, code)

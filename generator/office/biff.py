"""An .xls (BIFF8 in an OLE compound file) read cheaply: each sheet's reach and what it shows.

calamine reads every sheet of an .xls when it opens it, as dense grids from A1 to the farthest
cell: two cells at A1 and IV65536 take a gigabyte; and it copies a shared string into every
cell that uses it. This module walks the compound file's sector chains and the Workbook
stream's records only, so workbook.py can refuse such a file first; on the way it records
what calamine's values do not say (scan.py): error values, numbers whose format (FORMAT and XF
records, numfmt.py) shows something else, white on white, hidden rows and columns, zeros
shown as blank.
Imports: scan, numfmt.
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field

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
    Scan,
    too_large,
)

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_TEXT = 16 * 1024 * 1024  # characters of shared strings calamine would copy into cells
_END_OF_CHAIN = 0xFFFFFFFE
_BOF, _EOF, _BOUNDSHEET, _CONTINUE = 0x0809, 0x000A, 0x0085, 0x003C
_NUMBER, _RK, _MULRK, _LABELSST, _LABEL, _BOOLERR, _FORMULA = (
    0x0203,
    0x027E,
    0x00BD,
    0x00FD,
    0x0204,
    0x0205,
    0x0006,
)
_CELL_RECORDS = {_NUMBER, _RK, _LABELSST, _LABEL, _BOOLERR, _FORMULA, 0x00D6}  # row, column
_ROW, _COLINFO, _FILTERMODE, _WINDOW2 = 0x0208, 0x007D, 0x009B, 0x023E
_SHOW_ZEROS = 0x0010  # WINDOW2's fDspZeros: off, a cell holding 0 shows blank
_FORMAT, _XF, _FONT, _PALETTE, _SST = 0x041E, 0x00E0, 0x0031, 0x0092, 0x00FC
_ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?"}
_ERRORS |= {0x24: "#NUM!", 0x2A: "#N/A"}
_WHITE = "FFFFFF"
_COLOURS = {0: "000000", 1: _WHITE, 8: "000000", 9: _WHITE, 0x40: "000000", 0x41: _WHITE}
_COLOURS[0x7FFF] = "000000"  # automatic: the window text


class NotBiff(ValueError):
    """The file is not a compound file with a Workbook stream that this reader understands."""


@dataclass
class _Globals:
    """The workbook-wide records a cell's look depends on."""

    formats: dict[int, str] = field(default_factory=dict)
    fonts: list[int] = field(default_factory=list)  # colour index of each font
    xfs: list[tuple[int, int, int | None]] = field(default_factory=list)  # fmt, font, fill
    palette: dict[int, str] = field(default_factory=dict)
    strings: array = field(default_factory=lambda: array("L"))  # length of each SST string
    copied: int = 0  # characters of shared strings copied into cells, all sheets

    def code(self, xf: int) -> str:
        if xf >= len(self.xfs):
            return GENERAL
        fmt = self.xfs[xf][0]
        return self.formats.get(fmt) or BUILTIN.get(fmt, GENERAL)

    def invisible(self, xf: int) -> bool:
        if xf >= len(self.xfs):
            return False
        _, font, fill = self.xfs[xf]
        font = font - 1 if font >= 4 else font  # BIFF8 has no font 4: ifnt 5 is the 5th
        colour = self._colour(self.fonts[font]) if font < len(self.fonts) else None
        return colour is not None and colour == self.background(xf)

    def background(self, xf: int) -> str | None:
        fill = self.xfs[xf][2] if xf < len(self.xfs) else None
        return _WHITE if fill is None else self._colour(fill)

    def _colour(self, index: int) -> str | None:
        return self.palette.get(index) or _COLOURS.get(index)


def sheet_scans(data: bytes) -> dict[str, Scan]:
    """Each sheet's Scan: its reach, looks and hidden rows and columns."""
    stream = workbook_stream(data)
    names: list[str] = []
    book = _Globals()
    scans: dict[str, Scan] = {}
    depth, sheet, scan, shared = 0, -1, None, []
    for kind, body in records(stream):
        if shared and kind not in (_SST, _CONTINUE):
            book.strings, shared = string_lengths(shared), []
        if kind == _BOF:
            sheet += depth == 0
            depth += 1
            if sheet >= 1 and depth == 1:
                name = names[sheet - 1] if sheet - 1 < len(names) else str(sheet)
                scan = scans.setdefault(name, Scan())
        elif kind == _EOF:
            depth = max(depth - 1, 0)
            if depth == 0 and scan is not None:
                _finish(scan)
                scan = None
        elif sheet == 0:
            _global(kind, body, book, names, shared)
        elif scan is not None and depth == 1:
            _sheet_record(kind, body, book, scan)
    return scans


def sheet_extents(data: bytes) -> dict[str, tuple[int, int]]:
    """Each sheet's farthest (row, column) holding a value, rows from 1, columns from 0."""
    return {name: (scan.rows, scan.columns - 1) for name, scan in sheet_scans(data).items()}


def records(stream: bytes) -> Iterator[tuple[int, bytes]]:
    position = 0
    while position + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, position)
        yield kind, stream[position + 4 : position + 4 + length]
        position += 4 + length


def _sheet_name(body: bytes) -> str:
    if len(body) < 8:
        return ""
    length, wide = body[6], body[7] & 1
    raw = body[8 : 8 + length * (2 if wide else 1)]
    return raw.decode("utf-16-le" if wide else "latin-1", errors="replace")


# -- the workbook globals ------------------------------------------------------------------


def _global(kind: int, body: bytes, book: _Globals, names: list[str], shared: list) -> None:
    if kind == _BOUNDSHEET:
        names.append(_sheet_name(body))
    elif kind == _FORMAT and len(body) >= 5:
        book.formats[struct.unpack_from("<H", body)[0]] = _unicode(body, 2)
    elif kind == _FONT and len(body) >= 6:
        _bounded(book.fonts).append(struct.unpack_from("<H", body, 4)[0])
    elif kind == _XF and len(body) >= 20:
        font, fmt = struct.unpack_from("<HH", body)
        pattern = struct.unpack_from("<I", body, 14)[0] >> 26
        fore = struct.unpack_from("<H", body, 18)[0] & 0x7F
        fill = None if pattern == 0 else (fore if pattern == 1 else -1)
        _bounded(book.xfs).append((fmt, font, fill))
    elif kind == _PALETTE and len(body) >= 2:
        count = min(struct.unpack_from("<H", body)[0], (len(body) - 2) // 4)
        for index in range(count):
            red, green, blue = body[2 + 4 * index : 5 + 4 * index]
            book.palette[8 + index] = f"{red:02X}{green:02X}{blue:02X}"
    elif kind == _SST or (kind == _CONTINUE and shared):
        shared.append(body)


def _bounded(found: list) -> list:
    if len(found) >= MAX_STYLES:
        raise too_large(f"表格的单元格格式超过 {MAX_STYLES} 种，不像评分表")
    return found


def _unicode(body: bytes, at: int) -> str:
    """An XLUnicodeString (length, flags, characters) at `at`."""
    length, flags = struct.unpack_from("<HB", body, at)
    wide = flags & 1
    raw = body[at + 3 : at + 3 + length * (2 if wide else 1)]
    return raw.decode("utf-16-le" if wide else "latin-1", errors="replace")


def string_lengths(bodies: list[bytes]) -> array:
    """The length of each string of the shared string table (SST and its CONTINUE records),
    where a string's characters may go on in the next record after a flags byte."""
    reader = _Spanning(bodies)
    lengths = array("L")
    total = struct.unpack_from("<I", bodies[0], 4)[0] if len(bodies[0]) >= 8 else 0
    reader.skip(8)
    for _ in range(total):
        if reader.done():
            break
        length, flags = reader.unpack("<HB")
        runs = reader.unpack("<H")[0] if flags & 0x08 else 0
        extra = reader.unpack("<I")[0] if flags & 0x04 else 0
        reader.characters(length, flags & 1)
        reader.skip(4 * runs + extra)
        lengths.append(length)
    return lengths


@dataclass
class _Spanning:
    """Reads across an SST and its CONTINUE records."""

    bodies: list[bytes]
    record: int = 0
    at: int = 0

    def done(self) -> bool:
        return self.record >= len(self.bodies)

    def _next(self) -> None:
        while not self.done() and self.at >= len(self.bodies[self.record]):
            self.record, self.at = self.record + 1, 0

    def unpack(self, layout: str) -> tuple:
        size = struct.calcsize(layout)
        raw = b""
        while len(raw) < size:
            self._next()
            if self.done():
                raise NotBiff("shared strings end inside a string")
            body = self.bodies[self.record]
            take = body[self.at : self.at + size - len(raw)]
            raw, self.at = raw + take, self.at + len(take)
        return struct.unpack(layout, raw)

    def skip(self, count: int) -> None:
        while count > 0 and not self.done():
            body = self.bodies[self.record]
            step = min(count, len(body) - self.at)
            self.at, count = self.at + step, count - step
            self._next()

    def characters(self, count: int, wide: int) -> None:
        """Skip `count` characters; a record boundary inside them brings a new flags byte."""
        while count > 0:
            self._next()
            if self.done():
                return
            body = self.bodies[self.record]
            width = 2 if wide else 1
            step = min(count, (len(body) - self.at) // width)
            self.at, count = self.at + step * width, count - step
            if count > 0:
                self.record, self.at = self.record + 1, 0
                if not self.done():
                    wide = self.bodies[self.record][0] & 1 if self.bodies[self.record] else 0
                    self.at = 1


# -- a sheet's records ---------------------------------------------------------------------


def _sheet_record(kind: int, body: bytes, book: _Globals, scan: Scan) -> None:
    if kind == _ROW and len(body) >= 14:
        _row(body, scan)
    elif kind == _COLINFO and len(body) >= 10:
        _column(body, scan)
    elif kind == _FILTERMODE:
        scan.filtered = True
    elif kind == _WINDOW2 and len(body) >= 2:
        scan.zeros_hidden = not struct.unpack_from("<H", body)[0] & _SHOW_ZEROS
    elif kind == _MULRK and len(body) >= 6:
        row, first = struct.unpack_from("<HH", body)
        for index in range((len(body) - 6) // 6):
            xf, raw = struct.unpack_from("<HI", body, 4 + 6 * index)
            _cell(scan, book, row, first + index, xf, number=_rk(raw))
    elif kind in _CELL_RECORDS and len(body) >= 6:
        row, column, xf = struct.unpack_from("<HHH", body)
        _cell(scan, book, row, column, xf, **_content(kind, body, book))


def _content(kind: int, body: bytes, book: _Globals) -> dict:
    if kind == _NUMBER and len(body) >= 14:
        return {"number": struct.unpack_from("<d", body, 6)[0]}
    if kind == _RK and len(body) >= 10:
        return {"number": _rk(struct.unpack_from("<I", body, 6)[0])}
    if kind == _BOOLERR and len(body) >= 8 and body[7]:
        return {"error": _ERRORS.get(body[6], "#错误")}
    if kind == _FORMULA and len(body) >= 14:
        if body[12:14] != b"\xff\xff":
            return {"number": struct.unpack_from("<d", body, 6)[0]}
        return {"error": _ERRORS.get(body[8], "#错误")} if body[6] == 2 else {"text": True}
    if kind == _LABELSST and len(body) >= 10:
        index = struct.unpack_from("<I", body, 6)[0]
        book.copied += book.strings[index] if index < len(book.strings) else 0
        if book.copied > MAX_TEXT:
            raise too_large(
                f"表格的单元格共引用了超过 {MAX_TEXT // 1024 // 1024}M 个字符的共享文字，"
                "像是恶意构造的文件，不予读取"
            )
    return {"text": kind in (_LABELSST, _LABEL)}


def _cell(scan: Scan, book: _Globals, row: int, column: int, xf: int, **content) -> None:
    scan.reach(row + 1, column)
    look = None
    if "error" in content:
        look = Look("error", content["error"])
    elif "number" in content:
        look = look_of_number(content["number"], book.code(xf))
        colour = format_colour(content["number"], book.code(xf))
        if look is None and colour is not None and colour == book.background(xf):
            look = Look("invisible")  # [White]0 on a white cell
    elif content.get("text") and look_of_text("x", book.code(xf)):
        look = Look("textformat", code=book.code(xf))
    if look is None and book.invisible(xf):
        look = Look("invisible")
    if look is not None:
        scan.look(row + 1, column, look)


def _rk(raw: int) -> float:
    if raw & 2:
        value = float(struct.unpack("<i", struct.pack("<I", raw & 0xFFFFFFFC))[0] >> 2)
    else:
        value = struct.unpack("<d", struct.pack("<Q", (raw & 0xFFFFFFFC) << 32))[0]
    return value / 100 if raw & 1 else value


def _row(body: bytes, scan: Scan) -> None:
    row = struct.unpack_from("<H", body)[0] + 1
    flags = struct.unpack_from("<H", body, 12)[0]
    if flags & 0x20 and row <= MAX_ROWS:  # fDyZero; miyRw keeps the height it had
        scan.hidden_rows.add(row, row, COLLAPSED if flags & 0x07 else HIDDEN)


def _column(body: bytes, scan: Scan) -> None:
    first, last, width, _, flags = struct.unpack_from("<HHHHH", body)
    if flags & 0x01 or width == 0:
        why = COLLAPSED if flags & 0x0700 else (ZERO if width == 0 else HIDDEN)
        scan.hidden_columns.add(first, min(last, 255), why)


def _finish(scan: Scan) -> None:
    if scan.filtered:
        scan.hidden_rows.relabel(HIDDEN, FILTERED)


def workbook_stream(data: bytes) -> bytes:
    """The Workbook (or Book) stream of a compound file."""
    if data[:8] != MAGIC or len(data) < 512:
        raise NotBiff("not a compound file")
    shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    if shift not in (9, 12) or mini_shift != 6:
        raise NotBiff("unusual sector size")
    fat = _fat(data, shift)
    entries = list(_directory(data, shift, fat))
    root = next((e for e in entries if e[1] == 5), None)
    found = next((e for e in entries if e[0] in ("Workbook", "Book") and e[1] == 2), None)
    if root is None or found is None:
        raise NotBiff("no Workbook stream")
    _, _, start, size = found
    if size >= struct.unpack_from("<I", data, 0x38)[0]:
        return _read_chain(data, shift, fat, start)[:size]
    mini_stream = _read_chain(data, shift, fat, root[2])
    minifat = _ids(_read_chain(data, shift, fat, struct.unpack_from("<I", data, 0x3C)[0]))
    chain = _chain(minifat, start)
    return b"".join(mini_stream[i * 64 : i * 64 + 64] for i in chain)[:size]


def _sector(data: bytes, shift: int, index: int) -> bytes:
    start = (index + 1) << shift
    if start >= len(data):
        raise NotBiff("sector beyond the file")
    return data[start : start + (1 << shift)]


def _ids(raw: bytes) -> list[int]:
    return list(struct.unpack_from(f"<{len(raw) // 4}I", raw))


def _fat(data: bytes, shift: int) -> list[int]:
    """The sector allocation table, through the header's and the DIFAT sectors' lists."""
    fat_sectors = _ids(data[0x4C:0x200])
    following = struct.unpack_from("<I", data, 0x44)[0]
    seen: set[int] = set()
    while following < _END_OF_CHAIN and following not in seen:
        seen.add(following)
        ids = _ids(_sector(data, shift, following))
        fat_sectors += ids[:-1]
        following = ids[-1]
    fat: list[int] = []
    for index in fat_sectors:
        if index < _END_OF_CHAIN:
            fat += _ids(_sector(data, shift, index))
    return fat


def _chain(table: list[int], start: int) -> list[int]:
    chain: list[int] = []
    seen: set[int] = set()
    while start < len(table) and start not in seen:  # a loop ends the chain: no endless read
        seen.add(start)
        chain.append(start)
        start = table[start]
    return chain


def _read_chain(data: bytes, shift: int, fat: list[int], start: int) -> bytes:
    return b"".join(_sector(data, shift, i) for i in _chain(fat, start))


def _directory(data: bytes, shift: int, fat: list[int]) -> Iterator[tuple[str, int, int, int]]:
    """(name, type, first sector, size) of each directory entry."""
    raw = _read_chain(data, shift, fat, struct.unpack_from("<I", data, 0x30)[0])
    for at in range(0, len(raw) - 127, 128):
        length = min(struct.unpack_from("<H", raw, at + 64)[0], 64)
        name = raw[at : at + max(length - 2, 0)].decode("utf-16-le", errors="replace")
        kind = raw[at + 66]
        start, size = struct.unpack_from("<II", raw, at + 116)
        yield name, kind, start, size

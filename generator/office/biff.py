"""The farthest cell of each sheet of an .xls (BIFF8 in an OLE compound file), read cheaply.

calamine reads every sheet of an .xls when it opens it, as dense grids from A1 to the farthest
cell: two cells at A1 and IV65536 take a gigabyte. This module walks the compound file's
sector chains and the Workbook stream's cell records only, so workbook.py can refuse such a
file first. Imports: the standard library only.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END_OF_CHAIN = 0xFFFFFFFE
_CELL_RECORDS = {0x0203, 0x027E, 0x00FD, 0x0204, 0x0205, 0x0006, 0x00D6}  # row, column first
_MULRK, _BOF, _EOF, _BOUNDSHEET = 0x00BD, 0x0809, 0x000A, 0x0085


class NotBiff(ValueError):
    """The file is not a compound file with a Workbook stream that this reader understands."""


def sheet_extents(data: bytes) -> dict[str, tuple[int, int]]:
    """Each sheet's farthest (row, column) holding a value, rows from 1, columns from 0."""
    stream = workbook_stream(data)
    names: list[str] = []
    extents: dict[str, tuple[int, int]] = {}
    depth, sheet = 0, -1
    for kind, body in records(stream):
        if kind == _BOF:
            sheet += depth == 0
            depth += 1
        elif kind == _EOF:
            depth = max(depth - 1, 0)
        elif kind == _BOUNDSHEET:
            names.append(_sheet_name(body))
        elif sheet >= 1 and (kind in _CELL_RECORDS or kind == _MULRK) and len(body) >= 4:
            row, column = struct.unpack_from("<HH", body)
            if kind == _MULRK and len(body) >= 6:
                column = struct.unpack_from("<H", body, len(body) - 2)[0]
            name = names[sheet - 1] if sheet - 1 < len(names) else str(sheet)
            far_row, far_column = extents.get(name, (0, 0))
            extents[name] = (max(far_row, row + 1), max(far_column, column))
    return extents


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

"""The zip container of an .xlsx or .ods, and its XML parts, read within bounds.

calamine trusts the sizes in a zip's headers; so before it sees a file, each member's declared
and actual decompressed size and its compression ratio are checked here, and the XML parts
this package reads itself are streamed through expat in bounded chunks: no tree is built, a
DOCTYPE (where entity expansion starts) is refused, and so is nesting deeper than any office
program writes. Imports: scan, catalogue.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

from generator import catalogue
from generator.office.scan import Refused, too_large
from generator.problems import quote

MAX_FILE_BYTES = 20 * 1024 * 1024  # the workbook file itself
MAX_UNPACKED = 64 * 1024 * 1024  # all members of an .xlsx/.ods, decompressed
MAX_PARSED = 16 * 1024 * 1024  # its XML parts: what is parsed, in about 3 s at worst
MAX_RATIO = 100  # decompressed / compressed, for members over RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_MEMBERS = 2_000
MAX_DEPTH = 64  # XML nesting: Excel and LibreOffice write fewer than 15 levels
_CHUNK = 256 * 1024
_PARSED_SUFFIXES = (".xml", ".rels", "mimetype")


def mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def check_archive(path: Path) -> None:
    """Refuse a zip whose members would decompress past the bounds, or whose headers lie.

    The parts that calamine and this package parse (XML) are decompressed here once, to check
    that none holds more than its header says; others (pictures) are never decompressed."""
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise too_large(f"表格里有 {len(members)} 个部件，不像评分表")
    parsed = [m for m in members if m.filename.lower().endswith(_PARSED_SUFFIXES)]
    for chosen, limit in ((members, MAX_UNPACKED), (parsed, MAX_PARSED)):
        declared = sum(m.file_size for m in chosen)
        if declared > limit:
            raise too_large(_unpacked_message(declared, limit))
    for member in members:
        if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise Refused(catalogue.ZIP_BOMB, _bomb_message(member))
    with path.open("rb") as handle:
        for member in parsed:
            for _ in member_chunks(handle, member):
                pass


def _unpacked_message(size: int, limit: int) -> str:
    return (
        f"表格解压后有 {mb(size)}，超过上限 {mb(limit)}；"
        "评分表用不到这么大，请把评分表复制到一个新表格里再导入"
    )


def _bomb_message(member: zipfile.ZipInfo) -> str:
    return (
        f"表格的部件「{quote(member.filename)}」压缩比异常（{mb(member.compress_size)} "
        f"解压成 {mb(member.file_size)}），像是恶意构造的文件，不予读取"
    )


def member_chunks(handle, member: zipfile.ZipInfo) -> Iterator[bytes]:
    """A member's bytes, decompressed in bounded chunks; more than its header says is refused."""
    if member.flag_bits & 0x1:
        raise Refused(
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
            raise Refused(catalogue.ZIP_BOMB, _lying_message(member))
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


# -- XML parts ---------------------------------------------------------------------------


def parse_member(path: Path, member: str, cursor, done: Callable[[], bool] | None = None) -> None:
    """Feed a member's XML to the cursor's start/end/text callbacks; no tree is built.
    `done()` true stops early (a bound already crossed)."""
    depth = _Depth(cursor)
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.StartElementHandler = depth.start
    parser.EndElementHandler = depth.end
    parser.CharacterDataHandler = cursor.text
    parser.StartDoctypeDeclHandler = _no_doctype
    with zipfile.ZipFile(path) as archive, path.open("rb") as handle:
        for chunk in member_chunks(handle, archive.getinfo(member)):
            parser.Parse(chunk, False)
            if done is not None and done():
                return
        parser.Parse(b"", True)


@dataclass
class _Depth:
    """Passes elements on to the cursor, refusing nesting deeper than MAX_DEPTH."""

    cursor: object
    level: int = 0

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.level += 1
        if self.level > MAX_DEPTH:
            raise Refused(
                catalogue.UNREADABLE_WORKBOOK,
                f"表格的 XML 嵌套超过 {MAX_DEPTH} 层，不像 Excel/WPS 保存的文件",
            )
        self.cursor.start(name, attributes)

    def end(self, name: str) -> None:
        self.level -= 1
        self.cursor.end(name)


def _no_doctype(*_) -> None:
    raise Refused(
        catalogue.UNREADABLE_WORKBOOK,
        "表格的 XML 里有文档类型声明（DOCTYPE），不像 Excel/WPS 保存的文件",
    )


def local(name: str) -> str:
    """An element's or attribute's name without its namespace."""
    return name.rpartition(" ")[2]


def members_by_lower_name(path: Path) -> dict[str, list[str]]:
    """Every member, under its name in lower case (calamine ignores case)."""
    with zipfile.ZipFile(path) as archive:
        names: dict[str, list[str]] = {}
        for member in archive.namelist():
            names.setdefault(member.lower(), []).append(member)
    return names


def elements(path: Path, member: str, tag: str, limit: int) -> list[dict[str, str]]:
    """The attributes of every `tag` element of a member; more than `limit` is refused."""
    found: list[dict[str, str]] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        if local(name) == tag:
            if len(found) >= limit:
                raise too_large(f"表格的「{quote(member)}」条目过多，不像评分表")
            found.append(attributes)

    parse_member(path, member, Callbacks(start))
    return found


@dataclass
class Callbacks:
    """A cursor from a start callback alone."""

    start: Callable[[str, dict[str, str]], None]

    def end(self, name: str) -> None:
        pass

    def text(self, data: str) -> None:
        pass

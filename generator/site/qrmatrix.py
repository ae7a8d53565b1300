"""The module matrix of a QR code for the site's addresses: byte mode, error correction M and a
fixed data mask, the one case qr.py draws, made from tables computed once per version.

segno (pure Python) took 0.84 ms a code, 2 s of a county's build for its 2,500 posters. For
the same text, level and mask this gives the very matrix segno gives (tests/test_qrmatrix.py
checks it against segno for every version): the function patterns, format and version
information and the order in which the codewords fill the symbol are fixed per version, so a
code is its Reed–Solomon blocks (one big-integer step per data byte) spread by one lookup.
`rows()` returns None for text outside this case (not ASCII, or text segno would write in its
numeric or alphanumeric mode); qr.py then asks segno. No I/O.
"""

from __future__ import annotations

import functools
import operator
import re

# Error-correction codewords per block and blocks per symbol at level M, versions 1 … 40
# (ISO/IEC 18004:2015 table 9).
EC_PER_BLOCK = (0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
                26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28)  # fmt: skip
BLOCKS = (0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21,
          23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49)  # fmt: skip
LEVEL_M = 0b00  # the level's two bits in the format information
BYTE_MODE = 0b0100
PADS = (0xEC, 0x11)
# Text segno would not write in byte mode: digits only (numeric) or the alphanumeric set.
_ALPHANUMERIC = re.compile(r"[0-9A-Z $%*+\-./:]*")


def rows(text: str, mask: int) -> list[bytes] | None:
    """The matrix of `text`'s code, a row of 0 (light) and 1 (dark) bytes each, or None when
    the text is not a case this module covers."""
    if not text.isascii() or _ALPHANUMERIC.fullmatch(text):
        return None
    data = text.encode("ascii")
    version = _version(len(data))
    if version is None:
        return None
    layout = _layout(version, mask)
    codewords = _codewords(data, version)
    bits = bin(int.from_bytes(codewords, "big") | 1 << 8 * len(codewords))[3:]
    placed = bytes(layout.take(bits.encode("ascii").translate(_BITS) + b"\0"))
    size = layout.size
    matrix = (int.from_bytes(placed, "big") ^ layout.mask) | layout.dark
    flat = matrix.to_bytes(size * size, "big")
    return [flat[y * size : (y + 1) * size] for y in range(size)]


_BITS = bytes.maketrans(b"01", b"\0\1")


def _version(length: int) -> int | None:
    """The smallest version whose data codewords hold the byte-mode segment."""
    for version in range(1, 41):
        count_bits = 8 if version < 10 else 16
        if 4 + count_bits + 8 * length <= 8 * _data_codewords(version):
            return version
    return None


@functools.cache
def _raw_modules(version: int) -> int:
    """Modules left for codewords once the function patterns are drawn."""
    result = (16 * version + 128) * version + 64
    if version >= 2:
        aligns = version // 7 + 2
        result -= (25 * aligns - 10) * aligns - 55
        if version >= 7:
            result -= 36
    return result


def _data_codewords(version: int) -> int:
    return _raw_modules(version) // 8 - EC_PER_BLOCK[version] * BLOCKS[version]


# -- the codewords ------------------------------------------------------------------------------


def _codewords(data: bytes, version: int) -> bytes:
    """Mode, count, data, terminator and pad codewords, split into blocks with their error
    correction, interleaved (ISO/IEC 18004 §7.4, §7.6)."""
    capacity = _data_codewords(version)
    count_bits = 8 if version < 10 else 16
    value = (BYTE_MODE << count_bits | len(data)) << 8 * len(data) | int.from_bytes(data, "big")
    used = 4 + count_bits + 8 * len(data)
    terminator = min(4, capacity * 8 - used)
    used += terminator
    # then zeros to the byte's end: as segno does, a whole byte of them when the bits already
    # end on one (a valid pad; the matrix must be segno's)
    filler = 8 - used % 8
    value <<= terminator + filler
    message = value.to_bytes((used + filler) // 8, "big")[:capacity]
    message += bytes(PADS[i % 2] for i in range(capacity - len(message)))
    return _interleaved(message, version)


def _interleaved(message: bytes, version: int) -> bytes:
    blocks, ec = BLOCKS[version], EC_PER_BLOCK[version]
    short_length = len(message) // blocks
    shorts = blocks - len(message) % blocks
    data_blocks, start = [], 0
    for number in range(blocks):
        length = short_length + (number >= shorts)
        data_blocks.append(message[start : start + length])
        start += length
    out = bytearray()
    for i in range(short_length + 1):
        out += bytes(block[i] for block in data_blocks if i < len(block))
    corrections = [_remainder(block, ec) for block in data_blocks]
    for i in range(ec):
        out += bytes(block[i] for block in corrections)
    return bytes(out)


def _remainder(block: bytes, degree: int) -> bytes:
    """The Reed–Solomon error-correction codewords of a block: the remainder of its division by
    the generator polynomial, a byte at a time through a table of the generator's multiples."""
    multiples = _multiples(degree)
    shift = 8 * (degree - 1)
    full = (1 << 8 * degree) - 1
    remainder = 0
    for byte in block:
        remainder = (remainder << 8 & full) ^ multiples[byte ^ (remainder >> shift)]
    return remainder.to_bytes(degree, "big")


def _gf_tables() -> tuple[list[int], list[int]]:
    """Powers and logarithms of 2 in GF(256) with the QR polynomial x⁸+x⁴+x³+x²+1."""
    exp, log, value = [0] * 512, [0] * 256, 1
    for power in range(255):
        exp[power] = value
        log[value] = power
        value = (value << 1) ^ (0x11D if value & 0x80 else 0)
    for power in range(255, 512):
        exp[power] = exp[power - 255]
    return exp, log


_EXP, _LOG = _gf_tables()


def _times(a: int, b: int) -> int:
    return 0 if a == 0 or b == 0 else _EXP[_LOG[a] + _LOG[b]]


@functools.cache
def _multiples(degree: int) -> tuple[int, ...]:
    """factor × the generator polynomial of `degree` (without its leading 1), as integers of
    `degree` bytes, for every factor."""
    generator = [0] * (degree - 1) + [1]
    root = 1
    for _ in range(degree):
        for j in range(degree):
            generator[j] = _times(generator[j], root)
            if j + 1 < degree:
                generator[j] ^= generator[j + 1]
        root = _times(root, 2)
    return tuple(
        int.from_bytes(bytes(_times(c, factor) for c in generator), "big") for factor in range(256)
    )


# -- the symbol's layout ------------------------------------------------------------------------


class _Layout:
    """A version's fixed parts with a mask: which bit of the codewords each module takes
    (`take`, the zero after the last bit for function modules and remainder bits), the
    modules the mask darkens and the dark function modules, both as one integer."""

    def __init__(self, size: int, take, mask: int, dark: int) -> None:
        self.size, self.take, self.mask, self.dark = size, take, mask, dark


@functools.cache
def _layout(version: int, mask: int) -> _Layout:
    size = 4 * version + 17
    dark, function = _function_patterns(version, size, mask)
    order = _placement(size, function)
    bits = _raw_modules(version) // 8 * 8  # the remainder modules after them take the zero
    source = [bits] * (size * size)
    for number, (x, y) in enumerate(order):
        source[y * size + x] = min(number, bits)
    masked = bytes(
        y * size + x not in function and _MASKS[mask](x, y)
        for y in range(size)
        for x in range(size)
    )
    dark_bytes = bytes(y * size + x in dark for y in range(size) for x in range(size))
    plane = functools.partial(int.from_bytes, byteorder="big")
    return _Layout(size, operator.itemgetter(*source), plane(masked), plane(dark_bytes))


_MASKS = (
    lambda x, y: (x + y) % 2 == 0,
    lambda x, y: y % 2 == 0,
    lambda x, y: x % 3 == 0,
    lambda x, y: (x + y) % 3 == 0,
    lambda x, y: (x // 3 + y // 2) % 2 == 0,
    lambda x, y: x * y % 2 + x * y % 3 == 0,
    lambda x, y: (x * y % 2 + x * y % 3) % 2 == 0,
    lambda x, y: ((x + y) % 2 + x * y % 3) % 2 == 0,
)


def _function_patterns(version: int, size: int, mask: int) -> tuple[set[int], set[int]]:
    """(dark modules, all function modules) as y × size + x: timing, finders with their
    separators, alignment patterns, format and version information, the dark module."""
    modules: dict[tuple[int, int], bool] = {}
    for i in range(size):
        modules[6, i] = modules[i, 6] = i % 2 == 0
    for cx, cy in ((3, 3), (size - 4, 3), (3, size - 4)):
        for dy in range(-4, 5):
            for dx in range(-4, 5):
                if 0 <= cx + dx < size and 0 <= cy + dy < size:
                    modules[cx + dx, cy + dy] = max(abs(dx), abs(dy)) not in (2, 4)
    centres = _alignment_centres(version, size)
    last = len(centres) - 1
    for i, cx in enumerate(centres):
        for j, cy in enumerate(centres):
            if (i, j) not in ((0, 0), (0, last), (last, 0)):
                for dy in range(-2, 3):
                    for dx in range(-2, 3):
                        modules[cx + dx, cy + dy] = max(abs(dx), abs(dy)) != 1
    modules.update(_format_modules(size, mask))
    modules.update(_version_modules(version, size))
    dark = {y * size + x for (x, y), on in modules.items() if on}
    return dark, {y * size + x for x, y in modules}


def _alignment_centres(version: int, size: int) -> list[int]:
    if version == 1:
        return []
    count = version // 7 + 2
    step = (version * 8 + count * 3 + 5) // (count * 4 - 4) * 2
    return [6] + [size - 7 - i * step for i in range(count - 1)][::-1]


def _format_modules(size: int, mask: int) -> dict[tuple[int, int], bool]:
    """Both copies of the 15 format bits (level and mask, BCH-protected), and the dark module."""
    data = LEVEL_M << 3 | mask
    remainder = data
    for _ in range(10):
        remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537)
    bits = (data << 10 | remainder) ^ 0x5412
    bit = [(bits >> i) & 1 == 1 for i in range(15)]
    found = {(8, i): bit[i] for i in range(6)}
    found |= {(8, 7): bit[6], (8, 8): bit[7], (7, 8): bit[8]}
    found |= {(14 - i, 8): bit[i] for i in range(9, 15)}
    found |= {(size - 1 - i, 8): bit[i] for i in range(8)}
    found |= {(8, size - 15 + i): bit[i] for i in range(8, 15)}
    found[8, size - 8] = True
    return found


def _version_modules(version: int, size: int) -> dict[tuple[int, int], bool]:
    """The 18 version bits in both corners, from version 7 on."""
    if version < 7:
        return {}
    remainder = version
    for _ in range(12):
        remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25)
    bits = version << 12 | remainder
    found = {}
    for i in range(18):
        a, b = size - 11 + i % 3, i // 3
        found[a, b] = found[b, a] = (bits >> i) & 1 == 1
    return found


def _placement(size: int, function: set[int]) -> list[tuple[int, int]]:
    """The modules codeword bits fill, in order: two columns at a time from the right,
    up and down in turn, skipping the vertical timing column (ISO/IEC 18004 §7.7.3)."""
    order = []
    for pair in range(size - 1, 0, -2):
        right = pair - 1 if pair <= 6 else pair
        upward = (right + 1) & 2 == 0
        for vert in range(size):
            y = size - 1 - vert if upward else vert
            for x in (right, right - 1):
                if y * size + x not in function:
                    order.append((x, y))
    return order

"""What a name may be made of (docs/data-format.md §2.1「干净的文字」): an allow-list.

Town, grid, category and village names (and former names) are what readers see, on pages,
posters and spreadsheets, so each character must be one a reader sees and tells apart: a CJK
ideograph (the unified ones and their compatibility forms, 〇), an English letter or digit
(half or full width), the marks NAME_MARKS and a space between words. Everything else is
refused by its code (`U+3164`): control and format characters, unassigned code points and
non-characters, fillers and blanks that render as nothing (U+3164, U+115F, U+2800 …),
variation selectors and combining marks, private use, and the letters of other scripts —
Cyrillic `а` and Greek `ο` look like Latin `a` and `o`, and a township's names do not need them.
Linear in the name's length. Imports only unicodedata.
"""

from __future__ import annotations

import unicodedata

NAME_MARKS = "·（）()-—、"
SPACES = " \u3000"  # between words; two names that differ only in spaces are one name
# The blocks of CJK ideographs (unified, extensions A–H, compatibility); within them only
# assigned code points count (unicodedata says Lo).
IDEOGRAPHS = (
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x2A6DF),
    (0x2A700, 0x2EBEF),
    (0x2F800, 0x2FA1F),
    (0x30000, 0x323AF),
)
IDEOGRAPHIC_ZERO = "\u3007"  # 〇, as in 二〇二四
_ASCII = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_FULL_WIDTH = frozenset(chr(ord(c) + 0xFEE0) for c in _ASCII)  # Ａ ａ ０
_ALLOWED = _ASCII | _FULL_WIDTH | frozenset(NAME_MARKS) | frozenset(SPACES) | {IDEOGRAPHIC_ZERO}
ALLOWED_TEXT = "汉字、英文字母、数字、空格和这几个标点：· （ ） ( ) - — 、"


def is_name_character(char: str) -> bool:
    if char in _ALLOWED:
        return True
    code = ord(char)
    return any(low <= code <= high for low, high in IDEOGRAPHS) and (
        unicodedata.category(char) == "Lo"
    )


def foreign_characters(name: str) -> list[str]:
    """The codes (`U+3164`) of the characters a name may not hold, each once, in order."""
    found = dict.fromkeys(f"U+{ord(c):04X}" for c in name if not is_name_character(c))
    return list(found)

"""What a cell shows under an Excel number format code (`0.0`, `0%`, `;;;`, `0"分"` …).

A score read from a workbook must be the number the office sees. `shown_number` renders a
number as Excel does for the formats a score sheet may carry (fixed decimals, thousands
separators, percent, scientific, literal text, empty sections) and says what kind of thing the
cell then shows; a format it cannot render faithfully (fractions, conditions, Chinese numerals)
is `unsupported`, never guessed. `look_of_number` turns that into a verdict: nothing to say, or
a `Look` naming what is shown against what is stored. Imports: the standard library only.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# Excel's built-in formats (ECMA-376 §18.8.30, and the zh-CN ones Excel writes as ids only).
_DATES = {14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47}
_DATES |= set(range(27, 37)) | set(range(50, 59))
BUILTIN = {
    0: "General",
    1: "0",
    2: "0.00",
    3: "#,##0",
    4: "#,##0.00",
    5: '"¥"#,##0;"¥"\\-#,##0',
    6: '"¥"#,##0;[Red]"¥"\\-#,##0',
    7: '"¥"#,##0.00;"¥"\\-#,##0.00',
    8: '"¥"#,##0.00;[Red]"¥"\\-#,##0.00',
    9: "0%",
    10: "0.00%",
    11: "0.00E+00",
    12: "# ?/?",
    13: "# ??/??",
    37: "#,##0 ;(#,##0)",
    38: "#,##0 ;[Red](#,##0)",
    39: "#,##0.00;(#,##0.00)",
    40: "#,##0.00;[Red](#,##0.00)",
    41: '_ * #,##0_ ;_ * \\-#,##0_ ;_ * "-"_ ;_ @_ ',
    42: '_ "¥"* #,##0_ ;_ "¥"* \\-#,##0_ ;_ "¥"* "-"_ ;_ @_ ',
    43: '_ * #,##0.00_ ;_ * \\-#,##0.00_ ;_ * "-"??_ ;_ @_ ',
    44: '_ "¥"* #,##0.00_ ;_ "¥"* \\-#,##0.00_ ;_ "¥"* "-"??_ ;_ @_ ',
    48: "##0.0E+0",
    49: "@",
    **dict.fromkeys(_DATES, "yyyy-mm-dd"),
}
GENERAL = "General"
MAX_CODE = 255  # Excel's own limit on a format code's length
# A format's own font colours ([Red], [白色], [Color2]) as RRGGBB: a white one on a white cell
# hides the number as surely as ;;; does.
_NAMED = {"black": "000000", "blue": "0000FF", "cyan": "00FFFF", "green": "00FF00"}
_NAMED |= {"magenta": "FF00FF", "red": "FF0000", "white": "FFFFFF", "yellow": "FFFF00"}
_NAMED |= {"黑色": "000000", "蓝色": "0000FF", "青色": "00FFFF", "绿色": "00FF00"}
_NAMED |= {"洋红": "FF00FF", "红色": "FF0000", "白色": "FFFFFF", "黄色": "FFFF00"}
_PALETTE = ["000000", "FFFFFF", "FF0000", "00FF00", "0000FF", "FFFF00", "FF00FF", "00FFFF"]
_COLORS = set(_NAMED)
_COLOR_RE = re.compile(r"(?:color|颜色)\s*\d{1,2}", re.IGNORECASE)
_CONDITION_RE = re.compile(r"(<=|>=|<>|<|>|=)\s*-?\d")
_ELAPSED_RE = re.compile(r"(h+|m+|s+)", re.IGNORECASE)
_GENERAL_WORDS = ("general", "g/通用格式", "常规")
_DATE_LETTERS = set("yYmMdDhHsSeEbBgGaA")  # e, b, g: era years; aaa: weekday (zh-CN)
_PLAIN_LITERALS = set(" \u3000分")  # a unit or spaces beside the number: still that number


@dataclass(frozen=True)
class Shown:
    """What a number shows: its text, its kind, and the number the text says (if one)."""

    text: str
    kind: str  # general, number, percent, text (no digits shown), date, unsupported
    number: Decimal | None = None
    literal: str = ""  # the format's own text around the digits


@dataclass(frozen=True)
class Look:
    """A cell whose display is not simply its value: how, what it shows, what it holds."""

    kind: str  # error, uncached, date, percent, differs, hidden, text, unsupported, invisible,
    # zero (a 0 where the sheet does not show zeros)
    shown: str = ""
    value: str = ""
    code: str = ""  # the number format code, when it is the cause


def sections(code: str) -> list[str]:
    """A format code split at its `;`, not inside quotes or brackets or after a backslash."""
    parts, current, quoted, bracket, escaped = [], [], False, False, False
    for char in code:
        if escaped:
            escaped = False
        elif char == "\\" and not quoted:
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == "[" and not quoted:
            bracket = True
        elif char == "]" and not quoted:
            bracket = False
        elif char == ";" and not quoted and not bracket:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


@dataclass
class _Section:
    """One section of a format, tokenised."""

    before: str = ""  # literal text before the first digit placeholder
    after: str = ""  # after the last
    integer: str = ""  # digit placeholders (0 # ?) before the point
    decimals: str = ""  # after the point
    exponent: str = ""  # "+" or "-" for E+ / E-, with `exponent_digits`
    exponent_digits: int = 0
    point: bool = False
    grouping: bool = False  # a comma between integer placeholders
    scaling: int = 0  # commas after the last placeholder: ÷1000 each
    percent: int = 0
    general: bool = False
    text: bool = False  # @
    date: bool = False
    unsupported: str = ""  # why it cannot be rendered faithfully
    inside: bool = False  # literal text between digit placeholders
    colour: str | None = None  # RRGGBB of its [colour]; None: the font's own

    @property
    def digits(self) -> bool:
        return bool(self.integer or self.decimals)


def parse_section(source: str) -> _Section:
    """Tokenise one section of a format code."""
    section, index = _Section(), 0
    while index < len(source):
        index = _token(source, index, section)
    return section


def _token(source: str, index: int, section: _Section) -> int:
    char = source[index]
    lower = source[index:].lower()
    if char == '"':
        end = source.find('"', index + 1)
        end = len(source) if end < 0 else end
        _literal(section, source[index + 1 : end])
        return end + 1
    if char == "\\" or char == "_" or char == "*":
        if char == "\\":
            _literal(section, source[index + 1 : index + 2])
        elif char == "_":
            _literal(section, " ")
        return index + 2
    if char == "[":
        end = source.find("]", index)
        end = len(source) if end < 0 else end
        _bracket(section, source[index + 1 : end])
        return end + 1
    for word in _GENERAL_WORDS:
        if lower.startswith(word):
            section.general = True
            return index + len(word)
    if lower.startswith(("am/pm", "a/p", "上午/下午")):
        section.date = True
        return index + len(lower.split("/")[0]) + 1
    return _placeholder(source, index, section)


def _placeholder(source: str, index: int, section: _Section) -> int:
    char = source[index]
    if char in "0#?":
        section.inside = section.inside or bool(section.after)  # 000"-"0000: not a score
        section.after = ""
        if section.exponent:
            section.exponent_digits += 1
        elif section.point:
            section.decimals += char
        else:
            section.integer += char
    elif char == "." and not section.point and not section.exponent:
        section.point = True
    elif char == ",":
        _comma(source, index, section)
    elif char == "%":
        section.percent += 1
        _literal(section, "%")
    elif char in "eE" and source[index + 1 : index + 2] in ("+", "-") and section.digits:
        section.exponent = source[index + 1]
        return index + 2
    elif char == "@":
        section.text = True
    elif char == "/" and section.digits:
        section.unsupported = "分数格式"
    elif char in _DATE_LETTERS:
        section.date = True
    elif char.isascii() and char.isalpha():
        section.unsupported = f"不认识的格式字符「{char}」"
    else:
        _literal(section, char)
    return index + 1


def _comma(source: str, index: int, section: _Section) -> None:
    following = source[index + 1 :]
    if section.integer and not section.point and following[:1] in ("0", "#", "?"):
        section.grouping = True
    elif section.digits and not section.exponent:
        rest = following.lstrip(",")
        if not any(c in "0#?" for c in rest.split('"')[0]):
            section.scaling += 1
            return
        section.grouping = True


def _literal(section: _Section, text: str) -> None:
    if section.digits or section.general:
        section.after += text
    else:
        section.before += text


def _bracket(section: _Section, inner: str) -> None:
    lower = inner.strip().lower()
    if lower in _COLORS or _COLOR_RE.fullmatch(lower):
        section.colour = _colour_of(lower)
        return
    if inner.startswith("$"):  # [$-804] a locale; [$¥-804] a currency symbol and a locale
        _literal(section, inner[1:].split("-")[0])
    elif _CONDITION_RE.match(inner):
        section.unsupported = "带条件的格式"
    elif _ELAPSED_RE.fullmatch(inner):
        section.date = True
    elif lower.startswith("dbnum"):
        section.unsupported = "中文数字格式"
    else:
        section.unsupported = f"格式「[{inner[:20]}]」"


def _colour_of(name: str) -> str | None:
    if name in _NAMED:
        return _NAMED[name]
    index = int(re.sub(r"\D", "", name))  # [Color2]: the workbook's palette, here the default
    return _PALETTE[index - 1] if 1 <= index <= len(_PALETTE) else None


# -- numbers ------------------------------------------------------------------------------


def shown_number(value: float, code: str) -> Shown:
    """What a cell holding `value` shows under `code`."""
    parts = _parsed(code)
    if not math.isfinite(value) or parts is None:
        return Shown("", "unsupported")
    chosen, sign = _chosen(value, parts)
    shown = _render(abs(value), sign, chosen)
    if value < 0 and not sign and shown.kind == "number" and chosen.before.rstrip()[-1:] == "-":
        # the negative section's own "-" ("0;[Red]-0"): its sign, not a text beside the number
        literal = shown.literal.replace("-", "", 1)
        return Shown(shown.text, shown.kind, -shown.number, literal)
    return shown


def _chosen(value: float, parts: tuple[_Section, ...]) -> tuple[_Section, str]:
    """The section that shows `value`, and the sign it adds."""
    if value > 0 or len(parts) == 1 or (value == 0 and len(parts) == 2):
        return parts[0], "-" if value < 0 else ""
    return (parts[1], "") if value < 0 else (parts[2], "")


def format_colour(value: float, code: str) -> str | None:
    """RRGGBB of the colour `code` gives `value` ([White]0 → FFFFFF); None: the font's own."""
    if code == GENERAL or not code or not math.isfinite(value):
        return None
    parts = _parsed(code)
    return None if parts is None else _chosen(value, parts)[0].colour


@functools.lru_cache(maxsize=256)
def _parsed(code: str) -> tuple[_Section, ...] | None:
    """A code's sections for numbers, tokenised once; None when conditions choose them."""
    if len(code) > MAX_CODE or any(
        _CONDITION_RE.match(b) for b in re.findall(r"\[([^\]]*)\]", code)
    ):
        return None
    return tuple(parse_section(part) for part in sections(code)[:3])


def _render(value: float, sign: str, section: _Section) -> Shown:
    literal = section.before + section.after
    if section.unsupported or section.inside or (section.text and section.digits):
        return Shown("", "unsupported")
    if section.date:
        return Shown("", "date")
    if section.general or (section.text and not section.percent):  # a number under @ too
        text = sign + general_text(value)
        return Shown(section.before + text + section.after, "general", Decimal(text), literal)
    if not section.digits:
        return Shown(literal, "text", literal=literal)
    if section.exponent:
        digits, number = _scientific(value, section)
    else:
        digits, number = _fixed(value, section)
    if not any(char.isdigit() for char in digits):  # 0 under "#": Excel shows nothing
        return Shown(literal, "text", literal=literal)
    text = section.before + sign + digits + section.after
    kind = "percent" if section.percent else "number"
    return Shown(text, kind, -number if sign else number, literal)


def general_text(value: float) -> str:
    """A number as the General format shows it in a wide column: 88.10000000000001 → 88.1."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.9f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def _exact(value: float) -> Decimal:
    """The number Excel computes with: 15 significant digits of the double."""
    return Decimal(f"{value:.15g}")


def _fixed(value: float, section: _Section) -> tuple[str, Decimal]:
    scaled = _exact(value) * Decimal(100) ** section.percent / Decimal(1000) ** section.scaling
    places = len(section.decimals)
    rounded = scaled.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    whole, _, fraction = f"{rounded:f}".partition(".")
    whole = whole.lstrip("0")
    least = section.integer.count("0")
    whole = whole.rjust(least, "0") if least else whole
    if section.grouping and whole:
        whole = f"{int(whole):,}"
    text = whole
    if section.point:
        text += "." + _decimals(fraction, section.decimals)
    return text, rounded  # the number the digits say: 85 for 85000 under "0,"


def _decimals(fraction: str, placeholders: str) -> str:
    """Trailing zeros under # go, under ? become spaces."""
    digits = list(fraction.ljust(len(placeholders), "0"))
    for index in range(len(digits) - 1, -1, -1):
        if digits[index] != "0" or placeholders[index] == "0":
            break
        digits[index] = "" if placeholders[index] == "#" else " "
    return "".join(digits)


def _scientific(value: float, section: _Section) -> tuple[str, Decimal]:
    if len(section.integer) != 1:
        raise _Unsupported
    places = len(section.decimals)
    exponent = 0 if value == 0 else math.floor(math.log10(value))
    mantissa = (_exact(value).scaleb(-exponent)).quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP
    )
    if mantissa >= 10:
        exponent += 1
        mantissa = (mantissa / 10).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if exponent < 0 else ("+" if section.exponent == "+" else "")
    power = str(abs(exponent)).rjust(max(section.exponent_digits, 1), "0")
    return f"{mantissa:f}E{sign}{power}", mantissa.scaleb(exponent)


class _Unsupported(Exception):
    pass


# -- verdicts -----------------------------------------------------------------------------


def look_of_number(value: float, code: str) -> Look | None:
    """None when the cell shows `value` itself; else what it shows instead and why."""
    if code == GENERAL or not code:
        return None
    try:
        shown = shown_number(value, code)
    except (_Unsupported, InvalidOperation, OverflowError, ValueError):
        shown = Shown("", "unsupported")
    held = general_text(value) if math.isfinite(value) else str(value)
    if shown.kind == "general":
        return None if _plain(shown.literal) else Look("text", shown.text, held, code)
    if shown.kind in ("date", "unsupported"):
        return Look(shown.kind, shown.text, held, code)
    if shown.kind == "percent":
        return Look("percent", shown.text.strip(), held, code)
    if shown.kind == "text":
        kind = "hidden" if not shown.text.strip() else "text"
        return Look(kind, shown.text.strip(), held, code)
    if shown.number != _exact(value):
        return Look("differs", shown.text.strip(), held, code)
    if not _plain(shown.literal):
        return Look("text", shown.text.strip(), held, code)
    return None


def _plain(literal: str) -> bool:
    return all(char in _PLAIN_LITERALS for char in literal)


def look_of_text(text: str, code: str) -> Look | None:
    """A text cell under a format whose text section hides or changes it (`;;;`, `"x"@`)."""
    parts = sections(code) if code and len(code) <= MAX_CODE else [""]
    if len(parts) >= 4:
        chosen = parts[3]
    elif len(parts) == 1 and "@" in parts[0]:
        chosen = parts[0]
    else:
        return None
    section = parse_section(chosen)
    shown = section.before + (text + section.after if section.text else "")
    if shown.strip() == text.strip() or not text.strip():
        return None
    kind = "hidden" if not shown.strip() else "text"
    return Look(kind, shown.strip(), text, code)


def shown_text_number(text: str) -> Decimal | None:
    """The number a displayed text says (an .ods cell's text): 92.5, 1,000, 92分; else None."""
    text = text.strip().removesuffix("分").strip()
    if re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", text):
        text = text.replace(",", "")
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        return None
    return Decimal(text)


def look_of_display(value: float, text: str, percent: bool) -> Look | None:
    """A number whose display text is saved beside it (.ods): what it shows, if not itself."""
    held = general_text(value) if math.isfinite(value) else str(value)
    if percent or text.strip().endswith("%"):
        return Look("percent", text.strip(), held)
    if not text.strip():
        return Look("hidden", "", held)
    number = shown_text_number(text)
    if number is None:
        return Look("text", text.strip(), held)
    if not math.isfinite(value) or number != Decimal(held):
        return Look("differs", text.strip(), held)
    return None

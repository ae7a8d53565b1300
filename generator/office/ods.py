"""An .ods file's content.xml, streamed: every table's reach and what its cells show.

calamine reads every table of an .ods when it opens it, where one element may stand for
thousands of repeated rows or cells; so every table is measured here first (scan.py). An .ods
cell saves the text it shows beside its value (`<text:p>92.5%</text:p>`), so a number shown
otherwise than it is needs no format of ours: the two are compared (numfmt.look_of_display).
Also found here: error values, formulas without a result, hidden rows and columns, white on
white (a cell style's colours, or a number style's own colour: styles.xml's too), merged
ranges (which calamine does not give for .ods), and (settings.xml) whether zeros show.
Imports: archive, scan, numfmt.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from generator.load.cells import MAX_COLUMNS
from generator.office.archive import local, parse_member
from generator.office.numfmt import Look, look_of_display
from generator.office.scan import (
    COLLAPSED,
    FILTERED,
    MAX_LOOKS,
    MAX_ROWS,
    MAX_STYLES,
    Scan,
    error_text,
    number,
    too_large,
)

MAX_SHEETS = 1_000
MAX_TEXT = 16 * 1024 * 1024  # characters calamine would copy into repeated cells, per table
_NUMBERS = ("float", "percentage", "currency")
_ERRORS = ("#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "Err:")
_WHITE = "#ffffff"


def scan_ods(path: Path) -> dict[str, Scan]:
    """Every table of content.xml (calamine reads them all at once), with repeats counted."""
    cursor = _OdsCursor()
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
    if "styles.xml" in names:  # the named cell and number styles content.xml's styles use
        parse_member(path, "styles.xml", cursor)
    parse_member(path, "content.xml", cursor, lambda: any(s.far for s in cursor.tables.values()))
    if _zeros_hidden(path):
        for scan in cursor.tables.values():
            scan.zeros_hidden = True
    return cursor.tables


def _zeros_hidden(path: Path) -> bool:
    """settings.xml's ShowZeroValues false, anywhere: LibreOffice shows every sheet's zeros as
    blank (a view's setting and the document's; the text saved beside a 0 still says 0)."""
    with zipfile.ZipFile(path) as archive:
        if "settings.xml" not in archive.namelist():
            return False
    cursor = _SettingsCursor()
    parse_member(path, "settings.xml", cursor, lambda: cursor.hidden)
    return cursor.hidden


@dataclass
class _SettingsCursor:
    item: bool = False  # inside <config:config-item config:name="ShowZeroValues">
    value: str = ""
    hidden: bool = False

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.item = local(name) == "config-item" and any(
            local(key) == "name" and value == "ShowZeroValues" for key, value in attributes.items()
        )
        self.value = ""

    def end(self, name: str) -> None:
        if self.item and self.value.strip().lower() == "false":
            self.hidden = True
        self.item = False

    def text(self, data: str) -> None:
        if self.item and len(self.value) < 10:
            self.value += data


@dataclass
class _Cell:
    """The open cell: its attributes by local name, and its text so far (kept short)."""

    attributes: dict[str, str]
    text: str = ""
    length: int = 0  # all its characters


@dataclass
class _OdsCursor:
    """Rows and cells of OpenDocument tables, where one element may stand for many repeats."""

    tables: dict[str, Scan] = field(default_factory=dict)
    scan: Scan | None = None
    row: int = 0  # rows before the open one
    row_repeat: int = 1
    column: int = 0
    cell: _Cell | None = None
    paragraphs: int = 0  # text:p elements in the open cell
    invisible: set[str] = field(default_factory=set)  # cell styles: white on white
    style: dict[str, str] | None = None  # the open style:style's name and colours
    backgrounds: dict[str, tuple[str, str]] = field(default_factory=dict)  # cell style → its
    # number style (which may give the number a colour) and its background
    colours: _NumberColours = field(default_factory=lambda: _NumberColours())
    column_styles: list[tuple[int, int]] = field(default_factory=list)  # invisible columns
    text_length: int = 0

    def start(self, name: str, attributes: dict[str, str]) -> None:
        tag = local(name)
        attributes = _by_local_name(attributes)
        if tag in ("table-cell", "covered-table-cell"):
            self.cell, self.paragraphs = _Cell(attributes), 0
        elif tag == "p" and self.cell is not None:
            self.paragraphs += 1
            if self.paragraphs > 1:
                self._text("\n")
        elif tag == "table-row":
            self._row(attributes)
        elif tag == "table-column":
            self._column(attributes)
        elif tag == "table":
            self._table(attributes)
        elif tag in _NUMBER_STYLES or self.colours.open is not None:
            self.colours.start(tag, attributes)
        elif tag in ("style", "text-properties", "table-cell-properties"):
            self._style(tag, attributes)

    def _table(self, attributes: dict[str, str]) -> None:
        if len(self.tables) >= MAX_SHEETS:
            raise too_large("表格里的工作表过多，不像评分表")
        self.scan = self.tables.setdefault(attributes.get("name", ""), Scan())
        self.row, self.column, self.column_styles, self.text_length = 0, 0, [], 0

    def _row(self, attributes: dict[str, str]) -> None:
        self.row_repeat = number(attributes.get("number-rows-repeated"), 1)
        self.column = 0
        visibility = attributes.get("visibility", "visible")
        if self.scan is not None and visibility != "visible" and self.row < MAX_ROWS:
            why = FILTERED if visibility == "filter" else COLLAPSED
            last = min(self.row + self.row_repeat, MAX_ROWS)
            self.scan.hidden_rows.add(self.row + 1, last, why)

    def _column(self, attributes: dict[str, str]) -> None:
        repeat = number(attributes.get("number-columns-repeated"), 1)
        last = min(self.column + repeat, MAX_COLUMNS) - 1
        visibility = attributes.get("visibility", "visible")
        if self.scan is not None and visibility != "visible" and self.column < MAX_COLUMNS:
            why = FILTERED if visibility == "filter" else COLLAPSED
            self.scan.hidden_columns.add(self.column, last, why)
        if attributes.get("default-cell-style-name") in self.invisible:
            self.column_styles.append((self.column, last))
        self.column += repeat

    def _style(self, tag: str, attributes: dict[str, str]) -> None:
        if tag == "style":
            if attributes.get("family") == "table-cell":
                self.style = {"name": attributes.get("name", "")}
                self.style["data"] = attributes.get("data-style-name", "")
            return
        if self.style is None:
            return
        if tag == "text-properties" and "color" in attributes:
            self.style["color"] = attributes["color"].lower()
        elif tag == "table-cell-properties" and "background-color" in attributes:
            self.style["background"] = attributes["background-color"].lower()

    def text(self, data: str) -> None:
        if self.cell is not None:
            self._text(data)

    def _text(self, data: str) -> None:
        cell = self.cell
        cell.length += len(data)
        if len(cell.text) < 200:  # enough to compare with the value, and quote
            cell.text += data

    def end(self, name: str) -> None:
        tag = local(name)
        if tag in ("table-cell", "covered-table-cell") and self.cell is not None:
            self._end_cell(self.cell)
            self.cell = None
        elif tag == "table-row":
            self.row += self.row_repeat
        elif tag == "table":
            self.column = 0
        elif tag == "style" and self.style is not None:
            self._end_style(self.style)
            self.style = None
        elif tag in _NUMBER_STYLES:
            self.colours.end()

    def _end_style(self, style: dict[str, str]) -> None:
        background = style.get("background", "transparent")
        background = _WHITE if background == "transparent" else background
        if style.get("data"):  # number styles may come after: looked up at the cells
            if len(self.backgrounds) >= MAX_STYLES:
                raise too_large(f"表格的单元格样式超过 {MAX_STYLES} 种，不像评分表")
            self.backgrounds[style["name"]] = (style["data"], background)
        if style.get("color") == background:
            if len(self.invisible) >= MAX_STYLES:
                raise too_large(f"表格的单元格样式超过 {MAX_STYLES} 种，不像评分表")
            self.invisible.add(style["name"])

    def _end_cell(self, cell: _Cell) -> None:
        attributes, scan = cell.attributes, self.scan
        repeat = number(attributes.get("number-columns-repeated"), 1)
        typed, formula = "value-type" in attributes, "formula" in attributes
        has_text = cell.length > 0
        if scan is not None:
            self._merge(attributes)
        if scan is not None and (typed or has_text or formula):
            scan.reach(self.row + self.row_repeat, self.column + repeat - 1)
            self._copied(cell.length * repeat * self.row_repeat)
            look = self._look(cell, typed, formula)
            if look is not None:
                self._looks(look, repeat)
        self.column += repeat

    def _copied(self, length: int) -> None:
        self.text_length += length
        if self.text_length > MAX_TEXT:
            raise too_large(
                f"工作表里重复的单元格共有超过 {MAX_TEXT // 1024 // 1024}M 个字符，"
                "像是恶意构造的文件，不予读取"
            )

    def _merge(self, attributes: dict[str, str]) -> None:
        rows = number(attributes.get("number-rows-spanned"), 1)
        columns = number(attributes.get("number-columns-spanned"), 1)
        self.scan.merge(self.row + 1, self.column, rows, columns)

    def _look(self, cell: _Cell, typed: bool, formula: bool) -> Look | None:
        attributes, text = cell.attributes, cell.text.strip()
        kind = attributes.get("value-type")
        if attributes.get("calc-value-type") == "error" or (formula and text.startswith(_ERRORS)):
            return Look("error", error_text(text))
        if formula and not typed and not text:
            return Look("uncached")
        style = attributes.get("style-name")
        if kind in _NUMBERS:
            look = _number_look(attributes.get("value", ""), text, kind == "percentage")
            if look is not None:
                return look
            if style in self.backgrounds and self._format_hides(style, attributes["value"]):
                return Look("invisible")  # [White]0 on a white cell
        if style in self.invisible or (style is None and self._invisible_column()):
            return Look("invisible")
        return None

    def _format_hides(self, style: str, value: str) -> bool:
        data, background = self.backgrounds[style]
        return self.colours.colour(data, float(value)) == background

    def _invisible_column(self) -> bool:
        return any(first <= self.column <= last for first, last in self.column_styles)

    def _looks(self, look: Look, repeat: int) -> None:
        """The look of each cell the element stands for, within the bounds (a crafted file
        repeats one cell a million times: the count of looks refuses it)."""
        rows = min(self.row_repeat, MAX_ROWS - self.row, MAX_LOOKS + 1)
        columns = min(repeat, MAX_COLUMNS - self.column, MAX_LOOKS + 1)
        for row in range(self.row + 1, self.row + rows + 1):
            for column in range(self.column, self.column + columns):
                self.scan.look(row, column, look)


_NUMBER_STYLES = ("number-style", "percentage-style", "currency-style")
_CONDITION = re.compile(r"value\(\)\s*(<=|>=|!=|<|>|=)\s*(-?\d+(?:\.\d+)?)")
_COMPARE = {
    "<": float.__lt__,
    "<=": float.__le__,
    ">": float.__gt__,
    ">=": float.__ge__,
    "=": float.__eq__,
    "!=": float.__ne__,
}


@dataclass
class _NumberColours:
    """Number styles that give a number a colour (a format's [White]), with their conditions
    (style:map: another style for a negative number, for zero …)."""

    styles: dict[str, tuple[str | None, list[tuple[str, str]]]] = field(default_factory=dict)
    open: tuple[str, list] | None = None  # the open number style: name, [colour, maps]

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        if tag in _NUMBER_STYLES:
            self.open = (attributes.get("name", ""), [None, []])
        elif tag == "text-properties" and "color" in attributes:
            self.open[1][0] = attributes["color"].lower()
        elif tag == "map" and len(self.open[1][1]) < 3:
            self.open[1][1].append(
                (attributes.get("condition", ""), attributes.get("apply-style-name", ""))
            )

    def end(self) -> None:
        if self.open is None:
            return
        name, (colour, maps) = self.open
        if colour is not None or maps:
            if len(self.styles) >= MAX_STYLES:
                raise too_large(f"表格的数字格式超过 {MAX_STYLES} 种，不像评分表")
            self.styles[name] = (colour, maps)
        self.open = None

    def colour(self, name: str, value: float) -> str | None:
        """The colour the number style `name` gives `value`; None: the cell's font's own."""
        colour, maps = self.styles.get(name, (None, []))
        for condition, applied in maps:
            match = _CONDITION.fullmatch(condition.strip())
            if match is None:
                return None  # a condition not read here: no verdict
            if _COMPARE[match.group(1)](value, float(match.group(2))):
                return self.styles.get(applied, (None, []))[0]
        return colour


def _by_local_name(attributes: dict[str, str]) -> dict[str, str]:
    """Attributes by local name; LibreOffice's own calcext:value-type (which says "error"
    where office:value-type says "string") kept apart as calc-value-type."""
    found = {}
    for key, value in attributes.items():
        name = local(key)
        found["calc-value-type" if name == "value-type" and "calcext" in key else name] = value
    return found


def _number_look(value: str, text: str, percent: bool) -> Look | None:
    try:
        held = float(value)
    except ValueError:
        return Look("unsupported", text, value[:40])
    return look_of_display(held, text, percent)

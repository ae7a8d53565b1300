"""What changed between two versions of a period's files, as the loader reads them.

Pure: bytes in, change records out; `history` finds the versions in git. Cells are compared
after the loader's own cleaning (`read_rows`), by village id (村名 mapped with the
villages.csv of the same version) and category id (town.toml of the same version), so
re-saving in another encoding or reordering rows is no change. Text read from git (commit
messages, author names) is decoded and cleaned here too (`decode_text`, `clean_text`).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from generator import labels, layout
from generator.load.cells import decode, format_points, parse_number, read_rows
from generator.load.tablecheck import split_marks
from generator.load.townfile import parse_town

_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # as the csv module reads them
_ROLES = {"period": "scores", "annual": "scores", "events": "events"}
_HIDDEN = {"Cc", "Cf", "Cs"}  # control, format (bidi overrides, zero-width), lone surrogates


# -- the scores folder's files ----------------------------------------------------------------------


def file_kind(path: str) -> tuple[str, str | None]:
    """("town" | "villages" | "period" | "events" | "annual" | "other", its period or year)."""
    if path == layout.TOWN_FILE:
        return "town", None
    if path == layout.VILLAGES_FILE:
        return "villages", None
    placed = layout.place(path)
    if placed is None:
        return "other", None
    return ("period" if placed.kind == "scores" else placed.kind), placed.key


def town_name(data: bytes | None) -> str | None:
    """town.toml's `town = "…"` value (stripped), or None when absent or unreadable; read
    without the rest of the settings, which an older town.toml may write another way."""
    text = decode(data, layout.TOWN_FILE)[0] if data is not None else None
    try:
        name = tomllib.loads(text).get("town") if text else None
    except (tomllib.TOMLDecodeError, RecursionError):
        return None
    return (name.strip() or None) if isinstance(name, str) else None


def file_role(path: str) -> tuple[str | None, str | None]:
    """(period or year, "scores" | "events") of a period's or a year's own files."""
    kind, period = file_kind(path)
    return period, _ROLES.get(kind)


# -- text from git --------------------------------------------------------------------------------


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Bytes of a commit message or name: UTF-8, the encoding its commit declares, GB18030.

    UTF-8 comes first: GBK bytes of Chinese text almost never read as UTF-8, but UTF-8 bytes
    often read as GBK, and clerks' PCs write GBK with or without an `encoding` header.
    """
    for codec in ("utf-8", declared, "gb18030"):
        if codec:
            try:
                return data.decode(codec)
            except (LookupError, UnicodeError, ValueError):
                continue
    return data.decode("utf-8", "replace")


def clean_text(text: str, lines: bool = True) -> str:
    """`text` without control and format characters (NUL, ESC, bidi overrides, zero-width).

    Line breaks (as "\\n") and tabs stay when `lines`; otherwise they become spaces.
    Noncharacters such as U+FFFF go too: XML (feed.xml, sitemap.xml) does not allow them.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not lines:
        text = text.replace("\n", " ").replace("\t", " ")
    return "".join(c for c in text if c in "\n\t" or _shown(c))


def _shown(char: str) -> bool:
    code = ord(char)
    if 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE:
        return False
    return char.isprintable() or unicodedata.category(char) not in _HIDDEN


# -- change records -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellChange:
    village_id: str
    village: str
    category: str  # category id (the header text when town.toml does not know it)
    category_name: str
    old: str | None  # as cleaned: "85", "92.5"; None for an empty cell (未参评)
    new: str | None

    @property
    def text(self) -> str:
        return f"{self.village} · {self.category_name}：{_blank(self.old)} → {_blank(self.new)}"


@dataclass(frozen=True)
class RowChange:
    village_id: str
    village: str
    added: bool

    @property
    def text(self) -> str:
        return f"{'新增' if self.added else '删除'}一行：{self.village}"


@dataclass(frozen=True)
class ColumnChange:
    category: str
    category_name: str
    added: bool

    @property
    def text(self) -> str:
        return f"{'新增' if self.added else '删除'}一列：{self.category_name}"


@dataclass(frozen=True)
class EventRecord:
    event: str  # as written: 现场会 / 一票否决 / 加分 / 扣分
    category_name: str
    value: str | None
    note: str

    @property
    def text(self) -> str:
        parts = [self.event, self.category_name, self.value or ""]
        return " ".join(p for p in parts if p) + f"（{self.note}）"


@dataclass(frozen=True)
class EventChange:
    village_id: str
    village: str
    old: EventRecord | None  # None: added
    new: EventRecord | None  # None: removed

    @property
    def text(self) -> str:
        if self.old is None:
            return f"新增事件：{self.village} {self.new.text}"
        if self.new is None:
            return f"删除事件：{self.village} {self.old.text}"
        return f"修改事件：{self.village} {self.old.text} → {self.new.text}"


def _blank(value: str | None) -> str:
    return "空" if value is None else value


# -- names as of one version ------------------------------------------------------------------------


@dataclass(frozen=True)
class Names:
    """Village and category names as of one version (villages.csv, town.toml)."""

    key: tuple = ()  # what they were read from; equal keys mean equal names
    village_ids: dict[str, str] = field(default_factory=dict)  # 村名 → 编号
    villages: dict[str, str] = field(default_factory=dict)  # 编号 → 村名
    category_ids: dict[str, str] = field(default_factory=dict)  # name → id
    categories: dict[str, str] = field(default_factory=dict)  # id → name

    def village_id(self, key: str, value: str) -> str:
        return self.village_ids.get(value, value) if key == labels.NAME_COLUMN else value

    def category_id(self, header: str) -> str:
        """A category by its header, which may carry its full marks (党建引领发展（30分））."""
        found = self.category_ids.get(header)
        return found or self.category_ids.get(split_marks(header)[0], header)

    def village(self, village_id: str) -> str:
        return self.villages.get(village_id, village_id)

    def category(self, category_id: str) -> str:
        return self.categories.get(category_id, category_id)


def read_names(villages: bytes | None, town: bytes | None, key: tuple = ()) -> Names:
    """The names in a villages.csv and a town.toml; either may be missing."""
    village_ids = _village_ids(villages) if villages is not None else {}
    parsed = parse_town(town, "town.toml")[0] if town is not None else None
    categories = {c.id: c.name for c in parsed.categories} if parsed else {}
    return Names(
        key,
        village_ids,
        {v: k for k, v in village_ids.items()},
        {v: k for k, v in categories.items()},
        categories,
    )


def _village_ids(data: bytes) -> dict[str, str]:
    rows, _ = read_rows(data, "villages.csv")
    if not rows:
        return {}
    header = rows[0][1]
    if labels.ID_COLUMN not in header or labels.NAME_COLUMN not in header:
        return {}
    i, n = header.index(labels.ID_COLUMN), header.index(labels.NAME_COLUMN)
    return {cells[n]: cells[i] for _, cells in rows[1:]}


# -- reading one version ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sheet:
    """A scores file after the loader's cleaning, keyed by village id and category id."""

    villages: tuple[str, ...]
    columns: tuple[str, ...]
    cells: dict[tuple[str, str], str]  # cleaned text; numbers are normalised when compared


def read_sheet(data: bytes, names: Names) -> Sheet | None:
    """A scores file's cells, or None when it has no rows."""
    rows, _ = read_rows(data, "scores")
    if not rows:
        return None
    header = rows[0][1]
    columns = [
        (i, names.category_id(h))
        for i, h in enumerate(header)
        if i and h and h not in labels.VILLAGE_COLUMNS
    ]
    villages, cells = [], {}
    for _, values in rows[1:]:
        village = names.village_id(header[0], values[0])
        villages.append(village)
        cells.update({(village, category): values[i] for i, category in columns})
    return Sheet(tuple(villages), tuple(c for _, c in columns), cells)


def read_events(data: bytes, names: Names) -> list[tuple] | None:
    """An events file as (village id, event, category id, value, note) tuples, or None."""
    rows, _ = read_rows(data, "events")
    if not rows:
        return None
    header = rows[0][1]
    index = {h: i for i, h in enumerate(header) if h}

    def get(cells: list[str], name: str) -> str:
        return cells[index[name]] if name in index else ""

    return [
        (
            names.village_id(header[0], cells[0]),
            get(cells, "事件"),
            names.category_id(get(cells, "类别")),
            _normal(get(cells, "分值")),
            get(cells, "说明"),
        )
        for _, cells in rows[1:]
    ]


def _normal(text: str) -> str | None:
    if not text:
        return None
    number = parse_number(text)
    return text if number.error else format_points(number.hundredths)


def changed_lines(old: bytes, new: bytes) -> tuple[bytes, bytes] | None:
    """The shared header and each side's lines missing from the other side, as two small CSVs.

    A line found in both files is the same row after cleaning, so only the rest need parsing.
    Only for plain files: no quoted cells, the same header, no empty header cell (the loader
    drops wholly empty columns, which must not depend on which lines are kept).
    """
    texts = [decode(data, "scores")[0] for data in (old, new)]
    if None in texts or any('"' in text for text in texts):
        return None
    old_lines, new_lines = (_LINE_BREAK.split(text.rstrip("\r\n")) for text in texts)
    header = old_lines[0] if old_lines else ""
    if not new_lines or new_lines[0] != header or not all(c.strip() for c in header.split(",")):
        return None
    old_set, new_set = set(old_lines[1:]), set(new_lines[1:])
    gone = [line for line in old_lines[1:] if line not in new_set]
    came = [line for line in new_lines[1:] if line not in old_set]
    return tuple("\n".join([header, *lines]).encode() for lines in (gone, came))


# -- comparing two versions -------------------------------------------------------------------------


def sheet_changes(old: Sheet, new: Sheet, names: Names) -> dict:
    """{"columns", "rows", "cells"}: what changed from `old` to `new`, named as of `names`."""
    columns = [
        ColumnChange(c, names.category(c), True) for c in new.columns if c not in old.columns
    ]
    columns += [
        ColumnChange(c, names.category(c), False) for c in old.columns if c not in new.columns
    ]
    old_villages, new_villages = set(old.villages), set(new.villages)
    rows = [RowChange(v, names.village(v), True) for v in new.villages if v not in old_villages]
    rows += [RowChange(v, names.village(v), False) for v in old.villages if v not in new_villages]
    shared = [c for c in new.columns if c in old.columns]
    pairs = [
        (v, c, _normal(old.cells[(v, c)]), _normal(new.cells[(v, c)]))
        for v in dict.fromkeys(new.villages)
        if v in old_villages
        for c in shared
        if old.cells[(v, c)] != new.cells[(v, c)]
    ]
    cells = [
        CellChange(v, names.village(v), c, names.category(c), a, b)
        for v, c, a, b in pairs
        if a != b
    ]
    return {"columns": tuple(columns), "rows": tuple(rows), "cells": tuple(cells)}


def event_changes(old: list[tuple], new: list[tuple], names: Names) -> tuple[EventChange, ...]:
    """Events compared as multisets; one left on each side with the same key is a change."""
    common = Counter(old) & Counter(new)
    gone, came = list((Counter(old) - common).elements()), list((Counter(new) - common).elements())
    pairs = []
    for record in gone:
        match = next((n for n in came if n[:3] == record[:3]), None)
        if match:
            came.remove(match)
        pairs.append((record, match))
    pairs += [(None, record) for record in came]
    return tuple(
        EventChange(key[0], names.village(key[0]), _event(a, names), _event(b, names))
        for a, b in pairs
        for key in [a or b]
    )


def _event(record: tuple | None, names: Names) -> EventRecord | None:
    if record is None:
        return None
    return EventRecord(record[1], names.category(record[2]), record[3], record[4])

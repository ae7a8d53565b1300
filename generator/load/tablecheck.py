"""Checks shared by the office's table files: headers, the village column, identity columns.

Each check is a generator: it yields Problems and returns what it found (docs/data-format.md §2).
`name` is a file as messages name it (the scores folder as given, then the relative path).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from generator import catalogue, labels
from generator.csvsafe import restore
from generator.load.cells import Table, format_points, read_table
from generator.load.near import NearIndex, suggestions
from generator.load.report import Check
from generator.model import Category, Town, Village, name_key
from generator.problems import quote
from generator.townwords import TownWords

IDENTITY_COLUMNS = labels.VILLAGE_COLUMNS[:3]  # 编号, 村名, 网格


@dataclass
class VillageIndex:
    """The good rows of villages.csv, by id and by name (current and former, as name_key())."""

    villages: list[Village] = field(default_factory=list)
    by_id: dict[str, Village] = field(default_factory=dict)
    by_name: dict[str, Village] = field(default_factory=dict)
    bad_keys: set[str] = field(default_factory=set)  # ids and names of rows with problems
    by_folded_id: dict[str, Village] = field(default_factory=dict)  # id.lower(): URLs

    def add(self, village: Village) -> None:
        self.villages.append(village)
        self.by_id[village.id] = village
        self.by_name[name_key(village.name)] = village
        self.by_folded_id[village.id.lower()] = village


@dataclass(frozen=True)
class Context:
    """What every scores or events file is checked against: the town and its villages."""

    prefix: str  # the scores folder as messages name it
    town: Town
    index: VillageIndex

    def name(self, relative: str) -> str:
        return f"{self.prefix}/{relative}"

    @functools.cached_property
    def words(self) -> TownWords:
        """本乡, 村 or 社区 …: how messages name the town and its members."""
        return TownWords.of(self.town.town, self.town.kind, (v.name for v in self.index.villages))

    def near_village(self, key: str, value: str) -> Village | None:
        """The one village a misspelt 村名 (or 编号) stands for, among all villages."""
        index = self._near_names if key == labels.NAME_COLUMN else self._near_ids
        found = index.near(value)
        return next(iter(found)) if len(found) == 1 else None

    @functools.cached_property
    def _near_names(self) -> NearIndex:
        return NearIndex(village_names(self.index.villages, labels.NAME_COLUMN))

    @functools.cached_property
    def _near_ids(self) -> NearIndex:
        return NearIndex(village_names(self.index.villages, labels.ID_COLUMN))


def village_names(villages, key: str) -> dict[str, Village]:
    """What a file's first column may say of each village: its 编号, or its names (current and
    former) when the file names villages by 村名."""
    if key != labels.NAME_COLUMN:
        return {v.id: v for v in villages}
    return {name: v for v in villages for name in (*v.former_names, v.name)}


# A category's header with its full marks, as the blank forms write it: 党建引领发展（30分）;
# also （满分30）, (30分) and 【30分】.
_MARKS_RE = re.compile(
    r"^(?P<name>.+?)\s*[(（【\[]\s*(?:满分)?\s*(?P<marks>\d{1,4}(?:\.\d{1,2})?)\s*分?\s*[)）】\]]$"
)


def marks_header(category: Category) -> str:
    """The header of a category's column in a blank form: its name and full marks."""
    return f"{category.name}（{format_points(category.full_hundredths)}分）"


def split_marks(header: str) -> tuple[str, str | None]:
    """'党建引领发展（30分）' → ('党建引领发展', '30'); a header without marks → (header, None)."""
    match = _MARKS_RE.match(header)
    return (match["name"], match["marks"]) if match else (header, None)


def header_category(town: Town, header: str) -> tuple[Category | None, str | None]:
    """The category a header names, as written or with its full marks, and the marks written."""
    category = town.category_by_name(header)
    if category is not None:
        return category, None
    name, marks = split_marks(header)
    return (town.category_by_name(name), marks) if marks else (None, None)


def near_categories(table: Table, town: Town) -> dict[str, Category]:
    """Headers that name no category → the one category each stands for (misspelt), among
    those that have no column."""
    present = {c.id for h in table.header if (c := header_category(town, h)[0])}
    unknown = [
        h
        for h in table.header[1:]
        if h and h not in IDENTITY_COLUMNS and header_category(town, h)[0] is None
    ]
    candidates = {c.name: c for c in town.categories if c.id not in present}
    return suggestions(unknown, candidates) if unknown and candidates else {}


def read(data: bytes, name: str) -> Check[Table | None]:
    table, problems = read_table(data, name)
    yield from problems
    return table


def fixed_columns(
    name: str,
    table: Table,
    known: tuple[str, ...],
    required: tuple[str, ...],
    expected: str,
    first: dict[str, int] | None = None,
) -> Check[dict[str, int] | None]:
    """Header → column index for a file with a fixed set of columns; None if one is missing."""
    index = dict(first or {})
    for i, header in enumerate(table.header[len(index) :], start=len(index)):
        label = table.column_label(i)
        if header not in known:
            yield catalogue.UNKNOWN_COLUMN.at(name, table.header_row, label, expected=expected)
        elif header in index:
            yield catalogue.DUPLICATE_COLUMN.at(name, table.header_row, label)
        else:
            index[header] = i
    missing = [header for header in required if header not in index]
    for header in missing:
        yield catalogue.MISSING_COLUMN.at(
            name, table.header_row, header, header=header, expected=expected
        )
    return None if missing else index


def key_column(name: str, table: Table) -> Check[str | None]:
    key = table.header[0] if table.header else ""
    if key not in (labels.NAME_COLUMN, labels.ID_COLUMN):
        yield catalogue.BAD_FIRST_COLUMN.at(name, table.header_row, table.column_label(0))
        return None
    return key


def category_columns(
    name: str, table: Table, town: Town, key: str, allowed: Callable[[Category], str | None]
) -> Check[list[tuple[int, Category]]]:
    """Map headers to categories; `allowed(category)` returns a problem text or None."""
    columns: list[tuple[int, Category]] = []
    seen: set[str] = set()
    near = near_categories(table, town)
    for i, header in enumerate(table.header[1:], start=1):
        label = table.column_label(i)
        category, marks = header_category(town, header)
        if header in seen or (category and category.id in {c.id for _, c in columns}):
            yield catalogue.DUPLICATE_COLUMN.at(name, table.header_row, label)
        elif header in IDENTITY_COLUMNS and header != key:
            pass  # an extra 编号/村名/网格 column helps the clerk; checked row by row
        elif category is None and header in near:
            lacks = f"表里没有「{near[header].name}」列。"
            yield catalogue.UNKNOWN_CATEGORY_NEAR.at(
                name,
                table.header_row,
                label,
                value=quote(header),
                near=near[header].name,
                lacks=lacks,
            )
        elif category is None:
            names = "、".join(c.name for c in town.categories[:20])
            what = "没有表头" if not header else "不是评比项目"
            yield catalogue.UNKNOWN_CATEGORY_COLUMN.at(
                name, table.header_row, label, what=what, names=names
            )
        elif marks is not None and _marks_differ(marks, category):
            full = format_points(category.full_hundredths)
            yield catalogue.MARKS_MISMATCH.at(
                name,
                table.header_row,
                label,
                written=marks,
                name=category.name,
                full=full,
                header=marks_header(category),
            )
        elif reason := allowed(category):
            yield catalogue.COLUMN_NOT_ALLOWED.at(name, table.header_row, label, reason=reason)
        else:
            columns.append((i, category))
        seen.add(header)
    return columns


def _marks_differ(marks: str, category: Category) -> bool:
    return round(float(marks) * 100) != category.full_hundredths


def find_village(
    name: str,
    row: int,
    key: str,
    value: str,
    seen: dict[str, int],
    context: Context,
    near: bool = False,
) -> Check[Village | None]:
    """The village a row names (None if it names none, or one already seen); `near`: when it
    names none, say which village a misspelt name stands for, if one does."""
    index = context.index
    lookup = village_key(key == labels.NAME_COLUMN, value)
    village = (index.by_name if key == labels.NAME_COLUMN else index.by_id).get(lookup)
    if not value:
        yield catalogue.EMPTY_VILLAGE.at(name, row, key, key=key)
    elif village is None and lookup in index.bad_keys:
        pass  # its villages.csv row has a problem of its own
    elif village is None:
        guess = context.near_village(key, value) if near else None
        yield unknown_village(context, name, row, key, value, guess)
    elif village.id in seen:
        yield catalogue.DUPLICATE_VILLAGE.at(
            name, row, key, value=quote(value), first=seen[village.id]
        )
        return None
    else:
        seen[village.id] = row
    return village


def unknown_village(
    context: Context, name: str, row: int, key: str, value: str, guess: Village | None, lacks=""
):
    """「青石材」不是本乡的村, with the village it likely means when one is near."""
    words = context.words
    fields = {"value": quote(value), "key": key, "own": words.own, "member": words.member}
    if guess is None:
        return catalogue.UNKNOWN_VILLAGE.at(name, row, key, **fields)
    near = guess.name if key == labels.NAME_COLUMN else f"{guess.id}"
    return catalogue.UNKNOWN_VILLAGE_NEAR.at(name, row, key, near=near, lacks=lacks, **fields)


def identity_columns(table: Table) -> list[int]:
    """Columns after the first headed 编号, 村名 or 网格: checked against villages.csv."""
    return [i for i, h in enumerate(table.header[1:], start=1) if h in IDENTITY_COLUMNS]


def check_identity(
    name: str, table: Table, row: int, cells: list[str], village: Village, town: Town
) -> Check[None]:
    """Extra 编号/村名/网格 columns, when present, must agree with villages.csv."""
    expected = {labels.ID_COLUMN: village.id, labels.NAME_COLUMN: village.name}
    for i in identity_columns(table):
        header, value = table.header[i], cells[i]
        if not value:
            continue
        if header == labels.GRID_COLUMN:
            grid = town.grid_by_key(value)
            if grid is None or grid.id != village.grid:
                yield catalogue.GRID_MISMATCH.at(name, row, header, value=quote(value))
        elif _key(header, value) not in _known(header, expected[header], village):
            yield catalogue.ID_NAME_MISMATCH.at(
                name, row, header, value=quote(value), header=header, expected=expected[header]
            )


def missing_villages(
    name: str, key: str, seen: dict, villages: list[Village], active, when: str
) -> Check[None]:
    for village in villages:
        if active(village) and village.id not in seen:
            label = village.name if key == labels.NAME_COLUMN else village.id
            yield catalogue.MISSING_VILLAGE.at(name, None, key, label=label, when=when)


def _known(header: str, expected: str, village: Village) -> set[str]:
    """What a 编号 or 村名 cell may say of `village`: its id, or its name or a former name."""
    if header != labels.NAME_COLUMN:
        return {expected}
    return {name_key(n) for n in (village.name, *village.former_names)}


def _key(header: str, value: str) -> str:
    return village_key(header == labels.NAME_COLUMN, value)


def village_key(by_name: bool, value: str) -> str:
    """How a 村名 or 编号 cell is looked up: a name by name_key(), an id as written (less the
    apostrophe that made it formula-safe in a published copy: csvsafe.py)."""
    return name_key(value) if by_name else restore(value)

"""Check villages.csv against town.toml: the index of good village rows, and every problem.

A bad row does not hide the scores files' problems: they are checked against the good rows,
and the bad rows' ids and names are remembered so that no file calls them "unknown".
"""

from __future__ import annotations

from generator import catalogue, csvsafe, labels, names, routes
from generator.load.cells import Table
from generator.load.report import Check
from generator.load.tablecheck import VillageIndex, fixed_columns, read
from generator.model import VILLAGE_ID_RE, Town, Village, name_key
from generator.periods import is_month
from generator.problems import Problem, quote

MAX_ID_CHARS = 64  # 编号 goes into URLs; the 12-digit division code fits with room
MAX_NAME_CHARS = 100
EXPECTED = "villages.csv 的表头应为：编号、村名、网格（可再加起始月份、终止月份、曾用名）"


def check_villages(data: bytes, name: str, town: Town | None) -> Check[VillageIndex]:
    index = VillageIndex()
    table = yield from read(data, name)
    if table is None:
        return index
    columns = yield from fixed_columns(
        name, table, labels.VILLAGE_COLUMNS, labels.VILLAGE_COLUMNS[:3], EXPECTED
    )
    if columns is None:
        return index
    rows = yield from _rows(name, table, columns, town, index)
    yield from _former_names(name, rows, index)
    return index


def _rows(
    name: str, table: Table, columns: dict[str, int], town: Town | None, index: VillageIndex
) -> Check[list[int]]:
    rows = []
    for row, cells in table.rows:
        values = {header: csvsafe.restore(cells[i]) for header, i in columns.items()}
        problems = _village_problems(name, row, values, town, index)
        yield from problems
        if problems:  # the scores files may name it: not "unknown", only unchecked
            index.bad_keys |= {values["编号"], name_key(values["村名"])} - {""}
        else:
            index.add(_village(values, town))
            rows.append(row)
    return rows


def _former_names(name: str, rows: list[int], index: VillageIndex) -> Check[None]:
    """A former name may be no village's name nor another former name; files may use it."""
    current = dict(index.by_name)
    for row, village in zip(rows, list(index.villages), strict=True):
        for former in village.former_names:
            key = name_key(former)
            other = current.get(key) or index.by_name.get(key)
            if other is not None:
                what = "现用名" if current.get(key) else "曾用名"
                yield catalogue.DUPLICATE_FORMER_NAME.at(
                    name,
                    row,
                    labels.FORMER_COLUMN,
                    value=quote(former),
                    other=other.name,
                    what=what,
                )
                index.bad_keys.add(key)
            else:
                index.by_name[key] = village


def _village_problems(
    name: str, row: int, values: dict[str, str], town: Town | None, index: VillageIndex
) -> list[Problem]:
    def at(problem_type, column: str, **fields) -> Problem:
        return problem_type.at(name, row, column, **fields)

    found = [*_id_problems(values["编号"], index, at), *_name_problems(values["村名"], index, at)]
    grid_key = values["网格"]
    if town and town.grid_by_key(grid_key) is None:
        known = "、".join(g.name for g in town.grids[:20])
        more = " 等" if len(town.grids) > 20 else ""
        found.append(
            at(catalogue.UNKNOWN_GRID, "网格", value=quote(grid_key), known=known, more=more)
        )
    start, end = values.get("起始月份", ""), values.get("终止月份", "")
    for column, month in (("起始月份", start), ("终止月份", end)):
        if month and not is_month(month):
            found.append(at(catalogue.BAD_MONTH, column, value=quote(month)))
    former = _former_list(values.get(labels.FORMER_COLUMN, ""), values["村名"])
    found += _former_problems(former, at)
    if not found and start and end and start > end:
        found.append(at(catalogue.BAD_MONTH_ORDER, "终止月份", start=start, end=end))
    return found


def _id_problems(village_id: str, index: VillageIndex, at):
    if not VILLAGE_ID_RE.match(village_id) or len(village_id) > MAX_ID_CHARS:
        yield at(catalogue.BAD_ID, "编号", value=quote(village_id), limit=MAX_ID_CHARS)
    elif village_id in index.by_id:
        yield at(catalogue.DUPLICATE_ID, "编号", value=village_id)
    elif routes.is_site_name(village_id):
        yield at(catalogue.RESERVED_ID, "编号", value=village_id, names=routes.SHOWN_NAMES)
    elif other := index.by_folded_id.get(village_id.lower()):
        yield at(catalogue.DUPLICATE_ID_CASE, "编号", value=village_id, other=other.id)


def _name_problems(name: str, index: VillageIndex, at):
    if not name:
        yield at(catalogue.MISSING_NAME, "村名")
    elif foreign := names.foreign_characters(name):
        yield _foreign(at, "村名", name, foreign)
    elif len(name) > MAX_NAME_CHARS:
        yield at(catalogue.NAME_TOO_LONG, "村名", limit=MAX_NAME_CHARS)
    elif name_key(name) in index.by_name:
        other = index.by_name[name_key(name)].name
        same = "" if other == name else f"（与「{quote(other)}」只差空格或全角/半角，算同一个名称）"
        yield at(catalogue.DUPLICATE_NAME, "村名", value=quote(name), same=same)


def _former_list(text: str, name: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(n.strip() for n in text.split(labels.FORMER_SEPARATOR)))
    return tuple(n for n in names if n and name_key(n) != name_key(name))


def _former_problems(former: tuple[str, ...], at):
    for name in former:
        if foreign := names.foreign_characters(name):
            yield _foreign(at, labels.FORMER_COLUMN, name, foreign)
        elif len(name) > MAX_NAME_CHARS:
            yield at(catalogue.FORMER_NAME_TOO_LONG, labels.FORMER_COLUMN, limit=MAX_NAME_CHARS)


def _foreign(at, column: str, name: str, codes: list[str]) -> Problem:
    return at(
        catalogue.NAME_CHARACTERS,
        column,
        value=quote(name),
        codes=unsafe_codes(codes),
        allowed=names.ALLOWED_TEXT,
    )


def _village(values: dict[str, str], town: Town | None) -> Village:
    grid_key = values["网格"]
    grid = town.grid_by_key(grid_key) if town else None
    name = values["村名"]
    return Village(
        id=values["编号"],
        name=name,
        grid=grid.id if grid else grid_key,
        start=values.get("起始月份", "") or None,
        end=values.get("终止月份", "") or None,
        former_names=_former_list(values.get(labels.FORMER_COLUMN, ""), name),
    )


def unsafe_codes(codes: list[str]) -> str:
    """The first few character codes (`U+200B U+202E`) that a message names."""
    return " ".join(codes[:5])

"""Checks of a period's scores file and a year's annual file (docs/data-format.md §2, §2.1).

Rows are matched to villages one by one (a few hundred per file); the score cells are parsed
and checked as one block (scores.py), and a file's problems come row by row, in the order
the clerk reads them, made only as far as they can be listed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from generator import catalogue, labels
from generator.load import scores
from generator.load.cells import NOT_EVALUATED, Table
from generator.load.near import suggestions
from generator.load.report import Check, Unlisted, collect, tallied
from generator.load.tablecheck import (
    Context,
    category_columns,
    check_identity,
    find_village,
    header_category,
    identity_columns,
    key_column,
    missing_villages,
    near_categories,
    read,
    unknown_village,
    village_key,
    village_names,
)
from generator.model import Category, Village
from generator.periods import december, year_of
from generator.problems import PER_FILE, Problem, ProblemType, quote

_MARKERS = np.array(sorted(NOT_EVALUATED), dtype=object)


@dataclass(frozen=True)
class FileScores:
    """One file's cells, village by village and column by column; `missing`: 未参评 or bad."""

    key: str  # the period (YYYY-MM), or the year of an annual file
    categories: tuple[str, ...]  # its category columns' ids, in order
    village_ids: np.ndarray  # object, one per cell
    category_ids: np.ndarray  # object, one per cell
    hundredths: np.ndarray  # int64
    missing: np.ndarray  # bool

    @property
    def scored(self) -> int:
        return int((~self.missing).sum())


@dataclass(frozen=True)
class _Kind:
    """What differs between a period's file and a year's annual file."""

    key: str
    active: Callable[[Village], bool]
    inactive: str  # what a row of an inactive village is told
    allowed: Callable[[Category], str | None]  # why a category may not have a column, or None
    before: list[Problem]  # the file's problems found before it is read
    more_columns: Callable  # (context, name, table, kind, columns, count) → problems
    all_villages: bool  # every active village must have a row
    blank: ProblemType


def check_period(context: Context, month: str, relative: str, data: bytes) -> Check:
    """A month's scores file → its FileScores (None when it cannot be read at all)."""
    name = context.name(relative)
    before = []
    if context.town.rule_for(month) is None:
        first = min(r.from_ for r in context.town.rules)
        before.append(catalogue.NO_RULE_VERSION.at(name, month=month, first=first))

    def allowed(category: Category) -> str | None:
        if category.kind == "annual":
            return f"「{category.name}」是年度评比项目，请填在 {year_of(month)}-annual.csv 中"
        if not category.in_force(month):
            return (
                f"「{category.name}」在 {month} 不评比（见 town.toml 的 from/until），请删除这一列"
            )
        return None

    inactive = f"在 {month} 不在评比范围内（见 villages.csv 的起始/终止月份）"
    kind = _Kind(
        month,
        lambda v: v.active_in(month),
        inactive,
        allowed,
        before,
        _missing_monthly,
        True,
        catalogue.BLANK_PERIOD,
    )
    return (yield from _scores_file(context, name, data, kind))


def check_annual(context: Context, year: str, relative: str, data: bytes) -> Check:
    """A year's annual file → its FileScores; a blank one is only a warning."""
    name = context.name(relative)
    before = []
    if context.town.rule_for(december(year)) is None:
        before.append(catalogue.NO_RULE_VERSION_YEAR.at(name, year=year))

    def allowed(category: Category) -> str | None:
        if category.kind != "annual":
            return f"「{category.name}」是每月评比项目，请填在当月的评分文件中"
        if not category.in_force_in_year(year):
            return (
                f"「{category.name}」在 {year} 年不评比（见 town.toml 的 from/until），请删除这一列"
            )
        return None

    kind = _Kind(
        year,
        lambda v: v.active_in_year(year),
        f"在 {year} 年不在评比范围内",
        allowed,
        before,
        _no_annual_column,
        False,
        catalogue.BLANK_ANNUAL,
    )
    return (yield from _scores_file(context, name, data, kind))


def _missing_monthly(context: Context, name: str, table: Table, kind: _Kind, columns, count):
    """A monthly category without a column; not when a column is headed with it (said to be
    wrong there) or with a misspelling of it (said there too)."""
    town = context.town
    headed = {c.id for h in table.header if (c := header_category(town, h)[0])}
    headed |= {c.id for c in near_categories(table, town).values()}
    return [
        catalogue.MISSING_MONTHLY_COLUMN.at(name, table.header_row, c.name, name=c.name)
        for c in town.categories
        if c.kind == "monthly" and c.in_force(kind.key) and c.id not in headed
    ]


def _no_annual_column(context: Context, name: str, table: Table, kind: _Kind, columns, count):
    if columns or count:
        return []
    return [catalogue.MISSING_ANNUAL_COLUMN.at(name, table.header_row)]


def _scores_file(context: Context, name: str, data: bytes, kind: _Kind) -> Check:
    yield from kind.before
    table = yield from read(data, name)
    key = (yield from key_column(name, table)) if table else None
    if key is None:
        return None
    head, columns = collect(category_columns(name, table, context.town, key, kind.allowed))
    head += kind.more_columns(context, name, table, kind, columns, len(kind.before) + len(head))
    yield from head
    count = len(kind.before) + len(head)  # listed before the rows: the rows get what is left
    rows = _rows(context, name, table, key, columns, kind, PER_FILE - count)
    (seen, found), in_rows = yield from tallied(rows)
    count += in_rows
    if kind.all_villages:
        villages = context.index.villages
        _, missing = yield from tallied(
            missing_villages(name, key, seen, villages, kind.active, kind.key)
        )
        count += missing
    if found.scored == 0 and count == 0:
        yield kind.blank.at(name, table.header_row)
    return found


def _rows(context: Context, name: str, table: Table, key: str, columns, kind: _Kind, budget: int):
    """Match each row to its village and check its cells; return (villages seen, FileScores)."""
    seen: dict[str, int] = {}
    row_problems: dict[int, list] = {}
    unknown: dict[int, str] = {}  # row position → a name that is no village's
    kept: list[int] = []
    kept_ids: list[str] = []
    id_columns = identity_columns(table)
    index = context.index
    by_name = key == labels.NAME_COLUMN
    known = index.by_name if by_name else index.by_id
    active = {v.id for v in index.villages if kind.active(v)}
    for position, (row, cells) in enumerate(table.rows):
        value = cells[0]
        village = known.get(village_key(by_name, value)) if value else None
        if village is None or village.id in seen:  # find_village says what is wrong
            found, village = collect(find_village(name, row, key, value, seen, context))
            if village is None and any(p.code == "unknown_village" for p in found):
                unknown[position] = value
        else:
            found = []
            seen[village.id] = row
        if village is not None:
            if village.id not in active:
                found.append(
                    catalogue.INACTIVE_VILLAGE.at(
                        name, row, key, value=quote(cells[0]), inactive=kind.inactive
                    )
                )
            if id_columns:
                found += collect(check_identity(name, table, row, cells, village, context.town))[0]
            kept.append(position)
            kept_ids.append(village.id)
        if found:
            row_problems[position] = found
    if unknown:
        _near_villages(context, name, table, key, kind, seen, unknown, row_problems)
    block = _block(table, kept, columns)
    yield from _in_order(name, table, row_problems, kept, block, columns, budget)
    return seen, _file_scores(kind.key, columns, kept_ids, block)


def _near_villages(
    context: Context, name: str, table: Table, key: str, kind: _Kind, seen, unknown, problems
) -> None:
    """A misspelt village and the missing row it stands for, said once: its row's problem
    names the village (「青石材」不是本乡的村，是不是「青石村」？), which is then not missing."""
    absent = [v for v in context.index.villages if kind.active(v) and v.id not in seen]
    guesses = suggestions(unknown.values(), village_names(absent, key))
    for position, value in unknown.items():
        village = guesses.get(value)
        if village is None:
            continue
        row = table.rows[position][0]
        label = f"「{village.name}」"
        if key != labels.NAME_COLUMN:
            label = f"「{village.id}」（{village.name}）"
        lacks = f"表里没有{label}这一行。"
        problem = unknown_village(context, name, row, key, value, village, lacks)
        problems[position] = [
            problem if p.code == "unknown_village" else p for p in problems[position]
        ]
        seen[village.id] = row


def _block(table: Table, kept: list[int], columns) -> scores.Block:
    width = len(table.header)
    grid = np.array([cells for _, cells in table.rows], dtype=object).reshape(-1, width)
    texts = grid[np.ix_(np.asarray(kept, dtype=np.intp), [i for i, _ in columns])]
    texts[np.isin(texts, _MARKERS)] = ""  # 未参评, 缺考, "/", "-", "—": a blank cell
    full = np.array([c.full_hundredths for _, c in columns], dtype=np.int64)
    return scores.parse_block(texts, full)


def _in_order(name, table: Table, row_problems: dict, kept: list[int], block, columns, budget):
    """Each row's own problems, then its cells', row by row; past `budget`, only counted."""
    fail_rows, fail_columns = scores.failures(block)
    starts = np.searchsorted(fail_rows, np.arange(len(kept) + 1))
    kept_of = {position: k for k, position in enumerate(kept)}
    failing = {kept[k] for k in np.unique(fail_rows).tolist()}
    labels = [table.column_label(i) for i, _ in columns]
    total = sum(map(len, row_problems.values())) + len(fail_rows)
    made = 0
    for position in sorted(failing | set(row_problems)):
        row = table.rows[position][0]
        k = kept_of.get(position)
        cells = range(starts[k], starts[k + 1]) if k is not None else range(0)
        for problem in row_problems.get(position, []):
            if made >= budget:
                yield Unlisted(name, total - made)
                return
            made += 1
            yield problem
        for j in cells:
            if made >= budget:
                yield Unlisted(name, total - made)
                return
            made += 1
            r, c = fail_rows[j], fail_columns[j]
            status, text = int(block.status[r, c]), block.texts[r, c]
            yield scores.cell_problem(name, row, labels[c], text, status, columns[c][1].full_marks)


def _file_scores(key: str, columns, kept_ids: list[str], block: scores.Block) -> FileScores:
    categories = tuple(c.id for _, c in columns)
    ids = np.array(kept_ids, dtype=object)
    return FileScores(
        key=key,
        categories=categories,
        village_ids=np.repeat(ids, len(categories)),
        category_ids=np.tile(np.array(categories, dtype=object), len(kept_ids)),
        hundredths=block.hundredths.ravel(),
        missing=~block.scored.ravel(),
    )

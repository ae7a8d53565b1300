"""Changed outcomes: the rules recomputed with a corrected period's first published files.

Pure: files in, `OutcomeChange`s out; `history` reads the first published files from git.
Only the period's own files are put back (all other files as now), so every difference is
caused by that period's corrections, and later periods whose chains changed are found too.

Another period's results count as changed by a correction only if that period had been
published before it (`Published`, worked out by `history` in commit order, never by dates):
each is compared against the corrected period's files as they stood when it was first
published, and periods first published after the last correction are left out of the
comparison, since they never stood beside the uncorrected files.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection
from dataclasses import dataclass

import pandas as pd

from generator import labels
from generator.history.changes import Names, file_kind, file_role
from generator.load.dataset import Dataset
from generator.load.loader import load_files
from generator.periods import december, is_year, year_of
from generator.problems import InvalidData
from generator.rules import Results, compute

Files = dict[str, bytes]  # path inside the scores folder → content


@dataclass(frozen=True)
class OutcomeChange:
    """A difference in the computed results: first published data vs now."""

    period: str  # "YYYY-MM", or "YYYY" for yearly actions and annual flags
    kind: str  # "flag" | "money" | "action"
    village_id: str
    village: str
    item: str | None  # category id (flag), action id (action), None (money)
    label: str  # category name, action name, or 奖罚
    old: str | None  # 红旗 / 黄旗 / 无; net 元; action reason; None = not there
    new: str | None
    text: str


@dataclass(frozen=True)
class PeriodOutcomes:
    """What a period's corrections changed: its own results, other periods', or why unknown."""

    outcome: tuple[OutcomeChange, ...] = ()
    later: tuple[OutcomeChange, ...] = ()
    note: str | None = None  # Chinese: why outcomes could not be compared


def window(files: Files, period: str) -> Files:
    """The files the rules need to decide `period`'s effects: its year and both neighbours.

    The rules reach one calendar year and the periods next to it (docs/data-format.md §4).
    """
    year = year_of(period)
    months = sorted({k[1] for k in map(file_kind, files) if k[0] == "period"})
    before = [m for m in months if m < f"{year}-01"][-1:]
    after = [m for m in months if m > december(year)][:1]
    keep = set(before + after)

    def wanted(path: str) -> bool:
        kind, key = file_kind(path)
        if kind in ("period", "events"):
            return year_of(key) == year or key in keep
        return kind != "annual" or key == year

    return {p: d for p, d in files.items() if wanted(p)}


@dataclass(frozen=True)
class Published:
    """The other periods as a corrected period's corrections found them.

    `before`: each period ("YYYY-MM") or year ("YYYY") first published before the last
    correction and not already showing it → the corrected period's files as they were then.
    `after`: periods whose files were first published at or after the last correction.
    """

    before: dict[str, Files]
    after: frozenset[str] = frozenset()


class Outcomes:
    """Today's files against each corrected period's first published ones.

    Each comparison loads only the window around the period, and each distinct set of files
    is computed once, so periods sharing a year share today's results.
    """

    def __init__(self, current: Files, window: Callable[[Files, str], Files] = window):
        self.current = current
        self.window = window
        self.results: dict[str, tuple[Dataset, Results]] = {}

    def changed_by(
        self, period: str, first: Files, published: Published | None = None
    ) -> PeriodOutcomes:
        """What putting back `first` (the period's files as first published) changes.

        With `published`, other periods' changes are only those of periods published before
        the corrections, each against what it was published with (see `Published`).
        """
        if first == _period_files(self.current, period):
            return PeriodOutcomes()  # corrected and corrected back: nothing changed
        then = {**_without(self.current, period), **first}
        try:
            after = self._compute(self.window(self.current, period))
        except InvalidData:
            return PeriodOutcomes(note="现在的评分数据没有通过校验，无法比较结果")
        try:
            before = self._compute(self.window(then, period))
        except InvalidData:
            return PeriodOutcomes(note="首次发布的数据与现在的村名单或规则不一致，无法单独重算")
        changes = outcome_changes(before[1], after[1], _names(after[0]))
        later = [c for c in changes if c.period != period]
        if published is not None:
            later = self._later(period, first, published, later)
        return PeriodOutcomes(
            outcome=tuple(c for c in changes if c.period == period), later=tuple(later)
        )

    def _later(
        self, period: str, first: Files, published: Published, changes: list[OutcomeChange]
    ) -> list[OutcomeChange]:
        """Other periods' changes, each against the files it was first published with.

        `changes` (against the first published files, all else as now) are reused where they
        hold: a month's results depend on earlier months only (docs/data-format.md §4), so only
        a year's are recomputed without the periods published after the correction.
        """
        seen: dict[str, list[OutcomeChange]] = {}
        for change in changes:
            seen.setdefault(change.period, []).append(change)
        found: list[OutcomeChange] = []
        groups: dict[tuple, tuple[Files, bool, set[str]]] = {}
        for other, files in published.before.items():
            if other == period or other not in seen:
                continue  # unchanged since first published (a change undone is not shown)
            trimmed = is_year(other) and bool(published.after)
            if files == first and not trimmed:
                found += seen[other]
                continue
            key = (_files_key(files), trimmed)
            groups.setdefault(key, (files, trimmed, set()))[2].add(other)
        for files, trimmed, others in groups.values():
            found += self._compared(period, files, published.after if trimmed else (), others)
        return sorted(found, key=_order)

    def _compared(
        self, period: str, files: Files, without: Collection[str], others: set[str]
    ) -> list[OutcomeChange]:
        """`others`' changes from `files` (the period's, then) to now, without some periods."""
        now = {p: d for p, d in self.current.items() if file_role(p)[0] not in without}
        then = {**_without(now, period), **files}
        try:
            after = self._compute(self.window(now, period))
            before = self._compute(self.window(then, period))
        except InvalidData:
            return []  # the note of the whole comparison already says why
        changes = outcome_changes(before[1], after[1], _names(after[0]))
        return [c for c in changes if c.period in others]

    def _compute(self, files: Files) -> tuple[Dataset, Results]:
        key = _files_key(files)
        if key not in self.results:
            data = load_files(files)
            self.results[key] = (data, compute(data))
        return self.results[key]


def _files_key(files: Files) -> str:
    return hashlib.sha1(
        b"\0".join(p.encode() + b"\0" + hashlib.sha1(d).digest() for p, d in sorted(files.items()))
    ).hexdigest()


def _names(data: Dataset) -> Names:
    return Names(
        villages={v.id: v.name for v in data.villages},
        categories={c.id: c.name for c in data.town.categories},
    )


def _period_files(files: Files, period: str) -> Files:
    return {p: d for p, d in files.items() if file_role(p)[0] == period}


def _without(files: Files, period: str) -> Files:
    mine = _period_files(files, period)
    return {p: d for p, d in files.items() if p not in mine}


# -- differences between two computations -----------------------------------------------------------


def outcome_changes(before: Results, after: Results, names: Names) -> list[OutcomeChange]:
    """Flags, money and actions that differ, by period, kind and village."""
    changes = [
        *_flag_changes(before.flags, after.flags, names),
        *_money_changes(before.rewards, after.rewards, names),
        *_action_changes(before.actions, after.actions, names),
    ]
    return sorted(changes, key=_order)


def _order(change: OutcomeChange) -> tuple:
    kinds = {"flag": 0, "money": 1, "action": 2}
    return (change.period, kinds[change.kind], change.village_id, change.item or "")


def _outer(before: pd.DataFrame, after: pd.DataFrame, keys: list[str], values: list[str]):
    return before[keys + values].merge(
        after[keys + values], on=keys, how="outer", suffixes=("_old", "_new")
    )


def _flag_label(flag, basis) -> str:
    if pd.isna(flag) or not flag:
        return "无"
    name = labels.FLAG_NAMES[flag]
    return f"{name}（现场会）" if basis == "meeting" else name


def _flag_changes(before: pd.DataFrame, after: pd.DataFrame, names: Names):
    merged = _outer(before, after, ["period", "village_id", "category"], ["flag", "basis"])
    old = [_flag_label(f, b) for f, b in zip(merged["flag_old"], merged["basis_old"], strict=True)]
    new = [_flag_label(f, b) for f, b in zip(merged["flag_new"], merged["basis_new"], strict=True)]
    for row, a, b in zip(merged.itertuples(), old, new, strict=True):
        if a != b:
            village, label = names.village(row.village_id), names.category(row.category)
            text = f"{village} {label}：{a} → {b}"
            yield OutcomeChange(
                row.period, "flag", row.village_id, village, row.category, label, a, b, text
            )


_MONEY_WORDS = {"reward": "嘉奖", "penalty": "扣罚", "net": "净额"}


def _money_changes(before: pd.DataFrame, after: pd.DataFrame, names: Names):
    parts = list(_MONEY_WORDS)
    merged = _outer(before, after, ["period", "village_id"], parts).fillna(0)
    for row in merged.itertuples():
        pairs = [(p, int(getattr(row, f"{p}_old")), int(getattr(row, f"{p}_new"))) for p in parts]
        if all(a == b for _, a, b in pairs):
            continue
        village = names.village(row.village_id)
        detail = "，".join(
            f"{_MONEY_WORDS[p]} {_amount(p, a)} → {_amount(p, b)} 元" for p, a, b in pairs if a != b
        )
        old, new = str(pairs[2][1]), str(pairs[2][2])
        text = f"{village} 奖罚：{detail}"
        yield OutcomeChange(
            row.period, "money", row.village_id, village, None, "奖罚", old, new, text
        )


def _amount(part: str, value: int) -> str:
    """An amount as the money tables show its sign: the net with ＋ or －, the others bare."""
    if part != "net" or value == 0:
        return str(value)
    return f"{labels.PLUS if value > 0 else labels.MINUS}{abs(value)}"


def _action_changes(before: pd.DataFrame, after: pd.DataFrame, names: Names):
    merged = _outer(before, after, ["period", "village_id", "action"], ["reason"])
    for row in merged.itertuples():
        old, new = (None if pd.isna(r) else r for r in (row.reason_old, row.reason_new))
        if old == new:
            continue
        village = names.village(row.village_id)
        label = labels.ACTION_NAMES.get(row.action, row.action)
        what = "新增" if old is None else "取消" if new is None else f"理由变为：{new}"
        text = f"{village} {label}：{what}"
        yield OutcomeChange(
            row.period, "action", row.village_id, village, row.action, label, old, new, text
        )

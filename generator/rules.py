"""The rules of docs/data-format.md §3–§4 over whole columns: scores → flags → money →
actions → averages.

Scores are integer hundredths of a point from the loader to the results files, so ties and sums
are exact; only results.py turns them into text. While the rules run, periods, grids, villages
and categories are integer codes (`Codes`): every group-by, rank and merge is numpy over whole
columns, and text (ids, reasons) is made once per column at the end — no Python per row.

Where docs/data-format.md leaves a choice (also explained to villagers in content/pages/rules.md):
- several 加分/扣分 on one cell add up; a repeated 现场会 gives one flag;
- a 现场会 on an unscored cell still gives the meeting red flag (no score, no rank);
- a vetoed meeting host holds no meeting flag, so it is yellow-eligible like any vetoed village;
- `basis` is "rank" for yellow flags too (they come from the ascending rank);
- Q is the period before P among all periods, so a village absent or unscored in Q has no chain;
- a grid with no scored village in a category has no grid_averages row;
- yearly grid totals add the rounded monthly averages; equal best totals all lead;
- priority counts red flags of monthly and optional categories only, ranked over the town.

Facts the site shows are computed here once, so that it only arranges them: `moved_up` (递补:
a red flag by rank below `red_count`, because a vetoed or meeting village above was skipped),
`village_years` (a village's flags and money in a year, and its 优先评优 rank) and
`period_rules` (the rule version of each month, and of each year: its December's).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from generator.load import Dataset
from generator.periods import year_of

NONE, RED, YELLOW = 0, 1, 2
FLAG_TEXT = np.array(["", "red", "yellow"], dtype=object)
BASIS_TEXT = np.array(["", "rank", "meeting"], dtype=object)  # 0 none, 1 rank, 2 meeting
# The action ladder's thresholds (docs/data-format.md §4), also read by the site's village status.
WARNING_YEAR_FLAGS = 3  # yellow flags in a calendar year that bring a warning
SUSPENSION_FLAGS = 3  # yellow flags in each of two consecutive periods: suspension
STAR_LOSS_PERIODS = 3  # periods of a year with yellow flags: 五星评定降一星


@dataclass(frozen=True)
class Results:
    # period, grid, village_id, category, score, rank, flag, basis, cell, adjustment, vetoed,
    # tied, moved_up — score, cell and adjustment in integer hundredths of a point
    flags: pd.DataFrame
    rewards: pd.DataFrame  # period, village_id, red, yellow, reward, penalty, net
    actions: pd.DataFrame  # period, village_id, action, reason
    grid_averages: pd.DataFrame  # period, grid, category, average (hundredths), count
    grid_year_totals: pd.DataFrame  # year, grid, category, total (hundredths), leader
    # year, village_id, red, yellow, reward, penalty, net, priority_rank (<NA>: not chosen)
    village_years: pd.DataFrame
    period_rules: pd.DataFrame  # period (month or year), rules_from, red_count, yellow_count


def compute(data: Dataset) -> Results:
    codes = Codes.of(data)
    rules = RuleTable.of(data, codes)
    events = event_codes(data.events, codes)
    cells = monthly_cells(data.scores, events, codes)
    monthly = flags(cells, rules, rules.months)
    rewards = money(monthly, active_pairs(cells, codes), codes, rules)
    history = yellow_history(rewards, codes)
    years = village_years(rewards, events, codes)
    annual = flags(annual_cells(data.annual, events, codes), rules, rules.years)
    averages = grid_averages(monthly, codes)
    return Results(
        flags=flag_table(monthly, annual, codes),
        rewards=reward_table(rewards, codes),
        actions=action_table(
            [
                *monthly_actions(history, monthly, codes, data),
                *yearly_actions(history, years, codes),
            ],
            codes,
        ),
        grid_averages=average_table(averages, codes),
        grid_year_totals=year_total_table(averages, codes),
        village_years=village_year_table(years, codes),
        period_rules=rules.table(codes),
    )


# -- codes: each key column as integers ------------------------------------------------------


@dataclass(frozen=True)
class Codes:
    """The sorted values of each key; a row's code is its value's position among them."""

    months: np.ndarray  # the periods, oldest first
    years: np.ndarray
    grids: np.ndarray
    villages: np.ndarray
    categories: np.ndarray
    grid_of: np.ndarray  # village code → grid code
    year_of_month: np.ndarray  # month code → year code
    category_bits: np.ndarray  # category code → its bit in town.toml's order of categories
    category_names: tuple[str, ...]  # in town.toml's order
    whole_town: str  # 全镇, 全乡, 全街道: where 优先评优 ranks (townwords.TownWords)

    @classmethod
    def of(cls, data: Dataset) -> Codes:
        months = _vocabulary(data.periods)
        years = _vocabulary(data.years)
        grids = _vocabulary(g.id for g in data.town.grids)
        villages = _vocabulary(v.id for v in data.villages)
        categories = _vocabulary(c.id for c in data.town.categories)
        grid_by_id = {v.id: v.grid for v in data.villages}
        order = {c.id: i for i, c in enumerate(data.town.categories)}
        return cls(
            months=months,
            years=years,
            grids=grids,
            villages=villages,
            categories=categories,
            grid_of=code(pd.Series([grid_by_id[v] for v in villages], dtype=object), grids),
            year_of_month=code(pd.Series([year_of(m) for m in months], dtype=object), years),
            category_bits=np.array([1 << order[c] for c in categories], dtype=np.int64),
            category_names=tuple(c.name for c in data.town.categories),
            whole_town=data.words.whole,
        )

    def periods(self) -> np.ndarray:
        """Months and years together in text order ('2024' before '2024-01'): flags' periods."""
        return _vocabulary([*self.months, *self.years])


def _vocabulary(values) -> np.ndarray:
    return np.array(sorted(set(values)), dtype=object)


def code(values, vocabulary: np.ndarray) -> np.ndarray:
    """Positions of `values` in the sorted `vocabulary`; -1 for missing or unknown values."""
    return pd.Categorical(values, categories=vocabulary).codes.astype(np.int64)


def pack(*columns: tuple[np.ndarray, int]) -> np.ndarray:
    """Several codes (each with its number of values) as one int64 key, in the same order."""
    key = np.zeros(len(columns[0][0]), dtype=np.int64)
    for values, size in columns:
        key = key * size + np.asarray(values, dtype=np.int64)
    return key


def text(vocabulary: np.ndarray, codes: np.ndarray) -> pd.Series:
    """Codes back to their text, as one string column."""
    return pd.Series(vocabulary[codes], dtype="string")


# -- rule versions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleTable:
    """The rule version in force for each month and each year (December's), as arrays."""

    versions: tuple  # RuleVersion, in town.toml's order
    months: np.ndarray  # month code → version index
    years: np.ndarray  # year code → version index

    @classmethod
    def of(cls, data: Dataset, codes: Codes) -> RuleTable:
        versions = tuple(data.town.rules)
        index = {r.from_: i for i, r in enumerate(versions)}
        return cls(
            versions,
            np.array([index[data.rule_for(p).from_] for p in codes.months], dtype=np.int64),
            np.array([index[data.rule_for(y).from_] for y in codes.years], dtype=np.int64),
        )

    def counts(self, version: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        red = np.array([r.red_count for r in self.versions], dtype=np.int64)
        yellow = np.array([r.yellow_count for r in self.versions], dtype=np.int64)
        return red[version], yellow[version]

    def amounts(self, version: np.ndarray, flags: np.ndarray, reward: bool) -> np.ndarray:
        """Tier amounts: for 1, 2, 3… flags; more flags than a list is long take its last."""
        tiers = [r.reward_tiers if reward else r.penalty_tiers for r in self.versions]
        width = max(len(t) for t in tiers)
        table = np.array([(0, *t) + (t[-1],) * (width - len(t)) for t in tiers], dtype=np.int64)
        return table[version, np.minimum(flags, width)]

    def table(self, codes: Codes) -> pd.DataFrame:
        periods = np.concatenate([codes.months, codes.years])
        version = np.concatenate([self.months, self.years])
        red, yellow = self.counts(version)
        frame = pd.DataFrame(
            {
                "period": pd.Series(periods, dtype="string"),
                "rules_from": pd.Series([self.versions[i].from_ for i in version], dtype="string"),
                "red_count": red,
                "yellow_count": yellow,
            }
        )
        return frame.sort_values("period", kind="stable").reset_index(drop=True)


# -- the cells to judge: monthly scores with their events, annual scores --------------------------


def event_codes(events: pd.DataFrame, codes: Codes) -> pd.DataFrame:
    """Events with integer codes: p (month), y (its year), v, c (-1: no category), value."""
    p = code(events["period"], codes.months)
    return pd.DataFrame(
        {
            "p": p,
            "y": codes.year_of_month[p],
            "v": code(events["village_id"], codes.villages),
            "c": code(events["category"], codes.categories),
            "event": events["event"].to_numpy(dtype=object),
            "value": events["value"].fillna(0).to_numpy(dtype=np.int64),
        }
    )


def monthly_cells(scores: pd.DataFrame, events: pd.DataFrame, codes: Codes) -> pd.DataFrame:
    """§3.1: final = cell + 加分 − 扣分 (not clamped); vetoes (§3.4) and meetings (§3.3) marked."""
    cells = _cells(scores, codes, "period", codes.months)
    sizes = (len(codes.months), len(codes.villages), len(codes.categories))
    cell_key = pack(*zip((cells["p"], cells["v"], cells["c"]), sizes, strict=True))
    adjusting = events[events["event"].isin(["bonus", "deduction"])]
    signed = np.where(adjusting["event"] == "bonus", 1, -1) * adjusting["value"].to_numpy()
    keys = pack(*zip((adjusting["p"], adjusting["v"], adjusting["c"]), sizes, strict=True))
    cells["adjustment"] = sums_at(keys, signed, cell_key)
    cells["final"] = cells["cell"] + cells["adjustment"]
    vetoes = events[events["event"] == "veto"]
    village_month = pack((cells["p"], sizes[0]), (cells["v"], sizes[1]))
    cells["vetoed"] = np.isin(village_month, pack((vetoes["p"], sizes[0]), (vetoes["v"], sizes[1])))
    meetings = events[events["event"] == "meeting"]
    meeting_keys = pack(*zip((meetings["p"], meetings["v"], meetings["c"]), sizes, strict=True))
    cells["meeting"] = np.isin(cell_key, meeting_keys)
    return cells


def annual_cells(annual: pd.DataFrame, events: pd.DataFrame, codes: Codes) -> pd.DataFrame:
    """The annual categories' cells: no events of their own; a veto in the year bars red (§4)."""
    cells = _cells(annual, codes, "year", codes.years)
    cells["adjustment"] = np.zeros(len(cells), dtype=np.int64)
    cells["final"] = cells["cell"]
    vetoes = events[events["event"] == "veto"]
    sizes = (len(codes.years), len(codes.villages))
    year_village = pack((cells["p"], sizes[0]), (cells["v"], sizes[1]))
    cells["vetoed"] = np.isin(year_village, pack((vetoes["y"], sizes[0]), (vetoes["v"], sizes[1])))
    cells["meeting"] = np.zeros(len(cells), dtype=bool)
    return cells


def _cells(scores: pd.DataFrame, codes: Codes, period: str, periods: np.ndarray) -> pd.DataFrame:
    village = code(scores["village_id"], codes.villages)
    cell = scores["cell"]
    return pd.DataFrame(
        {
            "p": code(scores[period], periods),
            "v": village,
            "c": code(scores["category"], codes.categories),
            "g": codes.grid_of[village],
            "scored": cell.notna().to_numpy(dtype=bool),
            "cell": cell.fillna(0).to_numpy(dtype=np.int64),
        }
    )


# -- §3.1 rank, §3.2 red and yellow flags ------------------------------------------------------------


def flags(cells: pd.DataFrame, rules: RuleTable, by_period: np.ndarray) -> pd.DataFrame:
    """Rank, red and yellow flags in every group of (period, grid, category); the rows to publish.

    `by_period`: the rule version of each period code (`rules.months` or `rules.years`)."""
    red_count, yellow_count = rules.counts(by_period[cells["p"].to_numpy()])
    # at most 2**20 grids and 2**10 categories: far above docs/data-format.md §2.1's limits
    group = pack((cells["p"], len(by_period)), (cells["g"], 1 << 20), (cells["c"], 1 << 10))
    final, scored = cells["final"].to_numpy(), cells["scored"].to_numpy()
    vetoed, meeting = cells["vetoed"].to_numpy(), cells["meeting"].to_numpy()
    rank = competition_rank(group, final, scored)
    meeting_red = meeting & ~vetoed
    red_rank = competition_rank(group, final, scored & ~vetoed & ~meeting)
    red_by_rank = (red_rank > 0) & (red_rank <= red_count)
    yellow_rank = competition_rank(
        group, final, scored & ~red_by_rank & ~meeting_red, ascending=True
    )
    yellow = (yellow_rank > 0) & (yellow_rank <= yellow_count)
    red = red_by_rank | meeting_red
    cells = cells.assign(
        rank=rank,
        flag=np.select([red, yellow], [RED, YELLOW], NONE),
        basis=np.select([meeting_red, red_by_rank | yellow], [2, 1], 0),
        tied=tied(group, final, scored),
        moved_up=red_by_rank & (rank > red_count),
    )
    return cells[scored | red].reset_index(drop=True)


def competition_rank(
    group: np.ndarray, values: np.ndarray, mask: np.ndarray, ascending: bool = False
) -> np.ndarray:
    """1 + the number of strictly better values of the same group ("1224"); 0 outside `mask`."""
    chosen = np.flatnonzero(mask)
    order = chosen[np.lexsort((values[chosen] if ascending else -values[chosen], group[chosen]))]
    new_group, new_value = _run_starts(group[order], values[order])
    position = np.arange(len(order))
    group_start = np.maximum.accumulate(np.where(new_group, position, 0))
    value_start = np.maximum.accumulate(np.where(new_value, position, 0))
    rank = np.zeros(len(group), dtype=np.int64)
    rank[order] = value_start - group_start + 1
    return rank


def tied(group: np.ndarray, values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Within `mask`: another row of the same group has the same value."""
    chosen = np.flatnonzero(mask)
    order = chosen[np.lexsort((values[chosen], group[chosen]))]
    _, new_value = _run_starts(group[order], values[order])
    run = np.cumsum(new_value) - 1
    sizes = np.bincount(run) if len(run) else np.zeros(0, dtype=np.int64)
    result = np.zeros(len(group), dtype=bool)
    result[order] = sizes[run] > 1
    return result


def _run_starts(group: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted rows: where a new group starts, and where a new (group, value) run starts."""
    new_group = np.ones(len(group), dtype=bool)
    new_group[1:] = group[1:] != group[:-1]
    new_value = new_group.copy()
    new_value[1:] |= values[1:] != values[:-1]
    return new_group, new_value


def sums_at(keys: np.ndarray, values: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """For each of `wanted`: the sum of the `values` whose key equals it (0 if none)."""
    unique, inverse = np.unique(keys, return_inverse=True)
    sums = group_sums(inverse, values, len(unique))
    position, found = find(unique, wanted)
    return np.where(found, sums[np.minimum(position, len(unique) - 1)] if len(unique) else 0, 0)


def group_sums(group: np.ndarray, values: np.ndarray, groups: int) -> np.ndarray:
    """Integer sums of `values` per group number (0 … groups − 1), exact."""
    sums = np.zeros(groups, dtype=np.int64)
    np.add.at(sums, group, np.asarray(values, dtype=np.int64))
    return sums


def find(sorted_keys: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each of `wanted` is in `sorted_keys`, and whether it is there at all."""
    position = np.searchsorted(sorted_keys, wanted)
    found = position < len(sorted_keys)
    found[found] = sorted_keys[position[found]] == wanted[found]
    return position, found


# -- §3.5 rewards and penalties ---------------------------------------------------------------------


def active_pairs(cells: pd.DataFrame, codes: Codes) -> np.ndarray:
    """(month, village) keys of every village in a month's scores file, sorted."""
    return np.unique(pack((cells["p"], len(codes.months)), (cells["v"], len(codes.villages))))


def money(
    flagged: pd.DataFrame, active: np.ndarray, codes: Codes, rules: RuleTable
) -> pd.DataFrame:
    """Per active village and month (p, v, sorted): red and yellow flags and their money."""
    villages = len(codes.villages)
    frame = pd.DataFrame({"p": active // villages, "v": active % villages})
    pair = np.searchsorted(
        active, pack((flagged["p"], len(codes.months)), (flagged["v"], villages))
    )
    flag = flagged["flag"].to_numpy()
    frame["red"] = np.bincount(pair[flag == RED], minlength=len(active))
    frame["yellow"] = np.bincount(pair[flag == YELLOW], minlength=len(active))
    version = rules.months[frame["p"].to_numpy()]
    frame["reward"] = rules.amounts(version, frame["red"].to_numpy(), reward=True)
    frame["penalty"] = rules.amounts(version, frame["yellow"].to_numpy(), reward=False)
    frame["net"] = frame["reward"] - frame["penalty"]
    return frame


# -- §4 consequences ---------------------------------------------------------------------------------


def yellow_history(rewards: pd.DataFrame, codes: Codes) -> pd.DataFrame:
    """Per village and month: yellow now, in the period before (Q), and the year's running total."""
    months = len(codes.months)
    frame = rewards[["p", "v", "yellow"]].copy()
    frame["y"] = codes.year_of_month[frame["p"].to_numpy()]
    frame = frame.sort_values(["v", "p"], kind="stable").reset_index(drop=True)
    key = pack((frame["v"], len(codes.villages)), (frame["p"], months))
    position, found = find(key, key - 1)
    found &= frame["p"].to_numpy() > 0
    yellow = frame["yellow"].to_numpy()
    frame["previous"] = found
    frame["previous_yellow"] = np.where(found, yellow[np.minimum(position, len(key) - 1)], 0)
    run = pack((frame["v"], len(codes.villages)), (frame["y"], len(codes.years)))
    frame["year_total"] = cumsum_in_runs(run, yellow)
    return frame


def cumsum_in_runs(run: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Running totals of `values` restarting wherever the (sorted) `run` key changes."""
    total = np.cumsum(values)
    new_run = np.ones(len(run), dtype=bool)
    new_run[1:] = run[1:] != run[:-1]
    start = np.maximum.accumulate(np.where(new_run, np.arange(len(run)), 0))
    return total - (total - values)[start]


def monthly_actions(
    history: pd.DataFrame, flagged: pd.DataFrame, codes: Codes, data: Dataset
) -> list[pd.DataFrame]:
    """约谈, 警告 and 停职 for each period, with every trigger named in the reason."""
    # every monthly action needs a yellow flag in P; the year's running total is already summed
    rows = history[history["yellow"] >= 1].reset_index(drop=True)
    p = rows["p"].to_numpy()
    period = pd.Series(codes.months[p], dtype=object)
    previous = pd.Series(codes.months[np.maximum(p - 1, 0)], dtype=object)
    now, before = rows["yellow"].astype(str), rows["previous_yellow"].astype(str)
    pair = previous + "黄旗" + before + "面、" + period + "黄旗" + now + "面"
    streak = (rows["yellow"] >= 1) & (rows["previous_yellow"] >= 1)
    total, now_yellow = rows["year_total"], rows["yellow"]
    reached = (total >= WARNING_YEAR_FLAGS) & (total - now_yellow < WARNING_YEAR_FLAGS)
    heavy = (now_yellow >= SUSPENSION_FLAGS) & (rows["previous_yellow"] >= SUSPENSION_FLAGS)
    categories = yellow_categories(rows, flagged, codes)
    interview_reason = "本期获黄旗" + now + "面（" + categories + "）"
    streak_reason = "连续两期获黄旗（" + pair + "）"
    year = pd.Series(codes.years[rows["y"].to_numpy()], dtype=object)
    reached_reason = (
        year
        + f"年累计黄旗达到{WARNING_YEAR_FLAGS}面（截至"
        + period
        + "共"
        + rows["year_total"].astype(str)
        + "面）"
    )
    warning_reason = _join_reasons([(streak, streak_reason), (reached, reached_reason)])
    heavy_reason = "连续两期各获3面及以上黄旗（" + pair + "）"
    return [
        _actions(period, rows["v"], rows["yellow"] >= 1, "interview", interview_reason),
        _actions(period, rows["v"], streak | reached, "warning", warning_reason),
        _actions(period, rows["v"], heavy, "suspension", heavy_reason),
    ]


def yellow_categories(rows: pd.DataFrame, flagged: pd.DataFrame, codes: Codes) -> pd.Series:
    """For each row (p, v): the names of its yellow categories, in town.toml's order, joined."""
    size = (len(codes.months), len(codes.villages))
    keys = pack((rows["p"], size[0]), (rows["v"], size[1]))
    yellow = flagged[flagged["flag"] == YELLOW]
    order = np.argsort(keys, kind="stable")
    found = order[
        np.searchsorted(keys[order], pack((yellow["p"], size[0]), (yellow["v"], size[1])))
    ]
    masks = np.zeros(len(rows), dtype=np.int64)
    np.bitwise_or.at(masks, found, codes.category_bits[yellow["c"].to_numpy()])
    unique, inverse = np.unique(masks, return_inverse=True)
    names = np.array(
        ["、".join(n for i, n in enumerate(codes.category_names) if m >> i & 1) for m in unique],
        dtype=object,
    )
    return pd.Series(names[inverse], dtype=object)


def _join_reasons(parts: list[tuple[pd.Series, pd.Series]]) -> pd.Series:
    reason = pd.Series("", index=parts[0][0].index, dtype=object)
    for mask, more in parts:
        separator = np.where(reason == "", "", "；")
        reason = reason.where(~mask, reason + separator + more)
    return reason


def _actions(
    period: pd.Series, village: pd.Series, mask: pd.Series, action: str, reason: pd.Series
) -> pd.DataFrame:
    chosen = np.asarray(mask, dtype=bool)
    return pd.DataFrame(
        {
            "period": np.asarray(period, dtype=object)[chosen],
            "v": np.asarray(village, dtype=np.int64)[chosen],
            "action": action,
            "reason": np.asarray(reason, dtype=object)[chosen],
        }
    )


def yearly_actions(history: pd.DataFrame, years: pd.DataFrame, codes: Codes) -> list[pd.DataFrame]:
    """降档, 降星 and 优先评优 per calendar year."""
    return [_downgrades(history, codes), _star_losses(history, codes), _priorities(years, codes)]


def _downgrades(history: pd.DataFrame, codes: Codes) -> pd.DataFrame:
    p = history["p"].to_numpy()
    same_year = codes.year_of_month[np.maximum(p - 1, 0)] == history["y"].to_numpy()
    pairs = history[
        (history["yellow"] >= 1)
        & (history["previous_yellow"] >= 1)
        & history["previous"]
        & same_year
    ]
    p = pairs["p"].to_numpy()
    text_ = pd.Series(codes.months[p - 1], dtype=object) + "与" + codes.months[p]
    first, _, joined = join_runs(_village_year(pairs, codes), text_.to_numpy(), "、")
    chosen = pairs.iloc[first]
    reason = "同一年内连续两期获黄旗（" + pd.Series(joined, dtype=object) + "）"
    year = codes.years[chosen["y"].to_numpy()]
    return _actions(year, chosen["v"], np.ones(len(chosen), bool), "downgrade", reason)


def _star_losses(history: pd.DataFrame, codes: Codes) -> pd.DataFrame:
    yellow = history[history["yellow"] >= 1]
    first, count, joined = join_runs(
        _village_year(yellow, codes), codes.months[yellow["p"].to_numpy()], "、"
    )
    chosen = yellow.iloc[first]
    year = pd.Series(codes.years[chosen["y"].to_numpy()], dtype=object)
    reason = year + "年有" + pd.Series(count).astype(str) + "期获黄旗（" + joined + "）"
    return _actions(year, chosen["v"], count >= STAR_LOSS_PERIODS, "star_loss", reason)


def _priorities(years: pd.DataFrame, codes: Codes) -> pd.DataFrame:
    chosen = years[years["priority_rank"] > 0]
    reason = (
        chosen["red"].astype(str)
        + f"面红旗，{codes.whole_town}第"
        + chosen["priority_rank"].astype(str)
        + "名（本年无一票否决）"
    )
    year = codes.years[chosen["y"].to_numpy()]
    return _actions(year, chosen["v"], np.ones(len(chosen), bool), "priority", reason)


def _village_year(history: pd.DataFrame, codes: Codes) -> np.ndarray:
    return pack((history["v"], len(codes.villages)), (history["y"], len(codes.years)))


def join_runs(
    run: np.ndarray, texts: np.ndarray, separator: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows sorted by `run`: each run's first row, its size and its texts joined in order."""
    if len(run) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, object)
    starts = np.flatnonzero(np.r_[True, run[1:] != run[:-1]])
    sizes = np.diff(np.r_[starts, len(run)])
    prefixed = (separator + pd.Series(texts, dtype=object)).to_numpy()
    joined = pd.Series(np.add.reduceat(prefixed, starts), dtype=object).str[len(separator) :]
    return starts, sizes, joined.to_numpy()


# -- a village's year: flags, money and 优先评优 (§4) -------------------------------------------------


def village_years(rewards: pd.DataFrame, events: pd.DataFrame, codes: Codes) -> pd.DataFrame:
    """Per village active in a year (y, v, sorted): its flags and money summed, and its rank for
    优先评优 by red flags among the villages with one and no veto that year (0: not chosen)."""
    sizes = (len(codes.years), len(codes.villages))
    y = codes.year_of_month[rewards["p"].to_numpy()]
    keys, inverse = np.unique(pack((y, sizes[0]), (rewards["v"], sizes[1])), return_inverse=True)
    frame = pd.DataFrame({"y": keys // sizes[1], "v": keys % sizes[1]})
    for column in ("red", "yellow", "reward", "penalty"):
        frame[column] = group_sums(inverse, rewards[column].to_numpy(), len(keys))
    frame["net"] = frame["reward"] - frame["penalty"]
    vetoes = events[events["event"] == "veto"]
    vetoed = np.isin(keys, pack((vetoes["y"], sizes[0]), (vetoes["v"], sizes[1])))
    eligible = (frame["red"].to_numpy() >= 1) & ~vetoed
    frame["priority_rank"] = competition_rank(
        frame["y"].to_numpy(), frame["red"].to_numpy(), eligible
    )
    return frame


# -- §3.6 grid averages ------------------------------------------------------------------------------


def grid_averages(flagged: pd.DataFrame, codes: Codes) -> pd.DataFrame:
    """Mean final score of the scored villages per month, grid and category, half-up to 0.01."""
    scored = flagged[flagged["scored"]]
    sizes = (len(codes.months), len(codes.grids), len(codes.categories))
    keys = pack(*zip((scored["p"], scored["g"], scored["c"]), sizes, strict=True))
    unique, inverse = np.unique(keys, return_inverse=True)
    total = group_sums(inverse, scored["final"].to_numpy(), len(unique))
    count = np.bincount(inverse, minlength=len(unique))
    return pd.DataFrame(
        {
            "p": unique // (sizes[1] * sizes[2]),
            "g": unique // sizes[2] % sizes[1],
            "c": unique % sizes[2],
            "average": round_half_up(total, count),
            "count": count,
        }
    )


def round_half_up(total: np.ndarray, count: np.ndarray) -> np.ndarray:
    """total / count (both hundredths-exact integers) rounded half away from zero, in hundredths."""
    total, count = np.asarray(total, dtype=np.int64), np.asarray(count, dtype=np.int64)
    magnitude = (2 * np.abs(total) + count) // (2 * count)
    return np.sign(total) * magnitude


def grid_year_totals(averages: pd.DataFrame, codes: Codes) -> pd.DataFrame:
    """Per year, grid and category: the sum of the monthly averages; the highest total leads."""
    sizes = (len(codes.years), len(codes.categories), len(codes.grids))
    y = codes.year_of_month[averages["p"].to_numpy()]
    keys = pack((y, sizes[0]), (averages["c"], sizes[1]), (averages["g"], sizes[2]))
    unique, inverse = np.unique(keys, return_inverse=True)
    total = group_sums(inverse, averages["average"].to_numpy(), len(unique))
    year_category = unique // sizes[2]
    best = np.full(year_category.max() + 1 if len(unique) else 0, np.iinfo(np.int64).min)
    np.maximum.at(best, year_category, total)
    return pd.DataFrame(
        {
            "y": year_category // sizes[1],
            "g": unique % sizes[2],
            "c": year_category % sizes[1],
            "total": total,
            "leader": total == best[year_category],
        }
    )


# -- the results tables: codes back to text, sorted by their first columns ---------------------------


def flag_table(monthly: pd.DataFrame, annual: pd.DataFrame, codes: Codes) -> pd.DataFrame:
    periods = codes.periods()
    period = np.concatenate(
        [
            np.searchsorted(periods, codes.months)[monthly["p"].to_numpy()],
            np.searchsorted(periods, codes.years)[annual["p"].to_numpy()],
        ]
    ).astype(np.int64)

    def both(name: str) -> np.ndarray:  # one column at a time: a county's rows are many
        return np.concatenate([monthly[name].to_numpy(), annual[name].to_numpy()])

    order = np.lexsort((both("c"), both("v"), both("g"), period))

    def column(name: str) -> np.ndarray:
        return both(name)[order]

    return pd.DataFrame(
        {
            "period": text(periods, period[order]),
            "grid": text(codes.grids, column("g")),
            "village_id": text(codes.villages, column("v")),
            "category": text(codes.categories, column("c")),
            "score": pd.arrays.IntegerArray(column("final"), ~column("scored")),
            "rank": _int_or_na(column("rank")),
            "flag": pd.Series(FLAG_TEXT[column("flag")], dtype="str"),
            "basis": pd.Series(BASIS_TEXT[column("basis")], dtype="str"),
            "cell": pd.arrays.IntegerArray(column("cell"), ~column("scored")),
            "adjustment": pd.array(column("adjustment"), dtype="Int64"),
            **{name: column(name).astype(bool) for name in ("vetoed", "tied", "moved_up")},
        }
    )


def _int_or_na(values: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Ranks as Int64, 0 (not ranked) as <NA>."""
    return pd.arrays.IntegerArray(values.astype(np.int64), values == 0)


def reward_table(rewards: pd.DataFrame, codes: Codes) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": text(codes.months, rewards["p"].to_numpy()),
            "village_id": text(codes.villages, rewards["v"].to_numpy()),
            **{c: rewards[c].to_numpy() for c in ("red", "yellow", "reward", "penalty", "net")},
        }
    )


def action_table(parts: list[pd.DataFrame], codes: Codes) -> pd.DataFrame:
    actions = pd.concat(parts, ignore_index=True)
    period = code(actions["period"], codes.periods())
    order = np.lexsort((actions["action"].to_numpy(dtype=object), actions["v"], period))
    actions = actions.iloc[order]
    return pd.DataFrame(
        {
            "period": pd.Series(actions["period"].to_numpy(), dtype="str"),
            "village_id": pd.Series(codes.villages[actions["v"].to_numpy()], dtype="str"),
            "action": pd.Series(actions["action"].to_numpy(), dtype="str"),
            "reason": pd.Series(actions["reason"].to_numpy(), dtype="str"),
        }
    )


def average_table(averages: pd.DataFrame, codes: Codes) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": text(codes.months, averages["p"].to_numpy()),
            "grid": text(codes.grids, averages["g"].to_numpy()),
            "category": text(codes.categories, averages["c"].to_numpy()),
            "average": pd.array(averages["average"].to_numpy(), dtype="Int64"),
            "count": pd.array(averages["count"].to_numpy(), dtype="Int64"),
        }
    )


def year_total_table(averages: pd.DataFrame, codes: Codes) -> pd.DataFrame:
    totals = grid_year_totals(averages, codes)
    totals = totals.iloc[np.lexsort((totals["c"], totals["g"], totals["y"]))]
    return pd.DataFrame(
        {
            "year": text(codes.years, totals["y"].to_numpy()),
            "grid": text(codes.grids, totals["g"].to_numpy()),
            "category": text(codes.categories, totals["c"].to_numpy()),
            "total": pd.array(totals["total"].to_numpy(), dtype="Int64"),
            "leader": totals["leader"].to_numpy(dtype=bool),
        }
    )


def village_year_table(years: pd.DataFrame, codes: Codes) -> pd.DataFrame:
    years = years.iloc[np.lexsort((years["v"], years["y"]))]
    return pd.DataFrame(
        {
            "year": text(codes.years, years["y"].to_numpy()),
            "village_id": text(codes.villages, years["v"].to_numpy()),
            **{c: years[c].to_numpy() for c in ("red", "yellow", "reward", "penalty", "net")},
            "priority_rank": _int_or_na(years["priority_rank"].to_numpy()),
        }
    )

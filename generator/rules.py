"""The rules of docs/data-format.md §3–§4 over whole columns: scores → flags → money →
actions → averages.

Scores are integer hundredths of a point from the loader to the results files, so ties and sums
are exact; only results.py turns them into text. Periods, grids, villages and categories are
integer codes (`Codes`) from the loader's coded tables to the results': every group-by, rank and
merge is numpy over whole columns, the cells of a group are ranked after one sort (`Ranking`),
and text is made only for reasons, each by one join — no Python per row.

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

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from generator.columnar import (
    Columns,
    Ranking,
    among,
    by_group_and_value,
    code,
    competition_rank,
    concat,
    cumsum_in_runs,
    digits,
    distinct,
    find,
    group_sums,
    join_runs,
    order_by,
    pack,
    rows_where,
    sums_at,
    text,
)
from generator.load import Dataset
from generator.load.dataset import as_text, narrow
from generator.periods import label, month_number, year_of

NONE, RED, YELLOW = np.int8(0), np.int8(1), np.int8(2)
FLAG_TEXT = np.array(["", "red", "yellow"], dtype=object)
NO_BASIS, BY_RANK, BY_MEETING = np.int8(0), np.int8(1), np.int8(2)
BASIS_TEXT = np.array(["", "rank", "meeting"], dtype=object)
ACTIONS = np.array(  # docs/data-format.md §4, sorted
    sorted(["interview", "warning", "suspension", "downgrade", "star_loss", "priority"]),
    dtype=object,
)
# The action ladder's thresholds (docs/data-format.md §4), also read by the site's village status.
WARNING_YEAR_FLAGS = 3  # yellow flags in a calendar year that bring a warning
SUSPENSION_FLAGS = 3  # yellow flags in each of two consecutive periods: suspension
STAR_LOSS_PERIODS = 3  # periods of a year with yellow flags: 五星评定降一星


def _table(name: str) -> cached_property:
    def table(self: Results) -> pd.DataFrame:
        return as_text(self.coded[name])

    table.__doc__ = f"The {name} table with text columns, made when first asked for."
    return cached_property(table)


@dataclass(frozen=True)
class Results:
    """The results tables by name. `coded` holds them as computed: text columns (periods, ids,
    flags) as categoricals, which results.py writes without hashing text again, whole numbers
    in 32 bits where they fit. The attributes give each table with text columns and 64-bit
    numbers, as the site, preview and history read them."""

    coded: dict[str, pd.DataFrame]

    # period, grid, village_id, category, score, rank, flag, basis, cell, adjustment, vetoed,
    # tied, moved_up — score, cell and adjustment in integer hundredths of a point
    flags = _table("flags")
    rewards = _table("rewards")  # period, village_id, red, yellow, reward, penalty, net
    actions = _table("actions")  # period, village_id, action, reason
    grid_averages = _table("grid_averages")  # period, grid, category, average (hundredths), count
    # year, grid, category, total (hundredths), leader
    grid_year_totals = _table("grid_year_totals")
    # year, village_id, red, yellow, reward, penalty, net, priority_rank (<NA>: not chosen)
    village_years = _table("village_years")
    # period (month or year), rules_from, red_count, yellow_count
    period_rules = _table("period_rules")


def compute(data: Dataset) -> Results:
    codes = Codes.of(data)
    rules = RuleTable.of(data, codes)
    events = event_codes(data.events, codes)
    judged = judge(data, codes, rules, events)
    history = yellow_history(judged.rewards, codes)
    years = village_years(judged.rewards, events, codes)
    actions = [
        *monthly_actions(history, judged.yellow, codes),
        *yearly_actions(history, years, codes),
    ]
    return Results(
        {
            "flags": judged.flags,
            "rewards": reward_table(judged.rewards, codes),
            "actions": action_table(actions, codes),
            "grid_averages": average_table(judged.averages, codes),
            "grid_year_totals": year_total_table(judged.averages, codes),
            "village_years": village_year_table(years, codes),
            "period_rules": rules.table(codes),
        }
    )


@dataclass(frozen=True)
class Judged:
    """What the results keep of the judged cells."""

    flags: pd.DataFrame  # the flags table
    rewards: pd.DataFrame  # money(): flags and money per active village and month
    averages: pd.DataFrame  # grid_averages()
    yellow: Columns  # p, v, c of every monthly yellow flag


def judge(data: Dataset, codes: Codes, rules: RuleTable, events: pd.DataFrame) -> Judged:
    """§3: every monthly and annual cell ranked and flagged (a county's 360,000 cells, which go
    when this returns)."""
    monthly = flags(monthly_cells(data.score_cells, events, codes), rules, rules.months)
    annual = flags(annual_cells(data.annual_cells, events, codes), rules, rules.years)
    return Judged(
        rewards=money(monthly, codes, rules),
        averages=grid_averages(monthly, codes),
        yellow=rows_where({k: monthly[k] for k in "pvc"}, monthly["flag"] == YELLOW),
        flags=flag_table(monthly, annual, codes),  # last: it takes the cells' columns
    )


# -- codes: each key column as integers ------------------------------------------------------


@dataclass(frozen=True)
class Codes:
    """The sorted values of each key; a row's code is its value's position among them."""

    months: np.ndarray  # the periods, oldest first
    month_words: np.ndarray  # the periods as sentences say them: 2024年3月 (never 2024-03)
    month_only: np.ndarray  # 3月, where the sentence has said the year
    years: np.ndarray
    grids: np.ndarray
    villages: np.ndarray
    categories: np.ndarray
    grid_of: np.ndarray  # village code → grid code
    year_of_month: np.ndarray  # month code → year code
    category_bits: np.ndarray  # category code → its bit in town.toml's order of categories
    category_names: tuple[str, ...]  # in town.toml's order
    whole_town: str  # 全镇, 全乡, 全街道: where 优先评优 ranks (townwords.TownWords)
    periods: np.ndarray  # months and years together in text order ('2024' before '2024-01')
    month_period: np.ndarray  # month code → its position in `periods`
    year_period: np.ndarray  # year code → its position in `periods`

    @classmethod
    def of(cls, data: Dataset) -> Codes:
        months = _vocabulary(data.periods)
        years = _vocabulary(data.years)
        grids = _vocabulary(g.id for g in data.town.grids)
        villages = _vocabulary(v.id for v in data.villages)
        categories = _vocabulary(c.id for c in data.town.categories)
        grid_by_id = {v.id: v.grid for v in data.villages}
        order = {c.id: i for i, c in enumerate(data.town.categories)}
        periods = _vocabulary([*months, *years])
        return cls(
            months=months,
            month_words=np.array([label(m) for m in months], dtype=object),
            month_only=np.array([f"{month_number(m)}月" for m in months], dtype=object),
            years=years,
            grids=grids,
            villages=villages,
            categories=categories,
            grid_of=code(pd.Series([grid_by_id[v] for v in villages], dtype=object), grids),
            year_of_month=code(pd.Series([year_of(m) for m in months], dtype=object), years),
            category_bits=np.array([1 << order[c] for c in categories], dtype=np.int64),
            category_names=tuple(c.name for c in data.town.categories),
            whole_town=data.words.whole,
            periods=periods,
            month_period=np.searchsorted(periods, months).astype(np.int32),
            year_period=np.searchsorted(periods, years).astype(np.int32),
        )


def _vocabulary(values) -> np.ndarray:
    return np.array(sorted(set(values)), dtype=object)


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
        red = np.array([r.red_count for r in self.versions], dtype=np.int32)
        yellow = np.array([r.yellow_count for r in self.versions], dtype=np.int32)
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
                "red_count": red.astype(np.int64),
                "yellow_count": yellow.astype(np.int64),
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


def monthly_cells(scores: pd.DataFrame, events: pd.DataFrame, codes: Codes) -> Columns:
    """§3.1: final = cell + 加分 − 扣分 (not clamped); vetoes (§3.4) and meetings (§3.3) marked;
    in ranking order (`in_groups`)."""
    cells = _cells(scores, codes, "period", codes.months)
    sizes = (len(codes.months), len(codes.villages), len(codes.categories))
    cell_key = pack(*zip((cells["p"], cells["v"], cells["c"]), sizes, strict=True))
    adjusting = events[events["event"].isin(["bonus", "deduction"])]
    signed = np.where(adjusting["event"] == "bonus", 1, -1) * adjusting["value"].to_numpy()
    keys = pack(*zip((adjusting["p"], adjusting["v"], adjusting["c"]), sizes, strict=True))
    cells["final"] = cells["cell"] + sums_at(keys, signed, cell_key, math.prod(sizes))
    vetoes = events[events["event"] == "veto"]
    village_month = pack((cells["p"], sizes[0]), (cells["v"], sizes[1]))
    vetoed = pack((vetoes["p"], sizes[0]), (vetoes["v"], sizes[1]))
    cells["vetoed"] = among(village_month, vetoed, sizes[0] * sizes[1])
    meetings = events[events["event"] == "meeting"]
    meeting_keys = pack(*zip((meetings["p"], meetings["v"], meetings["c"]), sizes, strict=True))
    cells["meeting"] = among(cell_key, meeting_keys, math.prod(sizes))
    del cell_key
    return in_groups(cells, codes)


def annual_cells(annual: pd.DataFrame, events: pd.DataFrame, codes: Codes) -> Columns:
    """The annual categories' cells: no events of their own; a veto in the year bars red (§4)."""
    cells = _cells(annual, codes, "year", codes.years)
    cells["final"] = cells["cell"]
    vetoes = events[events["event"] == "veto"]
    sizes = (len(codes.years), len(codes.villages))
    year_village = pack((cells["p"], sizes[0]), (cells["v"], sizes[1]))
    vetoed = pack((vetoes["y"], sizes[0]), (vetoes["v"], sizes[1]))
    cells["vetoed"] = among(year_village, vetoed, sizes[0] * sizes[1])
    cells["meeting"] = np.zeros(len(cells["p"]), dtype=bool)
    return in_groups(cells, codes)


def _cells(scores: pd.DataFrame, codes: Codes, period: str, periods: np.ndarray) -> Columns:
    village = code(scores["village_id"], codes.villages)
    cell = scores["cell"]
    return {
        "p": code(scores[period], periods),
        "v": village,
        "c": code(scores["category"], codes.categories),
        "g": codes.grid_of[village],
        "scored": cell.notna().to_numpy(dtype=bool),
        "cell": cell.to_numpy(dtype=np.int32, na_value=0),
    }


def in_groups(cells: Columns, codes: Codes) -> Columns:
    """The cells with their group (period, grid, category) as one code, sorted by group, then
    final score: the order in which ranks are counted. Sorted a column at a time, in place."""
    sizes = (int(cells["p"].max(initial=0)) + 1, len(codes.grids), len(codes.categories))
    cells["group"] = narrow(pack(*zip((cells["p"], cells["g"], cells["c"]), sizes, strict=True)))
    order = by_group_and_value(cells["group"], cells["final"])
    for name, column in cells.items():
        cells[name] = column[order]
    return cells


# -- §3.1 rank, §3.2 red and yellow flags ------------------------------------------------------------


def flags(cells: Columns, rules: RuleTable, by_period: np.ndarray) -> Columns:
    """Rank, red and yellow flags in every group of (period, grid, category); `published`: the
    rows of flags.csv (scored, or red without a score). `cells` in ranking order (`in_groups`).

    `by_period`: the rule version of each period code (`rules.months` or `rules.years`)."""
    ranking = Ranking(cells["group"], cells["final"])
    red_count, yellow_count = rules.counts(by_period[cells["p"]])
    scored, vetoed, meeting = cells["scored"], cells["vetoed"], cells["meeting"]
    rank = ranking.descending(scored)
    meeting_red = meeting & ~vetoed
    red_rank = ranking.descending(scored & ~vetoed & ~meeting)
    red_by_rank = (red_rank > 0) & (red_rank <= red_count)
    yellow_rank = ranking.ascending(scored & ~red_by_rank & ~meeting_red)
    yellow = (yellow_rank > 0) & (yellow_rank <= yellow_count)
    red = red_by_rank | meeting_red
    return cells | {
        "rank": rank,
        "flag": np.select([red, yellow], [RED, YELLOW], NONE),
        "basis": np.select([meeting_red, red_by_rank | yellow], [BY_MEETING, BY_RANK], NO_BASIS),
        "tied": ranking.tied(scored),
        "moved_up": red_by_rank & (rank > red_count),
        "published": scored | red,
    }


# -- §3.5 rewards and penalties ---------------------------------------------------------------------


def money(flagged: Columns, codes: Codes, rules: RuleTable) -> pd.DataFrame:
    """Per active village and month (p, v, sorted: every village in a month's scores file): red
    and yellow flags and their money."""
    villages = len(codes.villages)
    pairs, pair = distinct(
        pack((flagged["p"], len(codes.months)), (flagged["v"], villages)),
        len(codes.months) * villages,
    )
    frame = pd.DataFrame({"p": pairs // villages, "v": pairs % villages})
    flag = flagged["flag"]
    frame["red"] = np.bincount(pair[flag == RED], minlength=len(pairs))
    frame["yellow"] = np.bincount(pair[flag == YELLOW], minlength=len(pairs))
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


def monthly_actions(history: pd.DataFrame, yellow: Columns, codes: Codes) -> list[pd.DataFrame]:
    """约谈, 警告 and 停职 for each period, with every trigger named in the reason."""
    # every monthly action needs a yellow flag in P; the year's running total is already summed
    rows = history[history["yellow"] >= 1].reset_index(drop=True)
    now, before = rows["yellow"], rows["previous_yellow"]
    streak = (now >= 1) & (before >= 1)
    reached = (rows["year_total"] >= WARNING_YEAR_FLAGS) & (
        rows["year_total"] - now < WARNING_YEAR_FLAGS
    )
    heavy = (now >= SUSPENSION_FLAGS) & (before >= SUSPENSION_FLAGS)
    return [
        _interviews(rows, yellow, codes),
        _warnings(rows[streak | reached], codes),
        _suspensions(rows[heavy], codes),
    ]


def _interviews(rows: pd.DataFrame, yellow: Columns, codes: Codes) -> pd.DataFrame:
    categories = yellow_categories(rows, yellow, codes)
    reason = concat("本期获黄旗", digits(rows["yellow"]), "面（", categories, "）")
    return _actions(codes.month_period[rows["p"]], rows["v"], "interview", reason)


def _warnings(rows: pd.DataFrame, codes: Codes) -> pd.DataFrame:
    now, total = rows["yellow"].to_numpy(), rows["year_total"].to_numpy()
    said = _second_month(rows["p"].to_numpy(), codes)
    streak = concat("连续两期获黄旗（", _pair(rows, codes), "）")
    year = codes.years[rows["y"]]
    reached = concat(
        year, f"年累计黄旗达到{WARNING_YEAR_FLAGS}面（截至", said, "共", digits(total), "面）"
    )
    reason = _join_reasons(
        [
            (rows["previous_yellow"].to_numpy() >= 1, streak),
            ((total >= WARNING_YEAR_FLAGS) & (total - now < WARNING_YEAR_FLAGS), reached),
        ]
    )
    return _actions(codes.month_period[rows["p"]], rows["v"], "warning", reason)


def _suspensions(rows: pd.DataFrame, codes: Codes) -> pd.DataFrame:
    reason = concat("连续两期各获3面及以上黄旗（", _pair(rows, codes), "）")
    return _actions(codes.month_period[rows["p"]], rows["v"], "suspension", reason)


def _pair(rows: pd.DataFrame, codes: Codes) -> np.ndarray:
    """'2024年2月1面、3月2面': Q's and P's yellow flags."""
    p = rows["p"].to_numpy()
    return concat(
        codes.month_words[np.maximum(p - 1, 0)],
        digits(rows["previous_yellow"]),
        "面、",
        _second_month(p, codes),
        digits(rows["yellow"]),
        "面",
    )


def _second_month(p: np.ndarray, codes: Codes) -> np.ndarray:
    """Period P as a sentence names it after Q: 3月 when Q's year is the same, else 2025年1月."""
    same = codes.year_of_month[np.maximum(p - 1, 0)] == codes.year_of_month[p]
    return np.where(same, codes.month_only[p], codes.month_words[p]).astype(object)


def yellow_categories(rows: pd.DataFrame, yellow: Columns, codes: Codes) -> np.ndarray:
    """For each row (p, v): the names of its `yellow` flags' categories, in town.toml's order,
    joined."""
    size = (len(codes.months), len(codes.villages))
    keys = pack((rows["p"], size[0]), (rows["v"], size[1]))
    order = order_by(keys, size[0] * size[1])
    found = order[
        np.searchsorted(keys[order], pack((yellow["p"], size[0]), (yellow["v"], size[1])))
    ]
    masks = np.zeros(len(rows), dtype=np.int64)
    np.bitwise_or.at(masks, found, codes.category_bits[yellow["c"]])
    unique, inverse = np.unique(masks, return_inverse=True)
    names = np.array(
        ["、".join(n for i, n in enumerate(codes.category_names) if m >> i & 1) for m in unique],
        dtype=object,
    )
    return names[inverse]


def _join_reasons(parts: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    reason = np.full(len(parts[0][0]), "", dtype=object)
    for mask, more in parts:
        separator = np.where(reason == "", "", "；").astype(object)
        reason = np.where(mask, reason + separator + more, reason)
    return reason


def _actions(period: np.ndarray, village, action: str, reason: np.ndarray) -> pd.DataFrame:
    """Rows of the actions table: `period` a position in Codes.periods, `village` a code."""
    return pd.DataFrame(
        {
            "period": np.asarray(period, dtype=np.int32),
            "v": np.asarray(village, dtype=np.int32),
            "action": np.full(len(reason), np.searchsorted(ACTIONS, action), dtype=np.int8),
            "reason": np.asarray(reason, dtype=object),
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
    months = concat(codes.month_words[p - 1], "与", codes.month_words[p])
    first, _, joined = join_runs(_village_year(pairs, codes), months, "、")
    chosen = pairs.iloc[first]
    reason = concat("同一年内连续两期获黄旗（", joined, "）")
    return _actions(codes.year_period[chosen["y"]], chosen["v"], "downgrade", reason)


def _star_losses(history: pd.DataFrame, codes: Codes) -> pd.DataFrame:
    yellow = history[history["yellow"] >= 1]
    first, count, joined = join_runs(
        _village_year(yellow, codes), codes.month_words[yellow["p"].to_numpy()], "、"
    )
    lost = count >= STAR_LOSS_PERIODS
    chosen = yellow.iloc[first[lost]]
    year = codes.years[chosen["y"]]
    reason = concat(year, "年有", digits(count[lost]), "期获黄旗（", joined[lost], "）")
    return _actions(codes.year_period[chosen["y"]], chosen["v"], "star_loss", reason)


def _priorities(years: pd.DataFrame, codes: Codes) -> pd.DataFrame:
    chosen = years[years["priority_rank"] > 0]
    reason = concat(
        digits(chosen["red"]),
        f"面红旗，{codes.whole_town}第",
        digits(chosen["priority_rank"]),
        "名（本年无一票否决）",
    )
    return _actions(codes.year_period[chosen["y"]], chosen["v"], "priority", reason)


def _village_year(history: pd.DataFrame, codes: Codes) -> np.ndarray:
    return pack((history["v"], len(codes.villages)), (history["y"], len(codes.years)))


# -- a village's year: flags, money and 优先评优 (§4) -------------------------------------------------


def village_years(rewards: pd.DataFrame, events: pd.DataFrame, codes: Codes) -> pd.DataFrame:
    """Per village active in a year (y, v, sorted): its flags and money summed, and its rank for
    优先评优 by red flags among the villages with one and no veto that year (0: not chosen)."""
    sizes = (len(codes.years), len(codes.villages))
    y = codes.year_of_month[rewards["p"].to_numpy()]
    keys, inverse = distinct(pack((y, sizes[0]), (rewards["v"], sizes[1])), sizes[0] * sizes[1])
    frame = pd.DataFrame({"y": keys // sizes[1], "v": keys % sizes[1]})
    for column in ("red", "yellow", "reward", "penalty"):
        frame[column] = group_sums(inverse, rewards[column].to_numpy(), len(keys))
    frame["net"] = frame["reward"] - frame["penalty"]
    vetoes = events[events["event"] == "veto"]
    vetoed = among(keys, pack((vetoes["y"], sizes[0]), (vetoes["v"], sizes[1])), math.prod(sizes))
    eligible = (frame["red"].to_numpy() >= 1) & ~vetoed
    frame["priority_rank"] = competition_rank(
        frame["y"].to_numpy(), frame["red"].to_numpy(), eligible
    )
    return frame


# -- §3.6 grid averages ------------------------------------------------------------------------------


def grid_averages(flagged: Columns, codes: Codes) -> pd.DataFrame:
    """Mean final score of the scored villages per month, grid and category, half-up to 0.01."""
    scored = flagged["scored"]
    sizes = (len(codes.months), len(codes.grids), len(codes.categories))
    keys = pack(*zip((flagged["p"], flagged["g"], flagged["c"]), sizes, strict=True))[scored]
    unique, inverse = distinct(keys, sizes[0] * sizes[1] * sizes[2])
    total = group_sums(inverse, flagged["final"][scored], len(unique))
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
    unique, inverse = distinct(keys, sizes[0] * sizes[1] * sizes[2])
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


def flag_table(monthly: Columns, annual: Columns, codes: Codes) -> pd.DataFrame:
    """The published rows of both, sorted by period (years before their months), grid, village
    and category; adjustment = final − cell (an unscored cell counts 0).

    The last use of the cells: their columns are taken out of `monthly` and `annual` as the
    table's are made, so that a county's cells and its table are never both whole in memory."""

    def both(name: str) -> np.ndarray:  # one column at a time: a county's rows are many
        return np.concatenate([monthly[name], annual[name]])

    period = np.concatenate([codes.month_period[monthly["p"]], codes.year_period[annual["p"]]])
    rows = np.flatnonzero(both("published"))
    key = period[rows].astype(np.int64)
    size = len(codes.periods)
    for name, values in (("g", codes.grids), ("v", codes.villages), ("c", codes.categories)):
        key *= len(values)
        key += both(name)[rows]
        size *= len(values)
    rows = rows[order_by(key, size)]
    del key

    def column(name: str) -> np.ndarray:
        return np.concatenate([monthly.pop(name), annual.pop(name)])[rows]

    table = {
        "period": text(codes.periods, period[rows]),
        "grid": text(codes.grids, column("g")),
        "village_id": text(codes.villages, column("v")),
        "category": text(codes.categories, column("c")),
    }
    unscored = ~column("scored")
    final, cell = column("final"), column("cell")
    table |= {
        "score": pd.arrays.IntegerArray(narrow(final), unscored),
        "rank": _int_or_na(column("rank")),
        "flag": text(FLAG_TEXT, column("flag"), "str"),
        "basis": text(BASIS_TEXT, column("basis"), "str"),
        "cell": pd.arrays.IntegerArray(narrow(cell), unscored),
        "adjustment": pd.arrays.IntegerArray(narrow(final - cell), np.zeros(len(rows), bool)),
        **{name: column(name) for name in ("vetoed", "tied", "moved_up")},
    }
    return pd.DataFrame(table, copy=False)


def _int_or_na(values: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Ranks as nullable integers, 0 (not ranked) as <NA>."""
    return pd.arrays.IntegerArray(narrow(values), values == 0)


def reward_table(rewards: pd.DataFrame, codes: Codes) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": text(codes.months, rewards["p"].to_numpy()),
            "village_id": text(codes.villages, rewards["v"].to_numpy()),
            **{c: narrow(rewards[c]) for c in ("red", "yellow", "reward", "penalty", "net")},
        },
        copy=False,
    )


def action_table(parts: list[pd.DataFrame], codes: Codes) -> pd.DataFrame:
    actions = pd.concat(parts, ignore_index=True)
    period, village, action = (actions[k].to_numpy() for k in ("period", "v", "action"))
    order = np.lexsort((action, village, period))
    return pd.DataFrame(
        {
            "period": text(codes.periods, period[order], "str"),
            "village_id": text(codes.villages, village[order], "str"),
            "action": text(ACTIONS, action[order], "str"),
            "reason": pd.Series(actions["reason"].to_numpy()[order], dtype="str"),
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

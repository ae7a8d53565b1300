"""RULES.md §3–§4 as pure functions over DataFrames: scores → flags → money → actions → averages.

Scores are integer hundredths of a point throughout, so ties and sums are exact.

Where RULES.md leaves a choice (also explained to villagers in content/pages/rules.md):
- several 加分/扣分 on one cell add up; a repeated 现场会 gives one flag;
- a 现场会 on an unscored cell still gives the meeting red flag (no score, no rank);
- a vetoed meeting host holds no meeting flag, so it is yellow-eligible like any vetoed village;
- `basis` is "rank" for yellow flags too (they come from the ascending rank);
- Q is the period before P among all periods, so a village absent or unscored in Q has no chain;
- a grid with no scored village in a category has no grid_averages row;
- yearly grid totals add the rounded monthly averages; equal best totals all lead;
- priority counts red flags of monthly and optional categories only, ranked over the town.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from generator.load.loader import Dataset

GROUP = ["period", "grid", "category"]


@dataclass(frozen=True)
class Results:
    flags: pd.DataFrame  # period, grid, village_id, category, score, rank, flag, basis, + extras
    rewards: pd.DataFrame  # period, village_id, red, yellow, reward, penalty, net
    actions: pd.DataFrame  # period, village_id, action, reason
    grid_averages: pd.DataFrame  # period, grid, category, average, count
    grid_year_totals: pd.DataFrame  # year, grid, category, total, leader


def compute(data: Dataset) -> Results:
    grids = pd.Series({v.id: v.grid for v in data.villages}, dtype="string")
    vetoes = vetoed_villages(data.events)
    monthly = final_scores(data.scores, data.events, grids)
    monthly = monthly.merge(rule_table(data, data.periods), on="period")
    monthly = mark_events(monthly, data.events, vetoes)
    monthly_flags = flags(monthly)
    rewards = money(monthly_flags, data)
    averages = grid_averages(monthly_flags)
    history = yellow_history(rewards, data.periods)
    actions = pd.concat(
        [monthly_actions(history, monthly_flags, data), yearly_actions(history, rewards, vetoes)],
        ignore_index=True,
    )
    annual = annual_flags(data, grids, vetoes)
    all_flags = pd.concat([monthly_flags, annual], ignore_index=True)
    return Results(
        flags=_sorted(_published_flags(all_flags), ["period", "grid", "village_id", "category"]),
        rewards=_sorted(rewards, ["period", "village_id"]),
        actions=_sorted(actions, ["period", "village_id", "action"]),
        grid_averages=_sorted(_in_points(averages, "average"), GROUP),
        grid_year_totals=_sorted(
            _in_points(grid_year_totals(averages), "total"), ["year", "grid", "category"]
        ),
    )


# -- §3.1 final score and rank -------------------------------------------------------


def final_scores(scores: pd.DataFrame, events: pd.DataFrame, grids: pd.Series) -> pd.DataFrame:
    """Cell + 加分 − 扣分 (not clamped); the village's grid attached."""
    adjustments = events[events["event"].isin(["bonus", "deduction"])]
    signed = adjustments["value"].where(adjustments["event"] == "bonus", -adjustments["value"])
    totals = (
        adjustments.assign(adjustment=signed)
        .groupby(["period", "village_id", "category"], as_index=False)["adjustment"]
        .sum()
    )
    frame = scores.merge(totals, on=["period", "village_id", "category"], how="left")
    frame["adjustment"] = frame["adjustment"].fillna(0).astype("Int64")
    frame["final"] = frame["cell"] + frame["adjustment"]
    frame["grid"] = frame["village_id"].map(grids).astype("string")
    return frame


def competition_rank(frame: pd.DataFrame, values: pd.Series, ascending: bool) -> pd.Series:
    """1 + the number of strictly better values in the same group ("1224"); NA stays NA."""
    keyed = frame[GROUP].assign(_value=values.astype("float64"))
    return keyed.groupby(GROUP, sort=False)["_value"].rank(method="min", ascending=ascending)


# -- §3.3 / §3.4 events ---------------------------------------------------------------


def vetoed_villages(events: pd.DataFrame) -> pd.DataFrame:
    """(period, village_id) pairs with a 一票否决 in that period."""
    vetoes = events.loc[events["event"] == "veto", ["period", "village_id"]]
    return vetoes.drop_duplicates().reset_index(drop=True)


def mark_events(frame: pd.DataFrame, events: pd.DataFrame, vetoes: pd.DataFrame) -> pd.DataFrame:
    """Add `vetoed` (any veto that period) and `meeting` (hosted a meeting in this category)."""
    meetings = events.loc[events["event"] == "meeting", ["period", "village_id", "category"]]
    frame = _flag_join(frame, vetoes, "vetoed")
    return _flag_join(frame, meetings.drop_duplicates(), "meeting")


def _flag_join(frame: pd.DataFrame, keys: pd.DataFrame, column: str) -> pd.DataFrame:
    marked = keys.assign(**{column: True})
    frame = frame.merge(marked, on=list(keys.columns), how="left")
    frame[column] = frame[column].fillna(False).astype(bool)
    return frame


# -- §3.2 red and yellow flags ------------------------------------------------------------


def flags(frame: pd.DataFrame) -> pd.DataFrame:
    """Rank, red and yellow flags for every group of (period, grid, category)."""
    scored = frame["final"].notna().to_numpy(dtype=bool)
    frame = frame.assign(scored=scored)
    frame["rank"] = competition_rank(frame, frame["final"], ascending=False).astype("Int64")
    meeting_red = frame["meeting"] & ~frame["vetoed"]
    red_eligible = frame["scored"] & ~frame["vetoed"] & ~frame["meeting"]
    red_rank = competition_rank(frame, frame["final"].where(red_eligible), ascending=False)
    red_by_rank = (red_rank <= frame["red_count"]).fillna(False).astype(bool)
    yellow_eligible = frame["scored"] & ~red_by_rank & ~meeting_red
    yellow_rank = competition_rank(frame, frame["final"].where(yellow_eligible), ascending=True)
    yellow = (yellow_rank <= frame["yellow_count"]).fillna(False).astype(bool)
    red = red_by_rank | meeting_red
    frame["flag"] = pd.Series(np.select([red, yellow], ["red", "yellow"], ""), index=frame.index)
    frame["basis"] = pd.Series(
        np.select([meeting_red, red_by_rank | yellow], ["meeting", "rank"], ""), index=frame.index
    )
    frame["tied"] = frame["scored"] & (
        frame.groupby([*GROUP, "final"], dropna=False)["village_id"].transform("size") > 1
    )
    return frame[frame["scored"] | red]


# -- rule versions ------------------------------------------------------------------------


def rule_table(data: Dataset, periods) -> pd.DataFrame:
    """One row per period (or year) with the parameters of the rule version in force."""
    rows = []
    for period in periods:
        rule = data.rule_for(period)
        rows.append(
            {
                "period": period,
                "rules_from": rule.from_,
                "red_count": rule.red_count,
                "yellow_count": rule.yellow_count,
            }
        )
    return pd.DataFrame(rows, columns=["period", "rules_from", "red_count", "yellow_count"]).astype(
        {"period": "string", "rules_from": "string"}
    )


def tier_amount(flag_counts: pd.Series, tiers: tuple[int, ...]) -> pd.Series:
    """Amount for 1, 2, 3… flags; more flags than the list is long take its last amount."""
    table = np.array((0, *tiers), dtype="int64")
    return pd.Series(table[np.minimum(flag_counts.to_numpy(), len(tiers))], index=flag_counts.index)


# -- §3.5 rewards and penalties --------------------------------------------------------------


def money(frame: pd.DataFrame, data: Dataset) -> pd.DataFrame:
    """Red and yellow flag counts per active village and period, and their money."""
    active = data.scores[["period", "village_id"]].drop_duplicates()
    counts = (
        frame.assign(red=frame["flag"] == "red", yellow=frame["flag"] == "yellow")
        .groupby(["period", "village_id"], as_index=False)[["red", "yellow"]]
        .sum()
    )
    rewards = active.merge(counts, on=["period", "village_id"], how="left")
    rewards[["red", "yellow"]] = rewards[["red", "yellow"]].fillna(0).astype("int64")
    rewards["reward"] = 0
    rewards["penalty"] = 0
    rules_from = rewards["period"].map(
        rule_table(data, data.periods).set_index("period")["rules_from"]
    )
    for rule in data.town.rules:
        in_force = (rules_from == rule.from_).to_numpy(dtype=bool)
        rewards.loc[in_force, "reward"] = tier_amount(
            rewards.loc[in_force, "red"], rule.reward_tiers
        )
        rewards.loc[in_force, "penalty"] = tier_amount(
            rewards.loc[in_force, "yellow"], rule.penalty_tiers
        )
    rewards["net"] = rewards["reward"] - rewards["penalty"]
    return rewards.reset_index(drop=True)


# -- §4 consequences ---------------------------------------------------------------------------


def yellow_history(rewards: pd.DataFrame, periods: tuple[str, ...]) -> pd.DataFrame:
    """Per village and period: yellow now, in the previous period (Q), and the year's running total."""
    order = {p: i for i, p in enumerate(periods)}
    history = rewards[["period", "village_id", "yellow"]].copy()
    history["index"] = history["period"].map(order).astype("int64")
    history["year"] = history["period"].str[:4]
    previous = history[["village_id", "index", "period", "yellow"]].rename(
        columns={"period": "previous_period", "yellow": "previous_yellow"}
    )
    previous["index"] += 1
    history = history.merge(previous, on=["village_id", "index"], how="left")
    history["previous_yellow"] = history["previous_yellow"].fillna(0).astype("int64")
    history = history.sort_values(["village_id", "index"])
    history["year_total"] = history.groupby(["village_id", "year"])["yellow"].cumsum()
    return history


def monthly_actions(history: pd.DataFrame, frame: pd.DataFrame, data: Dataset) -> pd.DataFrame:
    """约谈, 警告 and 停职 for each period, with every trigger named in the reason."""
    # every monthly action needs a yellow flag in P; the year's running total is already summed
    history = history[history["yellow"] >= 1].merge(
        _yellow_categories(frame, data), on=["period", "village_id"], how="left"
    )
    now = history["yellow"].astype(str)
    before = history["previous_yellow"].astype(str)
    pair = (
        history["previous_period"].fillna("")
        + "黄旗"
        + before
        + "面、"
        + history["period"]
        + "黄旗"
        + now
        + "面"
    )
    streak = (history["yellow"] >= 1) & (history["previous_yellow"] >= 1)
    reached = (history["year_total"] >= 3) & (history["year_total"] - history["yellow"] < 3)
    heavy = (history["yellow"] >= 3) & (history["previous_yellow"] >= 3)
    interview_reason = "本期获黄旗" + now + "面(" + history["categories"].fillna("") + ")"
    streak_reason = "连续两期获黄旗(" + pair + ")"
    reached_reason = (
        history["period"].str[:4]
        + "年累计黄旗达到3面(截至"
        + history["period"]
        + "共"
        + history["year_total"].astype(str)
        + "面)"
    )
    warning_reason = _join_reasons([(streak, streak_reason), (reached, reached_reason)])
    heavy_reason = "连续两期各获3面及以上黄旗(" + pair + ")"
    return pd.concat(
        [
            _actions(history, history["yellow"] >= 1, "interview", interview_reason),
            _actions(history, streak | reached, "warning", warning_reason),
            _actions(history, heavy, "suspension", heavy_reason),
        ],
        ignore_index=True,
    )


def _yellow_categories(frame: pd.DataFrame, data: Dataset) -> pd.DataFrame:
    names = {c.id: c.name for c in data.town.categories}
    order = {c.id: i for i, c in enumerate(data.town.categories)}
    yellow = frame.loc[frame["flag"] == "yellow", ["period", "village_id", "category"]]
    yellow = yellow.assign(order=yellow["category"].map(order)).sort_values("order")
    yellow["name"] = yellow["category"].map(names)
    return (
        yellow.groupby(["period", "village_id"], as_index=False)["name"]
        .agg("、".join)
        .rename(columns={"name": "categories"})
    )


def _join_reasons(parts: list[tuple[pd.Series, pd.Series]]) -> pd.Series:
    reason = pd.Series("", index=parts[0][0].index, dtype="object")
    for mask, text in parts:
        separator = np.where(reason == "", "", ";")
        reason = reason.where(~mask, reason + separator + text)
    return reason


def _actions(
    frame: pd.DataFrame, mask: pd.Series, action: str, reason: pd.Series, period: str = "period"
) -> pd.DataFrame:
    chosen = frame.loc[mask]
    return pd.DataFrame(
        {
            "period": chosen[period].astype("string").to_numpy(),
            "village_id": chosen["village_id"].astype("string").to_numpy(),
            "action": action,
            "reason": reason[mask].astype("string").to_numpy(),
        }
    )


def yearly_actions(
    history: pd.DataFrame, rewards: pd.DataFrame, vetoes: pd.DataFrame
) -> pd.DataFrame:
    """降档, 降星 and 优先评优 per calendar year."""
    return pd.concat(
        [_downgrades(history), _star_losses(history), _priorities(rewards, vetoes)],
        ignore_index=True,
    )


def _downgrades(history: pd.DataFrame) -> pd.DataFrame:
    same_year = history["previous_period"].fillna("").str[:4] == history["year"]
    pairs = history[(history["yellow"] >= 1) & (history["previous_yellow"] >= 1) & same_year]
    pairs = pairs.assign(pair=pairs["previous_period"] + "与" + pairs["period"])
    per_year = pairs.groupby(["year", "village_id"], as_index=False)["pair"].agg("、".join)
    reason = "同一年内连续两期获黄旗(" + per_year["pair"] + ")"
    return _actions(per_year, per_year["pair"].notna(), "downgrade", reason, period="year")


def _star_losses(history: pd.DataFrame) -> pd.DataFrame:
    yellow = history[history["yellow"] >= 1]
    per_year = yellow.groupby(["year", "village_id"], as_index=False).agg(
        periods=("period", "、".join), count=("period", "size")
    )
    reason = (
        per_year["year"]
        + "年有"
        + per_year["count"].astype(str)
        + "期获黄旗("
        + per_year["periods"]
        + ")"
    )
    return _actions(per_year, per_year["count"] >= 3, "star_loss", reason, period="year")


def _priorities(rewards: pd.DataFrame, vetoes: pd.DataFrame) -> pd.DataFrame:
    reds = rewards.assign(year=rewards["period"].str[:4])
    totals = reds.groupby(["year", "village_id"], as_index=False)["red"].sum()
    vetoed_years = vetoes.assign(year=vetoes["period"].str[:4])[["year", "village_id"]]
    totals = _flag_join(totals, vetoed_years.drop_duplicates(), "vetoed")
    eligible = totals[(totals["red"] >= 1) & ~totals["vetoed"]].copy()
    eligible["rank"] = eligible.groupby("year")["red"].rank(method="min", ascending=False)
    reason = (
        eligible["red"].astype(str)
        + "面红旗,全镇第"
        + eligible["rank"].astype("int64").astype(str)
        + "名(本年无一票否决)"
    )
    return _actions(eligible, eligible["red"] >= 1, "priority", reason, period="year")


# -- annual categories (§4, last paragraph) -----------------------------------------------------


def annual_flags(data: Dataset, grids: pd.Series, vetoes: pd.DataFrame) -> pd.DataFrame:
    """Flags of the annual categories: §3.2 with December's rules; a veto in the year bars red."""
    if data.annual.empty:
        return pd.DataFrame()
    frame = data.annual.rename(columns={"year": "period"}).assign(adjustment=0)
    frame["adjustment"] = frame["adjustment"].astype("Int64")
    frame["final"] = frame["cell"]
    frame["grid"] = frame["village_id"].map(grids).astype("string")
    frame = frame.merge(rule_table(data, sorted(data.annual_files)), on="period")
    vetoed_years = vetoes.assign(period=vetoes["period"].str[:4]).drop_duplicates()
    frame = _flag_join(frame, vetoed_years, "vetoed").assign(meeting=False)
    return flags(frame)


# -- §3.6 grid averages ---------------------------------------------------------------------------


def grid_averages(frame: pd.DataFrame) -> pd.DataFrame:
    """Mean final score of the scored villages per grid, category and period, half-up to 0.01."""
    scored = frame[frame["scored"]]
    sums = scored.groupby(GROUP, as_index=False).agg(
        total=("final", "sum"), count=("final", "size")
    )
    sums["average"] = round_half_up(sums["total"].astype("int64"), sums["count"])
    return sums[[*GROUP, "average", "count"]]


def round_half_up(total: pd.Series, count: pd.Series) -> pd.Series:
    """total / count (both hundredths-exact integers) rounded half away from zero, in hundredths."""
    magnitude = (2 * total.abs() + count) // (2 * count)
    return (np.sign(total) * magnitude).astype("int64")


def grid_year_totals(averages: pd.DataFrame) -> pd.DataFrame:
    """Per year, grid and category: the sum of monthly averages; the highest total leads."""
    yearly = averages.assign(year=averages["period"].str[:4])
    totals = yearly.groupby(["year", "grid", "category"], as_index=False)["average"].sum()
    best = totals.groupby(["year", "category"])["average"].transform("max")
    totals["leader"] = totals["average"] == best
    return totals.rename(columns={"average": "total"})


# -- output shape --------------------------------------------------------------------------------


def _published_flags(frame: pd.DataFrame) -> pd.DataFrame:
    columns = [
        "period",
        "grid",
        "village_id",
        "category",
        "final",
        "rank",
        "flag",
        "basis",
        "cell",
        "adjustment",
        "vetoed",
        "tied",
    ]
    frame = frame[columns].rename(columns={"final": "score"})
    return frame.assign(**{c: to_points(frame[c]) for c in ("score", "cell", "adjustment")})


def _in_points(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    return frame.assign(**{column: to_points(frame[column])})


def to_points(hundredths: pd.Series) -> pd.Series:
    """Integer hundredths → points as floats (exact for two decimals once formatted)."""
    return hundredths.astype("Float64") / 100


def _sorted(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    if frame.empty:
        return frame.reset_index(drop=True)
    return frame.sort_values(keys, kind="stable").reset_index(drop=True)

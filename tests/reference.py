"""A deliberately plain, loop-based reading of RULES.md §3–§5, written apart from rules.py.

Property tests compare it with `flagboard compute` on random towns. It favours
obviousness over speed: every rule is spelled out as the text says it.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from generator.load import Dataset
from generator.periods import december, year_of


def fmt(hundredths: int | None) -> str:
    if hundredths is None:
        return ""
    return (
        format(Decimal(hundredths) / 100, "f").rstrip("0").rstrip(".")
        if hundredths % 100
        else str(hundredths // 100)
    )


def tier(count: int, tiers) -> int:
    return 0 if count == 0 else tiers[min(count, len(tiers)) - 1]


def flag_group(
    members: dict[str, int | None], vetoed: set, meeting: set, red_count: int, yellow_count: int
) -> dict[str, tuple]:
    """members: village → final score (None = unscored). Returns village → (rank, flag, basis)."""
    scored = {v: s for v, s in members.items() if s is not None}
    out = {}
    meeting_red = {v for v in members if v in meeting and v not in vetoed}
    red_eligible = {v: s for v, s in scored.items() if v not in vetoed and v not in meeting}
    red = {
        v
        for v, s in red_eligible.items()
        if 1 + sum(1 for t in red_eligible.values() if t > s) <= red_count
    }
    yellow_eligible = {v: s for v, s in scored.items() if v not in red and v not in meeting_red}
    yellow = {
        v
        for v, s in yellow_eligible.items()
        if 1 + sum(1 for t in yellow_eligible.values() if t < s) <= yellow_count
    }
    for v in members:
        if v not in scored and v not in meeting_red:
            continue
        rank = 1 + sum(1 for t in scored.values() if t > scored[v]) if v in scored else None
        if v in meeting_red:
            out[v] = (rank, "red", "meeting")
        elif v in red:
            out[v] = (rank, "red", "rank")
        elif v in yellow:
            out[v] = (rank, "yellow", "rank")
        else:
            out[v] = (rank, "", "")
    return out


def reference(data: Dataset) -> dict[str, list[list[str]]]:
    grid_of = {v.id: v.grid for v in data.villages}
    flags, rewards, averages = [], [], []
    yellow_count: dict[tuple[str, str], int] = {}  # (period, village) → yellow flags
    red_total: dict[tuple[str, str], int] = {}
    vetoed_years: set[tuple[str, str]] = set()
    for period in data.periods:
        rule = data.rule_for(period)
        cells = data.scores[data.scores["period"] == period]
        events = data.events[data.events["period"] == period]
        vetoed = set(events[events["event"] == "veto"]["village_id"])
        vetoed_years |= {(year_of(period), v) for v in vetoed}
        adjust: dict[tuple, int] = {}
        for e in events.itertuples():
            if e.event in ("bonus", "deduction"):
                sign = 1 if e.event == "bonus" else -1
                adjust[(e.village_id, e.category)] = adjust.get(
                    (e.village_id, e.category), 0
                ) + sign * int(e.value)
        meetings = {(e.village_id, e.category) for e in events.itertuples() if e.event == "meeting"}
        active = list(dict.fromkeys(cells["village_id"]))
        reds = dict.fromkeys(active, 0)
        yellows = dict.fromkeys(active, 0)
        for category in data.period_files[period].categories:
            for grid in [g.id for g in data.town.grids]:
                members = {}
                for c in cells[(cells["category"] == category)].itertuples():
                    if grid_of[c.village_id] != grid:
                        continue
                    try:
                        cell = int(c.cell)
                    except (TypeError, ValueError):
                        cell = None
                    members[c.village_id] = (
                        None if cell is None else cell + adjust.get((c.village_id, category), 0)
                    )
                if not members:
                    continue
                meeting = {v for v in members if (v, category) in meetings}
                result = flag_group(members, vetoed, meeting, rule.red_count, rule.yellow_count)
                for v, (rank, flag, basis) in result.items():
                    flags.append(
                        [
                            period,
                            grid,
                            v,
                            category,
                            fmt(members[v]),
                            "" if rank is None else str(rank),
                            flag,
                            basis,
                        ]
                    )
                    reds[v] += flag == "red"
                    yellows[v] += flag == "yellow"
                scored = [s for s in members.values() if s is not None]
                if scored:
                    mean = (Decimal(sum(scored)) / len(scored)).quantize(Decimal(1), ROUND_HALF_UP)
                    averages.append([period, grid, category, fmt(int(mean)), str(len(scored))])
        for v in active:
            reward, penalty = tier(reds[v], rule.reward_tiers), tier(yellows[v], rule.penalty_tiers)
            rewards.append(
                [
                    period,
                    v,
                    str(reds[v]),
                    str(yellows[v]),
                    str(reward),
                    str(penalty),
                    str(reward - penalty),
                ]
            )
            yellow_count[(period, v)] = yellows[v]
            red_total[(year_of(period), v)] = red_total.get((year_of(period), v), 0) + reds[v]
    flags += annual_flags(data, grid_of, vetoed_years)
    all_actions = actions_of(data, yellow_count, red_total, vetoed_years)
    return {
        "priority_reasons": {(r[0], r[1]): r[3] for r in all_actions if r[2] == "priority"},
        "flags": sorted(flags),
        "rewards": sorted(rewards),
        "actions": sorted(row[:3] for row in all_actions),
        "grid_averages": sorted(averages),
    }


def annual_flags(data: Dataset, grid_of: dict, vetoed_years: set) -> list[list[str]]:
    rows = []
    for year, info in data.annual_files.items():
        rule = data.rule_for(december(year))
        cells = data.annual[data.annual["year"] == year]
        vetoed = {v for (y, v) in vetoed_years if y == year}
        for category in info.categories:
            for grid in [g.id for g in data.town.grids]:
                members = {}
                for c in cells[cells["category"] == category].itertuples():
                    if grid_of[c.village_id] == grid:
                        try:
                            members[c.village_id] = int(c.cell)
                        except (TypeError, ValueError):
                            members[c.village_id] = None
                result = flag_group(members, vetoed, set(), rule.red_count, rule.yellow_count)
                for v, (rank, flag, basis) in result.items():
                    rows.append(
                        [
                            year,
                            grid,
                            v,
                            category,
                            fmt(members[v]),
                            "" if rank is None else str(rank),
                            flag,
                            basis,
                        ]
                    )
    return rows


def actions_of(data: Dataset, yellow: dict, red_total: dict, vetoed_years: set) -> list[list[str]]:
    rows = []
    periods = list(data.periods)
    villages = [v.id for v in data.villages]
    for v in villages:
        for i, p in enumerate(periods):
            if (p, v) not in yellow:
                continue
            now = yellow[(p, v)]
            before = yellow.get((periods[i - 1], v), 0) if i > 0 else 0
            year_so_far = sum(
                yellow.get((q, v), 0) for q in periods[: i + 1] if year_of(q) == year_of(p)
            )
            if now >= 1:
                rows.append([p, v, "interview"])
            if (now >= 1 and before >= 1) or (year_so_far >= 3 > year_so_far - now):
                rows.append([p, v, "warning"])
            if now >= 3 and before >= 3:
                rows.append([p, v, "suspension"])
        for year in sorted({year_of(p) for p in periods}):
            in_year = [p for p in periods if year_of(p) == year]
            flagged = [p for p in in_year if yellow.get((p, v), 0) >= 1]
            consecutive = any(
                yellow.get((periods[i - 1], v), 0) >= 1
                and yellow.get((p, v), 0) >= 1
                and year_of(periods[i - 1]) == year
                for i, p in enumerate(periods)
                if i > 0 and year_of(p) == year
            )
            if consecutive:
                rows.append([year, v, "downgrade"])
            if len(flagged) >= 3:
                rows.append([year, v, "star_loss"])
    for year in sorted({year_of(p) for p in periods}):
        eligible = {
            v: red_total.get((year, v), 0)
            for v in villages
            if red_total.get((year, v), 0) >= 1 and (year, v) not in vetoed_years
        }
        for v, total in eligible.items():
            rank = 1 + sum(1 for t in eligible.values() if t > total)
            rows.append([year, v, "priority", f"{total}面红旗，{data.words.whole}第{rank}名"])
    return rows

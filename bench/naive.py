"""A plain loop-based implementation of RULES.md §3–§5: the yardstick of `bench/run.py compute`.

`python bench/naive.py SCORES OUT` reads the scores folder with flagboard's own loader (§2 is
the same on both sides), then follows the text of RULES.md with plain loops, as
tests/reference.py does (whose logic this adapts; bench/ does not import tests/): for every
period, category and grid it picks that group's cells out of the period's rows and ranks them
by counting strictly better scores; then it writes the four contract CSV files (§5) with the csv
module. Its files are byte-identical to `flagboard compute`'s (bench/run.py checks this), so
the two are timed doing the same job.
"""

from __future__ import annotations

import csv
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from generator.load import Dataset, load


def fmt(hundredths: int | None) -> str:
    if hundredths is None:
        return ""
    if hundredths % 100 == 0:
        return str(hundredths // 100)
    return format(Decimal(hundredths) / 100, "f").rstrip("0").rstrip(".")


def tier(count: int, tiers) -> int:
    return 0 if count == 0 else tiers[min(count, len(tiers)) - 1]


def flag_group(members: dict, vetoed: set, meeting: set, red_count: int, yellow_count: int):
    """members: village → final score (None = unscored). Returns village → (rank, flag, basis)."""
    scored = {v: s for v, s in members.items() if s is not None}
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
    out = {}
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


def judge(data: Dataset) -> dict[str, list[list[str]]]:
    """The four tables of RULES.md §5 as rows of text."""
    grid_of = {v.id: v.grid for v in data.villages}
    names = {c.id: c.name for c in data.town.categories}
    flags, rewards, averages = [], [], []
    yellow: dict[tuple[str, str], int] = {}  # (period, village) → yellow flags
    yellow_names: dict[tuple[str, str], list[str]] = {}
    red_total: dict[tuple[str, str], int] = {}
    vetoed_years: set[tuple[str, str]] = set()
    for period in data.periods:
        rule = data.rule_for(period)
        cells = data.scores[data.scores["period"] == period]
        events = data.events[data.events["period"] == period]
        vetoed = set(events[events["event"] == "veto"]["village_id"])
        vetoed_years |= {(period[:4], v) for v in vetoed}
        adjust: dict[tuple, int] = {}
        for e in events.itertuples():
            if e.event in ("bonus", "deduction"):
                sign = 1 if e.event == "bonus" else -1
                key = (e.village_id, e.category)
                adjust[key] = adjust.get(key, 0) + sign * int(e.value)
        meetings = {(e.village_id, e.category) for e in events.itertuples() if e.event == "meeting"}
        active = list(dict.fromkeys(cells["village_id"]))
        reds = dict.fromkeys(active, 0)
        yellows = dict.fromkeys(active, 0)
        for category in data.period_files[period].categories:
            for grid in [g.id for g in data.town.grids]:
                members = {}
                for c in cells[cells["category"] == category].itertuples():
                    if grid_of[c.village_id] != grid:
                        continue
                    cell = _points(c.cell)
                    members[c.village_id] = (
                        None if cell is None else cell + adjust.get((c.village_id, category), 0)
                    )
                if not members:
                    continue
                meeting = {v for v in members if (v, category) in meetings}
                result = flag_group(members, vetoed, meeting, rule.red_count, rule.yellow_count)
                for v, (rank, flag, basis) in result.items():
                    flags.append(
                        [period, grid, v, category, fmt(members[v]), _text(rank), flag, basis]
                    )
                    reds[v] += flag == "red"
                    yellows[v] += flag == "yellow"
                    if flag == "yellow":
                        yellow_names.setdefault((period, v), []).append(category)
                scored = [s for s in members.values() if s is not None]
                if scored:
                    mean = (Decimal(sum(scored)) / len(scored)).quantize(Decimal(1), ROUND_HALF_UP)
                    averages.append([period, grid, category, fmt(int(mean)), str(len(scored))])
        for v in active:
            reward, penalty = tier(reds[v], rule.reward_tiers), tier(yellows[v], rule.penalty_tiers)
            rewards.append(
                [period, v, str(reds[v]), str(yellows[v]), str(reward), str(penalty)]
                + [str(reward - penalty)]
            )
            yellow[(period, v)] = yellows[v]
            red_total[(period[:4], v)] = red_total.get((period[:4], v), 0) + reds[v]
    flags += annual_flags(data, grid_of, vetoed_years)
    order = [c.id for c in data.town.categories]
    categories = {
        key: "、".join(names[c] for c in sorted(found, key=order.index))
        for key, found in yellow_names.items()
    }
    actions = monthly_actions(data, yellow, categories) + yearly_actions(
        data, yellow, red_total, vetoed_years
    )
    return {
        "flags": sorted(flags),
        "rewards": sorted(rewards),
        "actions": sorted(actions, key=lambda row: row[:3]),
        "grid_averages": sorted(averages),
    }


def _points(cell) -> int | None:
    """A cell's hundredths, None when empty (未参评)."""
    try:
        return int(cell)
    except (TypeError, ValueError):
        return None


def _text(value) -> str:
    return "" if value is None else str(value)


def annual_flags(data: Dataset, grid_of: dict, vetoed_years: set) -> list[list[str]]:
    rows = []
    for year, info in data.annual_files.items():
        rule = data.rule_for(year)
        cells = data.annual[data.annual["year"] == year]
        vetoed = {v for (y, v) in vetoed_years if y == year}
        for category in info.categories:
            for grid in [g.id for g in data.town.grids]:
                members = {}
                for c in cells[cells["category"] == category].itertuples():
                    if grid_of[c.village_id] == grid:
                        members[c.village_id] = _points(c.cell)
                result = flag_group(members, vetoed, set(), rule.red_count, rule.yellow_count)
                for v, (rank, flag, basis) in result.items():
                    rows.append(
                        [year, grid, v, category, fmt(members[v]), _text(rank), flag, basis]
                    )
    return rows


def monthly_actions(data: Dataset, yellow: dict, categories: dict) -> list[list[str]]:
    rows = []
    periods = list(data.periods)
    for v in [v.id for v in data.villages]:
        for i, p in enumerate(periods):
            if yellow.get((p, v), 0) == 0:
                continue
            now = yellow[(p, v)]
            q = periods[i - 1] if i > 0 else ""
            before = yellow.get((q, v), 0)
            so_far = sum(yellow.get((r, v), 0) for r in periods[: i + 1] if r[:4] == p[:4])
            pair = f"{q}黄旗{before}面、{p}黄旗{now}面"
            rows.append([p, v, "interview", f"本期获黄旗{now}面（{categories[(p, v)]}）"])
            reasons = []
            if before >= 1:
                reasons.append(f"连续两期获黄旗（{pair}）")
            if so_far >= 3 > so_far - now:
                reasons.append(f"{p[:4]}年累计黄旗达到3面（截至{p}共{so_far}面）")
            if reasons:
                rows.append([p, v, "warning", "；".join(reasons)])
            if now >= 3 and before >= 3:
                rows.append([p, v, "suspension", f"连续两期各获3面及以上黄旗（{pair}）"])
    return rows


def yearly_actions(data: Dataset, yellow: dict, red_total: dict, vetoed_years: set) -> list:
    rows = []
    periods = list(data.periods)
    villages = [v.id for v in data.villages]
    years = sorted({p[:4] for p in periods})
    for v in villages:
        for year in years:
            flagged = [p for p in periods if p[:4] == year and yellow.get((p, v), 0) >= 1]
            pairs = [
                f"{periods[i - 1]}与{p}"
                for i, p in enumerate(periods)
                if i > 0
                and p[:4] == year
                and periods[i - 1][:4] == year
                and yellow.get((p, v), 0) >= 1
                and yellow.get((periods[i - 1], v), 0) >= 1
            ]
            if pairs:
                rows.append([year, v, "downgrade", f"同一年内连续两期获黄旗（{'、'.join(pairs)}）"])
            if len(flagged) >= 3:
                reason = f"{year}年有{len(flagged)}期获黄旗（{'、'.join(flagged)}）"
                rows.append([year, v, "star_loss", reason])
    for year in years:
        eligible = {
            v: red_total[(year, v)]
            for v in villages
            if red_total.get((year, v), 0) >= 1 and (year, v) not in vetoed_years
        }
        for v, total in eligible.items():
            rank = 1 + sum(1 for t in eligible.values() if t > total)
            rows.append(
                [
                    year,
                    v,
                    "priority",
                    f"{total}面红旗，{data.words.whole}第{rank}名（本年无一票否决）",
                ]
            )
    return rows


HEADERS = {
    "flags": ["period", "grid", "village_id", "category", "score", "rank", "flag", "basis"],
    "rewards": ["period", "village_id", "red", "yellow", "reward", "penalty", "net"],
    "actions": ["period", "village_id", "action", "reason"],
    "grid_averages": ["period", "grid", "category", "average", "count"],
}


def main(argv: list[str]) -> int:
    scores, out = Path(argv[0]), Path(argv[1])
    tables = judge(load(scores))
    out.mkdir(parents=True, exist_ok=True)
    for name, header in HEADERS.items():
        with (out / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(tables[name])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

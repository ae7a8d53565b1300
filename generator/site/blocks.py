"""The blocks pages are made of (a ranking, a ledger, a list of actions …), arranged from the
rows of a SiteIndex; no I/O. pages.py puts them together into page contexts.

`grid` arguments narrow a block to one grid's villages: a town too large for one page per
period gets a page per grid and period (see pages.py).
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict

from generator import labels
from generator.periods import is_month
from generator.periods import label as period_label
from generator.site.format import cn_number, data_path, points
from generator.site.views import SiteIndex

ACTION_ORDER = ("suspension", "warning", "interview", "priority", "downgrade", "star_loss")
UNRANKED = 10**6  # sorts rows without a rank after the ranked ones


def glance(index: SiteIndex, period: str) -> list[dict]:
    """Per grid and category of the period: the red and the yellow villages."""
    by_group = defaultdict(lambda: {"red": [], "yellow": []})
    for row in index.rows("flags", period):
        if row["flag"]:
            item = index.refs[row["village_id"]] | {"basis": row["basis"]}
            by_group[(row["grid"], row["category"])][row["flag"]].append((row, item))
    categories = index.categories_in(index.period_info[period]["categories"])
    slides = []
    for grid in index.grids:
        rows = []
        for category in categories:
            group = by_group[(grid["id"], category["id"])]
            rows.append(
                {
                    "category": category,
                    "reds": [i for r, i in sorted(group["red"], key=_pair_key(index))],
                    "yellows": [i for r, i in sorted(group["yellow"], key=_pair_key(index))],
                }
            )
        slides.append({"grid": index.grid_ref(grid["id"]), "rows": rows})
    return slides


def _pair_key(index: SiteIndex):
    return lambda pair: row_key(index, pair[0])


def row_key(index: SiteIndex, row: dict) -> tuple:
    """Rank order, then the town's order of villages."""
    rank = row["rank"] if row["rank"] is not None else UNRANKED
    return (rank, index.village_order[row["village_id"]])


def flag_totals(index: SiteIndex, period: str, grid: str | None = None) -> dict:
    """The flags of a period (of one grid) and how many villages took part (参评: scored in a
    category; an active village scored in none is not counted)."""
    counts = Counter(r["flag"] for r in index.grid_rows("flags", period, grid))
    evaluated = index.evaluated(period)
    villages = sum(r["village_id"] in evaluated for r in index.grid_rows("rewards", period, grid))
    return {"red": counts["red"], "yellow": counts["yellow"], "villages": villages}


def period_summary(index: SiteIndex, period: str) -> str:
    totals = flag_totals(index, period)
    return (
        f"{index.town}{period_label(period)}红黄旗评比结果：{totals['villages']}个村参评，"
        f"共评出红旗{totals['red']}面、黄旗{totals['yellow']}面。"
    )


def period_description(index: SiteIndex, period: str) -> str:
    return period_summary(index, period) + "查看各村得分、排名和奖罚。"


def rankings(
    index: SiteIndex, period: str, category_ids: list[str], grid: str | None = None
) -> list[dict]:
    """Per grid, per category: every active village in rank order, with why it got a flag."""
    rule = index.rule(period)
    by_group = defaultdict(list)
    for row in index.grid_rows("flags", period, grid):
        by_group[(row["grid"], row["category"])].append(row)
    active = defaultdict(list)
    if is_month(period):
        for row in index.grid_rows("rewards", period, grid):
            active[index.village[row["village_id"]]["grid"]].append(row["village_id"])
    sections = []
    for g in index.grids if grid is None else [index.grid[grid]]:
        tables = []
        for category in index.categories_in(category_ids):
            rows = sorted(by_group[(g["id"], category["id"])], key=lambda r: row_key(index, r))
            seen = {r["village_id"] for r in rows}
            table = [_ranking_row(index, r, rule) for r in rows]
            table += [
                {"village": index.refs[v], "score": None, "unscored": True}
                for v in active[g["id"]]
                if v not in seen
            ]
            for row in table:
                row["anchor"] = row_anchor(category["id"], row["village"]["id"])
            if table:
                anchor = table_anchor(g["id"], category["id"])
                tables.append({"category": category, "rows": table, "anchor": anchor})
        if tables:
            sections.append({"grid": index.grid_ref(g["id"]), "tables": tables})
    return sections


def table_anchor(grid_id: str, category_id: str) -> str:
    """The id of a grid's ranking table of a category on a period page."""
    return f"t-{grid_id}-{category_id}"


def row_anchor(category_id: str, village_id: str) -> str:
    """The id of a village's row in a category's ranking table (a village ranks in one grid)."""
    return f"r-{category_id}-{village_id}"


def _ranking_row(index: SiteIndex, row: dict, rule: dict) -> dict:
    fixes = index.fixes
    return {
        "village": index.refs[row["village_id"]],
        "score": row["score"],
        "cell": row.get("cell"),
        "adjustment": row.get("adjustment") or 0,
        "rank": row["rank"],
        "flag": row["flag"],
        "why": why(row, rule),
        "fix": fixes.get((row["period"], row["village_id"], row["category"])) if fixes else None,
    }


def event_rows(index: SiteIndex, events: list[dict], by_period: bool = False) -> list[dict]:
    rows = []
    for event in events:
        category = event.get("category")
        rows.append(
            {
                "period": index.period_ref(event["period"]) if by_period else None,
                "village": index.refs[event["village_id"]],
                "event": event["event"],
                "name": labels.EVENT_NAMES.get(event["event"], event["event"]),
                "category": index.category[category]["name"] if category else "",
                "value": event.get("value"),
                "note": event.get("note") or "",
            }
        )
    return rows


def ledger(index: SiteIndex, period: str, grid: str | None = None) -> list[dict]:
    """The period's money per village, most earned first."""
    rewards = index.grid_rows("rewards", period, grid)
    rows = [{**r, "village": index.refs[r["village_id"]]} for r in rewards]
    return sorted(rows, key=lambda r: (-r["net"], index.village_order[r["village_id"]]))


def action_rows(index: SiteIndex, actions: list[dict], by_period: bool = False) -> list[dict]:
    rows = [
        {
            "period": index.period_ref(a["period"]) if by_period else None,
            "village": index.refs[a["village_id"]],
            "action": a["action"],
            "name": labels.ACTION_TITLES.get(a["action"], a["action"]),
            "reason": a["reason"],
        }
        for a in actions
    ]

    def key(row):
        order = ACTION_ORDER.index(row["action"]) if row["action"] in ACTION_ORDER else 99
        period = row["period"]["period"] if by_period else ""
        return (period, order, index.village_order[row["village"]["id"]])

    rows.sort(key=key)
    if by_period:
        rows.reverse()
    return rows


def action_counts(index: SiteIndex, period: str) -> list[dict]:
    counts = Counter(a["action"] for a in index.rows("actions", period))
    return [
        {"action": a, "name": labels.ACTION_TITLES[a], "count": counts[a]}
        for a in labels.MONTHLY_ACTIONS
    ]


def average_table(index: SiteIndex, period: str, category_ids: list[str]) -> dict:
    categories = index.categories_in(category_ids)
    rows = [
        {
            "grid": index.grid_ref(g["id"]),
            "values": [index.averages.get((period, g["id"], c["id"])) for c in categories],
        }
        for g in index.grids
    ]
    return {"categories": categories, "rows": rows}


def archive(index: SiteIndex) -> list[dict]:
    return [
        {
            "year": index.period_ref(y),
            "periods": [index.period_ref(p) for p in index.year_info[y]["periods"]],
        }
        for y in reversed(index.years)
    ]


def directory(index: SiteIndex) -> list[dict]:
    return [
        {"grid": index.grid_ref(g["id"]), "villages": index.members(g["id"])} for g in index.grids
    ]


def grid_summaries(index: SiteIndex, period: str, url) -> list[dict]:
    """Per grid: its flags and money of the period and where its own page of it is."""
    rows = []
    for g in index.grids:
        money = ledger(index, period, g["id"])
        rows.append(
            {
                "grid": index.grid_ref(g["id"]),
                "url": url(period, g["id"]),
                **flag_totals(index, period, g["id"]),
                "net": sum(r["net"] for r in money),
            }
        )
    return rows


def downloads(info: dict) -> list[dict]:
    found = [{"label": "本期评分表", "url": data_path(info["file"])}]
    if info.get("events_file"):
        found.append({"label": "本期事件表", "url": data_path(info["events_file"])})
    return found


# -- years ------------------------------------------------------------------------------------


def priority(index: SiteIndex, year: str) -> list[dict]:
    """优先评优: the villages the rules ranked for it that year, in rank order."""
    chosen = [r for r in index.village_years.get(year, []) if r["priority_rank"] is not None]
    chosen.sort(key=lambda r: (r["priority_rank"], index.village_order[r["village_id"]]))
    return [
        {"rank": r["priority_rank"], "village": index.refs[r["village_id"]], "red": r["red"]}
        for r in chosen
    ]


def yearly(index: SiteIndex, year: str, action: str) -> list[dict]:
    return [r for r in action_rows(index, index.rows("actions", year)) if r["action"] == action]


def grid_totals(index: SiteIndex, year: str) -> dict:
    totals = index.year_totals.get(year, [])
    by_key = {(t["grid"], t["category"]): t for t in totals}
    categories = index.categories_in(sorted({t["category"] for t in totals}))
    rows = [
        {
            "category": c,
            "cells": [
                by_key.get((g["id"], c["id"]), {"total": None, "leader": False})
                for g in index.grids
            ],
        }
        for c in categories
    ]
    return {"grids": [index.grid_ref(g["id"]) for g in index.grids], "rows": rows}


def money_totals(index: SiteIndex, year: str, grid: str | None = None) -> list[dict]:
    """Per village: its flags and money in the year, most earned first."""
    rows = index.grid_rows("village_years", year, grid)
    rows = [{**r, "village": index.refs[r["village_id"]]} for r in rows]
    return sorted(rows, key=lambda r: (-r["net"], index.village_order[r["village_id"]]))


# -- why a row got its flag -------------------------------------------------------------------


def why(row: dict, rule: dict) -> tuple[str, ...]:
    """Short reasons for a row's flag: 前三 / 后三 / 并列 / 递补 / 现场会 / 一票否决 / 加减分."""
    flag, vetoed, adjustment = row["flag"], row.get("vetoed"), row.get("adjustment") or 0
    if not (flag or vetoed or adjustment):  # most rows: nothing to explain
        return ()
    return _why(
        flag,
        row["basis"],
        bool(row.get("moved_up")),
        bool(row.get("tied")),
        bool(vetoed),
        adjustment,
        rule["red_count"],
        rule["yellow_count"],
    )


@functools.cache
def _why(flag, basis, moved_up, tied, vetoed, adjustment, red_count, yellow_count) -> tuple:
    reasons = []
    if flag == "red" and basis == "meeting":
        reasons.append("现场会")
    elif flag == "red":  # a village moved up (递补) ranks below 前三: it is not tagged so
        reasons.append("递补" if moved_up else f"前{cn_number(red_count)}")
    elif flag == "yellow":
        reasons.append(f"后{cn_number(yellow_count)}")
    if flag and tied:
        reasons.append("并列")
    if vetoed:
        reasons.append("一票否决")
    if adjustment:
        reasons.append(f"{'加' if adjustment > 0 else '扣'}{points(abs(adjustment))}分")
    return tuple(reasons)

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
            item = index.refs[row["village_id"]] | {
                "basis": row["basis"],
                "tied": bool(row.get("tied")),
            }
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


def period_summary(index: SiteIndex, period: str) -> str:
    totals = index.flag_totals(period)
    return (
        f"{index.town}{period_label(period)}红黄旗评比结果：{totals['villages']}个村参评，"
        f"共评出红旗{totals['red']}面、黄旗{totals['yellow']}面。"
    )


def period_description(index: SiteIndex, period: str) -> str:
    return period_summary(index, period) + "查看各村得分、排名和奖罚。"


def scoreboard(
    index: SiteIndex, period: str, category_ids: list[str], grid: str | None = None
) -> list[dict]:
    """Per grid: a row per village (the town's order) with a cell per category (score, rank,
    flag and why, or 未参评), and the grid's averages; one table instead of one per category,
    so that a period of a large grid stays a light page (a cell is one element)."""
    rule = index.rule(period)
    cells = defaultdict(dict)
    order = []
    for row in index.grid_rows("flags", period, grid):
        if row["village_id"] not in cells:
            order.append((row["grid"], row["village_id"]))
        cells[row["village_id"]][row["category"]] = row
    if is_month(period):  # active villages with no score at all still have a row
        for row in index.grid_rows("rewards", period, grid):
            if row["village_id"] not in cells:
                cells[row["village_id"]] = {}
                order.append((index.village[row["village_id"]]["grid"], row["village_id"]))
    categories = index.categories_in(category_ids)
    by_grid = defaultdict(list)
    for grid_id, village_id in sorted(order, key=lambda p: index.village_order[p[1]]):
        found = cells[village_id]
        by_grid[grid_id].append(
            {
                "village": index.refs[village_id],
                "anchor": row_anchor(village_id),
                "cells": [_board_cell(index, found.get(c["id"]), rule) for c in categories],
            }
        )
    return [
        {
            "grid": index.grid_ref(g["id"]),
            "categories": categories,
            "rows": by_grid[g["id"]],
            "averages": [index.averages.get((period, g["id"], c["id"])) for c in categories],
        }
        for g in (index.grids if grid is None else [index.grid[grid]])
        if by_grid[g["id"]]
    ]


def row_anchor(village_id: str) -> str:
    """The id of a village's row in a period's (or a year's) table of scores."""
    return f"v-{village_id}"


def _board_cell(index: SiteIndex, row: dict | None, rule: dict) -> dict | None:
    """A village's score in a category: None when it was not scored (未参评)."""
    if row is None or row["score"] is None:
        return None
    fixes = index.fixes
    reasons = why(row, rule)
    return {
        "score": row["score"],
        "rank": row["rank"],
        "flag": row["flag"],
        # ★/▼ already say 前三/后三: the cell adds only what else explains the flag
        "notes": tuple(w for w in reasons if w != slot_word(row["flag"], rule)),
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


MONEY_COLUMNS = ("red", "yellow", "reward", "penalty", "net")


def money_total(rows: list[dict]) -> dict:
    """The totals row of a money table: flags and yuan summed over its rows (the rows are the
    results' own: rewards.csv per period, village_years per year)."""
    return {key: sum(r[key] for r in rows) for key in MONEY_COLUMNS}


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


def village_actions(index: SiteIndex, actions: list[dict]) -> list[dict]:
    """A period's actions as one row per village: its actions, gravest first, named as what
    they are for (村主职干部停职、警告、约谈), and their reasons; villages in the order of their
    gravest action, then the town's order."""
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in action_rows(index, actions):
        grouped[row["village"]["id"]].append(row)
    return [
        {
            "village": rows[0]["village"],
            "action": rows[0]["action"],
            "names": labels.CADRES + "、".join(labels.ACTION_NAMES[r["action"]] for r in rows),
            "reasons": [r["reason"] for r in rows],
        }
        for rows in grouped.values()
    ]


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
        money = money_total(index.grid_rows("rewards", period, g["id"]))
        rows.append(
            {
                "grid": index.grid_ref(g["id"]),
                "url": url(period, g["id"]),
                **money,
                **index.flag_totals(period, g["id"]),
            }
        )
    return rows


def downloads(info: dict) -> list[dict]:
    found = [{"label": "本期评分表", "url": data_path(info["file"])}]
    if info.get("events_file"):
        found.append({"label": "本期事件表", "url": data_path(info["events_file"])})
    return found


# -- years ------------------------------------------------------------------------------------


def year_rows(index: SiteIndex, year: str, grid: str | None = None) -> list[dict]:
    """A village's year in one row, as the results have it (village_years and the year's
    actions): its 优先评优 rank and red flags, its 降档/降星 beside them (the 班子会 weighs
    both), and its money. Ranked villages first, in rank order; then the rest, most earned
    first."""
    losses = {(a["village_id"], a["action"]) for a in index.rows("actions", year)}
    rows = [
        {
            **r,
            "rank": r["priority_rank"],
            "village": index.refs[r["village_id"]],
            "also": [
                labels.ACTION_NAMES[a] for a in ANNUAL_LOSSES if (r["village_id"], a) in losses
            ],
        }
        for r in index.grid_rows("village_years", year, grid)
    ]
    return sorted(
        rows, key=lambda r: (*_rank_key(r["rank"]), -r["net"], index.village_order[r["village_id"]])
    )


def _rank_key(rank: int | None) -> tuple[int, int]:
    return (0, rank) if rank is not None else (1, 0)


def priority(index: SiteIndex, year: str, grid: str | None = None) -> list[dict]:
    """优先评优: the villages the rules ranked for it that year, in rank order."""
    return [r for r in year_rows(index, year, grid) if r["rank"] is not None]


ANNUAL_LOSSES = ("downgrade", "star_loss")  # in this order beside a village's 优先评优 rank


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
    elif flag == "red":  # a village moved up (递补) ranks below the top: not tagged 前三
        reasons.append("递补" if moved_up else _slot_word("red", red_count))
    elif flag == "yellow":
        reasons.append(_slot_word("yellow", yellow_count))
    if flag and tied:
        reasons.append("并列")
    if vetoed:
        reasons.append("一票否决")
    if adjustment:
        reasons.append(f"{'加' if adjustment > 0 else '扣'}{points(abs(adjustment))}分")
    return tuple(reasons)


def slot_word(flag: str | None, rule: dict) -> str | None:
    """前三 / 后三: the words why() gives a flag won by rank (None without a flag)."""
    if flag == "red":
        return _slot_word(flag, rule["red_count"])
    return _slot_word(flag, rule["yellow_count"]) if flag == "yellow" else None


def _slot_word(flag: str, count: int) -> str:
    return f"{'前' if flag == 'red' else '后'}{cn_number(count)}"

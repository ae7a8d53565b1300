"""The 宣传栏 poster of a period (/YYYY/MM/poster/): the month's 公示 on one A4 page; no I/O.

Plan §5.1 publishes the results on the bulletin board. A poster is a table with a row per
village that got a flag (villages without one have no money and no action either:
docs/data-format.md §3.5 and §4) and a column per category, so that every name is printed
once, large enough to read from 1-2 m: ★ red, ▼ yellow, with 会 (承办现场会) and 并 (并列)
marks, the village's money and the actions concerning its 主职干部. Portrait A4, the way
notices hang on the board; the table is as wide as the page.

A page holds POSTER_LINES lines of the table (a village's row is one line, two when its name
is long). A town whose month needs more, or whose site is split by grid (pages.Site.split),
gets one poster per grid (/YYYY/MM/poster/<grid>/), and the period's poster page lists them.
A grid that needs more than a page gets one poster per A4 sheet (/YYYY/MM/poster/<grid>/2/ …),
each titled 第N张，共M张.
"""

from __future__ import annotations

from collections import defaultdict

from generator import labels
from generator.periods import label as period_label
from generator.routes import POSTER
from generator.site.format import period_url
from generator.site.qr import qr_code
from generator.site.revisions import period_history
from generator.site.views import Page, SiteIndex

# Table lines one A4 page holds with names at 16 pt beside a full [notice] and every action in
# the legend, at 12 pt (29 measured in Chromium; one kept for a 复议 sentence that wraps), and
# the lines a draft's warning takes.
POSTER_LINES = 28
DRAFT_LINES = 2
NAME_CHARS = 4  # characters of a name that fit its column on one line
MARKS = {"red": "★", "yellow": "▼"}
NOTES = {"meeting": "会", "tied": "并"}


def poster_url(period: str, grid_id: str | None = None) -> str:
    return f"{period_url(period)}{POSTER}/" + (f"{grid_id}/" if grid_id else "")


def poster_pages(site, period: str) -> list[Page]:
    """The period's poster, or (per grid) a page linking the grids' posters and those."""
    index = site.index
    rows = village_rows(index, period)
    head = poster_head(site, period)
    unflagged = unflagged_by_grid(index, period)
    room = POSTER_LINES - DRAFT_LINES * head["draft"]
    if not site.split and lines(rows) <= room:
        return [_poster(site, period, head, unflagged, None, rows)]
    by_grid = defaultdict(list)
    for row in rows:
        by_grid[row["grid"]].append(row)
    posters = [
        _poster(site, period, head, unflagged, g["id"], part, (number, len(parts)))
        for g in index.grids
        if g["id"] in by_grid
        for parts in [sheets(by_grid[g["id"]], room)]
        for number, part in enumerate(parts, 1)
    ]
    return [_poster_list(site, period, head, posters)] + posters


def sheets(rows: list[dict], room: int) -> list[list[dict]]:
    """A grid's rows cut into as few A4 sheets as hold them (at most `room` table lines each),
    in order and about equally full: each sheet's table is stretched to fill its page, and a
    last sheet of one or two rows would stretch them to a page's height."""
    count = max(1, -(-lines(rows) // room))
    share = -(-lines(rows) // count)  # lines per sheet when the rows divide evenly
    found: list[list[dict]] = [[]]
    used = 0
    for row in rows:
        need = lines([row])
        if found[-1] and (used + need > room or used >= share):
            found.append([])
            used = 0
        found[-1].append(row)
        used += need
    return found


def lines(rows: list[dict]) -> int:
    """The table lines of these rows: a name longer than NAME_CHARS takes two."""
    return sum(1 + (len(r["village"]["name"]) > NAME_CHARS) for r in rows)


def _poster(
    site, period: str, head: dict, unflagged: dict, grid_id, rows: list[dict], sheet=(1, 1)
) -> Page:
    """One A4 poster; `head` is what every poster of the period says (poster_head), `unflagged`
    how many villages of each grid took part without a flag (unflagged_by_grid)."""
    index = site.index
    grid = index.grid_ref(grid_id) if grid_id else None
    town, month = index.town, period_label(period)
    number, count = sheet
    part = f"第{number}张，共{count}张" if count > 1 else ""
    title = f"{town}{month}红黄旗评比结果公示" + (
        f"（{grid['name']}{'，' + part if part else ''}）" if grid else ""
    )
    target = site_target(site, period, grid_id)
    context = {
        **head,
        "grid": grid,
        "sheet": part,
        "categories": index.categories_in(index.period_info[period]["categories"]),
        "groups": _groups(index, unflagged, rows, grid_id),
        "legend": action_legend(index, period, rows),
        "qr": qr_code(site.site_url, target, f"{title}的网页二维码"),
        "target": target,
    }
    url = poster_url(period, grid_id) + (f"{number}/" if number > 1 else "")
    description = f"{title}，可用A4纸打印张贴。"
    return Page("poster", url + "index.html", url, title, description, context)


def site_target(site, period: str, grid_id: str | None) -> str:
    """The page a poster's QR code opens: the grid's page of the period when the site has one."""
    if grid_id and site.split:
        return f"{period_url(period)}{grid_id}/"
    return period_url(period)


def _poster_list(site, period: str, head: dict, posters: list[Page]) -> Page:
    town, month = site.index.town, period_label(period)
    title = f"{town}{month}红黄旗评比结果公示"
    context = {
        **head,
        "posters": [
            {"title": p.title, "url": p.url, "grid": p.context["grid"], "sheet": p.context["sheet"]}
            for p in posters
        ],
        "qr": qr_code(site.site_url, period_url(period), f"{title}的网页二维码"),
    }
    url = poster_url(period)
    description = f"{title}：各网格分别打印一张A4公示。"
    return Page("poster", url + "index.html", url, title, description, context)


def poster_head(site, period: str) -> dict:
    """What every poster of the period says: month, rules, who publishes and since when (the
    period page's record: git's date of first publication and the 复议 sentence of [notice])."""
    index = site.index
    record = period_history(index, period, site.history, site.notice)
    return {
        "period": index.period_ref(period),
        "rule": index.rule(period),
        "notice": site.notice,
        "published": record["published"],
        "draft": record["draft"],
        "corrected": bool(record["corrected"]),
    }


# -- the table ------------------------------------------------------------------------------


def village_rows(index: SiteIndex, period: str) -> list[dict]:
    """Every village with a flag in the period: its marks per category, money and actions."""
    cells: dict[str, dict] = defaultdict(dict)
    grid_of: dict[str, str] = {}
    for row in index.rows("flags", period):
        if row["flag"]:
            cells[row["village_id"]][row["category"]] = _cell(row)
            grid_of[row["village_id"]] = row["grid"]
    money = {r["village_id"]: r for r in index.rows("rewards", period)}
    acts = defaultdict(list)
    for action in index.rows("actions", period):
        acts[action["village_id"]].append(action["action"])
    return [
        {
            "village": index.refs[v],
            "grid": grid_of[v],
            "cells": cells[v],
            "net": money[v]["net"] if v in money else 0,
            "actions": [labels.ACTION_NAMES[a] for a in labels.MONTHLY_ACTIONS if a in acts[v]],
        }
        for v in sorted(cells, key=index.village_key)
    ]


def _cell(row: dict) -> dict:
    note = (
        NOTES["meeting"] if row["basis"] == "meeting" else NOTES["tied"] if row.get("tied") else ""
    )
    return {"flag": row["flag"], "mark": MARKS[row["flag"]], "note": note}


def unflagged_by_grid(index: SiteIndex, period: str) -> dict[str, int]:
    """Grid id → how many of its villages took part in the period (were scored) without a flag;
    counted once a period, for all its posters."""
    flagged = {r["village_id"] for r in index.rows("flags", period) if r["flag"]}
    unflagged: dict[str, int] = defaultdict(int)
    for village_id in index.evaluated(period) - flagged:
        unflagged[index.village[village_id]["grid"]] += 1
    return unflagged


def _groups(index: SiteIndex, unflagged: dict, rows: list[dict], grid_id: str | None) -> list[dict]:
    """The rows grid by grid, with how many of the grid's villages took part without a flag."""
    groups = []
    for g in index.grids if grid_id is None else [index.grid[grid_id]]:
        members = [r for r in rows if r["grid"] == g["id"]]
        if members or unflagged[g["id"]]:
            groups.append(
                {"grid": index.grid_ref(g["id"]), "rows": members, "unflagged": unflagged[g["id"]]}
            )
    return groups


def action_legend(index: SiteIndex, period: str, rows: list[dict]) -> list[dict]:
    """The actions the poster shows, each with how many villages and what it means (plan §5.4)."""
    counts = {
        name: sum(name in r["actions"] for r in rows) for name in labels.ACTION_NAMES.values()
    }
    return [
        {
            "name": labels.ACTION_NAMES[a],
            "count": counts[labels.ACTION_NAMES[a]],
            "means": index.words.fill(MEANS[a]),
        }
        for a in labels.MONTHLY_ACTIONS
        if counts[labels.ACTION_NAMES[a]]
    ]


# What each monthly action means for the village's 主职干部, in the plan's words (§5.4); {镇…}
# in the town's words (TownWords.fill).
MEANS = {
    "interview": "本月得黄旗的村，主职干部由{镇主要领导}约谈，并组团帮扶、由联系班子成员牵头整改",
    "warning": "连续两期得黄旗或本年黄旗累计达三面的村，对主职干部进行警告",
    "suspension": "连续两期同时有三项黄旗的村，对主职干部停职处理",
}

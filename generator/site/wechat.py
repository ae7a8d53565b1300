"""The 公众号 article of a period (/YYYY/MM/wechat/): the month's results arranged to paste into
the WeChat editor, which keeps inline styles only and drops classes, ids, <style> and outside
links. This module arranges the article's text; theme/templates/wechat.html styles it inline.
No I/O.
"""

from __future__ import annotations

import hashlib
import marshal
from collections import defaultdict

from generator import labels
from generator.periods import label as period_label
from generator.routes import WECHAT
from generator.site import blocks
from generator.site.format import period_url, signed_yuan
from generator.site.views import Page, SiteIndex


def wechat_url(key: str) -> str:
    return f"{period_url(key)}{WECHAT}/"


def wechat(index: SiteIndex, key: str, site_url: str, compact: bool = False) -> Page:
    """The article of period `key`; the site's address is written as text when it is known.
    `compact` (a town split by grid): each grid's flags, money and actions as paragraphs of
    text rather than tables, so that a county's article stays a page a phone can hold."""
    absolute = site_url.startswith(("http://", "https://"))
    rule = index.rule(key)
    context = {
        "period": index.period_ref(key),
        "headline": f"{index.town}{period_label(key)}红黄旗评比结果公示",
        "summary": blocks.period_summary(index, key),
        "rule": rule,
        "grids": flag_tables(index, key, rule),
        "money": money_rows(index, key),
        "actions": blocks.village_actions(index, index.rows("actions", key)),
        "compact": compact,
        "by_grid": grid_lines(index, key) if compact else [],
        "address": f"{site_url}/{period_url(key)}?v={version_tag(index, key)}" if absolute else "",
    }
    url = wechat_url(key)
    title = f"公众号文章 {period_label(key)} · {index.town}"
    description = f"{index.town}{period_label(key)}红黄旗评比结果，可复制到微信公众号编辑器。"
    return Page("wechat", url + "index.html", url, title, description, context)


def version_tag(index: SiteIndex, key: str) -> str:
    """A short hash of the period's results, on the article's link: WeChat's browser caches
    pages hard, so a reader following the link of a corrected article gets the page anew."""
    # Each row's values as a tuple, in the document's column order (every row of a table has
    # the same keys, so writing them again on every row only made more bytes to hash), through
    # marshal's version 2, which writes values only: no references between objects, which
    # version 3 adds and which would follow object identity. A county's 120 articles: 0.25 s,
    # against 0.45 s with the keys and 1.7 s for sorted JSON.
    rows = [
        list(map(tuple, map(dict.values, index.rows(table, key))))
        for table in ("flags", "rewards", "actions", "events")
    ]
    return hashlib.sha256(marshal.dumps(rows, 2)).hexdigest()[:8]


def flag_tables(index: SiteIndex, key: str, rule: dict) -> list[dict]:
    """Per grid, a row per category: its red and its yellow villages as text, with marks."""
    named: dict[tuple, dict[str, list[str]]] = defaultdict(lambda: {"red": [], "yellow": []})
    rows = sorted(
        (r for r in index.rows("flags", key) if r["flag"]), key=lambda r: blocks.row_key(index, r)
    )
    for row in rows:
        named[(row["grid"], row["category"])][row["flag"]].append(_marked(index, row, rule))
    categories = index.categories_in(index.period_info[key]["categories"])
    return [
        {
            "grid": grid["name"],
            "rows": [
                {
                    "category": c["name"],
                    "red": "、".join(named[(grid["id"], c["id"])]["red"]) or "无",
                    "yellow": "、".join(named[(grid["id"], c["id"])]["yellow"]) or "无",
                }
                for c in categories
            ],
        }
        for grid in index.grids
    ]


def _marked(index: SiteIndex, row: dict, rule: dict) -> str:
    """A village's name, with （并列） or （现场会） where that is why it has its flag."""
    marks = [w for w in blocks.why(row, rule) if w in ("并列", "现场会")]
    name = index.refs[row["village_id"]]["name"]
    return name + "".join(f"（{m}）" for m in marks)


def money_rows(index: SiteIndex, key: str) -> list[dict]:
    """Villages with a reward or a penalty this period, most earned first."""
    return [
        {
            "village": r["village"]["name"],
            "red": r["red"],
            "yellow": r["yellow"],
            "net": signed_yuan(r["net"]),
        }
        for r in blocks.ledger(index, key)
        if r["reward"] or r["penalty"]
    ]


def grid_lines(index: SiteIndex, key: str) -> list[dict]:
    """Per grid: its villages' money (most earned first) and its actions by kind, as text."""
    money: dict[str, list[str]] = defaultdict(list)
    for r in blocks.ledger(index, key):
        if r["reward"] or r["penalty"]:
            money[index.village[r["village_id"]]["grid"]].append(
                f"{r['village']['name']}{signed_yuan(r['net'])}"
            )
    acted: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for a in blocks.action_rows(index, index.rows("actions", key)):
        grid = index.village[a["village"]["id"]]["grid"]
        acted[grid][labels.ACTION_NAMES[a["action"]]].append(a["village"]["name"])
    return [
        {
            "grid": g["name"],
            "money": "、".join(money[g["id"]]),
            "actions": "；".join(f"{name}：{'、'.join(v)}" for name, v in acted[g["id"]].items()),
        }
        for g in index.grids
    ]

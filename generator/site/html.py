"""The site's highest-volume table rows as escaped HTML: one Markup string per table body.

A county's period pages hold half a million ranking rows and its village pages as many score
cells; rendered row by row through Jinja macros they took most of the build. These Jinja
filters write exactly the markup the theme's macros used to, escaping every piece of text with
markupsafe (autoescape stays on for everything else), and the templates keep the tables
themselves: `<tbody>\n{{ rows|ranking_rows(SITEURL) }}</tbody>`. No I/O.
"""

from __future__ import annotations

import functools

from markupsafe import Markup, escape

from generator.labels import FLAG_NAMES
from generator.site.format import points, signed_yuan, yuan

# The one source of the red/yellow badge: a mark that does not rely on colour, and a class.
FLAG_MARKS = {"red": "★", "yellow": "▼"}


def flag_badge(kind: str, text: str | None = None) -> Markup:
    """`<span class="flag red">★红旗</span>`, or with `text` (a village's name) instead."""
    label = FLAG_NAMES[kind] if text is None else text
    return Markup(f'<span class="flag {kind}">{FLAG_MARKS[kind]}{escape(label)}</span>')


def flag_mark(kind: str) -> str:
    return FLAG_MARKS[kind]


FLAG_BADGES = {kind: str(flag_badge(kind)) for kind in FLAG_MARKS}
SCORE_MARKS = {kind: (f"n {kind}", mark) for kind, mark in FLAG_MARKS.items()}
NO_SCORE = '<td class="n">—</td>'
ROW_CLASSES = {"red": ' class="red"', "yellow": ' class="yellow"'}


@functools.lru_cache(maxsize=1 << 16)
def link(site_url: str, url: str, text: str) -> str:
    """`<a href="{site_url}/{url}">{text}</a>`, every part escaped."""
    return f'<a href="{escape(site_url)}/{escape(url)}">{escape(text)}</a>'


@functools.lru_cache(maxsize=1 << 12)
def _reasons(why: tuple[str, ...]) -> str:
    return "".join(f'<span class="why">{escape(w)}</span>' for w in why)


@functools.lru_cache(maxsize=1 << 14)
def _id(anchor: str) -> str:
    """` id="…"`, escaped: a ranking row's anchor, the same on every page of its period."""
    return f' id="{escape(anchor)}"'


def _money_class(net: int) -> str:
    return "pos" if net > 0 else "neg" if net < 0 else ""


def ranking_rows(rows: list[dict], site_url: str) -> Markup:
    """A ranking table's rows: rank, village, score (△ when corrected), flag and why."""
    out = []
    for r in rows:
        village = r["village"]
        name = link(site_url, village["url"], village["name"])
        anchor = _id(r["anchor"]) if r.get("anchor") else ""
        if r.get("unscored"):
            out.append(
                f'<tr{anchor}>\n<td class="n">—</td>\n<td class="v">{name}</td>\n'
                f'<td class="n">—</td><td></td><td>未参评</td>\n</tr>\n'
            )
            continue
        flag, rank, fix = r["flag"], r["rank"], r["fix"]
        reasons = _reasons(r["why"]) if r["why"] else ""
        score = points(r["score"])
        if fix:
            title = escape(fix["title"])
            score = f'<td class="n fx"><span class="fix" title="{title}">△</span> {score}</td>'
            reasons += f'<span class="why fix" title="{title}">原{escape(fix["old"])}</span>'
        else:
            score = f'<td class="n">{score}</td>'
        out.append(
            f"<tr{anchor}{ROW_CLASSES.get(flag, '')}>\n"
            f'<td class="n">{"—" if rank is None else rank}</td>\n'
            f'<td class="v">{name}</td>\n'
            f"{score}<td>{FLAG_BADGES.get(flag, '')}</td>\n"
            f"<td>{reasons}</td>\n</tr>\n"
        )
    return Markup("".join(out))


def money_rows(rows: list[dict], site_url: str, with_grid: bool = False) -> Markup:
    """A money table's rows: village, (grid,) red and yellow flags, reward, penalty and net."""
    out = []
    for r in rows:
        village = r["village"]
        grid = f"<td>{escape(village['grid'])}</td>" if with_grid else ""
        fixed = f' <a class="fix" href="#changed-{village["id"]}" title="更正后有变化">△</a>'
        out.append(
            f'<tr><td class="v">{link(site_url, village["url"], village["name"])}'
            f"{fixed if r.get('changed') else ''}</td>{grid}"
            f'<td class="n">{r["red"]}</td><td class="n">{r["yellow"]}</td>'
            f'<td class="n w">{yuan(r["reward"])}</td><td class="n w">{yuan(r["penalty"])}</td>'
            f'<td class="n {_money_class(r["net"])}">{signed_yuan(r["net"])}</td></tr>\n'
        )
    return Markup("".join(out))


def month_items(months: list[dict], site_url: str) -> Markup:
    """A village's periods, newest first: money, running total and the flags' categories."""
    out = []
    for r in reversed(months):
        period = r["period"]
        net = r["net"]
        item = (
            f'<li><p class="mh">{link(site_url, period["url"], period["label"])}'
            f'<span>奖罚 <b class="{_money_class(net)}">{signed_yuan(net)}</b> 元'
            f" · 累计 {signed_yuan(r['running'])} 元</span></p>\n"
        )
        if r["reds"]:
            item += f"<p>{FLAG_BADGES['red']} {r['red']}面：{escape('、'.join(r['reds']))}</p>"
        if r["yellows"]:
            yellows = escape("、".join(r["yellows"]))
            item += f"<p>{FLAG_BADGES['yellow']} {r['yellow']}面：{yellows}</p>"
        if not r.get("evaluated", True):
            item += "<p>本期未参评：各项目都没有分数。</p>"
        elif not r["reds"] and not r["yellows"]:
            item += "<p>本期没有获得红旗或黄旗。</p>"
        out.append(item + "</li>\n")
    return Markup("".join(out))


def score_rows(rows: list[dict], site_url: str) -> Markup:
    """A village's score table: one row per period, a cell per category with ★/▼ marks,
    and △ with the first published score on a corrected cell."""
    out = []
    for r in rows:
        period = r["period"]
        fixes = r.get("fixes") or [None] * len(r["cells"])
        cells = "".join(
            _fixed_score_cell(c["score"], c["flag"], fix)
            if fix and c
            else _score_cell(c["score"], c["flag"])
            if c
            else NO_SCORE
            for c, fix in zip(r["cells"], fixes, strict=True)
        )
        out.append(
            f'<tr><th scope="row">{link(site_url, period["url"], period["label"])}</th>{cells}</tr>\n'
        )
    return Markup("".join(out))


@functools.lru_cache(maxsize=1 << 14)
def _score_cell(score, flag: str | None) -> str:
    css, mark = SCORE_MARKS.get(flag, ("n", ""))
    return f'<td class="{css}">{points(score)}{mark}</td>'


def _fixed_score_cell(score, flag: str | None, fix: dict) -> str:
    css, mark = SCORE_MARKS.get(flag, ("n", ""))
    title = escape(fix["title"])
    return (
        f'<td class="{css} fx"><span class="fix" title="{title}">△</span> {points(score)}{mark} '
        f'<small class="why fix" title="{title}">原{escape(fix["old"])}</small></td>'
    )


def action_items(rows: list[dict], site_url: str, with_period: bool = False) -> Markup:
    """Actions as list items: the action, then its period (or village), then the reason."""
    out = []
    for a in rows:
        if with_period:
            where = link(site_url, a["period"]["url"], a["period"]["label"]) + " "
        else:
            where = link(site_url, a["village"]["url"], a["village"]["name"]) + "："
        out.append(f"{_action_head(a['action'], a['name'])}{where}{escape(a['reason'])}</li>\n")
    return Markup("".join(out))


@functools.lru_cache(maxsize=64)
def _action_head(action: str, name: str) -> str:
    return f'<li><span class="act {escape(action)}">{escape(name)}</span>\n'


def chart_svg(c: dict, label: str) -> Markup:
    """An inline SVG line chart from sitechart.line_chart: grid lines, axis labels, lines and
    one circle per red or yellow flag; `label` names it for screen readers."""
    out = [
        f'<svg class="chart" viewBox="0 0 {c["width"]} {c["height"]}" role="img"'
        f' aria-label="{escape(label)}">\n'
    ]
    for t in c["y_ticks"]:  # numbers
        out.append(
            f'<line class="grid" x1="{c["left"]}" x2="{c["right"]}" y1="{t["y"]}" y2="{t["y"]}"/>\n'
            f'<text x="{c["left"] - 4}" y="{t["y"]}" dy="4" text-anchor="end">'
            f"{t['label']}</text>\n"
        )
    for t in c["x_ticks"]:
        out.append(
            f'<text x="{t["x"]}" y="{c["height"] - 4}" text-anchor="{t["anchor"]}">'
            f"{escape(t['label'])}</text>\n"
        )
    # classes are the chart's own words (mine, avg, other, red, yellow): nothing to escape
    for p in c["paths"]:
        out.append(f'<path class="{p["css"]}" d="{p["d"]}"/>\n')
    for d in c["dots"]:
        out.append(f'<circle class="{d["css"]}" cx="{d["cx"]}" cy="{d["cy"]}" r="3.5"/>\n')
    out.append("</svg>\n")
    return Markup("".join(out))


FILTERS = {
    "flag_badge": flag_badge,
    "flag_mark": flag_mark,
    "chart_svg": chart_svg,
    "action_items": action_items,
    "ranking_rows": ranking_rows,
    "money_rows": money_rows,
    "month_items": month_items,
    "score_rows": score_rows,
}

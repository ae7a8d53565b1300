"""The site's highest-volume table rows as escaped HTML: one Markup string per table body.

A county's period pages hold half a million score cells and its village pages as many again;
rendered row by row through Jinja macros they took most of the build. These Jinja
filters write exactly the markup the theme's macros used to, escaping every piece of text with
markupsafe (autoescape stays on for everything else), and the templates keep the tables
themselves: `<tbody>\n{{ s.rows|board_rows(root) }}</tbody>`. No I/O.
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


@functools.lru_cache(maxsize=1 << 16)
def link(site_url: str, url: str, text: str) -> str:
    """`<a href="{site_url}/{url}">{text}</a>`, every part escaped."""
    return f'<a href="{escape(site_url)}/{escape(url)}">{escape(text)}</a>'


def _money_class(net: int) -> str:
    return "pos" if net > 0 else "neg" if net < 0 else ""


def board_rows(rows: list[dict], site_url: str) -> Markup:
    """A period's (or year's) table of scores: a row per village, a cell per category whose
    text is the score with ★/▼, then on a second line (white-space: pre-line) 第N名 and why;
    △ and the first published score on a corrected cell. Text only: a cell is one element."""
    out = []
    for r in rows:
        village = r["village"]
        cells = "".join(_board_cell(c) for c in r["cells"])
        out.append(
            f'<tr id="{escape(r["anchor"])}"><th scope="row">'
            f"{link(site_url, village['url'], village['name'])}</th>{cells}</tr>\n"
        )
    return Markup("".join(out))


def _board_cell(cell: dict | None) -> str:
    if cell is None:
        return "<td>未参评</td>"
    if cell["fix"]:
        return _fixed_board_cell(cell)
    return _plain_board_cell(cell["flag"], cell["score"], cell["rank"], cell["notes"])


# A county's boards hold 900,000 cells but only a few thousand different ones (scores in halves,
# ranks within a grid): each is made once. Typed, so that 90 and 90.0 stay apart.
@functools.lru_cache(maxsize=1 << 16, typed=True)
def _plain_board_cell(flag: str | None, score, rank: int | None, notes: tuple) -> str:
    rank_text = "" if rank is None else f"第{rank}名"
    second = " ".join(w for w in (rank_text, *notes) if w)
    css = f' class="{flag}"' if flag else ""
    return f"<td{css}>{escape(FLAG_MARKS.get(flag, '') + points(score))}\n{escape(second)}</td>"


def _fixed_board_cell(cell: dict) -> str:
    """A corrected cell: △ before the score, the first published score among the notes."""
    flag, fix = cell["flag"], cell["fix"]
    rank = "" if cell["rank"] is None else f"第{cell['rank']}名"
    score = f"△{FLAG_MARKS.get(flag, '')}{points(cell['score'])}"
    second = " ".join(w for w in (rank, *cell["notes"], f"原{fix['old']}") if w)
    css = f' class="{flag}"' if flag else ""
    return f'<td{css} title="{escape(fix["title"])}">{escape(score)}\n{escape(second)}</td>'


def poster_rows(groups: list[dict], categories: list[dict], grid: dict | None) -> Markup:
    """The printed poster's table body (poster.py's groups): a <tbody> per grid, whose name
    heads its first row on the town's poster (`grid` None); per category the flag's ★/▼ and
    its 会/并 note, then the money and the actions."""
    ids = [c["id"] for c in categories]
    out = []
    for g in groups:
        out.append("<tbody>\n")
        for number, r in enumerate(g["rows"]):
            head = ""
            if number == 0 and not grid:
                head = (
                    f'<th scope="rowgroup" class="g" rowspan="{len(g["rows"])}">'
                    f"<span>{escape(g['grid']['name'])}</span></th>"
                )
            cells = "".join(_poster_cell(r["cells"].get(i)) for i in ids)
            out.append(
                f'<tr>{head}<th scope="row" class="v">{escape(r["village"]["name"])}</th>\n'
                f'{cells}<td class="net">{escape(signed_yuan(r["net"]))}</td>\n'
                f'<td class="act">{escape("、".join(r["actions"]))}</td></tr>\n'
            )
        out.append("</tbody>\n")
    return Markup("".join(out))


def _poster_cell(cell: dict | None) -> str:
    if not cell:
        return '<td class="c"></td>'
    note = f"<i>{escape(cell['note'])}</i>" if cell["note"] else ""
    return (
        f'<td class="c {escape(cell["flag"])}"><b class="m">{escape(cell["mark"])}</b>{note}</td>'
    )


def money_rows(rows: list[dict], site_url: str, with_grid: bool = False, linked=True) -> Markup:
    """A money table's rows: village, (grid,) red and yellow flags, reward, penalty and net;
    names unlinked where the page already links each village (`linked=False`)."""
    out = []
    for r in rows:
        village = r["village"]
        name = (
            link(site_url, village["url"], village["name"]) if linked else escape(village["name"])
        )
        if r.get("changed"):  # a correction changed its result: to the period's list of changes
            name = f'{name} <a class="fix" href="#changed-{escape(village["id"])}" title="更正后有变化">△</a>'
        grid = f"<td>{escape(village['grid'])}</td>" if with_grid else ""
        out.append(f'<tr><th scope="row">{name}</th>{grid}{money_cells(r)}</tr>\n')
    return Markup("".join(out))


def money_cells(r: dict, with_red: bool = True) -> Markup:
    """Flags (red／yellow in one cell), reward, penalty and the signed net, right-aligned;
    the year's table gives the red flags beside the rank: `with_red=False`, yellow alone."""
    net = r["net"]
    flags = f"{r['red']}／{r['yellow']}" if with_red else r["yellow"]
    return Markup(
        f'<td class="n">{flags}</td>'
        f'<td class="n">{yuan(r["reward"])}</td><td class="n">{yuan(r["penalty"])}</td>'
        f'<td class="n {_money_class(net)}">{signed_yuan(net)}</td>'
    )


def year_rows(rows: list[dict], site_url: str, with_grid: bool = False) -> Markup:
    """A year's table (blocks.year_rows): village, (grid,) 优先评优 rank, red flags, 降档 and
    降星, then yellow flags and money."""
    out = []
    for r in rows:
        village = r["village"]
        grid = f"<td>{escape(village['grid'])}</td>" if with_grid else ""
        rank = "—" if r["rank"] is None else r["rank"]
        also = escape("、".join(r["also"])) or "无"
        out.append(
            f'<tr><th scope="row">{link(site_url, village["url"], village["name"])}</th>{grid}'
            f'<td class="n">{rank}</td><td class="n">{r["red"]}</td><td>{also}</td>'
            f"{money_cells(r, with_red=False)}</tr>\n"
        )
    return Markup("".join(out))


def score_rows(rows: list[dict], site_url: str) -> Markup:
    """A village's months: one row per period, a cell per category with ★/▼ marks (△ with the
    first published score on a corrected cell), then, when the row has them, the month's money
    and the running total."""
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
        if "net" in r:
            cells += (
                f'<td class="n {_money_class(r["net"])}">{signed_yuan(r["net"])}</td>'
                f'<td class="n">{signed_yuan(r["running"])}</td>'
            )
        name = link(site_url, period["url"], period["label"])
        if r.get("evaluated") is False:  # scored in no category
            name += "<small>本期未参评</small>"
        out.append(f'<tr><th scope="row">{name}</th>{cells}</tr>\n')
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


def village_action_items(rows: list[dict], site_url: str) -> Markup:
    """A period's actions as list items, one per village: the village, its actions in one
    badge coloured as the gravest, then the reasons (blocks.village_actions)."""
    out = []
    for r in rows:
        village = r["village"]
        badges = _badge(r["action"], r["names"])
        reasons = escape("；".join(r["reasons"]))
        out.append(
            f"<li>{link(site_url, village['url'], village['name'])} {badges}：{reasons}</li>\n"
        )
    return Markup("".join(out))


def action_period_items(periods: list[dict], site_url: str) -> Markup:
    """A year of a village's actions by period (villages.action_years) as list items: the
    period, its actions, then their reasons (each text as Jinja's join writes it)."""
    out = []
    for p in periods:
        ref, actions = p["period"], p["actions"]
        names = escape("、".join(str(a["name"]) for a in actions))
        reasons = escape("；".join(str(a["reason"]) for a in actions))
        period = link(site_url, ref["url"], ref.get("label") or ref.get("name"))
        out.append(f"<li>{period}：{names}。依据：{reasons}</li>\n")
    return Markup("".join(out))


@functools.lru_cache(maxsize=256)
def _badge(action: str, name: str) -> str:
    return f'<span class="act {escape(action)}">{escape(name)}</span>'


DOT_KINDS = {"red": ("dot red",), "yellow": ("dot yellow", "dot hole")}


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
    # the flags' dots: one path per kind of zero-length strokes with round caps (a circle each
    # would be an element each: a county's village page has hundreds); yellow is a ring
    for css in DOT_KINDS:
        d = "".join(f"M{dot['cx']} {dot['cy']}h0.1" for dot in c["dots"] if dot["css"] == css)
        if d:
            for part in DOT_KINDS[css]:
                out.append(f'<path class="{part}" d="{d}"/>\n')
    out.append("</svg>\n")
    return Markup("".join(out))


FILTERS = {
    "flag_badge": flag_badge,
    "flag_mark": flag_mark,
    "chart_svg": chart_svg,
    "village_action_items": village_action_items,
    "action_period_items": action_period_items,
    "board_rows": board_rows,
    "money_cells": money_cells,
    "year_rows": year_rows,
    "money_rows": money_rows,
    "score_rows": score_rows,
    "poster_rows": poster_rows,
}

"""The pages of a village (and its older years), a grid and a year, built from a SiteView's
indexes; no I/O."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from generator.site.chart import Series, line_chart
from generator.site.format import (
    data_path,
    grid_url,
    period_label,
    signed_yuan,
    village_url,
    year_url,
)
from generator.site.views import Page, SiteView, why

PageUnit = Callable[[], list[Page]]  # builds one or more pages when called
# A village page shows this many of its latest years in full (at most 36 months: about 10 KB
# gzipped); each older year has a page of its own.
VILLAGE_YEARS_SHOWN = 3
# A grid page charts its monthly averages over this many latest periods (older ones are on
# their period pages and in grid_averages.csv): the page stays small as the years go by.
GRID_CHART_PERIODS = 36


def page_units(view: SiteView) -> list[PageUnit]:
    """Every results page, built only when its unit is called, so units can run in parallel."""
    units: list[PageUnit] = [_one(view.home), _one(view.not_found)]
    units += [_one(view.period_page, p) for p in view.periods]
    units += [_one(year_page, view, y) for y in view.years]
    units += [functools.partial(village_pages, view, v["id"]) for v in view.villages]
    units += [_one(grid_page, view, g["id"]) for g in view.grids]
    units.append(view.screen_pages)
    return units


def _one(make: Callable[..., Page], *args) -> PageUnit:
    return lambda: [make(*args)]


def year_page(view: SiteView, year: str) -> Page:
    info = view.year_info[year]
    annual = info["annual_categories"]
    context = {
        "year": view.period_ref(year),
        "periods": [view.period_ref(p) for p in info["periods"]],
        "priority": priority(view, year),
        "downgrades": yearly(view, year, "downgrade"),
        "star_losses": yearly(view, year, "star_loss"),
        "sections": view.rankings(year, annual) if annual else [],
        "grid_totals": grid_totals(view, year),
        "money": money_totals(view, info["periods"]),
        "annual_file": data_path(info["annual_file"]) if info["annual_file"] else None,
    }
    description = (
        f"{view.town}{year}年度汇总:优先评优{len(context['priority'])}个村,"
        f"年度考核降档{len(context['downgrades'])}个村,"
        f"五星评定降星{len(context['star_losses'])}个村。"
    )
    return Page(
        "year",
        year_url(year) + "index.html",
        year_url(year),
        f"{year}年度汇总 · {view.town}",
        description,
        context,
    )


def priority(view: SiteView, year: str) -> list[dict]:
    chosen = [a["village_id"] for a in view.actions.get(year, []) if a["action"] == "priority"]
    reds = defaultdict(int)
    for period in view.year_info[year]["periods"]:
        for row in view.rewards.get(period, []):
            reds[row["village_id"]] += row["red"]
    rows = sorted(chosen, key=lambda v: (-reds[v], view.village_order[v]))
    result = []
    for village_id in rows:
        rank = 1 + sum(reds[other] > reds[village_id] for other in chosen)
        result.append({"rank": rank, "village": view.refs[village_id], "red": reds[village_id]})
    return result


def yearly(view: SiteView, year: str, action: str) -> list[dict]:
    return [r for r in view.action_rows(view.actions.get(year, [])) if r["action"] == action]


def grid_totals(view: SiteView, year: str) -> dict:
    totals = view.year_totals.get(year, [])
    by_key = {(t["grid"], t["category"]): t for t in totals}
    categories = view.categories_in(sorted({t["category"] for t in totals}))
    rows = [
        {
            "category": c,
            "cells": [
                by_key.get((g["id"], c["id"]), {"total": None, "leader": False}) for g in view.grids
            ],
        }
        for c in categories
    ]
    return {"grids": [view.grid_ref(g["id"]) for g in view.grids], "rows": rows}


def money_totals(view: SiteView, periods: list[str]) -> list[dict]:
    sums: dict[str, dict] = {}
    for period in periods:
        for row in view.rewards.get(period, []):
            total = sums.setdefault(
                row["village_id"], {"red": 0, "yellow": 0, "reward": 0, "penalty": 0, "net": 0}
            )
            for key in total:
                total[key] += row[key]
    rows = [{"village": view.refs[v], **t} for v, t in sums.items()]
    return sorted(rows, key=lambda r: (-r["net"], view.village_order[r["village"]["id"]]))


def village_pages(view: SiteView, village_id: str) -> list[Page]:
    """The village's page and, once it has more years than that page shows, a page per older
    year, so that no page outgrows the first round trip however long the town publishes."""
    data = VillageData.of(view, village_id)
    shown, older = data.years[-VILLAGE_YEARS_SHOWN:], data.years[:-VILLAGE_YEARS_SHOWN]
    return [village_page(view, data, shown, older)] + [
        village_year_page(view, data, year) for year in older
    ]


@dataclass
class VillageData:
    """One village's rows, its months and score cells split by year once for all its pages."""

    id: str
    months: list[dict]  # every month, oldest first, running totals counted from the first
    months_in: dict[str, list[dict]]  # year → its months
    cells_in: dict[str, dict]  # year → {(period, category): flags row}
    years: list[str]  # every year with anything to show, oldest first

    @classmethod
    def of(cls, view: SiteView, village_id: str) -> VillageData:
        months = village_months(view, village_id)
        months_in: dict[str, list[dict]] = defaultdict(list)
        for month in months:
            months_in[month["period"]["period"][:4]].append(month)
        cells_in: dict[str, dict] = defaultdict(dict)
        for key, row in _village_cells(view, village_id).items():
            cells_in[key[0][:4]][key] = row
        years = {r["period"][:4] for r in view.village_flags.get(village_id, [])}
        years |= {a["period"][:4] for a in view.village_actions.get(village_id, [])}
        years |= {e["period"][:4] for e in view.village_events.get(village_id, [])}
        return cls(village_id, months, months_in, cells_in, sorted(years | set(months_in)))


def village_page(view: SiteView, data: VillageData, shown: list[str], older: list[str]) -> Page:
    village, ref = view.village[data.id], view.refs[data.id]
    context = village_context(view, data, shown)
    context["totals"] = money_sums(data.months)
    context["years"] = village_year_rows(view, data, set(older))
    context["older"] = older
    totals = context["totals"]
    description = (
        f"{village['name']}({ref['grid']})历次评比得分、红黄旗和奖罚:"
        f"累计红旗{totals['red']}面、黄旗{totals['yellow']}面,"
        f"奖罚合计{signed_yuan(totals['net'])}元。"
    )
    return Page(
        "village",
        village_url(data.id) + "index.html",
        village_url(data.id),
        f"{village['name']} · {view.town}",
        description,
        context,
    )


def village_year_page(view: SiteView, data: VillageData, year: str) -> Page:
    """One older year of a village, in the village page's layout."""
    village = view.village[data.id]
    context = village_context(view, data, [year])
    context["totals"] = money_sums(context["months"])
    context["year"] = view.period_ref(year)
    totals = context["totals"]
    description = (
        f"{village['name']}{year}年各月得分、红黄旗和奖罚:"
        f"红旗{totals['red']}面、黄旗{totals['yellow']}面,奖罚合计{signed_yuan(totals['net'])}元。"
    )
    url = f"{village_url(data.id)}{year}/"
    return Page(
        "village",
        url + "index.html",
        url,
        f"{village['name']} {year}年 · {view.town}",
        description,
        context,
    )


def village_context(view: SiteView, data: VillageData, years: list[str]) -> dict:
    """What the village template shows for the periods of `years` (oldest first)."""
    village_id, chosen = data.id, set(years)
    village = view.village[village_id]
    months = [m for y in years for m in data.months_in.get(y, [])]
    cells = {k: r for y in years for k, r in data.cells_in.get(y, {}).items()}
    periods = [m["period"]["period"] for m in months]
    actions = [a for a in view.village_actions.get(village_id, []) if a["period"][:4] in chosen]
    events = [e for e in view.village_events.get(village_id, []) if e["period"][:4] in chosen]
    return {
        "village": view.refs[village_id],
        "grid": view.grid_ref(village["grid"]),
        "months": months,
        "scores": village_scores(view, village_id, cells, periods),
        "charts": village_charts(view, village["grid"], cells, periods),
        "actions": view.action_rows(actions, by_period=True),
        "events": view.event_rows(events, by_period=True),
        "annual": [a for a in village_annual(view, village_id) if a["year"]["period"] in chosen],
    }


def money_sums(months: list[dict]) -> dict:
    totals = {k: sum(m[k] for m in months) for k in ("red", "yellow", "reward", "penalty")}
    totals["net"] = totals["reward"] - totals["penalty"]
    return totals


def village_year_rows(view: SiteView, data: VillageData, older: set[str]) -> list[dict]:
    """Per year, newest first: flags and money; older years link to their own page."""
    return [
        {
            "year": view.period_ref(year),
            **money_sums(data.months_in.get(year, [])),
            "url": f"{village_url(data.id)}{year}/" if year in older else None,
        }
        for year in reversed(data.years)
    ]


def village_months(view: SiteView, village_id: str) -> list[dict]:
    flags: dict[str, dict[str, list[str]]] = {}
    for row in view.village_flags.get(village_id, []):
        if row["flag"] and len(row["period"]) == 7:
            named = flags.setdefault(row["period"], {"red": [], "yellow": []})
            named[row["flag"]].append(view.category[row["category"]]["name"])
    months, running, no_flags = [], 0, {"red": [], "yellow": []}
    for row in view.village_rewards.get(village_id, []):
        running += row["net"]
        named = flags.get(row["period"], no_flags)
        months.append(
            {
                **row,
                "period": view.period_ref(row["period"]),
                "reds": named["red"],
                "yellows": named["yellow"],
                "running": running,
            }
        )
    return months


def _village_cells(view: SiteView, village_id: str) -> dict:
    """(period, category id) → the village's flags row, for its monthly categories."""
    return {
        (r["period"], r["category"]): r
        for r in view.village_flags.get(village_id, [])
        if len(r["period"]) == 7
    }


def village_scores(view: SiteView, village_id: str, cells: dict, periods: list[str]) -> dict:
    """The score table: a row per period, newest first; `fixes` marks cells corrected since."""
    used = {c for _, c in cells}
    categories = [c for c in view.categories if c["id"] in used and c["kind"] != "annual"]
    ids = [c["id"] for c in categories]
    rows = [
        {
            "period": view.period_ref(p),
            "cells": [cells.get((p, c)) for c in ids],
            "fixes": [view.fixes.get((p, village_id, c)) for c in ids] if view.fixes else None,
        }
        for p in reversed(periods)
    ]
    corrected = any(r["fixes"] and any(r["fixes"]) for r in rows)
    return {"categories": categories, "rows": rows, "corrected": corrected}


def village_charts(view: SiteView, grid_id: str, cells: dict, periods: list[str]) -> list[dict]:
    """Per monthly category the village was scored in: its scores against its grid's average."""
    shown = set(periods)
    used = {c for p, c in cells if p in shown}
    labels_ = [period_label(p) for p in periods]
    charts = []
    for category in view.categories:
        if category["kind"] == "annual" or category["id"] not in used:
            continue
        rows = [cells.get((p, category["id"])) for p in periods]
        mine = Series(
            "mine",
            [r["score"] if r else None for r in rows],
            [r["flag"] if r else None for r in rows],
        )
        average = Series("avg", [view.averages.get((p, grid_id, category["id"])) for p in periods])
        chart = line_chart(labels_, [average, mine])
        if chart:
            charts.append({"category": category, "chart": chart})
    return charts


def village_annual(view: SiteView, village_id: str) -> list[dict]:
    rows = [r for r in view.village_flags.get(village_id, []) if len(r["period"]) == 4]
    return [
        {
            "year": view.period_ref(r["period"]),
            "category": view.category[r["category"]],
            "score": r["score"],
            "rank": r["rank"],
            "flag": r["flag"],
            "why": why(r, view.rule(r["period"])),
        }
        for r in sorted(rows, key=lambda r: (r["period"], r["category"]), reverse=True)
    ]


def grid_page(view: SiteView, grid_id: str) -> Page:
    grid = view.grid_ref(grid_id)
    members = [view.refs[v["id"]] for v in view.villages if v["grid"] == grid_id]
    context = {
        "grid": grid,
        "members": members,
        "charts": grid_charts(view, grid_id),
        "charted": min(len(view.periods), GRID_CHART_PERIODS),
        "uncharted": max(len(view.periods) - GRID_CHART_PERIODS, 0),
        "years": [
            {"year": view.period_ref(y), "rows": grid_year_rows(view, y, grid_id)}
            for y in reversed(view.years)
            if view.year_totals.get(y)
        ],
    }
    description = (
        f"{view.town}{grid['name']}:{len(members)}个村的名单、各项目月度平均分和年度总分。"
    )
    return Page(
        "grid",
        grid_url(grid_id) + "index.html",
        grid_url(grid_id),
        f"{grid['name']} · {view.town}",
        description,
        context,
    )


def grid_year_rows(view: SiteView, year: str, grid_id: str) -> list[dict]:
    totals = view.year_totals.get(year, [])
    rows = []
    for category in view.categories_in(sorted({t["category"] for t in totals})):
        mine = next(
            (t for t in totals if t["grid"] == grid_id and t["category"] == category["id"]),
            None,
        )
        leaders = [
            view.grid[t["grid"]]["name"]
            for t in totals
            if t["category"] == category["id"] and t["leader"]
        ]
        rows.append(
            {
                "category": category,
                "total": mine["total"] if mine else None,
                "leader": bool(mine and mine["leader"]),
                "leaders": leaders,
            }
        )
    return rows


def grid_charts(view: SiteView, grid_id: str) -> list[dict]:
    periods = view.periods[-GRID_CHART_PERIODS:]
    labels_ = [period_label(p) for p in periods]
    charts = []
    for category in view.categories:
        if category["kind"] == "annual":
            continue
        others = [
            Series("other", [view.averages.get((p, g["id"], category["id"])) for p in periods])
            for g in view.grids
            if g["id"] != grid_id
        ]
        mine = Series("mine", [view.averages.get((p, grid_id, category["id"])) for p in periods])
        if all(v is None for v in mine.values):
            continue
        chart = line_chart(labels_, [*others, mine])
        if chart:
            charts.append({"category": category, "chart": chart})
    return charts

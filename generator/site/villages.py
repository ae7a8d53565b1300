"""The blocks of a village's pages (its months, scores, charts) and of a grid's page, from a
SiteIndex's rows; no I/O. pages.py puts them together into page contexts."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from generator.periods import label as period_label
from generator.site.blocks import action_rows, event_rows, why
from generator.site.chart import Series, line_chart
from generator.site.format import village_url
from generator.site.views import SiteIndex

# A village page shows this many of its latest years in full (at most 36 months: about 10 KB
# gzipped); each older year has a page of its own.
VILLAGE_YEARS_SHOWN = 3
# A grid page shows its latest whole years whose months together are at most this many (the
# latest year at least); each older year has a page of its own. A grid's chart draws every
# grid's line (20 in a county): 24 months of them keep the page within the first round trip.
GRID_CHART_PERIODS = 24


@dataclass
class VillageData:
    """One village's rows, its months and score cells split by year once for all its pages."""

    id: str
    months: list[dict]  # every month, oldest first, running totals counted from the first
    months_in: dict[str, list[dict]]  # year → its months
    cells_in: dict[str, dict]  # year → {(period, category): flags row}
    years: list[str]  # every year with anything to show, oldest first
    year_rows: dict[str, dict]  # year → its village_years row (flags and money), as computed
    annual: list[dict]  # its annual categories' rows, newest first

    @classmethod
    def of(cls, index: SiteIndex, village_id: str) -> VillageData:
        flags = index.village_rows("flags", village_id)
        monthly = [r for r in flags if r["period"] in index.period_info]
        yearly = [r for r in flags if r["period"] not in index.period_info]
        year_of_ = index.period_year
        months = village_months(index, village_id, monthly)
        months_in: dict[str, list[dict]] = defaultdict(list)
        for month in months:
            months_in[year_of_[month["period"]["period"]]].append(month)
        cells_in: dict[str, dict] = defaultdict(dict)
        for row in monthly:
            cells_in[year_of_[row["period"]]][(row["period"], row["category"])] = row
        years = {
            year_of_[r["period"]]
            for table in ("flags", "actions", "events")
            for r in index.village_rows(table, village_id)
        }
        year_rows = {r["year"]: r for r in index.years_of_village.get(village_id, [])}
        years = sorted(years | set(months_in) | set(year_rows))
        annual = village_annual(index, yearly)
        return cls(village_id, months, months_in, cells_in, years, year_rows, annual)

    @property
    def url(self) -> str:
        return village_url(self.id)

    def year_url(self, year: str) -> str:
        return f"{village_url(self.id)}{year}/"

    def year_row(self, year: str) -> dict:
        """The village's flags and money in a year (zeros in a year it was not active)."""
        row = self.year_rows.get(year)
        return {k: row[k] if row else 0 for k in MONEY_KEYS}


def village_context(index: SiteIndex, data: VillageData, years: list[str]) -> dict:
    """What the village template shows for the periods of `years` (oldest first)."""
    village_id, chosen = data.id, set(years)
    village = index.village[village_id]
    months = [m for y in years for m in data.months_in.get(y, [])]
    cells = {k: r for y in years for k, r in data.cells_in.get(y, {}).items()}
    periods = [m["period"]["period"] for m in months]
    year_of_ = index.period_year
    actions = [
        a for a in index.village_rows("actions", village_id) if year_of_[a["period"]] in chosen
    ]
    events = [
        e for e in index.village_rows("events", village_id) if year_of_[e["period"]] in chosen
    ]
    return {
        "village": index.refs[village_id],
        "grid": index.grid_ref(village["grid"]),
        "scores": village_scores(index, village_id, cells, months),
        "charts": village_charts(index, village["grid"], cells, periods),
        "actions": action_years(index, action_rows(index, actions, by_period=True)),
        "events": event_rows(index, events, by_period=True),
        "annual": [a for a in data.annual if a["year"]["period"] in chosen],
    }


MONEY_KEYS = ("red", "yellow", "reward", "penalty", "net")


def action_years(index: SiteIndex, rows: list[dict]) -> list[dict]:
    """A village's actions (action_rows, newest first) by year, newest first: a line per period
    naming its actions, the year's own outcomes, and a count per kind for the year's summary."""
    years: dict[str, dict] = {}
    for row in rows:
        key = index.period_year[row["period"]["period"]]
        year = years.setdefault(key, {"year": index.period_ref(key), "periods": {}, "own": []})
        if row["period"]["period"] == key:
            year["own"].append(row)
        else:
            year["periods"].setdefault(row["period"]["period"], []).append(row)
    found = []
    for key, year in years.items():
        counts = Counter(r["name"] for rows_ in year["periods"].values() for r in rows_)
        found.append(
            {
                "year": year["year"],
                "as_of": index.as_of(key),
                "own": year["own"],
                "periods": [
                    {"period": rows_[0]["period"], "actions": rows_}
                    for rows_ in year["periods"].values()
                ],
                "summary": "、".join(
                    [f"{name}{n}次" for name, n in counts.items()]
                    + [r["name"] for r in year["own"]]
                ),
            }
        )
    return found


def money_sums(rows: Iterable[dict]) -> dict:
    """Flags and money added up over rows (a village's years)."""
    totals = dict.fromkeys(MONEY_KEYS, 0)
    for row in rows:
        for key in MONEY_KEYS:
            totals[key] += row[key]
    return totals


def village_year_rows(index: SiteIndex, data: VillageData, older: set[str]) -> list[dict]:
    """Per year, newest first: flags and money; older years link to their own page."""
    return [
        {
            "year": index.period_ref(year),
            "as_of": index.as_of(year),
            **data.year_row(year),
            "url": data.year_url(year) if year in older else None,
        }
        for year in reversed(data.years)
    ]


def village_months(index: SiteIndex, village_id: str, monthly: list[dict]) -> list[dict]:
    """The village's months, oldest first: money, running total and its flags' categories."""
    flags: dict[str, dict[str, list[str]]] = {}
    order = {c["id"]: n for n, c in enumerate(index.categories)}  # town.toml's, as everywhere
    for row in sorted(monthly, key=lambda r: order[r["category"]]):
        if row["flag"]:
            named = flags.setdefault(row["period"], {"red": [], "yellow": []})
            named[row["flag"]].append(index.category[row["category"]]["name"])
    months, running, no_flags = [], 0, {"red": [], "yellow": []}
    for row in index.village_rows("rewards", village_id):
        running += row["net"]
        named = flags.get(row["period"], no_flags)
        months.append(
            {
                **row,
                "period": index.period_ref(row["period"]),
                "evaluated": village_id in index.evaluated(row["period"]),
                "reds": named["red"],
                "yellows": named["yellow"],
                "running": running,
            }
        )
    return months


def village_scores(index: SiteIndex, village_id: str, cells: dict, months: list[dict]) -> dict:
    """The table of the village's months (village_months), newest first: a cell per category,
    then the month's money and the running total; `fixes` marks cells corrected since."""
    periods = [m["period"]["period"] for m in months]
    money = {m["period"]["period"]: m for m in months}
    used = {c for _, c in cells}
    categories = [c for c in index.categories if c["id"] in used and c["kind"] != "annual"]
    ids = [c["id"] for c in categories]
    fixes = index.fixes
    rows = [
        {
            "period": index.period_ref(p),
            "cells": [cells.get((p, c)) for c in ids],
            "net": money[p]["net"],
            "running": money[p]["running"],
            "evaluated": money[p]["evaluated"],
            "fixes": [fixes.get((p, village_id, c)) for c in ids] if fixes else None,
        }
        for p in reversed(periods)
    ]
    corrected = any(r["fixes"] and any(r["fixes"]) for r in rows)
    return {"categories": categories, "rows": rows, "corrected": corrected}


def village_charts(index: SiteIndex, grid_id: str, cells: dict, periods: list[str]) -> list[dict]:
    """Per monthly category the village was scored in: its scores against its grid's average."""
    shown = set(periods)
    used = {c for p, c in cells if p in shown}
    labels_ = [period_label(p) for p in periods]
    charts = []
    for category in index.categories:
        if category["kind"] == "annual" or category["id"] not in used:
            continue
        rows = [cells.get((p, category["id"])) for p in periods]
        mine = Series(
            "mine",
            [r["score"] if r else None for r in rows],
            [r["flag"] if r else None for r in rows],
        )
        average = Series("avg", [index.averages.get((p, grid_id, category["id"])) for p in periods])
        chart = line_chart(labels_, [average, mine])
        if chart:
            charts.append({"category": category, "chart": chart})
    return charts


def village_annual(index: SiteIndex, rows: list[dict]) -> list[dict]:
    """A village's rows of annual categories, newest first."""
    return [
        {
            "year": index.period_ref(r["period"]),
            "category": index.category[r["category"]],
            "score": r["score"],
            "rank": r["rank"],
            "flag": r["flag"],
            "why": why(r, index.rule(r["period"])),
        }
        for r in sorted(rows, key=lambda r: (r["period"], r["category"]), reverse=True)
    ]


# -- a grid's page ----------------------------------------------------------------------------


def grid_year_rows(index: SiteIndex, year: str, grid_id: str) -> list[dict]:
    totals = index.year_totals.get(year, [])
    rows = []
    for category in index.categories_in(sorted({t["category"] for t in totals})):
        mine = next(
            (t for t in totals if t["grid"] == grid_id and t["category"] == category["id"]),
            None,
        )
        leaders = [
            index.grid[t["grid"]]["name"]
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


def grid_years(index: SiteIndex) -> tuple[list[str], list[str]]:
    """(years the grid page shows, older years with a page each), oldest first."""
    shown: list[str] = []
    months = 0
    for year in reversed(index.years):
        months += len(index.year_info[year]["periods"])
        if shown and months > GRID_CHART_PERIODS:
            break
        shown.insert(0, year)
    return shown, index.years[: len(index.years) - len(shown)]


def grid_year_sections(index: SiteIndex, grid_id: str, years: Iterable[str]) -> list[dict]:
    """Per year with grid totals, newest first: each category's total and leading grids."""
    return [
        {
            "year": index.period_ref(y),
            "as_of": index.as_of(y),
            "rows": grid_year_rows(index, y, grid_id),
        }
        for y in reversed(list(years))
        if index.year_totals.get(y)
    ]


def grid_charts(index: SiteIndex, grid_id: str, periods: list[str]) -> list[dict]:
    """Per monthly category: the grid's average over `periods` against every other grid's."""
    labels_ = [period_label(p) for p in periods]
    charts = []
    for category in index.categories:
        if category["kind"] == "annual":
            continue
        others = [
            Series("other", [index.averages.get((p, g["id"], category["id"])) for p in periods])
            for g in index.grids
            if g["id"] != grid_id
        ]
        mine = Series("mine", [index.averages.get((p, grid_id, category["id"])) for p in periods])
        if all(v is None for v in mine.values):
            continue
        chart = line_chart(labels_, [*others, mine])
        if chart:
            charts.append({"category": category, "chart": chart})
    return charts

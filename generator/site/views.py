"""The index the pages are views of: lookups over one results document: rows by period, village and grid, and the small shared
references (a village's, a period's, a grid's name and URL) every page links with. No I/O.

The index only finds things; what a page shows is arranged by the context functions of
pages.py from these lookups and the building blocks of blocks.py.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from generator.periods import december, is_month, label, month_number, year_of
from generator.site.format import grid_url, period_url, village_url, year_url
from generator.townwords import TownWords


@dataclass(frozen=True)
class Page:
    """One page to write: which template, where, and its own context."""

    template: str
    save_as: str
    url: str
    title: str
    description: str
    context: dict = field(default_factory=dict)


class SiteIndex:
    """Rows of one results document looked up by period, village and grid."""

    def __init__(self, doc: dict, fixes: dict | None = None):
        self.fixes = fixes or {}  # (period, village id, category id) → correction, from git
        self.town = doc["town"]["name"]
        self.words = TownWords.from_document(doc)  # 镇, 乡 or 街道, and its phrases
        self.grids = doc["grids"]
        self.grid = {g["id"]: g for g in self.grids}
        self.categories = doc["categories"]
        self.category = {c["id"]: c for c in self.categories}
        self.villages = doc["villages"]
        self.village = {v["id"]: v for v in self.villages}
        self.village_order = {v["id"]: i for i, v in enumerate(self.villages)}
        self.periods = [p["period"] for p in doc["periods"]]
        self.period_info = {p["period"]: p for p in doc["periods"]}
        self.years = [y["year"] for y in doc["years"]]
        self.year_info = {y["year"]: y for y in doc["years"]}
        self.rules = {r["from"]: r for r in doc["rules"]}
        self.by_period = {name: _group(doc[name], "period") for name in ROW_TABLES}
        self.by_village = {name: _group(doc[name], "village_id") for name in ROW_TABLES}
        # every period key of the document's rows → its year (a year's own key → itself)
        keys = {*self.periods, *self.years}.union(*self.by_period.values())
        self.period_year = {key: year_of(key) for key in keys}
        self.averages = {
            (a["period"], a["grid"], a["category"]): a["average"] for a in doc["grid_averages"]
        }
        self.year_totals = _group(doc["grid_year_totals"], "year")
        # a village's flags, money and 优先评优 rank in a year, as the rules computed them
        self.village_years = _group(doc["village_years"], "year")
        self.years_of_village = _group(doc["village_years"], "village_id")
        self.refs = {v["id"]: self._ref(v) for v in self.villages}
        for v in self.villages:  # a merged village and the one it joined link each other
            if v.get("successor") in self.refs:
                joined = self.refs[v["successor"]]
                self.refs[v["id"]]["successor"] = _short_ref(joined) | {"after": label(v["end"])}
                joined.setdefault("predecessors", []).append(_short_ref(self.refs[v["id"]]))
        self._period_refs: dict[str, dict] = {}
        self._grid_split: dict[tuple[str, str], dict[str, list[dict]]] = {}
        self._ranked: dict[str, dict[tuple[str, str], int]] = {}
        self._evaluated: dict[str, frozenset[str]] = {}
        self._flag_totals: dict[tuple[str, str | None], dict[str, int]] = {}

    def rows(self, table: str, period: str) -> list[dict]:
        """A period's rows of one table: "flags", "rewards", "actions" or "events"."""
        return self.by_period[table].get(period, [])

    def grid_rows(self, table: str, period: str, grid: str | None) -> list[dict]:
        """A period's (or, for "village_years", a year's) rows of one grid's villages; every
        row without a grid. Split by grid once per table and period."""
        if grid is None:
            return (
                self.village_years.get(period, [])
                if table == "village_years"
                else self.rows(table, period)
            )
        split = self._grid_split.get((table, period))
        if split is None:
            split = self._grid_split[(table, period)] = self._split(table, period)
        return split.get(grid, [])

    def _split(self, table: str, period: str) -> dict[str, list[dict]]:
        village = self.village
        split: dict[str, list[dict]] = defaultdict(list)
        for row in self.grid_rows(table, period, None):
            # flags rows carry the grid they were scored in; other tables the village's grid
            split[row["grid"] if table == "flags" else village[row["village_id"]]["grid"]].append(
                row
            )
        return dict(split)

    def village_rows(self, table: str, village_id: str) -> list[dict]:
        return self.by_village[table].get(village_id, [])

    def _ref(self, village: dict) -> dict:
        return {
            "id": village["id"],
            "name": village["name"],
            "url": village_url(village["id"]),
            "grid": self.grid[village["grid"]]["name"],
            "status": _status(village),
            "former": "、".join(village.get("former_names") or ()),
        }

    def period_ref(self, period: str) -> dict:
        """A period or year: its key, label and URL (one shared dict each: never change it)."""
        ref = self._period_refs.get(period)
        if ref is None:
            month = is_month(period)
            url = period_url(period) if month else year_url(period)
            ref = {"period": period, "label": label(period), "url": url}
            if month:
                ref["month"] = month_number(period)
            self._period_refs[period] = ref
        return ref

    def grid_ref(self, grid_id: str) -> dict:
        return {"id": grid_id, "name": self.grid[grid_id]["name"], "url": grid_url(grid_id)}

    def members(self, grid_id: str) -> list[dict]:
        """The grid's villages, in the town's order."""
        return [self.refs[v["id"]] for v in self.villages if v["grid"] == grid_id]

    def rule(self, period: str) -> dict:
        """The rule version a month (or a year: its December's, docs/data-format.md §4) was
        judged by."""
        info = self.period_info[period] if is_month(period) else self.year_info[period]
        return self.rules[info["rules_from"]]

    @property
    def latest(self) -> str | None:
        return self.periods[-1] if self.periods else None

    def year_done(self, year: str) -> bool:
        """Whether a year's annual outcomes are final: it has its December, or a later period
        exists (a town that skipped December has moved on)."""
        periods = self.year_info[year]["periods"] if year in self.year_info else []
        if december(year) in periods:
            return True
        return bool(self.periods) and year_of(self.periods[-1]) > year

    def as_of(self, year: str) -> str | None:
        """截至YYYY年M月 while a year is unfinished (its outcomes are decided at its end)."""
        if self.year_done(year):
            return None
        periods = self.year_info[year]["periods"] if year in self.year_info else []
        return f"截至{label(periods[-1])}" if periods else None

    def ranked(self, period: str, grid: str, category: str) -> int:
        """How many villages of a grid were ranked in a category in a period (共N村)."""
        counts = self._ranked.get(period)
        if counts is None:
            counts = self._ranked[period] = defaultdict(int)
            for row in self.rows("flags", period):
                if row["rank"] is not None:
                    counts[(row["grid"], row["category"])] += 1
        return counts.get((grid, category), 0)

    def evaluated(self, period: str) -> frozenset[str]:
        """The villages scored in at least one category of a period (参评): a village active
        but scored in none is 未参评 (docs/data-format.md §4)."""
        found = self._evaluated.get(period)
        if found is None:
            rows = self.rows("flags", period)
            found = frozenset(r["village_id"] for r in rows if r["score"] is not None)
            self._evaluated[period] = found
        return found

    def flag_totals(self, period: str, grid: str | None = None) -> dict[str, int]:
        """A period's (one grid's) red and yellow flags and how many villages took part (参评:
        scored in a category; an active village scored in none is not counted), counted once
        for the period, grid, poster and article pages that each show them."""
        found = self._flag_totals.get((period, grid))
        if found is None:
            counts = Counter(r["flag"] for r in self.grid_rows("flags", period, grid))
            evaluated = self.evaluated(period)
            rewards = self.grid_rows("rewards", period, grid)
            found = self._flag_totals[(period, grid)] = {
                "red": counts["red"],
                "yellow": counts["yellow"],
                "villages": sum(r["village_id"] in evaluated for r in rewards),
            }
        return dict(found)

    def categories_in(self, ids: list[str]) -> list[dict]:
        wanted = set(ids)
        return [c for c in self.categories if c["id"] in wanted]

    def village_key(self, village_id: str) -> int:
        return self.village_order[village_id]


ROW_TABLES = ("flags", "rewards", "actions", "events")


def _group(rows: list[dict], key: str) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return dict(grouped)


def _short_ref(ref: dict) -> dict:
    return {"id": ref["id"], "name": ref["name"], "url": ref["url"]}


def _status(village: dict) -> str:
    start, end = village.get("start"), village.get("end")
    if start and end:
        return f"{label(start)}至{label(end)}参评"
    if start:
        return f"{label(start)}起参评"
    if end:
        return f"参评至{label(end)}"
    return ""

"""The site's pages as plain data: results.json (a dict) → one template context per page.

No I/O and no Pelican here: `site.py` feeds these contexts to Pelican's writer. Every Chinese
word comes from `labels` or from the results (town, grid and category names).
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from generator import labels
from generator.site.format import (
    cn_number,
    data_path,
    default_period_date,
    grid_url,
    latest,
    period_label,
    period_url,
    points,
    village_url,
    year_url,
)

ACTION_ORDER = ("suspension", "warning", "interview", "priority", "downgrade", "star_loss")


@dataclass(frozen=True)
class Page:
    """One page to write: which template, where, and its own context."""

    template: str
    save_as: str
    url: str
    title: str
    description: str
    context: dict = field(default_factory=dict)


class SiteView:
    """Indexes over one results document and the page contexts built from them."""

    def __init__(self, doc: dict, fixes: dict | None = None):
        self.doc = doc
        self.fixes = fixes or {}  # (period, village id, category id) → correction, from git
        self.town = doc["town"]["name"]
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
        self.flags = _group(doc["flags"], "period")
        self.village_flags = _group(doc["flags"], "village_id")
        self.rewards = _group(doc["rewards"], "period")
        self.village_rewards = _group(doc["rewards"], "village_id")
        self.actions = _group(doc["actions"], "period")
        self.village_actions = _group(doc["actions"], "village_id")
        self.events = _group(doc["events"], "period")
        self.village_events = _group(doc["events"], "village_id")
        self.averages = {
            (a["period"], a["grid"], a["category"]): a["average"] for a in doc["grid_averages"]
        }
        self.year_totals = _group(doc["grid_year_totals"], "year")
        self.refs = {v["id"]: self._ref(v) for v in self.villages}
        self._period_refs: dict[str, dict] = {}

    # -- small references used everywhere ----------------------------------------------

    def _ref(self, village: dict) -> dict:
        return {
            "id": village["id"],
            "name": village["name"],
            "url": village_url(village["id"]),
            "grid": self.grid[village["grid"]]["name"],
            "status": _status(village),
        }

    def period_ref(self, period: str) -> dict:
        """A period or year: its key, label and URL (one shared dict each: never change it)."""
        ref = self._period_refs.get(period)
        if ref is None:
            url = period_url(period) if len(period) == 7 else year_url(period)
            ref = {"period": period, "label": period_label(period), "url": url}
            self._period_refs[period] = ref
        return ref

    def grid_ref(self, grid_id: str) -> dict:
        return {"id": grid_id, "name": self.grid[grid_id]["name"], "url": grid_url(grid_id)}

    def rule(self, period: str) -> dict:
        if len(period) == 7:
            return self.rules[self.period_info[period]["rules_from"]]
        froms = [f for f in sorted(self.rules) if f <= f"{period}-12"]
        return self.rules[froms[-1]] if froms else next(iter(self.rules.values()))

    @property
    def latest(self) -> str | None:
        return self.periods[-1] if self.periods else None

    def shared(self) -> dict:
        """Context every page gets: the town, the latest period, navigation."""
        latest = self.latest
        return {
            "town": self.town,
            "site_title": f"{self.town}红黄旗评比",
            "latest": self.period_ref(latest) if latest else None,
            "flag_names": labels.FLAG_NAMES,
            "action_names": labels.ACTION_LONG_NAMES,
        }

    # -- pages ---------------------------------------------------------------------------

    def home(self) -> Page:
        latest = self.latest
        context = {
            "archive": self.archive(),
            "directory": self.directory(),
        }
        description = f"{self.town}各村红黄旗评比结果、奖罚和处理措施。"
        if latest:
            context |= {
                "period": self.period_ref(latest),
                "glance": self.glance(latest),
                "ledger": [r for r in self.ledger(latest) if r["reward"] or r["penalty"]],
                "action_counts": self.action_counts(latest),
                "totals": self.flag_totals(latest),
            }
            description = self.period_description(latest)
        return Page("home", "index.html", "", f"{self.town}红黄旗评比", description, context)

    def not_found(self) -> Page:
        return Page("404", "404.html", "404.html", "找不到这个页面", "页面不存在或已移动。")

    def period_page(self, period: str) -> Page:
        index = self.periods.index(period)
        info = self.period_info[period]
        context = {
            "period": self.period_ref(period),
            "previous": self.period_ref(self.periods[index - 1]) if index else None,
            "next": self.period_ref(self.periods[index + 1])
            if index + 1 < len(self.periods)
            else None,
            "year": self.period_ref(period[:4]),
            "rule": self.rule(period),
            "totals": self.flag_totals(period),
            "sections": self.rankings(period, info["categories"]),
            "events": self.event_rows(self.events.get(period, [])),
            "ledger": self.ledger(period),
            "actions": self.action_rows(self.actions.get(period, [])),
            "averages": self.average_table(period, info["categories"]),
            "downloads": _downloads(info),
        }
        title = f"{period_label(period)}评比结果"
        return Page(
            "period",
            period_url(period) + "index.html",
            period_url(period),
            f"{title} · {self.town}",
            self.period_description(period),
            context,
        )

    def screen_pages(self) -> list[Page]:
        latest = self.latest
        if not latest:
            return []
        glance = self.glance(latest)
        urls = ["screen/"] + [f"screen/{i + 1}/" for i in range(1, len(glance))]
        pages = []
        for i, slide in enumerate(glance):
            context = {
                "period": self.period_ref(latest),
                "slide": slide,
                "position": f"{i + 1}/{len(glance)}",
                "next_url": urls[(i + 1) % len(urls)],
            }
            title = f"{slide['grid']['name']} {period_label(latest)} · {self.town}"
            pages.append(
                Page(
                    "screen",
                    urls[i] + "index.html",
                    urls[i],
                    title,
                    self.period_description(latest),
                    context,
                )
            )
        return pages

    # -- building blocks -------------------------------------------------------------------

    def glance(self, period: str) -> list[dict]:
        """Per grid and category of the period: the red and the yellow villages."""
        by_group = defaultdict(lambda: {"red": [], "yellow": []})
        for row in self.flags.get(period, []):
            if row["flag"]:
                item = self.refs[row["village_id"]] | {"basis": row["basis"]}
                by_group[(row["grid"], row["category"])][row["flag"]].append((row, item))
        categories = self.categories_in(self.period_info[period]["categories"])
        slides = []
        for grid in self.grids:
            rows = []
            for category in categories:
                group = by_group[(grid["id"], category["id"])]
                rows.append(
                    {
                        "category": category,
                        "reds": [i for _, i in sorted(group["red"], key=self._rank_key)],
                        "yellows": [i for _, i in sorted(group["yellow"], key=self._rank_key)],
                    }
                )
            slides.append({"grid": self.grid_ref(grid["id"]), "rows": rows})
        return slides

    def _rank_key(self, pair) -> tuple:
        row = pair[0]
        rank = row["rank"] if row["rank"] is not None else 10**6
        return (rank, self.village_order[row["village_id"]])

    def categories_in(self, ids: list[str]) -> list[dict]:
        wanted = set(ids)
        return [c for c in self.categories if c["id"] in wanted]

    def flag_totals(self, period: str) -> dict:
        counts = Counter(r["flag"] for r in self.flags.get(period, []))
        return {
            "red": counts["red"],
            "yellow": counts["yellow"],
            "villages": len(self.rewards.get(period, [])),
        }

    def period_summary(self, period: str) -> str:
        totals = self.flag_totals(period)
        return (
            f"{self.town}{period_label(period)}红黄旗评比结果:{totals['villages']}个村参评,"
            f"共评出红旗{totals['red']}面、黄旗{totals['yellow']}面。"
        )

    def period_description(self, period: str) -> str:
        return self.period_summary(period) + "查看各村得分、排名和奖罚。"

    def rankings(self, period: str, category_ids: list[str]) -> list[dict]:
        """Per grid, per category: every active village in rank order, with why it got a flag."""
        rule = self.rule(period)
        by_group = defaultdict(list)
        for row in self.flags.get(period, []):
            by_group[(row["grid"], row["category"])].append(row)
        active = defaultdict(list)
        for village_id in self._active(period):
            active[self.village[village_id]["grid"]].append(village_id)
        sections = []
        for grid in self.grids:
            tables = []
            for category in self.categories_in(category_ids):
                rows = sorted(by_group[(grid["id"], category["id"])], key=self._row_key)
                seen = {r["village_id"] for r in rows}
                table = [self._ranking_row(r, rule) for r in rows]
                table += [
                    {"village": self.refs[v], "score": None, "unscored": True}
                    for v in active[grid["id"]]
                    if v not in seen
                ]
                if table:
                    tables.append({"category": category, "rows": table})
            if tables:
                sections.append({"grid": self.grid_ref(grid["id"]), "tables": tables})
        return sections

    def _active(self, period: str) -> list[str]:
        if len(period) == 7:
            return [r["village_id"] for r in self.rewards.get(period, [])]
        return []

    def _row_key(self, row: dict) -> tuple:
        rank = row["rank"] if row["rank"] is not None else 10**6
        return (rank, self.village_order[row["village_id"]])

    def _ranking_row(self, row: dict, rule: dict) -> dict:
        return {
            "village": self.refs[row["village_id"]],
            "score": row["score"],
            "cell": row.get("cell"),
            "adjustment": row.get("adjustment") or 0,
            "rank": row["rank"],
            "flag": row["flag"],
            "why": why(row, rule),
            "fix": self.fixes.get((row["period"], row["village_id"], row["category"]))
            if self.fixes
            else None,
        }

    def event_rows(self, events: list[dict], by_period: bool = False) -> list[dict]:
        rows = []
        for event in events:
            category = event.get("category")
            rows.append(
                {
                    "period": self.period_ref(event["period"]) if by_period else None,
                    "village": self.refs[event["village_id"]],
                    "event": event["event"],
                    "name": labels.EVENT_NAMES.get(event["event"], event["event"]),
                    "category": self.category[category]["name"] if category else "",
                    "value": event.get("value"),
                    "note": event.get("note") or "",
                }
            )
        return rows

    def ledger(self, period: str) -> list[dict]:
        rows = [{**r, "village": self.refs[r["village_id"]]} for r in self.rewards.get(period, [])]
        return sorted(rows, key=lambda r: (-r["net"], self.village_order[r["village_id"]]))

    def action_rows(self, actions: list[dict], by_period: bool = False) -> list[dict]:
        rows = [
            {
                "period": self.period_ref(a["period"]) if by_period else None,
                "village": self.refs[a["village_id"]],
                "action": a["action"],
                "name": labels.ACTION_NAMES.get(a["action"], a["action"]),
                "reason": a["reason"],
            }
            for a in actions
        ]

        def key(row):
            order = ACTION_ORDER.index(row["action"]) if row["action"] in ACTION_ORDER else 99
            period = row["period"]["period"] if by_period else ""
            return (period, order, self.village_order[row["village"]["id"]])

        rows.sort(key=key)
        if by_period:
            rows.reverse()
        return rows

    def action_counts(self, period: str) -> list[dict]:
        counts = defaultdict(int)
        for action in self.actions.get(period, []):
            counts[action["action"]] += 1
        return [
            {"action": a, "name": labels.ACTION_NAMES[a], "count": counts[a]}
            for a in labels.MONTHLY_ACTIONS
        ]

    def average_table(self, period: str, category_ids: list[str]) -> dict:
        categories = self.categories_in(category_ids)
        rows = [
            {
                "grid": self.grid_ref(g["id"]),
                "values": [self.averages.get((period, g["id"], c["id"])) for c in categories],
            }
            for g in self.grids
        ]
        return {"categories": categories, "rows": rows}

    def archive(self) -> list[dict]:
        return [
            {
                "year": self.period_ref(y),
                "periods": [self.period_ref(p) for p in self.year_info[y]["periods"]],
            }
            for y in reversed(self.years)
        ]

    def directory(self) -> list[dict]:
        return [
            {
                "grid": self.grid_ref(g["id"]),
                "villages": [self.refs[v["id"]] for v in self.villages if v["grid"] == g["id"]],
            }
            for g in self.grids
        ]

    # -- feed and sitemap -------------------------------------------------------------------

    def feed_entries(self, period_dates: dict[str, str], corrected: dict[str, str]) -> list[dict]:
        """One Atom entry per period, newest first; dates from the data, never the clock.

        `published` is when the period was first published, `updated` its latest correction.
        """
        entries = []
        for period in reversed(self.periods):
            published = period_dates.get(period) or default_period_date(period)
            reds = [
                f"{self.refs[r['village_id']]['name']}"
                for r in self.flags.get(period, [])
                if r["flag"] == "red"
            ]
            entries.append(
                {
                    "period": self.period_ref(period),
                    "title": f"{self.town}{period_label(period)}红黄旗评比结果",
                    "published": published,
                    "updated": latest([published, corrected.get(period, published)]),
                    "corrected": corrected.get(period, "")[:10],
                    "summary": self.period_summary(period),
                    "red_villages": sorted(set(reds), key=reds.index),
                }
            )
        return entries


def why(row: dict, rule: dict) -> tuple[str, ...]:
    """Short reasons for a row's flag: 前三 / 后三 / 并列 / 递补 / 现场会 / 一票否决 / 加减分."""
    flag, vetoed, adjustment = row["flag"], row.get("vetoed"), row.get("adjustment") or 0
    if not (flag or vetoed or adjustment):  # most rows: nothing to explain
        return ()
    rank = row["rank"]
    return _why(
        flag,
        row["basis"],
        rank is not None and rank > rule["red_count"],
        bool(row.get("tied")),
        bool(vetoed),
        adjustment,
        rule["red_count"],
        rule["yellow_count"],
    )


@functools.cache
def _why(flag, basis, below_red, tied, vetoed, adjustment, red_count, yellow_count) -> tuple:
    reasons = []
    if flag == "red" and basis == "meeting":
        reasons.append("现场会")
    elif flag == "red":
        reasons.append(f"前{cn_number(red_count)}")
        if below_red:
            reasons.append("递补")
    elif flag == "yellow":
        reasons.append(f"后{cn_number(yellow_count)}")
    if flag and tied:
        reasons.append("并列")
    if vetoed:
        reasons.append("一票否决")
    if adjustment:
        reasons.append(f"{'加' if adjustment > 0 else '扣'}{points(abs(adjustment))}分")
    return tuple(reasons)


def _group(rows: list[dict], key: str) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return dict(grouped)


def _status(village: dict) -> str:
    start, end = village.get("start"), village.get("end")
    if start and end:
        return f"{period_label(start)}至{period_label(end)}参评"
    if start:
        return f"{period_label(start)}起参评"
    if end:
        return f"参评至{period_label(end)}"
    return ""


def _downloads(info: dict) -> list[dict]:
    downloads = [{"label": "本期评分表", "url": data_path(info["file"])}]
    if info.get("events_file"):
        downloads.append({"label": "本期事件表", "url": data_path(info["events_file"])})
    return downloads

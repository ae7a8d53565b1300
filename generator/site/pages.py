"""Every page of the site, built one way: a table of page kinds (KINDS), each naming its
template, the keys it has pages for and the small function that makes a key's pages.

A context function takes the `Site` (the index of the results, the git history, the build's
settings) and one key, and returns Page records: where the page goes, its title and
description, and what its template shows, arranged from blocks.py and villages.py. No I/O and
no Pelican: plugin.py writes the pages. Kinds marked `last` are built after every other page
has been written (the data page lists the published files, the sitemap the written pages).

A town with more than SPLIT_VILLAGES villages in several grids gets a page per grid for each
period (/YYYY/MM/<grid>/) and year (/YYYY/grid/<grid>/); its period, year and home pages then
list the grids with their flags instead of every village, so that each page stays within the
size that arrives in the first round trips however many villages the town has.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from generator import labels, routes
from generator.periods import label as period_label
from generator.periods import year_of
from generator.site import blocks, knockons, poster, schema, screen, status, villages, wechat
from generator.site.format import (
    data_path,
    default_period_date,
    grid_url,
    latest,
    period_url,
    signed_yuan,
    year_url,
)
from generator.site.publication import first_publication, publication
from generator.site.record import rewrite_notices
from generator.site.revisions import SiteHistory, correction_dates, history_pages, period_history
from generator.site.views import Page, SiteIndex
from generator.site.xlsx import xlsx_path

# Above this many villages (in more than one grid) a period or year gets a page per grid.
SPLIT_VILLAGES = 200
# The feed's date when there is no period at all (Atom requires one).
EPOCH = "1970-01-01T00:00:00+00:00"
# What the codes in the published CSVs mean, for the data page.
CODES = [
    ("flag", labels.FLAG_NAMES),
    ("basis", labels.BASIS_NAMES),
    ("action", labels.ACTION_LONG_NAMES),
    ("event", labels.EVENT_NAMES),
]


@dataclass
class Site:
    """What the pages are made from: the results' index, git's history, a few settings, and
    (for the kinds built last) what has been written and published."""

    index: SiteIndex
    history: SiteHistory = field(default_factory=SiteHistory)
    screen_seconds: int = 20
    site_url: str = ""
    written: list[tuple[str, str]] = field(default_factory=list)  # (kind, url) of each page
    data_files: list = field(default_factory=list)  # publish.DataFile of the data page
    extra_urls: list[str] = field(default_factory=list)  # Pelican's pages, for the sitemap
    notice: dict = field(default_factory=dict)  # town.toml's [notice]: revisions.notice_settings

    @property
    def split(self) -> bool:
        """Whether periods and years get a page per grid (see the module's docstring)."""
        index = self.index
        return len(index.villages) > SPLIT_VILLAGES and len(index.grids) > 1


@dataclass(frozen=True)
class PageKind:
    template: str  # the theme's template file
    keys: Callable[[Site], Iterable]  # the keys this kind has pages for
    make: Callable[[Site, object], list[Page]]  # a key's pages
    last: bool = False  # built after every other kind has been written


def one(make: Callable[[Site, object], Page]) -> Callable[[Site, object], list[Page]]:
    return lambda site, key: [make(site, key)]


# -- home, 404 and screen ---------------------------------------------------------------------


def home(site: Site, _) -> Page:
    index = site.index
    latest_period = index.latest
    # a split town's home names its grids, each linked to its villages on the village index
    context = {
        "archive": blocks.archive(index),
        "directory": blocks.directory(index),
        "directory_grids": site.split,
        "rewrites": rewrite_notices(site.history.rewrites),
    }
    description = f"{index.town}各村红黄旗评比结果、奖罚和处理措施。"
    if latest_period:
        context |= _home_period(site, latest_period)
        description = blocks.period_description(index, latest_period)
    return Page("home", routes.HOME, "", f"{index.town}红黄旗评比结果公示", description, context)


def _home_period(site: Site, period: str) -> dict:
    index = site.index
    context = {
        "period": index.period_ref(period),
        "action_counts": blocks.action_counts(index, period),
        "totals": index.flag_totals(period),
        "money_total": blocks.money_total(index.rows("rewards", period)),
    }
    if site.split:
        return context | {"grid_summaries": blocks.grid_summaries(index, period, grid_period_url)}
    money = [r for r in blocks.ledger(index, period) if r["reward"] or r["penalty"]]
    return context | {"glance": blocks.glance(index, period), "ledger": money}


def not_found(site: Site, _) -> Page:
    title = f"找不到这个页面 · {site.index.town}红黄旗评比"
    return Page("404", routes.NOT_FOUND, routes.NOT_FOUND, title, "页面不存在或已移动。")


# the screen's slides: screen.py


# -- periods and years ------------------------------------------------------------------------


def period(site: Site, key: str) -> Page:
    index = site.index
    info = index.period_info[key]
    position = index.periods.index(key)
    neighbours = index.periods[position - 1 : position] if position else []
    context = {
        "period": index.period_ref(key),
        "previous": index.period_ref(neighbours[0]) if neighbours else None,
        "year": index.period_ref(year_of(key)),
        "rule": index.rule(key),
        "totals": index.flag_totals(key),
        "events": blocks.event_rows(index, index.rows("events", key)),
        "action_counts": blocks.action_counts(index, key),
        "money_total": blocks.money_total(index.rows("rewards", key)),
        "downloads": blocks.downloads(info),
        "workbook": xlsx_path(key),
        "wechat_url": wechat.wechat_url(key),
        **_period_grids(site, key, info["categories"]),
        "record": period_history(index, key, site.history, site.notice),
        "rewrites": rewrite_notices(site.history.rewrites, key),
    }
    _mark_changed(site, key, context)
    title = f"{index.town}{period_label(key)}红黄旗评比结果"
    description = blocks.period_description(index, key)
    return Page(
        "period", period_url(key) + "index.html", period_url(key), title, description, context
    )


def _mark_changed(site: Site, key: str, context: dict, grid_id: str | None = None) -> None:
    """The villages (of the grid) whose results of `key` a correction changed (knockons): the
    page's list of them, and a △ on their money rows linking to it."""
    found = knockons.period_changes(site.history.changed, key, site.notice)
    index = site.index
    context["changed"] = [
        {"village": index.refs[v], "changes": c}
        for v, c in found.items()
        if grid_id is None or index.village[v]["grid"] == grid_id
    ]
    changed = {c["village"]["id"] for c in context["changed"]}
    for row in context.get("ledger", ()):
        row["changed"] = row["village_id"] in changed


def _period_grids(site: Site, key: str, categories: list[str]) -> dict:
    """The scores, money and actions of every village, or (split) a line per grid and the
    grids' averages side by side (each grid's page has its villages')."""
    index = site.index
    if site.split:
        return {
            "sections": [],
            "actions": [],
            "grid_summaries": blocks.grid_summaries(index, key, grid_period_url),
            "averages": blocks.average_table(index, key, categories),
        }
    return {
        "sections": blocks.scoreboard(index, key, categories),
        "ledger": blocks.ledger(index, key),
        "actions": blocks.village_actions(index, index.rows("actions", key)),
    }


def grid_period_url(key: str, grid_id: str) -> str:
    return f"{period_url(key)}{grid_id}/"


def grid_period_keys(site: Site) -> list[tuple[str, str]]:
    if not site.split:
        return []
    return [(p, g["id"]) for p in site.index.periods for g in site.index.grids]


def grid_period(site: Site, key: tuple[str, str]) -> Page:
    """One grid's rankings and money in a period, for towns too large for one period page."""
    index = site.index
    month, grid_id = key
    grid = index.grid_ref(grid_id)
    categories = index.period_info[month]["categories"]
    context = {
        "period": index.period_ref(month),
        "year": index.period_ref(year_of(month)),
        "grid": grid,
        "rule": index.rule(month),
        "totals": index.flag_totals(month, grid_id),
        "sections": blocks.scoreboard(index, month, categories, grid_id),
        "ledger": blocks.ledger(index, month, grid_id),
        "money_total": blocks.money_total(index.grid_rows("rewards", month, grid_id)),
        "actions": blocks.village_actions(index, index.grid_rows("actions", month, grid_id)),
        "events": blocks.event_rows(index, index.grid_rows("events", month, grid_id)),
    }
    _mark_changed(site, month, context, grid_id)
    url = grid_period_url(month, grid_id)
    title = f"{index.town}{grid['name']}{period_label(month)}红黄旗评比结果"
    totals = context["totals"]
    description = (
        f"{index.town}{grid['name']}{period_label(month)}红黄旗评比结果："
        f"{totals['villages']}个村参评，红旗{totals['red']}面、黄旗{totals['yellow']}面。"
    )
    return Page("period_grid", url + "index.html", url, title, description, context)


def year(site: Site, key: str) -> Page:
    index = site.index
    info = index.year_info[key]
    annual = info["annual_categories"]
    priority = blocks.priority(index, key)
    context = {
        "year": index.period_ref(key),
        "as_of": index.as_of(key),
        "periods": [index.period_ref(p) for p in info["periods"]],
        "priority": priority,
        "downgrades": blocks.yearly(index, key, "downgrade"),
        "star_losses": blocks.yearly(index, key, "star_loss"),
        "grid_totals": blocks.grid_totals(index, key),
        "annual_file": data_path(info["annual_file"]) if info["annual_file"] else None,
        "money_total": blocks.money_total(index.grid_rows("village_years", key, None)),
        **_year_grids(site, key, annual),
        "record": period_history(index, key, site.history),
        "rewrites": rewrite_notices(site.history.rewrites, key),
    }
    description = (
        f"{index.town}{key}年度汇总：优先评优{len(priority)}个村，"
        f"年度考核降档{len(context['downgrades'])}个村，"
        f"五星评定降星{len(context['star_losses'])}个村。"
    )
    title = f"{index.town}{key}年度红黄旗评比汇总"
    return Page("year", year_url(key) + "index.html", year_url(key), title, description, context)


# A split town's year page lists the 优先评优 ranking down to this rank (ties included); each
# grid's year page gives every village of the grid its rank.
PRIORITY_SHOWN = 10


def _year_grids(site: Site, key: str, annual: list[str]) -> dict:
    """Non-split: the annual categories' scores and every village's money. Split: a line per
    grid (its 优先评优, 降档 and 降星 villages, its money) and the ranking's top."""
    index = site.index
    if not site.split:
        return {
            "sections": blocks.scoreboard(index, key, annual) if annual else [],
            "year_rows": blocks.year_rows(index, key),
        }
    grids = [_year_grid_line(index, key, g["id"]) for g in index.grids]
    priority = blocks.priority(index, key)
    top = [r for r in priority if r["rank"] <= PRIORITY_SHOWN]
    return {
        "sections": [],
        "year_grids": grids,
        "priority": top,
        "priority_shown": PRIORITY_SHOWN,
        "priority_more": len(priority) - len(top),
    }


def _year_grid_line(index: SiteIndex, key: str, grid_id: str) -> dict:
    actions = Counter(a["action"] for a in index.grid_rows("actions", key, grid_id))
    chosen = index.grid_rows("village_years", key, grid_id)
    return {
        "grid": index.grid_ref(grid_id),
        "url": grid_year_url(key, grid_id),
        "villages": len(chosen),
        "priority": sum(r["priority_rank"] is not None for r in chosen),
        "downgrade": actions["downgrade"],
        "star_loss": actions["star_loss"],
        **blocks.money_total(chosen),
    }


def grid_year_url(key: str, grid_id: str) -> str:
    return f"{year_url(key)}{routes.GRID}/{grid_id}/"


def grid_year_keys(site: Site) -> list[tuple[str, str]]:
    if not site.split:
        return []
    return [(y, g["id"]) for y in site.index.years for g in site.index.grids]


def grid_year(site: Site, key: tuple[str, str]) -> Page:
    """One grid's year for towns too large for one page: its villages' annual scores, their
    优先评优 ranks in the town, 降档 and 降星, and their money over the year."""
    index = site.index
    year_key, grid_id = key
    info = index.year_info[year_key]
    annual = info["annual_categories"]
    grid = index.grid_ref(grid_id)
    context = {
        "year": index.period_ref(year_key),
        "as_of": index.as_of(year_key),
        "grid": grid,
        "sections": blocks.scoreboard(index, year_key, annual, grid_id) if annual else [],
        "year_rows": blocks.year_rows(index, year_key, grid_id),
        "money_total": blocks.money_total(index.grid_rows("village_years", year_key, grid_id)),
    }
    url = grid_year_url(year_key, grid_id)
    title = f"{index.town}{grid['name']}{year_key}年度红黄旗评比汇总"
    description = f"{index.town}{grid['name']}{year_key}年度项目评比结果和全年奖罚合计。"
    return Page("year_grid", url + "index.html", url, title, description, context)


# -- villages and grids -----------------------------------------------------------------------


def village_pages(site: Site, village_id: str) -> list[Page]:
    """The village's page and, once it has more years than that page shows, a page per older
    year, so that no page outgrows the first round trip however long the town publishes."""
    data = villages.VillageData.of(site.index, village_id)
    shown = data.years[-villages.VILLAGE_YEARS_SHOWN :]
    older = data.years[: -villages.VILLAGE_YEARS_SHOWN]
    pages = [village(site.index, data, shown, older)]
    pages[0].context["status"] = status.village_status(site.index, village_id, _rank_url(site))
    pages[0].context.update(village_publication(site, village_id))
    changes = knockons.village_changes(site.history.changed, village_id, site.notice)
    pages[0].context["changes"] = changes
    if pages[0].context["status"]:
        year = pages[0].context["status"]["year"]["period"]  # its year's counts may change
        pages[0].context["status"]["changes"] = [c for c in changes if year_of(c["period"]) == year]
    return pages + [_of_year(site, village_year(site.index, data, y), y) for y in older]


def _of_year(site: Site, page: Page, year: str) -> Page:
    """An older year's page names that year's data version: it stays as it was."""
    page.context["data_version"] = site.history.version_of(year)
    return page


def village_publication(site: Site, village_id: str) -> dict:
    """Who published the village's latest period (its last, once it no longer takes part), when,
    and until when 复议 may be asked for: {"published", "published_lead"}, or {} without one."""
    periods = [r["period"] for r in site.index.village_rows("rewards", village_id)]
    if not periods:
        return {}
    latest = site.index.latest if site.index.latest in periods else periods[-1]
    return {
        "published": publication(first_publication(site.history, latest), site.notice),
        "published_lead": f"{period_label(latest)}结果",
    }


def _rank_url(site: Site) -> Callable[[str, str], str]:
    """Where a period's rankings of a grid are: the period page, or (split) the grid's."""
    return grid_period_url if site.split else lambda key, _grid: period_url(key)


def village_index(site: Site, _) -> Page:
    """找我的村: every village by grid, with jump links to each grid."""
    index = site.index
    context = {"directory": blocks.directory(index)}
    description = (
        f"{index.town}各村评比结果：按网格列出全部{index.words.members}，"
        "点村名查看该村的得分、红黄旗和奖罚。"
    )
    return Page(
        "village_index",
        f"{routes.VILLAGE}/index.html",
        f"{routes.VILLAGE}/",
        f"找我的村 · {index.town}红黄旗评比",
        description,
        context,
    )


def village(index: SiteIndex, data: villages.VillageData, shown: list, older: list) -> Page:
    name, ref = index.village[data.id]["name"], index.refs[data.id]
    context = villages.village_context(index, data, shown)
    context["totals"] = totals = villages.money_sums(data.year_rows.values())
    context["years"] = villages.village_year_rows(index, data, set(older))
    context["older"] = older
    description = (
        f"{name}（{ref['grid']}）历次评比得分、红黄旗和奖罚："
        f"累计红旗{totals['red']}面、黄旗{totals['yellow']}面，"
        f"奖罚合计{signed_yuan(totals['net'])}元。"
    )
    url = data.url
    title = f"{name}评比结果 · {index.town}红黄旗评比"
    return Page("village", url + "index.html", url, title, description, context)


def village_year(index: SiteIndex, data: villages.VillageData, key: str) -> Page:
    """One older year of a village, in the village page's layout."""
    name = index.village[data.id]["name"]
    context = villages.village_context(index, data, [key])
    context["totals"] = totals = data.year_row(key)
    context["year"] = index.period_ref(key)
    description = (
        f"{name}{key}年各月得分、红黄旗和奖罚："
        f"红旗{totals['red']}面、黄旗{totals['yellow']}面，奖罚合计{signed_yuan(totals['net'])}元。"
    )
    url = data.year_url(key)
    title = f"{name}{key}年评比结果 · {index.town}红黄旗评比"
    return Page("village", url + "index.html", url, title, description, context)


def grid_pages(site: Site, grid_id: str) -> list[Page]:
    """The grid's page and, once the town has more months than that page charts, a page per
    older year, so that no grid page outgrows the first round trip however long the town
    publishes (as village_pages)."""
    shown, older = villages.grid_years(site.index)
    return [grid(site.index, grid_id, shown, older)] + [
        _of_year(site, grid_year_page(site.index, grid_id, y), y) for y in older
    ]


def grid(index: SiteIndex, grid_id: str, shown: list[str], older: list[str]) -> Page:
    ref = index.grid_ref(grid_id)
    members = index.members(grid_id)
    periods = [p for y in shown for p in index.year_info[y]["periods"]]
    context = {
        "grid": ref,
        "members": members,
        "charts": villages.grid_charts(index, grid_id, periods),
        "charted": len(periods),
        "years": villages.grid_year_sections(index, grid_id, shown),
        "older": [
            {"year": index.period_ref(y), "url": grid_year_page_url(grid_id, y)}
            for y in reversed(older)
        ],
    }
    description = (
        f"{index.town}{ref['name']}：{len(members)}个村的名单、各项目月度平均分和年度总分。"
    )
    url = grid_url(grid_id)
    title = f"{ref['name']}评比结果 · {index.town}红黄旗评比"
    return Page("grid", url + "index.html", url, title, description, context)


def grid_year_page_url(grid_id: str, key: str) -> str:
    return f"{grid_url(grid_id)}{key}/"


def grid_year_page(index: SiteIndex, grid_id: str, key: str) -> Page:
    """One older year of a grid: its monthly averages and its totals, in the grid page's layout."""
    ref = index.grid_ref(grid_id)
    context = {
        "grid": ref,
        "year": index.period_ref(key),
        "charts": villages.grid_charts(index, grid_id, index.year_info[key]["periods"]),
        "years": villages.grid_year_sections(index, grid_id, [key]),
    }
    description = f"{index.town}{ref['name']}{key}年各项目月度平均分和年度总分。"
    url = grid_year_page_url(grid_id, key)
    title = f"{ref['name']}{key}年评比结果 · {index.town}红黄旗评比"
    return Page("grid", url + "index.html", url, title, description, context)


# -- history, data, feed, sitemap -------------------------------------------------------------


def history(site: Site, _) -> list[Page]:
    return history_pages(site.index, site.history)


def wechat_article(site: Site, key: str) -> Page:
    page = wechat.wechat(site.index, key, site.site_url, compact=site.split)
    page.context["published"] = publication(first_publication(site.history, key), site.notice)
    return page


# The data page's groups of files, by where they are published (the rest: results).
DATA_GROUPS = {
    "raw": "data/scores/",
    "workbooks": "data/xlsx/",
    "blanks": "data/template/",
    "package": "data/datapackage",
}


def data(site: Site, _) -> Page:
    files = site.data_files
    town = site.index.town
    groups = {
        name: [f for f in files if f.path.startswith(prefix)]
        for name, prefix in DATA_GROUPS.items()
    }
    context = groups | {
        "workbooks_by_year": by_year(groups["workbooks"][::-1]),
        "raw_by_year": by_year(groups["raw"]),
        "results": [f for f in files if not f.path.startswith(tuple(DATA_GROUPS.values()))],
        "codes": CODES,
        "tables": list(schema.RESULT_TABLES.values()),
        "raw_columns": list(schema.RAW_COLUMNS.values()),
        "score_range": schema.score_range(site.index.categories),
        "type_names": schema.TYPE_NAMES,
    }
    description = f"{town}红黄旗评比的全部结果和原始评分表，CSV 和 JSON 格式，可用 Excel 打开。"
    title = f"数据下载 · {town}红黄旗评比"
    return Page("data", f"{routes.DATA}/index.html", f"{routes.DATA}/", title, description, context)


YEAR_RE = re.compile(r"\d{4}")


def by_year(files: list) -> list[tuple[str, list]]:
    """Files in their order, grouped by the year their path names ('' for none), in order of
    each year's first file."""
    groups: dict[str, list] = {}
    for f in files:
        found = YEAR_RE.search(f.path.rpartition("/")[2])
        groups.setdefault(found.group(0) if found else "", []).append(f)
    return list(groups.items())


def feed(site: Site, _) -> Page:
    """Atom ids: the pages' addresses once SITEURL is absolute, else stable URNs."""
    root = site.site_url
    absolute = root.startswith(("http://", "https://"))
    history = site.history
    entries = feed_entries(
        site.index, history, correction_dates(history.revisions, history.restored)
    )
    for entry in entries:
        ref = entry["period"]
        entry["id"] = f"{root}/{ref['url']}" if absolute else f"urn:flagboard:{ref['period']}"
    context = {
        "entries": entries,
        "feed_id": f"{root}/" if absolute else "urn:flagboard:feed",
        "feed_updated": latest([e["updated"] for e in entries] or [EPOCH]),
    }
    return Page("feed", routes.FEED, routes.FEED, "", "", context)


def feed_entries(index: SiteIndex, history: SiteHistory, corrected: dict) -> list[dict]:
    """One Atom entry per period, newest first; dates from the data, never the clock.

    `published` is when the period was first published (none when that commit's time is
    doubtful: publication.py), `updated` its latest correction.
    """
    entries = []
    for key in reversed(index.periods):
        first = first_publication(history, key)
        published = None if first["doubt"] else first["datetime"] or default_period_date(key)
        since = published or default_period_date(key)
        reds = [
            index.refs[r["village_id"]]["name"]
            for r in index.rows("flags", key)
            if r["flag"] == "red"
        ]
        entries.append(
            {
                "period": index.period_ref(key),
                "title": f"{index.town}{period_label(key)}红黄旗评比结果",
                "published": published,
                "updated": latest([since, corrected.get(key, since)]),
                "corrected": corrected.get(key, "")[:10],
                "undated_fix": key not in corrected and _corrected(history, key),
                "summary": blocks.period_summary(index, key),
                "red_villages": sorted(set(reds), key=reds.index),
            }
        )
    return entries


def _corrected(history: SiteHistory, key: str) -> bool:
    """Whether a committed correction still stands, whatever its time (a doubtful one is not
    dated: correction_dates leaves it out)."""
    revs = history.revisions.get(key, [])
    fixes = [r for r in revs[1:] if r.get("changed") and not r.get("uncommitted")]
    return bool(fixes) and key not in history.restored


def sitemap(site: Site, _) -> Page:
    urls = [url for kind, url in site.written if kind != "404"] + ["data/"]
    return Page("sitemap", routes.SITEMAP, routes.SITEMAP, "", "", {"urls": urls + site.extra_urls})


ONCE = lambda site: [None]  # noqa: E731 - a kind with a single page

KINDS: dict[str, PageKind] = {
    "home": PageKind("home.html", ONCE, one(home)),
    "404": PageKind("404.html", ONCE, one(not_found)),
    "period": PageKind("period.html", lambda s: s.index.periods, one(period)),
    "period_grid": PageKind("period_grid.html", grid_period_keys, one(grid_period)),
    "year": PageKind("year.html", lambda s: s.index.years, one(year)),
    "year_grid": PageKind("year_grid.html", grid_year_keys, one(grid_year)),
    "village": PageKind(
        "village.html", lambda s: [v["id"] for v in s.index.villages], village_pages
    ),
    "grid": PageKind("grid.html", lambda s: [g["id"] for g in s.index.grids], grid_pages),
    "village_index": PageKind("village_index.html", ONCE, one(village_index)),
    "screen": PageKind("screen.html", screen.screen_keys, one(screen.screen)),
    "poster": PageKind("poster.html", lambda s: s.index.periods, poster.poster_pages),
    "wechat": PageKind("wechat.html", lambda s: s.index.periods, one(wechat_article)),
    "history": PageKind("history.html", ONCE, history),
    "feed": PageKind("feed.xml", ONCE, one(feed), last=True),
    "sitemap": PageKind("sitemap.xml", ONCE, one(sitemap), last=True),
    "data": PageKind("data.html", ONCE, one(data), last=True),
}
# Pages written without the site's address made relative (their links must work from any path).
ABSOLUTE = {"404", "feed", "sitemap"}


def units(site: Site, last: bool = False) -> list[tuple[str, object]]:
    """(kind, key) of every page to build, in the order they are written."""
    return [
        (name, key) for name, kind in KINDS.items() if kind.last == last for key in kind.keys(site)
    ]


def build(site: Site, unit: tuple[str, object]) -> list[Page]:
    name, key = unit
    made = KINDS[name].make(site, key)
    for page in made:
        page.context.setdefault("data_version", page_version(site, name, key))
    return made


# Kinds whose pages show a period's results (keyed by it, or by (period, grid)), and kinds that
# show only the settings; the rest show the latest period and name the newest data commit.
PERIOD_KINDS = {"period", "period_grid", "poster", "wechat", "year", "year_grid"}
SETTINGS_KINDS = {"404", "village_index"}


def page_version(site: Site, kind: str, key) -> dict | None:
    """The data version a page's footer names (versions.py): unchanged pages stay unchanged."""
    history = site.history
    if kind in PERIOD_KINDS:
        return history.version_of(key[0] if isinstance(key, tuple) else key)
    if kind in SETTINGS_KINDS:
        return history.settings_version
    return history.data_version


def shared(index: SiteIndex) -> dict:
    """Context every page gets: the town, the latest period, navigation."""
    newest = index.latest
    return {
        "town": index.town,
        "site_title": f"{index.town}红黄旗评比",
        "latest": index.period_ref(newest) if newest else None,
        "flag_names": labels.FLAG_NAMES,
        "action_names": labels.ACTION_LONG_NAMES,
        "action_titles": labels.ACTION_TITLES,
        "action_meanings": index.words.action_meanings,
        "words": index.words.context(),  # the town's level and phrases: 全乡, 本街道 …
    }

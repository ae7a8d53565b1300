"""A town after years of publishing: village pages keep their latest years, older years get
a page each, and so do grid pages — and nothing published is lost."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
from _site_helpers import county_site, page_text, parse

from generator.site import blocks
from generator.site import villages as sitevillages
from generator.site.format import signed_yuan
from generator.site.views import SiteIndex

MONTH_LINK = re.compile(r'<tr><th scope="row"><a href="/(\d{4})/(\d{2})/"')


@pytest.fixture(scope="module")
def town() -> tuple[Path, dict]:
    """Six years of 12 villages in 2 grids (2015-01 … 2020-12): the site and results.json."""
    out = county_site(villages=12, periods=72, grids=2, seed=3)
    return out, json.loads((out / "data" / "results.json").read_text("utf-8"))


def village_periods(doc: dict, village: str) -> list[str]:
    return sorted(r["period"] for r in doc["rewards"] if r["village_id"] == village)


def full_time_village(doc: dict) -> str:
    """A village scored in every period (the preset also has one that ends, one that starts)."""
    return next(
        v["id"]
        for v in doc["villages"]
        if len(village_periods(doc, v["id"])) == len(doc["periods"])
    )


def months_on(page: Path) -> list[str]:
    return [f"{y}-{m}" for y, m in MONTH_LINK.findall(page.read_text("utf-8"))]


def table_rows(page: Path) -> list[list[str]]:
    """The 历年汇总 table's body rows as cell texts."""
    tree = parse(page)
    section = next(s for s in tree.iter("section") if s.findtext("h2") == "历年汇总")
    return [["".join(td.itertext()) for td in tr] for tr in section.find(".//tbody")]


def test_the_village_page_shows_its_latest_three_years_month_by_month(town):
    site, doc = town
    assert (doc["periods"][0]["period"], doc["periods"][-1]["period"]) == ("2015-01", "2020-12")
    village = full_time_village(doc)
    shown = months_on(site / "village" / village / "index.html")
    assert sorted({m[:4] for m in shown}) == ["2018", "2019", "2020"]
    assert len(shown) == 36 == sitevillages.VILLAGE_YEARS_SHOWN * 12


def test_every_month_of_a_village_is_on_exactly_one_of_its_pages(town):
    site, doc = town
    for village in doc["villages"]:
        folder = site / "village" / village["id"]
        found = [m for page in sorted(folder.rglob("index.html")) for m in months_on(page)]
        expected = village_periods(doc, village["id"])
        assert sorted(found) == sorted(expected), village["id"]
        years = sorted(p.parent.name for p in folder.glob("*/index.html"))
        assert years == sorted({p[:4] for p in expected})[: -sitevillages.VILLAGE_YEARS_SHOWN]


def test_the_yearly_summary_links_older_years_and_adds_up(town):
    site, doc = town
    village = full_time_village(doc)
    page = (site / "village" / village / "index.html").read_text("utf-8")
    for year in ("2015", "2016", "2017"):
        assert f'href="/village/{village}/{year}/"' in page
    assert f'href="/village/{village}/2018/"' not in page
    text = page_text(site / "village" / village / "index.html")
    assert "更早年份的明细见下方「历年汇总」" in text
    rows = [r for r in doc["rewards"] if r["village_id"] == village]
    summary = {
        cells[0]: cells[1:] for cells in table_rows(site / "village" / village / "index.html")
    }
    assert list(summary) == [f"{y}年" for y in range(2020, 2014, -1)]
    for year in ("2016", "2019"):
        mine = [r for r in rows if r["period"].startswith(year)]
        red, yellow = sum(r["red"] for r in mine), sum(r["yellow"] for r in mine)
        net = signed_yuan(sum(r["net"] for r in mine))
        detail = "查看" if year < "2018" else "本页"
        assert summary[f"{year}年"] == [str(red), str(yellow), net, detail]


def test_an_older_year_page_shows_that_year_and_the_running_total_goes_on(town):
    site, doc = town
    village = full_time_village(doc)
    name = next(v["name"] for v in doc["villages"] if v["id"] == village)
    page = site / "village" / village / "2016" / "index.html"
    assert months_on(page) == [f"2016-{m:02d}" for m in range(12, 0, -1)]
    text = page_text(page)
    assert f"{name} · 2016年" in text and "本页是2016年的逐月明细" in text
    rows = [r for r in doc["rewards"] if r["village_id"] == village]
    running = sum(r["net"] for r in rows if r["period"] <= "2016-12")  # from 2015-01 on
    tree = parse(page)
    december = tree.find(".//section[@id='months']//tbody/tr")  # the newest month first
    cells = ["".join(c.itertext()) for c in december]
    assert cells[0] == "2016年12月" and cells[-1] == signed_yuan(running)


def test_the_grid_page_keeps_its_latest_years_and_links_a_page_per_older_year(town):
    site, doc = town
    text = page_text(site / "grid" / "g01" / "index.html")
    assert f"图中是最近{sitevillages.GRID_CHART_PERIODS}期；更早年份的月度平均分和总分" in text
    assert "2020年各项目总分" in text and "2019年各项目总分" in text
    assert "2018年各项目总分" not in text
    assert "更早年份 2018年 2017年 2016年 2015年" in text
    older = page_text(site / "grid" / "g01" / "2016" / "index.html")
    assert "第01网格 · 2016年" in older
    assert "本页是2016年的各项目月度平均分和总分" in older and "2016年各项目总分" in older
    assert "2017年各项目总分" not in older
    assert not (site / "grid" / "g01" / "2019").exists()


def test_the_site_shows_the_facts_the_results_carry_without_recomputing_them(town):
    """优先评优 rank, a village's year, 递补 and a year's rule version come from results.json:
    changed there, the pages follow (the site only arranges them)."""
    doc = copy.deepcopy(town[1])
    year = doc["years"][0]["year"]
    rows = [r for r in doc["village_years"] if r["year"] == year]
    for row in rows:
        row["priority_rank"] = None
    target = rows[-1]
    target |= {"priority_rank": 4, "net": 10**7}
    doc["rules"].append(doc["rules"][0] | {"from": "2000-01", "red_count": 7})
    doc["years"][0]["rules_from"] = "2000-01"
    red = next(r for r in doc["flags"] if r["flag"] == "red" and not r["moved_up"])
    red["moved_up"] = True
    index = SiteIndex(doc)
    village = target["village_id"]
    assert [(r["rank"], r["village"]["id"]) for r in blocks.priority(index, year)] == [(4, village)]
    assert blocks.year_rows(index, year)[0]["village"]["id"] == village
    assert sitevillages.VillageData.of(index, village).year_row(year)["net"] == 10**7
    assert index.rule(year)["red_count"] == 7
    assert "递补" in blocks.why(red, index.rule(red["period"]))

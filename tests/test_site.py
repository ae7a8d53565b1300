"""The public site: `flagboard build`, the Pelican plugin's pages, /data/, feed and sitemap."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import html5lib
import pytest
from _site_helpers import (
    FORMULA_NAME,
    ROOT,
    XSS_NAME,
    build_site,
    demo_scores,
    demo_site,
    html_pages,
    parse,
    small_town,
)

from generator.cli import main
from generator.problems import InvalidData
from generator.site import html as sitehtml
from generator.site import pages as sitepages
from generator.site import plugin as site_plugin
from generator.site.build import BuildFailed
from generator.site.chart import Series, line_chart
from generator.site.format import signed_yuan
from generator.site.publish import formula_safe_csv
from generator.site.revisions import SiteHistory
from generator.townwords import TownWords

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def site() -> Path:
    return demo_site()


@pytest.fixture(scope="module")
def doc(site: Path) -> dict:
    return json.loads((site / "data" / "results.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def town(tmp_path_factory) -> tuple[Path, Path]:
    """The small hostile town, built once: (scores folder, site folder)."""
    root = tmp_path_factory.mktemp("small")
    scores = small_town(root / "scores")
    build_site(scores, root / "out")
    return scores, root / "out"


def text_of(path: Path) -> str:
    return "".join(parse(path).find("body").itertext())


# -- what gets built --------------------------------------------------------------------


def test_every_page_of_the_demo_town_is_built(site: Path, doc: dict):
    expected = [
        "index.html",
        "404.html",
        "data/index.html",
        "screen/index.html",
        "feed.xml",
        "sitemap.xml",
        "rules/index.html",
        "about/index.html",
        "news/index.html",
        "data/results.json",
        "data/scores/town.toml",
        "data/scores/villages.csv",
    ]
    expected += [f"{p['period'][:4]}/{p['period'][5:]}/index.html" for p in doc["periods"]]
    expected += [f"{y['year']}/index.html" for y in doc["years"]]
    expected += [f"village/{v['id']}/index.html" for v in doc["villages"]]
    expected += [f"grid/{g['id']}/index.html" for g in doc["grids"]]
    expected += [f"data/{name}.csv" for name in ("flags", "rewards", "actions", "grid_averages")]
    expected += ["data/scores/" + "/".join(p["file"].split("/")[-2:]) for p in doc["periods"]]
    missing = [path for path in expected if not (site / path).is_file()]
    assert missing == []


@pytest.mark.parametrize("jobs", [1, 3])
def test_build_is_byte_identical_when_repeated_with_any_number_of_processes(
    site: Path, tmp_path: Path, jobs: int
):
    again = tmp_path / "again"
    build_site(demo_scores(), again, FLAGBOARD_JOBS=jobs)
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_home_shows_the_latest_period_and_every_village(site: Path, doc: dict):
    latest = doc["periods"][-1]["period"]
    page = site / "index.html"
    text = text_of(page)
    assert f"{latest[:4]}年{int(latest[5:])}月评比结果" in text
    assert "找我的村" in text
    assert all(v["name"] in text for v in doc["villages"])
    assert all(g["name"] in text for g in doc["grids"])
    flags = [f for f in doc["flags"] if f["period"] == latest and f["flag"]]
    assert len(parse(page).findall(".//a[@class='flag red']")) == sum(
        f["flag"] == "red" for f in flags
    )
    assert len(parse(page).findall(".//a[@class='flag yellow']")) == sum(
        f["flag"] == "yellow" for f in flags
    )


def test_period_page_shows_every_flag_with_a_mark_and_why(site: Path, doc: dict):
    """Each grid's table has a cell per village and category: a flag's cell is coloured by its
    class and begins with ★ or ▼, whatever its colour; its rank and why follow."""
    meeting = next(f for f in doc["flags"] if f["basis"] == "meeting")
    period = meeting["period"]
    page = site / period[:4] / period[5:] / "index.html"
    tree = parse(page)
    flags = [f for f in doc["flags"] if f["period"] == period and f["flag"]]
    cells = [td for td in tree.iter("td") if td.get("class") in ("red", "yellow")]
    assert len(cells) == len(flags)
    marks = {"red": "★", "yellow": "▼"}
    assert all(
        "".join(td.itertext()).lstrip("△").startswith(marks[td.get("class")]) for td in cells
    )
    assert sorted(td.get("class") for td in cells) == sorted(f["flag"] for f in flags)
    row = tree.find(f".//tr[@id='v-{meeting['village_id']}']")
    assert "现场会" in "|".join(row.itertext())
    text = text_of(page)
    for heading in ("加减分与事件", "奖罚", "处理措施", "网格平均分", "下载"):
        assert heading in text


def test_vetoed_village_is_marked(site: Path, doc: dict):
    vetoed = next(f for f in doc["flags"] if f["vetoed"])
    period = vetoed["period"]
    rows = [
        "|".join(tr.itertext())
        for tr in parse(site / period[:4] / period[5:] / "index.html").iter("tr")
    ]
    name = next(v["name"] for v in doc["villages"] if v["id"] == vetoed["village_id"])
    assert any(name in row and "一票否决" in row for row in rows)


def test_village_page_has_chart_totals_and_running_money(site: Path, doc: dict):
    village = doc["villages"][0]
    page = site / "village" / village["id"] / "index.html"
    tree = parse(page)
    assert len(tree.findall(".//{http://www.w3.org/2000/svg}svg")) >= 5
    rewards = [r for r in doc["rewards"] if r["village_id"] == village["id"]]
    stats = "".join(tree.find(".//ul[@class='stats']").itertext())
    assert f"{sum(r['red'] for r in rewards)}面红旗" in stats
    net = sum(r["net"] for r in rewards)
    assert f"{abs(net):,}" in stats
    months = tree.findall(".//section[@id='months']//tbody/tr")
    assert len(months) == len(rewards)  # every month it took part in, with its money
    shown = [["".join(td.itertext()) for td in tr.findall("td")[-2:]] for tr in months]
    running = [sum(r["net"] for r in rewards[: n + 1]) for n in range(len(rewards))]
    expected = [
        [signed_yuan(r["net"]), signed_yuan(t)] for r, t in zip(rewards, running, strict=True)
    ]
    assert shown == expected[::-1]  # newest first: the month's money, then the running total


def test_year_page_lists_priority_with_rank(site: Path, doc: dict):
    """The year's table: every village of the year, the 优先评优 ranking first in rank order,
    each with its red flags and its 降档/降星 beside them, and the 班子会 named as deciding."""
    year = doc["years"][0]["year"]
    chosen = [a for a in doc["actions"] if a["period"] == year and a["action"] == "priority"]
    losses = {
        (a["village_id"], a["action"])
        for a in doc["actions"]
        if a["period"] == year and a["action"] in ("downgrade", "star_loss")
    }
    ranks = {r["village_id"]: r for r in doc["village_years"] if r["year"] == year}
    tree = parse(site / year / "index.html")
    section = next(s for s in tree.iter("section") if s.get("id") == "priority")
    rows = section.findall(".//tbody/tr")
    assert len(rows) == len(ranks)
    names = {v["name"]: v["id"] for v in doc["villages"]}
    shown = []
    for tr in rows:
        cells = ["".join(c.itertext()) for c in tr]
        village = names[cells[0]]
        shown.append(cells[1])
        assert cells[2] == str(ranks[village]["red"])
        assert ("降一档" in cells[3]) == ((village, "downgrade") in losses)
        assert ("降一星" in cells[3]) == ((village, "star_loss") in losses)
    ranked = [int(r) for r in shown if r != "—"]
    assert len(ranked) == len(chosen) and ranked == sorted(ranked)
    assert shown[len(ranked) :] == ["—"] * (len(shown) - len(ranked))
    text = text_of(site / year / "index.html")
    level = TownWords.from_document(doc).level  # 镇, 乡 or 街道
    assert "年度考核降一档" in text and f"由{level}班子会讨论确定" in text


def test_grid_page_shows_members_and_leaders(site: Path, doc: dict):
    grid = doc["grids"][0]
    text = text_of(site / "grid" / grid["id"] / "index.html")
    members = [v["name"] for v in doc["villages"] if v["grid"] == grid["id"]]
    assert all(name in text for name in members)
    assert "领先" in text


def test_the_screen_holds_a_slide_per_grid_and_never_moves_a_reader_on(site: Path, doc: dict):
    page = site / "screen" / "index.html"
    tree = parse(page)
    slides = [s for s in tree.iter("section") if s.get("class") == "slide"]
    assert ["".join(s.find("h2").itertext()) for s in slides] == [
        f"{g['name']}{n}/{len(doc['grids'])}" for n, g in enumerate(doc["grids"], 1)
    ]
    meta = tree.find(".//meta[@http-equiv='refresh']")
    assert meta.get("content") == "86400"  # a daily reload of itself, to show a new month
    assert not (site / "screen" / "2").exists()


def test_feed_has_one_entry_per_period_with_dates_from_the_data(site: Path, doc: dict):
    feed = ET.parse(site / "feed.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == len(doc["periods"])
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids)
    periods = [p["period"] for p in reversed(doc["periods"])]
    published = [e.findtext(f"{ATOM}published") for e in entries]
    updated = [e.findtext(f"{ATOM}updated") for e in entries]
    # published by the commit that first published the period (without one, the first day
    # after its month, Beijing time); updated by its latest correction
    from generator.site.build import read_history
    from generator.site.format import default_period_date, latest
    from generator.site.revisions import correction_dates, site_history

    history = site_history(read_history(demo_scores()))
    dates = history.period_dates
    corrected = correction_dates(history.revisions)
    assert published == [dates.get(p) or default_period_date(p) for p in periods]
    assert updated == [corrected.get(p, first) for p, first in zip(periods, published, strict=True)]
    assert all(default_period_date(p).endswith("-01T00:00:00+08:00") for p in periods)
    assert feed.findtext(f"{ATOM}updated") == latest(updated)


def test_site_numbers_and_addresses_come_from_the_one_formatter_and_layout():
    from generator.load.cells import format_points
    from generator.site.format import data_path, default_period_date, period_url, points

    assert [points(v) for v in (92.5, 90, 87.35, -0.5, 0, None)] == [
        "92.5",
        "90",
        "87.35",
        "-0.5",
        "0",
        "—",
    ]
    assert all(points(h / 100) == format_points(h) for h in range(-1000, 10001, 7))
    assert period_url("2024-03") == "2024/03/"
    assert default_period_date("2024-12") == "2025-01-01T00:00:00+08:00"
    assert data_path("scores/2024/2024-03.events.csv") == "data/scores/2024/2024-03.events.csv"
    assert data_path("scores\\2024\\2024-annual.csv") == "data/scores/2024/2024-annual.csv"


def test_sitemap_lists_only_pages_that_exist(site: Path):
    urls = [u.text for u in ET.parse(site / "sitemap.xml").getroot().iter(f"{SITEMAP}loc")]
    assert "/" in urls and "/data/" in urls
    assert [u for u in urls if not (site / u.lstrip("/") / "index.html").is_file()] == []


def test_published_results_are_exactly_what_flagboard_compute_writes(site: Path, tmp_path: Path):
    # build hands the results to the plugin in memory; the files must not differ for it
    assert main(["compute", "--scores", str(demo_scores()), "--out", str(tmp_path)]) == 0
    published = site / "data"
    assert (published / "results.json").read_bytes() == (tmp_path / "results.json").read_bytes()
    for name in ("flags", "rewards", "actions", "grid_averages"):
        computed = (tmp_path / f"{name}.csv").read_text(encoding="utf-8")
        assert (published / f"{name}.csv").read_bytes() == formula_safe_csv(computed), name


def test_raw_scores_are_published_as_utf8_with_bom(site: Path):
    for original in sorted(demo_scores().rglob("*.csv")):
        relative = original.relative_to(demo_scores())
        published = (site / "data" / "scores" / relative).read_bytes()
        assert published.startswith(b"\xef\xbb\xbf"), relative
        published.decode("utf-8")


def test_code_blocks_in_pages_are_plain_text_not_guessed_as_a_language(site: Path):
    guide = (site / "guide" / "index.html").read_text(encoding="utf-8")
    blocks = re.findall(r"<pre>(.*?)</pre>", guide, flags=re.S)
    assert any("flagboard import" in b for b in blocks)
    assert all("<span" not in b for b in blocks)


# -- the small hostile town -------------------------------------------------------------


def test_autoescape_shows_a_script_name_as_text(town):
    _, out = town
    for relative, path in html_pages(out).items():
        html = path.read_text(encoding="utf-8")
        assert "<script" not in html, relative
        assert parse(path).find(".//script") is None
    period = out / "2024" / "02" / "index.html"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in period.read_text("utf-8")
    assert f"承办<b>区级</b>现场会{XSS_NAME}" in text_of(period)


def test_autoescape_cannot_be_switched_off_by_settings(town, tmp_path):
    scores, _ = town
    build_site(scores, tmp_path / "out", JINJA_ENVIRONMENT={"autoescape": False})
    html = (tmp_path / "out" / "2024" / "02" / "index.html").read_text("utf-8")
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_data_csvs_are_formula_safe(town):
    _, out = town
    villages = (out / "data" / "scores" / "villages.csv").read_text(encoding="utf-8-sig")
    assert f"'{FORMULA_NAME}" in villages
    events = (out / "data" / "scores" / "2024" / "2024-02.events.csv").read_text("utf-8-sig")
    assert "'=1+1" in events
    flags = (out / "data" / "flags.csv").read_text(encoding="utf-8-sig")
    assert "'-B5" in flags and ",-B5" not in flags
    rewards = (out / "data" / "rewards.csv").read_text(encoding="utf-8-sig")
    assert re.search(r",-\d+\r?$", rewards, re.M), "negative numbers stay numbers"


def test_hot_rows_escape_every_piece_of_text():
    """The rows written in Python (sitehtml) escape like autoescaped templates do."""
    village = {"id": "1", "name": XSS_NAME, "url": 'village/"1"/', "grid": "<b>网格</b>"}
    period = {"period": "2024-01", "label": "<i>1月</i>", "url": "2024/01/"}
    fix = {"title": '复议更正:"83" → <85>', "old": "<83>"}
    cell = {"score": 90, "rank": 1, "flag": "red", "notes": ("<并列>",), "fix": fix}
    plain = {"score": 88.5, "rank": None, "flag": "yellow", "notes": ("<后三>",), "fix": None}
    board = {"village": village, "anchor": 'v-"1"', "cells": [cell, None, plain]}
    money = {"village": village, "red": 1, "yellow": 0, "reward": 1, "penalty": 0, "net": 1}
    year = money | {"rank": 1, "also": ["<降一档>"]}
    grouped = {
        "village": village,
        "action": "warning",
        "names": "<警告>",
        "reasons": ["<script>x</script>"],
    }
    rows = [
        sitehtml.board_rows([board], ""),
        sitehtml.money_rows([money], "", with_grid=True),
        sitehtml.year_rows([year], "", with_grid=True),
        sitehtml.score_rows([{"period": period, "cells": [{"score": 9, "flag": "red"}, None]}], ""),
        sitehtml.score_rows(
            [
                {
                    "period": period,
                    "cells": [{"score": 9, "flag": None}],
                    "fixes": [fix],
                    "net": 1,
                    "running": -1,
                }
            ],
            "",
        ),
    ]
    chart = line_chart(["<i>1月</i>", "2月"], [Series("mine", [80, 90], ["red", None])])
    svg = str(sitehtml.chart_svg(chart, XSS_NAME + "得分"))
    assert "<i>" not in svg and "&lt;script&gt;" in svg and svg.count('class="dot red"') == 1
    acted = {"name": "<约谈>", "reason": "<script>x</script>"}
    items = [
        sitehtml.village_action_items([grouped], ""),
        sitehtml.action_period_items([{"period": period, "actions": [acted, acted]}], ""),
    ]
    poster_row = {
        "village": village,
        "cells": {"a": {"flag": "red", "mark": "★", "note": "<会>"}},
        "net": -1,
        "actions": ["<约谈>"],
    }
    groups = [{"grid": {"name": "<b>网格</b>"}, "rows": [poster_row]}]
    poster = str(sitehtml.poster_rows(groups, [{"id": "a"}, {"id": "b"}], None))
    for raw in ("<script", "<b>", "<约谈>", "<会>"):
        assert raw not in poster
    assert "<i>&lt;会&gt;</i>" in poster and "<span>&lt;b&gt;网格&lt;/b&gt;</span>" in poster
    html = f"<table><tbody>{''.join(rows)}</tbody></table><ul>{''.join(items)}</ul>"
    for raw in ("<script", "<b>", "<i>", "<85>", "<83>", "<并列>", "<后三>", "<降一档>", "<警告>"):
        assert raw not in html
    assert "&lt;约谈&gt;、&lt;约谈&gt;。依据：&lt;script&gt;x&lt;/script&gt;；" in html
    html += f"<table>{poster}</table>"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="/village/&#34;1&#34;/"' in html and 'id="v-&#34;1&#34;"' in html
    html5lib.HTMLParser(strict=True).parse(f"<!doctype html><title>t</title>{html}")


def test_only_cells_that_could_run_as_formulas_make_a_csv_be_rewritten():
    for text in ("编号,甲项,乙项\r\nA1,,\r\n", "a,b\r\n2024-01,1\r\n"):
        assert formula_safe_csv(text) == ("\ufeff" + text).encode()  # kept byte for byte
    assert formula_safe_csv('a,"\r\nx"\r\n').decode("utf-8-sig") == 'a,"\'\r\nx"\r\n'
    assert formula_safe_csv("=a,b\n").decode("utf-8-sig") == "'=a,b\r\n"
    assert formula_safe_csv("a,@b\r\n").decode("utf-8-sig") == "a,'@b\r\n"


def test_an_absolute_siteurl_gives_absolute_card_links(town, tmp_path: Path):
    scores, _ = town
    out = tmp_path / "out"
    build_site(scores, out, SITEURL="https://hm.example.cn")
    tree = parse(out / "2024" / "02" / "index.html")
    meta = {m.get("property"): m.get("content") for m in tree.iter("meta") if m.get("property")}
    assert meta["og:image"] == "https://hm.example.cn/images/share.png"
    assert meta["og:url"] == "https://hm.example.cn/2024/02/"
    icon = next(link.get("href") for link in tree.iter("link") if link.get("rel") == "icon")
    assert icon == "https://hm.example.cn/images/icon.png"
    assert (out / "images" / "share.png").is_file() and (out / "images" / "icon.png").is_file()


def test_failed_validation_keeps_the_last_good_site(town, tmp_path: Path):
    scores, good = town
    out = tmp_path / "out"
    build_site(scores, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    broken = tmp_path / "broken"
    small_town(broken)
    path = broken / "2024" / "2024-02.csv"
    path.write_bytes(path.read_bytes().replace(b"91", b"9O"))
    with pytest.raises(InvalidData) as error:
        build_site(broken, out)
    assert any(p.column == "甲项" for p in error.value.problems)
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken", "out"]


def test_pelican_errors_are_fatal_and_keep_the_last_good_site(town, tmp_path: Path):
    scores, _ = town
    out = tmp_path / "out"
    build_site(scores, out)
    before = (out / "index.html").read_bytes()
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    (content / "articles" / "broken.md").write_text("Date: 2024-01-01\n\n没有标题。\n", "utf-8")
    with pytest.raises(BuildFailed, match="网站生成失败"):
        build_site(scores, out, content=content)
    assert (out / "index.html").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "out"]


def test_content_written_reaches_this_process_for_every_page_written_by_any_process(
    town, tmp_path: Path, monkeypatch
):
    from pelican import signals

    scores, _ = town
    seen: list[tuple[str, str | None, int]] = []

    def receiver(path, context):
        seen.append(
            (Path(path).as_posix().split("/site/", 1)[1], context.get("page_url"), os.getpid())
        )

    monkeypatch.setattr(site_plugin, "PAGES_PER_JOB", 1)  # fork even for a small town
    signals.content_written.connect(receiver)
    try:
        build_site(scores, tmp_path / "out", FLAGBOARD_JOBS=3)
    finally:
        signals.content_written.disconnect(receiver)
    site = tmp_path / "out"
    written = {
        p.relative_to(site).as_posix() for p in site.rglob("*") if p.suffix in (".html", ".xml")
    }
    names = [name for name, _, _ in seen]
    assert sorted(names) == sorted(written)  # each page once, the children's included
    assert {pid for _, _, pid in seen} == {os.getpid()}
    urls = {name: url for name, url, _ in seen}
    assert urls["2024/02/index.html"] == "2024/02/" and urls["index.html"] == ""


def test_a_page_failing_in_another_process_fails_the_build_and_keeps_the_site(
    town, tmp_path: Path, monkeypatch
):
    scores, _ = town
    out = tmp_path / "out"
    build_site(scores, out)
    before = (out / "index.html").read_bytes()
    parent, build = os.getpid(), sitepages.build

    def broken_in_a_child(site, unit):  # every child has pages to make (forked.map_split)
        if os.getpid() != parent:
            raise ValueError(f"页面 {unit[0]} 无法生成")
        return build(site, unit)

    monkeypatch.setattr(sitepages, "build", broken_in_a_child)
    monkeypatch.setattr(site_plugin, "PAGES_PER_JOB", 1)  # fork even for a small town
    with pytest.raises(BuildFailed, match="网站生成失败：页面 .* 无法生成"):
        build_site(scores, out, FLAGBOARD_JOBS=2)
    assert (out / "index.html").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_build_refuses_to_overwrite_a_folder_that_is_not_a_site(town, tmp_path: Path):
    scores, _ = town
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me", "utf-8")
    with pytest.raises(BuildFailed, match="不予覆盖"):
        build_site(scores, precious)
    with pytest.raises(BuildFailed, match="覆盖数据"):
        build_site(scores, scores / "site")
    assert (precious / "notes.txt").read_text("utf-8") == "keep me"


def test_history_slots_render_only_when_filled(town, tmp_path: Path):
    scores, plain = town
    assert "数据版本" not in text_of(plain / "index.html")
    assert "修订记录" not in text_of(plain / "2024" / "02" / "index.html")
    out = tmp_path / "out"
    version = {"commit": "a" * 40, "short": "aaaaaaa", "date": "2024-03-02"}
    revisions = {
        "2024-02": [
            {
                "commit": "b" * 40,
                "short": "bbbbbbb",
                "date": "2024-03-05",
                "subject": "复议更正",
                "changes": [{"text": "A1 甲项 90 → 91"}],
            }
        ]
    }
    build_site(
        scores,
        out,
        FLAGBOARD_HISTORY=SiteHistory(
            data_version=version,
            revisions=revisions,
            period_dates={"2024-02": "2024-03-05T10:00:00+08:00"},
        ),
        FLAGBOARD_REPO_URL="https://example.org/town/data",
    )
    assert "数据版本 aaaaaaa（2024年3月2日）" in " ".join(text_of(out / "index.html").split())
    period = text_of(out / "2024" / "02" / "index.html")
    assert "修订记录" in period and "复议更正" in period and "A1 甲项 90 → 91" in period
    assert "https://example.org/town/data/commit/" + "b" * 40 in (
        out / "2024" / "02" / "index.html"
    ).read_text("utf-8")
    assert "2024-03-05T10:00:00+08:00" in (out / "feed.xml").read_text("utf-8")


# -- the command line and plain Pelican -------------------------------------------------


def test_cli_build_reports_stages_pages_and_time(town, tmp_path: Path, capsys, monkeypatch):
    scores, _ = town
    monkeypatch.chdir(ROOT)
    assert main(["build", "--scores", str(scores), "--out", str(tmp_path / "site")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line[:3] for line in lines if line[:1].isdigit()] == ["1/3", "2/3", "3/3"]
    assert re.match(r"完成：\d+ 个网页、共 \d+ 个文件，写入 .+，用时 \d+\.\d 秒$", lines[-1])


def test_cli_build_jobs_sets_how_many_processes_write_pages(
    town, tmp_path: Path, capsys, monkeypatch
):
    scores, _ = town
    monkeypatch.chdir(ROOT)
    parent, build = os.getpid(), sitepages.build

    def only_here(site, unit):
        if os.getpid() != parent:
            raise ValueError("在子进程中生成")
        return build(site, unit)

    monkeypatch.setattr(sitepages, "build", only_here)
    monkeypatch.setattr(site_plugin, "PAGES_PER_JOB", 1)
    out = ["--scores", str(scores), "--out", str(tmp_path / "site")]
    assert main(["build", *out, "--jobs", "1"]) == 0
    assert main(["build", *out, "--jobs", "2"]) == 1
    assert "在子进程中生成" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        main(["build", *out, "--jobs", "0"])
    assert exited.value.code == 2
    assert "应为正整数" in capsys.readouterr().err


def test_cli_build_with_bad_data_exits_1_and_names_the_cell(town, tmp_path, capsys, monkeypatch):
    broken = small_town(tmp_path / "broken")
    path = broken / "2024" / "2024-01.csv"
    path.write_bytes(path.read_bytes().replace(b"85", b"8S"))
    monkeypatch.chdir(ROOT)
    assert main(["build", "--scores", str(broken), "--out", str(tmp_path / "site")]) == 1
    assert "2024-01.csv 第3行「甲项」列" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()


def test_plain_pelican_builds_with_the_plugin(town, tmp_path: Path):
    scores, _ = town
    results = tmp_path / "results"
    assert main(["compute", "--scores", str(scores), "--out", str(results)]) == 0
    overrides = [
        f"FLAGBOARD_RESULTS={json.dumps(str(results / 'results.json'))}",
        f"FLAGBOARD_SCORES={json.dumps(str(scores))}",
    ]
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pelican",
            "-s",
            "pelicanconf.py",
            "--fatal",
            "errors",
            "-o",
            str(tmp_path / "site"),
            "-e",
            *overrides,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert (tmp_path / "site" / "2024" / "02" / "index.html").is_file()
    assert (tmp_path / "site" / "data" / "flags.csv").is_file()

"""The 宣传栏 poster (/YYYY/MM/poster/): every period's poster laid out for print in Chromium
fits one A4 page and fills it, names at 16 pt or more, small print at 12 pt, its QR code
(read from the page's bytes by zxing-cpp) the period page's address; the fullest and the
emptiest poster of each kind printed to PDF: exactly one page, ink from margin to margin, the
QR code read off a screenshot. What a poster lists matches the results; no QR code without an
absolute SITEURL; a town too large for one page gets a poster per grid, each on one page.

Skipped when /usr/bin/chromium is missing, except in CI (FLAGBOARD_REQUIRE_BROWSER=1).
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from _qr_helpers import ink_rows, pdf_first_page_gray, pdf_pages, qr_texts, svg_qr_texts
from _site_helpers import (
    SITE_URL,
    build_site,
    county_site,
    demo_site,
    demo_site_at_address,
    parse,
    serve,
)
from towns import Town

from generator.labels import ACTION_NAMES
from generator.site.format import period_url, signed_yuan
from generator.site.qr import LOCAL_NOTE, absolute_url, qr_code, qr_svg

SITEURL = SITE_URL
MIN_NAME_PX = 21.3  # 16 pt is 21.33 CSS px; Chromium reports 21.3333
MIN_NOTE_PX = 16  # 12 pt: the actions, their legend and the 复议 notice
MIN_QR_MM = 30
PX_PER_MM = 96 / 25.4
# The sheet is filled: its ink runs from the top margin to the bottom one (8 mm of 297), with
# no blank band across it taller than this share of the page.
BOTTOM_MARGIN = 8 / 297
BLANK_BAND = 0.03
SMALL_TEXT = """() => [...document.querySelectorAll(
    '.board td.act, .legend li, .foot .who p, .foot .who span:not(.version):not(.url)')]
  .filter(e => e.textContent.trim())
  .map(e => [e.textContent.trim().slice(0, 12), parseFloat(getComputedStyle(e).fontSize)])"""


def results(site: Path) -> dict:
    return json.loads((site / "data" / "results.json").read_text(encoding="utf-8"))


def text(element) -> str:
    return "".join(element.itertext()).strip()


@pytest.fixture(scope="module")
def site() -> Path:
    """The test town (in its git repository) built with an absolute address, SITEURL."""
    return demo_site_at_address()


def posters(site: Path, period: str) -> list[str]:
    """The printable posters of a period: its own, or its grids' (and their further A4 sheets,
    <grid>/2/ …) when it lists them."""
    folder = site / period_url(period) / "poster"
    sheets = sorted(p.parent.relative_to(folder).as_posix() for p in folder.rglob("*/index.html"))
    if sheets:
        return [f"{period_url(period)}poster/{s}/" for s in sheets]
    return [f"{period_url(period)}poster/"]


def print_poster(browser, base: str, url: str) -> dict:
    """Print one poster to A4 and read what it shows: pages, name sizes, QR codes."""
    page = browser.new_page(viewport={"width": 900, "height": 1200})
    try:
        assert page.goto(f"{base}/{url}").status == 200
        sizes = page.evaluate(
            "() => [...document.querySelectorAll('.board tbody th.v')]"
            ".map(e => parseFloat(getComputedStyle(e).fontSize))"
        )
        codes = qr_texts(page)
        page.emulate_media(media="print")
        small = page.evaluate(SMALL_TEXT)
        qr = page.evaluate(
            "() => [...document.querySelectorAll('svg.qr')].map(e => e.getBoundingClientRect().width)"
        )
        pdf = page.pdf(format="A4")
    finally:
        page.close()
    return {
        "pages": pdf_pages(pdf),
        "sizes": sizes,
        "codes": codes,
        "small": small,
        "qr_mm": [width / PX_PER_MM for width in qr],
        "ink": ink_rows(pdf_first_page_gray(pdf)),
    }


def blank_bands(ink) -> tuple[float, float]:
    """The tallest run of blank rows between the first and the last ink, and where the last
    ink is, as shares of the page's height."""
    rows = [i for i, inked in enumerate(ink) if inked]
    gaps = [b - a - 1 for a, b in zip(rows, rows[1:], strict=False)]
    return max(gaps, default=0) / len(ink), (rows[-1] + 1) / len(ink)


def assert_filled(printed: dict, url: str) -> None:
    """One A4 page, names at 16 pt, small print at 12 pt, a QR code of 30 mm, the sheet full."""
    assert printed["pages"] == 1, url
    assert printed["sizes"] and min(printed["sizes"]) >= MIN_NAME_PX, url
    assert [t for t, px in printed["small"] if px < MIN_NOTE_PX] == [], url
    assert printed["qr_mm"] and min(printed["qr_mm"]) >= MIN_QR_MM, url
    band, bottom = blank_bands(printed["ink"])
    assert band <= BLANK_BAND and bottom >= 1 - BOTTOM_MARGIN - BLANK_BAND, (url, band, bottom)


def check_printed(browser, site: Path, periods: list[str], target) -> None:
    """Every poster of these periods laid out for print in one page of the browser (measure_poster:
    one page, sizes, the sheet filled, its QR code read from its bytes); the fullest and the
    emptiest of them (the nearest to a second page and to a blank band) printed to PDF as well,
    their QR codes read off a screenshot (print_poster)."""
    natural = {}
    with serve(site) as base:
        page = browser.new_page(viewport=PRINT_AREA)
        page.emulate_media(media="print")
        try:
            for period in periods:
                for url in posters(site, period):
                    laid_out = measure_poster(page, base, url)
                    assert_fits(laid_out, url)
                    assert laid_out["codes"] == [f"{SITEURL}/{target(period, url)}"], url
                    natural[url] = (laid_out["natural"], period)
        finally:
            page.close()
        for url in {min(natural, key=natural.get), max(natural, key=natural.get)}:
            printed = print_poster(browser, base, url)
            assert_filled(printed, url)
            assert printed["codes"] == [f"{SITEURL}/{target(natural[url][1], url)}"], url


# The printable area of the poster's A4 page (poster.css @page: 8 mm and 9 mm margins), in CSS px.
PRINT_AREA = {"width": round(192 * PX_PER_MM), "height": round(281 * PX_PER_MM)}
PAGE_PX = 297 * PX_PER_MM
TOP_MARGIN_PX = 8 * PX_PER_MM
# In print layout: name and small print sizes, QR widths, the page's height, the sheet's height
# without its stretch (how full it is), and the vertical extent of what prints ink (text, the
# table's cells, the QR code) as merged bands.
LAID_OUT = """() => {
  const sheet = document.querySelector('.sheet');
  const sizes = [...document.querySelectorAll('.board tbody th.v')]
    .map(e => parseFloat(getComputedStyle(e).fontSize));
  const qr = [...document.querySelectorAll('svg.qr')].map(e => e.getBoundingClientRect().width);
  const inked = [...sheet.querySelectorAll('td, th, svg.qr, *')].filter(e =>
    e.matches('td, th, svg.qr') || [...e.childNodes].some(n => n.nodeType === 3 && n.data.trim()));
  const boxes = inked.map(e => e.getBoundingClientRect()).filter(r => r.width && r.height)
    .map(r => [r.top + scrollY, r.bottom + scrollY]).sort((a, b) => a[0] - b[0]);
  const bands = [];
  for (const [top, bottom] of boxes) { const last = bands[bands.length - 1];
    if (last && top <= last[1] + 0.5) last[1] = Math.max(last[1], bottom); else bands.push([top, bottom]); }
  const height = document.documentElement.scrollHeight;
  const stretch = sheet.style.minHeight; sheet.style.minHeight = '0';
  const natural = sheet.getBoundingClientRect().height; sheet.style.minHeight = stretch;
  return {sizes, qr, height, natural, bands,
          svgs: [...document.querySelectorAll('svg.qr')].map(e => e.outerHTML)}; }"""


def measure_poster(page, base: str, url: str) -> dict:
    """One poster laid out for print in a page of the printable area's size (print media)."""
    assert page.goto(f"{base}/{url}").status == 200
    found = page.evaluate(LAID_OUT)
    gaps = [b[0] - a[1] for a, b in zip(found["bands"], found["bands"][1:], strict=False)]
    return found | {
        "small": page.evaluate(SMALL_TEXT),
        "qr_mm": [width / PX_PER_MM for width in found["qr"]],
        "codes": [text for svg in found["svgs"] for text in svg_qr_texts(svg)],
        "band": max(gaps, default=0) / PAGE_PX,
        "bottom": (TOP_MARGIN_PX + found["bands"][-1][1]) / PAGE_PX,
    }


def assert_fits(laid_out: dict, url: str) -> None:
    """What assert_filled checks of a printed poster, on its print layout: the sheet within one
    page's printable height, names at 16 pt, small print at 12 pt, a QR code of 30 mm, the
    sheet full from top to bottom with no blank band."""
    assert laid_out["height"] <= PRINT_AREA["height"] + 1, (url, laid_out["height"])
    assert laid_out["sizes"] and min(laid_out["sizes"]) >= MIN_NAME_PX, url
    assert [t for t, px in laid_out["small"] if px < MIN_NOTE_PX] == [], url
    assert laid_out["qr_mm"] and min(laid_out["qr_mm"]) >= MIN_QR_MM, url
    band, bottom = laid_out["band"], laid_out["bottom"]
    assert band <= BLANK_BAND and bottom >= 1 - BOTTOM_MARGIN - BLANK_BAND, (url, band, bottom)


def test_every_period_s_poster_prints_on_one_a4_page_with_a_qr_code_to_its_page(browser, site):
    periods = [p["period"] for p in results(site)["periods"]]
    check_printed(browser, site, periods, lambda period, _: period_url(period))


# -- what a poster says ---------------------------------------------------------------------


def expected_rows(doc: dict, period: str) -> dict[str, dict]:
    """Village name → its marks per category name, money and actions, from the results."""
    names = {v["id"]: v["name"] for v in doc["villages"]}
    categories = {c["id"]: c["name"] for c in doc["categories"]}
    rows: dict[str, dict] = defaultdict(lambda: {"cells": {}, "net": 0, "actions": []})
    for flag in doc["flags"]:
        if flag["period"] == period and flag["flag"]:
            mark = "★" if flag["flag"] == "red" else "▼"
            note = "会" if flag["basis"] == "meeting" else "并" if flag.get("tied") else ""
            rows[names[flag["village_id"]]]["cells"][categories[flag["category"]]] = mark + note
    for reward in doc["rewards"]:
        if reward["period"] == period and names[reward["village_id"]] in rows:
            rows[names[reward["village_id"]]]["net"] = reward["net"]
    for action in doc["actions"]:
        if action["period"] == period:
            rows[names[action["village_id"]]]["actions"].append(ACTION_NAMES[action["action"]])
    return rows


def shown_rows(path: Path) -> dict[str, dict]:
    """What a poster's table shows, by village name."""
    tree = parse(path)
    heads = [text(th) for th in tree.findall(".//table[@class='board']/thead/tr/th")]
    categories = heads[heads.index("村") + 1 : -2]
    rows = {}
    for tr in tree.findall(".//table[@class='board']/tbody/tr"):
        name = text(tr.find("th[@class='v']"))
        cells = [text(td) for td in tr.findall("td")]
        rows[name] = {
            "cells": {c: v for c, v in zip(categories, cells[:-2], strict=True) if v},
            "net": cells[-2],
            "actions": sorted(cells[-1].split("、")) if cells[-1] else [],
        }
    return rows


def test_every_poster_lists_each_flagged_village_once_with_its_marks_money_and_actions(site):
    doc = results(site)
    for period in [p["period"] for p in doc["periods"]]:
        shown = {}
        for url in posters(site, period):
            shown |= shown_rows(site / url / "index.html")
        expected = expected_rows(doc, period)
        assert sorted(shown) == sorted(expected), period
        for name, row in expected.items():
            assert shown[name]["cells"] == row["cells"], (period, name)
            assert shown[name]["net"] == signed_yuan(row["net"])  # 0 too: never left blank
            assert shown[name]["actions"] == sorted(row["actions"]), (period, name)


def test_a_poster_names_town_month_and_first_publication_from_git(site):
    doc = results(site)
    period = doc["periods"][-1]["period"]
    page = parse(site / period_url(period) / "poster" / "index.html")
    heading = text(page.find(".//h1"))
    year, month = period.split("-")
    assert heading.startswith(f"{doc['town']['name']}{year}年{int(month)}月")
    assert "公示" in heading
    assert "首次公布：" in text(page.find(".//footer"))


def test_the_period_page_links_its_poster(site):
    period = results(site)["periods"][0]["period"]
    page = parse(site / period_url(period) / "index.html")
    links = {a.get("href"): text(a) for a in page.iter("a")}
    assert links.get(f"{SITEURL}/{period_url(period)}poster/") == "打印公示"


def test_without_an_absolute_site_url_a_poster_has_no_qr_code_and_says_why():
    site = demo_site()  # built with SITEURL = ""
    for period in [p["period"] for p in results(site)["periods"]]:
        for url in posters(site, period):
            html = (site / url / "index.html").read_text(encoding="utf-8")
            assert "<svg" not in html, url
            assert LOCAL_NOTE in text(parse(site / url / "index.html").find(".//body")), url


# -- QR codes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "site_url", ["", "/", "//flagboard.test", "ftp://flagboard.test", "javascript:alert(1)", "x"]
)
def test_no_qr_code_without_an_absolute_http_address(site_url):
    assert absolute_url(site_url, "2024/06/") is None
    assert qr_code(site_url, "2024/06/", "公示") == {"url": None, "svg": None, "note": LOCAL_NOTE}


def test_a_qr_code_is_the_page_s_absolute_address_in_the_same_bytes_each_time():
    assert absolute_url("https://hm.example.cn/", "/2024/06/") == "https://hm.example.cn/2024/06/"
    first = qr_svg("https://hm.example.cn/2024/06/", "公示")
    qr_svg.cache_clear()
    assert qr_svg("https://hm.example.cn/2024/06/", "公示") == first
    assert qr_svg("https://hm.example.cn/2024/07/", "公示") != first


def test_a_qr_code_s_label_is_escaped():
    svg = str(qr_svg("https://hm.example.cn/", '<script>"x"</script>村'))
    assert "<script>" not in svg and "&lt;script&gt;&#34;x&#34;&lt;/script&gt;村" in svg


# -- a town too large for one page ----------------------------------------------------------


@pytest.fixture(scope="module")
def county() -> Path:
    """240 villages in 8 grids: the site is split by grid, and so are the posters."""
    return county_site(villages=240, periods=2, grids=8, seed=5, SITEURL=SITEURL)


def test_a_split_town_gets_a_poster_per_grid_each_on_one_a4_page(browser, county):
    doc = results(county)
    periods = [p["period"] for p in doc["periods"]]
    for period in periods:
        listed = [
            a.get("href")
            for a in parse(county / period_url(period) / "poster" / "index.html").iter("a")
        ]
        expected = [f"{SITEURL}/{url}" for url in posters(county, period)]
        assert len(expected) == len(doc["grids"])
        assert [href for href in listed if href in expected] == expected
    # the QR code of a grid's poster opens that grid's page of the period
    check_printed(browser, county, periods, lambda period, url: url.replace("poster/", ""))


@pytest.fixture(scope="module")
def full_grid(tmp_path_factory) -> Path:
    """One grid of 40 villages with long names, three categories flagging 18 different villages:
    36 table lines, more than one A4 sheet holds."""
    categories = [(f"c{i}", f"{name}项", "monthly") for i, name in enumerate("甲乙丙")]

    def score(n: int, i: int) -> int:
        return 90 if 6 * i <= n < 6 * i + 3 else 50 if 6 * i + 3 <= n < 6 * i + 6 else 70

    scores = {f"V{n:02d}": [score(n, i) for i in range(3)] for n in range(40)}
    names = {vid: f"第{vid}号长名村" for vid in scores}
    town = Town(grids=["g1"], categories=categories, names=names)
    town.month("2024-01", scores, [c[1] for c in categories])
    root = tmp_path_factory.mktemp("full-grid")
    build_site(town.write(root / "scores"), root / "out", SITEURL=SITEURL)
    return root / "out"


def test_a_grid_too_full_for_one_sheet_gets_a_poster_per_a4_sheet(browser, full_grid):
    period = "2024-01"
    sheets = posters(full_grid, period)
    assert sheets == [f"{period_url(period)}poster/g1/", f"{period_url(period)}poster/g1/2/"]
    titles = [text(parse(full_grid / url / "index.html").find(".//h1")) for url in sheets]
    assert ["第1张，共2张" in titles[0], "第2张，共2张" in titles[1]] == [True, True]
    names = "".join(text(parse(full_grid / url / "index.html").find(".//table")) for url in sheets)
    flagged = {n for n in range(40) if n < 18}
    assert all(f"第V{n:02d}号长名村" in names for n in flagged)
    assert "第V30号长名村" not in names
    check_printed(browser, full_grid, [period], lambda period, _: period_url(period))

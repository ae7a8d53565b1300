"""The 电子屏 (/screen/): one page holding a slide per grid. On a landscape screen each slide
fills 1920×1080 and 1366×768 without a scrollbar and without an empty band, one at a time,
turned by a CSS animation (nothing navigates); it names town, month and grid, marks ties
并列, and shows the site's address with a QR code that Chromium's screenshot decodes to it. A
phone sees every slide, still, with a link back to the normal pages, and is never moved on:
the only refresh is a daily reload of the page itself, longer than accessibility checks allow
a timed refresh to be.

Skipped when /usr/bin/chromium is missing, except in CI (FLAGBOARD_REQUIRE_BROWSER=1).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _qr_helpers import qr_texts
from _site_helpers import SITE_URL, build_site, demo_site, demo_site_at_address, parse, serve
from towns import Town

from generator.periods import label as period_label
from generator.site.qr import LOCAL_NOTE
from generator.site.screen import RELOAD_SECONDS

SITEURL = SITE_URL
SCREENS = [(1920, 1080), (1366, 768)]
EMPTY_BAND = 0.05  # of the screen's height
WCAG_TIMED_REFRESH = 72_000  # seconds: axe-core's meta-refresh rule fails shorter delays

# Only slide `n` (1-based) shown, as the animation shows it in its turn.
ONLY = (
    ".slide { visibility: hidden !important; animation: none !important; }"
    " .slide:nth-of-type(N) { visibility: visible !important; }"
)
FILL = """n => {
  const s = document.scrollingElement;
  const slide = document.querySelectorAll('.slide')[n - 1];
  const box = e => { const r = e.getBoundingClientRect(); return [r.top, r.bottom]; };
  return {scrollWidth: s.scrollWidth, scrollHeight: s.scrollHeight,
          innerWidth: innerWidth, innerHeight: innerHeight,
          head: box(document.querySelector('.slide-head')), mark: box(slide.querySelector('h2')),
          table: box(slide.querySelector('table')), foot: box(document.querySelector('.slide-foot')),
          phone: getComputedStyle(document.querySelector('.phone')).display};
}"""
# What is visible when the page has been shown for `ms` milliseconds.
SHOWN_AT = """ms => { for (const a of document.getAnimations()) { a.pause(); a.currentTime = ms; }
  return [...document.querySelectorAll('.slide')].map(e => getComputedStyle(e).visibility); }"""


@pytest.fixture(scope="module")
def site() -> Path:
    """The test town (in its git repository) built with an absolute address, SITEURL."""
    return demo_site_at_address()


@pytest.fixture(scope="module")
def doc(site: Path) -> dict:
    return json.loads((site / "data" / "results.json").read_text(encoding="utf-8"))


def empty_bands(facts: dict) -> list[float]:
    """The gaps above the header, between the blocks and below the footer, as shares of the
    screen's height."""
    edges = [0, *facts["head"], *facts["mark"], *facts["table"], *facts["foot"]]
    edges.append(facts["innerHeight"])
    gaps = [edges[i + 1] - edges[i] for i in range(0, len(edges), 2)]
    return [gap / facts["innerHeight"] for gap in gaps]


@pytest.fixture(scope="module")
def crowded(tmp_path_factory) -> Path:
    """Seven categories in which six villages tie for red and six for yellow: every cell of
    the slide holds six names, each marked 并列 (the demo's hold three or four)."""
    categories = [(f"c{i}", f"{name}项", "monthly") for i, name in enumerate("甲乙丙丁戊己庚")]
    scores = {f"V{n:02d}": [90 if n < 6 else 50 if n >= 8 else 70] * 7 for n in range(14)}
    town = Town(grids=["g1"], categories=categories).month(
        "2024-01", scores, [c[1] for c in categories]
    )
    root = tmp_path_factory.mktemp("crowded")
    build_site(town.write(root / "scores"), root / "out", SITEURL=SITEURL)
    return root / "out"


@pytest.mark.parametrize("size", SCREENS, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("town", ["site", "crowded"])
def test_every_slide_fills_the_screen_without_scrolling_and_its_qr_code_reads(
    browser, request, town, size
):
    site = request.getfixturevalue(town)
    doc = json.loads((site / "data" / "results.json").read_text(encoding="utf-8"))
    width, height = size
    with serve(site) as base:
        page = browser.new_page(viewport={"width": width, "height": height})
        try:
            assert page.goto(f"{base}/screen/").status == 200
            assert qr_texts(page) == [f"{SITEURL}/"]
            for n in range(1, len(doc["grids"]) + 1):
                page.add_style_tag(content=ONLY.replace("N", str(n)))
                facts = page.evaluate(FILL, n)
                assert facts["scrollHeight"] <= facts["innerHeight"], n
                assert facts["scrollWidth"] <= facts["innerWidth"], n
                assert max(empty_bands(facts)) <= EMPTY_BAND, (n, empty_bands(facts))
                assert facts["phone"] == "none", n
        finally:
            page.close()


def test_the_slides_take_turns_on_a_screen(browser, site, doc):
    """One slide at a time, each for its seconds, the last followed by the first again."""
    count = len(doc["grids"])
    assert count > 1
    with serve(site) as base:
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        try:
            page.goto(f"{base}/screen/")
            turn = page.evaluate(
                "() => parseFloat(getComputedStyle(document.querySelector('.slides'))"
                ".getPropertyValue('--turn'))"
            )
            shown = [page.evaluate(SHOWN_AT, (k + 0.5) * turn * 1000) for k in range(count + 1)]
        finally:
            page.close()
    assert turn == 20
    for k, visible in enumerate(shown):
        assert [v == "visible" for v in visible] == [n == k % count for n in range(count)], k


def test_every_slide_names_town_month_and_grid_and_the_page_only_reloads_itself(site, doc):
    page = parse(site / "screen" / "index.html")
    month = period_label(doc["periods"][-1]["period"])
    heading = "".join(page.find(".//h1").itertext())
    assert heading.startswith(doc["town"]["name"] + month)
    slides = [s for s in page.iter("section") if s.get("class") == "slide"]
    count = len(doc["grids"])
    assert ["".join(s.find("h2").itertext()) for s in slides] == [
        f"{g['name']}{n}/{count}" for n, g in enumerate(doc["grids"], 1)
    ]
    meta = page.find(".//meta[@http-equiv='refresh']")
    assert meta.get("content") == str(RELOAD_SECONDS) and RELOAD_SECONDS > WCAG_TIMED_REFRESH
    footer = "".join(page.find(".//footer").itertext())
    assert "flagboard.test" in footer and "数据版本" not in footer


def test_ties_are_marked_on_the_screen(crowded, site, doc):
    cells = [
        "".join(td.itertext())
        for td in parse(crowded / "screen" / "index.html").iter("td")
        if td.get("class") in ("red", "yellow")
    ]
    assert len(cells) == 14 and all(c.count("（并列）") == 6 for c in cells)
    tied = {
        (f["category"], f["village_id"])
        for f in doc["flags"]
        if f["period"] == doc["periods"][-1]["period"] and f["flag"] and f["tied"]
    }
    marked = "".join(parse(site / "screen" / "index.html").find(".//main").itertext())
    assert marked.count("（并列）") == len(tied)


def test_a_phone_on_the_screen_page_sees_every_slide_still_and_a_link_back(browser, site, doc):
    with serve(site) as base:
        page = browser.new_page(viewport={"width": 360, "height": 640})
        try:
            page.goto(f"{base}/screen/")
            facts = page.evaluate(FILL, 1)
            running = page.evaluate("() => document.getAnimations().length")
            visible = page.evaluate(
                "() => [...document.querySelectorAll('.slide')]"
                ".map(e => getComputedStyle(e).visibility)"
            )
            links = page.evaluate(
                "() => [...document.querySelectorAll('.phone a')].map(a => a.getAttribute('href'))"
            )
        finally:
            page.close()
    assert facts["phone"] != "none"
    assert facts["scrollWidth"] <= facts["innerWidth"]
    assert running == 0 and visible == ["visible"] * len(doc["grids"])
    period = doc["periods"][-1]["period"]
    assert f"{SITEURL}/{period[:4]}/{period[5:]}/" in links and f"{SITEURL}/" in links


def test_without_an_absolute_site_url_the_screen_has_no_qr_code_and_says_why():
    site = demo_site()  # built with SITEURL = ""
    page = site / "screen" / "index.html"
    assert "<svg" not in page.read_text(encoding="utf-8")
    assert LOCAL_NOTE in "".join(parse(page).find(".//footer").itertext())

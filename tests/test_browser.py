"""The demo site in Debian's headless Chromium: phone and laptop widths, screenshots to look at.

Skipped when /usr/bin/chromium is missing, except in CI (FLAGBOARD_REQUIRE_BROWSER=1),
where a missing browser fails the suite.
"""

from __future__ import annotations

import json

import pytest
from _site_helpers import (
    ARTIFACTS,
    county_site,
    demo_site,
    serve,
)

from generator.site.format import period_url

VIEWPORTS = [(360, 640), (1280, 800)]
PAGES = {"home": "/", "period": None, "village": None, "year": None, "screen": "/screen/"}


@pytest.fixture(scope="module")
def site_paths() -> dict[str, str]:
    site = demo_site()
    doc = json.loads((site / "data" / "results.json").read_text(encoding="utf-8"))
    period = doc["periods"][-2]["period"]
    paths = dict(PAGES)
    paths["period"] = f"/{period_url(period)}"
    paths["village"] = f"/village/{doc['villages'][0]['id']}/"
    paths["year"] = f"/{doc['years'][-2]['year']}/"
    return paths


@pytest.fixture(scope="module")
def base_url():
    with serve(demo_site()) as url:
        yield url


MEASURE = """() => {
  const texts = [...document.querySelectorAll('main p, main li, main td, main th, main a')]
    .filter(e => e.closest('svg') === null && e.getClientRects().length > 0);
  const small = texts.filter(e => parseFloat(getComputedStyle(e).fontSize) < 16)
    .map(e => e.tagName + ':' + e.textContent.trim().slice(0, 20));
  // flags: badges, and the cells of a table of scores; one in a box that scrolls sideways is
  // reached by scrolling it; the screen's slides that wait for their turn are hidden
  const flags = [...document.querySelectorAll('.flag, td.red, td.yellow')]
    .filter(e => getComputedStyle(e).visibility !== 'hidden').map(e => {
    const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
    return {text: e.textContent, w: r.width, h: r.height, left: r.left, right: r.right,
            boxed: e.closest('.scroll') !== null,
            shown: s.display !== 'none' && s.opacity !== '0'};
  });
  return {scrollWidth: document.scrollingElement.scrollWidth, innerWidth: window.innerWidth,
          bodyFont: parseFloat(getComputedStyle(document.body).fontSize), small, flags};
}"""


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: f"{v[0]}x{v[1]}")
@pytest.mark.parametrize("name", list(PAGES))
def test_page_reads_well(browser, base_url, site_paths, name, viewport):
    width, height = viewport
    page = browser.new_page(viewport={"width": width, "height": height})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        response = page.goto(base_url + site_paths[name], wait_until="load")
        assert response is not None and response.status == 200
        facts = page.evaluate(MEASURE)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shot = ARTIFACTS / f"{name}-{width}x{height}"
        page.screenshot(path=f"{shot}.png")  # what the first screen shows
        page.screenshot(path=f"{shot}-full.png", full_page=True)
    finally:
        page.close()
    assert_reads_well(facts, width)
    assert [url for url in requests if not url.startswith(base_url)] == []


def assert_reads_well(facts: dict, width: int, flags: bool = True) -> None:
    assert facts["scrollWidth"] <= facts["innerWidth"], "the page scrolls sideways"
    assert facts["bodyFont"] >= 16
    assert facts["small"] == [], "text smaller than 16px"
    assert facts["flags"] or not flags, "no flag on the page"
    hidden = [
        f["text"]
        for f in facts["flags"]
        if not f["shown"]
        or f["w"] < 10
        or f["h"] < 10
        or (not f["boxed"] and (f["left"] < 0 or f["right"] > width))
    ]
    assert hidden == [], "flags not fully visible"


@pytest.fixture(scope="module")
def years_town():
    """Six years of 12 villages: a village's page with its 历年汇总 and an older year's page,
    and the same two of a grid."""
    out = county_site(villages=12, periods=72, grids=2, seed=3)
    village = json.loads((out / "data" / "results.json").read_text("utf-8"))
    village = village["villages"][1]["id"]
    with serve(out) as url:
        yield (
            url,
            [f"/village/{village}/", f"/village/{village}/2016/"],
            ["/grid/g01/", "/grid/g01/2016/"],
        )


def test_a_village_after_six_years_reads_well_on_a_phone(browser, years_town):
    base_url, paths, _ = years_town
    for number, path in enumerate(paths):
        page = browser.new_page(viewport={"width": 360, "height": 640})
        try:
            assert page.goto(base_url + path).status == 200
            facts = page.evaluate(MEASURE)
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(
                path=str(ARTIFACTS / f"village-years-{number}-360x640-full.png"), full_page=True
            )
        finally:
            page.close()
        assert_reads_well(facts, 360)


def test_a_grid_after_six_years_reads_well_on_a_phone(browser, years_town):
    base_url, _, paths = years_town
    for number, path in enumerate(paths):
        page = browser.new_page(viewport={"width": 360, "height": 640})
        try:
            assert page.goto(base_url + path).status == 200
            facts = page.evaluate(MEASURE)
            charts = page.evaluate("() => document.querySelectorAll('svg.chart').length")
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(
                path=str(ARTIFACTS / f"grid-years-{number}-360x640-full.png"), full_page=True
            )
        finally:
            page.close()
        assert_reads_well(facts, 360, flags=False)
        assert charts > 0


def test_screen_fits_a_1920x1080_screen_without_scrolling(browser, base_url):
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    try:
        page.goto(base_url + "/screen/")
        size = page.evaluate(
            "() => [document.scrollingElement.scrollWidth, document.scrollingElement.scrollHeight]"
        )
        heading = page.evaluate(
            "() => parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)"
        )
        cell = page.evaluate(
            "() => parseFloat(getComputedStyle(document.querySelector('.slide td')).fontSize)"
        )
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "screen-1920x1080.png"))
    finally:
        page.close()
    assert size == [1920, 1080]
    assert heading >= 60 and cell >= 40, "big type for a screen across the room"


def test_period_page_prints_as_a_clean_a4_poster(browser, base_url, site_paths):
    page = browser.new_page()
    try:
        page.goto(base_url + site_paths["period"])
        page.emulate_media(media="print")
        hidden = page.evaluate(
            "() => ['header.top', 'footer.foot', '.toc', '.pager', '#downloads']"
            ".map(s => document.querySelector(s)).filter(e => e && e.offsetParent !== null).length"
        )
        pdf = page.pdf(format="A4")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "period-print.pdf").write_bytes(pdf)
    finally:
        page.close()
    assert hidden == 0, "navigation and downloads are not printed"
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 2

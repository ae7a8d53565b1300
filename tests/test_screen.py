"""The 电子屏 (/screen/): every slide fills 1920×1080 and 1366×768 without a scrollbar and
without an empty band, names town, month and grid, shows the site's address with a QR code
that Chromium's screenshot decodes to it, and refreshes to the next slide with a valid meta
refresh; a phone sees a link back to the normal pages.

Skipped when /usr/bin/chromium is missing, except in CI (FLAGBOARD_REQUIRE_BROWSER=1).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import html5lib
import pytest
from _qr_helpers import qr_texts
from _site_helpers import build_site, demo_scores, demo_site, serve
from towns import Town

from generator.periods import label as period_label
from generator.site.qr import LOCAL_NOTE

SITEURL = "https://flagboard.test"
SCREENS = [(1920, 1080), (1366, 768)]
EMPTY_BAND = 0.05  # of the screen's height
REFRESH = re.compile(r"^(\d+); url=(\S+)$")  # HTML's "N; url=…" as the slides write it

FILL = """() => {
  const s = document.scrollingElement;
  const table = document.querySelector('.slide').getBoundingClientRect();
  const head = document.querySelector('.slide-head').getBoundingClientRect();
  const foot = document.querySelector('.slide-foot').getBoundingClientRect();
  return {scrollWidth: s.scrollWidth, scrollHeight: s.scrollHeight,
          innerWidth: innerWidth, innerHeight: innerHeight,
          head: [head.top, head.bottom], table: [table.top, table.bottom],
          foot: [foot.top, foot.bottom],
          phone: getComputedStyle(document.querySelector('.phone')).display};
}"""


def parse(path: Path):
    return html5lib.parse(path.read_bytes(), namespaceHTMLElements=False)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("screen") / "out"
    build_site(demo_scores(), out, SITEURL=SITEURL)
    return out


@pytest.fixture(scope="module")
def doc(site: Path) -> dict:
    return json.loads((site / "data" / "results.json").read_text(encoding="utf-8"))


def slides(doc: dict) -> list[str]:
    return ["screen/"] + [f"screen/{n}/" for n in range(2, len(doc["grids"]) + 1)]


def empty_bands(facts: dict) -> list[float]:
    """The gaps above the header, between the blocks and below the footer, as shares of the
    screen's height."""
    edges = [0, *facts["head"], *facts["table"], *facts["foot"], facts["innerHeight"]]
    gaps = [edges[i + 1] - edges[i] for i in range(0, len(edges), 2)]
    return [gap / facts["innerHeight"] for gap in gaps]


@pytest.fixture(scope="module")
def crowded(tmp_path_factory) -> Path:
    """Seven categories in which six villages tie for red and six for yellow: every cell of
    the slide holds six names (the demo's hold three or four)."""
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
            for url in slides(doc):
                assert page.goto(f"{base}/{url}").status == 200
                facts = page.evaluate(FILL)
                assert facts["scrollHeight"] <= facts["innerHeight"], url
                assert facts["scrollWidth"] <= facts["innerWidth"], url
                assert max(empty_bands(facts)) <= EMPTY_BAND, (url, empty_bands(facts))
                assert facts["phone"] == "none", url
                assert qr_texts(page) == [f"{SITEURL}/"], url
        finally:
            page.close()


def test_every_slide_names_town_month_and_grid_and_refreshes_to_the_next(site, doc):
    urls = slides(doc)
    month = period_label(doc["periods"][-1]["period"])
    for number, url in enumerate(urls):
        page = parse(site / url / "index.html")
        heading = "".join(page.find(".//h1").itertext())
        assert heading.startswith(doc["town"]["name"] + month), url
        grid = "".join(page.find(".//p[@class='grid-mark']").itertext())
        assert grid.startswith(doc["grids"][number]["name"]), url
        meta = page.find(".//meta[@http-equiv='refresh']")
        seconds, target = REFRESH.match(meta.get("content")).groups()
        assert int(seconds) > 0
        assert target == f"{SITEURL}/{urls[(number + 1) % len(urls)]}"
        footer = "".join(page.find(".//footer").itertext())
        assert "flagboard.test" in footer and "数据版本" not in footer, url


def test_a_phone_on_the_screen_page_sees_a_link_back_to_the_site(browser, site, doc):
    with serve(site) as base:
        page = browser.new_page(viewport={"width": 360, "height": 640})
        try:
            page.goto(f"{base}/screen/")
            facts = page.evaluate(FILL)
            links = page.evaluate(
                "() => [...document.querySelectorAll('.phone a')].map(a => a.getAttribute('href'))"
            )
        finally:
            page.close()
    assert facts["phone"] != "none"
    assert facts["scrollWidth"] <= facts["innerWidth"]
    period = doc["periods"][-1]["period"]
    assert f"{SITEURL}/{period[:4]}/{period[5:]}/" in links and f"{SITEURL}/" in links


def test_without_an_absolute_site_url_the_screen_has_no_qr_code_and_says_why():
    site = demo_site()  # built with SITEURL = ""
    page = site / "screen" / "index.html"
    assert "<svg" not in page.read_text(encoding="utf-8")
    assert LOCAL_NOTE in "".join(parse(page).find(".//footer").itertext())

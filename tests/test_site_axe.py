"""axe-core, the accessibility checker, finds nothing on any kind of page: the demo town's and
a town split by grid (its grids' period and year pages), at a phone's 360 px and a laptop's
1280 px, in the light and the dark colour scheme (axe measures each text's contrast).

axe-core is installed beforehand from npm, pinned by tests/axe/package-lock.json (`make axe`,
which .ci/run and the workflow run); the tests read only the installed file and contact
nothing but 127.0.0.1. Without it they are skipped, except in CI (FLAGBOARD_REQUIRE_BROWSER=1),
where they fail.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from _site_helpers import (
    ROOT,
    browser_required,
    county_site,
    demo_site,
    html_pages,
    serve,
)

AXE = ROOT / "tests" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
VIEWS = [(360, "light"), (360, "dark"), (1280, "light"), (1280, "dark")]
RUN = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
  .map(v => ({rule: v.id, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' +
    (n.failureSummary || '').split('\\n').slice(1, 2).join('').trim())}))"""


def axe_source() -> str:
    if not AXE.is_file():
        problem = f"找不到 {AXE.relative_to(ROOT)}：先运行 make axe（从 npm 安装 axe-core）"
        if browser_required():
            pytest.fail(problem)
        pytest.skip(problem)
    return AXE.read_text(encoding="utf-8")


def kinds(site: Path) -> list[str]:
    """One page of each kind (addresses that differ in their numbers only are one kind)."""
    found: dict[str, str] = {}
    for name in html_pages(site):
        url = name.removesuffix("index.html")
        found.setdefault(re.sub(r"[0-9]+", "#", url), url)
    return sorted(found.values())


@pytest.fixture(scope="module")
def split_town() -> Path:
    """240 villages in 8 grids: periods and years get a page per grid."""
    return county_site(villages=240, periods=3, grids=8, seed=5)


def violations(browser, site: Path, pages: list[str], width: int, scheme: str) -> dict:
    source = axe_source()
    found = {}
    with serve(site) as base:
        context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
        # axe in every page the context opens, before the page's own content: handed to the
        # browser once rather than sent again with each page (half of these tests' time)
        context.add_init_script(source)
        page = context.new_page()
        try:
            for url in pages:
                page.goto(f"{base}/{url}")
                result = page.evaluate(RUN)
                if result:
                    found[url] = result
        finally:
            context.close()
    return found


@pytest.mark.parametrize(("width", "scheme"), VIEWS, ids=lambda v: str(v))
def test_axe_finds_nothing_on_any_kind_of_page_of_the_demo(browser, width, scheme):
    site = demo_site()
    assert violations(browser, site, kinds(site), width, scheme) == {}


@pytest.mark.parametrize(("width", "scheme"), VIEWS, ids=lambda v: str(v))
def test_axe_finds_nothing_on_a_split_town_s_pages(browser, split_town, width, scheme):
    pages = [url for url in kinds(split_town) if not url.startswith(("guide/", "rules/"))]
    assert any(re.fullmatch(r"\d{4}/\d{2}/g\d+/", url) for url in pages)  # a grid's period
    assert any(re.fullmatch(r"\d{4}/grid/g\d+/", url) for url in pages)  # a grid's year
    assert violations(browser, split_town, pages, width, scheme) == {}


def test_the_checker_finds_what_it_should(browser):
    """On a page made to fail, axe reports the rules this suite relies on it for."""
    source = axe_source()
    page = browser.new_page(viewport={"width": 360, "height": 800})
    try:
        page.set_content(
            '<html lang="zh-CN"><head><title>t</title>'
            '<meta http-equiv="refresh" content="20"></head><body><main>'
            '<h1>t</h1><p style="color:#aaa;background:#fff">浅色的字</p>'
            '<div style="overflow-x:auto;width:100px"><table><tr><td style="white-space:nowrap">'
            "一张比它的框宽得多的表格</td></tr></table></div>"
            "</main></body></html>"
        )
        page.add_script_tag(content=source)
        rules = {v["rule"] for v in page.evaluate(RUN)}
    finally:
        page.close()
    assert {"color-contrast", "meta-refresh", "scrollable-region-focusable"} <= rules

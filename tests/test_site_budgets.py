"""Budgets of the site: bytes per page, CSS size, elements per page (Lighthouse's dom-size),
valid HTML, links, no other hosts, no JS.

Checked on the demo town, on a town six years on (72 months: village pages split by year) and
on a county of 600 villages in 20 grids over four years (pages split by grid and by year).
"""

from __future__ import annotations

import gzip
import html
import json
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import html5lib
import pytest
from _site_helpers import ROOT, build_site, county_site, demo_site, html_pages, page_trees, serve

from generator import demo as towngen
from generator.periods import label as period_label
from generator.site.format import grid_url, period_url, village_url, year_url
from generator.site.outfolder import SITE_MARK
from generator.site.pages import grid_period_url, grid_year_page_url, grid_year_url
from generator.site.plugin import read_css

FIRST_ROUND_TRIP = 14_600  # bytes, gzipped: what arrives in the first round trip
LONG_PAGE = 30_000  # period and year pages
CSS_BUDGET = 10 * 1024  # bytes of the stylesheet every page inlines (comments stripped)
# Lighthouse's mobile dom-size audit: it warns above 800 elements and fails above 1,400; it
# reports the deepest element and the most children of one element as well.
DOM_ELEMENTS = 800
DOM_DEPTH = 32
DOM_CHILDREN = 60
LONG_PAGE_RE = re.compile(r"^\d{4}/(\d{2}/)?index\.html$")
BASE = "http://site.test/"  # internal links are resolved against this made-up origin
SHARE_IMAGE = "images/share.png"
ICON = "images/icon.png"  # every first visit fetches it: a few hundred bytes
ICON_BUDGET = 512
# The one link to another host: the footer's ICP number links to the ministry's register, as the
# MIIT requires of every site with one (a link followed by a reader, not a request of the page).
ICP_REGISTER = "https://beian.miit.gov.cn/"


@pytest.fixture(scope="module", params=["demo", "six-years"])
def site(request) -> Path:
    """The demo town, and a town that has published for six years: pages must stay within
    their budgets as the years accumulate, not only in the first year."""
    if request.param == "demo":
        return demo_site()
    return county_site(villages=12, periods=72, grids=2, seed=3)


@pytest.fixture(scope="module")
def pages(site: Path) -> dict[str, Path]:
    return html_pages(site)


@pytest.fixture(scope="module")
def trees(site: Path) -> dict:
    return page_trees(site)


def page_url(name: str) -> str:
    return BASE + (name[: -len("index.html")] if name.endswith("index.html") else name)


def links(tree) -> list[tuple[str, str]]:
    """(attribute, value) of every href/src in a page, the refresh target included."""
    found = [
        (attr, element.get(attr))
        for element in tree.iter()
        for attr in ("href", "src", "action", "srcset", "poster", "data")
        if isinstance(element.tag, str) and element.get(attr) not in (None, ICP_REGISTER)
    ]
    for meta in tree.iter("meta"):
        if (meta.get("http-equiv") or "").lower() == "refresh" and "url=" in meta.get("content"):
            found.append(("refresh", meta.get("content").split("url=", 1)[1]))
    return found


def resolve(site: Path, url: str) -> Path | None:
    """The file an internal URL serves, or None if it points outside the site."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}/" != BASE:
        return None
    path = parts.path.lstrip("/")
    return site / (path + "index.html" if path == "" or path.endswith("/") else path)


def test_the_demo_site_has_every_kind_of_page(pages: dict[str, Path]):
    assert len(pages) >= 60
    assert any(LONG_PAGE_RE.match(name) and name.count("/") == 2 for name in pages)


def over_budget(pages: dict[str, Path]) -> dict[str, tuple[int, int]]:
    """Pages whose gzipped size exceeds their budget: name → (size, budget)."""
    over = {}
    for name, path in pages.items():
        size = len(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))
        budget = LONG_PAGE if LONG_PAGE_RE.match(name) else FIRST_ROUND_TRIP
        if size > budget:
            over[name] = (size, budget)
    return over


def test_every_page_fits_its_gzip_budget(pages: dict[str, Path]):
    assert over_budget(pages) == {}


def test_css_is_small_and_uses_system_fonts_only(pages: dict[str, Path]):
    path = ROOT / "theme" / "css" / "site.css"
    source = path.read_text(encoding="utf-8")
    assert len(read_css(path).encode()) <= CSS_BUDGET  # what each page carries
    assert "@font-face" not in source and "@import" not in source and "url(" not in source
    assert "PingFang SC" in source and "Noto Sans CJK SC" in source
    for name, path in pages.items():
        styles = re.findall(r"<style>(.*?)</style>", path.read_text("utf-8"), re.S)
        assert len(styles) == 1 and len(styles[0].encode()) <= CSS_BUDGET, name


def dom_stats(tree) -> tuple[int, int, int]:
    """What Lighthouse's dom-size audit counts (its getDOMStats): the elements under <body>
    (body itself not counted), the depth of the deepest one (body at 1) and the most children
    of one element (body's included)."""
    elements, depth, children = 0, 0, 0
    stack = [(tree.find("body"), 1)]
    while stack:
        element, level = stack.pop()
        kids = [kid for kid in element if isinstance(kid.tag, str)]
        depth, children = max(depth, level), max(children, len(kids))
        elements += len(kids)
        stack.extend((kid, level + 1) for kid in kids)
    return elements, depth, children


def too_heavy(stats: tuple[int, int, int]) -> bool:
    elements, depth, children = stats
    return elements > DOM_ELEMENTS or depth > DOM_DEPTH or children > DOM_CHILDREN


def test_every_page_is_light_enough_for_a_cheap_phone(trees: dict):
    """Lighthouse's mobile dom-size audit passes on every page (the period page had 2,646
    elements: a ranking table per grid and category; the village page after three years 1,318)."""
    stats = {name: dom_stats(tree) for name, tree in trees.items()}
    assert {name: s for name, s in stats.items() if too_heavy(s)} == {}
    assert max(s[0] for s in stats.values()) > DOM_ELEMENTS / 2  # the measure sees the pages


def test_the_element_count_is_the_one_lighthouse_takes(browser, site: Path, trees: dict):
    """Chromium, running Lighthouse's own count on the heaviest page, agrees with html5lib."""
    name = max(trees, key=lambda n: dom_stats(trees[n])[0])
    with serve(site) as base:
        page = browser.new_page(viewport={"width": 360, "height": 640})
        try:
            page.goto(f"{base}/{name}")
            counted = page.evaluate(LIGHTHOUSE_DOM_STATS)
        finally:
            page.close()
    assert tuple(counted) == dom_stats(trees[name])


# Lighthouse's getDOMStats (core/gather/gatherers/dobetterweb/domstats.js), without shadow roots.
LIGHTHOUSE_DOM_STATS = """() => { let maxDepth = -1, maxWidth = -1, numElements = 0;
  const walk = (element, depth = 1) => {
    if (depth > maxDepth) maxDepth = depth;
    if (element.children.length > maxWidth) maxWidth = element.children.length;
    for (let child = element.firstElementChild; child; child = child.nextElementSibling) {
      walk(child, depth + 1); numElements++; } };
  walk(document.body); return [numElements, maxDepth, maxWidth]; }"""


def test_no_web_fonts_scripts_or_other_files_of_that_kind(site: Path):
    kinds = {p.suffix for p in site.rglob("*") if p.is_file() and p.name != SITE_MARK}
    assert kinds <= {".html", ".xml", ".csv", ".json", ".toml", ".png", ".xlsx"}
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*.png")) == [
        ICON,
        SHARE_IMAGE,
    ]


@pytest.mark.parametrize(
    ("image", "side", "budget"), [(SHARE_IMAGE, 300, 4096), (ICON, 32, ICON_BUDGET)]
)
def test_the_share_image_and_the_icon_are_small_and_made_by_their_script(
    site: Path, tmp_path: Path, image: str, side: int, budget: int
):
    """WeChat skips a share image under 300 px; the icon is fetched on every first visit."""
    published = (site / image).read_bytes()
    assert published == (ROOT / "theme" / "static" / image).read_bytes()
    assert len(published) <= budget
    assert published[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", published[16:24]) == (side, side)
    run = subprocess.run(
        [sys.executable, str(ROOT / "theme" / "share_image.py"), str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    # Pixels, not bytes: another zlib may pack the same picture differently.
    made = (tmp_path / image.rpartition("/")[2]).read_bytes()
    assert png_pixels(made) == png_pixels(published)


def png_pixels(data: bytes) -> bytes:
    chunks, offset = [], 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        if data[offset + 4 : offset + 8] == b"IDAT":
            chunks.append(data[offset + 8 : offset + 8 + length])
        offset += 12 + length
    return zlib.decompress(b"".join(chunks))


def test_every_page_is_valid_html(pages: dict[str, Path]):
    failures = {}
    for name, path in pages.items():
        try:
            html5lib.HTMLParser(strict=True).parse(path.read_bytes())
        except html5lib.html5parser.ParseError as error:
            failures[name] = str(error)
    assert failures == {}


def test_ids_are_unique_on_every_page(trees: dict):
    for name, tree in trees.items():
        ids = [e.get("id") for e in tree.iter() if isinstance(e.tag, str) and e.get("id")]
        assert len(ids) == len(set(ids)), name


def test_no_javascript_is_needed_or_present(trees: dict):
    for name, tree in trees.items():
        assert tree.find(".//script") is None, name
        handlers = [
            attr
            for e in tree.iter()
            if isinstance(e.tag, str)
            for attr in e.attrib
            if attr.lower().startswith("on")
        ]
        assert handlers == [], name
        assert all(not v.lower().startswith("javascript:") for _, v in links(tree)), name


def test_no_request_goes_to_another_host(trees: dict):
    for name, tree in trees.items():
        outside = [
            value
            for attr, value in links(tree)
            if not value.startswith("data:")
            and urlsplit(urljoin(page_url(name), value)).netloc != urlsplit(BASE).netloc
        ]
        assert outside == [], name


def test_every_internal_link_and_anchor_resolves(site: Path, trees: dict):
    broken = []
    for name, tree in trees.items():
        for _, value in links(tree):
            if value.startswith("data:"):
                continue
            url = urljoin(page_url(name), value)
            target = resolve(site, url)
            if target is None or not target.is_file():
                broken.append((name, value))
                continue
            fragment = urlsplit(url).fragment
            if fragment and target.suffix == ".html":
                key = target.relative_to(site).as_posix()
                ids = {e.get("id") for e in trees[key].iter() if isinstance(e.tag, str)}
                if fragment not in ids:
                    broken.append((name, value))
    assert broken == []


def test_feed_and_sitemap_links_resolve(site: Path):
    feed = ET.parse(site / "feed.xml").getroot()
    hrefs = [link.get("href") for link in feed.iter("{http://www.w3.org/2005/Atom}link")]
    locs = [
        loc.text
        for loc in ET.parse(site / "sitemap.xml")
        .getroot()
        .iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    missing = [u for u in hrefs + locs if not resolve(site, urljoin(BASE, u)).is_file()]
    assert missing == []


def test_every_page_has_title_description_and_open_graph(trees: dict):
    for name, tree in trees.items():
        title = tree.findtext(".//title")
        assert title and len(title) <= 60, name
        meta = {(m.get("name") or m.get("property")): m.get("content") for m in tree.iter("meta")}
        assert meta.get("description"), name
        for prop in ("og:title", "og:description", "og:url", "og:type", "og:site_name"):
            assert meta.get(prop), (name, prop)
        assert meta["og:title"] == title, name
        assert meta["og:image"] == "/" + SHARE_IMAGE, name
        icons = [link.get("href") for link in tree.iter("link") if link.get("rel") == "icon"]
        assert icons == ["/" + ICON], name
        own = "" if name == "index.html" else name.removesuffix("index.html")
        if name != "404.html":
            assert meta["og:url"] == "/" + own, name


COUNTY_PERIODS = 48  # four years: the grid pages' charts would take 36 months (17 KB gzipped)


@pytest.fixture(scope="module")
def county(tmp_path_factory) -> Path:
    """600 villages in 20 grids over four years: periods and years get a page per grid, and
    village and grid pages an older year's page each."""
    root = tmp_path_factory.mktemp("county")
    files = towngen.county_files(villages=600, periods=COUNTY_PERIODS, grids=20, seed=1)
    towngen.write_files(files, root / "s")
    build_site(root / "s", root / "out")
    return root / "out"


@pytest.fixture(scope="module")
def county_doc(county: Path) -> dict:
    return json.loads((county / "data" / "results.json").read_text("utf-8"))


def test_a_county_of_600_villages_in_20_grids_keeps_every_page_within_budget(
    county: Path, county_doc: dict
):
    doc = county_doc
    month, year = doc["periods"][-1]["period"], doc["years"][-1]["year"]
    first, first_year = doc["periods"][0]["period"], doc["years"][0]["year"]
    pages = html_pages(county)
    for grid in doc["grids"]:  # a page per grid for every period and year
        assert f"{grid_period_url(month, grid['id'])}index.html" in pages
        assert f"{grid_year_url(year, grid['id'])}index.html" in pages
        # the grid's page keeps its latest years: the first year has a page of its own
        assert f"{grid_year_page_url(grid['id'], first_year)}index.html" in pages
    scored = [{r["village_id"] for r in doc["rewards"] if r["period"] == p} for p in (first, month)]
    village = min(scored[0] & scored[1])  # scored in four years: the first has its own page
    assert f"{village_url(village)}{first_year}/index.html" in pages
    assert over_budget(pages) == {}


def test_a_county_s_pages_are_light_enough_for_a_cheap_phone(county: Path):
    """Every kind of page of the county (addresses that differ only in their numbers are one
    kind), the heaviest of each kind: within Lighthouse's dom-size audit."""
    heaviest: dict[str, tuple] = {}
    for name, path in html_pages(county).items():
        kind = re.sub(r"[0-9]+", "#", name)
        size = path.stat().st_size
        if size > heaviest.get(kind, (0,))[0]:
            heaviest[kind] = (size, name, path)
    stats = {
        name: dom_stats(html5lib.parse(path.read_bytes(), namespaceHTMLElements=False))
        for _, name, path in heaviest.values()
    }
    assert len(stats) >= 15
    assert {name: s for name, s in stats.items() if too_heavy(s)} == {}


LINK_RE = re.compile(r'\s(?:href|src)="([^"]*)"|;url=([^"]*)"')
ID_RE = re.compile(r'\sid="([^"]*)"')


def test_every_link_of_a_county_resolves(county: Path):
    """Every page's links and anchors (found by pattern: html5lib would take minutes here)."""
    pages = html_pages(county)
    texts = {name: path.read_text("utf-8") for name, path in pages.items()}
    files = {path.relative_to(county).as_posix() for path in county.rglob("*") if path.is_file()}
    ids: dict[str, set[str]] = {}  # a page's ids, read once however many links name them
    broken = []
    for name, text in texts.items():
        for match in LINK_RE.finditer(text):
            value = html.unescape(match.group(1) or match.group(2))
            url = urljoin(page_url(name), value)
            target = resolve(county, url)
            key = None if target is None else target.relative_to(county).as_posix()
            if key not in files:
                broken.append((name, value))
                continue
            fragment = urlsplit(url).fragment
            if fragment and key in texts:
                if key not in ids:
                    ids[key] = set(ID_RE.findall(texts[key]))
                if fragment not in ids[key]:
                    broken.append((name, value))
    assert len(texts) > 2000 and broken == []


TICK_RE = re.compile(r'<text x="[\d.]+" y="128" text-anchor="(?:start|end|middle)">([^<]+)</text>')


def charted_periods(page: Path, periods: list[str]) -> set[str]:
    """The months a grid page's charts span (their axes name the first and the last)."""
    labels = {period_label(p): p for p in periods}
    ticks = {labels[t] for t in TICK_RE.findall(page.read_text("utf-8"))}
    return {p for p in periods if min(ticks) <= p <= max(ticks)} if ticks else set()


def test_every_period_of_a_grid_is_charted_on_exactly_one_of_its_pages(
    county: Path, county_doc: dict
):
    doc = county_doc
    periods = [p["period"] for p in doc["periods"]]
    for grid in doc["grids"]:
        folder = county / grid_url(grid["id"])
        pages = sorted(folder.glob("**/index.html"))
        assert len(pages) == len(doc["years"]) - 1  # the latest two years share the grid's page
        averaged = {a["period"] for a in doc["grid_averages"] if a["grid"] == grid["id"]}
        seen: dict[str, list[str]] = {}
        for page in pages:
            for period in charted_periods(page, periods):
                seen.setdefault(period, []).append(page.relative_to(county).as_posix())
        assert set(seen) == averaged
        assert {p: where for p, where in seen.items() if len(where) > 1} == {}
        main = (folder / "index.html").read_text("utf-8")
        for y in doc["years"][:-2]:  # each older year is linked from the grid's page
            assert f'href="/{grid_year_page_url(grid["id"], y["year"])}"' in main


def test_a_county_s_split_pages_are_valid_and_every_village_is_reachable(
    county: Path, county_doc: dict
):
    doc = county_doc
    month, year = doc["periods"][-1]["period"], doc["years"][-1]["year"]
    grid = doc["grids"][3]["id"]
    first_year = doc["years"][0]["year"]
    names = [
        f"{url}index.html"
        for url in (
            "",
            period_url(month),
            year_url(year),
            grid_period_url(month, grid),
            grid_year_url(year, grid),
            grid_url(grid),
            grid_year_page_url(grid, first_year),
        )
    ]
    linked = set()
    for name in names:
        html5lib.HTMLParser(strict=True).parse((county / name).read_bytes())
        tree = html5lib.parse((county / name).read_bytes(), namespaceHTMLElements=False)
        for _, value in links(tree):
            target = resolve(county, urljoin(page_url(name), value))
            assert target is not None and target.is_file(), (name, value)
            linked.add(target.relative_to(county).as_posix())
    members = {v["id"] for v in doc["villages"] if v["grid"] == grid}
    period_grid = (county / names[3]).read_text("utf-8")
    assert all(f'href="/{village_url(v)}"' in period_grid for v in members)
    assert names[3] in linked and names[4] in linked  # the short pages link their grids' pages
    assert names[6] in linked and names[5] in linked  # a grid's page and its older years link
    home = (county / "index.html").read_text("utf-8")
    assert f'href="/{grid_period_url(month, grid)}"' in home


def test_red_and_yellow_never_rely_on_colour_alone(trees: dict):
    for name, tree in trees.items():
        for element in tree.iter():
            classes = (element.get("class") or "").split() if isinstance(element.tag, str) else []
            if "flag" in classes:
                text = "".join(element.itertext())
                symbol = "★" if "red" in classes else "▼"
                assert text.startswith(symbol), (name, text)

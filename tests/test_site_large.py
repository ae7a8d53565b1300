"""Large text (适老化), in real Chromium at a phone's 360 px: every kind of page with the root font
at 130 % and at 200 % (the phone's or WeChat's own text size), and in the site's 大字 mode
(the switch in every page's header, without JavaScript: body 24 px = 18 pt):

- the page never scrolls sideways, and nothing is cut: every element outside a box that
  scrolls sideways holds its content (scrollWidth ≤ clientWidth);
- no text is squeezed to a character a line: each line of a short text (a cell, a name, a
  heading: up to SHORT characters) holds two characters or more, unless the whole text is one
  character; a longer text (a paragraph) may end on a line of one character, as type does,
  but never has two such lines;
- in 大字 mode every link and control that is not a word inside a sentence is a target of
  60 px or more each way, and the text keeps a contrast of 4.5:1 or more in both colour
  schemes (measured on screenshots, as test_site_phone.py measures the flags);
- long pages open with a jump list to the reader's grid and village.

The demo town's pages, and the pages only a town split by grid has (a grid's period and year,
the period, year and home pages that list grids instead of villages, the compact 公众号 article).
The poster and the 电子屏 are paper and a wall screen with stylesheets of their own: they are
checked at 130 % and 200 % (their phone views), not in 大字 mode, which they do not offer.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

import pytest
from _qr_helpers import contrast, png_rgb
from _site_helpers import (
    ARTIFACTS,
    county_site,
    demo_results,
    demo_site,
    html_pages,
    serve,
)

from generator.site.format import period_url, year_url

PHONE = {"width": 360, "height": 640}
TARGET_PX = 60
MODES = ["130%", "200%", "large"]
SHORT = 24  # characters: a cell, a name, a heading, a label
OWN_MEDIA = re.compile(r"(^|/)(screen|poster)/")  # pages without the 大字 switch

# What sticks out or is cut, outside boxes that scroll sideways; the page's own scroll.
CUT = """() => {
  const boxed = e => { for (let p = e; p; p = p.parentElement) {
      const x = getComputedStyle(p).overflowX; if (x === 'auto' || x === 'scroll') return true; }
    return false; };
  const out = [];
  for (const e of document.querySelectorAll('body *')) {
    if (e.closest('svg') || e.clientWidth === 0 || boxed(e)) continue;
    if (e.scrollWidth > e.clientWidth + 1)
      out.push(e.tagName + '.' + e.className + ': ' + (e.textContent || '').trim().slice(0, 24));
  }
  const root = document.documentElement;
  return {page: root.scrollWidth - root.clientWidth, cut: out.slice(0, 8)};
}"""
# Lines of one character: every visible character's line, per block that lays it out.
SQUEEZED = """short => {
  const blockOf = node => { let e = node.parentElement;
    while (e && getComputedStyle(e).display === 'inline') e = e.parentElement; return e; };
  const chars = new Map(); const texts = new Map();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('svg, script, style')) continue;
    if (getComputedStyle(parent).visibility === 'hidden' || !parent.getClientRects().length) continue;
    const block = blockOf(node); const visible = node.data.replace(/\\s/g, '');
    if (!visible) continue;
    texts.set(block, (texts.get(block) || '') + visible);
    if (!chars.has(block)) chars.set(block, []);
    range.selectNodeContents(node);
    const fragments = [...range.getClientRects()].filter(r => r.width);
    if (fragments.length === 1) {  // on one line: no need to place each character
      for (const _ of visible) chars.get(block).push([fragments[0].top, fragments[0].bottom]);
      continue;
    }
    for (let i = 0; i < node.data.length; i++) {
      if (/\\s/.test(node.data[i])) continue;
      range.setStart(node, i); range.setEnd(node, i + 1);
      const r = range.getBoundingClientRect();
      if (r.width) chars.get(block).push([r.top, r.bottom]);
    }
  }
  const found = [];
  for (const [block, boxes] of chars) {
    if (texts.get(block).length < 2) continue;
    // a line: the characters whose middles fall within its first character's height (text
    // of several sizes on one line shares it, aligned on the baseline)
    boxes.sort((a, b) => a[0] - b[0]); const lines = [];
    for (const [top, bottom] of boxes) { const line = lines[lines.length - 1];
      const middle = (top + bottom) / 2;
      if (line && middle >= line.top && middle <= line.bottom) {
        line.count += 1; line.top = Math.min(line.top, top); line.bottom = Math.max(line.bottom, bottom);
      } else lines.push({top, bottom, count: 1}); }
    const lone = lines.filter(l => l.count < 2).length;
    if (lines.length > 1 && (lone > 1 || (lone && texts.get(block).length <= short)))
      found.push(block.tagName + '.' + block.className + ': ' + texts.get(block).slice(0, 24));
  }
  return found.slice(0, 8);
}"""
# Links and controls smaller than a finger, leaving out a word linked inside a sentence (a
# paragraph or item with three characters or more of its own text: 修改：<a>…</a> included).
SMALL_TARGETS = """min => {
  const sentence = a => { const p = a.parentElement;
    if (a.closest('.prose')) return true;
    if (!['P', 'LI', 'DD'].includes(p.tagName)) return false;
    let words = 0; for (const n of p.childNodes) if (n.nodeType === 3) words += n.data.trim().length;
    return words >= 3; };
  const out = [];
  for (const e of document.querySelectorAll('a[href], label, summary, button')) {
    const r = e.getBoundingClientRect();
    if (!r.width || getComputedStyle(e).visibility === 'hidden' || sentence(e)) continue;
    if (r.height < min - 0.5 || r.width < min - 0.5)
      out.push(e.tagName + ' ' + (e.textContent || '').trim().slice(0, 16) + ' ' +
               Math.round(r.width) + 'x' + Math.round(r.height));
  }
  return out.slice(0, 8);
}"""
# Text of each kind, to screenshot in 大字 mode: the muted notes, links, money's signs, the
# board's flag cells and header, the badges of actions and flags, the 大字 switch and hint.
SAMPLES = [
    ".crumbs",
    ".note",
    "main a",
    "td.neg",
    "td.pos",
    ".board td.red",
    ".board td.yellow",
    "thead th",
    ".act",
    ".flag.red",
    ".flag.yellow",
    "label.big",
    ".bighint",
]
MIN_CONTRAST = 4.5


# A split town's pages that differ from the demo's: its periods, years, home, village index.
SPLIT_KINDS = re.compile(r"^(\d{4}/|village/$|$)")


def page_kinds(site=None) -> list[str]:
    """One page of each kind of a site (the demo's by default; addresses that differ in their
    numbers only are one kind), the first in its kind's order."""
    kinds: dict[str, str] = {}
    for name in html_pages(site or demo_site()):
        url = name.removesuffix("index.html")
        kinds.setdefault(re.sub(r"[0-9]+", "#", url), url)
    return sorted(kinds.values())


@pytest.fixture(scope="module")
def base_url():
    with serve(demo_site()) as url:
        yield url


@pytest.fixture(scope="module")
def split_town():
    """240 villages in 8 grids over two months: the site is split by grid. (served, pages)"""
    out = county_site(villages=240, periods=2, grids=8, seed=5)
    pages = [url for url in page_kinds(out) if SPLIT_KINDS.search(url)]
    with serve(out) as url:
        yield url, pages


@contextlib.contextmanager
def phone_page(browser) -> Iterator:
    """One page of a phone's browser (360 px, touch), to open one address after another: a
    context for each address cost most of these tests' time."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        yield context.new_page()
    finally:
        context.close()


def open_in(page, base_url: str, url: str, mode: str):
    """Open `url` in `page` with the text at `mode`: the root's font size, or 大字 switched on."""
    page.goto(f"{base_url}/{url}")
    if mode == "large":
        page.click("label.big")  # a real tap on the switch: no script of ours runs
        assert page.evaluate("document.querySelector('#big').checked")
    else:
        page.evaluate(f"document.documentElement.style.fontSize = '{mode}'")
    return page


def first_period() -> str:
    return period_url(demo_results()["periods"][0]["period"])


def first_year() -> str:
    return year_url(demo_results()["years"][0]["year"])


def test_the_sample_covers_every_kind_of_page():
    kinds = page_kinds()
    assert len(kinds) >= 20
    for url in ("", first_period(), first_year(), "village/", "screen/", "data/", "guide/"):
        assert url in kinds


@pytest.mark.parametrize("mode", MODES)
def test_large_text_keeps_every_page_readable_at_360_px(browser, base_url, mode):
    shots = ("", first_period(), "village/")
    assert unreadable(browser, base_url, page_kinds(), mode, shots=shots) == {}


@pytest.mark.parametrize("mode", MODES)
def test_large_text_keeps_a_split_town_s_pages_readable_at_360_px(browser, split_town, mode):
    base, pages = split_town
    assert any(re.fullmatch(r"\d{4}/\d{2}/g\d+/", url) for url in pages)  # a grid's period
    assert any(re.fullmatch(r"\d{4}/grid/g\d+/", url) for url in pages)  # a grid's year
    assert unreadable(browser, base, pages, mode) == {}


def unreadable(browser, base_url: str, pages: list[str], mode: str, shots=()) -> dict:
    """Per page: whether it scrolls sideways, what is cut, squeezed or (大字) too small; the
    full pages of `shots` photographed to test-artifacts/large-<mode>-<page>.png."""
    problems = {}
    with phone_page(browser) as page:
        for url in pages:
            if mode == "large" and OWN_MEDIA.search(url):
                continue
            problems |= problems_of(open_in(page, base_url, url, mode), url, mode, url in shots)
    return problems


def problems_of(page, url: str, mode: str, shot: bool) -> dict:
    """What unreadable() finds on one open page (nothing: {})."""
    cut = page.evaluate(CUT)
    squeezed = page.evaluate(SQUEEZED, SHORT)
    small = page.evaluate(SMALL_TARGETS, TARGET_PX) if mode == "large" else []
    if shot:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"large-{mode.rstrip('%')}-{url.replace('/', '_') or 'home'}.png"
        page.screenshot(path=str(path), full_page=True)
    problems = {}
    if cut["page"] > 0 or cut["cut"] or squeezed or small:
        problems[url] = {"sideways": cut["page"], "cut": cut["cut"], "one a line": squeezed}
        problems[url] |= {"small targets": small} if small else {}
    return problems


def test_the_large_text_switch_is_on_every_page_and_works_without_script(browser, base_url):
    """The switch is a checkbox and its label: the stylesheet reads its state (:has), so it
    works with JavaScript turned off; 大字 makes the body 24 px (18 pt) and says how to keep it."""
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        for url in page_kinds():
            page.goto(f"{base_url}/{url}")
            has_switch = page.locator("label.big input#big").count() == 1
            assert has_switch != bool(OWN_MEDIA.search(url)), url
        page.goto(f"{base_url}/")
        before = page.locator("body").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        hint = page.locator(".bighint")
        assert not hint.is_visible()
        page.click("label.big")
        after = page.locator("body").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert hint.is_visible() and "调大字体" in hint.inner_text()
        page.click("label.big")
        again = page.locator("body").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    finally:
        context.close()
    assert (before, after, again) == (16, 24, 16)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_keeps_its_contrast_in_large_mode(browser, base_url, scheme):
    """Each kind of text, screenshotted in 大字 mode on a page that has it: the contrast between
    its background and its ink (test_site_phone.contrast) is at least 4.5:1."""
    pages = ["", first_period(), first_year(), page_kinds()[-1]]  # a village's is the last
    found: dict[str, float] = {}
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, color_scheme=scheme)
    try:
        for url in pages:
            page = context.new_page()
            page.goto(f"{base_url}/{url}")
            page.click("label.big")
            for selector in SAMPLES:
                if selector in found or not page.locator(selector).count():
                    continue
                element = page.locator(selector).first
                element.scroll_into_view_if_needed()
                found[selector] = contrast(png_rgb(element.screenshot()))
            page.close()
    finally:
        context.close()
    assert sorted(found) == sorted(SAMPLES)
    assert {s: round(c, 2) for s, c in found.items() if c < MIN_CONTRAST} == {}


def test_long_pages_open_with_a_jump_list_to_every_grid_and_village(browser, base_url):
    """The period page: before the first table, a link to each grid and to each village's row
    (the page is several screens long at 130 %)."""
    with phone_page(browser) as page:
        facts = open_in(page, base_url, first_period(), "130%").evaluate(
            """() => { const jump = document.querySelector('nav.jump');
              const rows = [...document.querySelectorAll('table.board tbody tr')].map(r => r.id);
              const grids = [...document.querySelectorAll('section.grid-section')].map(s => s.id);
              const links = [...jump.querySelectorAll('a')].map(a => a.getAttribute('href'));
              const first = document.querySelector('table.board').getBoundingClientRect().top;
              return {rows, grids, links, before: jump.getBoundingClientRect().bottom < first,
                      height: document.documentElement.scrollHeight, screen: innerHeight}; }"""
        )
    assert facts["height"] > 4 * facts["screen"]  # long enough to need it
    assert facts["before"]
    assert sorted(facts["links"]) == sorted(f"#{a}" for a in facts["rows"] + facts["grids"])

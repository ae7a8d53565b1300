"""The demo site on phones, in real Chromium: no page scrolls sideways at 320 px, at 360 px or
at 360 px with WeChat's larger text (130 %); wide tables scroll in their own box, with a
shadow at the edge and their first column kept in view; with dark mode forced, as some phones
do, the yellow flags stay legible (measured on a screenshot)."""

from __future__ import annotations

import re

import numpy as np
import pytest
from _qr_helpers import contrast, luminance
from _qr_helpers import png_rgb as png_pixels
from _site_helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    demo_results,
    demo_site,
    html_pages,
    serve,
)

from generator.site.format import period_url, village_url

# (width, text zoom): WeChat's 「字体大小」 scales every font size, as Android's text zoom does
PHONES = [(320, 1.0), (360, 1.0), (360, 1.3)]
FORCE_DARK = ["--force-dark-mode", "--enable-features=WebContentsForceDark"]
# printed on paper or shown on a wall screen: tested at their own sizes
ELSEWHERE = re.compile(r"(^|/)(screen|poster)/")
PAGES_PER_KIND = 2

ZOOM = """zoom => { const all = [...document.querySelectorAll('body, body *')];
  const sizes = all.map(e => parseFloat(getComputedStyle(e).fontSize));
  all.forEach((e, i) => { e.style.fontSize = sizes[i] * zoom + 'px'; }); }"""
# what sticks out of the page on the right, outside any box that scrolls or clips it
STICKING_OUT = """() => { const width = document.documentElement.clientWidth; const out = [];
  for (const e of document.querySelectorAll('body *')) {
    if (e.getBoundingClientRect().right <= width + 0.5) continue;
    let p = e.parentElement;
    while (p && getComputedStyle(p).overflowX === 'visible') p = p.parentElement;
    if (!p) out.push(e.tagName + '.' + e.className + ': ' + (e.textContent || '').slice(0, 20));
  }
  return {scroll: document.documentElement.scrollWidth, width, out: out.slice(0, 5)}; }"""
SCROLL_BOXES = """() => [...document.querySelectorAll('.scroll')]
  .filter(box => box.scrollWidth > box.clientWidth + 1)
  .map(box => { const cell = box.querySelector('tbody tr > :first-child');
    const before = cell.getBoundingClientRect().left - box.getBoundingClientRect().left;
    box.scrollLeft = 80;
    const after = cell.getBoundingClientRect().left - box.getBoundingClientRect().left;
    return {shift: box.scrollLeft, before, after,
            cue: getComputedStyle(box).backgroundImage}; })"""


@pytest.fixture(scope="module")
def base_url():
    with serve(demo_site()) as url:
        yield url


def launch(playwright, *extra: str):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, *extra])


def phone(browser, width: int):
    return browser.new_context(
        viewport={"width": width, "height": 640}, is_mobile=True, has_touch=True
    )


def sample_pages() -> list[str]:
    """Every kind of page the demo site has, a couple of each: pages whose addresses differ
    only in their numbers are one kind (/2024/03/ and /2025/01/, two villages)."""
    kinds: dict[str, list[str]] = {}
    for name in html_pages(demo_site()):
        url = name.removesuffix("index.html")
        if not ELSEWHERE.search(url):
            kinds.setdefault(re.sub(r"[0-9]+", "#", url), []).append(url)
    return sorted(url for urls in kinds.values() for url in urls[:PAGES_PER_KIND])


def test_the_sample_has_every_kind_of_page():
    doc = demo_results()
    pages = sample_pages()
    for url in ("", "404.html", "history/", "data/", "guide/", "about/", "rules/"):
        assert url in pages
    assert period_url(doc["periods"][0]["period"]) in pages
    assert village_url(doc["villages"][0]["id"]) in pages
    assert f"{doc['years'][0]['year']}/" in pages


@pytest.mark.parametrize(("width", "zoom"), PHONES)
def test_no_page_scrolls_sideways_on_a_phone(browser, base_url, width, zoom):
    context = phone(browser, width)
    page = context.new_page()
    wide = {}
    try:
        for url in sample_pages():
            page.goto(f"{base_url}/{url}")
            if zoom != 1:
                page.evaluate(ZOOM, zoom)
            found = page.evaluate(STICKING_OUT)
            if found["scroll"] > found["width"] or found["out"]:
                wide[url] = found
    finally:
        context.close()
    assert wide == {}


def test_a_wide_table_scrolls_in_its_box_with_a_cue_and_its_first_column_stays(browser, base_url):
    context = phone(browser, 320)
    try:
        page = context.new_page()
        page.goto(f"{base_url}/{village_url(demo_results()['villages'][0]['id'])}")
        boxes = page.evaluate(SCROLL_BOXES)
    finally:
        context.close()
    assert boxes, "the village's monthly scores are wider than a 320 px phone"
    for box in boxes:
        assert box["shift"] > 0 and abs(box["after"] - box["before"]) < 1, box
        assert box["cue"].count("gradient") >= 2, box


# -- forced dark mode -----------------------------------------------------------------------


def test_yellow_flags_stay_legible_when_the_phone_forces_dark_mode(playwright, base_url):
    """A phone in dark mode that also forces dark pages: the site's own dark colours, with the
    yellow flags' dark ink, instead of the browser's darkening (pale ink on yellow). The same
    browser darkens a page that declares no colour scheme: the measure would see it."""
    browser = launch(playwright, *FORCE_DARK)
    page = dark_phone(browser)
    try:
        page.goto(f"{base_url}/")  # the latest period's flags by grid
        assert "dark" in page.evaluate("getComputedStyle(document.documentElement).colorScheme")
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        ours = chip_contrast(page.locator(".flag.yellow").first)
        plain = dark_phone(browser)
        plain.set_content(f"<style>{CHIP}</style><p><a class='flag yellow'>▼黄旗</a></p>")
        darkened = chip_contrast(plain.locator(".flag.yellow"))
    finally:
        browser.close()
    assert luminance(_rgb(background)) < 0.05, "the page is dark in its own colours"
    assert ours >= 4.5
    assert darkened < 4.5, "the browser really forces dark pages"


# a yellow flag as the site draws it, on a page that declares no colour scheme
CHIP = (
    "body { background: #fff; } .flag { display: inline-block; padding: 0 .4em;"
    " font: 600 16px/1.6 sans-serif; background: #f6c73b; color: #3a2c00; }"
)


def dark_phone(browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 640}, device_scale_factor=2, color_scheme="dark"
    )
    return context.new_page()


def chip_contrast(chip, inset: int = 8) -> float:
    """The contrast inside a chip's screenshot, its rounded corners and border cut away."""
    pixels = png_pixels(chip.screenshot())
    return contrast(pixels[inset:-inset, inset:-inset])


def test_the_contrast_measure_tells_pale_text_on_yellow_from_dark_text():
    yellow, dark, pale = (246, 199, 59), (58, 44, 0), (255, 250, 220)
    chip = np.array([[yellow] * 6 + [dark] * 2] * 4, dtype=np.uint8)
    assert contrast(chip) > 7
    assert contrast(np.where(chip == dark, pale, chip).astype(np.uint8)) < 2


def _rgb(css: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", css)[:3])

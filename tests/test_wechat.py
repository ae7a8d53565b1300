"""The 公众号 article (/YYYY/MM/wechat/): what survives the WeChat editor's paste is the whole
article, its tables fit the phone column, and the site's address is text, not a link."""

from __future__ import annotations

import json
import re
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from _site_helpers import (
    FORMULA_NAME,
    browser_required,
    build_site,
    county_site,
    demo_site,
    launch_chromium,
    serve,
    small_town,
)

ARTICLE_RE = re.compile(r'<article id="wechat-article"[^>]*>(.*?)</article>', re.S)
DROPPED_ELEMENTS = {"style", "script"}
VOID = {"br", "img", "hr"}
MAX_COLUMNS = 4


class EditorPaste(HTMLParser):
    """What the WeChat editor keeps of pasted HTML: no <style> or <script> (nor what is in
    them), no class or id, no link targets; inline style stays. Collects the kept HTML, the
    text, every attribute seen and the cells of each table row."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.kept: list[str] = []
        self.text: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.rows: list[int] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in DROPPED_ELEMENTS:
            self._skipping += 1
            return
        self.attributes += [(tag, name) for name, _ in attrs]
        kept = [(n, v) for n, v in attrs if n not in ("class", "id") and (tag, n) != ("a", "href")]
        written = "".join(f' {n}="{escape(v or "")}"' for n, v in kept)
        self.kept.append(f"<{tag}{written}>")
        if tag == "tr":
            self.rows.append(0)
        elif tag in ("td", "th"):
            self.rows[-1] += 1

    def handle_endtag(self, tag):
        if tag in DROPPED_ELEMENTS:
            self._skipping -= 1
        elif tag not in VOID:
            self.kept.append(f"</{tag}>")

    def handle_data(self, data):
        if not self._skipping:
            self.kept.append(escape(data))
            self.text.append(data)


def pasted(html: str) -> EditorPaste:
    parser = EditorPaste()
    parser.feed(html)
    parser.close()
    return parser


def article(page: Path) -> str:
    found = ARTICLE_RE.findall(page.read_text(encoding="utf-8"))
    assert len(found) == 1, "one article box per page"
    return found[0]


@pytest.fixture(scope="module")
def site() -> Path:
    return demo_site()


def periods(site: Path) -> list[str]:
    doc = json.loads((site / "data" / "results.json").read_bytes())
    return [p["period"] for p in doc["periods"]]


def wechat_page(site: Path, period: str) -> Path:
    return site / period.replace("-", "/") / "wechat" / "index.html"


def test_every_period_has_an_article_linked_from_its_page(site):
    for period in periods(site):
        period_page = site / period.replace("-", "/") / "index.html"
        assert f'href="/{period.replace("-", "/")}/wechat/"' in period_page.read_text("utf-8")
        assert wechat_page(site, period).is_file()


def test_the_article_survives_the_editor(site):
    for period in periods(site):
        body = article(wechat_page(site, period))
        paste = pasted(body)
        assert not [a for a in paste.attributes if a[1] in ("class", "id", "href")]
        assert not re.search(r"<(a|style|script|link)\b", body)
        again = pasted("".join(paste.kept))
        assert "".join(again.text) == "".join(paste.text), "the editor keeps every word"
        assert paste.rows and max(paste.rows) <= MAX_COLUMNS
        assert {name for _, name in paste.attributes} <= {"style"}


def test_the_article_names_the_flags_money_and_actions(site):
    doc = json.loads((site / "data" / "results.json").read_bytes())
    period = doc["periods"][-1]["period"]
    names = {v["id"]: v["name"] for v in doc["villages"]}
    text = "".join(pasted(article(wechat_page(site, period))).text)
    flagged = {names[r["village_id"]] for r in doc["flags"] if r["period"] == period and r["flag"]}
    assert flagged and all(name in text for name in flagged)
    for grid in doc["grids"]:
        assert grid["name"] in text
    for action in (a for a in doc["actions"] if a["period"] == period):
        assert action["reason"] in text


def test_the_address_is_text_at_the_end_and_names_are_escaped(tmp_path):
    scores = small_town(tmp_path / "scores")
    out = build_site(scores, tmp_path / "out", SITEURL="https://example.org/town").out
    body = article(out / "2024" / "02" / "wechat" / "index.html")
    text = "".join(pasted(body).text).strip()
    assert re.search(r"https://example\.org/town/2024/02/\?v=[0-9a-f]{8}$", text)
    assert "<a" not in body
    assert "<script>" not in body and FORMULA_NAME in text


def address_version(out: Path, month: str) -> str:
    body = article(out / month.replace("-", "/") / "wechat" / "index.html")
    return re.search(r"\?v=([0-9a-f]{8})", "".join(pasted(body).text)).group(1)


def test_the_address_carries_the_periods_version_so_wechat_fetches_a_corrected_page(tmp_path):
    """WeChat's browser keeps pages it has shown: the article's link changes with the period's
    results (a 复议 correction), so a reader gets the page anew, and only then."""
    scores = small_town(tmp_path / "scores")
    site = {"SITEURL": "https://example.org/town"}
    first = build_site(scores, tmp_path / "first", **site).out
    again = build_site(scores, tmp_path / "again", **site).out
    february = scores / "2024" / "2024-02.csv"
    february.write_bytes(february.read_bytes().replace(b"91", b"95", 1))
    corrected = build_site(scores, tmp_path / "corrected", **site).out
    assert address_version(first, "2024-02") == address_version(again, "2024-02")
    assert address_version(first, "2024-02") != address_version(corrected, "2024-02")
    assert address_version(first, "2024-01") == address_version(corrected, "2024-01")


def test_the_article_fits_a_phone(site):
    playwright_api = pytest.importorskip("playwright.sync_api")
    period = periods(site)[-1]
    with serve(site) as base, playwright_api.sync_playwright() as playwright:
        try:
            browser = launch_chromium(playwright)
        except Exception as error:  # no browser on this machine
            if browser_required():
                raise
            pytest.skip(f"Chromium unavailable: {error}")
        page = browser.new_page(viewport={"width": 360, "height": 740})
        page.goto(f"{base}/{period.replace('-', '/')}/wechat/")
        box = page.eval_on_selector(
            "#wechat-article",
            "e => ({right: e.getBoundingClientRect().right, scroll: e.scrollWidth,"
            " client: e.clientWidth, page: document.documentElement.scrollWidth,"
            " tables: [...e.querySelectorAll('table')].map(t => t.getBoundingClientRect().right)})",
        )
        browser.close()
    assert box["right"] <= 360 and box["page"] <= 360
    assert box["scroll"] <= box["client"]
    assert box["tables"] and max(box["tables"]) <= box["right"]


def test_a_split_town_s_article_says_each_grid_s_results_in_paragraphs():
    """A town split by grid (more villages than a page holds): each grid in a section of its
    own, its flags by category, its villages' money (signed ＋/－) and its actions as text;
    every flagged village and every village with money named; still what the editor keeps."""
    from generator.site.format import signed_yuan

    out = county_site(villages=240, periods=2, grids=8, seed=5)
    doc = json.loads((out / "data" / "results.json").read_bytes())
    period = doc["periods"][-1]["period"]
    body = article(wechat_page(out, period))
    paste = pasted(body)
    text = "".join(paste.text)
    assert body.count("<section>") == len(doc["grids"]) and "<table" not in body
    assert {name for _, name in paste.attributes} <= {"style"}
    names = {v["id"]: v["name"] for v in doc["villages"]}
    for r in doc["rewards"]:
        if r["period"] == period and (r["reward"] or r["penalty"]):
            assert names[r["village_id"]] + signed_yuan(r["net"]) in text
    for grid in doc["grids"]:
        assert grid["name"] in text
    acted = {names[a["village_id"]] for a in doc["actions"] if a["period"] == period}
    assert acted and all(name in text for name in acted)

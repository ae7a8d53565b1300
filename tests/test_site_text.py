"""What the demo site's pages say, character by character: only characters of the GBK set
(phones with only Chinese fonts show anything else as boxes), full-width punctuation next to
Chinese text, and titles that say what a page is and whose it is (a WeChat share card shows
nothing else)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import html5lib
import pytest
from _site_helpers import demo_results, demo_scores, demo_site, page_trees

from generator.site.format import period_url, village_url

HAN = r"[\u3400-\u9fff\uf900-\ufaff]"
# , : ; ( ) ? ! written half-width right before or after a Chinese character
HALF_WIDTH = re.compile(rf"(?<={HAN})[,:;()?!]|[,:;()?!](?={HAN})")
URL = re.compile(r"(?:https?|ftp)://\S+|www\.\S+")
# text that is code or data, not prose: shown as written
NOT_PROSE = {"pre", "code", "script", "style", "template"}
# printed on paper or shown on a wall screen: no site footer
ELSEWHERE = re.compile(r"(^|/)(screen|poster)/")


@pytest.fixture(scope="module")
def pages() -> dict[str, object]:
    return page_trees(demo_site())


def visible_text(tree) -> str:
    """The title and the body's text, without code, scripts and URLs."""
    found: list[str] = [tree.findtext("head/title") or ""]

    def walk(element) -> None:
        if element.tag not in NOT_PROSE:
            found.append(element.text or "")
            for child in element:
                walk(child)
        found.append(element.tail or "")

    walk(tree.find("body"))
    return URL.sub(" ", "".join(found))


def half_width_marks(text: str) -> list[str]:
    return [text[max(0, m.start() - 8) : m.end() + 8] for m in HALF_WIDTH.finditer(text)]


def test_the_rule_sees_half_width_marks_and_leaves_full_width_ones_and_urls():
    assert len(half_width_marks("得分相同的并列,前三名(先进村)")) == 3
    assert half_width_marks("得分相同的并列，前三名（先进村）：见 2024-05") == []
    tree = html5lib.parse(
        "<title>标题</title><p>见<a href='x'>https://a.example/b,c</a><code>村名:</code></p>",
        namespaceHTMLElements=False,
    )
    assert half_width_marks(visible_text(tree)) == []


def test_every_page_uses_only_characters_of_the_gbk_set(pages):
    outside = {}
    for name, tree in pages.items():
        text = visible_text(tree)
        for char in set(text):
            try:
                char.encode("gbk")
            except UnicodeEncodeError:
                outside.setdefault(f"U+{ord(char):04X} {char}", []).append(name)
    assert outside == {}, {k: v[:3] for k, v in outside.items()}


def test_no_page_writes_half_width_punctuation_next_to_chinese(pages):
    found = {
        name: marks[:5]
        for name, tree in pages.items()
        if (marks := half_width_marks(visible_text(tree)))
    }
    assert found == {}, f"{sum(len(v) for v in found.values())} 处半角标点：{found}"


# -- titles -------------------------------------------------------------------------------


def _title(tree) -> tuple[str, str]:
    og = next(m.get("content") for m in tree.iter("meta") if m.get("property") == "og:title")
    return tree.findtext("head/title"), og


def test_every_page_title_names_the_town_and_is_its_share_title(pages):
    town = demo_results()["town"]["name"]
    titles = {name: _title(tree) for name, tree in pages.items()}
    assert {n: t for n, (t, og) in titles.items() if t != og} == {}
    assert [n for n, (t, _) in titles.items() if town not in t] == []
    doubles = {}
    for name, (title, _) in titles.items():
        doubles.setdefault(title, []).append(name)
    assert {t: n for t, n in doubles.items() if len(n) > 1} == {}, "two pages, one title"


def test_titles_say_what_the_page_is_and_whose(pages):
    doc = demo_results()
    town = doc["town"]["name"]
    period = doc["periods"][-1]["period"]
    year, month = period.split("-")
    village = doc["villages"][0]
    title = {name: _title(tree)[0] for name, tree in pages.items()}
    assert title["index.html"] == f"{town}红黄旗评比结果公示"
    assert title[period_url(period) + "index.html"] == f"{town}{year}年{int(month)}月红黄旗评比结果"
    assert title[f"{year}/index.html"] == f"{town}{year}年度红黄旗评比汇总"
    assert title[village_url(village["id"]) + "index.html"] == (
        f"{village['name']}评比结果 · {town}红黄旗评比"
    )
    grid = doc["grids"][0]
    assert title[f"grid/{grid['id']}/index.html"] == f"{grid['name']}评比结果 · {town}红黄旗评比"
    assert title["history/index.html"] == f"数据修订历史 · {town}红黄旗评比"
    assert title["data/index.html"] == f"数据下载 · {town}红黄旗评比"
    assert title["404.html"] == f"找不到这个页面 · {town}红黄旗评比"
    assert title["about/index.html"] == f"关于本站 · {town}红黄旗评比"


# -- the public notice -----------------------------------------------------------------------


def test_every_footer_shows_the_towns_notice(pages):
    notice = tomllib.loads((Path(demo_scores()) / "town.toml").read_text("utf-8"))["notice"]
    missing = []
    for name, tree in pages.items():
        if ELSEWHERE.search(name):
            continue
        footer = tree.find(".//footer")
        text = "".join(footer.itertext())
        icp = [a for a in footer.iter("a") if a.get("href") == "https://beian.miit.gov.cn/"]
        if not (
            f"发布单位：{notice['issuer']}" in text
            and f"联系方式：{notice['contact']}" in text
            and [a.text for a in icp] == [notice["icp"]]
        ):
            missing.append(name)
    assert missing == []

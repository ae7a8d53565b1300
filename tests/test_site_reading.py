"""Every reader understands a result (issue 10 #1-#4, #7): a village's 当前状态 with what one more
yellow flag brings, the plan's words for actions, unfinished years, the rules page from
town.toml, and finding one's village. One test town is built with the real pipeline; what the
status page predicts is checked against the real rules run on one more month."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from _sentence_helpers import page_text
from _site_helpers import (
    CHROMIUM,
    browser_required,
    build_site,
    launch_chromium,
    serve,
)
from towns import Town

from generator.labels import ACTION_TITLES
from generator.townwords import TownWords

ACTION_MEANINGS = TownWords.of(Town().name).action_meanings  # in the test town's words

CATEGORIES = [
    ("a", "甲项", "monthly"),
    ("b", "乙项", "monthly"),
    ("c", "丙项", "monthly"),
    ("yr", "年度项", "annual"),
]
COLUMNS = ["甲项", "乙项", "丙项"]
RULES = [
    {"from": "2023-01", "red_count": 3, "yellow_count": 1},
    {"from": "2024-01", "red_count": 2, "yellow_count": 1, "reward_tiers": [2000, 4000, 6000]},
]
# A village's usual score (the same in each category): the lowest of a grid gets its yellow flag
BASE = {"V1": 90, "V2": 85, "V3": 80, "V4": 75, "V5": 70, "V6": 65}
BASE2 = {"W1": 90, "W2": 85, "W3": 80, "W4": 75}
FORMER = ("V2", "旧二村")
ENDED = "V7"  # merged away after 2024-01
UNSCORED = "W2"  # blank in 丙项 in 2024-02


def _month(g1: dict, g2: dict) -> dict:
    return {v: [s] * 3 if isinstance(s, int) else s for v, s in {**g1, **g2}.items()}


def town() -> Town:
    """g1: V6 gets three yellow flags in 2023-12 and 2024-01, then V5 three in 2024-02; V1 is
    red everywhere. g2: W4 gets one yellow flag in 2024-01 and 2024-02 (W3 the others)."""
    t = Town(categories=list(CATEGORIES), rules=list(RULES), grids=["g1", "g2"])
    t.villages = [(v, "g1") for v in BASE] + [(w, "g2") for w in BASE2]
    t.villages.append((ENDED, "g1", "", "2024-01"))
    w_dec = {**BASE2, "W3": 60}
    w_jan = {"W1": 90, "W2": 85, "W3": [80, 70, 70], "W4": [60, 75, 75]}
    t.month("2023-12", _month({**BASE, ENDED: 78}, w_dec), COLUMNS)
    t.month("2024-01", _month({**BASE, ENDED: 78}, w_jan), COLUMNS)
    w_feb = {**w_jan, UNSCORED: [85, 85, None]}  # not evaluated in 丙项
    t.month("2024-02", _month({**BASE, "V6": 72}, w_feb), COLUMNS)
    return t


def write_town(t: Town, root: Path) -> Path:
    """The town's files, with a 曾用名 column in villages.csv."""
    t.write(root)
    path = root / "villages.csv"
    lines = path.read_bytes().decode("utf-8-sig").splitlines()
    lines[0] += ",曾用名"
    lines[1:] = [
        line + ("," + FORMER[1] if line.startswith(FORMER[0] + ",") else ",") for line in lines[1:]
    ]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("reading")
    build_site(write_town(town(), root / "scores"), root / "out")
    return root / "out"


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def section(markup: str, ident: str) -> str:
    start = markup.index(f'id="{ident}"')
    return markup[start : markup.index("</section>", start)]


def next_steps(site: Path, village: str) -> list[tuple[int, str]]:
    """(flags, text) of each line of the village's 接下来 list."""
    status = section(page(site, f"village/{village}"), "status")
    block = status[status.index('class="plain next"') :]
    block = block[: block.index("</ul>")]
    steps = []
    for item in re.findall(r"<li>(.*?)</li>", block, flags=re.S):
        words = page_text(item)
        found = re.match(r"\s*如2024年内的下一期得(\d+)面及以上黄旗", words)
        if not words.strip().startswith("如2024年内的下一期"):
            continue  # the next year's lines: test_predictions.py
        steps.append((int(found.group(1)) if found else 1, words))
    return steps


def predicted(site: Path, village: str, flags: int) -> set[str]:
    """The actions the page says `flags` yellow flags next period bring."""
    words = " ".join(t for n, t in next_steps(site, village) if n <= flags)
    return {a for a, meaning in ACTION_MEANINGS.items() if meaning in words}


def actual(village: str, flags: int) -> set[str]:
    """What the rules give when the village is last in `flags` categories in 2024-03."""
    before = town()
    after = town()
    scores = {**BASE, **BASE2}
    march = {v: [s] * 3 for v, s in scores.items()}
    middle = 77 if village in BASE else 82  # neither red nor last in its grid
    march[village] = [10] * flags + [middle] * (3 - flags)
    after.month("2024-03", march, COLUMNS)
    old, new = (_actions(t.compute(), village) for t in (before, after))
    return {a for p, a in new - old if p in ("2024-03", "2024")}


def _actions(results, village: str) -> set[tuple[str, str]]:
    rows = results.actions[results.actions["village_id"] == village]
    return set(zip(rows["period"], rows["action"], strict=True))


@pytest.mark.parametrize("village", ["V1", "V5", "V6", "W3", "W4"])
@pytest.mark.parametrize("flags", [1, 2, 3])
def test_what_one_more_yellow_flag_brings_is_what_the_rules_do(site, village, flags):
    assert predicted(site, village, flags) == actual(village, flags)


def test_two_consecutive_yellow_flags_name_the_next_step_and_the_cadres(site):
    status = page_text(section(page(site, "village/W4"), "status"))
    assert "已连续2期得黄旗" in status
    first = next_steps(site, "W4")[0][1]
    assert first.startswith("如2024年内的下一期再得黄旗：")
    assert "主职干部" in first
    assert ACTION_MEANINGS["warning"] in first and ACTION_MEANINGS["star_loss"] in first
    assert ACTION_MEANINGS["suspension"] not in " ".join(t for _, t in next_steps(site, "W4"))
    assert ACTION_TITLES["warning"] in status  # in force this period


def test_three_yellow_flags_warn_of_suspension_at_three_more(site):
    steps = next_steps(site, "V5")
    assert [n for n, _ in steps][-1] == 3
    assert ACTION_MEANINGS["suspension"] in steps[-1][1]
    assert ACTION_MEANINGS["suspension"] not in steps[0][1]


def test_a_red_only_village_has_rank_context_and_links_to_its_rows(site):
    markup = page(site, "village/V1")
    status = section(markup, "status")
    assert markup.index('id="status"') < markup.index('class="stats"')  # first under the title
    words = page_text(status)
    assert "★红旗 3面" in words and "▼黄旗" not in words
    assert words.count("第1名／共6村") == 3
    assert "本期没有约谈、警告或停职" in words
    assert next_steps(site, "V1")[0][1].startswith("如2024年内的下一期得黄旗：")
    links = re.findall(r'href="/(2024/02/)#(v-V1)"', status)
    assert len(links) == 3  # a category each, to the village's row of the period's table
    period = page(site, "2024/02")
    assert '<tr id="v-V1"' in period
    assert 'id="grid-g1"' in period and 'id="grid-g2"' in period


def test_actions_name_the_cadres_they_concern(site):
    actions = page_text(section(page(site, "2024/01"), "actions"))
    assert "V6村 村主职干部停职、警告、约谈" in actions  # one row, every action of the village
    named = re.sub(r"村主职干部(停职|约谈|警告)(、(停职|约谈|警告))*", "", actions)
    assert not re.search(r"(停职|约谈|警告) ", named)  # never as if the village were meant
    home = page_text(page(site, ""))
    assert "村主职干部约谈" in home
    history = page_text(section(page(site, "village/V6"), "actions"))
    assert "村主职干部停职" in history and "2024年" in history and "2023年" in history


def test_an_unfinished_year_says_so_and_a_finished_one_does_not(site):
    year = page_text(page(site, "2024"))
    assert "截至2024年2月" in year and "年底确定" in year
    assert ACTION_MEANINGS["priority"] in year  # what priority brings
    assert "红旗总面数" in year  # and how it is ranked
    finished = page_text(page(site, "2023"))
    assert "截至" not in finished and "年底确定" not in finished
    village = page_text(section(page(site, "village/V1"), "status"))
    assert "截至2024年2月，年底确定" in village
    grid = page_text(page(site, "grid/g1"))
    assert "截至2024年2月" in grid


def test_the_rules_page_follows_town_toml(site):
    rules = page_text(page(site, "rules")).replace(" ", "")
    now = page_text(section(page(site, "rules"), "in-force")).replace(" ", "")
    assert "前两名得红旗" in now and "后一名得黄旗" in now
    assert "2,000" in now and "6,000" in now
    assert "2024年1月起（现行）前两名" in rules
    assert "2023年1月至2023年12月" in rules  # the earlier version, with its months
    for name in ("甲项", "乙项", "丙项", "年度项"):
        assert name in now
    assert "一票否决" in rules and "媒体曝光" in rules  # the plan's veto triggers
    assert "缺考" in rules  # cells read as not evaluated


def test_the_rules_page_before_the_rule_change_says_the_old_rule(tmp_path):
    """The same Markdown, built before the town added its 2024 version: 前三名, one version."""
    t = town()
    t.rules = [RULES[0]]
    build_site(write_town(t, tmp_path / "scores"), tmp_path / "out")
    now = page_text(section(page(tmp_path / "out", "rules"), "in-force")).replace(" ", "")
    assert "前三名得红旗" in now and "前两名" not in now and "1,000" in now
    assert "历次规则" not in now


def test_the_village_index_lists_every_village_by_grid(site):
    index = page(site, "village")
    for vid in [*BASE, *BASE2]:
        assert f'href="/village/{vid}/"' in index
    assert 'href="#grid-g1"' in index and 'id="grid-g2"' in index
    assert FORMER[1] in page_text(index)
    assert FORMER[1] in page_text(page(site, f"village/{FORMER[0]}"))
    home = page(site, "")
    assert home.index('id="find"') < home.index('<ul class="glance">')
    for path in ("", "2024/02", "village/V1", "rules"):
        assert 'href="/village/">找我的村</a>' in page(site, path)


def test_the_status_fits_a_phone_screen(site):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if browser_required():
            raise
        pytest.skip("playwright 没有安装")
    if not CHROMIUM.exists():
        if browser_required():
            pytest.fail(f"找不到浏览器 {CHROMIUM}")
        pytest.skip(f"找不到浏览器 {CHROMIUM}")
    with serve(site) as url, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            view = browser.new_page(viewport={"width": 360, "height": 740})
            view.goto(f"{url}/village/W4/")
            box = view.locator("#status").bounding_box()
            assert box["y"] < 740  # begins on the first screen
            assert box["x"] >= 0 and box["x"] + box["width"] <= 360
            assert view.locator("#status h2").inner_text() == "当前状态"
        finally:
            browser.close()


def test_a_village_no_longer_evaluated_is_told_so_without_next_steps(site):
    status = page_text(section(page(site, f"village/{ENDED}"), "status"))
    assert "不在参评范围内" in status
    assert "下一期" not in status and "第一期" not in status and "本期处理措施" not in status


def test_a_category_the_village_was_not_scored_in_says_so(site):
    status = section(page(site, f"village/{UNSCORED}"), "status")
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", status, flags=re.S)
    assert [page_text(r).split()[0] for r in rows] == ["甲项", "乙项", "丙项"]
    assert "未参评" in page_text(rows[2]) and "未参评" not in page_text(rows[0])

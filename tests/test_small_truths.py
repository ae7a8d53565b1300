"""Small truths (issue 19 #8): a merged village's page says until when it took part and links the
village it joined (villages.csv's 并入, refused when it cannot be true), a village scored in no
category reads 本期未参评, dates in sentences read 2024年1月, categories keep town.toml's order."""

from __future__ import annotations

import re

import pytest
from _sentence_helpers import page_text
from _site_helpers import build_site
from towns import Town

from generator import demo
from generator.load import load_files
from generator.problems import InvalidData

COLUMNS = ["甲项", "乙项", "丙项"]
HEADER = ["编号", "村名", "网格", "起始月份", "终止月份", "并入"]


def merged_town(successor: str = "双河村", end: str = "2024-01") -> dict[str, bytes]:
    """上河村 and 下河村 take part to January, then 双河村 from February."""
    town = Town(
        categories=[("a", "甲项", "monthly"), ("b", "乙项", "monthly"), ("c", "丙项", "monthly")],
        names={"V1": "上河村", "V2": "下河村", "V3": "双河村", "V4": "东岭村", "V5": "西岭村"},
    )
    january = {"V1": [60, 70, 80], "V2": [70, 80, 90], "V4": [80, 90, 60], "V5": [90, 60, 70]}
    town.month("2024-01", january, COLUMNS)
    town.month("2024-02", {"V3": [75, 85, 65], "V4": [85, 65, 75], "V5": [65, 75, 85]}, COLUMNS)
    grid = town.villages[0][1]
    rows = [
        HEADER,
        ["V1", "上河村", grid, "", end, successor],
        ["V2", "下河村", grid, "", "2024-01", "V3"],
        ["V3", "双河村", grid, "2024-02", "", ""],
        ["V4", "东岭村", grid, "", "", ""],
        ["V5", "西岭村", grid, "", "", ""],
    ]
    return town.files() | {"villages.csv": town.csv(rows)}


def problems_of(files: dict[str, bytes]) -> list[tuple]:
    with pytest.raises(InvalidData) as caught:
        load_files(files)
    return [(p.file, p.row, p.column, p.code) for p in caught.value.problems]


def test_a_merged_village_names_the_village_it_joined_by_id_or_name():
    data = load_files(merged_town())
    assert {v.id: v.successor for v in data.villages} == {
        "V1": "V3",
        "V2": "V3",
        "V3": None,
        "V4": None,
        "V5": None,
    }


@pytest.mark.parametrize(
    ("successor", "end", "row"),
    [("南河村", "2024-01", 2), ("上河村", "2024-01", 2), ("双河村", "", 2)],
)
def test_a_successor_that_cannot_be_true_is_refused_with_its_row(successor, end, row):
    files = merged_town(successor, end)
    found = [p for p in problems_of(files) if p[2] == "并入"]
    assert found and found[0][:2] == ("scores/villages.csv", row)
    assert found[0][3] == "bad_successor"


def test_a_successor_that_ended_first_is_refused():
    files = merged_town()
    rows = [r.split(",") for r in files["villages.csv"].decode("utf-8-sig").splitlines()]
    rows[4][4] = "2024-01"  # 东岭村 ends in January too, and 下河村 is said to join it
    rows[2][5] = "东岭村"
    files["villages.csv"] = "\r\n".join(",".join(r) for r in rows).encode("utf-8")
    found = [p for p in problems_of(files) if p[2] == "并入"]
    assert [(p[1], p[3]) for p in found] == [(3, "bad_successor")]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("small-truths")
    files = merged_town()
    for path, data in files.items():
        (root / "scores" / path).parent.mkdir(parents=True, exist_ok=True)
        (root / "scores" / path).write_bytes(data)
    build_site(root / "scores", root / "out")
    return root / "out"


def read(out, *parts) -> str:
    return page_text((out.joinpath(*parts) / "index.html").read_text("utf-8"))


def test_the_merged_village_page_says_until_when_and_links_where_it_went(site):
    page = read(site, "village", "V1")
    assert "本村参评至2024年1月，此后并入 双河村 ，以后的结果见该村的页面。" in page
    markup = (site / "village" / "V1" / "index.html").read_text("utf-8")
    merged = re.search(r'<p class="meta merged">(.*?)</p>', markup).group(1)
    assert 'href="/village/V3/"' in merged
    assert "此后并入双河村" in page  # 当前状态, too
    joined = read(site, "village", "V3")
    assert "由 上河村 、 下河村 撤并而来" in joined
    assert "撤并" not in read(site, "village", "V4")


# -- 本期未参评, months in words, one order of categories --------------------------------------


def test_a_village_scored_in_no_category_reads_not_evaluated(tmp_path):
    town = Town(names={"V1": "甲村", "V2": "乙村", "V3": "丙村", "V4": "丁村"})
    town.month("2024-01", {"V1": 90, "V2": 80, "V3": 70, "V4": None})
    build_site(town.write(tmp_path / "scores"), tmp_path / "out")
    page = read(tmp_path / "out", "village", "V4")
    assert "本期未参评" in page and "本期没有获得红旗或黄旗" not in page
    assert page.count("本期未参评") == 2  # 当前状态 and the month's line
    period = read(tmp_path / "out", "2024", "01")
    assert "3个村参评" in period


def test_sentences_name_months_in_words_never_as_keys(tmp_path):
    """The reasons of actions (from rules.py) and every other sentence of the demo's pages:
    no 2024-03 in visible text outside tables of data and file names."""
    files = demo.demo_files()
    root = tmp_path / "scores"
    for path, data in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data)
    out = tmp_path / "out"
    build_site(root, out)
    checked = 0
    for kind in ("village", "2024"):
        for page in sorted((out / kind).rglob("index.html")):
            markup = page.read_text("utf-8")
            markup = re.sub(r"<(a|code|time)\b[^>]*>.*?</\1>", "", markup, flags=re.S)
            text = page_text(markup)
            assert not re.search(r"(?<![\d/-])20\d\d-(0[1-9]|1[0-2])(?![\d-])", text), (
                page,
                re.search(r".{40}20\d\d-\d\d.{40}", text),
            )
            checked += 1
    assert checked > 30


def test_a_villages_months_list_categories_in_town_order(tmp_path):
    files = demo.demo_files()
    data = load_files(files)
    order = [c.name for c in data.town.categories]
    root = tmp_path / "scores"
    for path, content in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(content)
    build_site(root, tmp_path / "out")
    seen = columns = 0
    for page in sorted((tmp_path / "out" / "village").glob("*/index.html")):
        markup = page.read_text("utf-8")
        for listed in re.findall(r"[★▼](?:红旗|黄旗) \d+面：([^ 。]+)", page_text(markup)):
            names = listed.split("、")
            assert names == sorted(names, key=order.index), (page, listed)
            seen += 1
        # the months' table: a column per category, in town.toml's order
        for head in re.findall(r"<thead>(.*?)</thead>", markup, flags=re.S):
            named = [n for n in re.findall(r"<th[^>]*>([^<]+)</th>", head) if n in order]
            assert named == sorted(named, key=order.index), (page, named)
            columns += len(named) > 1
    assert seen > 20 and columns > 20

"""generator/townwords.py: the town's level (镇, 乡, 街道), its members' word and the phrases made
of them; town.toml's `kind`; the {全镇} phrases of content/ prose."""

from __future__ import annotations

import pytest
from towns import Town

from generator.labels import ACTION_MEANINGS
from generator.load import load_files
from generator.problems import InvalidData
from generator.townwords import TownWords, level_of, members_word, village_kind


@pytest.mark.parametrize(
    ("name", "kind", "level"),
    [
        ("花木镇", None, "镇"),
        ("白石乡", None, "乡"),
        ("城南街道", None, "街道"),
        ("白石", None, "镇"),  # no level in the name: 镇
        ("白石镇", "乡", "乡"),  # town.toml's kind wins over the name
        ("城南", "街道", "街道"),
    ],
)
def test_the_level_is_the_kind_else_the_names_ending_else_zhen(name, kind, level):
    assert level_of(name, kind) == level


def test_members_are_cun_shequ_or_both():
    assert village_kind("荷花社区") == "社区" and village_kind("荷花村") == "村"
    assert members_word(["甲村", "乙村"]) == "村"
    assert members_word(["甲社区", "乙社区"]) == "社区"
    assert members_word(["甲村", "乙社区"]) == "村（社区）"
    assert members_word([]) == "村"


@pytest.mark.parametrize(
    ("name", "phrases"),
    [
        ("花木镇", ["全镇", "本镇", "镇党政办", "镇主要领导", "镇班子成员", "花木镇人民政府"]),
        ("白石乡", ["全乡", "本乡", "乡党政办", "乡主要领导", "乡班子成员", "白石乡人民政府"]),
        (
            "城南街道",
            ["全街道", "本街道", "街道党政办", "街道主要领导", "街道班子成员", "城南街道办事处"],
        ),
    ],
)
def test_every_phrase_is_in_the_towns_own_words(name, phrases):
    words = TownWords.of(name).context()
    got = [words[k] for k in ("whole", "own", "office", "leaders", "team", "issuer")]
    assert got == phrases


def test_prose_tokens_are_filled_and_doubled_braces_stay():
    xiang = TownWords.of("白石乡", None, ["甲村", "乙社区"])
    street = TownWords.of("城南街道")
    text = "由{镇党政办}维护，{全镇}各{村}；经{镇党委}会研究，{镇人民政府}发布。写成 {{全镇}}，{filename}。"
    assert xiang.fill(text) == (
        "由乡党政办维护，全乡各村（社区）；经乡党委会研究，乡人民政府发布。写成 {全镇}，{filename}。"
    )
    assert street.fill(text) == (
        "由街道党政办维护，全街道各村；经街道党工委会研究，街道办事处发布。写成 {全镇}，{filename}。"
    )
    assert street.fill("没有花括号的文字") == "没有花括号的文字"


def test_action_meanings_have_no_token_left_and_name_the_towns_leaders():
    for name in ("花木镇", "白石乡", "城南街道"):
        meanings = TownWords.of(name).action_meanings
        assert set(meanings) == set(ACTION_MEANINGS)
        assert not any("{" in text for text in meanings.values())
    assert TownWords.of("白石乡").action_meanings["interview"].startswith("乡主要领导约谈")


def test_town_toml_kind_is_read_and_checked(tmp_path):
    town = Town(name="白石")
    data = town.load()
    assert (data.town.kind, data.town.level, data.words.level) == (None, "镇", "镇")
    toml = town.toml().replace('town = "白石"', 'town = "白石"\nkind = "乡"')
    files = town.files() | {"town.toml": toml.encode()}
    assert load_files(files).words.whole == "全乡"
    bad = town.toml().replace('town = "白石"', 'town = "白石"\nkind = "县"')
    with pytest.raises(InvalidData) as error:
        load_files(town.files() | {"town.toml": bad.encode()})
    (problem,) = error.value.problems
    assert (problem.row, problem.column, problem.code) == (2, "kind", "bad_town")
    assert "只能是 镇、乡 或 街道" in problem.message


def test_the_priority_reason_and_the_summary_use_the_towns_words():
    town = Town(name="城南街道", names={"A1": "甲社区", "A2": "乙社区", "A3": "丙村"})
    town.month("2024-01", {"A1": 90, "A2": 80, "A3": 70})
    data, results = town.load(), town.compute()
    priority = results.actions[results.actions["action"] == "priority"]
    assert priority["reason"].str.contains("，全街道第").all() and len(priority)
    assert "3 个村（社区）" in data.summary()

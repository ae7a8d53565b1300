"""Issue 17 class 4, docs/data-format.md §2.1「干净的文字」: names are what readers see. Town, grid,
category and village names (and former names) are checked against an allow-list (CJK ideographs,
English letters and digits, ·（）()-—、 and spaces); every other character is refused by its code.
Names equal after NFKC without white space are one name. Ids may not be a name the site uses
for its own pages, nor (grids) another grid's name. Real files through the real loader."""

from __future__ import annotations

import pytest
from towns import Town

from generator import routes
from generator.names import foreign_characters, is_name_character
from generator.problems import InvalidData, unsafe_characters

# What renders as nothing or as something else: each refused by its code.
HOSTILE = {
    "U+3164": "\u3164",  # HANGUL FILLER
    "U+115F": "\u115f",  # HANGUL CHOSEONG FILLER
    "U+1160": "\u1160",  # HANGUL JUNGSEONG FILLER
    "U+FFA0": "\uffa0",  # HALFWIDTH HANGUL FILLER
    "U+2800": "\u2800",  # BRAILLE PATTERN BLANK
    "U+200B": "\u200b",  # ZERO WIDTH SPACE
    "U+200D": "\u200d",  # ZERO WIDTH JOINER
    "U+202E": "\u202e",  # RIGHT-TO-LEFT OVERRIDE
    "U+FEFF": "\ufeff",  # BYTE ORDER MARK
    "U+00AD": "\u00ad",  # SOFT HYPHEN
    "U+00A0": "\u00a0",  # NO-BREAK SPACE
    "U+2028": "\u2028",  # LINE SEPARATOR
    "U+FE0F": "\ufe0f",  # VARIATION SELECTOR-16
    "U+E0100": "\U000e0100",  # VARIATION SELECTOR-17
    "U+0301": "\u0301",  # COMBINING ACUTE ACCENT, alone
    "U+034F": "\u034f",  # COMBINING GRAPHEME JOINER
    "U+E0041": "\U000e0041",  # TAG LATIN CAPITAL LETTER A
    "U+E000": "\ue000",  # private use
    "U+F0000": "\U000f0000",  # supplementary private use
    "U+FFFE": "\ufffe",  # non-character
    "U+FDD0": "\ufdd0",  # non-character
    "U+0378": "\u0378",  # unassigned
    "U+2B81E": "\U0002b81e",  # unassigned, inside a block of CJK ideographs
    "U+0430": "\u0430",  # CYRILLIC SMALL LETTER A, looks like a
    "U+03BF": "\u03bf",  # GREEK SMALL LETTER OMICRON, looks like o
    "U+2160": "\u2160",  # ROMAN NUMERAL ONE, looks like I
    "U+2460": "\u2460",  # CIRCLED DIGIT ONE
    "U+1D400": "\U0001d400",  # MATHEMATICAL BOLD CAPITAL A
    "U+00E9": "\u00e9",  # é: a letter of another alphabet than English
    "U+1F600": "\U0001f600",  # emoji
    "U+003D": "=",
    "U+003C": "<",
    "U+0026": "&",
    "U+0022": '"',
    "U+002C": ",",
    "U+002F": "/",
    "U+005C": "\\",
    "U+0040": "@",
    "U+002B": "+",
    "U+0009": "\t",
    "U+001B": "\x1b",
}
ALLOWED = [
    "东山村", "A区", "Ａ区", "二〇二四村", "东山村（新）", "东山·西村", "前进-1组", "一、二组",
    "上—下村", "豈村", "𠀀村", "１组", "A 区", "荷花社区(一)", "ABC",
]  # fmt: skip


@pytest.mark.parametrize("code", sorted(HOSTILE))
def test_a_character_outside_the_allow_list_is_named_by_its_code(code):
    assert foreign_characters(f"东山{HOSTILE[code]}村") == [code]


@pytest.mark.parametrize("name", ALLOWED)
def test_names_of_ideographs_english_letters_digits_and_the_marks_pass(name):
    assert foreign_characters(name) == []


def test_every_character_is_judged_once_in_order():
    assert foreign_characters("\u3164a\u200b\u3164b\u0430") == ["U+3164", "U+200B", "U+0430"]


def test_the_allow_list_is_exactly_its_classes():
    """Every code point of the BMP: allowed only if an assigned CJK ideograph, an English letter
    or digit (half or full width), 〇, a listed mark or a space."""
    import unicodedata

    for code in range(0x10000):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue
        expected = (
            (char.isascii() and char.isalnum())
            or (0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A)
            or char in "·（）()-—、 \u3000\u3007"
            or (unicodedata.category(char) == "Lo" and "CJK" in unicodedata.name(char, ""))
        )
        assert is_name_character(char) == expected, f"U+{code:04X}"


def problems_of(town: Town) -> list:
    with pytest.raises(InvalidData) as error:
        town.load()
    return error.value.problems


@pytest.mark.parametrize("code", ["U+3164", "U+2800", "U+0430", "U+FE0F", "U+0301", "U+003D"])
def test_a_village_name_with_a_foreign_character_is_refused_naming_row_column_and_code(code):
    town = Town(names={"A1": f"东{HOSTILE[code]}村"}).month("2024-01", {"A1": 90, "A2": 80})
    [problem] = problems_of(town)
    assert (problem.file, problem.row, problem.column, problem.code) == (
        "scores/villages.csv",
        2,
        "村名",
        "name_characters",
    )
    assert code in problem.message and "汉字、英文字母、数字、空格和这几个标点" in problem.message


def test_a_former_name_is_held_to_the_same_list():
    town = Town().month("2024-01", {"A1": 90, "A2": 80})
    files = town.files()
    files["villages.csv"] = (
        "编号,村名,网格,曾用名\nA1,东山村,g1,东\u3164山村\nA2,西山村,g1,\n".encode()
    )
    with pytest.raises(InvalidData) as error:
        from generator.load import load_files

        load_files(files)
    [problem] = error.value.problems
    assert (problem.row, problem.column, problem.code) == (2, "曾用名", "name_characters")
    assert "U+3164" in problem.message


@pytest.mark.parametrize(
    "field, change, line",
    [
        ("town", lambda t: setattr(t, "name", "花\\u3164镇"), 1),
        ("grid", lambda t: setattr(t, "grids", [("g1", "东\\u2800片"), "g2"]), 4),
        ("category", lambda t: t.categories.__setitem__(0, ("a", "甲\\u0301项", "monthly")), 10),
    ],
)
def test_town_grid_and_category_names_are_held_to_the_list(field, change, line):
    town = Town()
    change(town)
    town.month("2024-01", {"A1": 90, "A2": 80})
    [problem] = problems_of(town)
    assert (problem.file, problem.code, problem.row) == ("scores/town.toml", "bad_town", line), (
        field
    )
    assert "名称里有不能用的字符" in problem.message and "U+" in problem.message


def test_names_equal_after_nfkc_and_without_spaces_are_one_name():
    for first, second in [
        ("A区", "Ａ区"),
        ("东山村", "东山 村"),
        ("豈村", "\uf900村"),
        ("1组", "１组"),
    ]:
        town = Town(names={"A1": first, "A2": second}).month("2024-01", {"A1": 90, "A2": 80})
        assert [p.code for p in problems_of(town)] == ["duplicate_name"], (first, second)
    town = Town(grids=[("g1", "东片"), ("g2", "东 片")]).month("2024-01", {"A1": 90})
    assert "grids.name 有重复" in problems_of(town)[0].message


def test_notes_may_hold_any_visible_text_but_nothing_invisible():
    assert unsafe_characters("承办<b>区级</b>现场会 =1+1 ❤️ a\u0301") == []
    assert unsafe_characters("a\u3164b\u2800c\U000e0041\u0378") == [
        "U+3164",
        "U+2800",
        "U+E0041",
        "U+0378",
    ]
    town = Town().month("2024-01", {"A1": 90, "A2": 80})
    town.event("2024-01", "A1", "加分", "甲项", "1", "说明\u3164")
    [problem] = problems_of(town)
    assert (problem.column, problem.code) == ("说明", "unsafe_characters")


def test_messages_quote_at_most_forty_characters_of_a_name():
    name = "东" * 300 + "\u3164"
    town = Town(names={"A1": name}).month("2024-01", {"A1": 90, "A2": 80})
    [problem] = problems_of(town)
    assert "东" * 41 not in problem.message and "U+3164" in problem.message


# -- ids and the site's own names -----------------------------------------------------------------


@pytest.mark.parametrize("village_id", ["poster", "Data", "INDEX", "feed", "wechat", "404"])
def test_a_village_id_the_site_uses_is_refused(village_id):
    town = Town().month("2024-01", {village_id: 90, "A2": 80})
    [problem] = problems_of(town)
    assert (problem.row, problem.column, problem.code) == (2, "编号", "reserved_id")
    assert "poster" in problem.message and "village" in problem.message


def test_two_village_ids_that_differ_only_in_case_are_refused():
    town = Town().month("2024-01", {"A1": 90, "a1": 80})
    [problem] = problems_of(town)
    assert (problem.row, problem.code) == (3, "duplicate_id")
    assert "A1" in problem.message and "大小写" in problem.message


@pytest.mark.parametrize("grid_id", ["poster", "wechat", "Grid", "data", "screen", "history"])
def test_a_grid_id_the_site_uses_is_refused(grid_id):
    town = Town(grids=[grid_id, "g2"])
    town.villages += [("A1", grid_id), ("A2", grid_id)]
    town.month("2024-01", {"A1": 90, "A2": 80})
    [problem] = problems_of(town)
    assert problem.code == "bad_town" and "网站自己的页面或文件夹名" in problem.message
    assert grid_id in problem.message


def test_a_grid_id_that_is_another_grids_name_is_refused():
    town = Town(grids=[("east", "west"), ("west", "东片")]).month("2024-01", {"A1": 90})
    [problem] = problems_of(town)
    assert problem.code == "bad_town" and "是另一个网格的名称" in problem.message
    town = Town(grids=[("east", "east"), ("west", "西片")]).month("2024-01", {"A1": 90})
    town.load()  # its own name is no ambiguity


def test_two_grid_ids_that_differ_only_in_case_are_refused():
    town = Town(grids=["east", "East"]).month("2024-01", {"A1": 90})
    assert "grids.id 有重复" in problems_of(town)[0].message


def test_the_site_names_come_from_the_routes():
    """The names refused for ids are the routes' names: the folders the results write, the
    folders inside a period, Pelican's and the shipped pages'."""
    for name in ("poster", "wechat", "screen", "data", "village", "grid", "rules", "feed",
                 "history", "about", "guide", "adopt", "setup", "news", "images", "theme", "index",
                 "404", "sitemap"):  # fmt: skip
        assert routes.is_site_name(name) and routes.is_site_name(name.upper()), name
    assert not routes.is_site_name("330110101201") and not routes.is_site_name("east")

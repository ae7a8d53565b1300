"""Bad input: every kind of mistake is reported with file, row, column and a code — all at once."""

from __future__ import annotations

import pandas as pd
import pytest
from towns import Town, csv_bytes

from generator.load import load_files
from generator.problems import InvalidData

MONTH = "2024/2024-03.csv"
EVENTS = "2024/2024-03.events.csv"


def base() -> Town:
    town = Town()
    town.month("2024-03", {"v1": [90, 80], "v2": [85, None], "v3": [70, 60], "v4": [65, 55]})
    return town


def problems(files: dict[str, bytes]) -> list[tuple]:
    with pytest.raises(InvalidData) as caught:
        load_files(files)
    return [(p.file, p.row, p.column, p.code) for p in caught.value.problems]


def with_month(rows: list[list[str]], encoding: str = "utf-8") -> dict[str, bytes]:
    files = base().files()
    files[MONTH] = csv_bytes(rows, encoding)
    return files


HEADER = ["村名", "甲项", "乙项"]
GOOD = [["v1村", "90", "80"], ["v2村", "85", ""], ["v3村", "70", "60"], ["v4村", "65", "55"]]


def month_with(row_index: int, cells: list[str]) -> dict[str, bytes]:
    rows = [HEADER, *GOOD]
    rows[row_index] = cells
    return with_month(rows)


def events(*rows: list[str]) -> dict[str, bytes]:
    files = base().files()
    files[EVENTS] = csv_bytes([["村名", "事件", "类别", "分值", "说明"], *rows])
    return files


def test_the_base_town_is_valid():
    data = load_files(with_month([HEADER, *GOOD]))
    assert len(data.scores) == 8 and data.periods == ("2024-03",)


def test_undecodable_bytes():
    files = base().files()
    files[MONTH] = "村名,甲项,乙项\n".encode() + b"caf\xe9 \xff\xfe,1,2\n"
    assert problems(files) == [(f"scores/{MONTH}", 2, None, "encoding")]


def test_utf16_is_rejected_with_a_hint():
    files = base().files()
    files[MONTH] = "村名,甲项,乙项\r\n".encode("utf-16")
    found = problems(files)
    assert found == [(f"scores/{MONTH}", None, None, "encoding")]


def test_workbook_saved_under_a_csv_name():
    files = base().files()
    files[MONTH] = b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256))
    files["2024/2024-04.csv"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64)
    assert problems(files) == [
        (f"scores/{MONTH}", None, None, "workbook"),
        ("scores/2024/2024-04.csv", None, None, "workbook"),
    ]


def test_tab_separated_text_is_not_csv():
    files = base().files()
    files[MONTH] = "村名\t甲项\t乙项\r\nv1村\t90\t80\r\n".encode()
    assert problems(files) == [(f"scores/{MONTH}", 1, None, "not_csv")]


def test_mac_line_endings_and_quoted_cells():
    rows = "\r".join(["村名,甲项,乙项", '"v1村","90","80"', "v2村,85,", "v3村,70,60", "v4村,65,55"])
    files = base().files()
    files[MONTH] = rows.encode()
    assert len(load_files(files).scores) == 8


def test_gbk_and_bom_and_full_width_cells_are_fine():
    rows = [
        HEADER,
        ["v1村", "９０", "８０．５"],
        ["\u3000v2村 ", "85", ""],
        ["v3村", "70", "60"],
        ["v4村", "65", "55"],
    ]
    for encoding in ("gbk", "gb18030", "utf-8-sig"):
        data = load_files(with_month(rows, encoding))
        assert data.scores["cell"].tolist()[:2] == [9000, 8050]


def test_empty_rows_and_columns_are_ignored():
    rows = [
        ["", "", "", ""],
        [*HEADER, ""],
        *[[*r, ""] for r in GOOD[:2]],
        ["", "", "", ""],
        *[[*r, ""] for r in GOOD[2:]],
    ]
    data = load_files(with_month(rows))
    assert len(data.scores) == 8


def test_unknown_village():
    assert problems(month_with(4, ["五村", "1", "2"])) == [
        (f"scores/{MONTH}", None, "村名", "missing_village"),
        (f"scores/{MONTH}", 5, "村名", "unknown_village"),
    ]


def test_duplicate_village():
    assert problems(month_with(4, ["v1村", "1", "2"])) == [
        (f"scores/{MONTH}", None, "村名", "missing_village"),
        (f"scores/{MONTH}", 5, "村名", "duplicate_village"),
    ]


def test_missing_village():
    assert problems(with_month([HEADER, *GOOD[:3]])) == [
        (f"scores/{MONTH}", None, "村名", "missing_village")
    ]


def test_inactive_village_present():
    town = base()
    town.villages[3] = ("v4", "g1", "2024-04", "")
    files = town.files()
    files[MONTH] = csv_bytes([HEADER, *GOOD])
    assert problems(files) == [(f"scores/{MONTH}", 5, "村名", "inactive_village")]


def test_non_numeric_score_message():
    files = month_with(3, ["v3村", "9O", "60"])
    with pytest.raises(InvalidData) as caught:
        load_files(files)
    (problem,) = caught.value.problems
    assert (problem.row, problem.column, problem.code) == (4, "甲项", "not_a_number")
    assert (
        problem.text()
        == "scores/2024/2024-03.csv 第4行「甲项」列：「9O」不是数字，请填写0到100之间的分数；"
        "不参评请留空或写未参评"
    )


@pytest.mark.parametrize(
    "cell", ["未参评", "缺考", "/", "-", "－", "—", "——", " 未参评 ", "\u3000—\u3000"]
)
def test_a_not_evaluated_mark_reads_as_a_blank_cell(cell):
    marked = load_files(month_with(3, ["v3村", cell, "60"]))
    blank = load_files(month_with(3, ["v3村", "", "60"]))
    assert marked.scores.equals(blank.scores)
    cells = marked.scores.set_index(["village_id", "category"])["cell"]
    assert cells.isna().sum() == 2  # v2's 乙项 (blank) and v3's 甲项 (marked)
    assert cells[("v3", "a")] is pd.NA


@pytest.mark.parametrize("cell", ["未评", "不参评", "--", "///", "缺", "0分"])
def test_other_text_is_not_a_number_and_says_how_to_mark_not_evaluated(cell):
    with pytest.raises(InvalidData) as caught:
        load_files(month_with(3, ["v3村", cell, "60"]))
    (problem,) = caught.value.problems
    assert problem.code == "not_a_number"
    assert problem.message.endswith("不参评请留空或写未参评")


def test_a_month_of_marks_only_is_a_blank_month():
    rows = [HEADER, *([name, "未参评", "/"] for name, *_ in GOOD)]
    assert problems(with_month(rows)) == [(f"scores/{MONTH}", 1, None, "blank_period")]


@pytest.mark.parametrize("cell", ["٨٥", "८५", "85 5", "85。5"])
def test_digits_other_than_ascii_and_full_width_are_not_numbers(cell):
    # Python's int() would read Arabic-Indic or Devanagari digits; a clerk never types them
    assert problems(month_with(3, ["v3村", cell, "60"])) == [
        (f"scores/{MONTH}", 4, "甲项", "not_a_number")
    ]


def test_an_unclosed_quote_is_one_problem_at_its_row_not_a_swallowed_file():
    files = base().files()
    files[MONTH] = (
        '村名,甲项,乙项\r\nv1村,90,80\r\nv2村,"85,\r\nv3村,70,60\r\nv4村,65,55\r\n'.encode()
    )
    with pytest.raises(InvalidData) as caught:
        load_files(files)
    (problem,) = caught.value.problems
    assert (problem.file, problem.row, problem.code) == (f"scores/{MONTH}", 3, "csv_unclosed_quote")
    assert "引号没有配对" in problem.text() and "另存为 CSV" in problem.text()


def test_a_space_after_a_closing_quote_is_read_as_typed():
    files = base().files()
    files[MONTH] = '村名,甲项,乙项\nv1村,"90" ,80\nv2村,85,\nv3村,70,60\nv4村,65,55\n'.encode()
    data = load_files(files)
    assert data.scores.query("village_id == 'v1' and category == 'a'")["cell"].tolist() == [9000]


def test_score_out_of_range():
    assert problems(month_with(1, ["v1村", "100.5", "-1"])) == [
        (f"scores/{MONTH}", 2, "乙项", "out_of_range"),
        (f"scores/{MONTH}", 2, "甲项", "out_of_range"),
    ]


def test_three_decimals():
    assert problems(month_with(1, ["v1村", "85.125", "85.100"])) == [
        (f"scores/{MONTH}", 2, "甲项", "too_many_decimals")
    ]


def test_unknown_column():
    rows = [[*HEADER, "备注"], *[[*r, "x"] for r in GOOD]]
    assert problems(with_month(rows)) == [(f"scores/{MONTH}", 1, "备注", "unknown_column")]


def test_column_without_header():
    rows = [[*HEADER, ""], *[[*r, "1"] for r in GOOD]]
    assert problems(with_month(rows)) == [(f"scores/{MONTH}", 1, "D列", "unknown_column")]


def test_missing_monthly_category_column():
    rows = [["村名", "甲项"], *[r[:2] for r in GOOD]]
    assert problems(with_month(rows)) == [(f"scores/{MONTH}", 1, "乙项", "missing_column")]


def test_duplicate_column():
    rows = [[*HEADER, "甲项"], *[[*r, "1"] for r in GOOD]]
    assert problems(with_month(rows)) == [(f"scores/{MONTH}", 1, "甲项", "duplicate_column")]


def test_annual_category_in_a_month_file():
    rows = [[*HEADER, "年度项"], *[[*r, "1"] for r in GOOD]]
    assert problems(with_month(rows)) == [(f"scores/{MONTH}", 1, "年度项", "column_not_allowed")]


def test_first_column_must_name_the_village():
    rows = [["村庄", "甲项", "乙项"], *GOOD]
    assert problems(with_month(rows)) == [(f"scores/{MONTH}", 1, "村庄", "bad_first_column")]


def test_bad_event_type():
    assert problems(events(["v1村", "表扬", "甲项", "", "好"])) == [
        (f"scores/{EVENTS}", 2, "事件", "bad_event_type")
    ]


def test_event_without_note():
    assert problems(events(["v1村", "现场会", "甲项", "", ""])) == [
        (f"scores/{EVENTS}", 2, "说明", "missing_note")
    ]


def test_adjustment_on_an_empty_score():
    assert problems(events(["v2村", "加分", "乙项", "2", "表彰"])) == [
        (f"scores/{EVENTS}", 2, "类别", "adjust_empty_score")
    ]


def test_event_fields_that_must_be_empty_or_filled():
    found = problems(
        events(
            ["v1村", "一票否决", "甲项", "", "事故"],
            ["v1村", "现场会", "甲项", "3", "区级"],
            ["v1村", "扣分", "甲项", "", "通报"],
            ["v1村", "扣分", "甲项", "-2", "通报"],
            ["v1村", "现场会", "", "", "区级"],
            ["v1村", "现场会", "丙项", "", "区级"],
            ["v1村", "加分", "可选项", "1", "表彰"],
        )
    )
    assert found == [
        (f"scores/{EVENTS}", 2, "类别", "unexpected_category"),
        (f"scores/{EVENTS}", 3, "分值", "unexpected_value"),
        (f"scores/{EVENTS}", 4, "分值", "missing_value"),
        (f"scores/{EVENTS}", 5, "分值", "bad_value"),
        (f"scores/{EVENTS}", 6, "类别", "missing_category"),
        (f"scores/{EVENTS}", 7, "类别", "unknown_category"),
        (f"scores/{EVENTS}", 8, "类别", "unknown_category"),
    ]


def test_events_for_an_unknown_or_inactive_village():
    town = base()
    town.villages.append(("v5", "g1", "2024-05", ""))
    files = town.files()
    files[EVENTS] = csv_bytes(
        [
            ["编号", "事件", "类别", "分值", "说明"],
            ["v9", "一票否决", "", "", "事故"],
            ["v5", "一票否决", "", "", "事故"],
        ]
    )
    assert problems(files) == [
        (f"scores/{EVENTS}", 2, "编号", "unknown_village"),
        (f"scores/{EVENTS}", 3, "编号", "inactive_village"),
    ]


def test_events_file_without_scores_file():
    files = base().files()
    files["2024/2024-04.events.csv"] = csv_bytes([["村名", "事件", "类别", "分值", "说明"]])
    assert problems(files) == [
        ("scores/2024/2024-04.events.csv", None, None, "events_without_scores")
    ]


def test_file_month_not_matching_its_folder():
    files = base().files()
    files["2023/2024-04.csv"] = files[MONTH]
    assert problems(files) == [("scores/2023/2024-04.csv", None, None, "month_mismatch")]


def test_file_name_that_is_not_a_month():
    files = base().files()
    files["2024/2024-13.csv"] = files[MONTH]
    files["2024/三月.xlsx"] = b"PK"
    assert problems(files) == [
        ("scores/2024/2024-13.csv", None, None, "bad_file_name"),
        ("scores/2024/三月.xlsx", None, None, "unexpected_file"),
    ]


def test_period_before_every_rule_version():
    town = base()
    town.rules = [{"from": "2024-04"}]
    assert problems(town.files()) == [(f"scores/{MONTH}", None, None, "no_rule_version")]


def test_unknown_grid():
    files = base().files()
    files["villages.csv"] = (
        "编号,村名,网格\nv1,v1村,g1\nv2,v2村,南片\nv3,v3村,g1\nv4,v4村,g2网格\n".encode()
    )
    assert problems(files) == [("scores/villages.csv", 3, "网格", "unknown_grid")]


def test_duplicate_id_and_name_and_bad_id():
    files = base().files()
    files["villages.csv"] = (
        "编号,村名,网格\nv1,v1村,g1\nv1,v2村,g1\nv3,v1村,g1\nv 4,v4村,g1\n".encode()
    )
    found = problems(files)
    # The scores file is checked too; its v2 and v4 are in no row of villages.csv. v3, whose
    # row has a problem of its own, is not reported again as unknown.
    assert found == [
        (f"scores/{MONTH}", 3, "编号", "unknown_village"),
        (f"scores/{MONTH}", 5, "编号", "unknown_village"),
        ("scores/villages.csv", 3, "编号", "duplicate_id"),
        ("scores/villages.csv", 4, "村名", "duplicate_name"),
        ("scores/villages.csv", 5, "编号", "bad_id"),
    ]


def test_bad_village_months():
    files = base().files()
    files["villages.csv"] = (
        "编号,村名,网格,起始月份,终止月份\nv1,v1村,g1,2024-3,\nv2,v2村,g1,2024-05,2024-01\n".encode()
    )
    assert problems(files) == [
        (f"scores/{MONTH}", 4, "编号", "unknown_village"),  # v3 and v4 are not in villages.csv
        (f"scores/{MONTH}", 5, "编号", "unknown_village"),
        ("scores/villages.csv", 2, "起始月份", "bad_month"),
        ("scores/villages.csv", 3, "终止月份", "bad_month"),
    ]


def test_malformed_town_toml():
    files = base().files()
    files["town.toml"] = b'town = "\xe6\xb5\x8b\xe8\xaf\x95\n[[grids]\nid = "g1"\n'
    assert problems(files) == [("scores/town.toml", 1, None, "bad_toml")]


def test_town_toml_schema_errors_name_the_line():
    files = base().files()
    toml = files["town.toml"].decode().replace('kind = "annual"', 'kind = "yearly"')
    toml = toml.replace('from = "2020-01"', 'from = "2020-01"\nred_cont = 2')
    files["town.toml"] = toml.encode()
    found = problems(files)
    lines = toml.splitlines()
    assert found == [
        ("scores/town.toml", lines.index('kind = "yearly"') + 1, "categories.3.kind", "bad_town"),
        ("scores/town.toml", lines.index("red_cont = 2") + 1, "rules.0.red_cont", "bad_town"),
    ]


def test_missing_files():
    assert problems({}) == [
        ("scores/town.toml", None, None, "missing_file"),
        ("scores/villages.csv", None, None, "missing_file"),
    ]


def test_every_problem_is_collected_across_files():
    files = month_with(1, ["v1村", "abc", "101"])
    files[EVENTS] = csv_bytes(
        [["村名", "事件", "类别", "分值", "说明"], ["v1村", "奖励", "", "", ""]]
    )
    files["2024/2024-04.csv"] = csv_bytes([["村名", "甲项"], ["v9村", "1"]])
    codes = [p[3] for p in problems(files)]
    assert codes.count("missing_village") == 4
    for code in (
        "not_a_number",
        "out_of_range",
        "bad_event_type",
        "missing_note",
        "missing_column",
        "unknown_village",
    ):
        assert code in codes


def test_extra_identity_columns_must_agree():
    rows = [
        ["编号", "村名", "网格", "甲项", "乙项"],
        ["v1", "v1村", "g1网格", "90", "80"],
        ["v2", "v3村", "g1", "85", ""],
        ["v3", "v3村", "g2", "70", "60"],
        ["v4", "v4村", "", "65", "55"],
    ]
    assert problems(with_month(rows)) == [
        (f"scores/{MONTH}", 3, "村名", "id_name_mismatch"),
        (f"scores/{MONTH}", 4, "网格", "grid_mismatch"),
    ]


def test_an_event_for_a_village_whose_row_has_a_problem_is_no_traceback():
    files = events(["v1村", "加分", "甲项", "1", "奖"], ["v2村", "一票否决", "", "", "否决"])
    bad_grid = files["villages.csv"].replace("\nv2,v2村,g1".encode(), "\nv2,v2村,gX".encode())
    files["villages.csv"] = bad_grid
    assert problems(files) == [("scores/villages.csv", 3, "网格", "unknown_grid")]


def test_an_adjustment_over_1000_for_an_unknown_category_is_no_traceback():
    found = problems(events(["v1村", "加分", "丙项", "5000", "奖"]))
    assert found == [
        (f"scores/{EVENTS}", 2, "分值", "value_over_full_marks"),
        (f"scores/{EVENTS}", 2, "类别", "unknown_category"),
    ]

"""A clerk's mistakes, each answered by one message that says what to do (issue 20): misspelt
villages and headers (did you mean), misnamed files (the name to use), a form's full marks in
its headers, importing over a blank form, and mistakes in the command's arguments (exit 2)."""

from __future__ import annotations

import pytest
from towns import Town, csv_bytes

from generator.cli import main
from generator.layout import month_meant, name_meant
from generator.load import load_files
from generator.problems import InvalidData

NAMES = {"A1": "青石村", "A2": "白沙村", "A3": "柳岸村", "A4": "荷花社区"}


def town(name: str = "白石乡", by: str = "村名") -> Town:
    return Town(name=name, names=NAMES, by=by).month(
        "2024-01", {"A1": 90, "A2": 80, "A3": 70, "A4": 60}
    )


def problems_of(files: dict[str, bytes]) -> list[tuple]:
    with pytest.raises(InvalidData) as error:
        load_files(files)
    return [(p.file, p.row, p.column, p.code, p.message) for p in error.value.problems]


def with_month(built: Town, rows: list[list[str]], month: str = "2024-01") -> dict[str, bytes]:
    return built.files() | {f"2024/{month}.csv": csv_bytes(rows)}


# -- did you mean ----------------------------------------------------------------------------


def test_a_misspelt_village_is_one_message_naming_the_missing_one():
    rows = [["村名", "甲项", "乙项"], ["青石材", "90", ""], ["白沙村", "80", ""]]
    rows += [["柳岸村", "70", ""], ["荷花社区", "60", ""]]
    assert problems_of(with_month(town(), rows)) == [
        (
            "scores/2024/2024-01.csv",
            2,
            "村名",
            "unknown_village",
            "「青石材」不是本乡的村（社区），是不是「青石村」？表里没有「青石村」这一行。"
            "是的话请把村名改为「青石村」",
        )
    ]


def test_a_misspelt_id_is_one_message_too():
    built = town(by="编号")
    rows = [["编号", "甲项", "乙项"], ["A9", "90", ""], ["A2", "80", ""], ["A3", "70", ""]]
    rows += [["A4", "60", ""]]
    ((_, row, column, code, message),) = problems_of(with_month(built, rows))
    assert (row, column, code) == (2, "编号", "unknown_village")
    assert "是不是「A1」？表里没有「A1」（青石村）这一行。是的话请把编号改为「A1」" in message


def test_no_guess_when_the_name_is_near_two_missing_villages_or_two_names_near_one():
    rows = [["村名", "甲项", "乙项"], ["青石材", "90", ""], ["青石林", "85", ""]]
    rows += [["柳岸村", "70", ""], ["荷花社区", "60", ""]]
    found = problems_of(with_month(town(), rows))
    assert [code for *_, code, _ in found] == [
        "missing_village",  # 白沙村: its row is missing
        "missing_village",  # 青石村: both 青石材 and 青石林 are near it, so neither is named
        "unknown_village",
        "unknown_village",
    ]
    assert not any("是不是" in message for *_, message in found)
    assert (
        "请检查是否写错" in found[2][4] and "新设的村（社区）请先加入 villages.csv" in found[2][4]
    )


def test_a_misspelt_header_is_one_message_naming_the_category():
    rows = [["村名", "甲項", "乙项"], ["青石村", "90", ""], ["白沙村", "80", ""]]
    rows += [["柳岸村", "70", ""], ["荷花社区", "60", ""]]
    assert [p[2:] for p in problems_of(with_month(town(), rows))] == [
        (
            "甲項",
            "unknown_column",
            "「甲項」不是评比项目，是不是「甲项」？表里没有「甲项」列。是的话请把表头改为「甲项」",
        )
    ]


def test_an_events_file_naming_a_misspelt_village():
    built = town().event("2024-01", "A1", "加分", "甲项", "2", "表彰")
    files = built.files()
    files["2024/2024-01.events.csv"] = files["2024/2024-01.events.csv"].replace(
        "青石村".encode(), "青石材".encode()
    )
    ((_, row, _, code, message),) = problems_of(files)
    assert (row, code) == (2, "unknown_village")
    assert message.startswith("「青石材」不是本乡的村（社区），是不是「青石村」？是的话")


# -- file names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "meant"),
    [
        ("2025-8.csv", "2025/2025-08.csv"),
        ("2025/2025-8.csv", "2025/2025-08.csv"),
        ("2025年8月.csv", "2025/2025-08.csv"),
        ("2025/202508.csv", "2025/2025-08.csv"),
        ("2025.8.CSV", "2025/2025-08.csv"),
        ("2025-8.events.csv", "2025/2025-08.events.csv"),
        ("2025/2025年8月事件表.csv", "2025/2025-08.events.csv"),
        ("2024年度.csv", "2024/2024-annual.csv"),
        ("2024-Annual.csv", "2024/2024-annual.csv"),
        ("2025-13.csv", None),
        ("说明.csv", None),
        ("2025/2025-08.csv", None),  # already right
    ],
)
def test_a_misnamed_file_gets_the_name_to_use(name, meant):
    assert name_meant(name) == meant


def test_the_name_to_use_is_in_the_message():
    built = town()
    files = built.files()
    files["2024-2.csv"] = files.pop("2024/2024-01.csv")
    files["2024-01.csv"] = files["2024-2.csv"]
    found = {p[0]: p[4] for p in problems_of(files)}
    assert found["scores/2024-2.csv"] == (
        "文件名「2024-2.csv」不合规定：请把它改名为 scores/2024/2024-02.csv"
        "（评分表放在年份文件夹里，名为「年份-两位数的月份.csv」）"
    )
    assert found["scores/2024-01.csv"].endswith(
        "请移到 scores/2024/ 文件夹（scores/2024/2024-01.csv）"
    )


def test_a_month_written_loosely():
    assert [month_meant(t) for t in ("2025-8", "2025年8月", "202508", "2025-13", "八月")] == [
        "2025-08",
        "2025-08",
        "2025-08",
        None,
        None,
    ]


# -- full marks in the form's headers ---------------------------------------------------------


def marked_town() -> Town:
    return Town(
        name="白石乡",
        categories=[
            ("a", "甲项", "monthly", 30),
            ("b", "乙项", "monthly"),
            ("y", "年度项", "annual"),
        ],
    )


def test_a_header_with_its_full_marks_is_the_category():
    built = marked_town()
    rows = [["编号", "甲项（30分）", "乙项(满分100)"], ["V1", "29.5", "90"], ["V2", "30", "80"]]
    built.month("2024-01", {"V1": 1, "V2": 1})
    data = load_files(with_month(built, rows))
    assert sorted(data.scores["category"].unique()) == ["a", "b"]
    assert data.scores["cell"].max() == 9000


def test_a_header_whose_full_marks_differ_is_refused_with_the_header_to_write():
    built = marked_town().month("2024-01", {"V1": 1})
    rows = [["编号", "甲项（20分）", "乙项"], ["V1", "20", "90"]]
    assert [p[2:] for p in problems_of(with_month(built, rows))] == [
        (
            "甲项（20分）",
            "marks_mismatch",
            "表头写的满分是 20 分，town.toml 里「甲项」的满分是 30 分：请核对分数是按几分制打的，"
            "再把表头改为「甲项（30分）」（或只写「甲项」）",
        )
    ]


def test_a_category_with_and_without_its_marks_is_a_duplicate():
    built = marked_town().month("2024-01", {"V1": 1})
    rows = [["编号", "甲项", "甲项（30分）", "乙项"], ["V1", "20", "20", "90"]]
    assert [p[2:4] for p in problems_of(with_month(built, rows))] == [
        ("甲项（30分）", "duplicate_column")
    ]


# -- exit statuses ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["new-month", "2024-3"], "「2024-3」不是有效月份，月份要写成 YYYY-MM，例如 2024-03"),
        (["new-month", "2024-02", "--with", "甲项"], "--with 只能用"),
        (["new-annual", "24"], "「24」不是有效年份"),
        (["preview", "2024-05"], "请先用 .venv/bin/flagboard new-month 2024-05 --scores"),
        (["preview", "2023"], "请先用 .venv/bin/flagboard new-annual 2023 --scores"),
        (["import", "没有这个文件.xlsx", "--month", "2024-02"], "找不到这个文件"),
        (["import", "名单.docx", "--month", "2024-02"], "只能导入 .xlsx"),
    ],
)
def test_a_mistake_in_the_arguments_exits_2_saying_what_to_run(tmp_path, capsys, args, said):
    scores = Town().month("2024-01", {"V1": 90}).write(tmp_path / "scores")
    (tmp_path / "名单.docx").write_bytes(b"x")
    args = [a if not a.endswith((".xlsx", ".docx")) else str(tmp_path / a) for a in args]
    assert main([*args, "--scores", str(scores)]) == 2
    assert said in capsys.readouterr().err


# -- a blank form, then import ----------------------------------------------------------------


def test_importing_over_a_blank_form_needs_no_force_but_over_scores_it_does(tmp_path, capsys):
    scores = Town().month("2024-01", {"V1": 90, "V2": 80}).write(tmp_path / "scores")
    assert main(["new-month", "2024-02", "--scores", str(scores)]) == 0
    source = tmp_path / "二月.csv"
    source.write_bytes(
        csv_bytes([["村名", "甲项", "乙项"], ["V1村", "91", ""], ["V2村", "81", ""]])
    )
    capsys.readouterr()
    assert main(["import", str(source), "--month", "2024-02", "--scores", str(scores)]) == 0
    assert "替换了还没有填分数的空白表" in capsys.readouterr().out
    assert main(["import", str(source), "--month", "2024-02", "--scores", str(scores)]) == 1
    assert "请加 --force" in capsys.readouterr().err
    assert (
        main(["import", str(source), "--month", "2024-02", "--scores", str(scores), "--force"]) == 0
    )
    assert "替换了还没有填分数的空白表" not in capsys.readouterr().out


def test_an_import_refuses_a_misspelt_optional_category_rather_than_pass_it_over(tmp_path, capsys):
    scores = Town().month("2024-01", {"V1": 90, "V2": 80}).write(tmp_path / "scores")
    source = tmp_path / "二月.csv"
    rows = [["村名", "甲项", "乙项", "可选顶"], ["V1村", "91", "", "80"], ["V2村", "81", "", "70"]]
    source.write_bytes(csv_bytes(rows))
    assert main(["import", str(source), "--month", "2024-02", "--scores", str(scores)]) == 1
    said = capsys.readouterr().err
    assert (
        "「可选顶」不是评比项目，是不是「可选项」？表里没有「可选项」列（第4列没有导入）。" in said
    )
    assert not (scores / "2024" / "2024-02.csv").exists()

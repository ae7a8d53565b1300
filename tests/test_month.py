"""`flagboard new-month`: the template round trip (written → filled in → validates)."""

from __future__ import annotations

import pandas as pd
import pytest
from _office_helpers import JANUARY, csv_bytes, read_csv, write_month, write_town

from generator import forms
from generator.cli import main
from generator.load import load
from generator.office.month import load_town, new_annual, new_month
from generator.problems import InvalidData


def codes(error: pytest.ExceptionInfo) -> list[tuple]:
    return [(p.file, p.row, p.column, p.code) for p in error.value.problems]


def test_template_lists_active_villages_grid_by_grid(tmp_path):
    scores = write_town(tmp_path)
    made = new_month(scores, "2024-03")
    assert made.scores_file == scores / "2024" / "2024-03.csv"
    assert (
        made.scores_file.read_bytes()
        == (
            "\ufeff村名,党建引领发展（100分）,和美家园建设（100分）\n"
            "东山村,,\n梅林村,,\n桃源村,,\n西湖村,,\n新苑村,,\n"
        ).encode()
    )
    assert made.events_file.read_bytes() == "\ufeff村名,事件,类别,分值,说明\n".encode()
    assert (made.villages, made.categories) == (5, ("党建引领发展", "和美家园建设"))


def test_optional_category_on_request(tmp_path):
    scores = write_town(tmp_path)
    made = new_month(scores, "2024-01", ["创业承诺践行"])
    assert read_csv(made.scores_file)[0] == [
        "村名",
        "党建引领发展（100分）",
        "和美家园建设（100分）",
        "创业承诺践行（100分）",
    ]
    # January: 枫林村 still active (until 2024-02), 新苑村 not yet (from 2024-02).
    assert [row[0] for row in read_csv(made.scores_file)[1:]] == [
        "东山村",
        "梅林村",
        "桃源村",
        "西湖村",
        "枫林村",
    ]


def test_round_trip_filled_template_validates(tmp_path):
    scores = write_town(tmp_path)
    made = new_month(scores, "2024-03", ["pledge"])
    rows = read_csv(made.scores_file)
    filled = [rows[0]] + [
        [name, "90", str(80 + i), "" if i == 2 else "75.5"] for i, (name, *_) in enumerate(rows[1:])
    ]
    # Saved back the way Excel does on Chinese Windows: GBK, CRLF.
    made.scores_file.write_bytes(csv_bytes(filled, encoding="gbk"))
    made.events_file.write_bytes(
        csv_bytes(
            [read_csv(made.events_file)[0], ["东山村", "加分", "党建引领发展", "2", "获市级表彰"]],
            encoding="gbk",
        )
    )
    data = load(scores)
    assert data.periods == ("2024-03",)
    march = data.scores.set_index(["village_id", "category"])["cell"]
    assert march[("E2", "home")] == 8100
    assert march[("W1", "pledge")] == 7550
    assert march.isna().sum() == 1 and march[("E3", "pledge")] is pd.NA
    assert len(data.events) == 1


def test_an_unfilled_template_is_refused_as_a_blank_month(tmp_path):
    scores = write_town(tmp_path)
    new_month(scores, "2024-03")
    with pytest.raises(InvalidData) as error:
        load(scores)
    # Its layout is right (no other problem); only its missing scores keep it from publishing.
    assert codes(error) == [(f"{scores.as_posix()}/2024/2024-03.csv", 1, None, "blank_period")]


def test_refuses_to_overwrite(tmp_path):
    scores = write_town(tmp_path, {"2024-01": JANUARY})
    before = (scores / "2024" / "2024-01.csv").read_bytes()
    with pytest.raises(InvalidData) as error:
        new_month(scores, "2024-01")
    assert codes(error) == [(f"{scores.as_posix()}/2024/2024-01.csv", None, None, "file_exists")]
    assert (scores / "2024" / "2024-01.csv").read_bytes() == before
    assert not (scores / "2024" / "2024-01.events.csv").exists()


def test_refuses_when_only_the_events_file_exists(tmp_path):
    scores = write_town(tmp_path)
    events = scores / "2024" / "2024-03.events.csv"
    events.parent.mkdir()
    events.write_bytes(b"keep me")
    with pytest.raises(InvalidData):
        new_month(scores, "2024-03")
    assert events.read_bytes() == b"keep me"
    assert not (scores / "2024" / "2024-03.csv").exists()


@pytest.mark.parametrize(
    ("month", "optional", "code"),
    [
        ("2024-3", [], "bad_month"),
        ("2023-12", [], "no_rule_version"),
        ("2024-03", ["和美家园建设"], "not_optional"),  # monthly: always in the template
        ("2024-03", ["党风廉政建设"], "not_optional"),  # annual
        ("2024-03", ["不存在的项目"], "not_optional"),
    ],
)
def test_bad_requests(tmp_path, month, optional, code):
    scores = write_town(tmp_path)
    with pytest.raises(InvalidData) as error:
        new_month(scores, month, optional)
    assert [p.code for p in error.value.problems] == [code]
    assert not (scores / "2024").exists()


def test_another_broken_month_does_not_block_a_new_one(tmp_path):
    scores = write_town(tmp_path)
    write_month(scores, "2024-01", [["村名", "党建引领发展"], ["东山村", "abc"]])
    made = new_month(scores, "2024-02")
    assert made.scores_file.exists()


def test_cli(tmp_path, capsys):
    scores = write_town(tmp_path)
    args = ["new-month", "2024-03", "--with", "创业承诺践行", "--scores", str(scores)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert out == (
        f"已生成 {scores.as_posix()}/2024/2024-03.csv（5 个村；"
        "评比项目：党建引领发展、和美家园建设、创业承诺践行）\n"
        f"和空白事件表 {scores.as_posix()}/2024/2024-03.events.csv。"
        "请用 Excel 或 WPS 填好分数（满分见表头）后仍保存为 CSV，"
        f"再用 .venv/bin/flagboard preview 2024-03 --scores {scores.as_posix()} 核对本月结果。\n"
    )
    assert main(args) == 1
    assert "文件已存在，不会覆盖" in capsys.readouterr().err


# -- the annual form (new-annual) and the pure forms ------------------------------------------


def test_new_annual_lists_the_years_villages_and_annual_categories(tmp_path):
    scores = write_town(tmp_path)
    made = new_annual(scores, "2024")
    assert made.scores_file == scores / "2024" / "2024-annual.csv"
    # 2024: 枫林村 (until 2024-02) and 新苑村 (from 2024-02) both take part in the year.
    assert (
        made.scores_file.read_bytes()
        == (
            "\ufeff村名,党风廉政建设（100分）\n东山村,\n梅林村,\n桃源村,\n西湖村,\n枫林村,\n新苑村,\n"
        ).encode()
    )
    assert (made.villages, made.categories, made.events_file) == (6, ("党风廉政建设",), None)


def test_a_filled_annual_form_validates(tmp_path):
    scores = write_town(tmp_path, {"2024-01": JANUARY})
    made = new_annual(scores, "2024")
    rows = read_csv(made.scores_file)
    filled = [rows[0]] + [[name, str(80 + i)] for i, (name, *_) in enumerate(rows[1:])]
    made.scores_file.write_bytes(csv_bytes(filled, encoding="gbk"))
    data = load(scores)
    assert sorted(data.annual_files) == ["2024"]
    assert len(data.annual) == 6


def test_new_annual_refuses_to_overwrite_and_bad_years(tmp_path):
    scores = write_town(tmp_path)
    new_annual(scores, "2024")
    before = (scores / "2024" / "2024-annual.csv").read_bytes()
    with pytest.raises(InvalidData) as error:
        new_annual(scores, "2024")
    assert [p.code for p in error.value.problems] == ["file_exists"]
    assert (scores / "2024" / "2024-annual.csv").read_bytes() == before
    with pytest.raises(InvalidData) as error:
        new_annual(scores, "24")
    assert [p.code for p in error.value.problems] == ["bad_year"]


def test_new_annual_without_annual_categories(tmp_path):
    scores = write_town(tmp_path)
    toml = scores / "town.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace('kind = "annual"', 'kind = "annual"\nuntil = "2023-12"'), "utf-8")
    with pytest.raises(InvalidData) as error:
        new_annual(scores, "2024")
    assert [p.code for p in error.value.problems] == ["no_annual_category"]
    assert not (scores / "2024").exists()


def test_cli_new_annual_and_the_hint_for_new_month_annual(tmp_path, capsys):
    scores = write_town(tmp_path)
    assert main(["new-month", "2024-annual", "--scores", str(scores)]) == 2  # a usage error
    err = capsys.readouterr().err
    assert f".venv/bin/flagboard new-annual 2024 --scores {scores.as_posix()}" in err
    assert "--annual 2024" in err
    assert main(["new-annual", "2024", "--scores", str(scores)]) == 0
    out = capsys.readouterr().out
    assert out == (
        f"已生成 {scores.as_posix()}/2024/2024-annual.csv（6 个村；年度评比项目：党风廉政建设）。"
        "请用 Excel 或 WPS 填好分数（满分见表头）后仍保存为 CSV，"
        f"再用 .venv/bin/flagboard preview 2024 --scores {scores.as_posix()} 核对年度结果。\n"
    )


def test_forms_are_pure_and_match_what_new_month_writes(tmp_path):
    scores = write_town(tmp_path)
    town = load_town(scores)
    made = new_month(scores, "2024-03")
    assert forms.month_form(town.town, town.villages, "2024-03") == made.scores_file.read_bytes()
    assert forms.events_form() == made.events_file.read_bytes()
    annual = forms.annual_form(town.town, town.villages, "2024")
    assert annual.startswith("\ufeff村名,党风廉政建设（100分）\n".encode())

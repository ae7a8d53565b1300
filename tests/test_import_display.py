"""`flagboard import` reads a cell the way the office sees it (docs/data-format.md §2.1):
error values, number formats, hidden rows, columns and sheets, several score sheets, the
workbook's own month, and validate's warnings about the imported file.

Workbooks are built with openpyxl (and patched where openpyxl cannot write what Excel does);
the last part has LibreOffice save the same workbook as .xlsx, .ods and .xls and checks that
each import says the same, since what matters there is what real office software writes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from _office_helpers import FEBRUARY, JANUARY, read_csv, write_town
from openpyxl.styles import Font, PatternFill
from test_import import CANONICAL, ods_file

from generator import catalogue
from generator.cli import main
from generator.load import load
from generator.office.importer import import_workbook
from generator.office.numfmt import shown_number
from generator.problems import InvalidData, errors_of

HEADER = FEBRUARY[0]  # 村名, 党建引领发展, 和美家园建设, 创业承诺践行
ROWS = [list(row) for row in FEBRUARY[1:]]  # 东山村 (row 2) … 新苑村 (row 7)
SHEET = "二月.xlsx「二月」"


@pytest.fixture
def scores(tmp_path) -> Path:
    return write_town(tmp_path, {"2024-01": JANUARY}, {})


def workbook(path: Path, edit=None, title: str | None = None, name: str = "二月") -> Path:
    """February's scores as numbers on one visible sheet, the header in row 1 (or 2 below a
    title); `edit(sheet, book)` changes it before it is saved."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = name
    if title:
        sheet.append([title])
    sheet.append(HEADER)
    for village, *scores in ROWS:
        sheet.append([village, *(float(s) if s else None for s in scores)])
    if edit:
        edit(sheet, book)
    book.save(path)
    return path


def cell(reference: str, value=None, number_format: str | None = None, **style):
    """An edit setting one cell's value, number format or font/fill."""

    def edit(sheet, book):
        if value is not None:
            sheet[reference] = value
        if number_format is not None:
            sheet[reference].number_format = number_format
        for key, setting in style.items():
            setattr(sheet[reference], key, setting)

    return edit


def refused(source: Path, scores: Path, month: str = "2024-02", **options) -> list:
    with pytest.raises(InvalidData) as error:
        import_workbook(source, month, scores, **options)
    assert not (scores / month[:4] / f"{month}.csv").exists()
    for problem in error.value.problems:
        assert problem.code in catalogue.TYPES
    return errors_of(error.value.problems)  # not the note of the columns passed over


def where(problems: list) -> list[tuple]:
    return [(p.file, p.row, p.column, p.code) for p in problems]


def patch(path: Path, member: str, old: str, new: str) -> Path:
    """Replace text in one member of a zip (what openpyxl cannot write, Excel does)."""
    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            if info.filename == member:
                text = data.decode()
                assert old in text, (old, text[:600])
                data = text.replace(old, new, 1).encode()
            archive.writestr(info.filename, data)
    return path


SHEET_XML = "xl/worksheets/sheet1.xml"

# -- error values ---------------------------------------------------------------------------

ERRORS = ["#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!"]


@pytest.mark.parametrize("error", ERRORS)
def test_an_error_value_is_refused_naming_the_cell_never_read_as_blank(tmp_path, scores, error):
    source = workbook(tmp_path / "二月.xlsx", cell("C3", error))  # 梅林村's 和美家园建设
    problems = refused(source, scores)
    assert where(problems) == [(SHEET, 3, "和美家园建设", "error_value")]
    assert problems[0].message.startswith(f"单元格 C3 显示错误值 {error}（公式或引用出错）")
    assert "导入不能把它当作空白（空白的分数表示未参评）" in problems[0].message


def test_a_formula_whose_saved_result_is_an_error_is_refused(tmp_path, scores):
    source = patch(
        workbook(tmp_path / "二月.xlsx"),
        SHEET_XML,
        '<c r="C3" t="n"><v>85</v></c>',
        '<c r="C3" t="e"><f>1/0</f><v>#DIV/0!</v></c>',
    )
    assert where(refused(source, scores)) == [(SHEET, 3, "和美家园建设", "error_value")]


def test_errors_where_import_does_not_read_are_no_problem(tmp_path, scores):
    def around(sheet, book):
        sheet["E1"] = "备注"
        sheet["E3"] = "#N/A"  # a column of no category
        sheet.append(["合计", "#REF!", "#DIV/0!", None])  # a row that is no village

    done = import_workbook(workbook(tmp_path / "二月.xlsx", around), "2024-02", scores)
    assert done.path.read_bytes() == CANONICAL
    assert done.skipped == ("第8行「合计」",)


def test_an_error_in_the_village_column_and_the_header_is_refused(tmp_path, scores):
    def spoil(sheet, book):
        sheet["A4"] = "#N/A"  # 桃源村's name
        sheet["C1"] = "#REF!"  # the header of 和美家园建设

    problems = refused(workbook(tmp_path / "二月.xlsx", spoil), scores)
    assert (SHEET, 1, "C", "error_value") in where(problems)
    assert (SHEET, 4, "村名", "error_value") in where(problems)
    assert not [p for p in problems if p.row == 4 and p.code != "error_value"]  # said once


def test_a_row_of_error_values_is_not_skipped_as_empty(tmp_path, scores):
    def errors(sheet, book):
        sheet.append(["#N/A", "#N/A", "#N/A", "#N/A"])

    problems = refused(workbook(tmp_path / "二月.xlsx", errors), scores)
    assert [(p.row, p.code) for p in problems if p.row == 8] == [(8, "error_value")] * 4


# -- formulas without a saved result -----------------------------------------------------------


def test_formulas_without_result_where_import_does_not_read_are_no_problem(tmp_path, scores):
    def totals(sheet, book):  # openpyxl saves formulas without results, as a library does
        sheet["E1"] = "合计"
        for row in range(2, 8):
            sheet[f"E{row}"] = f"=B{row}+C{row}"
        sheet.append(["平均分", "=AVERAGE(B2:B7)", "=AVERAGE(C2:C7)", None])
        sheet.append([None, "合计", "=SUM(C2:C7)"])

    done = import_workbook(workbook(tmp_path / "二月.xlsx", totals), "2024-02", scores)
    assert done.path.read_bytes() == CANONICAL
    assert done.skipped == ("第8行「平均分」", "第9行「合计」")


def test_a_formula_without_result_in_the_header_is_refused(tmp_path, scores):
    problems = refused(workbook(tmp_path / "二月.xlsx", cell("C1", '="和美"&"家园建设"')), scores)
    assert where(problems) == [  # and so the loader misses the column it would name
        (SHEET, 1, "C", "formula_without_result"),
        (SHEET, 1, "和美家园建设", "missing_column"),
    ]
    assert "看不出这一列是什么" in problems[0].message


# -- number formats ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "number_format", "code", "says"),
    [
        (0.925, "0.0%", "percent_cell", "显示为 92.5%，表格里存的是 0.925"),
        (0.92, "0%", "percent_cell", "显示为 92%，表格里存的是 0.92"),
        (85, ";;;", "hidden_value", "的数字格式「;;;」把内容隐藏了（显示为空白），表格里存的是 85"),
        (85, '"优秀"', "hidden_value", "让它显示为「优秀」，表格里存的是 85"),
        (0, '0;-0;"-"', "hidden_value", "让它显示为「-」，表格里存的是 0"),
        (0, "#", "hidden_value", "把内容隐藏了"),
        (85, "[$¥-804]#,##0.00", "hidden_value", "让它显示为「¥85.00」"),
        (92.45, "0.0", "shown_differs", "显示为 92.5，表格里存的却是 92.45（数字格式「0.0」"),
        (92.5, "0", "shown_differs", "显示为 93，表格里存的却是 92.5"),
        (85000, "0,", "shown_differs", "显示为 85，表格里存的却是 85000"),
        (92.456, "0.00E+00", "shown_differs", "显示为 9.25E+01，表格里存的却是 92.456"),
        (85, "[>=90]0;0", "unknown_format", "导入无法核对的数字格式「[>=90]0;0」"),
        (85, "[DBNum1]0", "unknown_format", "「[DBNum1]0」"),
        (85, "# ?/?", "unknown_format", "「# ?/?」"),
    ],
)
def test_a_score_shown_otherwise_than_it_is_is_refused(
    tmp_path, scores, value, number_format, code, says
):
    source = workbook(tmp_path / "二月.xlsx", cell("B3", value, number_format))
    problems = refused(source, scores)
    assert where(problems) == [(SHEET, 3, "党建引领发展", code)]
    assert problems[0].message.startswith("单元格 B3 ")
    assert says in problems[0].message


@pytest.mark.parametrize(
    "number_format",
    ["General", "0", "0.00", "#,##0", "#,##0.00", '0"分"', "0.0_ ", "@", "0.00E+00", "[Red]0.0"],
)
def test_a_score_shown_as_itself_is_read(tmp_path, scores, number_format):
    """85 shows as 85, 85.00, 85分, 8.50E+01: the number the office sees is the one stored."""
    source = workbook(tmp_path / "二月.xlsx", cell("B3", 85, number_format))
    assert import_workbook(source, "2024-02", scores).path.read_bytes() == CANONICAL


@pytest.mark.parametrize("number_format", ["[White]0", "[白色]0", "[Color2]0.0", "0;-0;[White]0"])
def test_a_number_in_its_formats_own_white_is_refused(tmp_path, scores, number_format):
    value = 0 if number_format.startswith("0;") else 85
    problems = refused(workbook(tmp_path / "二月.xlsx", cell("B3", value, number_format)), scores)
    assert where(problems) == [(SHEET, 3, "党建引领发展", "hidden_value")]
    assert "字体颜色和底色相同" in problems[0].message


def test_a_formats_colour_that_shows_is_read(tmp_path, scores):
    red = cell("B3", 85, "0;[Red]-0")  # red only for a negative number
    assert import_workbook(workbook(tmp_path / "红.xlsx", red), "2024-02", scores).path.exists()
    (scores / "2024" / "2024-02.csv").unlink()
    on_black = cell("B3", 85, "[White]0", fill=PatternFill("solid", fgColor="000000"))
    done = import_workbook(workbook(tmp_path / "黑.xlsx", on_black), "2024-02", scores)
    assert done.path.read_bytes() == CANONICAL


def test_a_negative_sections_own_minus_is_its_sign(tmp_path, scores):
    """-5 under 0;[Red]-0 shows -5: the loader refuses it as below zero, not as a format."""
    problems = refused(workbook(tmp_path / "二月.xlsx", cell("B3", -5, "0;[Red]-0")), scores)
    assert where(problems) == [(SHEET, 3, "党建引领发展", "out_of_range")]


def test_a_zero_in_a_sheet_that_does_not_show_zeros_is_refused(tmp_path, scores):
    def zeros_off(sheet, book):
        sheet["B3"] = 0
        sheet.sheet_view.showZeros = False

    problems = refused(workbook(tmp_path / "二月.xlsx", zeros_off), scores)
    assert where(problems) == [(SHEET, 3, "党建引领发展", "hidden_value")]
    assert problems[0].message.startswith("单元格 B3 存的是 0，但这个工作表设置了不显示零值")
    assert "空白的分数表示未参评" in problems[0].message

    def zeros_on(sheet, book):
        sheet["B3"] = 0

    done = import_workbook(workbook(tmp_path / "零.xlsx", zeros_on), "2024-02", scores)
    assert read_csv(done.path)[2][:2] == ["梅林村", "0"]


def test_a_text_hidden_by_its_format_is_refused(tmp_path, scores):
    problems = refused(workbook(tmp_path / "二月.xlsx", cell("B3", "85", ";;;")), scores)
    assert where(problems) == [(SHEET, 3, "党建引领发展", "hidden_value")]


def test_white_on_white_is_refused(tmp_path, scores):
    white = Font(color="FFFFFF")
    problems = refused(workbook(tmp_path / "二月.xlsx", cell("B3", font=white)), scores)
    assert where(problems) == [(SHEET, 3, "党建引领发展", "hidden_value")]
    assert "字体颜色和底色相同（例如白字白底），看不见它的内容 85" in problems[0].message
    yellow = PatternFill("solid", fgColor="FFFF00")
    on_yellow = cell("B3", font=Font(color="FFFF00"), fill=yellow)
    assert where(refused(workbook(tmp_path / "黄.xlsx", on_yellow), scores))[0][3] == "hidden_value"
    visible = cell("B3", font=Font(color="FFFFFF"), fill=PatternFill("solid", fgColor="000000"))
    done = import_workbook(workbook(tmp_path / "黑.xlsx", visible), "2024-02", scores)
    assert done.path.read_bytes() == CANONICAL


def test_a_white_header_is_refused_for_a_category_only(tmp_path, scores):
    white = Font(color="FFFFFF")
    problems = refused(workbook(tmp_path / "二月.xlsx", cell("C1", font=white)), scores)
    assert where(problems) == [(SHEET, 1, "C", "hidden_value")]

    def white_note(sheet, book):
        sheet["E1"], sheet["E1"].font = "辅助列", white

    done = import_workbook(workbook(tmp_path / "辅助.xlsx", white_note), "2024-02", scores)
    assert done.path.read_bytes() == CANONICAL


@pytest.mark.parametrize(
    ("text", "code"),
    [("92分", "not_a_number"), ("92（补考）", "not_a_number"), (True, "not_a_number")],
)
def test_a_score_with_a_note_or_a_boolean_is_refused_naming_the_cell(tmp_path, scores, text, code):
    problems = refused(workbook(tmp_path / "二月.xlsx", cell("B3", text)), scores)
    assert where(problems) == [(SHEET, 3, "党建引领发展", code)]
    assert problems[0].message.endswith("（单元格 B3）")


def test_full_width_digits_read_as_they_show(tmp_path, scores):
    done = import_workbook(workbook(tmp_path / "二月.xlsx", cell("B3", "８５")), "2024-02", scores)
    assert done.path.read_bytes() == CANONICAL


# -- hidden rows, columns and sheets ----------------------------------------------------------


def hide_row(row: int):
    def edit(sheet, book):
        sheet.row_dimensions[row].hidden = True

    return edit


def test_a_hidden_village_row_is_refused(tmp_path, scores):
    problems = refused(workbook(tmp_path / "二月.xlsx", hide_row(3)), scores)
    assert where(problems) == [(SHEET, 3, "村名", "hidden_row")]
    assert problems[0].message.startswith("第3行「梅林村」被隐藏，在 Excel 里看不到")
    assert "请在 Excel 里取消隐藏" in problems[0].message


def test_a_hidden_header_row_is_refused(tmp_path, scores):
    problems = refused(workbook(tmp_path / "二月.xlsx", hide_row(1)), scores)
    assert where(problems) == [(SHEET, 1, "村名", "hidden_row")]
    assert problems[0].message.startswith("第1行（表头行）被隐藏")


def test_filtered_and_collapsed_rows_say_so(tmp_path, scores):
    def filtered(sheet, book):
        sheet.auto_filter.ref = "A1:D7"
        sheet.auto_filter.add_filter_column(1, ["95"])
        for row in range(3, 8):
            sheet.row_dimensions[row].hidden = True

    problems = refused(workbook(tmp_path / "二月.xlsx", filtered), scores)
    assert [(p.row, p.code) for p in problems] == [(r, "hidden_row") for r in range(3, 8)]
    assert "被筛选隐藏" in problems[0].message and "清除筛选" in problems[0].message

    def grouped(sheet, book):
        sheet.row_dimensions.group(6, 7, hidden=True)

    problems = refused(workbook(tmp_path / "组.xlsx", grouped), scores)
    assert [(p.row, p.code) for p in problems] == [(6, "hidden_row"), (7, "hidden_row")]
    assert "在折叠的分组里" in problems[0].message and "展开分组" in problems[0].message


def test_a_zero_height_row_is_hidden(tmp_path, scores):
    source = patch(
        workbook(tmp_path / "二月.xlsx"),
        SHEET_XML,
        '<row r="4">',
        '<row r="4" ht="0" customHeight="1">',
    )
    problems = refused(source, scores)
    assert where(problems) == [(SHEET, 4, "村名", "hidden_row")]
    assert "行高为 0" in problems[0].message


def test_a_hidden_row_import_skips_anyway_is_no_problem(tmp_path, scores):
    def total(sheet, book):
        sheet.append(["合计", 512, 500.5, 380])
        sheet.row_dimensions[8].hidden = True
        sheet.row_dimensions[9].hidden = True  # an empty hidden row

    done = import_workbook(workbook(tmp_path / "二月.xlsx", total), "2024-02", scores)
    assert done.path.read_bytes() == CANONICAL


def test_a_hidden_category_column_is_refused_and_an_ignored_one_is_listed(tmp_path, scores):
    def hide(sheet, book):
        sheet.column_dimensions["C"].hidden = True

    problems = refused(workbook(tmp_path / "二月.xlsx", hide), scores)
    assert where(problems) == [(SHEET, 1, "和美家园建设", "hidden_column")]
    assert problems[0].message.startswith("C列「和美家园建设」被隐藏，在 Excel 里看不到")

    def hide_note(sheet, book):
        sheet["E1"] = "备注"
        sheet.column_dimensions["E"].hidden = True

    done = import_workbook(workbook(tmp_path / "备注.xlsx", hide_note), "2024-02", scores)
    assert done.ignored == ("E「备注」（隐藏）",)


def test_a_zero_width_column_is_hidden(tmp_path, scores):
    source = workbook(tmp_path / "二月.xlsx")
    source = patch(
        source,
        SHEET_XML,
        "<sheetData>",
        '<cols><col min="2" max="2" width="0" customWidth="1"/></cols><sheetData>',
    )
    problems = refused(source, scores)
    assert where(problems) == [(SHEET, 1, "党建引领发展", "hidden_column")]
    assert "列宽为 0" in problems[0].message


def other_sheet(title: str, state: str = "visible", rows=None):
    def edit(sheet, book):
        other = book.create_sheet(title)
        other.append(HEADER)
        for village, *scores in rows or ROWS:
            other.append([village, *(float(s) if s else None for s in scores)])
        other.sheet_state = state

    return edit


@pytest.mark.parametrize(("state", "how"), [("hidden", "隐藏"), ("veryHidden", "深度隐藏")])
def test_a_hidden_sheet_holding_scores_is_named(tmp_path, scores, state, how, capsys):
    source = workbook(tmp_path / "二月.xlsx", other_sheet("初评", state))
    done = import_workbook(source, "2024-02", scores)
    assert done.path.read_bytes() == CANONICAL
    assert [(p.code, p.severity) for p in done.warnings] == [("hidden_sheet", "warning")]
    assert done.warnings[0].message.startswith(f"{how}")
    assert "「初评」里也有评分表（表头在第1行）" in done.warnings[0].message
    done.path.unlink()
    args = ["import", str(source), "--month", "2024-02", "--scores", str(scores)]
    assert main(args) == 0
    assert "（提醒）" in capsys.readouterr().err


def test_a_table_only_on_a_hidden_sheet_is_refused_until_chosen(tmp_path, scores):
    def cover(sheet, book):
        sheet.delete_rows(1, 10)
        sheet["A1"] = "封面"
        other_sheet("评分", "hidden")(sheet, book)

    source = workbook(tmp_path / "评分.xlsx", cover, name="封面")
    problems = refused(source, scores)
    assert where(problems) == [("评分.xlsx", None, None, "hidden_sheet")]
    assert problems[0].severity == "error"
    assert problems[0].message.startswith("评分表只在隐藏的工作表「评分」里")
    done = import_workbook(source, "2024-02", scores, sheet="评分")
    assert done.path.read_bytes() == CANONICAL


@pytest.mark.parametrize(
    ("names", "month", "hint"),
    [
        (("初评", "终评"), "2024-02", ""),
        (("1月", "2月"), "2024-02", "（名称与 2024-02 相符的是「2月」：--sheet 2月）"),
    ],
)
def test_several_score_sheets_are_refused_until_one_is_chosen(tmp_path, scores, names, month, hint):
    first, second = names
    source = workbook(tmp_path / "评分.xlsx", other_sheet(second), name=first)
    problems = refused(source, scores, month)
    assert where(problems) == [("评分.xlsx", None, None, "several_score_sheets")]
    assert problems[0].message == (
        f"这个表格有 2 个工作表像评分表：「{first}」、「{second}」；导入不替你挑选，"
        f"请用 --sheet 指定要导入哪一个{hint}"
    )
    done = import_workbook(source, month, scores, sheet=second)
    assert done.path.read_bytes() == CANONICAL


def test_too_many_sheets_to_search_ask_for_one(tmp_path, scores):
    def many(sheet, book):
        for index in range(30):
            book.create_sheet(f"表{index}")

    source = workbook(tmp_path / "评分.xlsx", many)
    assert where(refused(source, scores)) == [("评分.xlsx", None, None, "several_score_sheets")]
    assert import_workbook(source, "2024-02", scores, sheet="1").path.read_bytes() == CANONICAL


# -- the workbook's own month ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "sheet", "title", "place", "what", "found"),
    [
        (
            "评分.xlsx",
            "评分",
            "测试镇2024年3月村级评比得分表",
            "标题（第1行）",
            "标题",
            "2024年3月",
        ),
        (
            "评分.xlsx",
            "评分",
            "测试镇2023年2月村级评比得分表",
            "标题（第1行）",
            "标题",
            "2023年2月",
        ),
        ("评分.xlsx", "评分", "三月份村级考核得分表", "标题（第1行）", "标题", "三月份"),
        ("评分.xlsx", "评分", "测试镇二〇二四年三月评分", "标题（第1行）", "标题", "三月"),
        ("评分.xlsx", "3月", None, "工作表名「3月」", "工作表名", "3月"),
        ("评分.xlsx", "三月份", None, "工作表名「三月份」", "工作表名", "三月份"),
        ("2024-03评分.xlsx", "评分", None, "文件名「2024-03评分.xlsx」", "文件名", "2024-03"),
        ("3月份.xlsx", "评分", None, "文件名「3月份.xlsx」", "文件名", "3月份"),
    ],
)
def test_a_workbook_naming_another_month_is_refused(
    tmp_path, scores, file, sheet, title, place, what, found
):
    source = workbook(tmp_path / file, title=title, name=sheet)
    problems = refused(source, scores)
    assert [p.code for p in problems] == ["workbook_period"]
    assert problems[0].message == (
        f"{place}写的是「{found}」，与要导入的 2024-02 不一致；请核对：如果这确实是 2024-02 的评分，"
        f"请改正{what}后再导入，否则请改 --month"
    )


@pytest.mark.parametrize(
    ("file", "sheet", "title"),
    [
        ("评分.xlsx", "二月", "测试镇2024年2月村级评比得分表"),
        ("2024-02评分.xlsx", "2月份", "测试镇2024年村级评比"),
        ("202402.xlsx", "评分", "填报日期：2024年3月5日"),  # a date names no month
        ("1-3月评分.xlsx", "评分", "测试镇2024年1-3月累计"),  # nor does a range
        ("评分.xlsx", "评分", "二月份考核（3月5日前上报）"),
    ],
)
def test_a_workbook_naming_its_own_month_or_none_is_read(tmp_path, scores, file, sheet, title):
    source = workbook(tmp_path / file, title=title, name=sheet)
    assert import_workbook(source, "2024-02", scores).path.read_bytes() == CANONICAL


def test_an_annual_workbook_naming_another_year_is_refused(tmp_path, scores):
    def annual(sheet, book):
        sheet.delete_rows(1, 10)
        sheet.append(["测试镇2023年度党风廉政建设考核"])
        sheet.append(["村名", "党风廉政建设"])
        for index, (village, *_) in enumerate(ROWS[:-1]):
            sheet.append([village, 90 - index])

    source = workbook(tmp_path / "年度.xlsx", annual, name="年度")
    problems = refused(source, scores, "2024", annual=True)
    assert [p.code for p in problems] == ["workbook_period"]
    assert "写的是「2023年」，与要导入的 2024 不一致" in problems[0].message
    assert problems[0].message.endswith("否则请改 --annual")


# -- validate's warnings, from import ---------------------------------------------------------


def test_a_category_blank_for_every_village_is_reported_as_validate_does(tmp_path, scores, capsys):
    def blank(sheet, book):
        for row in range(2, 8):
            sheet[f"C{row}"] = None

    source = workbook(tmp_path / "二月.xlsx", blank)
    done = import_workbook(source, "2024-02", scores)
    assert [(p.file, p.row, p.column, p.code) for p in done.warnings] == [
        (SHEET, 1, "和美家园建设", "blank_category")
    ]
    validated = load(scores).warnings  # the same code and words, on the CSV's own cell
    assert [(p.code, p.column) for p in validated] == [("blank_category", "和美家园建设")]
    assert done.warnings[0].message == validated[0].message + "（单元格 C1）"
    done.path.unlink()
    assert main(["import", str(source), "--month", "2024-02", "--scores", str(scores)]) == 0
    err = capsys.readouterr().err
    assert "「和美家园建设」这一列没有任何村有分数（全部未参评）" in err
    assert main(["validate", "--scores", str(scores)]) == 0
    assert "「和美家园建设」这一列没有任何村有分数" in capsys.readouterr().err


def test_a_month_equal_to_the_previous_is_reported_as_validate_does(tmp_path):
    rows = [row for row in FEBRUARY if row[0] != "枫林村"]  # 枫林村 leaves after 2024-02
    scores = write_town(tmp_path, {"2024-03": rows}, {})
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(tmp_path / "四月.xlsx")
    done = import_workbook(tmp_path / "四月.xlsx", "2024-04", scores)
    assert [(p.code, p.severity) for p in done.warnings] == [("same_as_previous", "warning")]
    assert "与上一期 2024-03 完全相同" in done.warnings[0].message
    assert [p.code for p in load(scores).warnings] == ["same_as_previous"]


# -- .ods -----------------------------------------------------------------------------------


def test_ods_header_merged_over_two_rows_is_found(tmp_path, scores):
    """序号 and 村名 merged over rows 2-3, 评比项目 over the category names below it."""
    rows = [
        ["测试镇2024年2月评分"],
        ["村名", "评比项目", "", ""],
        ["", *HEADER[1:]],
        *([name, float(p), float(h), float(g) if g else ""] for name, p, h, g in ROWS),
    ]
    path = ods_file(tmp_path / "二月.ods", rows)
    content = read_member(path, "content.xml")
    merged = content.replace(
        '<table:table-cell office:value-type="string"><text:p>村名</text:p>',
        '<table:table-cell table:number-rows-spanned="2" office:value-type="string">'
        "<text:p>村名</text:p>",
        1,
    ).replace(
        '<table:table-cell office:value-type="string"><text:p>评比项目</text:p>',
        '<table:table-cell table:number-columns-spanned="3" office:value-type="string">'
        "<text:p>评比项目</text:p>",
        1,
    )
    write_member(path, "content.xml", merged.replace("<text:p></text:p>", ""))
    done = import_workbook(path, "2024-02", scores)
    assert (done.sheet, done.header_row) == ("二月.ods「二月」", 3)
    assert done.path.read_bytes() == CANONICAL


def read_member(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name).decode()


def write_member(path: Path, name: str, text: str) -> None:
    with zipfile.ZipFile(path) as archive:
        members = [(i.filename, archive.read(i.filename)) for i in archive.infolist()]
    with zipfile.ZipFile(path, "w") as archive:
        for member, data in members:
            archive.writestr(member, text.encode() if member == name else data)


# -- what real office software writes ------------------------------------------------------

needs_office = (
    pytest.mark.skipif(  # CI sets FLAGBOARD_REQUIRE_OFFICE: there a missing soffice fails
        shutil.which("soffice") is None and not os.environ.get("FLAGBOARD_REQUIRE_OFFICE"),
        reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui",
    )
)


@pytest.fixture(scope="module")
def office_profile(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("lo-profile")


def saved_by_libreoffice(source: Path, kind: str, profile: Path, out: Path) -> Path:
    """LibreOffice opens the workbook, calculates its formulas and saves it as `kind`."""
    out.mkdir(exist_ok=True)
    run = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            kind,
            "--outdir",
            str(out),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    saved = out / f"{source.stem}.{kind}"
    assert saved.exists(), run.stdout + run.stderr
    return saved


def everything_hidden(sheet, book) -> None:
    """One of each kind of cell that does not show its value, in the rows import reads."""
    sheet["B2"] = "=1/0"  # 东山村: #DIV/0! once calculated
    sheet["B3"], sheet["B3"].number_format = 0.85, "0%"  # 梅林村: 85%
    sheet["C4"].number_format = ";;;"  # 桃源村: hidden
    sheet["D5"], sheet["D5"].number_format = 59.95, "0.0"  # 西湖村: 60.0
    sheet["C6"].font = Font(color="FFFFFF")  # 枫林村: white on white
    sheet.row_dimensions[7].hidden = True  # 新苑村: a hidden row
    sheet["E1"] = "合计"  # a formula where import does not read
    sheet["E2"] = "=B2+C2"


EXPECTED = [
    (2, "党建引领发展", "error_value"),
    (3, "党建引领发展", "percent_cell"),
    (4, "和美家园建设", "hidden_value"),
    (5, "创业承诺践行", "shown_differs"),
    (6, "和美家园建设", "hidden_value"),
    (7, "村名", "hidden_row"),
]


@needs_office
@pytest.mark.parametrize("kind", ["xlsx", "ods", "xls"])
def test_what_libreoffice_saves_is_read_as_it_shows(tmp_path, scores, office_profile, kind):
    source = workbook(tmp_path / "二月.xlsx", everything_hidden)
    saved = saved_by_libreoffice(source, kind, office_profile, tmp_path / "saved")
    problems = refused(saved, scores)
    assert [(p.row, p.column, p.code) for p in problems] == EXPECTED
    shown = {p.row: p.message for p in problems}
    assert "显示错误值 #DIV/0!" in shown[2]
    assert "显示为 85%" in shown[3]
    assert "显示为 60.0，表格里存的却是 59.95" in shown[5]


@needs_office
@pytest.mark.parametrize("kind", ["ods", "xls"])
def test_hidden_columns_and_sheets_saved_by_libreoffice(tmp_path, scores, office_profile, kind):
    def hide(sheet, book):
        sheet.column_dimensions["C"].hidden = True
        other_sheet("初评", "hidden")(sheet, book)

    saved = saved_by_libreoffice(
        workbook(tmp_path / "二月.xlsx", hide), kind, office_profile, tmp_path / "saved"
    )
    problems = refused(saved, scores)
    assert [(p.row, p.column, p.code) for p in problems] == [(1, "和美家园建设", "hidden_column")]
    source = workbook(tmp_path / "初评.xlsx", other_sheet("初评", "hidden"))
    saved = saved_by_libreoffice(source, kind, office_profile, tmp_path / "saved2")
    done = import_workbook(saved, "2024-02", scores)
    assert [p.code for p in done.warnings] == ["hidden_sheet"]


@needs_office
def test_ods_header_merged_over_two_rows_saved_by_libreoffice(tmp_path, scores, office_profile):
    def two_rows(sheet, book):
        sheet.insert_rows(1)
        sheet["A1"], sheet["B1"] = "村名", "评比项目"
        sheet.merge_cells("A1:A2")
        sheet.merge_cells("B1:D1")

    source = workbook(tmp_path / "二月.xlsx", two_rows)
    for kind in ("ods", "xlsx", "xls"):
        saved = saved_by_libreoffice(source, kind, office_profile, tmp_path / kind)
        done = import_workbook(saved, "2024-02", scores, force=True)
        assert done.header_row == 2, kind
        assert done.path.read_bytes() == CANONICAL, kind


@needs_office
@pytest.mark.parametrize("kind", ["xlsx", "ods", "xls"])
def test_zeros_not_shown_as_libreoffice_saves_it(tmp_path, scores, office_profile, kind):
    """LibreOffice keeps 「不显示零值」 in each format its own way (sheetView showZeros, settings.xml
    ShowZeroValues, WINDOW2): a 0 there is blank on screen, never imported as 0."""

    def zero(sheet, book):
        sheet["B3"], sheet["D5"] = 0, 0
        sheet.sheet_view.showZeros = False

    saved = saved_by_libreoffice(
        workbook(tmp_path / "二月.xlsx", zero), kind, office_profile, tmp_path / "saved"
    )
    problems = refused(saved, scores)
    assert [(p.row, p.column, p.code) for p in problems] == [
        (3, "党建引领发展", "hidden_value"),
        (5, "创业承诺践行", "hidden_value"),
    ]
    assert "不显示零值" in problems[0].message


@needs_office
@pytest.mark.parametrize("kind", ["xlsx", "ods", "xls"])
def test_a_formats_own_white_as_libreoffice_saves_it(tmp_path, scores, office_profile, kind):
    """[White]0 (.ods: a number style's fo:color, by its style:map for zero) on a white cell."""

    def white(sheet, book):
        sheet["B3"].number_format = "[White]0"
        sheet["D5"], sheet["D5"].number_format = 0, "0;-0;[White]0"
        sheet["C4"].number_format = "0;[White]-0"  # 90: shown in the font's own colour

    saved = saved_by_libreoffice(
        workbook(tmp_path / "二月.xlsx", white), kind, office_profile, tmp_path / "saved"
    )
    problems = refused(saved, scores)
    assert [(p.row, p.column, p.code) for p in problems] == [
        (3, "党建引领发展", "hidden_value"),
        (5, "创业承诺践行", "hidden_value"),
    ]
    assert "字体颜色和底色相同" in problems[0].message


FORMATS = [
    (92.456, "0.0"),
    (92.45, "0.0"),
    (92.5, "0"),
    (0.925, "0.0%"),
    (85, "#,##0.00"),
    (1234.5, "#,##0"),
    (85000, "0,"),
    (85, "0.00E+00"),
    (92.456, "0.00E+00"),
    (85, '0"分"'),
    (85.5, "#.#"),
    (0, '0;-0;"-"'),
    (-5, "0;(0)"),
]


@needs_office
def test_numfmt_renders_formats_as_libreoffice_shows_them(tmp_path, office_profile):
    """The text LibreOffice saves beside each number in an .ods is what numfmt renders."""
    book = openpyxl.Workbook()
    for row, (value, number_format) in enumerate(FORMATS, start=1):
        book.active.cell(row, 1, value).number_format = number_format
    book.save(tmp_path / "格式.xlsx")
    saved = saved_by_libreoffice(tmp_path / "格式.xlsx", "ods", office_profile, tmp_path / "o")
    content = read_member(saved, "content.xml")
    shown = re.findall(
        r"<table:table-cell[^>]*office:value=[^>]*><text:p>([^<]*)</text:p>", content
    )
    rendered = [shown_number(float(v), f).text.strip() for v, f in FORMATS]
    assert shown == rendered


def test_rows_read_from_a_csv_source_are_unaffected(tmp_path, scores):
    """A CSV file has no formats: nothing changes for it."""
    source = tmp_path / "二月.csv"
    source.write_bytes(("\n".join(",".join(r) for r in FEBRUARY) + "\n").encode())
    assert import_workbook(source, "2024-02", scores).path.read_bytes() == CANONICAL
    assert read_csv(scores / "2024" / "2024-02.csv")[1] == ["东山村", "95", "80", "70"]

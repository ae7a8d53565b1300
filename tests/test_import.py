"""`flagboard import`: real .xlsx workbooks made with openpyxl → the canonical CSV, validated."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest
from _office_helpers import FEBRUARY, FEBRUARY_EVENTS, JANUARY, csv_bytes, write_town

from generator.cli import main
from generator.load import load
from generator.office.importer import cell_text, import_workbook
from generator.problems import InvalidData

SHEET = "评分.xlsx「二月」"
IGNORED = (
    "导入时忽略了这些列（不是评比项目）：A「序号」、B「网格」、G「合计」；"
    "如果其中有评比项目，请把表头改为 town.toml 里的名称"
)
CANONICAL = (
    "\ufeff村名,党建引领发展,和美家园建设,创业承诺践行\n"
    "东山村,95,80,70\n梅林村,85,85,80\n桃源村,75,90,90\n"
    "西湖村,80,78.5,60\n枫林村,92,78.5,80\n新苑村,85,88,\n"
).encode()


def third_party_workbook(path: Path, edit=None) -> Path:
    """February's scores the way a third party sends them: a hidden sheet first, a merged title
    above the header, extra columns, the grid column merged, numbers stored as text."""
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "说明"
    notes.append(["村名", "党建引领发展"])  # a decoy table: must not be read
    notes.append(["东山村", 1])
    notes.sheet_state = "hidden"
    sheet = book.create_sheet("二月")
    sheet["A1"] = "测试镇2024年2月村级评比得分汇总表"
    sheet.merge_cells("A1:G1")
    sheet["A2"] = "填报单位:某某评估公司"
    sheet.append(
        ["序号", "网格", "村 名", "党建引领发展\n(满分100)", "和美家园建设", "创业承诺践行", "合计"]
    )
    grids = ["东片网格"] * 3 + ["西片网格"] * 3
    for i, (row, grid) in enumerate(zip(FEBRUARY[1:], grids, strict=True), start=1):
        name, party, home, pledge = row
        # Party scores stored as text (some with spaces), the others as numbers.
        sheet.append(
            [
                i,
                grid,
                name,
                f" {party} " if i % 2 else party,
                float(home),
                float(pledge) if pledge else None,
                float(party) + float(home),
            ]
        )
    sheet.merge_cells("B4:B6")
    sheet.merge_cells("B7:B9")
    sheet.append([None, "合计", "合计", 512, 500.5, 380])
    if edit:
        edit(sheet)
    book.save(path)
    return path


@pytest.fixture
def scores(tmp_path) -> Path:
    return write_town(tmp_path, {"2024-01": JANUARY}, {})


def add_events(scores: Path) -> None:
    path = scores / "2024" / "2024-02.events.csv"
    path.write_bytes(csv_bytes([["村名", "事件", "类别", "分值", "说明"], *FEBRUARY_EVENTS]))


def where(error: pytest.ExceptionInfo) -> list[tuple]:
    return [(p.file, p.row, p.column, p.code) for p in error.value.problems]


def test_workbook_becomes_the_canonical_file(tmp_path, scores):
    add_events(scores)
    source = third_party_workbook(tmp_path / "评分.xlsx")
    done = import_workbook(source, "2024-02", scores)
    assert done.path == scores / "2024" / "2024-02.csv"
    assert done.path.read_bytes() == CANONICAL
    assert (done.sheet, done.header_row, done.villages) == (SHEET, 3, 6)
    assert done.categories == ("党建引领发展", "和美家园建设", "创业承诺践行")
    assert done.ignored == ("A「序号」", "B「网格」", "G「合计」")
    assert done.renamed == ()
    assert done.skipped == ("第10行「合计」",)
    data = load(scores)
    assert data.periods == ("2024-01", "2024-02")
    assert len(data.events) == 3


def test_near_village_names_are_mapped_and_reported(tmp_path, scores):
    def shorten(sheet):
        sheet["C4"] = "东山"
        sheet["C8"] = "枫 林 村"

    source = third_party_workbook(tmp_path / "评分.xlsx", shorten)
    done = import_workbook(source, "2024-02", scores)
    assert done.path.read_bytes() == CANONICAL
    assert done.renamed == ("第4行「东山」→「东山村」", "第8行「枫 林 村」→「枫林村」")


def test_bad_workbook_points_at_the_sheet_rows_and_cells(tmp_path, scores):
    def spoil(sheet):
        sheet["D5"] = "9O"  # 梅林村's party score: a letter O
        sheet["C7"] = "北山村"  # not in villages.csv (and 西湖村 is then missing)
        sheet["E9"] = 101
        sheet["C6"] = "梅林村"  # 桃源村's row now repeats 梅林村

    source = third_party_workbook(tmp_path / "评分.xlsx", spoil)
    with pytest.raises(InvalidData) as error:
        import_workbook(source, "2024-02", scores)
    assert where(error) == [
        (SHEET, None, "村名", "missing_village"),
        (SHEET, None, "村名", "missing_village"),
        (SHEET, 3, None, "ignored_columns"),
        (SHEET, 5, "党建引领发展", "not_a_number"),
        (SHEET, 6, "村名", "duplicate_village"),
        (SHEET, 7, "村名", "unknown_village"),
        (SHEET, 9, "和美家园建设", "out_of_range"),
    ]
    texts = [p.text() for p in error.value.problems]
    assert (
        texts[2] == f"{SHEET} 第3行：（提醒）" + IGNORED
    )  # the columns it passed over, still said
    texts = texts[:2] + texts[3:]
    assert texts[2] == (
        f"{SHEET} 第5行「党建引领发展」列：「9O」不是数字，请填写0到100之间的分数；"
        "不参评请留空或写未参评（单元格 D5）"
    )
    assert "第5行已有" in texts[3]  # the loader's own row number, moved to the sheet too
    assert texts[4].endswith("（单元格 C7）")
    assert not (scores / "2024" / "2024-02.csv").exists()


def test_merged_score_cells_are_refused(tmp_path, scores):
    source = third_party_workbook(tmp_path / "评分.xlsx", lambda s: s.merge_cells("D4:E4"))
    with pytest.raises(InvalidData) as error:
        import_workbook(source, "2024-02", scores)
    assert where(error) == [(SHEET, 3, None, "ignored_columns"), (SHEET, 4, None, "merged_cells")]
    assert "D4:E4 是合并单元格" in error.value.problems[1].message


def test_chosen_sheet_and_unknown_sheet(tmp_path, scores):
    source = third_party_workbook(tmp_path / "评分.xlsx")
    done = import_workbook(source, "2024-02", scores, sheet="2")
    assert done.path.read_bytes() == CANONICAL
    with pytest.raises(InvalidData) as error:
        import_workbook(source, "2024-02", scores, sheet="三月", force=True)
    assert where(error) == [("评分.xlsx", None, None, "unknown_sheet")]
    assert "「说明」、「二月」" in error.value.problems[0].message


def test_refuses_to_overwrite_unless_forced(tmp_path, scores):
    source = third_party_workbook(tmp_path / "评分.xlsx")
    target = scores / "2024" / "2024-01.csv"
    before = target.read_bytes()
    with pytest.raises(InvalidData) as error:
        import_workbook(source, "2024-01", scores)
    assert [p.code for p in error.value.problems] == ["file_exists"]
    assert target.read_bytes() == before
    # Forced, February's table replaces January's file — 新苑村 is not active in January.
    with pytest.raises(InvalidData) as error:
        import_workbook(source, "2024-01", scores, force=True)
    assert where(error) == [
        (SHEET, 3, None, "ignored_columns"),
        (SHEET, 9, "村名", "inactive_village"),
    ]
    assert target.read_bytes() == before


def test_csv_in_gbk_with_a_title_row_and_ids(tmp_path, scores):
    rows = [
        ["测试镇二月评分"],
        ["编号", "党建引领发展", "和美家园建设"],
        ["E1", "９５", "80"],
        ["E2", "85", "85"],
        ["E3", "75", "x"],
        ["W1", "80", "78.5"],
        ["W2", "92", "78.5"],
        ["W3", "85", "88"],
    ]
    source = tmp_path / "二月.csv"
    source.write_bytes(csv_bytes(rows, encoding="gbk"))
    with pytest.raises(InvalidData) as error:
        import_workbook(source, "2024-02", scores)
    assert where(error) == [("二月.csv", 5, "和美家园建设", "not_a_number")]
    assert error.value.problems[0].message.endswith("不参评请留空或写未参评")  # no cell letters
    rows[4][2] = "90"
    source.write_bytes(csv_bytes(rows, encoding="gbk"))
    done = import_workbook(source, "2024-02", scores)
    assert done.path.read_bytes().decode("utf-8-sig").splitlines()[:2] == [
        "编号,党建引领发展,和美家园建设",
        "E1,95,80",
    ]


def ods_file(path: Path, rows: list[list]) -> Path:
    """A minimal OpenDocument spreadsheet (what WPS and LibreOffice save as .ods)."""

    def cell(value) -> str:
        if isinstance(value, float):
            return (
                f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>"
            )
        return (
            f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p>'
            "</table:table-cell>"
        )

    body = "".join(
        "<table:table-row>" + "".join(map(cell, row)) + "</table:table-row>" for row in rows
    )
    ns = "urn:oasis:names:tc:opendocument:xmlns"
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        f'xmlns:office="{ns}:office:1.0" xmlns:table="{ns}:table:1.0" '
        f'xmlns:text="{ns}:text:1.0" office:version="1.2"><office:body><office:spreadsheet>'
        f'<table:table table:name="二月">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
        archive.writestr(
            "META-INF/manifest.xml",
            f'<manifest:manifest xmlns:manifest="{ns}:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>",
        )
    return path


def test_ods_workbook(tmp_path, scores):
    rows = [["测试镇2024年2月评分"], FEBRUARY[0]]
    rows += [[name, float(party), home, pledge] for name, party, home, pledge in FEBRUARY[1:]]
    done = import_workbook(ods_file(tmp_path / "二月.ods", rows), "2024-02", scores)
    assert (done.sheet, done.header_row) == ("二月.ods「二月」", 2)
    assert done.path.read_bytes() == CANONICAL


def test_no_header_row(tmp_path, scores):
    book = openpyxl.Workbook()
    book.active.append(["姓名", "分数"])
    book.save(tmp_path / "x.xlsx")
    with pytest.raises(InvalidData) as error:
        import_workbook(tmp_path / "x.xlsx", "2024-02", scores)
    assert [p.code for p in error.value.problems] == ["no_header"]


def test_unreadable_and_unsupported_files(tmp_path, scores):
    (tmp_path / "坏.xlsx").write_bytes(b"not a workbook")
    (tmp_path / "分数.docx").write_bytes(b"")
    for name, code in (
        ("坏.xlsx", "unreadable_workbook"),
        ("分数.docx", "unsupported_file"),
        ("没有.xlsx", "missing_file"),
    ):
        with pytest.raises(InvalidData) as error:
            import_workbook(tmp_path / name, "2024-02", scores)
        assert [p.code for p in error.value.problems] == [code]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (92.5, "92.5"),
        (90.0, "90"),
        (88.10000000000001, "88.1"),
        (7, "7"),
        (None, ""),
        ("　９２．５ ", "92.5"),
        (True, "TRUE"),
    ],
)
def test_cell_text(value, text):
    assert cell_text(value) == text


def test_cli(tmp_path, scores, capsys):
    source = third_party_workbook(tmp_path / "评分.xlsx", lambda s: s.__setitem__("C4", "东山"))
    args = ["import", str(source), "--month", "2024-02", "--scores", str(scores)]
    assert main(args) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:4] == [
        f"已从 {SHEET}（表头在第3行）导入 6 个村、3 个评比项目，写入 {scores.as_posix()}/2024/2024-02.csv",
        "已忽略的列：A「序号」、B「网格」、G「合计」",
        "已跳过不是村的行：第10行「合计」",
        "村名已按 villages.csv 对应：第4行「东山」→「东山村」",
    ]
    assert out[4].startswith("校验通过：测试镇")
    assert out[5:] == [
        f"请用 .venv/bin/flagboard preview 2024-02 --scores {scores.as_posix()} 核对本月结果，再提交。"
    ]
    assert main(args) == 1
    assert "请加 --force" in capsys.readouterr().err


# -- headers as third parties write them, cover sheets, summary rows, one way of numbers -----


def simple_workbook(path: Path, header: list, rows: list[list], cover: bool = False) -> Path:
    """One visible sheet 「二月」 with a header and rows; `cover`: a visible cover sheet first."""
    book = openpyxl.Workbook()
    sheet = book.active
    if cover:
        sheet.title = "封面"
        sheet.append(["测试镇2024年2月村级评比"])
        sheet.append(["评估单位：某某公司"])
        sheet = book.create_sheet("二月")
    else:
        sheet.title = "二月"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


FEBRUARY_ROWS = [list(row) for row in FEBRUARY[1:]]


@pytest.mark.parametrize(
    "key", ["村名", "村庄名称", "村(社区)", "村（社区）", "行政村", "单位名称", "村 名", "村名称"]
)
@pytest.mark.parametrize(
    "notes",
    [
        ("党建引领发展（20分）", "和美家园建设（满分100）", "创业承诺践行(分值)"),
        ("党建引领发展【20分】", "和美家园建设[满分100]", "创业承诺践行 （满分 100 分）"),
        ("党建引领发展\n(满分100)", "和美家园建设〔100分〕", "创业承诺践行"),
    ],
)
def test_header_variants_are_recognised(tmp_path, scores, key, notes):
    source = simple_workbook(tmp_path / "评分.xlsx", [key, *notes], FEBRUARY_ROWS)
    done = import_workbook(source, "2024-02", scores)
    assert done.path.read_bytes() == CANONICAL
    assert done.categories == ("党建引领发展", "和美家园建设", "创业承诺践行")
    assert done.ignored == ()


def test_a_cover_sheet_first_is_passed_over(tmp_path, scores):
    source = simple_workbook(tmp_path / "评分.xlsx", FEBRUARY[0], FEBRUARY_ROWS, cover=True)
    done = import_workbook(source, "2024-02", scores)
    assert (done.sheet, done.header_row) == (SHEET, 1)
    assert done.path.read_bytes() == CANONICAL


def no_header_message(tmp_path, scores, header: list) -> str:
    source = simple_workbook(tmp_path / "评分.xlsx", header, FEBRUARY_ROWS, cover=True)
    with pytest.raises(InvalidData) as error:
        import_workbook(source, "2024-02", scores)
    assert where(error) == [("评分.xlsx", None, None, "no_header")]
    assert not (scores / "2024" / "2024-02.csv").exists()
    return error.value.problems[0].message


def test_no_header_says_which_row_came_closest_and_what_it_lacked(tmp_path, scores):
    message = no_header_message(tmp_path, scores, ["名称", *FEBRUARY[0][1:]])
    assert "最接近表头的是评分.xlsx「二月」第1行" in message
    assert (
        "它有评比项目列「党建引领发展」、「和美家园建设」、「创业承诺践行」，但没有村名列"
        in message
    )
    assert "这个文件的工作表有：「封面」、「二月」；" in message


def test_no_header_with_a_village_column_but_no_category(tmp_path, scores):
    message = no_header_message(tmp_path, scores, ["村名", "党建", "家园", "承诺"])
    assert "第1行，它有村名列，但没有一列是 town.toml 里的评比项目" in message
    assert "例如 「党建引领发展」、「和美家园建设」" in message


def test_no_header_at_all(tmp_path, scores):
    book = openpyxl.Workbook()
    book.active.append(["姓名", "年龄"])
    book.save(tmp_path / "x.xlsx")
    with pytest.raises(InvalidData) as error:
        import_workbook(tmp_path / "x.xlsx", "2024-02", scores)
    assert "没有一行像表头" in error.value.problems[0].message


def test_a_wps_et_file_is_to_be_saved_as_xlsx(tmp_path, scores):
    (tmp_path / "评分.et").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    with pytest.raises(InvalidData) as error:
        import_workbook(tmp_path / "评分.et", "2024-02", scores)
    assert where(error) == [("评分.et", None, None, "unsupported_file")]
    assert "请在 WPS 中另存为 .xlsx" in error.value.problems[0].message


def test_summary_rows_are_skipped_and_reported(tmp_path, scores):
    rows = [["序号", "网格", *FEBRUARY[0]]]
    for i, row in enumerate(FEBRUARY_ROWS, start=1):
        rows.append([i, "东片" if i <= 3 else "西片", *row])
        if i == 3:
            rows.append([None, "东片", "东片小计", 255, 255, 240])
    rows += [[None, "合计", None, 512, 500, 380], [None, None, "平均分", 85, 83, 76]]
    source = simple_workbook(tmp_path / "评分.xlsx", rows[0], rows[1:])
    done = import_workbook(source, "2024-02", scores)
    assert done.path.read_bytes() == CANONICAL
    assert done.skipped == ("第5行「东片小计」", "第9行「合计」", "第10行「平均分」")


def test_numbers_are_written_one_way(tmp_path, scores):
    rows = [list(row) for row in FEBRUARY_ROWS]
    rows[0][1:] = ["95.0", "８０．００", "070"]  # typed as text
    rows[3][2] = 78.50
    source = simple_workbook(tmp_path / "评分.xlsx", FEBRUARY[0], rows)
    done = import_workbook(source, "2024-02", scores)
    assert done.path.read_bytes() == CANONICAL


@pytest.mark.parametrize("mark", ["未参评", "缺考", "/", "-", "－", "—", "——", " 未参评 "])
def test_not_evaluated_marks_import_as_blank_cells(tmp_path, scores, mark):
    rows = [list(row) for row in FEBRUARY_ROWS]
    rows[5][3] = mark  # 新苑村's 创业承诺践行, blank in CANONICAL
    source = simple_workbook(tmp_path / "评分.xlsx", FEBRUARY[0], rows)
    assert import_workbook(source, "2024-02", scores).path.read_bytes() == CANONICAL


def test_other_text_in_a_score_cell_says_how_to_mark_not_evaluated(tmp_path, scores):
    rows = [list(row) for row in FEBRUARY_ROWS]
    rows[5][3] = "不参加"
    source = simple_workbook(tmp_path / "评分.xlsx", FEBRUARY[0], rows)
    with pytest.raises(InvalidData) as error:
        import_workbook(source, "2024-02", scores)
    assert where(error) == [(SHEET, 7, "创业承诺践行", "not_a_number")]
    assert error.value.problems[0].message.endswith("不参评请留空或写未参评（单元格 D7）")


# -- annual workbooks ----------------------------------------------------------------------


def annual_rows() -> list[list]:
    names = [row[0] for row in FEBRUARY_ROWS] + ["枫林村"]
    return [[name, 90 - i] for i, name in enumerate(dict.fromkeys(names))]


def test_an_annual_workbook_becomes_the_years_file(tmp_path, scores):
    source = simple_workbook(
        tmp_path / "年度.xlsx", ["村庄名称", "党风廉政建设（满分100）"], annual_rows(), cover=True
    )
    done = import_workbook(source, "2024", scores, annual=True)
    assert done.path == scores / "2024" / "2024-annual.csv"
    assert done.path.read_bytes().decode("utf-8-sig").splitlines()[:3] == [
        "村名,党风廉政建设",
        "东山村,90",
        "梅林村,89",
    ]
    assert sorted(load(scores).annual_files) == ["2024"]
    with pytest.raises(InvalidData) as error:
        import_workbook(source, "2024", scores, annual=True)
    assert [p.code for p in error.value.problems] == ["file_exists"]


def test_an_annual_workbook_with_a_monthly_column_is_refused(tmp_path, scores):
    source = simple_workbook(tmp_path / "年度.xlsx", ["村名", "党建引领发展"], annual_rows())
    with pytest.raises(InvalidData) as error:
        import_workbook(source, "2024", scores, annual=True)
    assert "请填在当月的评分文件中" in " ".join(p.message for p in error.value.problems)
    assert not (scores / "2024" / "2024-annual.csv").exists()


def test_cli_annual(tmp_path, scores, capsys):
    source = simple_workbook(tmp_path / "年度.xlsx", ["村名", "党风廉政建设"], annual_rows())
    args = ["import", str(source), "--annual", "2024", "--scores", str(scores)]
    assert main(args) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith(f"写入 {scores.as_posix()}/2024/2024-annual.csv")
    assert any("2024年度 评比结果预览" in line for line in out)  # the year's last step
    assert out[-1] == f"请核对以上 2024 年度结果，再提交 {scores.as_posix()}/2024/2024-annual.csv。"
    assert main(["import", str(source), "--annual", "24", "--scores", str(scores)]) == 2
    assert "不是有效年份" in capsys.readouterr().err
    with pytest.raises(SystemExit) as leaving:
        main(["import", str(source), "--annual", "2024", "--month", "2024-02"])
    assert leaving.value.code == 2

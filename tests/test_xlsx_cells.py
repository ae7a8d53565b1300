"""The Excel files' cells as xlsx.py writes them (inline strings and numbers put into
XlsxWriter's sheets), read back by two real readers: openpyxl, and LibreOffice converting the
workbook to CSV. Awkward text stays the same text and never becomes a formula."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import zipfile

import openpyxl
import pytest

from generator.site import xlsx
from generator.site.schema import RESULT_TABLES
from generator.site.xlsx import Names, workbooks

AWKWARD = [
    '=HYPERLINK("http://x")',
    "+1",
    "-2",
    "@SUM(A1)",
    "<r>粗体</r>",
    "A & B <c>",
    " 前后空格 ",
    "控制\x01字符",
    "_x0041_",
    "引号\"'",
]
NAMES = Names({f"v{i}": name for i, name in enumerate(AWKWARD)}, {"g": "东片网格"}, {"c": "党建"})


def rewards_csv(period: str = "2024") -> str:
    """The rewards table of two months of the year of `period` (the two months of 2024 by
    default; a month's own and the next): a row per awkward village name, one empty cell."""
    header = ",".join(column.name for column in RESULT_TABLES["rewards"].columns)
    year, _, month = period.partition("-")
    first = int(month or 1)
    rows = [
        f"{year}-{m:02d},v{i},{i},0,{1000 * i},0,{'' if i == 3 else 1000 * i}"
        for m in (first, first + 1)
        for i in range(len(AWKWARD))
    ]
    return "\r\n".join([header, *rows]) + "\r\n"


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    folder = tmp_path_factory.mktemp("xlsx")
    found = workbooks({"rewards": rewards_csv()}, NAMES)
    assert sorted(found) == [
        "data/xlsx/2024-01.xlsx",
        "data/xlsx/2024-02.xlsx",
        "data/xlsx/2024.xlsx",
    ]
    for path, data in found.items():
        (folder / path.rpartition("/")[2]).write_bytes(data)
    return folder


def expected(months: tuple[int, ...]) -> list[list]:
    return [
        [f"2024年{m}月", name, i, 0, 1000 * i, 0, None if i == 3 else 1000 * i]
        for m in months
        for i, name in enumerate(AWKWARD)
    ]


def test_openpyxl_reads_the_same_text_and_numbers_and_no_formula(books):
    for name, months in (("2024-02", (2,)), ("2024", (1, 2))):
        sheet = openpyxl.load_workbook(books / f"{name}.xlsx")["奖罚"]
        rows = list(sheet.iter_rows())
        assert [c.value for c in rows[0]][:2] == ["期别", "村名"] and rows[0][0].font.b
        found = [[c.value for c in row] for row in rows[1:]]
        # openpyxl leaves Excel's _xHHHH_ escapes as they are (LibreOffice decodes them, below)
        escaped = [r for r in found if r[1] in ("控制_x0001_字符", "_x005F_x0041_")]
        assert len(escaped) == 2 * len(months)
        assert [r for r in found if r not in escaped] == [
            r for r in expected(months) if r[1] not in ("控制\x01字符", "_x0041_")
        ]
        assert {c.data_type for row in rows[1:] for c in row[:2]} == {"s"}
        assert sheet.freeze_panes == "A2"
        assert sheet.max_row == len(months) * len(AWKWARD) + 1


@pytest.mark.parametrize("period", ["2024-02", "2024", "2019-11"])
def test_each_workbook_s_properties_are_xlsxwriter_s_own_for_its_period(period):
    """The header workbook is made once and its core.xml given each period's title and
    dates: every entry but the sheets' rows is what XlsxWriter writes for that period."""
    made = zipfile.ZipFile(
        io.BytesIO(workbooks({"rewards": rewards_csv(period)}, NAMES)[f"data/xlsx/{period}.xlsx"])
    )
    direct = zipfile.ZipFile(io.BytesIO(xlsx._headers_only(period)))
    assert made.namelist() == direct.namelist()
    assert made.read("docProps/core.xml") == direct.read("docProps/core.xml")
    assert f"<dc:title>{period} 红黄旗评比结果</dc:title>" in made.read("docProps/core.xml").decode(
        "utf-8"
    )
    for name in direct.namelist():
        if "worksheets/sheet" not in name:
            assert made.read(name) == direct.read(name), name


def test_the_same_rows_give_the_same_bytes():
    first = workbooks({"rewards": rewards_csv()}, NAMES)
    assert workbooks({"rewards": rewards_csv()}, NAMES) == first


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_reads_the_year_s_workbook(books, tmp_path):
    profile = f"-env:UserInstallation=file://{tmp_path}/profile"
    command = [
        "soffice",
        profile,
        "--headless",
        "--convert-to",
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,2",
    ]
    subprocess.run(
        [*command, "--outdir", str(tmp_path), str(books / "2024.xlsx")],
        check=True,
        capture_output=True,
        timeout=120,
    )
    with (tmp_path / "2024-奖罚.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    shown = [
        [cell if j < 2 else (float(cell) if cell else None) for j, cell in enumerate(row)]
        for row in rows[1:]
    ]
    assert shown == [
        [*row[:2], *(None if v is None else float(v) for v in row[2:])] for row in expected((1, 2))
    ]

"""`flagboard import` of workbooks that would lie or harm: formulas never calculated, scores
shown as dates, a cell at XFD1048576, zip bombs and zip headers that lie (RULES.md §2.1)."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
from _office_helpers import FEBRUARY, JANUARY, write_town
from test_import import CANONICAL, SHEET, ods_file, third_party_workbook

from generator.office.importer import import_workbook
from generator.office.workbook import read_grid
from generator.problems import InvalidData

ROOT = Path(__file__).resolve().parent.parent
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PEAK_MB = 300


@pytest.fixture
def scores(tmp_path) -> Path:
    return write_town(tmp_path, {"2024-01": JANUARY}, {})


def refused(source: Path, scores: Path) -> list:
    with pytest.raises(InvalidData) as error:
        import_workbook(source, "2024-02", scores)
    assert not (scores / "2024" / "2024-02.csv").exists()
    return error.value.problems


# -- formulas without a saved result ----------------------------------------------------


def test_formula_without_saved_result_is_refused(tmp_path, scores):
    def formulas(sheet):  # openpyxl saves formulas as Excel would before calculating them
        sheet["E7"] = "=70+8.5"  # 西湖村's 和美家园建设
        sheet["D8"] = "=90+2"

    problems = refused(third_party_workbook(tmp_path / "评分.xlsx", formulas), scores)
    assert [(p.file, p.row, p.column, p.code) for p in problems] == [
        (SHEET, 7, "E", "formula_without_result"),
        (SHEET, 8, "D", "formula_without_result"),
    ]
    assert problems[0].text() == (
        f"{SHEET} 第7行「E」列：单元格 E7 是公式，但表格里没有保存它的计算结果"
        "（表格不是用 Excel/WPS 保存的）；请用 Excel 或 WPS 打开这个表格，保存后再导入"
    )


def test_formula_with_saved_result_is_read(tmp_path, scores):
    """Excel saves a formula's result beside it: 78.5, and an empty text for =IF(…,"",…)."""
    source = third_party_workbook(tmp_path / "评分.xlsx")
    patch_sheet(
        source,
        {
            '<c r="E7" t="n"><v>78.5</v></c>': '<c r="E7"><f>70+8.5</f><v>78.5</v></c>',
            '<c r="E9" t="n"><v>88</v></c>': '<c r="E9" t="n"><v>88</v></c>'
            '<c r="F9" t="str"><f>IF(1,"",1)</f><v></v></c>',  # 新苑村: 未参评
        },
    )
    done = import_workbook(source, "2024-02", scores)
    assert done.path.read_bytes() == CANONICAL


def test_many_formulas_are_listed_up_to_a_bound(tmp_path, scores):
    book = openpyxl.Workbook()
    book.active.append(FEBRUARY[0])
    for row in range(2, 400):
        book.active.append(["东山村", f"=80+{row % 20}", 80, 70])
    book.save(tmp_path / "多.xlsx")
    problems = refused(tmp_path / "多.xlsx", scores)
    assert len(problems) == 201
    assert problems[0].row is None and problems[0].count == 398 - 200
    assert "另有 198 个公式单元格" in problems[0].message


def test_ods_formula_without_saved_result_is_refused(tmp_path, scores):
    rows = [FEBRUARY[0]] + [[n, float(p), h, g] for n, p, h, g in FEBRUARY[1:]]
    path = ods_file(tmp_path / "二月.ods", rows)
    content = read_member(path, "content.xml")
    replacements = {  # 东山村: a formula saved with its result; 新苑村: one without
        '<table:table-cell office:value-type="float" office:value="95.0"><text:p>95.0</text:p>': (
            '<table:table-cell table:formula="of:=80+15" office:value-type="float" '
            'office:value="95"><text:p>95</text:p>'
        ),
        '<table:table-cell office:value-type="string"><text:p>88</text:p></table:table-cell>': (
            '<table:table-cell table:formula="of:=80+8"/>'
        ),
    }
    for old, new in replacements.items():
        assert content.count(old) == 1, old
        content = content.replace(old, new)
    write_member(path, "content.xml", content)
    problems = refused(path, scores)
    assert where_of(problems) == [("二月.ods「二月」", 7, "C", "formula_without_result")]


# -- dates ------------------------------------------------------------------------------


def test_score_shown_as_a_date_is_refused(tmp_path, scores):
    def dates(sheet):
        sheet["E5"].number_format = "yyyy-mm-dd"  # 梅林村 85 shows as 1900-03-25
        sheet["F6"] = dt.datetime(2024, 2, 29, 8, 30)
        sheet["A2"] = dt.date(2024, 3, 1)  # above the header: not a score, no problem

    problems = refused(third_party_workbook(tmp_path / "评分.xlsx", dates), scores)
    assert [(p.file, p.row, p.column, p.code) for p in problems] == [
        (SHEET, 3, None, "ignored_columns"),  # the columns passed over, said when refused too
        (SHEET, 5, "和美家园建设", "date_cell"),
        (SHEET, 6, "创业承诺践行", "date_cell"),
    ]
    problems = problems[1:]
    assert problems[0].message == (
        "单元格 E5 设成了日期格式，显示为 1900-03-25，不是分数；"
        "请把这一格的格式改为「常规」或「数值」，重新填写后再导入"
    )
    assert "显示为 2024-02-29 08:30:00" in problems[1].message


def test_date_outside_the_scores_is_no_problem(tmp_path, scores):
    def dated(sheet):
        sheet["A2"] = dt.date(2024, 3, 1)
        sheet["H4"] = dt.date(2024, 3, 1)  # a 填报日期 column beside the table

    done = import_workbook(third_party_workbook(tmp_path / "评分.xlsx", dated), "2024-02", scores)
    assert done.path.read_bytes() == CANONICAL


def test_messages_quote_at_most_40_characters_of_a_cell(tmp_path, scores):
    long = "很长的备注" * 30

    def noted(sheet):
        sheet["H3"] = long  # a header the importer ignores and lists
        sheet["C4"] = "东山"

    done = import_workbook(third_party_workbook(tmp_path / "评分.xlsx", noted), "2024-02", scores)
    assert done.ignored[-1] == f"H「{long[:40]}…（共150个字符）」"


# -- hostile workbooks ------------------------------------------------------------------


def far_cell_workbook(path: Path) -> Path:
    """5 KB: a small sheet plus one value at XFD1048576, the farthest cell Excel has."""
    source = third_party_workbook(path)
    sheet_xml = read_member(source, "xl/worksheets/sheet2.xml")
    far = '<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>'
    write_member(source, "xl/worksheets/sheet2.xml", sheet_xml.replace("</sheetData>", far))
    return source


def test_cell_at_xfd1048576_is_refused_before_reading(tmp_path, scores):
    source = far_cell_workbook(tmp_path / "远.xlsx")
    assert source.stat().st_size < 10_000
    problems = refused(source, scores)
    assert where_of(problems) == [("远.xlsx", None, None, "sheet_too_large")]
    assert problems[0].message.startswith(
        "工作表「二月」的单元格 XFD1048576 有内容，超出了能导入的范围（最多 20000 行、200 列，"
        "即 A1:GR20000）"
    )


def test_declared_dimension_is_not_trusted(tmp_path, scores):
    """A huge <dimension> over a small table reads; a small one over a far cell is refused."""
    source = third_party_workbook(tmp_path / "评分.xlsx")
    sheet_xml = read_member(source, "xl/worksheets/sheet2.xml")
    write_member(source, "xl/worksheets/sheet2.xml", set_dimension(sheet_xml, "A1:XFD1048576"))
    assert import_workbook(source, "2024-02", scores).path.read_bytes() == CANONICAL
    (scores / "2024" / "2024-02.csv").unlink()
    far = far_cell_workbook(tmp_path / "远.xlsx")
    write_member(far, "xl/worksheets/sheet2.xml", set_dimension(read_member(far, SHEET2), "A1:G10"))
    assert where_of(refused(far, scores)) == [("远.xlsx", None, None, "sheet_too_large")]


def test_relationship_given_twice_cannot_hide_a_sheet(tmp_path, scores):
    """calamine takes the last of two relationships with one Id: both are checked."""
    source = far_cell_workbook(tmp_path / "远.xlsx")
    with zipfile.ZipFile(source) as archive:
        hostile, rels = archive.read(SHEET2), archive.read(RELS).decode()
    decoy = read_member(third_party_workbook(tmp_path / "好.xlsx"), SHEET2)
    assert 'Id="rId2"' in rels
    rels = rels.replace(
        "</Relationships>",
        '<Relationship Id="rId2" Target="/xl/worksheets/sheet3.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
        "</Relationships>",
    )
    rewrite(source, {SHEET2: decoy.encode(), RELS: rels.encode()})
    with zipfile.ZipFile(source, "a") as archive:
        archive.writestr("xl/worksheets/sheet3.xml", hostile)
    assert where_of(refused(source, scores)) == [("远.xlsx", None, None, "sheet_too_large")]


def test_overlapping_merged_ranges_are_refused(tmp_path, scores):
    """Each merged range is filled in cell by cell: crafted overlaps would take hours."""
    source = third_party_workbook(tmp_path / "并.xlsx")
    merges = '<mergeCell ref="A11:GR20000"/>' * 3
    patch_sheet(source, {"</mergeCells>": merges + "</mergeCells>"})
    problems = refused(source, scores)
    assert where_of(problems) == [("并.xlsx", None, None, "workbook_too_large")]
    assert "合并单元格互相重叠" in problems[0].message


def test_cell_without_reference_past_the_last_column_is_refused(tmp_path, scores):
    """Cells may leave out r="…": the 201st cell of a row is column GS all the same."""
    source = third_party_workbook(tmp_path / "宽.xlsx")
    cells = "".join("<c><v>1</v></c>" for _ in range(201))
    sheet_xml = read_member(source, SHEET2).replace(
        "</sheetData>", f"<row>{cells}</row></sheetData>"
    )
    write_member(source, SHEET2, sheet_xml)
    problems = refused(source, scores)
    assert where_of(problems) == [("宽.xlsx", None, None, "sheet_too_large")]
    assert "单元格 GS11 有内容" in problems[0].message


def test_ods_repeated_rows_past_the_bound_are_refused(tmp_path, scores):
    path = ods_file(tmp_path / "二月.ods", [FEBRUARY[0], ["东山村", 95.0, 80.0, 70.0]])
    content = read_member(path, "content.xml").replace(
        '<table:table-row><table:table-cell office:value-type="string"><text:p>东山村',
        '<table:table-row table:number-rows-repeated="1048575">'
        '<table:table-cell office:value-type="string"><text:p>东山村',
    )
    write_member(path, "content.xml", content)
    problems = refused(path, scores)
    assert where_of(problems) == [("二月.ods", None, None, "sheet_too_large")]
    assert "单元格 A1048576 有内容" in problems[0].message


def zip_bomb(path: Path, megabytes: int) -> Path:
    """A valid workbook whose sheet XML ends in `megabytes` MB of spaces (inside the root)."""
    source = third_party_workbook(path)
    sheet_xml = read_member(source, SHEET2).encode()
    head, tail = sheet_xml.split(b"</worksheet>")
    rewrite(source, {SHEET2: None})
    with zipfile.ZipFile(source, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open(SHEET2, "w", force_zip64=True) as member:
            member.write(head)
            block = b" " * (1 << 20)
            for _ in range(megabytes):
                member.write(block)
            member.write(b"</worksheet>" + tail)
    return source


def test_zip_bomb_is_refused_from_its_headers(tmp_path, scores):
    source = zip_bomb(tmp_path / "炸.xlsx", 300)
    assert source.stat().st_size < 2_000_000
    problems = refused(source, scores)
    assert where_of(problems) == [("炸.xlsx", None, None, "workbook_too_large")]
    assert "超过上限 64.0 MB" in problems[0].message
    source = zip_bomb(tmp_path / "炸2.xlsx", 20)  # the XML parts are held to less
    problems = refused(source, scores)
    assert where_of(problems) == [("炸2.xlsx", None, None, "workbook_too_large")]
    assert "表格解压后有 20.0 MB，超过上限 16.0 MB" in problems[0].message


def test_compression_ratio_is_bounded(tmp_path, scores):
    source = zip_bomb(tmp_path / "炸.xlsx", 8)  # within the size cap, but 8 MB from 10 KB
    problems = refused(source, scores)
    assert where_of(problems) == [("炸.xlsx", None, None, "zip_bomb")]
    assert "压缩比异常" in problems[0].message


def lying_workbook(path: Path, megabytes: int) -> Path:
    """The sheet member inflates to `megabytes` MB while both headers say 3,000 bytes, and its
    CRC is that of the first 3,000 bytes: Python's zipfile stops there and finds the CRC good,
    a reader that trusts the deflate stream (calamine's) does not stop."""
    source = third_party_workbook(path)
    with zipfile.ZipFile(source) as archive:
        members = [(i.filename, archive.read(i.filename)) for i in archive.infolist()]
    head, tail = dict(members)[SHEET2].split(b"</worksheet>")
    sheet_xml = [head, *([b" " * (1 << 20)] * megabytes), b"</worksheet>" + tail]
    first = (head + b" " * 3000)[:3000]
    with source.open("wb") as out:
        directory = b""
        for name, data in members:
            chunks = sheet_xml if name == SHEET2 else [data]
            size, crc = (
                (3000, zlib.crc32(first)) if name == SHEET2 else (len(data), zlib.crc32(data))
            )
            directory += _raw_member(out, name.encode(), chunks, size, crc)
        at = out.tell()
        out.write(directory)
        count = len(members)
        out.write(struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, count, count, len(directory), at, 0))
    return source


def _raw_member(out, name: bytes, chunks: list[bytes], size: int, crc: int) -> bytes:
    """Write one deflated member with the given declared size and CRC; its directory entry."""
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = b"".join(deflater.compress(chunk) for chunk in chunks) + deflater.flush()
    offset = out.tell()
    fields = (8, 0, 0, crc, len(data), size, len(name))  # method, time, date, crc, sizes, name
    out.write(struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, *fields, 0) + name + data)
    entry = struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, *fields, 0, 0, 0, 0, 0, offset)
    return entry + name


def test_zip_header_that_lies_about_the_size_is_refused(tmp_path, scores):
    source = lying_workbook(tmp_path / "谎.xlsx", 30)
    with zipfile.ZipFile(source) as archive:
        assert archive.getinfo(SHEET2).file_size == 3000
        assert len(archive.read(SHEET2)) == 3000  # the CRC holds for what zipfile reads
    problems = refused(source, scores)
    assert where_of(problems) == [("谎.xlsx", None, None, "zip_bomb")]
    assert "解压后比文件头写的（3000 字节）更大" in problems[0].message


PEAK_SCRIPT = """
import json, resource, sys, time
from pathlib import Path
from generator.office.importer import import_workbook
from generator.problems import InvalidData
from generator.office.workbook import read_grid

def peak_mb():  # VmHWM is this program's own; ru_maxrss keeps the parent's from before exec
    status = Path("/proc/self/status")
    if status.exists():
        line = next(x for x in status.read_text().splitlines() if x.startswith("VmHWM"))
        return int(line.split()[1]) // 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024

started = time.monotonic()
try:
    import_workbook(Path(sys.argv[1]), "2024-02", Path(sys.argv[2]))
    codes = []
except InvalidData as error:
    codes = [p.code for p in error.problems]
print(json.dumps({"codes": codes, "peak_mb": peak_mb(), "seconds": time.monotonic() - started}))
"""


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda path: far_cell_workbook(path), "sheet_too_large"),
        (lambda path: zip_bomb(path, 300), "workbook_too_large"),
        (lambda path: lying_workbook(path, 60), "zip_bomb"),
        (
            lambda path: xls_file(path.with_suffix(".xls"), [(0, 0, 1), (65535, 255, 2)]),
            "sheet_too_large",
        ),
    ],
    ids=["xfd1048576", "zip-bomb", "lying-header", "xls-iv65536"],
)
def test_hostile_workbooks_are_refused_within_bounded_memory(tmp_path, scores, make, code):
    pytest.importorskip("resource")
    source = make(tmp_path / "恶意.xlsx")
    run = subprocess.run(
        [sys.executable, "-c", PEAK_SCRIPT, str(source), str(scores)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout)
    assert result["codes"] == [code]
    assert result["peak_mb"] < PEAK_MB, result


def xls_file(path: Path, cells: list[tuple[int, int, float]]) -> Path:
    """A BIFF8 .xls written byte by byte: one compound-file sector chain holding the Workbook
    stream, a sheet 二月 with NUMBER records at (row, column), both from 0."""

    def record(kind: int, body: bytes) -> bytes:
        return struct.pack("<HH", kind, len(body)) + body

    name = "二月".encode("utf-16-le")
    stream = record(0x0809, struct.pack("<HH12x", 0x0600, 0x0005))
    sheet_at = len(stream) + 4 + 8 + len(name) + 4  # after BOUNDSHEET and EOF
    stream += record(0x0085, struct.pack("<IBBBB", sheet_at, 0, 0, 2, 1) + name)
    stream += record(0x000A, b"") + record(0x0809, struct.pack("<HH12x", 0x0600, 0x0010))
    for row, column, value in cells:
        stream += record(0x0203, struct.pack("<HHHd", row, column, 15, value))
    stream += record(0x000A, b"")
    stream += record(0x003C, b"\0" * (4096 - len(stream) - 4))  # CONTINUE padding: ≥ 4096
    sectors = len(stream) // 512 + (len(stream) % 512 > 0)
    fat = [0xFFFFFFFD, 0xFFFFFFFE, *range(3, 2 + sectors), 0xFFFFFFFE]
    fat_sector = struct.pack(f"<{len(fat)}I", *fat).ljust(512, b"\xff")
    header = bytes.fromhex("d0cf11e0a1b11ae1") + bytes(16)
    header += struct.pack("<HHHHH6xIIIII", 0x3E, 3, 0xFFFE, 9, 6, 0, 1, 1, 0, 4096)
    header = header[:0x3C] + struct.pack("<IIII", 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    header += struct.pack("<I", 0) + b"\xff" * (512 - 0x4C - 4)

    def entry(label: str, kind: int, child: int, start: int, size: int) -> bytes:
        raw = (label + "\0").encode("utf-16-le")
        return (
            raw.ljust(64, b"\0")
            + struct.pack("<HBB3I", len(raw), kind, 1, 0xFFFFFFFF, 0xFFFFFFFF, child)
            + bytes(36)
            + struct.pack("<II4x", start, size)
        )

    directory = entry("Root Entry", 5, 1, 0xFFFFFFFE, 0) + entry(
        "Workbook", 2, 0xFFFFFFFF, 2, len(stream)
    )
    path.write_bytes(
        header + fat_sector + directory.ljust(512, b"\0") + stream.ljust(sectors * 512, b"\0")
    )
    return path


def test_xls_with_a_far_cell_is_refused_before_reading(tmp_path, scores):
    """calamine reads an .xls whole when it opens it: A1 and IV65536 would take a gigabyte."""
    source = xls_file(tmp_path / "远.xls", [(0, 0, 1.0), (65535, 255, 2.0)])
    assert source.stat().st_size < 6_000
    problems = refused(source, scores)
    assert where_of(problems) == [("远.xls", None, None, "sheet_too_large")]
    assert "工作表「二月」的单元格 IV65536 有内容" in problems[0].message


def test_xls_within_the_bounds_is_read(tmp_path):
    grid = read_grid(xls_file(tmp_path / "小.xls", [(0, 0, 1.0), (3, 2, 92.5)]), None)
    assert (grid.name, grid.values[0][0], grid.values[3]) == ("二月", 1.0, ["", "", 92.5])


def test_unreadable_xls_is_a_problem(tmp_path, scores):
    (tmp_path / "坏.xls").write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(600))
    assert where_of(refused(tmp_path / "坏.xls", scores)) == [
        ("坏.xls", None, None, "unreadable_workbook")
    ]


def test_xlsb_is_not_read(tmp_path, scores):
    """No bounded reader for the binary .xlsb: the clerk saves it as .xlsx instead."""
    (tmp_path / "评分.xlsb").write_bytes(b"PK\x03\x04")
    problems = refused(tmp_path / "评分.xlsb", scores)
    assert where_of(problems) == [("评分.xlsb", None, None, "unsupported_file")]
    assert "另存为 .xlsx" in problems[0].message


def test_doctype_in_workbook_xml_is_refused(tmp_path, scores):
    """Excel never writes a DOCTYPE; one is how entity-expansion attacks start."""
    source = third_party_workbook(tmp_path / "实体.xlsx")
    sheet_xml = read_member(source, SHEET2)
    bomb = '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    write_member(source, SHEET2, sheet_xml.replace("<worksheet", bomb + "<worksheet", 1))
    problems = refused(source, scores)
    assert where_of(problems) == [("实体.xlsx", None, None, "unreadable_workbook")]
    assert "DOCTYPE" in problems[0].message


# -- a workbook saved by real office software -------------------------------------------


@pytest.fixture(scope="module")
def office_profile(tmp_path_factory) -> Path:
    """One LibreOffice user profile for the module: making one takes seconds."""
    return tmp_path_factory.mktemp("lo-profile")


@pytest.mark.skipif(  # CI sets FLAGBOARD_REQUIRE_OFFICE: there a missing soffice fails
    shutil.which("soffice") is None and not os.environ.get("FLAGBOARD_REQUIRE_OFFICE"),
    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui",
)
@pytest.mark.parametrize("kind", ["xlsx", "ods", "xls"])
def test_workbook_saved_by_libreoffice(tmp_path, scores, kind, office_profile):
    """LibreOffice calculates and saves formulas' results: a formula score reads as its value."""
    rows = [["测试镇2024年2月评分"], FEBRUARY[0]]
    rows += [[n, "=90+5" if n == "东山村" else p, h, g] for n, p, h, g in FEBRUARY[1:]]
    source = tmp_path / "二月.csv"
    source.write_text("\n".join(",".join(row) for row in rows) + "\n", encoding="utf-8")
    started = time.monotonic()
    converted = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={office_profile.as_uri()}",
            "--headless",
            "--infilter=CSV:44,34,76",
            "--convert-to",
            kind,
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert (tmp_path / f"二月.{kind}").exists(), converted.stdout + converted.stderr
    assert time.monotonic() - started < 180
    done = import_workbook(tmp_path / f"二月.{kind}", "2024-02", scores)
    assert done.header_row == 2
    assert done.path.read_bytes() == CANONICAL


# -- helpers ----------------------------------------------------------------------------

SHEET2 = "xl/worksheets/sheet2.xml"  # the 二月 sheet of third_party_workbook
RELS = "xl/_rels/workbook.xml.rels"


def where_of(problems: list) -> list[tuple]:
    return [(p.file, p.row, p.column, p.code) for p in problems]


def set_dimension(sheet_xml: str, ref: str) -> str:
    start = sheet_xml.index("<dimension ref=")
    end = sheet_xml.index("/>", start) + 2
    return sheet_xml[:start] + f'<dimension ref="{ref}"/>' + sheet_xml[end:]


def read_member(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name).decode("utf-8")


def write_member(path: Path, name: str, text: str) -> None:
    rewrite(path, {name: text.encode("utf-8")})


def patch_sheet(path: Path, replacements: dict[str, str]) -> None:
    sheet_xml = read_member(path, SHEET2)
    for old, new in replacements.items():
        assert old in sheet_xml, old
        sheet_xml = sheet_xml.replace(old, new)
    write_member(path, SHEET2, sheet_xml)


def rewrite(path: Path, members: dict[str, bytes | None]) -> None:
    """Copy the zip with some members replaced (None: left out), in their original order."""
    with zipfile.ZipFile(path) as archive:
        contents = [(i.filename, archive.read(i.filename)) for i in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in contents:
            data = members.get(name, data)
            if data is not None:
                archive.writestr(name, data)

"""Issue 17 class 5: every output escapes for itself. The CSVs flagboard writes for people to open
(blank forms from new-month and new-annual, /data/template/, the files import and init write,
the published data) carry no cell a spreadsheet would run, and read back as they were; the
Markdown of the pull-request summary shows any text literally (rendered by markdown-it-py, a
CommonMark renderer); the site's address is checked as an http(s) URL before any page is made.
Real files, real builds, the real CLI."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import html5lib
import pytest
from _site_helpers import ROOT, build_site
from markdown_it import MarkdownIt
from towns import Town

from generator import csvsafe
from generator.cli import main
from generator.load import load, load_files
from generator.office.preview import Preview, Section, to_markdown
from generator.problems import InvalidData
from generator.site.build import BuildFailed
from generator.site.siteurl import site_url_problem

# What names can still be (docs/data-format.md §2.1) that a spreadsheet would run: a leading -.
VILLAGE = "-HYPERLINK(1)村"
CATEGORY = "-党建(1)"
NOTE = '=HYPERLINK("http://evil.example","点我")'


def cells(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def assert_formula_safe(data: bytes, where: str) -> None:
    for row in cells(data):
        for cell in row:
            risky = cell.startswith(csvsafe.FORMULA_START) and not csvsafe.is_number(cell)
            assert not risky, (where, cell)


def hostile_town(**extra) -> Town:
    town = Town(names={"A1": VILLAGE, "A2": "乙村", "A3": "-丙村"}, **extra)
    town.categories = [
        ("a", CATEGORY, "monthly"),
        ("b", "乙项", "monthly"),
        ("opt", "-可选", "optional"),
        ("yr", "-年度", "annual"),
    ]
    town.month("2024-01", {"A1": [90, 80], "A2": [80, 70], "A3": [70, 60]}, [CATEGORY, "乙项"])
    town.event("2024-01", "A1", "加分", CATEGORY, "1", NOTE)
    town.month("2024-12", {"A1": [91, 81], "A2": [81, 71], "A3": [71, 61]}, [CATEGORY, "乙项"])
    return town


# -- CSV: one function, every path ---------------------------------------------------------------


def test_the_one_function_neutralises_every_formula_start_and_keeps_numbers():
    for text in ["=1+1", "+1a", "-HYPERLINK(1)", "@SUM(A1)", "\t=1", "\r=1", "-", "+"]:
        assert csvsafe.neutralise(text) == "'" + text
        assert csvsafe.restore(csvsafe.neutralise(text)) == text
    for text in ["-1", "+1.5", "1e3", "东山村", "", "'quoted", "a=b"]:
        assert csvsafe.neutralise(text) == text
    assert csvsafe.restore("'东山村") == "'东山村"  # only what neutralise adds is taken away


def test_new_month_and_new_annual_write_formula_safe_forms_that_read_back(tmp_path, capsys):
    scores = hostile_town().write(tmp_path / "scores")
    assert main(["new-month", "2025-01", "--scores", str(scores), "--with=-可选"]) == 0
    assert main(["new-annual", "2024", "--scores", str(scores)]) == 0
    capsys.readouterr()
    month = (scores / "2025" / "2025-01.csv").read_bytes()
    annual = (scores / "2024" / "2024-annual.csv").read_bytes()
    for where, form in (("new-month", month), ("new-annual", annual)):
        assert_formula_safe(form, where)
    marks = "（100分）"  # the form's headers carry each category's full marks (issue 20)
    assert cells(month)[0] == ["村名", "'" + CATEGORY + marks, "乙项" + marks, "'-可选" + marks]
    assert "'" + VILLAGE in [row[0] for row in cells(month)]
    assert_fills_back(scores, month, "2025/2025-01.csv")


def assert_fills_back(scores: Path, form: bytes, relative: str) -> None:
    """The clerk fills the form in: with the apostrophes kept (LibreOffice, WPS) or dropped
    (as Excel may save): both load, with the same names."""
    header, *rows = cells(form)
    for keep in (True, False):
        filled = [header if keep else [csvsafe.restore(c) for c in header]]
        for number, row in enumerate(rows):
            name = row[0] if keep else csvsafe.restore(row[0])
            filled.append([name, *[str(80 + number)] * (len(header) - 1)])
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerows(filled)
        (scores / relative).write_bytes(buffer.getvalue().encode("utf-8-sig"))
        data = load(scores)
        names = {data.village(v).name for v in data.scores["village_id"]}
        assert VILLAGE in names, keep


def test_the_published_templates_and_data_are_formula_safe(tmp_path):
    scores = hostile_town().write(tmp_path / "scores")
    out = build_site(scores, tmp_path / "out").out
    published = sorted((out / "data").rglob("*.csv"))
    assert {p.relative_to(out).as_posix() for p in published} >= {
        "data/template/2025-01.csv",
        "data/template/2024-annual.csv",
        "data/flags.csv",
        "data/scores/villages.csv",
        "data/scores/2024/2024-01.events.csv",
    }
    for path in published:
        assert_formula_safe(path.read_bytes(), path.name)
    events = (out / "data" / "scores" / "2024" / "2024-01.events.csv").read_bytes()
    assert "'" + NOTE in [c for row in cells(events) for c in row]


def test_import_writes_a_formula_safe_file(tmp_path, capsys):
    openpyxl = pytest.importorskip("openpyxl")
    scores = hostile_town().write(tmp_path / "scores")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["村名", CATEGORY, "乙项"])
    for number, name in enumerate([VILLAGE, "乙村", "-丙村"]):
        sheet.append([name, 90 - number, 80 - number])
    for row in sheet.iter_rows():
        for cell in row:
            cell.data_type = "s" if isinstance(cell.value, str) else cell.data_type
    book.save(tmp_path / "march.xlsx")
    code = main(["import", str(tmp_path / "march.xlsx"), "--month", "2025-01"]
                + ["--scores", str(scores)])  # fmt: skip
    assert code == 0, capsys.readouterr()
    written = (scores / "2025" / "2025-01.csv").read_bytes()
    assert_formula_safe(written, "import")
    assert "'" + VILLAGE in [row[0] for row in cells(written)]
    assert load(scores).scores["village_id"].eq("A1").any()


def test_init_writes_a_formula_safe_village_list(tmp_path, capsys):
    villages = tmp_path / "villages.csv"
    villages.write_text(f"村名,网格\n{VILLAGE},东片\n乙村,东片\n-丙村,西片\n", "utf-8-sig")
    project = tmp_path / "project"
    assert (
        main(["init", "--town", "花木镇", "--villages", str(villages), "--dir", str(project)]) == 0
    )
    capsys.readouterr()
    written = (project / "scores" / "villages.csv").read_bytes()
    assert_formula_safe(written, "init")
    assert VILLAGE in [v.name for v in load(project / "scores").villages]


def test_a_neutralised_name_that_is_no_village_is_still_unknown():
    town = hostile_town(by="村名")
    files = town.files()
    files["2024/2024-12.csv"] = files["2024/2024-12.csv"].replace(
        VILLAGE.encode(), b"'" + VILLAGE.encode()
    )
    load_files(files)  # the apostrophe of a form is no change of name
    files["2024/2024-01.csv"] = files["2024/2024-01.csv"].replace(
        VILLAGE.encode(), b"'-HYPERLINK(2)"
    )
    with pytest.raises(InvalidData) as error:
        load_files(files)
    assert "unknown_village" in [p.code for p in error.value.problems]


# -- Markdown for the pull request's summary -------------------------------------------------------

HOSTILE_TEXT = [
    "*强调*", "_斜体_", "**粗**", "`code`", "[链接](http://evil.example)", "![图](x.png)",
    "<script>alert(1)</script>", "<b>粗</b>", "&amp; &#x41; &copy;", "a | b", "# 标题",
    "> 引用", "1. 列表", "2) 列表", "- 项", "+ 项", "~~删除~~", "@someone", "http://evil.example",
    "www.evil.example", "me@evil.example", "<http://evil.example>", ":smile:", "{x}", "\\", "\\*",
    "---", "===", "第一行\n第二行", "$x^2$", "[^1]", "- [ ] 任务", "10.5分",
]  # fmt: skip


def rendered_texts(markdown: str) -> tuple[list[str], object]:
    """The text of each paragraph, heading and table cell as a CommonMark renderer shows it."""
    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    blocks = tree.findall(".//p") + tree.findall(".//h2") + tree.findall(".//h3")
    blocks += tree.findall(".//td") + tree.findall(".//th")
    return ["".join(element.itertext()) for element in blocks], tree


def test_markdown_shows_every_hostile_text_literally():
    rows = tuple((text, "东山村", text) for text in HOSTILE_TEXT)
    section = Section(HOSTILE_TEXT[0], ("村名", "说明", HOSTILE_TEXT[6]), rows)
    previews = [Preview(text, text, (section,)) for text in HOSTILE_TEXT]
    markdown = to_markdown(previews)
    texts, tree = rendered_texts(markdown)
    for text in HOSTILE_TEXT:
        assert texts.count(text.replace("\n", " ")) >= 4, text  # title, summary, two cells
    allowed = {"html", "head", "body", "h2", "h3", "p", "table", "thead", "tbody", "tr", "th", "td"}
    assert {element.tag for element in tree.iter()} <= allowed
    # GitHub also links bare addresses and mentions: none is left as written
    assert not re.search(r"(?<!\\)(://|www\.|@)", markdown.replace("\\:", "").replace("\\.", ""))


def test_preview_markdown_of_a_real_town_shows_its_notes_literally(tmp_path, capsys):
    scores = hostile_town().write(tmp_path / "scores")
    assert main(["preview", "2024-01", "--scores", str(scores), "--format", "markdown"]) == 0
    texts, _ = rendered_texts(capsys.readouterr().out)
    assert NOTE in texts and VILLAGE in texts and CATEGORY in texts


# -- the site's address ------------------------------------------------------------------------------

GOOD_URLS = [
    "https://hhq.example.gov.cn",
    "http://127.0.0.1:8000",
    "https://example.org/town",
    "https://xn--fiq228c.cn/hhq/2024",
    "https://user.github.io/flag-board_1",
]
BAD_URLS = [
    'https://a.cn/"onmouseover="alert(1)',
    "https://a.cn/'x",
    "https://a.cn/<script>",
    "https://a.cn/a>b",
    "https://a b.cn",
    "https://a.cn/a b",
    "javascript:alert(1)",
    "ftp://a.cn",
    "https://user:pass@a.cn",
    "https://user@a.cn",
    "https://a.cn#frag",
    "https://a.cn/?q=1",
    "https://a.cn\\evil",
    "https://a.cn/x\x00",
    "https://a.cn/x\u202e",
    "https://a.cn/\u3164",
    "//a.cn",
    "https://",
    "https://a.cn:99999",
    "https://a.cn:0",
    "https://-a.cn",
    "https://a..cn",
    "https://a.cn/",
    "https://a.cn/..",
    "https://a.cn/%2e%2e",
    "https://红旗.cn",
    "hhq.example.cn",
    "/flags",
]


@pytest.mark.parametrize("url", GOOD_URLS)
def test_a_plain_http_or_https_address_is_taken(url):
    assert site_url_problem(url) is None


@pytest.mark.parametrize("url", BAD_URLS)
def test_an_address_with_quotes_brackets_spaces_credentials_or_parts_is_refused(url):
    problem = site_url_problem(url)
    assert problem and "网站地址" in problem
    assert "\x00" not in problem and "\u202e" not in problem and len(problem) < 400


def test_the_build_refuses_a_bad_address_before_any_page_even_without_publishing(tmp_path):
    scores = Town().month("2024-01", {"A1": 90, "A2": 80}).write(tmp_path / "scores")
    with pytest.raises(BuildFailed, match="网站地址"):
        build_site(scores, tmp_path / "out", SITEURL='https://a.cn/"><script>alert(1)</script>')
    assert not (tmp_path / "out").exists()
    with pytest.raises(BuildFailed, match="FLAGBOARD_REPO_URL"):
        build_site(scores, tmp_path / "out", FLAGBOARD_REPO_URL="javascript:alert(1)")


def test_publishing_refuses_a_hostile_address_from_the_environment(tmp_path, capsys, monkeypatch):
    scores = Town().month("2024-01", {"A1": 90, "A2": 80}).write(tmp_path / "scores")
    monkeypatch.setenv("FLAGBOARD_SITEURL", "https://a.cn/<b>")
    argv = ["build", "--scores", str(scores), "--out", str(tmp_path / "site")]
    assert main([*argv, "--settings", str(ROOT / "publishconf.py")]) == 1
    err = capsys.readouterr().err
    assert "网站地址「https://a.cn/<b>」不是" in err and "Traceback" not in err
    assert not (tmp_path / "site").exists()


def test_plain_pelican_refuses_a_bad_address_too(tmp_path):
    scores = Town().month("2024-01", {"A1": 90, "A2": 80}).write(tmp_path / "scores")
    assert main(["compute", "--scores", str(scores), "--out", str(tmp_path / "results")]) == 0
    command = [sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py"]
    command += ["-o", str(tmp_path / "out"), "--fatal", "errors"]
    command += ["-e", f'FLAGBOARD_RESULTS="{tmp_path / "results" / "results.json"}"']
    command += ['SITEURL="https://a.cn/\'x"']
    env = {**os.environ, "COLUMNS": "400", "NO_COLOR": "1"}
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)
    assert run.returncode != 0 and "网站地址" in run.stdout + run.stderr
    assert not list((tmp_path / "out").rglob("*.html"))

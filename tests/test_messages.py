"""What the command line says, character by character: full-width punctuation next to Chinese
text and only characters of the GBK set, as on the site (tests/test_site_text.py).

Two ways in: every catalogue entry rendered with sample values (so a template no run reaches is
checked too), and the commands an office runs — init, new-month, new-annual, import, validate,
preview, compute, build — on a small town, good and bad, over their stdout and stderr.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import openpyxl
import pytest
from _office_helpers import FEBRUARY, FEBRUARY_EVENTS, JANUARY, csv_bytes, write_month, write_town
from _site_helpers import ROOT

from generator import catalogue
from generator.cli import main
from generator.layout import events_path
from generator.problems import MORE_IN_ALL, MORE_PROBLEMS, ProblemType, quote, render_text

# Chinese characters, and the full-width marks around them (「9O」, 不是 「（2024-01 至 2024-02）,」)
CHINESE = r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff1f]"
# , : ; ( ) ? ! written half-width right before or after a Chinese character or mark
HALF_WIDTH = re.compile(rf"(?<={CHINESE})[,:;()?!]|[,:;()?!](?={CHINESE})")
SAMPLE = "甲"  # every field of a template: a Chinese word shows the marks around the field too
CODES = {"last": "T1000"}  # fields that are always code: A1:{last}
FILE = "scores/2024/2024-03.csv"


def half_width_marks(text: str) -> list[str]:
    return [text[max(0, m.start() - 10) : m.end() + 10] for m in HALF_WIDTH.finditer(text)]


def outside_gbk(text: str) -> set[str]:
    found = set()
    for char in set(text):
        try:
            char.encode("gbk")
        except UnicodeEncodeError:
            found.add(f"U+{ord(char):04X} {char}")
    return found


def test_the_rule_sees_half_width_marks_and_leaves_ascii_and_full_width_ones():
    assert len(half_width_marks('第4行「甲项」列: "9O" 不是数字,请填写(0到100)')) == 3
    assert half_width_marks("第4行「甲项」列：「9O」不是数字，请填写（0到100）") == []
    assert half_width_marks("fetch-depth: 0 例如 --month 2024-03, a (b)") == []
    assert len(half_width_marks("（2024-01 至 2024-02）,3 条事件")) == 1
    assert outside_gbk("※ 东村 → 西村…") == set() and outside_gbk("✎ ›") == {"U+270E ✎", "U+203A ›"}


# -- every catalogue entry -----------------------------------------------------------------------


def catalogue_types() -> dict[str, ProblemType]:
    """Every entry and variant of the catalogue, by the name it has there."""
    found = {name: v for name, v in vars(catalogue).items() if isinstance(v, ProblemType)}
    return found | {"MORE_PROBLEMS": MORE_PROBLEMS, "MORE_IN_ALL": MORE_IN_ALL}


def rendered(kind: ProblemType) -> str:
    """The entry's 说明, 怎么改 and its message as the terminal shows it, fields filled in."""
    fields = {name for _, name, _, _ in string.Formatter().parse(kind.template) if name}
    values = {name: CODES.get(name, SAMPLE) for name in fields - {"count"}}
    problem = kind.at(FILE, 4, "甲项", **values)
    return "\n".join([kind.title, kind.fix, problem.text()])


def test_the_catalogue_lists_more_than_its_codes():
    assert len(catalogue_types()) > len(catalogue.TYPES) > 60  # variants are checked too


def test_every_catalogue_entry_is_full_width_next_to_chinese():
    found = {name: half_width_marks(rendered(kind)) for name, kind in catalogue_types().items()}
    assert {name: marks for name, marks in found.items() if marks} == {}


def test_every_catalogue_entry_uses_only_characters_of_the_gbk_set():
    found = {name: outside_gbk(rendered(kind)) for name, kind in catalogue_types().items()}
    assert {name: chars for name, chars in found.items() if chars} == {}


def test_renderings_around_the_messages_are_full_width():
    error = catalogue.NOT_A_NUMBER.at(FILE, 4, "甲项", value=quote("9O" * 30), full="100")
    warning = catalogue.SAME_AS_PREVIOUS.at(FILE, previous="2024-02")
    text = render_text([error, warning])
    lines = text.splitlines()
    assert lines[0].startswith(f"{FILE}：（提醒）本期的分数与上一期 2024-02 完全相同：")
    assert lines[1].startswith(f"{FILE} 第4行「甲项」列：「9O9O")
    assert "…（共60个字符）」不是数字，" in lines[1]
    assert text.endswith("共发现 1 个问题（另有 1 条提醒），请改正后重新提交。")
    assert render_text([warning]).endswith("共有 1 条提醒，请核对；数据可以使用。")
    assert half_width_marks(text) == []


# -- the commands on a small town ------------------------------------------------------------


def workbook(path: Path, rows: list[list], title: str = "二月") -> Path:
    """A third party's sheet: a title row above the header, a 序号 column and a 合计 row."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(["二月评分表"])
    sheet.append(["序号", *rows[0]])
    for number, row in enumerate(rows[1:], start=1):
        sheet.append([number, *row])
    sheet.append(["", "合计"])
    book.save(path)
    return path


def write_events(scores: Path, month: str, rows: list[list[str]]) -> None:
    path = scores / events_path(month)
    path.write_bytes(csv_bytes([["村名", "事件", "类别", "分值", "说明"], *rows]))


@pytest.fixture
def said(capsys, monkeypatch):
    """Runs `flagboard ARGS` and keeps what it printed; the list of (args, exit status, text)."""
    monkeypatch.chdir(ROOT)  # build reads pelicanconf.py, content/ and the theme from here
    runs: list[tuple[str, int, str]] = []

    def run(*args: str) -> int:
        status = main([str(a) for a in args])
        captured = capsys.readouterr()
        runs.append((" ".join(map(str, args)), status, captured.out + captured.err))
        return status

    run.runs = runs
    return run


def check_said(runs: list[tuple[str, int, str]]) -> None:
    marks = {args: half_width_marks(text) for args, _, text in runs}
    assert {args: m for args, m in marks.items() if m} == {}
    chars = {args: outside_gbk(text) for args, _, text in runs}
    assert {args: c for args, c in chars.items() if c} == {}


def test_office_commands_say_everything_full_width(tmp_path, said):
    scores = write_town(tmp_path, {"2024-01": JANUARY})
    renamed = [FEBRUARY[0], *FEBRUARY[1:3], ["桃源", *FEBRUARY[3][1:]], *FEBRUARY[4:]]
    source = workbook(tmp_path / "评分.xlsx", renamed)
    assert said("new-month", "2024-02", "--scores", scores, "--with", "创业承诺践行") == 0
    assert said("new-month", "2024-02", "--scores", scores) == 1  # exists
    write_events(scores, "2024-02", FEBRUARY_EVENTS)
    assert said("new-month", "2024-13", "--scores", scores) == 2  # the command is wrong
    assert said("import", source, "--month", "2024-02", "--scores", scores) == 0  # a blank form
    assert said("import", source, "--month", "2024-02", "--scores", scores, "--force") == 0
    assert said("import", source, "--month", "2024-03", "--sheet", "三月", "--scores", scores) == 2
    assert said("new-annual", "2024", "--scores", scores) == 0
    assert said("validate", "--scores", scores) == 0  # the blank annual file: a warning
    assert said("preview", "2024-02", "--scores", scores, "--full") == 0
    assert said("preview", "2024-02", "--scores", scores, "--format", "markdown") == 0
    assert said("preview", "2024-05", "--scores", scores) == 2  # no such month
    assert said("compute", "--scores", scores, "--out", tmp_path / "results") == 0
    assert said("init", "--town", "新镇", "--dir", tmp_path / "new") == 0
    assert said("init", "--town", "新镇", "--dir", tmp_path / "new") == 1
    check_said(said.runs)
    assert "已忽略的列：" in said.runs[4][2] and "「桃源」→「桃源村」" in said.runs[4][2]
    assert "（提醒）" in said.runs[7][2]


def test_bad_data_is_reported_full_width(tmp_path, said):
    bad = [row[:] for row in JANUARY]
    bad[1][1], bad[2][2] = "9O", "101"
    bad.append(["无名村", "80", "80"])
    scores = write_town(tmp_path)
    write_month(scores, "2024-01", bad)
    (scores / "2024" / "2024-01.events.csv").write_bytes(
        csv_bytes(
            [["村名", "事件", "类别", "分值", "说明"], ["东山村", "加分", "无此项", "-1", ""]]
        )
    )
    (scores / "2024" / "notes.txt").write_text("x")
    assert said("validate", "--scores", scores) == 1
    assert said("validate", "--scores", scores, "--format", "github") == 1
    assert said("preview", "--scores", scores) == 1
    assert said("build", "--scores", scores, "--out", tmp_path / "site") == 1
    github = said.runs.pop(1)[2].splitlines()  # ::error file=…,line=…,title=…::message
    annotations = [line.split("::", 2)[2] for line in github if line.startswith("::error ")]
    assert len(annotations) == 7
    check_said([*said.runs, ("github", 1, "\n".join(annotations))])
    assert "「9O」不是数字，" in said.runs[0][2]


def test_build_says_everything_full_width(tmp_path, said):
    scores = write_town(tmp_path, {"2024-01": JANUARY})
    assert said("build", "--scores", scores, "--out", tmp_path / "site", "--jobs", "1") == 0
    assert said("build", "--scores", scores, "--out", tmp_path) == 1  # not the tool's folder
    check_said(said.runs)
    assert "注意：不是 Git 仓库，没有修订记录" in said.runs[0][2]
    assert "完成：" in said.runs[0][2]

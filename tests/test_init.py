"""`flagboard init`: a second town's skeleton (scores/ and the about page) that validates, takes
its months and builds a site; never overwriting what is there."""

from __future__ import annotations

import csv
import io
import shutil
import tomllib
from pathlib import Path

import openpyxl
import pytest
from _site_helpers import ROOT, build_site, html_pages
from towns import Town

from generator.cli import main
from generator.demo import excel_csv
from generator.load import load

VILLAGES = [
    ("330211101001", "青石村", "溪东片"),
    ("330211101002", "白塔村", "溪东片"),
    ("330211101003", "柳岸村", "溪东片"),
    ("330211102001", "松岭村", "溪西片"),
    ("330211102002", "竹溪村", "溪西片"),
    ("330211102003", "桂花村", "溪西片"),
    ("330211102004", "石门村", "溪西片"),
]


def villages_workbook(path: Path, rows=VILLAGES) -> Path:
    """The office's list as kept in Excel: a title row, 序号, 村庄名称, a merged 所属网格 cell
    per grid, 村编码; grids written once and merged down over their villages."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "村名单"
    sheet.append(["某某镇行政村名单"])
    sheet.append(["序号", "所属网格", "村庄名称", "村编码"])
    first = {}
    for number, (code, name, grid) in enumerate(rows, start=1):
        line = sheet.max_row + 1
        shown = grid if grid not in first else None
        first.setdefault(grid, [line, line])[1] = line
        sheet.append([number, shown, name, code])
    for top, bottom in first.values():
        if bottom > top:
            sheet.merge_cells(start_row=top, start_column=2, end_row=bottom, end_column=2)
    book.save(path)
    return path


def read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text("utf-8-sig"), newline="")))


def init(*args: str) -> int:
    return main(["init", *args])


def test_a_bare_town_has_the_plans_categories_and_rules_and_validates(tmp_path, capsys):
    assert init("--town", "某某镇", "--dir", str(tmp_path)) == 0
    out = capsys.readouterr().out
    assert "已生成" in out and "0 个村" in out
    town = tomllib.loads((tmp_path / "scores" / "town.toml").read_text("utf-8"))
    assert town["town"] == "某某镇"
    kinds = [c["kind"] for c in town["categories"]]
    assert (kinds.count("monthly"), kinds.count("optional"), kinds.count("annual")) == (5, 2, 2)
    assert [g["name"] for g in town["grids"]] == ["第一网格"]
    (rule,) = town["rules"]
    assert (rule["red_count"], rule["yellow_count"]) == (3, 3)
    assert rule["reward_tiers"] == rule["penalty_tiers"] == [1000, 3000, 5000]
    assert "notice" not in town  # left for the office to fill in
    assert read_csv(tmp_path / "scores" / "villages.csv") == [
        ["编号", "村名", "网格", "起始月份", "终止月份"]
    ]
    about = (tmp_path / "content" / "pages" / "about.md").read_text("utf-8")
    assert about.startswith("Title: 关于本站\nSlug: about\n") and "某某镇党政办" in about
    assert main(["validate", "--scores", str(tmp_path / "scores")]) == 0
    assert "0 个评比月份" in capsys.readouterr().out


def test_villages_come_from_a_workbook_with_merged_grid_cells(tmp_path):
    source = villages_workbook(tmp_path / "村名单.xlsx")
    assert init("--town", "某某镇", "--villages", str(source), "--dir", str(tmp_path / "p")) == 0
    scores = tmp_path / "p" / "scores"
    rows = read_csv(scores / "villages.csv")
    assert rows[1:] == [[code, name, grid, "", ""] for code, name, grid in VILLAGES]
    town = tomllib.loads((scores / "town.toml").read_text("utf-8"))
    assert [(g["id"], g["name"]) for g in town["grids"]] == [
        ("grid1", "溪东片"),
        ("grid2", "溪西片"),
    ]
    assert len(load(scores).villages) == len(VILLAGES)


def test_a_csv_list_without_codes_or_grids_gets_codes_and_the_placeholder_grid(tmp_path):
    source = tmp_path / "名单.csv"
    source.write_bytes(excel_csv([["行政村"], ["甲村"], ["乙村"], ["合计"]], "gbk"))
    assert init("--town", "某某镇", "--villages", str(source), "--dir", str(tmp_path)) == 0
    assert read_csv(tmp_path / "scores" / "villages.csv")[1:] == [
        ["V001", "甲村", "第一网格", "", ""],
        ["V002", "乙村", "第一网格", "", ""],
    ]


def test_the_skeleton_takes_two_months_and_builds_a_site(tmp_path):
    project = tmp_path / "fork"
    shutil.copytree(ROOT / "content", project / "content")
    (project / "content" / "pages" / "about.md").unlink()
    source = villages_workbook(tmp_path / "村名单.xlsx")
    assert init("--town", "某某镇", "--villages", str(source), "--dir", str(project)) == 0
    scores = project / "scores"
    for month, base in (("2025-03", 90), ("2025-04", 80)):
        assert main(["new-month", month, "--scores", str(scores)]) == 0
        path = scores / month[:4] / f"{month}.csv"
        header, *body = read_csv(path)
        filled = [
            [row[0], *(str(base - i - j) for j in range(len(header) - 1))]
            for i, row in enumerate(body)
        ]
        path.write_bytes(excel_csv([header, *filled], "utf-8-sig"))
    assert main(["validate", "--scores", str(scores)]) == 0
    out = tmp_path / "site"
    build_site(scores, out, content=project / "content")
    pages = html_pages(out)
    assert {"index.html", "2025/03/index.html", "2025/04/index.html", "about/index.html"} <= set(
        pages
    )
    assert "某某镇党政办" in pages["about/index.html"].read_text("utf-8")
    assert "青石村" in pages["index.html"].read_text("utf-8")


def test_init_never_overwrites_scores_or_the_about_page(tmp_path, capsys):
    (tmp_path / "scores").mkdir()
    (tmp_path / "scores" / "notes.txt").write_text("镇里的笔记", "utf-8")
    about = tmp_path / "content" / "pages" / "about.md"
    about.parent.mkdir(parents=True)
    about.write_text("原有的关于页", "utf-8")
    assert init("--town", "某某镇", "--dir", str(tmp_path)) == 1
    err = capsys.readouterr().err
    assert "不会覆盖" in err and "about.md" in err and "scores" in err
    assert sorted(p.name for p in (tmp_path / "scores").iterdir()) == ["notes.txt"]
    assert about.read_text("utf-8") == "原有的关于页"
    about.unlink()
    assert init("--town", "某某镇", "--dir", str(tmp_path)) == 1
    assert not about.exists()
    assert "scores" in capsys.readouterr().err


def test_a_list_without_a_village_column_or_with_a_village_twice_is_refused(tmp_path, capsys):
    book = openpyxl.Workbook()
    book.active.append(["序号", "单位", "网格"])
    book.active.append([1, "甲村", "一片"])
    book.save(tmp_path / "无村名.xlsx")
    assert (
        init(
            "--town", "某某镇", "--villages", str(tmp_path / "无村名.xlsx"), "--dir", str(tmp_path)
        )
        == 1
    )
    assert "找不到表头" in capsys.readouterr().err
    twice = villages_workbook(
        tmp_path / "重复.xlsx", VILLAGES + [("330211102009", "白塔村", "溪西片")]
    )
    assert init("--town", "某某镇", "--villages", str(twice), "--dir", str(tmp_path)) == 1
    err = capsys.readouterr().err
    assert "重复.xlsx「村名单」 第10行「村庄名称」列" in err and "白塔村" in err and "第4行" in err
    assert not (tmp_path / "scores").exists() and not (tmp_path / "content").exists()


@pytest.mark.parametrize("args", [["--town", " "], ["--town", "某某镇", "--from", "2025-13"]])
def test_a_blank_town_or_a_bad_first_month_is_a_usage_error(tmp_path, capsys, args):
    with pytest.raises(SystemExit) as exited:
        init(*args, "--dir", str(tmp_path))
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "名称不能为空" in err or "应为 YYYY-MM 格式的月份" in err
    assert not any(tmp_path.iterdir())


# -- adopting on a fork: the steps of content/pages/adopt.md -----------------------------------

ADOPT = ROOT / "content" / "pages" / "adopt.md"


def shown_lines(text: str) -> list[str]:
    """The lines of the page's code blocks."""
    blocks = text.split("```")[1::2]
    return [line.split("#")[0].strip() for block in blocks for line in block.splitlines()]


def git(cwd: Path, *args: str) -> str:
    import subprocess

    done = subprocess.run(
        ["git", "-c", "user.name=镇党政办", "-c", "user.email=o@town.example", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
    )
    return done.stdout + done.stderr


def test_the_adopt_pages_init_command_parses_and_its_merge_steps_keep_the_towns_data(tmp_path):
    from generator.cli import _parser

    lines = shown_lines(ADOPT.read_text("utf-8"))
    (init_line,) = [line for line in lines if "flagboard init" in line]
    _parser().parse_args(init_line.split("flagboard ", 1)[1].split())
    (restore,) = [line for line in lines if line.startswith("git restore")]
    # upstream: the demo town; the fork replaces it with its own town as the page says
    upstream = tmp_path / "upstream"
    Town().month("2024-01", {"A1": 90, "A2": 80, "A3": 70}).write(upstream / "scores")
    (upstream / "content" / "pages").mkdir(parents=True)
    (upstream / "content" / "pages" / "about.md").write_text(
        "Title: 关于本站\n\n示范镇。\n", "utf-8"
    )
    git(upstream, "init", "-q", "-b", "main")
    git(upstream, "add", "-A")
    git(upstream, "commit", "-q", "-m", "示范镇")
    fork = tmp_path / "fork"
    git(tmp_path, "clone", "-q", str(upstream), str(fork))
    git(fork, "rm", "-q", "-r", "scores", "content/pages/about.md")
    source = villages_workbook(tmp_path / "村名单.xlsx")
    assert init("--town", "某某镇", "--villages", str(source), "--dir", str(fork)) == 0
    git(fork, "add", "-A")
    git(fork, "commit", "-q", "-m", "某某镇的数据")
    before = {p: p.read_bytes() for p in sorted((fork / "scores").rglob("*")) if p.is_file()}
    # upstream changes the demo's settings and about page and adds a month
    Town().month("2024-01", {"A1": 90, "A2": 80, "A3": 70}).month(
        "2024-02", {"A1": 91, "A2": 81, "A3": 71}
    ).write(upstream / "scores")
    with (upstream / "scores" / "town.toml").open("a", encoding="utf-8") as toml:
        toml.write('\n[notice]\nissuer = "示范镇人民政府"\n')
    (upstream / "content" / "pages" / "about.md").write_text(
        "Title: 关于本站\n\n示范镇，新版。\n", "utf-8"
    )
    git(upstream, "add", "-A")
    git(upstream, "commit", "-q", "-m", "示范镇的新数据")
    merged = git(fork, "pull", "-q", "--no-rebase", "--no-edit", "origin", "main")
    assert "CONFLICT" in merged and "town.toml" in merged
    git(fork, *restore.split()[1:])
    git(fork, "commit", "-q", "--no-edit")
    after = {p: p.read_bytes() for p in sorted((fork / "scores").rglob("*")) if p.is_file()}
    assert after == before
    assert "某某镇党政办" in (fork / "content" / "pages" / "about.md").read_text("utf-8")
    assert git(fork, "status", "--porcelain") == ""
    assert main(["validate", "--scores", str(fork / "scores")]) == 0

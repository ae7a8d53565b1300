"""`flagboard preview`: the clerk's last check, asserted exactly on a small hand-made town."""

from __future__ import annotations

import io

import pytest
from _history_helpers import corrected_town
from _office_helpers import FEBRUARY, FEBRUARY_EVENTS, JANUARY, write_town
from rich.console import Console

from generator.cli import main
from generator.office.against import against
from generator.office.preview import Preview, Section, preview, print_rich, to_markdown
from generator.problems import InvalidData

# Worked by hand from RULES.md (1 red and 1 yellow flag per grid and category; tiers 1000, 3000):
# 梅林村 hosts a meeting in 和美家园建设 (red, no slot taken); 枫林村 is vetoed (no red at all,
# its 党建 92 passes the red flag to 西湖村 80 + 10 加分); 西湖村 and 枫林村 tie at 78.5 for yellow.
FEBRUARY_MARKDOWN = """\
## 测试镇 2024年2月 评比结果预览

规则版本 2024\\-01 起：每个网格每个项目红旗 1 面、黄旗 1 面。本月共 6 个村，红旗 7 面，黄旗 7 面，嘉奖 9000 元，扣罚 9000 元。

### 东片网格

| 评比项目 | 红旗（先进村） | 黄旗（促进村） |
|---|---|---|
| 党建引领发展 | 东山村 95 | 桃源村 75 |
| 和美家园建设 | 桃源村 90、梅林村（现场会） | 东山村 80 |
| 创业承诺践行 | 桃源村 90 | 东山村 70 |

### 西片网格

| 评比项目 | 红旗（先进村） | 黄旗（促进村） |
|---|---|---|
| 党建引领发展 | 西湖村 90（80\\+10） | 新苑村 85 |
| 和美家园建设 | 新苑村 88 | 西湖村 78\\.5、枫林村 78\\.5 |
| 创业承诺践行 | 西湖村 60 | 枫林村 80 |

### 事件

| 村名 | 事件 | 类别 | 分值 | 说明 |
|---|---|---|---|---|
| 梅林村 | 现场会 | 和美家园建设 |  | 承办区级美丽乡村现场会 |
| 枫林村 | 一票否决 |  |  | 发生安全生产责任事故 |
| 西湖村 | 加分 | 党建引领发展 | 10 | 党建工作获市级表彰 |

### 奖罚

| 网格 | 村名 | 红旗 | 黄旗 | 嘉奖（元） | 扣罚（元） | 合计（元） |
|---|---|---|---|---|---|---|
| 东片网格 | 东山村 | 1 | 2 | 1000 | 3000 | －2000 |
| 东片网格 | 梅林村 | 1 | 0 | 1000 | 0 | ＋1000 |
| 东片网格 | 桃源村 | 2 | 1 | 3000 | 1000 | ＋2000 |
| 西片网格 | 西湖村 | 2 | 1 | 3000 | 1000 | ＋2000 |
| 西片网格 | 枫林村 | 0 | 2 | 0 | 3000 | －3000 |
| 西片网格 | 新苑村 | 1 | 1 | 1000 | 1000 | 0 |
| 合计 | 6 个村 | 7 | 7 | 9000 | 9000 | 0 |

### 处理措施

| 村名 | 措施 | 原因 |
|---|---|---|
| 东山村 | 约谈 | 本期获黄旗2面（和美家园建设、创业承诺践行） |
| 东山村 | 警告 | 连续两期获黄旗（2024\\-01黄旗1面、2024\\-02黄旗2面）；2024年累计黄旗达到3面（截至2024\\-02共3面） |
| 桃源村 | 约谈 | 本期获黄旗1面（党建引领发展） |
| 桃源村 | 警告 | 连续两期获黄旗（2024\\-01黄旗1面、2024\\-02黄旗1面） |
| 西湖村 | 约谈 | 本期获黄旗1面（和美家园建设） |
| 西湖村 | 警告 | 连续两期获黄旗（2024\\-01黄旗1面、2024\\-02黄旗1面） |
| 枫林村 | 约谈 | 本期获黄旗2面（和美家园建设、创业承诺践行） |
| 新苑村 | 约谈 | 本期获黄旗1面（党建引领发展） |

### 2024年度处理（截至2024年2月）

| 村名 | 措施 | 原因 |
|---|---|---|
| 东山村 | 年度考核降一档，保洁费及垃圾分类补贴按最低档 | 同一年内连续两期获黄旗（2024\\-01与2024\\-02） |
| 桃源村 | 年度考核降一档，保洁费及垃圾分类补贴按最低档 | 同一年内连续两期获黄旗（2024\\-01与2024\\-02） |
| 西湖村 | 年度考核降一档，保洁费及垃圾分类补贴按最低档 | 同一年内连续两期获黄旗（2024\\-01与2024\\-02） |
"""


@pytest.fixture
def scores(tmp_path):
    return write_town(
        tmp_path, {"2024-01": JANUARY, "2024-02": FEBRUARY}, {"2024-02": FEBRUARY_EVENTS}
    )


def test_markdown_exactly(scores):
    assert to_markdown(preview(scores, ["2024-02"])) == FEBRUARY_MARKDOWN


def test_latest_period_by_default(scores):
    assert to_markdown(preview(scores)) == FEBRUARY_MARKDOWN


def test_january_has_no_events_and_an_empty_yellow_cell(scores):
    text = to_markdown(preview(scores, ["2024-01"]))
    assert "### 事件\n\n本月没有登记事件\n" in text
    assert "| 和美家园建设 | 西湖村 70 | — |" in text  # the only scored village: red, no yellow
    assert "年度处理" not in text  # January is not the year's latest period


def test_terminal_tables(scores):
    stream = io.StringIO()
    print_rich(preview(scores, ["2024-02"]), Console(file=stream, width=100, color_system=None))
    lines = stream.getvalue().splitlines()
    assert "测试镇 2024年2月 评比结果预览" in lines[0]
    assert "│ 和美家园建设 │ 桃源村 90        │ 东山村 80      │" in lines
    assert "│              │ 梅林村（现场会） │                │" in lines
    assert "│ 党建引领发展 │ 西湖村 90（80+10） │ 新苑村 85      │" in lines
    assert "│ 合计     │ 6 个村 │ 7    │ 7    │ 9000       │ 9000       │ 0          │" in lines


def test_cli_markdown_and_text(scores, capsys):
    assert main(["preview", "2024-02", "--scores", str(scores), "--format", "markdown"]) == 0
    assert capsys.readouterr().out == FEBRUARY_MARKDOWN
    assert main(["preview", "--scores", str(scores)]) == 0
    assert "梅林村（现场会）" in capsys.readouterr().out


def test_unknown_month(scores, capsys):
    with pytest.raises(InvalidData) as error:
        preview(scores, ["2024-03"])
    assert [(p.file, p.code) for p in error.value.problems] == [
        (f"{scores.as_posix()}/2024/2024-03.csv", "no_period")
    ]
    assert main(["preview", "2024-3", "--scores", str(scores)]) == 2  # the command is wrong
    assert "「2024-3」不是有效月份，月份要写成 YYYY-MM，例如 2024-03" in capsys.readouterr().err


def test_invalid_data_is_reported_not_previewed(scores, capsys):
    (scores / "2024" / "2024-02.csv").write_text("村名,党建引领发展\n东山村,abc\n", "utf-8")
    assert main(["preview", "--scores", str(scores), "--format", "markdown"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "第2行「党建引领发展」列：「abc」不是数字" in captured.err


def test_markdown_shows_names_as_written():
    section = Section("事件", ("村名", "说明"), (("A|B村", "<b>加分</b> *x*"),))
    text = to_markdown([Preview("标题", "摘要", (section,))])
    assert "| A\\|B村 | \\<b\\>加分\\</b\\> \\*x\\* |" in text


# -- --full: every village's scores ------------------------------------------------------------


def test_full_lists_typed_scores_adjustments_ranks_ties_and_blank_cells(scores):
    text = to_markdown(preview(scores, ["2024-02"], full=True))
    assert text.startswith(FEBRUARY_MARKDOWN.split("### 事件")[0])
    assert (
        "### 西片网格「党建引领发展」\n\n"
        "| 名次 | 村名 | 评分 | 加减分 | 得分 | 红黄旗 |\n|---|---|---|---|---|---|\n"
        "| 1 | 枫林村 | 92 |  | 92 | 一票否决 |\n"
        "| 2 | 西湖村 | 80 | \\+10 | 90 | 红旗 |\n"
        "| 3 | 新苑村 | 85 |  | 85 | 黄旗 |\n"
    ) in text
    assert "| 并列2 | 西湖村 | 78\\.5 |  | 78\\.5 | 黄旗 |\n| 并列2 | 枫林村 | 78\\.5 |" in text
    assert "| — | 新苑村 | 未参评 |  |  |  |\n" in text  # 创业承诺践行 left blank
    assert "| 2 | 梅林村 | 85 |  | 85 | 红旗（现场会） |" in text
    assert text.count("| 名次 | 村名 |") == 6  # 2 grids × 3 categories


def test_full_shows_a_not_evaluated_mark_as_a_blank_cell(tmp_path):
    january = [row[:] for row in JANUARY]
    january[5][2] = "未参评"  # 枫林村's 和美家园建设, blank in JANUARY already
    january[4][2] = "/"  # 西湖村's
    january[1][2] = "—"
    scores = write_town(tmp_path, {"2024-01": january})
    text = to_markdown(preview(scores, ["2024-01"], full=True))
    assert text.count("| 未参评 |") == 3


def test_cli_full(scores, capsys):
    args = ["preview", "2024-02", "--full", "--format", "markdown", "--scores", str(scores)]
    assert main(args) == 0
    assert "### 东片网格「和美家园建设」" in capsys.readouterr().out


# -- --against REF: what a correction changes ---------------------------------------------------


def test_against_lists_the_knock_on_chain(tmp_path):
    repo, commits = corrected_town(tmp_path)
    found = against(repo.scores, commits["april"])
    assert found.summary == (
        f"与「{commits['april']}」相比，2024年3月及以后的变化："
        "分数 1 处、红黄旗 2 处、奖罚 2 处、处理措施 4 处。"
    )
    sections = {s.title: s.rows for s in found.sections}
    assert sections["分数"] == (("2024年3月", "东村", "和美家园建设", "60", "85"),)
    assert sections["红黄旗"] == (
        ("2024年3月", "东村", "和美家园建设", "黄旗", "无"),
        ("2024年3月", "北村", "和美家园建设", "无", "黄旗"),
    )
    assert sections["奖罚"] == (
        ("2024年3月", "东村", "嘉奖 1000 元、扣罚 1000 元", "嘉奖 1000 元"),
        ("2024年3月", "北村", "无", "扣罚 1000 元"),
    )
    # April's scores did not change, but 东村's 警告 for two yellow months in a row is gone,
    # and so is its 降档 for the year.
    assert sections["处理措施"] == (
        ("2024年3月", "东村", "约谈", "无"),
        ("2024年3月", "北村", "无", "约谈"),
        ("2024年4月", "东村", "约谈、警告", "约谈"),
        ("2024年度", "东村", "年度考核降一档、优先评优", "优先评优"),
    )


def test_against_an_uncommitted_change_and_without_changes(tmp_path):
    repo, _ = corrected_town(tmp_path)
    assert against(repo.scores, "HEAD").sections == ()
    repo.write(
        "2024/2024-04.events.csv", "村名,事件,类别,分值,说明\n西村,加分,和美家园建设,2,表彰\n"
    )
    found = against(repo.scores, "HEAD")
    assert found.summary.startswith("与「HEAD」相比，2024年4月及以后的变化：分数 1 处、红黄旗 0 处")
    assert {s.title: s.rows for s in found.sections}["分数"] == (
        ("2024年4月", "西村", "和美家园建设", "91", "93（91+2）"),
    )


def test_against_a_month_before_the_ref_had_it(tmp_path):
    repo, commits = corrected_town(tmp_path)
    found = against(repo.scores, commits["march"], ["2024-04"])
    flags = {s.title: s.rows for s in found.sections}["红黄旗"]
    assert ("2024年4月", "西村", "和美家园建设", "无", "红旗") in flags


@pytest.mark.parametrize("ref", ["no-such-branch", "--output=x", "HEAD~99", ""])
def test_against_a_bad_ref_is_a_chinese_message(tmp_path, capsys, ref):
    repo, _ = corrected_town(tmp_path)
    with pytest.raises(InvalidData) as error:
        against(repo.scores, ref)
    (problem,) = error.value.problems
    assert problem.code == "bad_ref"
    assert f"无法与版本「{ref}」比较：找不到版本" in problem.message
    assert main(["preview", f"--against={ref}", "--scores", str(repo.scores)]) == 1
    assert "Traceback" not in capsys.readouterr().err
    assert not (tmp_path / "x").exists() and not (repo.root / "x").exists()


def test_against_outside_a_repository(scores):
    with pytest.raises(InvalidData) as error:
        against(scores, "HEAD")
    assert "不在 Git 仓库中" in error.value.problems[0].message


def test_against_a_ref_without_the_scores_folder(tmp_path):
    repo, _ = corrected_town(tmp_path)
    (repo.root / "README.md").write_text("说明", "utf-8")
    repo.git("add", "README.md")
    repo.git("commit", "-q", "-m", "x")
    first = repo.git("rev-list", "--max-parents=0", "HEAD")
    repo.git("checkout", "-q", "--orphan", "other")
    repo.git("rm", "-rq", "--cached", "scores")
    repo.git("commit", "-q", "-m", "只有说明")
    with pytest.raises(InvalidData) as error:
        against(repo.scores, "other")
    assert "中还没有评分数据文件夹 scores" in error.value.problems[0].message
    assert against(repo.scores, first).sections  # the first commit had March only: a change


def test_cli_against_markdown_for_the_run_summary(tmp_path, capsys):
    repo, commits = corrected_town(tmp_path)
    args = ["preview", "--against", commits["april"], "--format", "markdown"]
    assert main([*args, "--scores", str(repo.scores)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"## 测试镇 与「{commits['april']}」相比的变化\n")
    assert "| 2024年4月 | 东村 | 约谈、警告 | 约谈 |" in out
    assert "评比结果预览" not in out  # --against alone: only the changes
    assert main([*args, "--full", "--scores", str(repo.scores)]) == 0
    assert "评比结果预览" in capsys.readouterr().out


def test_against_reads_only_regular_files_at_the_ref(tmp_path):
    repo, _ = corrected_town(tmp_path)
    (repo.scores / "2024" / "link.csv").symlink_to("/etc/passwd")
    repo.write("README.md", "说明")
    repo.commit("一个链接和说明", "测试", "2024-06-01T09:00:00+08:00")
    (repo.scores / "2024" / "link.csv").unlink()
    # Read as a file, the link (its blob is the target's path) would fail validation at HEAD.
    assert against(repo.scores, "HEAD").summary == "与「HEAD」相比，评分数据没有变化。"


# -- a year: its annual categories' flags and the year's actions --------------------------------

ANNUAL = "村名,党风廉政建设\n东山村,90\n梅林村,85\n桃源村,70\n西湖村,88\n枫林村,95\n新苑村,60\n"


def test_a_year_previews_its_annual_flags_grid_by_grid_and_the_years_actions(scores, capsys):
    (scores / "2024" / "2024-annual.csv").write_text(ANNUAL, "utf-8")
    text = to_markdown(preview(scores, ["2024"]))
    assert text.startswith("## 测试镇 2024年度 评比结果预览\n\n年度项目按2024年12月适用的规则版本")
    # 枫林村 scores highest in the west, but was vetoed in February: no red flag in the year
    assert "### 东片网格\n\n| 评比项目 | 红旗（先进村） | 黄旗（促进村） |\n|---|---|---|\n" in text
    assert "| 党风廉政建设 | 东山村 90 | 桃源村 70 |" in text
    assert "| 党风廉政建设 | 西湖村 88 | 新苑村 60 |" in text
    assert "### 2024年度处理（截至2024年2月）" in text
    assert "| 桃源村 | 优先评优 | 3面红旗，全镇第1名（本年无一票否决） |" in text
    assert "### 奖罚" not in text  # annual categories carry no money
    assert main(["preview", "2024", "--scores", str(scores), "--format", "markdown"]) == 0
    assert capsys.readouterr().out == text


def test_a_year_without_its_annual_file_says_so(scores):
    (only,) = preview(scores, ["2024"])
    assert only.summary.startswith("2024年还没有年度评分文件（")
    assert [s.title for s in only.sections] == ["2024年度处理（截至2024年2月）"]

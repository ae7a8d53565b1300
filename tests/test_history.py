"""Provenance through git (issue 4): revisions, cell changes and changed outcomes, in real repos."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from _history_helpers import (
    APRIL,
    HEADER,
    MARCH,
    TOWN_TOML,
    VILLAGES,
    DataRepo,
    corrected_town,
    csv_bytes,
    period_rows,
)

from generator import forked
from generator.history.gitlog import History, collect_history, repo_root_of


@pytest.fixture(scope="module")
def corrected(tmp_path_factory) -> tuple[DataRepo, dict[str, str], History]:
    repo, commits = corrected_town(tmp_path_factory.mktemp("corrected"))
    return repo, commits, collect_history(repo.root, Path("scores"))


def lines(history: History, period: str) -> list[list[str]]:
    return [r.lines for r in history.periods[period].revisions]


def texts(changes) -> list[str]:
    return [c.text for c in changes]


# -- revisions ------------------------------------------------------------------------------------


def test_commits_newest_first_with_chinese_authors_messages_and_git_dates(corrected):
    _, commits, history = corrected
    assert history.available and not history.shallow and history.note is None
    assert [c.hash for c in history.commits] == [
        commits["resave"],
        commits["fix"],
        commits["april"],
        commits["march"],
    ]
    fix = history.commits[1]
    assert (fix.short, fix.author, fix.date) == (
        commits["fix"][:7],
        "王书记",
        "2024-05-10T09:15:00+08:00",
    )
    assert fix.subject == "复议:东村和美家园建设分数更正为85"
    assert fix.message.endswith("依据镇评比小组2024年5月复议纪要。")
    assert [(f.status, f.path) for f in history.commits[-1].files] == [
        ("added", "2024/2024-03.csv"),
        ("added", "town.toml"),
        ("added", "villages.csv"),
    ]


def test_every_data_file_has_its_revisions_oldest_first(corrected):
    _, commits, history = corrected
    revisions = {f.path: [r.commit.hash for r in f.revisions] for f in history.files}
    assert revisions == {
        "2024/2024-03.csv": [commits["march"], commits["fix"], commits["resave"]],
        "2024/2024-04.csv": [commits["april"]],
        "town.toml": [commits["march"]],
        "villages.csv": [commits["march"]],
    }
    assert history.file("town.toml").kind == "town"
    assert history.file("2024/2024-03.csv").period == "2024-03"


def test_data_version_is_the_newest_scores_commit(corrected):
    repo, commits, history = corrected
    assert history.version.short == commits["resave"][:7]
    assert history.version.label == f"{commits['resave'][:7]} · 2024-05-11"
    assert not history.version.uncommitted


# -- cell-level changes ---------------------------------------------------------------------------


def test_a_correction_lists_the_changed_cell(corrected):
    _, _, history = corrected
    march = history.periods["2024-03"]
    assert [r.first for r in march.revisions] == [True, False, False]
    assert lines(history, "2024-03")[1] == ["东村 · 和美家园建设：60 → 85"]
    assert march.changed_cells == {("V1", "a")}
    assert march.corrected and not history.periods["2024-04"].corrected


def test_re_encoding_and_reordering_rows_is_not_a_change(corrected):
    _, _, history = corrected
    resave = history.periods["2024-03"].revisions[2]
    assert not resave.changed
    assert (resave.cells, resave.rows, resave.columns, resave.events) == ((), (), (), ())
    assert resave.notes == ("内容没有变化（只是重新保存或更换了编码/行序）",)


# -- changed outcomes -----------------------------------------------------------------------------


def test_a_correction_that_flips_a_flag_lists_the_outcome_changes(corrected):
    _, _, history = corrected
    march = history.periods["2024-03"]
    assert texts(march.outcome) == [
        "东村 和美家园建设：黄旗 → 无",
        "北村 和美家园建设：无 → 黄旗",
        "东村 奖罚：扣罚 1000 → 0 元，净额 0 → ＋1000 元",
        "北村 奖罚：扣罚 0 → 1000 元，净额 0 → －1000 元",
        "东村 约谈：取消",
        "北村 约谈：新增",
    ]
    flag = march.outcome[0]
    assert (flag.kind, flag.village_id, flag.item, flag.old, flag.new) == (
        "flag",
        "V1",
        "a",
        "黄旗",
        "无",
    )


def test_later_periods_whose_chains_changed_are_listed(corrected):
    _, _, history = corrected
    # 东村 was yellow in March and April: a warning in April and a downgrade for 2024, both gone.
    assert [(c.period, c.text) for c in history.periods["2024-03"].later] == [
        ("2024", "东村 年度考核降一档：取消"),
        ("2024-04", "东村 警告：取消"),
    ]
    assert history.periods["2024-04"].outcome == ()


# -- reverts, renames, deletions, events, columns --------------------------------------------------


@pytest.fixture(scope="module")
def busy(tmp_path_factory) -> tuple[DataRepo, History]:
    """Corrections reverted, a file moved to its folder, a file deleted, events and a column."""
    repo = DataRepo(tmp_path_factory.mktemp("busy")).town()
    repo.commit("录入3月", "张会计", "2024-04-05T10:00:00+08:00")
    repo.write("2024/2024-03.csv", csv_bytes(period_rows({**MARCH, "东村": 85})))
    repo.commit("复议更正东村", "王书记", "2024-04-10T10:00:00+08:00")
    repo.git("revert", "--no-edit", "HEAD", author="李主任", when="2024-04-11T10:00:00+08:00")
    repo.write("2024-04.csv", csv_bytes(period_rows(APRIL)))  # wrong folder
    repo.commit("录入4月", "张会计", "2024-05-05T10:00:00+08:00")
    repo.git("mv", "scores/2024-04.csv", "scores/2024/2024-04.csv")
    repo.commit("4月文件移到2024文件夹", "张会计", "2024-05-06T10:00:00+08:00")
    repo.write(
        "2024/2024-04.events.csv", "村名,事件,类别,分值,说明\n南村,加分,和美家园建设,2,省级表彰\n"
    )
    repo.commit("4月加分", "张会计", "2024-05-07T10:00:00+08:00")
    repo.write(
        "2024/2024-04.events.csv", "村名,事件,类别,分值,说明\n南村,加分,和美家园建设,3,省级表彰\n"
    )
    rows = period_rows(APRIL)
    rows = [
        [*row, col] for row, col in zip(rows, ["重点工程攻坚", 90, 80, 70, 60, 50], strict=True)
    ]
    repo.write("2024/2024-04.csv", csv_bytes(rows))
    repo.commit("4月补充重点工程攻坚,加分改为3分", "张会计", "2024-05-08T10:00:00+08:00")
    repo.write("2024/2024-05.csv", csv_bytes(period_rows(APRIL)))
    repo.commit("录入5月", "张会计", "2024-06-05T10:00:00+08:00")
    repo.remove("2024/2024-05.csv")
    repo.commit("5月评分作废,删除", "张会计", "2024-06-06T10:00:00+08:00")
    annual = [
        ["村名", "党风廉政建设"],
        ["东村", 70],
        ["西村", 90],
        ["南村", 85],
        ["北村", 80],
        ["中村", 75],
    ]
    repo.write("2024/2024-annual.csv", csv_bytes(annual))
    repo.commit("录入2024年度评分", "张会计", "2025-01-10T10:00:00+08:00")
    annual[1][1] = 88
    repo.write("2024/2024-annual.csv", csv_bytes(annual))
    repo.commit("复议:东村年度分数", "王书记", "2025-01-20T10:00:00+08:00")
    return repo, collect_history(repo.root, repo.scores)


def test_a_revert_is_a_revision_back_and_changes_no_outcome(busy):
    _, history = busy
    march = history.periods["2024-03"]
    assert [r.commit.author for r in march.revisions] == ["张会计", "王书记", "李主任"]
    assert march.revisions[2].commit.subject.startswith('Revert "复议更正东村"')
    assert lines(history, "2024-03")[1:] == [
        ["东村 · 和美家园建设：60 → 85"],
        ["东村 · 和美家园建设：85 → 60"],
    ]
    assert march.outcome == () and march.later == ()


def test_a_renamed_file_keeps_its_history(busy):
    _, history = busy
    april = history.file("2024/2024-04.csv")
    assert [(r.status, r.path, r.old_path) for r in april.revisions] == [
        ("added", "2024-04.csv", None),
        ("renamed", "2024/2024-04.csv", "2024-04.csv"),
        ("modified", "2024/2024-04.csv", None),
    ]
    assert history.periods["2024-04"].path == "2024/2024-04.csv"
    assert lines(history, "2024-04")[1] == ["内容没有变化（只是重新保存或更换了编码/行序）"]


def test_events_and_columns_added_or_changed(busy):
    _, history = busy
    added, changed = lines(history, "2024-04")[2:]
    assert added == ["新增事件：南村 加分 和美家园建设 2（省级表彰）"]
    assert changed == [
        "新增一列：重点工程攻坚",
        "修改事件：南村 加分 和美家园建设 2（省级表彰） → 加分 和美家园建设 3（省级表彰）",
    ]
    # The new column's flags are outcome changes; the bonus (81 + 3 = 84) passed nobody.
    flags = [c.text for c in history.periods["2024-04"].outcome if c.kind == "flag"]
    assert flags == ["东村 重点工程攻坚：无 → 红旗", "中村 重点工程攻坚：无 → 黄旗"]


def test_a_deleted_file_keeps_its_history(busy):
    _, history = busy
    may = [f for f in history.files if f.path == "2024/2024-05.csv"]
    assert len(may) == 1 and may[0].deleted
    assert [r.status for r in may[0].revisions] == ["added", "deleted"]
    assert history.file("2024/2024-05.csv") is None
    period = history.periods["2024-05"]
    assert period.path is None
    assert lines(history, "2024-05")[1] == ["评分文件被删除"]
    assert period.outcome == ()


def test_an_annual_correction_lists_its_cells_and_flags(busy):
    _, history = busy
    year = history.periods["2024"]
    assert year.kind == "annual" and year.path == "2024/2024-annual.csv"
    assert lines(history, "2024")[1] == ["东村 · 党风廉政建设：70 → 88"]
    assert texts(year.outcome) == ["东村 党风廉政建设：黄旗 → 无", "中村 党风廉政建设：无 → 黄旗"]
    assert year.later == ()


# -- merges ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def merged(tmp_path_factory) -> tuple[DataRepo, dict[str, str], History]:
    repo = DataRepo(tmp_path_factory.mktemp("merged")).town()
    commits = {"march": repo.commit("录入3月", "张会计", "2024-04-05T10:00:00+08:00")}
    repo.git("checkout", "-q", "-b", "fix")
    repo.write("2024/2024-03.csv", csv_bytes(period_rows({**MARCH, "东村": 85})))
    commits["fix"] = repo.commit("复议:东村更正", "赵会计", "2024-04-08T10:00:00+08:00")
    repo.git("checkout", "-q", "main")
    repo.write("2024/2024-04.csv", csv_bytes(period_rows(APRIL)))
    commits["april"] = repo.commit("录入4月", "张会计", "2024-04-09T10:00:00+08:00")
    repo.git(
        "merge",
        "-q",
        "--no-ff",
        "-m",
        "合并复议分支",
        "fix",
        author="李主任",
        when="2024-04-10T10:00:00+08:00",
    )
    commits["merge"] = repo.git("rev-parse", "HEAD")
    # Two branches correct the same cell differently; the merge resolves it by hand.
    repo.git("checkout", "-q", "-b", "other")
    repo.write("2024/2024-04.csv", csv_bytes(period_rows({**APRIL, "西村": 95})))
    commits["other"] = repo.commit("西村改为95", "赵会计", "2024-04-11T10:00:00+08:00")
    repo.git("checkout", "-q", "main")
    repo.write("2024/2024-04.csv", csv_bytes(period_rows({**APRIL, "西村": 96})))
    commits["main"] = repo.commit("西村改为96", "张会计", "2024-04-12T10:00:00+08:00")
    with pytest.raises(subprocess.CalledProcessError):  # both changed 西村: a conflict
        repo.git("merge", "-q", "other", when="2024-04-13T10:00:00+08:00", author="李主任")
    repo.write("2024/2024-04.csv", csv_bytes(period_rows({**APRIL, "西村": 97})))
    commits["resolved"] = repo.commit(
        "合并:西村以复核结果97为准", "李主任", "2024-04-13T10:00:00+08:00"
    )
    return repo, commits, collect_history(repo.root, repo.scores)


def test_a_clean_merge_is_not_a_revision_but_branch_commits_are(merged):
    _, commits, history = merged
    hashes = [c.hash for c in history.commits]
    assert commits["merge"] not in hashes
    march = history.periods["2024-03"]
    assert [r.commit.author for r in march.revisions] == ["张会计", "赵会计"]
    assert lines(history, "2024-03")[1] == ["东村 · 和美家园建设：60 → 85"]
    assert texts(march.outcome)[:2] == [
        "东村 和美家园建设：黄旗 → 无",
        "北村 和美家园建设：无 → 黄旗",
    ]


def test_a_merge_resolved_by_hand_is_a_revision_against_its_first_parent(merged):
    _, commits, history = merged
    april = history.periods["2024-04"]
    assert [r.commit.hash for r in april.revisions] == [
        commits["april"],
        commits["other"],
        commits["main"],
        commits["resolved"],
    ]
    assert lines(history, "2024-04")[1:] == [
        ["西村 · 和美家园建设：91 → 95"],
        ["西村 · 和美家园建设：91 → 96"],
        ["西村 · 和美家园建设：96 → 97"],
    ]


# -- edge cases -----------------------------------------------------------------------------------


def test_a_shallow_clone_is_flagged_as_incomplete(corrected, tmp_path):
    repo, commits, _ = corrected
    clone = tmp_path / "clone"
    repo.git("clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone))
    history = collect_history(clone, Path("scores"))
    assert history.available and history.shallow
    assert "浅克隆" in history.note and "fetch-depth: 0" in history.note
    assert [c.hash for c in history.commits] == [commits["resave"]]
    assert history.version.hash == commits["resave"]
    assert len(history.periods["2024-03"].revisions) == 1


def test_a_folder_that_is_not_a_repository_is_unavailable(tmp_path):
    (tmp_path / "scores").mkdir()
    history = collect_history(tmp_path, tmp_path / "scores")
    assert not history.available
    assert history.note == "不是 Git 仓库，没有修订记录"
    assert history.commits == () and history.periods == {} and history.version is None


def test_the_repository_is_found_from_the_scores_folder(corrected, tmp_path):
    repo, _, _ = corrected
    assert repo_root_of(repo.scores / "2024") == repo.root
    assert repo_root_of(tmp_path) is None


def test_a_scores_folder_outside_the_repository_is_unavailable(corrected, tmp_path):
    repo, _, _ = corrected
    history = collect_history(repo.root, tmp_path)
    assert not history.available and "不在 Git 仓库中" in history.note


def test_uncommitted_changes_are_a_revision_marked_uncommitted(corrected, tmp_path):
    repo, commits, _ = corrected
    work = tmp_path / "work"
    shutil.copytree(repo.root, work)
    dirty = DataRepo.__new__(DataRepo)
    dirty.root, dirty.scores = work, work / "scores"
    dirty.write("2024/2024-04.csv", csv_bytes(period_rows({**APRIL, "北村": 60})))
    dirty.write("2024/2024-05.csv", csv_bytes(period_rows(APRIL)))
    history = collect_history(work, Path("scores"))
    assert history.version.uncommitted and history.version.short == "未提交"
    assert history.version.label == f"未提交的修改，基于 {commits['resave'][:7]}"
    newest = history.commits[0]
    assert newest.uncommitted and newest.hash == "" and newest.date is None
    assert [(f.status, f.path) for f in newest.files] == [
        ("modified", "2024/2024-04.csv"),
        ("added", "2024/2024-05.csv"),
    ]
    april = history.periods["2024-04"]
    assert april.revisions[-1].commit.uncommitted
    assert lines(history, "2024-04")[-1] == ["北村 · 和美家园建设：71 → 60"]
    assert "北村 和美家园建设：无 → 黄旗" in texts(april.outcome)
    assert [r.first for r in history.periods["2024-05"].revisions] == [True]


def test_commit_messages_in_a_legacy_encoding_are_read_as_utf8(tmp_path):
    repo = DataRepo(tmp_path).town()
    repo.git("config", "i18n.commitEncoding", "GBK")
    repo.git("add", "-A")
    # The whole commit object is in GBK, so the author must be too (ASCII here).
    repo.git(
        "commit",
        "-q",
        "-F",
        "-",
        input="录入:复议后的分数".encode("gbk"),
        author="Zhang",
        when="2024-04-05T10:00:00+08:00",
    )
    history = collect_history(tmp_path, Path("scores"))
    assert history.commits[0].message == "录入:复议后的分数"


def test_commits_outside_the_scores_folder_do_not_count(corrected, tmp_path):
    repo, commits, _ = corrected
    work = tmp_path / "work"
    shutil.copytree(repo.root, work)
    other = DataRepo.__new__(DataRepo)
    other.root = work
    (work / "README.md").write_text("说明\n")
    other.commit("更新说明", "张会计", "2024-06-01T10:00:00+08:00")
    history = collect_history(work, Path("scores"))
    assert history.commits[0].hash == commits["resave"]
    assert history.version.hash == commits["resave"]


def test_an_empty_repository_has_no_revisions(tmp_path):
    DataRepo(tmp_path)
    history = collect_history(tmp_path, Path("scores"))
    assert history.available and history.commits == () and history.version.hash == ""


def test_history_is_deterministic_and_serialisable(corrected):
    repo, _, history = corrected
    again = collect_history(repo.root, Path("scores"))
    assert again == history
    text = json.dumps(history.as_dict(), ensure_ascii=False, sort_keys=True)
    assert "王书记" in text and "黄旗" in text


def test_comparing_only_changed_lines_gives_the_same_changes_as_parsing_whole_files(
    tmp_path, monkeypatch
):
    """Random edits the way clerks make them; the fast path must agree with full parsing."""
    import random

    from generator.history import changes as changes_module

    rng = random.Random(4)
    repo = DataRepo(tmp_path).town()
    repo.commit("录入3月", "张会计", "2024-04-05T10:00:00+08:00")
    scores = {name: [MARCH[name], 80] for _, name in VILLAGES}
    for day in range(1, 29):
        name = rng.choice(list(scores))
        scores[name][rng.randrange(2)] = rng.choice([61, 72.5, 88, 90, None])
        rows = [HEADER, *[[n, *(("" if v is None else v) for v in vs)] for n, vs in scores.items()]]
        if day % 3 == 0:
            rows[1:] = rng.sample(rows[1:], len(rows) - 1)
        if day % 4 == 0:
            rows[1][1] = f" {rows[1][1]}\u3000".replace("8", "８")
        if day % 5 == 0:
            rows = [[*r, "加" if i == 0 else ""] for i, r in enumerate(rows)]
        if day % 7 == 0:
            rows = [rows[0], *rows[2:]]
        repo.write("2024/2024-03.csv", csv_bytes(rows, "gbk" if day % 2 else "utf-8-sig"))
        repo.commit(f"第{day}次修改", "张会计", f"2024-05-{day:02d}T10:00:00+08:00")
    fast = collect_history(repo.root, repo.scores, outcomes=False)
    monkeypatch.setattr(changes_module, "changed_lines", lambda old, new: None)
    slow = collect_history(repo.root, repo.scores, outcomes=False)
    assert lines(fast, "2024-03") == lines(slow, "2024-03")
    assert sum(len(r.cells) for r in fast.periods["2024-03"].revisions) > 20


def test_outcomes_computed_on_the_year_around_a_period_equal_those_on_all_periods(
    tmp_path, monkeypatch
):
    """Chains across a year end: the window (year ± one period) must miss no changed outcome."""
    from generator.history import outcomes as outcomes_module

    repo = DataRepo(tmp_path).town()
    repo.remove("2024/2024-03.csv")
    yellow_east = {**APRIL, "东村": 50}
    for month in ("2023-11", "2023-12", "2024-01", "2024-02", "2024-04", "2025-01"):
        repo.write(f"{month[:4]}/{month}.csv", csv_bytes(period_rows(yellow_east)))
    repo.write("town.toml", TOWN_TOML.replace('from = "2024-01"', 'from = "2023-01"'))
    repo.commit("录入", "张会计", "2025-02-01T10:00:00+08:00")
    for month in ("2023-12", "2024-04"):
        repo.write(f"{month[:4]}/{month}.csv", csv_bytes(period_rows({**APRIL, "东村": 85})))
        repo.commit(f"复议{month}", "王书记", "2025-02-02T10:00:00+08:00")
    windowed = collect_history(repo.root, repo.scores)
    monkeypatch.setattr(outcomes_module, "window", lambda files, period: files)
    whole = collect_history(repo.root, repo.scores)
    assert windowed.periods == whole.periods
    december, april = windowed.periods["2023-12"], windowed.periods["2024-04"]
    assert ("2024-01", "东村 警告：取消") in [(c.period, c.text) for c in december.later]
    assert ("2025-01", "东村 警告：取消") in [(c.period, c.text) for c in april.later]


def test_outcomes_are_the_same_whatever_the_number_of_processes(tmp_path, monkeypatch):
    # corrections in many years, recomputed a year per shard across the forked processes
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from history_bench import build_repo

    root = tmp_path / "repo"
    build_repo(root, commits=136, villages=6, grids=1)
    found = []
    for jobs in (1, 3):
        monkeypatch.setattr(forked, "cores", lambda jobs=jobs: jobs)
        found.append(collect_history(root, root / "scores"))
    assert found[0] == found[1]
    changed = {p[:4] for p, h in found[0].periods.items() if h.outcome or h.later}
    assert len(changed) >= 3  # outcomes from at least three different years

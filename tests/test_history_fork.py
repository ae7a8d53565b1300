"""A second town's public history starts with its own data (issue 12 #8): a fork of the demo's
repository replaces scores/ with another town's (content/pages/adopt.md), takes a newer demo
by merging upstream with its scores/ restored, and its history, /history/ page and period
records list only its own commits; a number from before the start is the start commit's."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from _history_helpers import (
    APRIL,
    MARCH,
    DataRepo,
    csv_bytes,
    history_town,
    period_rows,
    planned_repo,
)
from _site_helpers import build_site

from generator.demo import demo_history, other_history
from generator.history.changes import town_name
from generator.history.gitlog import History, collect_history
from generator.layout import TOWN_FILE, scores_path

MERGE_DAY = "2027-04-01T10:00:00+08:00"


def later(date: str, years: int = 3) -> str:
    """The other town's plan dates moved after the demo's last commit, as a real fork's are."""
    return f"{int(date[:4]) + years}{date[4:]}"


def hashes(repo: DataRepo, *args: str) -> list[str]:
    return repo.git("log", "--format=%H", *args).split()


@pytest.fixture(scope="module")
def fork(tmp_path_factory) -> tuple[DataRepo, DataRepo, list[str], History]:
    """upstream: the demo's history; fork: a clone that removes the demo's scores and commits
    the other town's (the removal and the settings in one commit, as adopt.md says), then
    merges a newer upstream (a new month, changed settings) with its scores/ restored."""
    root = tmp_path_factory.mktemp("fork")
    upstream = planned_repo(root / "upstream", demo_history())
    subprocess.run(["git", "clone", "-q", str(upstream.root), str(root / "town")], check=True)
    town = DataRepo(root / "town")
    town.git("rm", "-q", "-r", "scores")
    own = []
    for commit in other_history():
        for relative, data in sorted(commit.files.items()):
            town.write(relative, data)
        own.append(town.commit(commit.message, commit.author, later(commit.date)))
    upstream.write("2026/2026-01.csv", upstream.scores.joinpath("2024/2024-03.csv").read_bytes())
    with upstream.scores.joinpath(TOWN_FILE).open("a", encoding="utf-8") as toml:
        toml.write("\n# 示范镇的新版本\n")
    upstream.commit("示范镇2026年1月评分", "示范镇", "2027-03-20T10:00:00+08:00")
    town.git("fetch", "-q", "origin")
    with pytest.raises(subprocess.CalledProcessError):  # town.toml conflicts
        town.git("merge", "-q", "origin/main", when=MERGE_DAY, author="技术员")
    town.git("restore", "--source=HEAD", "--staged", "--worktree", "--", "scores")
    town.git("commit", "-q", "--no-edit", when=MERGE_DAY, author="技术员")
    return upstream, town, own, collect_history(town.root, Path("scores"))


def test_the_forks_history_lists_only_its_own_commits(fork):
    upstream, town, own, history = fork
    assert [c.hash for c in history.commits] == own[::-1]
    assert not {c.hash for c in history.commits} & set(hashes(upstream, "--all"))
    assert history.commits[-1].subject.startswith("建立评比数据")
    assert history.version.hash == own[-1]


def test_the_start_commit_adds_what_it_holds_and_deletes_nothing(fork):
    _, _, own, history = fork
    start = history.commits[-1]
    assert {f.status for f in start.files} == {"added"}
    assert sorted(f.path for f in start.files) == ["town.toml", "villages.csv"]
    for period in history.periods.values():
        assert period.revisions[0].commit.hash in own and period.revisions[0].first
    for file in history.files:
        assert file.revisions[0].commit.hash in own and not file.deleted


def test_no_demo_correction_reaches_the_forks_records(fork):
    upstream, _, _, history = fork
    demo_fix = next(c for c in demo_history() if c.message.startswith("复议更正"))
    own_fix = next(c for c in other_history() if c.message.startswith("复议更正"))
    corrected = [p for p, h in history.periods.items() if h.corrected]
    assert len(corrected) == 1
    assert (
        history.periods[corrected[0]].revisions[1].commit.subject == own_fix.message.split("\n")[0]
    )
    assert all(demo_fix.message.split("\n")[0] != c.subject for c in history.commits)
    assert "2026-01" not in history.periods


def test_the_forks_site_history_page_shows_its_own_commits_only(fork, tmp_path):
    upstream, town, own, _ = fork
    out = tmp_path / "out"
    build_site(town.scores, out)
    pages = sorted((out / "history").rglob("index.html"))
    text = "".join(p.read_text("utf-8") for p in pages)
    assert all(h[:7] in text for h in own)
    assert not [h for h in hashes(upstream, "--all") if h[:7] in text]
    assert "示范镇" not in text and "花木镇" not in text


# -- the start, on small repositories --------------------------------------------------------


@pytest.mark.parametrize(
    "data, name",
    [
        ('town = "甲镇"\n'.encode(), "甲镇"),
        ('\ufefftown = " 乙镇 "'.encode(), "乙镇"),
        ('town = "丙镇"'.encode("gbk"), "丙镇"),
        (b"town = 3", None),
        (b'town = "', None),
        (b"[[x]\n", None),
        (None, None),
    ],
)
def test_the_town_name_is_read_alone_and_unreadable_is_none(data, name):
    assert town_name(data) == name


def rename(repo: DataRepo, name: str) -> None:
    toml = history_town().toml().replace(f'town = "{history_town().name}"', f'town = "{name}"')
    assert f'town = "{name}"' in toml
    repo.write(TOWN_FILE, toml)


def test_numbers_from_before_the_start_are_the_start_commits(tmp_path):
    repo = DataRepo(tmp_path).town()
    repo.commit("甲镇录入3月", "张会计", "2024-04-05T10:00:00+08:00")
    rename(repo, "乙镇")
    start = repo.commit("乙镇的数据从这里开始", "李主任", "2024-04-20T10:00:00+08:00")
    repo.write(scores_path("2024-04"), csv_bytes(period_rows(APRIL)))
    april = repo.commit("录入4月", "张会计", "2024-05-06T10:00:00+08:00")
    history = collect_history(repo.root, Path("scores"))
    assert [c.hash for c in history.commits] == [april, start]
    march = history.periods["2024-03"]
    assert [r.commit.hash for r in march.revisions] == [start] and march.revisions[0].first
    assert {f.status for f in history.commits[-1].files} == {"added"}


def test_an_uncommitted_new_name_keeps_the_committed_towns_history(tmp_path):
    repo = DataRepo(tmp_path).town()
    first = repo.commit("录入3月", "张会计", "2024-04-05T10:00:00+08:00")
    rename(repo, "丙镇")
    history = collect_history(repo.root, Path("scores"))
    assert [c.hash for c in history.commits] == ["", first]
    assert history.commits[0].uncommitted


def test_a_merge_that_takes_upstream_files_shows_them_as_its_own_change(tmp_path):
    repo = DataRepo(tmp_path).town()
    repo.commit("甲镇录入3月", "示范镇", "2024-04-05T10:00:00+08:00")
    repo.git("checkout", "-q", "-b", "upstream")
    repo.write(scores_path("2024-04"), csv_bytes(period_rows(APRIL)))
    demo_april = repo.commit("甲镇录入4月", "示范镇", "2024-05-06T10:00:00+08:00")
    repo.git("checkout", "-q", "main")
    rename(repo, "乙镇")
    start = repo.commit("乙镇的数据", "李主任", "2024-05-10T10:00:00+08:00")
    repo.git(
        "merge", "-q", "--no-edit", "upstream", when="2024-05-20T10:00:00+08:00", author="技术员"
    )
    merge = repo.git("rev-parse", "HEAD")
    history = collect_history(repo.root, Path("scores"))
    assert [c.hash for c in history.commits] == [merge, start]
    assert demo_april not in {c.hash for c in history.commits}
    april = history.periods["2024-04"].revisions
    assert [(r.commit.hash, r.commit.author, r.first) for r in april] == [(merge, "技术员", True)]


def test_a_branch_from_before_the_start_is_brought_by_its_merge_and_later_ones_kept(tmp_path):
    repo = DataRepo(tmp_path).town()
    repo.commit("录入3月", "张会计", "2024-04-05T10:00:00+08:00")
    repo.git("checkout", "-q", "-b", "old")
    repo.write(scores_path("2024-03"), csv_bytes(period_rows({**MARCH, "东村": 85})))
    old = repo.commit("复议", "赵会计", "2024-04-08T10:00:00+08:00")
    repo.git("checkout", "-q", "main")
    rename(repo, "乙镇")
    start = repo.commit("改镇名", "李主任", "2024-04-09T10:00:00+08:00")
    repo.git("merge", "-q", "--no-ff", "-m", "合并", "old", when="2024-04-10T10:00:00+08:00")
    brought = repo.git("rev-parse", "HEAD")
    repo.git("checkout", "-q", "-b", "new")
    repo.write(scores_path("2024-03"), csv_bytes(period_rows({**MARCH, "东村": 86})))
    new = repo.commit("复议再更正", "赵会计", "2024-04-11T10:00:00+08:00")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "合并", "new", when="2024-04-12T10:00:00+08:00")
    history = collect_history(repo.root, Path("scores"))
    assert [c.hash for c in history.commits] == [new, brought, start]
    assert old not in {c.hash for c in history.commits}
    march = history.periods["2024-03"].revisions
    assert [(r.commit.hash, r.first) for r in march] == [
        (start, True),
        (brought, False),
        (new, False),
    ]
    assert [(c.village, c.old, c.new) for c in march[1].cells] == [("东村", "60", "85")]
    assert march[2].commit.author == "赵会计"

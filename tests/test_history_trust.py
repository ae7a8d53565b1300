"""Provenance that tells no untruth (issue 9, item 7), in real git repositories and real builds.

- A period is "changed by a correction" only if it had been published before that correction.
- Commit dates that run backwards are shown in commit order, doubtful (RULES.md §2.1), never as
  a correction made before the publication it corrects.
- Commit messages and names written in GBK read as Chinese; control and format characters in
  them (NUL, ESC, bidi overrides) never reach a page or the feed.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from _history_helpers import (
    APRIL,
    MARCH,
    DataRepo,
    corrected_town,
    csv_bytes,
    period_rows,
)
from _site_helpers import build_site, page_text, parse, text_of

from generator.history.gitlog import collect_history
from generator.site.revisions import CLOCK_NOTE, history_record

ATOM = "{http://www.w3.org/2005/Atom}"
# 东村 lowest in May too: with March as first published, May's warning has another reason.
MAY = {"东村": 50, "西村": 92, "南村": 82, "北村": 72, "中村": 77}
BANNER = "的更正而变化"


def fixnote(path: Path) -> str:
    notes = [e for e in parse(path).iter("p") if e.get("class") == "fixnote"]
    return text_of(notes[0]) if notes else ""


def revisions(path: Path) -> list[str]:
    section = next(e for e in parse(path).iter("section") if e.get("id") == "revisions")
    return [text_of(li) for li in section.find("ol").findall("li")]


def later(history, period: str) -> list[tuple[str, str]]:
    return [(c.period, c.text) for c in history.periods[period].later]


# -- only periods published before a correction are changed by it --------------------------------


@pytest.fixture(scope="module")
def published_after(tmp_path_factory) -> tuple[DataRepo, dict[str, str], Path]:
    """March published, April published, March corrected, then May first published."""
    root = tmp_path_factory.mktemp("published-after")
    repo, commits = corrected_town(root / "repo")
    repo.write("2024/2024-05.csv", csv_bytes(period_rows(MAY)))
    commits["may"] = repo.commit("录入2024年5月评分", "李主任", "2024-06-05T10:00:00+08:00")
    build_site(repo.scores, root / "out")
    return repo, commits, root / "out"


def test_a_period_published_after_the_correction_is_not_changed_by_it(published_after):
    repo, _, _ = published_after
    history = collect_history(repo.root, Path("scores"))
    # April was published before the correction, so was the year's page; May only after it.
    assert later(history, "2024-03") == [
        ("2024", "东村 年度考核降一档：取消"),
        ("2024-04", "东村 警告：取消"),
    ]
    assert history.periods["2024-05"].later == history.periods["2024-05"].outcome == ()


def test_no_banner_on_a_period_published_after_the_correction(published_after):
    _, _, out = published_after
    may = out / "2024" / "05" / "index.html"
    assert BANNER not in page_text(may) and fixnote(may) == ""
    assert "2024年3月更正后" not in page_text(may)
    assert [item.split()[0] for item in revisions(may)] == ["首次公布"]


def test_the_banner_stays_on_a_period_published_before_the_correction(published_after):
    _, _, out = published_after
    april = out / "2024" / "04" / "index.html"
    assert fixnote(april).startswith("△ 本期结果因2024年3月的更正而变化")
    march = page_text(out / "2024" / "03" / "index.html")
    assert "2024年4月 东村 警告：取消" in march
    # the footer's data version (the March re-save, 2024-05-11) left out
    assert "2024年5月" not in march.split("其他期因此变化")[1].split("数据版本")[0]


def test_a_period_published_between_two_corrections_counts_only_the_later_one(tmp_path):
    """April is published after March's first correction: that one is not April's to show."""
    repo = DataRepo(tmp_path).town()
    repo.commit("录入3月", "张会计", "2024-04-05T10:00:00+08:00")
    repo.write("2024/2024-03.csv", csv_bytes(period_rows({**MARCH, "东村": 85})))
    repo.commit("复议:东村更正为85", "王书记", "2024-04-10T10:00:00+08:00")
    repo.write("2024/2024-04.csv", csv_bytes(period_rows(APRIL)))
    repo.commit("录入4月", "李主任", "2024-05-06T16:30:00+08:00")
    repo.write("2024/2024-03.csv", csv_bytes(period_rows({**MARCH, "东村": 85, "南村": 60})))
    repo.commit("复议:南村更正为60", "王书记", "2024-05-10T10:00:00+08:00")
    history = collect_history(tmp_path, Path("scores"))
    # Against March as first published, April's warning for 东村 is gone; but when April was
    # published 东村 was no longer yellow in March, so April never showed that warning.
    assert "2024-04" not in {period for period, _ in later(history, "2024-03")}
    assert "东村 和美家园建设：黄旗 → 无" in [c.text for c in history.periods["2024-03"].outcome]


# -- dates that run backwards: commit order, with a note -------------------------------------------


@pytest.fixture(scope="module")
def wrong_clock(tmp_path_factory) -> tuple[DataRepo, dict[str, str], Path]:
    """The correction and May were committed on a PC whose clock was months behind."""
    root = tmp_path_factory.mktemp("wrong-clock")
    repo = DataRepo(root / "repo").town()
    commits = {"march": repo.commit("录入3月", "张会计", "2024-04-05T10:00:00+08:00")}
    repo.write("2024/2024-04.csv", csv_bytes(period_rows(APRIL)))
    commits["april"] = repo.commit("录入4月", "李主任", "2024-05-06T16:30:00+08:00")
    repo.write("2024/2024-03.csv", csv_bytes(period_rows({**MARCH, "东村": 85})))
    commits["fix"] = repo.commit("复议:东村更正为85", "王书记", "2024-03-01T09:00:00+08:00")
    repo.write("2024/2024-05.csv", csv_bytes(period_rows(MAY)))
    commits["may"] = repo.commit("录入5月", "李主任", "2024-02-01T09:00:00+08:00")
    build_site(repo.scores, root / "out")
    return repo, commits, root / "out"


def test_commits_are_in_commit_order_whatever_their_dates(wrong_clock):
    repo, commits, _ = wrong_clock
    history = collect_history(repo.root, Path("scores"))
    assert [c.hash for c in history.commits] == [
        commits[k] for k in ("may", "fix", "april", "march")
    ]
    listed = history_record(history)["commits"]
    # out of first-parent order: the correction and May, and April, which the correction
    # follows, are doubtful (RULES.md §2.1); a doubtful time carries no clock note of its own
    assert [bool(c["doubt"]) for c in listed] == [True, True, True, False]
    assert [c["clock_note"] for c in listed] == [None, None, None, None]


def test_order_decisions_follow_commits_not_dates(wrong_clock):
    repo, _, out = wrong_clock
    # April is dated after the correction but was committed before it: changed by it.
    assert fixnote(out / "2024" / "04" / "index.html").startswith("△ 本期结果因2024年3月")
    # May is dated before the correction but was committed after it: not changed by it.
    may = out / "2024" / "05" / "index.html"
    assert BANNER not in page_text(may)
    history = collect_history(repo.root, Path("scores"))
    assert [p for p, _ in later(history, "2024-03")] == ["2024", "2024-04"]


def test_a_correction_dated_before_publication_is_shown_after_it_with_a_note(wrong_clock):
    _, _, out = wrong_clock
    march = out / "2024" / "03" / "index.html"
    items = revisions(march)
    assert [item.split()[0] for item in items] == ["首次公布", "更正"]
    assert "存疑" not in items[0] and "提交时间存疑（记为2024-03-01 09:00；" in items[1]
    note = fixnote(march)
    assert "于2024-03-01更正" not in note and "2024-03-01" not in note
    assert "于2024年3月1日更正" not in note and "2024年3月1日" not in note
    assert "首次公布后更正" in note and "提交时间存疑" in note


def test_the_feed_never_dates_a_correction_before_publication(wrong_clock):
    _, _, out = wrong_clock
    feed = ET.parse(out / "feed.xml").getroot()
    march = next(
        e for e in feed.findall(f"{ATOM}entry") if e.findtext(f"{ATOM}id").endswith("2024-03")
    )
    published, updated = march.findtext(f"{ATOM}published"), march.findtext(f"{ATOM}updated")
    assert published == "2024-04-05T10:00:00+08:00"
    assert updated >= published
    summary = march.findtext(f"{ATOM}summary")
    assert "2024-03-01" not in summary and "2024年3月1日" not in summary
    assert summary.startswith("（本期结果已更正，见修订记录。）")  # corrected, at a doubtful time


# -- GBK messages and hostile characters ---------------------------------------------------------


@pytest.fixture(scope="module")
def encodings(tmp_path_factory) -> tuple[DataRepo, dict[str, str], Path]:
    """Commits as clerks' PCs make them: GBK with and without a header, and hostile bytes."""
    root = tmp_path_factory.mktemp("encodings")
    repo = DataRepo(root / "repo").town()
    repo.git("add", "-A")
    (root / "msg").write_bytes("录入3月评分（朱镕基路社区）".encode("gbk"))
    repo.git("-c", "i18n.commitEncoding=GBK", "commit", "-q", "-F", str(root / "msg"))
    commits = {"header": repo.git("rev-parse", "HEAD")}
    repo.write("2024/2024-04.csv", csv_bytes(period_rows(APRIL)))
    commits["raw"] = repo.raw_commit(
        "录入4月评分\n\n依据镇评比小组纪要。\n".encode("gbk"),
        "李主任".encode("gbk"),
        "2024-05-06T16:30:00+08:00",
    )
    repo.write("2024/2024-03.csv", csv_bytes(period_rows({**MARCH, "东村": 85})))
    commits["hostile"] = repo.raw_commit(
        "复议\x00:东村\x1b[31m更正\u202e为85\x1e\x1f\u200b\n\n依据\x07纪要。\n".encode(),
        "王\u202e书记\x1b".encode(),
        "2024-05-10T09:15:00+08:00",
    )
    build_site(repo.scores, root / "out")
    return repo, commits, root / "out"


def test_gbk_messages_and_names_read_as_chinese(encodings):
    repo, commits, _ = encodings
    history = collect_history(repo.root, Path("scores"))
    found = {c.hash: (c.author, c.message) for c in history.commits}
    assert found[commits["header"]] == ("测试", "录入3月评分（朱镕基路社区）")
    assert found[commits["raw"]] == ("李主任", "录入4月评分\n\n依据镇评比小组纪要。")


def test_control_and_format_characters_are_removed_from_messages_and_names(encodings):
    repo, commits, _ = encodings
    history = collect_history(repo.root, Path("scores"))
    hostile = next(c for c in history.commits if c.hash == commits["hostile"])
    assert hostile.author == "王书记"
    assert hostile.message == "复议:东村[31m更正为85\n\n依据纪要。"
    # the separators of the log's own output are just removed characters, not a new record
    assert [len(c.files) for c in history.commits] == [1, 1, 3]


def test_gbk_and_hostile_commits_read_well_on_the_site(encodings):
    _, _, out = encodings
    march = out / "2024" / "03" / "index.html"
    april_text = page_text(out / "2024" / "04" / "index.html")
    assert "录入4月评分" in april_text and "李主任" in april_text
    items = revisions(march)
    assert "录入3月评分（朱镕基路社区）" in items[0]
    assert "王书记" in items[1] and "复议：东村[31m更正为85" in items[1]
    for path in [march, out / "history" / "index.html", out / "feed.xml"]:
        text = path.read_text("utf-8")
        assert "\ufffd" not in text, path
        assert not any(c in text for c in "\x00\x07\x1b\x1e\x1f\u202e\u200b"), path
    ET.parse(out / "feed.xml")
    ET.parse(out / "sitemap.xml")


def test_a_path_holding_the_logs_separators_does_not_split_a_commit(tmp_path):
    repo = DataRepo(tmp_path).town()
    repo.write("备注\x1e\x1f.txt", "说明")
    march = repo.commit("录入3月", "张会计", "2024-04-05T10:00:00+08:00")
    history = collect_history(tmp_path, Path("scores"))
    assert [c.hash for c in history.commits] == [march]
    assert "备注\x1e\x1f.txt" in [f.path for f in history.commits[0].files]
    assert history.commits[0].message == "录入3月"


def test_the_history_page_notes_each_commit_dated_before_an_earlier_one(wrong_clock):
    _, _, out = wrong_clock
    text = page_text(out / "history" / "index.html")
    # the correction and May, and April which the correction follows; March not
    assert text.count("※ 提交时间存疑") == 3 and CLOCK_NOTE not in text

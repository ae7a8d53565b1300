"""Git history is evidence (RULES.md §2.1; issue 17, item 3): hostile histories, in real git
repositories with chosen committer times, through real builds.

- Doubtful commit times (before the month they publish, out of first-parent order, after 2099,
  times git accepts but Python cannot hold) never become a 首次公布 date or a 复议 deadline on any
  page, poster or feed; the page says why the time is doubtful; builds stay byte-identical.
- Subjects nested thousands deep, messages of megabytes, thousands of commits: the build
  completes, pages stay within their budgets, long messages are cut with a pointer to the commit.
- A merge whose scores differ from its first parent's is a revision; a correction mark never
  stands after the correction was undone (revert, a merge, a later commit restoring the value).
- The published record (/data/record.json): a rewritten history is refused unless accepted,
  and then said plainly, and carried forward.
- A later .mailmap cannot silently change who published what.
"""

from __future__ import annotations

import filecmp
import gzip
import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from _history_helpers import APRIL, MARCH, DataRepo, csv_bytes, period_rows
from _site_helpers import ROOT, build_site, page_text, parse, serve, text_of

from generator.cli import main
from generator.history.clock import stamp_of
from generator.history.gitlog import collect_history
from generator.site.messages import public_subject
from generator.site.record import Check, Previous, RecordUnavailable, read_previous, recorded

ATOM = "{http://www.w3.org/2005/Atom}"
NOTICE = """
[notice]
issuer = "测试镇人民政府"
contact = "镇督查室（电话 0571-00000001）"
review_days = 7
"""
DOUBT = "提交时间存疑"
TO = "镇督查室（电话 0571-00000001）"


def published_line(path: Path) -> str:
    found = [p for p in parse(path).iter("p") if p.get("class") == "published"]
    return text_of(found[0]) if found else ""


def times(path: Path) -> list[str]:
    """Every machine-readable time a page gives (<time datetime>)."""
    return [t.get("datetime") for t in parse(path).iter("time")]


def month_file(month: str) -> str:
    return f"{month[:4]}/{month}.csv"


def scores(month: str, shift: int = 0) -> bytes:
    return csv_bytes(period_rows({name: value + shift for name, value in MARCH.items()}))


def same_tree(a: Path, b: Path) -> bool:
    compared = filecmp.dircmp(a, b)
    if compared.left_only or compared.right_only or compared.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, compared.common_files, shallow=False)
    if mismatch or errors:
        return False
    return all(same_tree(a / d, b / d) for d in compared.common_dirs)


def noticed_town(root: Path) -> DataRepo:
    repo = DataRepo(root).town()
    repo.write("town.toml", (repo.scores / "town.toml").read_text("utf-8") + NOTICE)
    return repo


# -- doubtful commit times ----------------------------------------------------------------------

# period → (how it was committed, the reason the page must give, or None: trustworthy)
DOUBTFUL = {
    "2024-03": ("2024-03-31T18:00:00+08:00", None),
    "2024-04": ("2024-03-31T20:00:00+08:00", "早于2024年4月，却公布了2024年4月的评分"),
    "2024-05": ("2031-01-01T09:00:00+08:00", "晚于它之后的提交"),
    "2024-06": ("2024-07-03T10:00:00+08:00", "早于它之前的提交"),
    "2024-07": ("4102444800 +0800", "晚于2099年"),  # 2100-01-01 08:00 in Beijing
    "2024-08": ("2024-09-04T10:00:00+08:00", None),  # after a time that is no evidence
    "2024-09": ("253402300800 +0000", "晚于2099年"),  # year 10000: not a Python datetime
    "2024-10": ("-5 +0000", "不是有效的时间"),  # git writes no time for it at all
    "2024-11": ("1733000000 +9999", "时区无效"),
    "2024-12": ("2025-01-05T10:00:00+08:00", None),
}


def commit_at(repo: DataRepo, message: str, when: str) -> str:
    if "T" in when:
        return repo.commit(message, "李主任", when)
    return repo.stamped_commit(message, "李主任", when)


@pytest.fixture(scope="module")
def doubtful(tmp_path_factory) -> tuple[DataRepo, dict[str, str], Path]:
    """A month a commit: each committed at the time DOUBTFUL gives it."""
    root = tmp_path_factory.mktemp("doubtful")
    repo = noticed_town(root / "repo")
    (repo.scores / month_file("2024-03")).unlink()
    commits = {}
    for shift, (month, (when, _)) in enumerate(DOUBTFUL.items()):
        repo.write(month_file(month), scores(month, shift))
        commits[month] = commit_at(repo, f"录入{month}评分", when)
    build_site(repo.scores, root / "out")
    return repo, commits, root / "out"


def test_each_doubtful_time_is_found_with_its_reason(doubtful):
    repo, commits, _ = doubtful
    history = collect_history(repo.root, Path("scores"))
    found = {c.hash: c.doubt for c in history.commits}
    for month, (_, reason) in DOUBTFUL.items():
        doubt = found[commits[month]]
        if reason is None:
            assert doubt is None, month
        else:
            assert doubt and reason in doubt, (month, doubt)
    assert commits["2024-06"][:7] in found[commits["2024-05"]]  # names the commit after it
    assert commits["2024-05"][:7] in found[commits["2024-06"]]


@pytest.mark.parametrize("month", sorted(DOUBTFUL))
def test_a_doubtful_time_is_never_a_first_publication_or_a_review_deadline(doubtful, month):
    _, _, out = doubtful
    page = out / month[:4] / month[5:] / "index.html"
    line = published_line(page)
    reason = DOUBTFUL[month][1]
    if reason is None:
        assert line.startswith("首次公布：20") and "（截至" in line, line
        return
    assert line.startswith(f"首次公布：{DOUBT}（") and reason in line, line
    assert line.endswith(f"如有异议，请于首次公布后7日内向{TO}申请复议。"), line
    assert "截至" not in line
    assert parse(page).find(".//p[@class='published']/time") is None
    poster = page_text(out / month[:4] / month[5:] / "poster" / "index.html")
    assert f"首次公布：{DOUBT}" in poster and "截至" not in poster


def test_a_trustworthy_first_publication_still_gives_its_date_and_deadline(doubtful):
    _, _, out = doubtful
    assert published_line(out / "2024" / "03" / "index.html") == (
        "首次公布：2024年3月31日；发布单位：测试镇人民政府。"
        f"如有异议，请于首次公布后7日内（截至2024年4月7日）向{TO}申请复议。"
    )
    august = published_line(out / "2024" / "08" / "index.html")
    assert august.startswith("首次公布：2024年9月4日；") and "（截至2024年9月11日）" in august


def test_no_page_gives_a_doubtful_time_as_a_time(doubtful):
    repo, commits, out = doubtful
    history = collect_history(repo.root, Path("scores"))
    recorded = {c.date for c in history.commits if c.doubt and c.date}
    assert recorded, "the doubtful times git can give must be looked for"
    for page in [*out.rglob("*.html")]:
        for when in times(page):
            assert when not in recorded, (page, when)
    history_page = parse(out / "history" / "index.html")
    items = [text_of(li) for li in history_page.iter("li") if "录入2024-" in text_of(li)]
    doubtful_items = [i for i in items if DOUBT in i]
    assert len(doubtful_items) == sum(1 for _, r in DOUBTFUL.values() if r)
    for item in doubtful_items:
        assert item.startswith("时间存疑"), item


def test_the_feed_never_publishes_a_doubtful_time(doubtful):
    repo, commits, out = doubtful
    feed = ET.parse(out / "feed.xml").getroot()
    history = collect_history(repo.root, Path("scores"))
    recorded = {c.date for c in history.commits if c.doubt and c.date}
    for entry in feed.findall(f"{ATOM}entry"):
        month = entry.findtext(f"{ATOM}id").rsplit(":", 1)[-1]
        published = entry.findtext(f"{ATOM}published")
        assert entry.findtext(f"{ATOM}updated") not in recorded
        if DOUBTFUL[month][1]:
            assert published is None, month
        else:
            assert published == DOUBTFUL[month][0], month


def test_a_doubtful_build_is_byte_identical(doubtful, tmp_path):
    repo, _, out = doubtful
    build_site(repo.scores, tmp_path / "again")
    assert same_tree(out, tmp_path / "again")


@pytest.mark.parametrize(
    ("stamp", "iso", "valid"),
    [
        ("0 +0000", "1970-01-01T00:00:00+00:00", True),
        ("2147483648 +0000", "2038-01-19T03:14:08+00:00", True),
        ("1712282400 -1200", "2024-04-04T14:00:00-12:00", True),
        ("1712282400 +1400", "2024-04-05T16:00:00+14:00", True),
        ("1712282400 +0530", "2024-04-05T07:30:00+05:30", True),
        ("4102444799 +0000", "2099-12-31T23:59:59+00:00", True),
        ("253402300799 +0000", None, False),  # 9999-12-31: after 2099, no day after it
        ("99999999999999999999 +0000", None, False),
        ("18446744073709551616 +0000", None, False),
        ("1712282400 +1460", None, False),
        ("1712282400 -2400", None, False),
        ("1712282400 +00000", None, False),
        ("1712282400", None, False),
        ("abc +0000", None, False),
        ("", None, False),
    ],
)
def test_times_at_the_calendar_edges_are_read_without_error(stamp, iso, valid):
    found = stamp_of(f"李 <a@b> {stamp}".encode())
    assert found.iso() == iso
    assert found.readable() is valid


def test_a_publication_in_2038_is_dated_and_counted_like_any_other(tmp_path):
    repo = noticed_town(tmp_path / "repo")
    (repo.scores / month_file("2024-03")).unlink()
    repo.write(month_file("2038-01"), scores("2038-01"))
    repo.stamped_commit("录入2038年1月评分", "张会计", "2149199999 +0800")  # 2038-02-08
    build_site(repo.scores, tmp_path / "out")
    line = published_line(tmp_path / "out" / "2038" / "01" / "index.html")
    assert line.startswith("首次公布：2038年2月8日；") and "（截至2038年2月15日）" in line


# -- subjects nested thousands deep, messages of megabytes, thousands of commits ---------------

NESTED = 5000


def nested_revert(depth: int, subject: str = "录入3月评分") -> str:
    return 'Revert "' * depth + subject + '"' * depth


def test_a_subject_nested_thousands_deep_reads_in_linear_time_and_bounded_length():
    shown = public_subject(nested_revert(NESTED))
    assert shown.endswith("录入3月评分") and str(NESTED) in shown and len(shown) < 60
    assert public_subject(nested_revert(2)) == "撤销：撤销：录入3月评分"
    assert public_subject(nested_revert(200_000))  # a 2 MB subject: linear, no recursion
    assert public_subject('Revert "x"' * 3) == "撤销：数据更新"  # one nest around English
    assert len(public_subject("录" * 1_000_000)) < 200


@pytest.fixture(scope="module")
def hostile_messages(tmp_path_factory) -> tuple[DataRepo, dict[str, str], Path]:
    """Nested reverts, a 3 MB message, a message of a million Chinese characters on one line."""
    root = tmp_path_factory.mktemp("messages")
    repo = DataRepo(root / "repo").town()

    def commit(message: str, author: str, when: str) -> str:
        (root / "message").write_text(message, "utf-8")  # too long for a command line
        repo.git("add", "-A")
        repo.git("commit", "-q", "-F", str(root / "message"), author=author, when=when)
        return repo.git("rev-parse", "HEAD")

    commits = {"march": commit(nested_revert(NESTED), "张会计", "2024-04-05T10:00:00+08:00")}
    repo.write(month_file("2024-04"), csv_bytes(period_rows(APRIL)))
    body = "依据镇评比小组纪要，" * 300_000  # 3 MB, one paragraph
    commits["april"] = commit("录入4月评分\n\n" + body, "李主任", "2024-05-06T16:30:00+08:00")
    repo.write(month_file("2024-03"), csv_bytes(period_rows({**MARCH, "东村": 85})))
    commits["fix"] = commit("复" * 1_000_000, "王书记", "2024-05-10T09:15:00+08:00")
    build_site(repo.scores, root / "out", FLAGBOARD_REPO_URL="https://git.example/town/data")
    return repo, commits, root / "out"


def gzipped(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))


def test_hostile_messages_build_within_budget(hostile_messages):
    _, commits, out = hostile_messages
    for page, budget in [
        (out / "history" / "index.html", 14_600),
        (out / "2024" / "04" / "index.html", 30_000),
        (out / "2024" / "03" / "index.html", 30_000),
    ]:
        assert page.stat().st_size < 200_000, page
        assert gzipped(page) <= budget, page
    feed = out / "feed.xml"
    assert feed.stat().st_size < 100_000
    ET.parse(feed)


def test_a_long_message_is_cut_with_a_link_to_the_whole_commit(hostile_messages):
    _, commits, out = hostile_messages
    april = parse(out / "2024" / "04" / "index.html")
    section = next(e for e in april.iter("section") if e.get("id") == "revisions")
    text = text_of(section)
    assert "依据镇评比小组纪要" in text and "说明较长" in text
    links = [a.get("href") for a in section.iter("a")]
    assert f"https://git.example/town/data/commit/{commits['april']}" in links
    history = page_text(out / "history" / "index.html")
    assert str(NESTED) in history and "录入3月评分" in history


@pytest.fixture(scope="module")
def many_commits(tmp_path_factory) -> tuple[DataRepo, Path]:
    """3,000 commits, each re-scoring March back and forth (made by git fast-import)."""
    root = tmp_path_factory.mktemp("many")
    repo = DataRepo(root / "repo").town()
    repo.commit("录入3月评分", "张会计", "2024-04-05T10:00:00+08:00")
    stream = []
    for i in range(3000):
        data = csv_bytes(period_rows({**MARCH, "东村": 60 + i % 2 * 25}))
        when = 1712282400 + 86400 + i * 60
        stream += [
            b"commit refs/heads/main",
            f"committer 王书记 <office@example.org> {when} +0800".encode(),
            b"data <<EOM",
            f"复议:东村更正（第{i + 1}次）".encode(),
            b"EOM",
            *([b"from refs/heads/main^0"] if i == 0 else []),
            f"M 100644 inline scores/{month_file('2024-03')}".encode(),
            f"data {len(data)}".encode(),
            data,
            b"",
        ]
    repo.git("fast-import", "--quiet", input=b"\n".join(stream) + b"\n")
    repo.git("reset", "-q", "--hard")
    build_site(repo.scores, root / "out")
    return repo, root / "out"


def test_thousands_of_commits_build_within_budget(many_commits):
    _, out = many_commits
    pages = sorted((out / "history").rglob("index.html"))
    assert len(pages) >= 3000 // 40
    for page in [*pages[:3], out / "2024" / "03" / "index.html"]:
        budget = 30_000 if page.parent.name == "03" else 14_600
        assert gzipped(page) <= budget, page
    march = page_text(out / "2024" / "03" / "index.html")
    assert "另有" in march and "次修订" in march  # the rest on the history pages


def test_a_cell_corrected_thousands_of_times_has_a_bounded_mark(many_commits):
    _, out = many_commits
    village = out / "village" / "V1" / "index.html"
    for element in parse(village).iter():
        assert len(element.get("title") or "") < 200


# -- merges and undone corrections ---------------------------------------------------------------


def marks(out: Path, village: str = "V1") -> list[str]:
    """The △ marks of a village's score table (corrected cells)."""
    table = parse(out / "village" / village / "index.html")
    return [e.get("title") for e in table.iter() if (e.get("title") or "").startswith("复议更正")]


def fixnote(path: Path) -> str:
    notes = [e for e in parse(path).iter("p") if e.get("class") == "fixnote"]
    return text_of(notes[0]) if notes else ""


def revision_labels(path: Path) -> list[str]:
    section = next(e for e in parse(path).iter("section") if e.get("id") == "revisions")
    return [text_of(li).split()[0] for li in section.find("ol").findall("li")]


def corrected_march(root: Path) -> DataRepo:
    repo = DataRepo(root).town()
    repo.commit("录入3月评分", "张会计", "2024-04-05T10:00:00+08:00")
    return repo


def correct(repo: DataRepo, value: int, when: str, message: str = "复议:东村更正") -> str:
    repo.write(month_file("2024-03"), csv_bytes(period_rows({**MARCH, "东村": value})))
    return repo.commit(message, "王书记", when)


def test_an_evil_merge_restoring_the_old_value_is_a_revision(tmp_path):
    repo = corrected_march(tmp_path / "repo")
    repo.git("branch", "april")
    correct(repo, 85, "2024-04-10T10:00:00+08:00")
    repo.git("checkout", "-q", "april")
    repo.write(month_file("2024-04"), csv_bytes(period_rows(APRIL)))
    repo.commit("录入4月评分", "李主任", "2024-05-06T10:00:00+08:00")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "--no-commit", "april", when="2024-05-07T10:00:00+08:00")
    repo.write(month_file("2024-03"), csv_bytes(period_rows(MARCH)))  # the correction undone
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "合并4月", when="2024-05-07T10:00:00+08:00")
    merge = repo.git("rev-parse", "HEAD")
    history = collect_history(repo.root, Path("scores"))
    march = history.periods["2024-03"]
    assert [r.commit.hash for r in march.revisions][-1] == merge
    assert [c.text for c in march.revisions[-1].cells] == ["东村 · 和美家园建设：85 → 60"]
    april = history.periods["2024-04"]
    assert merge not in [r.commit.hash for r in april.revisions]  # a clean take is not the merge's
    out = tmp_path / "out"
    build_site(repo.scores, out)
    assert revision_labels(out / "2024" / "03" / "index.html") == ["首次公布", "更正", "更正"]
    assert marks(out) == []
    assert "已恢复为首次公布" in fixnote(out / "2024" / "03" / "index.html")


def test_a_clean_merge_of_a_correction_is_not_listed_twice(tmp_path):
    repo = corrected_march(tmp_path / "repo")
    repo.git("checkout", "-q", "-b", "fix")
    fix = correct(repo, 85, "2024-04-10T10:00:00+08:00")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "合并更正", "fix", when="2024-04-11T10:00:00+08:00")
    history = collect_history(repo.root, Path("scores"))
    assert [r.commit.hash for r in history.periods["2024-03"].revisions][1:] == [fix]


@pytest.mark.parametrize("undo", ["revert", "restore"])
def test_a_correction_mark_does_not_stand_after_the_correction_was_undone(tmp_path, undo):
    repo = corrected_march(tmp_path / "repo")
    correct(repo, 85, "2024-04-10T10:00:00+08:00")
    if undo == "revert":
        repo.git("revert", "--no-edit", "HEAD", when="2024-04-12T10:00:00+08:00")
    else:
        correct(repo, 60, "2024-04-12T10:00:00+08:00", "复议:东村恢复原分")
    out = tmp_path / "out"
    build_site(repo.scores, out)
    march = out / "2024" / "03" / "index.html"
    assert revision_labels(march) == ["首次公布", "更正", "更正"]
    assert marks(out) == []
    assert "已恢复为首次公布" in fixnote(march) and "标有 △" not in fixnote(march)
    feed = ET.parse(out / "feed.xml").getroot()
    assert "更正" not in "".join(feed.itertext())
    history = collect_history(repo.root, Path("scores"))
    assert history.periods["2024-03"].outcome == ()


def test_a_partly_undone_correction_keeps_only_the_standing_mark(tmp_path):
    repo = corrected_march(tmp_path / "repo")
    repo.write(month_file("2024-03"), csv_bytes(period_rows({**MARCH, "东村": 85, "西村": 95})))
    repo.commit("复议:东村、西村更正", "王书记", "2024-04-10T10:00:00+08:00")
    correct(repo, 60, "2024-04-12T10:00:00+08:00")  # 东村 back to 60; 西村 back to 90 too
    repo.write(month_file("2024-03"), csv_bytes(period_rows({**MARCH, "西村": 95})))
    repo.commit("复议:西村更正", "王书记", "2024-04-13T10:00:00+08:00")
    out = tmp_path / "out"
    build_site(repo.scores, out)
    assert marks(out, "V1") == []
    assert set(marks(out, "V2")) == {"复议更正：90 → 95 → 90 → 95"}


# -- the published record and rewritten history ---------------------------------------------------


def flagboard(*args: str) -> tuple[int, str, str]:
    """`flagboard` in a child process (the CLI's exit code and both streams)."""
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "flagboard"), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return done.returncode, done.stdout, done.stderr


def build_cli(repo: DataRepo, out: Path, *extra: str) -> tuple[int, str, str]:
    return flagboard("build", "--scores", str(repo.scores), "--out", str(out), *extra)


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """March and April published and the site built; then April's commit amended."""
    root = tmp_path_factory.mktemp("rewrite")
    repo = DataRepo(root / "repo").town()
    march = repo.commit("录入3月评分", "张会计", "2024-04-05T10:00:00+08:00")
    repo.write(month_file("2024-04"), csv_bytes(period_rows(APRIL)))
    april = repo.commit("录入4月评分", "李主任", "2024-05-06T16:30:00+08:00")
    first = root / "first"
    code, _, err = build_cli(repo, first)
    assert code == 0, err
    repo.write(month_file("2024-04"), csv_bytes(period_rows({**APRIL, "东村": 99})))
    repo.git("add", "-A")
    repo.git("commit", "-q", "--amend", "--no-edit", when="2024-05-08T09:00:00+08:00")
    amended = repo.git("rev-parse", "HEAD")
    return repo, {"march": march, "april": april, "amended": amended}, first, root


def test_the_site_records_the_data_commit_it_was_built_from(published):
    repo, commits, first, root = published
    record = json.loads((first / "data" / "record.json").read_text("utf-8"))
    assert record["data_commit"] == commits["april"]
    assert record["committed"] == "2024-05-06T16:30:00+08:00"
    assert set(record["periods"]) == {"2024-03", "2024-04"}
    files = record["periods"]["2024-03"]
    assert [f["path"] for f in files] == [month_file("2024-03")]
    blob = repo.git("rev-parse", f"{commits['march']}:scores/{month_file('2024-03')}")
    assert files[0]["blob"] == blob and len(files[0]["sha256"]) == 64
    assert record["rewrites"] == []


def test_a_rewritten_history_is_refused_naming_both_commits(published):
    repo, commits, first, root = published
    code, out, err = build_cli(repo, root / "second", "--published", str(first))
    assert code == 1 and not (root / "second").exists()
    assert commits["april"][:7] in err and commits["amended"][:7] in err
    assert "2024-05-06" in err and "2024-05-08" in err
    assert "--accept-rewrite" in err and "Traceback" not in err


def test_an_accepted_rewrite_is_said_plainly_and_carried_forward(published):
    repo, commits, first, root = published
    second = root / "accepted"
    code, _, err = build_cli(repo, second, "--published", str(first), "--accept-rewrite")
    assert code == 0, err
    record = json.loads((second / "data" / "record.json").read_text("utf-8"))
    assert record["data_commit"] == commits["amended"]
    [rewrite] = record["rewrites"]
    assert rewrite["replaced"] == commits["april"] and rewrite["by"] == commits["amended"]
    assert rewrite["periods"] == ["2024-04"]
    for page in ("index.html", "2024/04/index.html", "history/index.html"):
        text = page_text(second / page)
        assert "改写" in text and commits["april"][:7] in text and "2024年4月" in text, page
    assert "改写" not in page_text(second / "2024" / "03" / "index.html")
    # a later commit and build: the notice stays
    repo.write(month_file("2024-05"), csv_bytes(period_rows(APRIL)))
    repo.commit("录入5月评分", "李主任", "2024-06-05T10:00:00+08:00")
    third = root / "third"
    code, _, err = build_cli(repo, third, "--published", str(second / "data" / "record.json"))
    assert code == 0, err
    again = json.loads((third / "data" / "record.json").read_text("utf-8"))
    assert again["rewrites"] == record["rewrites"]
    assert "改写" in page_text(third / "2024" / "04" / "index.html")


def test_the_published_record_is_read_over_http(published):
    repo, commits, first, root = published
    with serve(first) as url:
        code, _, err = build_cli(repo, root / "http", "--published", url)
    assert code == 1 and commits["april"][:7] in err
    with serve(root / "repo" / "scores") as url:  # a server without a record: first publication
        code, out, err = build_cli(
            repo, root / "fresh", "--published", url + "/", "--accept-rewrite"
        )
    assert code == 0 and "首次" in out + err


@pytest.mark.parametrize("where", ["closed-port", "not-json", "missing-folder"])
def test_an_unreadable_published_record_refuses_the_build(published, where, tmp_path):
    repo, _, first, _ = published
    if where == "closed-port":
        target = "http://127.0.0.1:9/"
    elif where == "not-json":
        target = str(tmp_path / "record.json")
        Path(target).write_text("<html>", "utf-8")
    else:
        target = str(tmp_path / "nowhere")
    code, _, err = build_cli(repo, tmp_path / "out", "--published", target)
    assert code == 1 and "上次发布" in err and "Traceback" not in err


def test_the_record_is_deterministic(published, tmp_path):
    repo, _, first, root = published
    for name in ("a", "b"):
        code, _, err = build_cli(
            repo, tmp_path / name, "--published", str(first), "--accept-rewrite"
        )
        assert code == 0, err
    assert (tmp_path / "a" / "data" / "record.json").read_bytes() == (
        tmp_path / "b" / "data" / "record.json"
    ).read_bytes()


def test_the_published_url_can_come_from_the_environment(published, monkeypatch, tmp_path):
    repo, commits, first, _ = published
    monkeypatch.setenv("FLAGBOARD_PUBLISHED", str(first))
    code = main(["build", "--scores", str(repo.scores), "--out", str(tmp_path / "out")])
    assert code == 1


# -- .mailmap: who published what ----------------------------------------------------------------


def test_a_later_mailmap_does_not_silently_change_who_published(tmp_path):
    repo = DataRepo(tmp_path / "repo").town()
    repo.commit("录入3月评分", "zhangkj", "2024-04-05T10:00:00+08:00")
    (repo.root / ".mailmap").write_text("镇长 <office@example.org>\n", "utf-8")
    repo.git("add", ".mailmap")
    repo.git("commit", "-q", "-m", "署名", when="2024-04-06T10:00:00+08:00")
    repo.write(month_file("2024-04"), csv_bytes(period_rows(APRIL)))
    repo.commit("录入4月评分", "zhangkj", "2024-05-06T10:00:00+08:00")
    history = collect_history(repo.root, Path("scores"))
    authors = {c.message: (c.author, c.renamed) for c in history.commits}
    assert authors["录入3月评分"] == ("zhangkj", "镇长")  # published as zhangkj; named so since
    assert authors["录入4月评分"] == ("镇长", None)  # published under the .mailmap of its time
    out = tmp_path / "out"
    build_site(repo.scores, out)
    march = page_text(out / "2024" / "03" / "index.html")
    assert "zhangkj（现署名：镇长）" in march
    history_page = page_text(out / "history" / "index.html")
    assert "zhangkj（现署名：镇长）" in history_page and ".mailmap" in history_page


def test_flagboard_build_warns_of_each_doubtful_time(doubtful, tmp_path):
    repo, commits, _ = doubtful
    code, _, err = build_cli(repo, tmp_path / "out")
    assert code == 0, err
    warned = [line for line in err.splitlines() if "（提醒）提交" in line and "时间存疑" in line]
    for month, (_, reason) in DOUBTFUL.items():
        found = [line for line in warned if commits[month][:7] in line]
        assert bool(found) == bool(reason), (month, found)


@pytest.mark.parametrize(
    "record",
    [
        {"format": 1, "data_commit": "--upload-pack=x", "periods": {}, "rewrites": []},
        {"format": 1, "data_commit": None, "periods": [], "rewrites": []},
        {"format": 1, "data_commit": None, "periods": {"../x": []}, "rewrites": []},
        {"format": 1, "data_commit": None, "periods": {}, "rewrites": [{"replaced": "x"}]},
        {"format": 2, "data_commit": None, "periods": {}, "rewrites": []},
        [],
    ],
)
def test_a_record_that_flagboard_did_not_write_is_refused(record, tmp_path):
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record), "utf-8")
    with pytest.raises(RecordUnavailable, match="不是 flagboard 写的"):
        read_previous(str(path))


def test_a_record_without_a_data_commit_is_not_said_to_be_verified(tmp_path):
    record = {"format": 1, "data_commit": None, "periods": {}, "rewrites": []}
    check = Check(Previous("site", record), accept=False)
    made, said = recorded(check, {"commit": "a" * 40, "datetime": None}, tmp_path, held=None)
    assert "无从核对" in said and made["rewrites"] == [] and made["data_commit"] == "a" * 40


def test_the_data_version_is_judged_by_its_neighbours_when_it_is_no_revision(tmp_path):
    """The footer's data version may be a clean merge of two branches that each changed a
    month: it is not a revision (each file comes from one side), but its time is evidence all
    the same (RULES.md §2.1): dated before the commit it follows, it is doubtful."""
    repo = noticed_town(tmp_path / "repo")
    repo.write(month_file("2024-04"), scores("2024-04"))
    repo.commit("录入4月评分", "李主任", "2024-05-02T10:00:00+08:00")
    repo.git("checkout", "-q", "-b", "fix")
    repo.write(month_file("2024-03"), scores("2024-03", 1))
    repo.commit("更正3月", "李主任", "2024-05-03T10:00:00+08:00")
    repo.git("checkout", "-q", "main")
    repo.write(month_file("2024-04"), scores("2024-04", 2))
    repo.commit("更正4月", "李主任", "2024-05-05T10:00:00+08:00")
    repo.git("merge", "-q", "--no-ff", "-m", "合并", "fix", when="2024-04-20T10:00:00+08:00")
    merge = repo.git("rev-parse", "HEAD")
    history = collect_history(repo.root, Path("scores"))
    assert history.version.hash == merge and merge not in {c.hash for c in history.commits}
    assert history.version.doubt and "早于它之前的提交" in history.version.doubt
    build_site(repo.scores, tmp_path / "out")
    home = tmp_path / "out" / "index.html"
    assert not any(t.startswith("2024-04-20") for t in times(home)), times(home)

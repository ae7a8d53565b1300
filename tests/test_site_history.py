"""Provenance on the site (issue 4): revisions, changed cells, /history/ and the data version,
built with the real `flagboard build` from real temporary git repositories."""

from __future__ import annotations

import contextlib
import dataclasses
import filecmp
import gzip
import json
import pickle
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from _history_helpers import APRIL, DataRepo, corrected_town, csv_bytes, period_rows
from _site_helpers import ROOT, build_site, html_pages, page_text, parse, text_of

from generator.cli import main
from generator.site.build import read_history
from generator.site.format import latest
from generator.site.messages import chinese_punctuation, paragraphs, public_subject
from generator.site.revisions import (
    SiteHistory,
    cell_fixes,
    correction_dates,
    history_pages,
    site_history,
)
from generator.site.views import SiteIndex

ATOM = "{http://www.w3.org/2005/Atom}"

REPO_URL = "https://git.example.cn/huamu/data"
SCRIPT = "<script>alert(1)</script>"
ANNUAL = [["村名", "党风廉政建设"], ["东村", 70], ["西村", 90], ["南村", 85], ["北村", 80]]
ANNUAL += [["中村", 75]]


def annual_town(root: Path) -> tuple[DataRepo, dict[str, str]]:
    """The corrected town, then a year's annual scores, corrected in a hostile commit message."""
    repo, commits = corrected_town(root)
    repo.write("2024/2024-annual.csv", csv_bytes(ANNUAL))
    commits["annual"] = repo.commit("录入2024年度评分", "张会计", "2025-01-10T10:00:00+08:00")
    repo.write("2024/2024-annual.csv", csv_bytes([ANNUAL[0], ["东村", 88], *ANNUAL[2:]]))
    commits["annual_fix"] = repo.commit(
        f"复议:东村党风廉政建设年度分数由七十分更正为八十八分{SCRIPT}",
        "欧阳&书记",
        "2025-01-20T10:00:00+08:00",
    )
    return repo, commits


@pytest.fixture(scope="module")
def town(tmp_path_factory) -> tuple[DataRepo, dict[str, str], Path]:
    root = tmp_path_factory.mktemp("site-history")
    repo, commits = annual_town(root / "repo")
    out = root / "out"
    build_site(repo.scores, out, FLAGBOARD_REPO_URL=REPO_URL)
    return repo, commits, out


def section(path: Path, id_: str):
    return next(e for e in parse(path).iter("section") if e.get("id") == id_)


def commit_links(element) -> list[str]:
    prefix = REPO_URL + "/commit/"
    return [
        a.get("href").removeprefix(prefix)
        for a in element.iter("a")
        if (a.get("href") or "").startswith(prefix)
    ]


# -- a corrected period -------------------------------------------------------------------


def test_the_period_page_lists_each_revision_with_its_changes(town):
    _, commits, out = town
    revisions = section(out / "2024" / "03" / "index.html", "revisions")
    items = [text_of(li) for li in revisions.find("ol").findall("li")]
    assert [item.split()[0] for item in items] == ["首次公布", "更正", "修订"]
    assert items[0].startswith("首次公布 2024-04-05 张会计")
    assert "更正 2024-05-10 王书记" in items[1]
    assert "复议：东村和美家园建设分数更正为85" in items[1]
    assert "依据镇评比小组2024年5月复议纪要。" in items[1]
    assert "东村 · 和美家园建设：60 → 85" in items[1]
    assert "内容没有变化" in items[2]
    assert commit_links(revisions) == [commits["march"], commits["fix"], commits["resave"]]


def test_the_period_page_shows_the_flag_the_correction_took_away(town):
    _, _, out = town
    text = text_of(section(out / "2024" / "03" / "index.html", "revisions"))
    assert "东村 和美家园建设：黄旗 → 无" in text
    assert "北村 和美家园建设：无 → 黄旗" in text
    assert "2024年4月 东村 警告：取消" in text
    assert "更正带来的结果变化" in text


def test_the_changed_cell_is_marked_in_the_ranking_with_a_symbol_not_colour(town):
    _, _, out = town
    page = parse(out / "2024" / "03" / "index.html")
    marks = [e for e in page.find(".//main").iter("td") if e.get("title")]
    assert {m.get("title") for m in marks} == {"复议更正：60 → 85"}
    assert ["".join(m.itertext()) for m in marks] == ["△85\n第2名 原60"]
    marked_rows = [text_of(row) for row in page.iter("tr") if any(td in marks for td in row)]
    assert len(marked_rows) == 1 and marked_rows[0].startswith("东村")
    notice = text_of(next(p for p in page.iter("p") if p.get("class") == "fixnote"))
    assert "于2024年5月10日更正" in notice


def test_the_corrected_cell_is_marked_on_the_village_page_too(town):
    _, _, out = town
    page = parse(out / "village" / "V1" / "index.html")
    marked = [
        text_of(cell) for cell in page.iter("td") if "fx" in (cell.get("class") or "").split()
    ]
    assert marked == ["△ 85 原60"]  # 2024-03 和美家园建设, first published as 60
    note = next(p for p in page.iter("p") if p.get("class") == "note")
    assert "△ 为公布后经复议更正的分数" in text_of(note)
    untouched = parse(out / "village" / "V2" / "index.html")
    assert not [c for c in untouched.iter("td") if "fx" in (c.get("class") or "")]
    assert "△" not in text_of(untouched.find("body"))


def test_a_period_whose_results_changed_by_another_correction_says_so(town):
    _, _, out = town
    april = out / "2024" / "04" / "index.html"
    assert "2024年3月更正后：东村 警告：取消" in text_of(section(april, "revisions"))
    assert "本期结果因2024年3月的更正而变化" in page_text(april)
    assert "△" not in text_of(parse(april).find(".//main//table"))


def test_an_annual_correction_shows_on_the_year_page(town):
    _, _, out = town
    year = out / "2024" / "index.html"
    text = text_of(section(year, "revisions"))
    assert "东村 · 党风廉政建设：70 → 88" in text
    assert "东村 党风廉政建设：黄旗 → 无" in text
    assert "2024年3月更正后：东村 年度考核降一档：取消" in text
    titles = {e.get("title") for e in parse(year).iter("td") if e.get("title")}
    assert "复议更正：70 → 88" in titles


def test_commit_messages_and_author_names_are_escaped(town):
    _, _, out = town
    for path in (out / "2024" / "index.html", out / "history" / "index.html"):
        html = path.read_text("utf-8")
        assert SCRIPT not in html and "&lt;script&gt;" in html
        tree = parse(path)
        assert tree.find(".//script") is None
        assert f"复议：东村党风廉政建设年度分数由七十分更正为八十八分{SCRIPT}" in page_text(path)
        assert "欧阳&书记" in page_text(path) and "欧阳&amp;书记" in html


# -- /history/ ------------------------------------------------------------------------------


def test_the_history_page_lists_every_data_commit_newest_first(town):
    _, commits, out = town
    page = out / "history" / "index.html"
    order = ["annual_fix", "annual", "resave", "fix", "april", "march"]
    assert commit_links(parse(page).find(".//main")) == [commits[k] for k in order]
    items = [text_of(li) for li in parse(page).find(".//main//ol").findall("li")]
    assert items[3].startswith(f"2024-05-10 王书记 {commits['fix'][:7]}")
    assert "复议：东村和美家园建设分数更正为85" in items[3]
    assert items[3].endswith("修改：2024年3月评分表")
    assert items[5].endswith("新增：2024年3月评分表、评比设置、村名单")
    assert items[0].endswith("修改：2024年年度评分表")


def test_the_history_page_links_each_file_to_its_periods_record(town):
    _, _, out = town
    links = {
        text_of(a): a.get("href")
        for a in parse(out / "history" / "index.html").find(".//main").iter("a")
    }
    assert links["2024年3月评分表"] == "/2024/03/#revisions"
    assert links["2024年4月评分表"] == "/2024/04/#revisions"
    assert links["2024年年度评分表"] == "/2024/#revisions"
    assert "评比设置" not in links


def test_the_history_page_is_linked_and_in_the_sitemap(town):
    _, _, out = town
    assert "<loc>/history/</loc>" in (out / "sitemap.xml").read_text("utf-8")
    for name in ("index.html", "data/index.html", "village/V1/index.html"):
        hrefs = [a.get("href") for a in parse(out / name).iter("a")]
        assert "/history/" in hrefs, name


# -- every page's data version, the feed, determinism -------------------------------------------


# What each page's footer names: the newest commit that changed what the page shows
# (generator/site/versions.py). March and April show March's re-save, their last change; the
# year 2024 and the pages of the latest period its annual correction; the pages that show only
# the settings (rules, about, the village list) the first commit, which wrote them.
FOOTER_COMMITS = (
    ("2024/03/", "resave", "2024年5月11日"),
    ("2024/04/", "resave", "2024年5月11日"),
    ("2024/index.html", "annual_fix", "2025年1月20日"),
    ("village/index.html", "march", "2024年4月5日"),
    ("404.html", "march", "2024年4月5日"),
    ("rules/", "march", "2024年4月5日"),
    ("about/", "march", "2024年4月5日"),
    ("adopt/", "march", "2024年4月5日"),
    ("guide/", "march", "2024年4月5日"),
    ("setup/", "march", "2024年4月5日"),
    ("news/", "march", "2024年4月5日"),
    ("", "annual_fix", "2025年1月20日"),  # home, villages, grids, data, history
)


def test_every_footer_names_the_last_commit_that_changed_what_the_page_shows(town):
    _, commits, out = town
    for name, path in html_pages(out).items():
        footer = parse(path).find(".//footer")
        if name.startswith("screen/"):  # a slide's footer gives the site's address instead
            assert "数据版本" not in page_text(path), name
            continue
        key, day = next((c, d) for prefix, c, d in FOOTER_COMMITS if name.startswith(prefix))
        assert f"数据版本 {commits[key][:7]}（{day}）" in text_of(footer), name
        assert commit_links(footer) == [commits[key]], name


def test_a_new_month_leaves_every_earlier_periods_page_as_it_was(tmp_path):
    repo, _ = corrected_town(tmp_path / "repo")
    before, after = tmp_path / "before", tmp_path / "after"
    build_site(repo.scores, before, FLAGBOARD_REPO_URL=REPO_URL)
    repo.write("2024/2024-05.csv", csv_bytes(period_rows(APRIL)))
    repo.commit("录入2024年5月评分", "张会计", "2024-06-03T10:00:00+08:00")
    build_site(repo.scores, after, FLAGBOARD_REPO_URL=REPO_URL)
    changed = {
        name
        for name, path in html_pages(before).items()
        if path.read_bytes() != (after / name).read_bytes()
    }
    assert not {n for n in changed if n.startswith(("2024/03/", "2024/04/"))}
    assert {"index.html", "2024/index.html"} <= changed  # the latest period and its year do


def test_feed_entries_are_published_at_the_first_commit_and_updated_by_corrections(town):
    _, _, out = town
    feed = ET.parse(out / "feed.xml").getroot()
    entries = {
        e.findtext(f"{ATOM}id"): (
            e.findtext(f"{ATOM}published"),
            e.findtext(f"{ATOM}updated"),
            e.findtext(f"{ATOM}summary"),
        )
        for e in feed.findall(f"{ATOM}entry")
    }
    march, april = entries["urn:flagboard:2024-03"], entries["urn:flagboard:2024-04"]
    # March: corrected by 王书记 on 05-10; the WPS re-save on 05-11 changed no value
    assert march[:2] == ("2024-04-05T10:00:00+08:00", "2024-05-10T09:15:00+08:00")
    assert march[2].startswith("（本期结果已于2024年5月10日更正，见修订记录。）")
    assert april[:2] == ("2024-05-06T16:30:00+08:00", "2024-05-06T16:30:00+08:00")
    assert "更正" not in april[2]
    assert feed.findtext(f"{ATOM}updated") == "2024-05-10T09:15:00+08:00"


def test_the_latest_time_compares_instants_not_text():
    # 09:00 in Beijing is 01:00 UTC: earlier than 02:00 UTC although it sorts later as text
    assert latest(["2024-05-10T09:00:00+08:00", "2024-05-10T02:00:00+00:00"]) == (
        "2024-05-10T02:00:00+00:00"
    )

    def rev(when: str, changed=True, first=False, uncommitted=False) -> dict:
        return {"datetime": when, "changed": changed, "first": first, "uncommitted": uncommitted}

    dates = correction_dates(
        {
            "2024-03": [
                rev("2024-04-05T10:00:00+08:00", first=True),
                rev("2024-05-10T09:00:00+08:00"),
                rev("2024-05-10T02:00:00+00:00"),  # the latest: 10:00 in Beijing
                rev("2024-06-01T00:00:00+08:00", changed=False),  # re-saved, no value changed
                rev("2024-07-01T00:00:00+08:00", uncommitted=True),
            ],
            "2024-04": [rev("2024-05-06T16:30:00+08:00", first=True)],
        }
    )
    assert dates == {"2024-03": "2024-05-10T02:00:00+00:00"}


def test_one_commit_builds_byte_identical_sites_from_any_checkout(town, tmp_path):
    repo, _, out = town
    clone = tmp_path / "clone"
    repo.git("clone", "-q", f"file://{repo.root}", str(clone))
    again = tmp_path / "again"
    build_site(clone / "scores", again, FLAGBOARD_REPO_URL=REPO_URL)
    assert _differences(out, again) == []


def _differences(left: Path, right: Path) -> list[str]:
    compared = filecmp.dircmp(left, right)
    found = [*compared.left_only, *compared.right_only, *compared.diff_files]
    found += [f for f in compared.common_files if not filecmp.cmp(left / f, right / f, False)]
    for name in compared.common_dirs:
        found += [f"{name}/{f}" for f in _differences(left / name, right / name)]
    return sorted(set(found))


def test_pages_with_revisions_stay_within_their_budgets(town):
    _, _, out = town
    for name in ("2024/03/index.html", "2024/index.html", "history/index.html"):
        size = len(gzip.compress((out / name).read_bytes(), compresslevel=9, mtime=0))
        assert size <= (14_600 if name.startswith("history") else 30_000), name


# -- edge cases: no repository, shallow clone, uncommitted work ----------------------------------


def test_a_folder_outside_git_builds_and_says_history_is_unavailable(tmp_path, capsys):
    repo, _ = corrected_town(tmp_path / "repo")
    plain = tmp_path / "plain"
    shutil.copytree(repo.scores, plain)
    with contextlib.chdir(ROOT):
        assert main(["build", "--scores", str(plain), "--out", str(tmp_path / "out")]) == 0
    assert "注意：不是 Git 仓库，没有修订记录" in capsys.readouterr().err
    out = tmp_path / "out"
    note = parse(out / "history" / "index.html").find(".//main//p[@class='alert']")
    assert text_of(note) == "※ 不是 Git 仓库，没有修订记录"
    assert "数据版本" not in page_text(out / "index.html")
    assert "修订记录" not in page_text(out / "2024" / "03" / "index.html")


def test_a_shallow_clone_warns_on_stderr_and_on_the_history_page(tmp_path, capsys):
    repo, commits = corrected_town(tmp_path / "repo")
    clone = tmp_path / "clone"
    repo.git("clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone))
    out = tmp_path / "out"
    with contextlib.chdir(ROOT):
        assert main(["build", "--scores", str(clone / "scores"), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "历史不完整" in err and "fetch-depth: 0" in err
    note = text_of(parse(out / "history" / "index.html").find(".//main//p[@class='alert']"))
    assert "历史不完整" in note and "fetch-depth: 0" in note
    revisions = text_of(section(out / "2024" / "03" / "index.html", "revisions"))
    assert (
        revisions.startswith("修订记录 最早可见的版本 2024-05-11") and "首次公布" not in revisions
    )
    # where the clone begins is no publication date: the feed falls back to the month's end
    assert "2024-05-11T11:00:00+08:00" not in (out / "feed.xml").read_text("utf-8")
    assert f"数据版本 {commits['resave'][:7]}（2024年5月11日）" in page_text(out / "index.html")


def test_uncommitted_changes_are_built_and_marked_uncommitted(tmp_path, capsys):
    repo, commits = corrected_town(tmp_path / "repo")
    repo.write("2024/2024-04.csv", csv_bytes(period_rows({**APRIL, "北村": 60})))
    out = tmp_path / "out"
    with contextlib.chdir(ROOT):
        assert main(["build", "--scores", str(repo.scores), "--out", str(out)]) == 0
    assert "数据版本 未提交的修改" in capsys.readouterr().out
    base = commits["resave"][:7]
    assert f"数据版本 未提交的修改，基于 {base}" in page_text(out / "index.html")
    april = out / "2024" / "04" / "index.html"
    revisions = [text_of(li) for li in section(april, "revisions").find("ol").findall("li")]
    assert revisions[-1] == "未提交的修改 北村 · 和美家园建设：71 → 60"
    assert "本期数据有未提交的修改" in page_text(april)
    titles = {e.get("title") for e in parse(april).iter("td") if e.get("title")}
    assert titles == {"未提交的修改：71 → 60"}
    newest = text_of(parse(out / "history" / "index.html").find(".//main//ol/li"))
    assert newest.startswith("未提交的修改") and newest.endswith("修改：2024年4月评分表")


# -- the pure parts: History → settings → contexts --------------------------------------------


def test_the_site_history_holds_only_plain_data(town):
    repo, commits, _ = town
    history = site_history(read_history(repo.scores))
    assert isinstance(history, SiteHistory)
    settings = dataclasses.asdict(history)
    assert json.loads(json.dumps(settings, ensure_ascii=False)) == settings
    assert pickle.loads(pickle.dumps(history)) == history  # passed between processes
    assert history.data_version == {
        "commit": commits["annual_fix"],
        "short": commits["annual_fix"][:7],
        "date": "2025-01-20",
        "datetime": "2025-01-20T10:00:00+08:00",
        "uncommitted": False,
        "label": f"{commits['annual_fix'][:7]} · 2025-01-20",
        "doubt": None,
    }
    assert history.period_dates == {
        "2024": "2025-01-10T10:00:00+08:00",
        "2024-03": "2024-04-05T10:00:00+08:00",
        "2024-04": "2024-05-06T16:30:00+08:00",
    }
    assert [r["label"] for r in history.revisions["2024-03"]] == [
        "首次公布",
        "更正",
        "修订",
    ]


def test_a_cell_corrected_twice_shows_its_whole_chain():
    def rev(old, new, first=False, uncommitted=False):
        cell = {"village_id": "V1", "category": "a", "old": old, "new": new}
        return {"first": first, "uncommitted": uncommitted, "cells": [cell] if old else []}

    revisions = {
        "2024-03": [rev(None, None, first=True), rev("60", "85"), rev("85", None, uncommitted=True)]
    }
    fixes = cell_fixes(revisions)
    assert fixes == {("2024-03", "V1", "a"): {"title": "复议更正：60 → 85 → 空", "old": "60"}}


def test_a_long_history_is_split_into_pages(town):
    _, _, out = town
    index = SiteIndex(json.loads((out / "data" / "results.json").read_text("utf-8")))
    commit = {"commit": "c" * 40, "short": "ccccccc", "date": "2024-05-10", "files": []}
    record = {"available": True, "shallow": False, "note": None, "commits": [commit] * 85}
    pages = history_pages(index, SiteHistory(record=record))
    assert [p.url for p in pages] == ["history/", "history/2/", "history/3/"]
    assert [len(p.context["commits"]) for p in pages] == [40, 40, 5]
    assert (pages[0].context["previous"], pages[0].context["next"]) == (None, "history/2/")
    assert pages[2].context["previous"] == "history/2/" and pages[2].context["next"] is None
    assert pages[1].title.startswith("数据修订历史（第2页）")


def test_a_hard_wrapped_commit_body_reads_as_paragraphs():
    body = "\n依据镇评比小组\n2024年5月复议纪要。\n\nSee the\nminutes.\n1、东村\n- 西村\n"
    assert paragraphs(body) == [
        "依据镇评比小组2024年5月复议纪要。",
        "See the minutes.",
        "1、东村",
        "- 西村",
    ]


# -- history for the public: Chinese subjects, .mailmap, the public notice ----------------------

NOTICE = """
[notice]
issuer = "测试镇人民政府"
contact = "镇督查室（电话 0571-00000001）"
review_days = 7
icp = "浙ICP备12345678号-1"
"""


def test_reverts_and_english_subjects_read_in_chinese_and_authors_follow_the_mailmap(tmp_path):
    repo, commits = corrected_town(tmp_path / "repo")
    (repo.root / ".mailmap").write_text(
        "镇党政办 <office@example.org> Seed Bot <office@example.org>\n", "utf-8"
    )
    repo.git("add", ".mailmap")
    repo.git("commit", "-q", "-m", "authors as the site names them")  # not a data commit
    repo.write("2024/2024-04.csv", csv_bytes(period_rows({**APRIL, "南村": 82})))
    commits["chinese"] = repo.commit("复议:南村分数更正为82", "王书记", "2024-05-12T10:00:00+08:00")
    repo.git("revert", "--no-edit", "HEAD", when="2024-05-13T10:00:00+08:00")
    repo.write("2024/2024-04.csv", csv_bytes(period_rows({**APRIL, "北村": 72})))
    commits["english"] = repo.commit(
        "Fix April scores after review\n\nSee the minutes.", "Seed Bot", "2024-05-14T10:00:00+08:00"
    )
    repo.git("revert", "--no-edit", "HEAD", when="2024-05-15T10:00:00+08:00")
    out = tmp_path / "out"
    build_site(repo.scores, out, FLAGBOARD_REPO_URL=REPO_URL)
    items = [text_of(li) for li in parse(out / "history" / "index.html").iter("li")]
    listed = [i for i in items if i.startswith("2024-05-1")][:4]
    assert [i.split()[0:2] for i in listed] == [
        ["2024-05-15", "测试"],
        ["2024-05-14", "镇党政办"],
        ["2024-05-13", "测试"],
        ["2024-05-12", "王书记"],
    ]
    assert "撤销：数据更新" in listed[0] and "数据更新" in listed[1]
    assert "撤销：复议：南村分数更正为82" in listed[2] and "复议：南村分数更正为82" in listed[3]
    history = page_text(out / "history" / "index.html")
    april = page_text(out / "2024" / "04" / "index.html")
    for english in ("Revert", "reverts", "Fix April", "minutes", "Seed Bot"):
        assert english not in history and english not in april
    links = commit_links(parse(out / "history" / "index.html").find(".//main"))
    assert commits["english"] in links, "the original message is one click away"


def test_the_period_page_says_when_it_was_first_published_and_until_when_to_ask_for_review(
    tmp_path,
):
    repo = DataRepo(tmp_path / "repo").town()
    repo.write("town.toml", (repo.scores / "town.toml").read_text("utf-8") + NOTICE)
    repo.commit("录入2024年3月评分", "张会计", "2024-04-05T10:00:00+08:00")
    out = tmp_path / "out"
    build_site(repo.scores, out)
    march = parse(out / "2024" / "03" / "index.html")
    published = next(p for p in march.iter("p") if p.get("class") == "published")
    assert text_of(published) == (
        "首次公布：2024年4月5日；发布单位：测试镇人民政府。"
        "如有异议，请于首次公布后7日内（截至2024年4月12日）向镇督查室（电话 0571-00000001）申请复议。"
    )
    assert published.find("time").get("datetime") == "2024-04-05T10:00:00+08:00"
    for page in (
        out / "index.html",
        out / "2024" / "03" / "index.html",
        out / "about" / "index.html",
    ):
        footer = parse(page).find(".//footer")
        assert "发布单位：测试镇人民政府" in text_of(footer)
        assert "联系方式：镇督查室（电话 0571-00000001）" in text_of(footer)
        icp = [a for a in footer.iter("a") if a.get("href") == "https://beian.miit.gov.cn/"]
        assert [a.text for a in icp] == ["浙ICP备12345678号-1"]


def test_without_review_days_or_a_notice_no_review_sentence_is_made_up(town, tmp_path):
    _, _, out = town  # a town.toml without [notice]
    march = page_text(out / "2024" / "03" / "index.html")
    assert "首次公布：2024年4月5日" in march
    assert "复议。" not in march and "发布单位" not in march and "ICP" not in march
    repo = DataRepo(tmp_path / "repo").town()
    notice = NOTICE.replace("review_days = 7\n", "")
    repo.write("town.toml", (repo.scores / "town.toml").read_text("utf-8") + notice)
    repo.commit("录入2024年3月评分", "张会计", "2024-04-05T10:00:00+08:00")
    build_site(repo.scores, tmp_path / "out")
    march = page_text(tmp_path / "out" / "2024" / "03" / "index.html")
    assert "首次公布：2024年4月5日；发布单位：测试镇人民政府。" in march
    assert "申请复议" not in march


def test_commit_subjects_and_history_lines_are_put_in_chinese_for_the_public():
    assert public_subject('Revert "复议:东村更正为85"') == "撤销：复议：东村更正为85"
    assert public_subject('Revert "Revert "Fix typo""') == "撤销：撤销：数据更新"
    assert public_subject("Update 2024-03 scores (东村)") == "数据更新"
    assert public_subject("录入3月评分 (CSV)") == "录入3月评分 (CSV)"
    assert public_subject("  ") == "数据更新"
    assert chinese_punctuation("东村 · 和美家园建设: 60 → 85") == "东村 · 和美家园建设：60 → 85"
    assert (
        chinese_punctuation("扣罚 3000 → 5000 元,净额 (见附件)")
        == "扣罚 3000 → 5000 元，净额 （见附件）"
    )
    assert chinese_punctuation("依据纪要(第3号)。见 https://a.example/x,y 10:30") == (
        "依据纪要（第3号）。见 https://a.example/x,y 10:30"
    )

"""A correction reaches the villages it hits, and every reader is told how to appeal (issue 19
#3, #4), on sites built by the real `flagboard build` from real git repositories.

The town: March published, April published, then March corrected by 复议 (东村 60 → 85 in
和美家园建设), which moves March's yellow flag of that category from 东村 to 北村, whose own
scores never changed. What changed is computed here apart from the site: the rules run on March
as first published and as now (tests/_history_helpers files), and the results compared.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from _history_helpers import APRIL, MARCH, VILLAGES, DataRepo, csv_bytes, period_rows
from _sentence_helpers import page_text
from _site_helpers import build_site

from generator.layout import scores_path
from generator.load import load_files
from generator.rules import compute

NOTICE = """
[notice]
issuer = "测试镇人民政府"
contact = "镇督查室（电话 0571-00000001）"
review_days = 7
"""
FIXED_ON = date(2024, 5, 10)
PUBLISHED_ON = {"2024-03": date(2024, 4, 5), "2024-04": date(2024, 5, 6)}
IDS = {name: vid for vid, name in VILLAGES}


def cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def make_town(root: Path, notice: str = NOTICE) -> DataRepo:
    repo = DataRepo(root).town()
    repo.write("town.toml", (repo.scores / "town.toml").read_text("utf-8") + notice)
    repo.commit("录入2024年3月评分", "张会计", "2024-04-05T10:00:00+08:00")
    repo.write(scores_path("2024-04"), csv_bytes(period_rows(APRIL)))
    repo.commit("录入2024年4月评分", "李主任", "2024-05-06T16:30:00+08:00")
    repo.write(scores_path("2024-03"), csv_bytes(period_rows({**MARCH, "东村": 85})))
    repo.commit("复议:东村和美家园建设分数更正为85", "王书记", "2024-05-10T09:15:00+08:00")
    return repo


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[DataRepo, Path]:
    root = tmp_path_factory.mktemp("knockons")
    repo = make_town(root / "repo")
    out = root / "out"
    build_site(repo.scores, out)
    return repo, out


def read(out: Path, *parts: str) -> str:
    return page_text((out.joinpath(*parts) / "index.html").read_text("utf-8"))


def changed_villages(repo: DataRepo) -> dict[str, set[str]]:
    """Per village, the kinds of March and 2024 results (flag, money, action) that differ
    between March as first published and as now: the rules run twice, here."""
    files = {
        str(p.relative_to(repo.scores)): p.read_bytes()
        for p in repo.scores.rglob("*")
        if p.is_file()
    }
    before = dict(files)
    before[scores_path("2024-03")] = csv_bytes(period_rows(MARCH))
    old, new = compute(load_files(before)), compute(load_files(files))
    found: dict[str, set[str]] = {}
    for kind, table, keys in (
        ("flag", "flags", ["period", "village_id", "category", "flag"]),
        ("money", "rewards", ["period", "village_id", "net"]),
        ("action", "actions", ["period", "village_id", "action"]),
    ):
        a = {tuple(r) for r in getattr(old, table)[keys].astype(str).itertuples(index=False)}
        b = {tuple(r) for r in getattr(new, table)[keys].astype(str).itertuples(index=False)}
        for row in a ^ b:
            found.setdefault(row[1], set()).add(kind)
    return found


def test_the_village_a_correction_flags_is_marked_on_the_period_page_with_its_own_deadline(site):
    repo, out = site
    changed = changed_villages(repo)
    assert {"flag", "money", "action"} <= changed[IDS["北村"]]  # the knock-on, never corrected
    march = read(out, "2024", "03")
    block = march[march.index("以下村本期的结果因更正而变化") : march.index("打印公示")]
    deadline = cn(FIXED_ON + timedelta(days=7))
    for village_id in changed:
        name = dict(VILLAGES)[village_id]
        assert name in block
    north = block[block.index("北村") :].replace(" ", "")
    assert north.startswith(f"北村：2024年3月的结果于{cn(FIXED_ON)}更正后，和美家园建设：无→黄旗")
    assert f"请于更正后7日内（截至{deadline}）向镇督查室（电话0571-00000001）申请复议" in north
    markup = (out / "2024" / "03" / "index.html").read_text("utf-8")
    row = re.search(r"<tr><th scope=\"row\">(?:<a [^>]*>)?北村(?:</a>)?(.*?)</tr>", markup).group(1)
    assert f'href="#changed-{IDS["北村"]}"' in row and "△" in row
    assert f'id="changed-{IDS["北村"]}"' in markup
    marked = re.findall(r'class="fix" href="#changed-([^"]+)"', markup)
    assert sorted(marked) == sorted(v for v, kinds in changed.items() if "money" in kinds)


def test_the_village_page_and_its_status_say_what_changed_when_and_until_when_to_appeal(site):
    repo, out = site
    page = read(out, "village", IDS["北村"]).replace(" ", "")
    section = page[page.index("更正带来的变化") :]
    assert f"2024年3月：2024年3月的结果于{cn(FIXED_ON)}更正后，和美家园建设：无→黄旗" in section
    assert "约谈：新增" in section
    assert f"（截至{cn(FIXED_ON + timedelta(days=7))}）" in section
    status = page[page.index("当前状态") : page.index("更正带来的变化")]
    assert f"△2024年3月：2024年3月的结果于{cn(FIXED_ON)}更正后" in status
    untouched = [v for v, _ in VILLAGES if v not in changed_villages(repo)]
    for village_id in untouched:
        assert "更正带来的变化" not in read(out, "village", village_id)


def test_without_a_correction_no_village_reads_of_one(tmp_path):
    repo = DataRepo(tmp_path / "repo").town()
    repo.write("town.toml", (repo.scores / "town.toml").read_text("utf-8") + NOTICE)
    repo.commit("录入2024年3月评分", "张会计", "2024-04-05T10:00:00+08:00")
    build_site(repo.scores, tmp_path / "out")
    assert "因更正而变化" not in read(tmp_path / "out", "2024", "03")
    for village_id, _ in VILLAGES:
        page = read(tmp_path / "out", "village", village_id)
        assert "更正带来的变化" not in page and "△" not in page


# -- the way to appeal, where the reader is (#4) ----------------------------------------------


def appeal_sentence(period: str) -> str:
    """Independently: the first publication, the issuer and the last day of 复议."""
    day = PUBLISHED_ON[period]
    return (
        f"首次公布：{cn(day)}；发布单位：测试镇人民政府。如有异议，请于首次公布后7日内"
        f"（截至{cn(day + timedelta(days=7))}）向镇督查室（电话0571-00000001）申请复议。"
    )  # spaces taken out, as the pages' are below


def test_every_village_page_says_who_published_when_and_until_when_to_appeal(site):
    _, out = site
    for village_id, _ in VILLAGES:
        page = read(out, "village", village_id).replace(" ", "")
        assert "2024年4月结果" + appeal_sentence("2024-04") in page, village_id


def test_the_wechat_article_and_the_poster_say_it_too(site):
    _, out = site
    for period in PUBLISHED_ON:
        article = read(out, *period.split("-"), "wechat")
        body = article[article.index("各村得分、排名和往期结果") :].replace(" ", "")
        assert "本期结果" + appeal_sentence(period) in body
        poster = read(out, *period.split("-"), "poster").replace(" ", "")
        assert f"首次公布：{cn(PUBLISHED_ON[period])}" in poster
        assert "发布单位：测试镇人民政府" in poster
        day = cn(PUBLISHED_ON[period] + timedelta(days=7))
        assert f"（截至{day}）向镇督查室（电话0571-00000001）申请复议" in poster


def test_the_rules_page_explains_review_appeal_and_the_final_decision(site):
    _, out = site
    rules = read(out, "rules")
    part = rules[rules.index("对结果有异议怎么办") :]
    steps = [part.index(w) for w in ("复核 ：", "复议 ：", "班子会 ：")]
    assert steps == sorted(steps)
    assert "在该期结果首次公布后7日内向镇督查室（电话 0571-00000001）申请复议" in part
    assert "镇班子会讨论，确定最终结果" in part
    assert "在更正之日起7日内申请复议" in part


def test_a_township_without_review_days_is_given_no_deadline_and_its_own_words(tmp_path):
    notice = '\n[notice]\ncontact = "乡督查室"\n'
    repo = DataRepo(tmp_path / "repo").town()
    toml = (repo.scores / "town.toml").read_text("utf-8").replace("测试镇", "测试乡")
    repo.write("town.toml", toml + notice)
    repo.commit("录入2024年3月评分", "张会计", "2024-04-05T10:00:00+08:00")
    build_site(repo.scores, tmp_path / "out")
    rules = read(tmp_path / "out", "rules")
    part = rules[rules.index("对结果有异议怎么办") :]
    assert "可向乡督查室申请复议" in part and "日内" not in part
    assert "乡班子会" in part and "镇" not in part
    village = read(tmp_path / "out", "village", VILLAGES[0][0])
    assert "2024年3月结果首次公布： 2024年4月5日 。如有异议，请联系乡督查室。" in village
    assert "申请复议" not in village


def test_a_split_towns_grid_page_marks_the_village_a_correction_changed(tmp_path, monkeypatch):
    """Where a period has a page per grid (towns over pages.SPLIT_VILLAGES villages in several
    grids: forced here, so the small town splits), the grid page lists its villages' knock-on
    changes with their deadlines and marks their money rows, as the period page does for a town
    on one page."""
    from generator.site import pages

    monkeypatch.setattr(pages.Site, "split", property(lambda site: True))
    repo = make_town(tmp_path / "repo")
    build_site(repo.scores, tmp_path / "out")
    north = IDS["北村"]
    markup = (tmp_path / "out" / "2024" / "03" / "g1" / "index.html").read_text("utf-8")
    assert f'id="changed-{north}"' in markup and f'href="#changed-{north}"' in markup
    block = page_text(markup)
    assert f"截至{cn(FIXED_ON + timedelta(days=7))}" in block.replace(" ", "")

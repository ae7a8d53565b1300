"""A 乡 and a 街道 run a year as a new clerk would (issue 20): `init` with the villages' list in
Excel, the first forms from the site's /data/, every month's form filled from a third party's
workbook (a misspelt village and a misspelt header on the way), a rename, a 复议 correction, the
annual scores and the site. Every message and every published file fits the town: no 镇-word
where the town is a 乡 or a 街道, the town's own words where the tool speaks of it.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from _history_helpers import DataRepo
from _site_helpers import ROOT, build_site

from generator.cli import main
from generator.townwords import TownWords

MONTHLY = ("党建引领发展", "和美家园建设", "整体协同智治", "文明新风培育", "美丽经济发展")
ANNUAL = ("党风廉政建设", "团队作战能力")
# Generic words that name every level at once, and the plan's own words that hold 乡.
GENERIC = re.compile(
    r"乡镇|乡、镇或街道|镇、乡或街道|镇、乡、街道|「乡」「镇」或「街道」|乡村振兴|美丽乡村|乡村|`镇`、`乡`"
)
TOKEN = re.compile(r"\{\{?[^{}\s]{0,6}\}?\}")  # {全镇} as adopt.md shows the syntax


@dataclass(frozen=True)
class Place:
    name: str
    grids: tuple[tuple[str, tuple[str, ...]], ...]
    rename: tuple[str, str]  # a village's name → its new name, from July
    misspelt: tuple[str, str]  # a village as February's workbook writes it → the village

    @property
    def words(self) -> TownWords:
        names = [v for _, vs in self.grids for v in vs]
        return TownWords.of(self.name, None, names)

    @property
    def villages(self) -> list[str]:
        return [v for _, vs in self.grids for v in vs]


XIANG = Place(
    "白石乡",
    (
        ("东片", ("青石村", "白沙村", "柳岸村", "松岭村", "竹溪村")),
        ("西片", ("桂花村", "石门村", "梅林村", "桃源村", "枫林村")),
    ),
    rename=("梅林村", "梅林新村"),
    misspelt=("青石材", "青石村"),
)
JIEDAO = Place(
    "城南街道",
    (
        ("北区", ("青石社区", "白沙社区", "柳岸村", "松岭社区", "竹溪社区")),
        ("南区", ("桂花社区", "石门村", "荷花村", "桃源社区", "枫林社区")),
    ),
    rename=("荷花村", "荷花社区"),
    misspelt=("白沙杜区", "白沙社区"),
)


# -- the office's workbooks -----------------------------------------------------------------


def villages_workbook(path: Path, place: Place) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([f"{place.name}村（社区）名单"])
    sheet.append(["序号", "所属网格", "村（社区）名称", "行政区划代码"])
    number = 0
    for grid, names in place.grids:
        for name in names:
            number += 1
            sheet.append([number, grid, name, f"3302111{number:05d}"])
    book.save(path)
    return path


def score(village: int, month: int, category: int) -> float:
    """A deterministic score with halves, different per village, month and category."""
    return 60 + (village * 7 + month * 3 + category * 5) % 38 + (village + month) % 2 / 2


def scores_workbook(path: Path, title: str, header: list[str], rows: list[list]) -> Path:
    """A third party's sheet: a title row, 序号, the names, the scores, a 合计 column."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "得分"
    sheet.append([title])
    sheet.append(["序号", "村（社区）名称", *header, "合计"])
    for number, (name, *cells) in enumerate(rows, start=1):
        sheet.append([number, name, *cells, sum(c for c in cells if c is not None)])
    book.save(path)
    return path


def month_rows(names: list[str], month: int, categories=MONTHLY) -> list[list]:
    return [
        [name, *(score(i, month, j) for j in range(len(categories)))]
        for i, name in enumerate(names)
    ]


# -- running the commands --------------------------------------------------------------------


class Clerk:
    """Runs `flagboard` in the project folder and keeps everything it said."""

    def __init__(self, capsys, project: Path):
        self.capsys, self.project, self.said = capsys, project, []

    def run(self, *args, code: int = 0) -> str:
        status = main([str(a) for a in args])
        captured = self.capsys.readouterr()
        text = captured.out + captured.err
        self.said.append(text)
        assert status == code, (args, text)
        return text

    @property
    def scores(self) -> str:
        return str(self.project / "scores")


def read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text("utf-8-sig"), newline="")))


def no_level_but_its_own(text: str, place: Place, where: str) -> None:
    """No 镇 (nor, for a 街道, a 乡-word) but in proper names and words for every level."""
    for name in sorted({place.name, *place.villages, place.rename[1]}, key=len, reverse=True):
        text = text.replace(name, "")
    text = TOKEN.sub("", GENERIC.sub("", text))
    found = re.findall(r".{0,12}镇.{0,12}", text)
    assert not found, (where, found[:5])
    if place.words.level == "街道" and not where.endswith("adopt/index.html"):
        assert not re.findall(r".{0,12}乡.{0,12}", text), where


def published_texts(site: Path):
    """Every published file as text; a workbook as the text of its parts."""
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                yield path, "".join(book.read(n).decode("utf-8") for n in book.namelist())
        elif path.suffix in (".html", ".xml", ".csv", ".json", ".toml", ".txt"):
            yield path, path.read_text("utf-8")


# -- the year --------------------------------------------------------------------------------


@pytest.mark.parametrize("place", [XIANG, JIEDAO], ids=["xiang", "jiedao"])
def test_a_town_of_its_own_kind_runs_a_year(tmp_path, capsys, place):
    words = place.words
    project = tmp_path / "town"
    repo = DataRepo(project)  # the fork: an empty scores/ under git
    for page in (
        "rules",
        "guide",
        "adopt",
        "setup",
    ):  # the shared pages stay; about.md comes from init
        (project / "content" / "pages").mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "content" / "pages" / f"{page}.md", project / "content" / "pages")
    clerk = Clerk(capsys, project)
    source = villages_workbook(tmp_path / "名单.xlsx", place)
    said = clerk.run(
        "init", "--town", place.name, "--villages", source, "--dir", project, "--from", "2025-01"
    )
    assert f"{place.name}（{words.level}）：10 个{words.member}" in said
    assert f"请按{words.own}实施方案核对" in said
    toml = project / "scores" / "town.toml"
    text = toml.read_text("utf-8")
    assert f'kind = "{words.level}"' in text
    text = text.replace("# [notice]", "[notice]").replace("# issuer", "issuer")
    text = text.replace(f'# contact = "{words.level}督查室 电话"', f'contact = "{words.office}"')
    toml.write_text(text, "utf-8")
    clerk.run("validate", "--scores", clerk.scores)
    repo.commit("建立评比数据", words.office, "2025-01-02T09:00:00+08:00")

    # the first month without a command line: its forms are on the site's /data/
    first = build_site(project / "scores", tmp_path / "first", content=project / "content").out
    form = read_csv(first / "data" / "template" / "2025-01.csv")
    assert form[0] == ["村名", *(f"{c}（100分）" for c in MONTHLY)]
    assert [row[0] for row in form[1:]] == place.villages
    assert read_csv(first / "data" / "template" / "2025-01.events.csv") == [
        ["村名", "事件", "类别", "分值", "说明"]
    ]

    names = list(place.villages)
    for month in range(1, 13):
        key = f"2025-{month:02d}"
        if month == 7:  # renamed in June's villages.csv; July's workbook still has the old name
            rename(project, place)
            when = "2025-07-06T09:00:00+08:00"
            repo.commit(f"{place.rename[0]}更名为{place.rename[1]}", "张会计", when)
        said = clerk.run("new-month", key, "--scores", clerk.scores)
        assert f"10 个{words.member}" in said
        book = tmp_path / f"{key}.xlsx"
        title = f"{place.name}{month}月村级评比得分"
        if month == 2:
            misspelt_village(clerk, place, book, title, names, month)
        if month == 4:
            misspelt_header(clerk, book, title, names, month)
        scores_workbook(book, title, list(MONTHLY), month_rows(names, month))
        said = clerk.run("import", book, "--month", key, "--scores", clerk.scores)
        assert "替换了还没有填分数的空白表" in said  # the blank form: no --force
        if month == 7:
            old, new = place.rename
            assert f"「{old}」（曾用名）→「{new}」" in said
        if month == 5:
            events(clerk, place, key)
        when = f"{2025 + month // 12}-{month % 12 + 1:02d}-05T10:00:00+08:00"
        repo.commit(f"录入{key}评分", "张会计", when)
        if month == 8:  # a 复议 corrects March
            correct_march(clerk, repo, tmp_path, place, names)

    # the year's last step
    said = clerk.run("new-annual", "2025", "--scores", clerk.scores)
    assert (
        ANNUAL[0] + "（100分）" in read_csv(project / "scores" / "2025" / "2025-annual.csv")[0][1]
    )
    book = scores_workbook(
        tmp_path / "年度.xlsx", "年度", list(ANNUAL), month_rows(names, 13, ANNUAL)
    )
    said = clerk.run("import", book, "--annual", "2025", "--scores", clerk.scores)
    assert "2025年度 评比结果预览" in said and place.grids[0][0] in said
    assert f"面红旗，{words.whole}第" in said  # 优先评优, ranked in the town's words
    assert clerk.run("preview", "2025", "--scores", clerk.scores).count("评比结果预览") == 1
    repo.commit("录入2025年度评分", "张会计", "2026-01-10T10:00:00+08:00")

    site = build_site(project / "scores", tmp_path / "site", content=project / "content").out
    pages = {p.relative_to(site).as_posix(): p.read_text("utf-8") for p in site.rglob("*.html")}
    assert f"本站由{place.name}党政办维护" in pages["about/index.html"]
    assert f"{words.phrase('镇主要领导')}约谈村主职干部" in pages["rules/index.html"]
    assert f"在{words.whole}排列" in pages["2025/index.html"]
    assert f"{words.whole}10个{words.members}" in pages["village/index.html"]
    assert f"联系{words.office}" in pages["index.html"]
    assert "于2025年9月20日更正" in pages["2025/03/index.html"]
    assert "<code>{全镇}</code>" in pages["adopt/index.html"]  # the syntax, shown as written
    actions = (site / "data" / "actions.csv").read_text("utf-8")
    assert f"面红旗，{words.whole}第1名" in actions
    for path, text in published_texts(site):
        no_level_but_its_own(text, place, path.relative_to(site).as_posix())
    for text in clerk.said:
        no_level_but_its_own(text, place, "命令的输出")


def rename(project: Path, place: Place) -> None:
    path = project / "scores" / "villages.csv"
    rows = read_csv(path)
    old, new = place.rename
    rows[0].append("曾用名")
    rows[1:] = [
        [*r[:1], new if r[1] == old else r[1], *r[2:], old if r[1] == old else ""] for r in rows[1:]
    ]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(("\ufeff" + buffer.getvalue()).encode("utf-8"))


def misspelt_village(clerk: Clerk, place: Place, book: Path, title: str, names, month) -> None:
    """One message links the misspelt name to the village it stands for; nothing else is said
    of it (no 'missing' village, no advice to add one), and the ignored columns are listed."""
    written, meant = place.misspelt
    rows = month_rows([written if n == meant else n for n in names], month)
    scores_workbook(book, title, list(MONTHLY), rows)
    said = clerk.run("import", book, "--month", "2025-02", "--scores", clerk.scores, code=1)
    words = place.words
    assert f"「{written}」不是{words.own}的{words.member}，是不是「{meant}」？" in said
    assert f"缺少「{meant}」" not in said and "新设" not in said
    assert "导入时忽略了这些列" in said and "「序号」" in said


def events(clerk: Clerk, place: Place, key: str) -> None:
    """A 加分 for a misspelt village: one message says which village it likely is."""
    written, meant = place.misspelt
    path = Path(clerk.scores) / "2025" / f"{key}.events.csv"
    header = read_csv(path)[0]

    def write(name: str) -> None:
        buffer = io.StringIO()
        rows = [header, [name, "加分", "党建引领发展", "2", "获市级表彰"]]
        csv.writer(buffer, lineterminator="\r\n").writerows(rows)
        path.write_bytes(("\ufeff" + buffer.getvalue()).encode("utf-8"))

    write(written)
    said = clerk.run("validate", "--scores", clerk.scores, code=1)
    words = place.words
    assert f"「{written}」不是{words.own}的{words.member}，是不是「{meant}」？" in said
    assert said.count("\n") == 2  # one problem, and the count
    write(meant)
    clerk.run("validate", "--scores", clerk.scores)


def misspelt_header(clerk: Clerk, book: Path, title: str, names, month) -> None:
    header = [c.replace("家园建设", "家园建没") for c in MONTHLY]
    scores_workbook(book, title, header, month_rows(names, month))
    said = clerk.run("import", book, "--month", "2025-04", "--scores", clerk.scores, code=1)
    assert "「和美家园建没」不是评比项目，是不是「和美家园建设」？" in said
    assert "缺少「和美家园建设」列" not in said


def correct_march(clerk: Clerk, repo: DataRepo, tmp_path: Path, place: Place, names) -> None:
    rows = month_rows(names, 3)
    rows[0][1] += 2
    book = scores_workbook(tmp_path / "更正.xlsx", "三月更正", list(MONTHLY), rows)
    said = clerk.run("import", book, "--month", "2025-03", "--scores", clerk.scores, code=1)
    assert "--force" in said  # March has scores: replacing them is a correction
    clerk.run("import", book, "--month", "2025-03", "--scores", clerk.scores, "--force")
    message = f"复议更正 2025-03：{rows[0][0]} 党建引领发展\n\n依据：{place.words.phrase('镇评比领导小组')}复议决定。"
    repo.commit(message, "张会计", "2025-09-20T10:00:00+08:00")

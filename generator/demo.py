"""The demo town and synthetic counties: a complete `scores/` folder (docs/data-format.md §2) from
a seed.

Two presets, as a library (`demo_files()`, `county_files(...)`: {path inside scores/: bytes},
what `generator.load.load_files` takes) or from the command line:

    python -m generator.demo demo OUT_DIR     # the demo town 花木镇 committed in scores/
    python -m generator.demo county OUT_DIR [--villages 600 --periods 120 --grids 20 --seed N]

Everything comes from `random.Random(seed)`, never the clock: the same arguments give
byte-identical files. Files are written as Excel on Chinese Windows saves them: CRLF line
ends, UTF-8 with BOM, and every third period in GBK. Tests and benchmarks build their towns
with it; the command line is a developer's tool, so it prints its one line itself.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from generator.layout import (
    SETTINGS_FILES,
    TOWN_FILE,
    VILLAGES_FILE,
    annual_path,
    events_path,
    place,
    scores_path,
)
from generator.periods import december, is_month, is_year, label, year_of
from generator.townwords import TownWords

MONTHLY = ("党建引领发展", "和美家园建设", "整体协同智治", "文明新风培育", "美丽经济发展")
OPTIONAL = ("创业承诺践行", "重点工程攻坚")
ANNUAL = ("党风廉政建设", "团队作战能力")
CATEGORY_IDS = dict(
    zip(
        MONTHLY + OPTIONAL + ANNUAL,
        (
            "party",
            "home",
            "governance",
            "civility",
            "economy",
            "pledge",
            "project",
            "integrity",
            "teamwork",
        ),
        strict=True,
    )
)

DEMO_SEED = 2023


def is_scores_file(relative: str) -> bool:
    """A file of a scores folder, in its place; `write_files` removes stale ones of these only."""
    if relative in SETTINGS_FILES:
        return True
    placed = place(relative)
    return placed is not None and placed.folder == placed.folder_year


# --- the plan of a town -------------------------------------------------------


@dataclass(frozen=True)
class VillageSpec:
    id: str
    name: str
    grid: str  # grid name, as the office writes it in villages.csv
    start: str | None = None
    end: str | None = None

    def active_in(self, month: str) -> bool:
        return (self.start is None or self.start <= month) and (
            self.end is None or month <= self.end
        )

    def active_in_year(self, year: str) -> bool:
        return (self.start is None or self.start <= december(year)) and (
            self.end is None or f"{year}-01" <= self.end
        )


@dataclass(frozen=True)
class RuleSpec:
    from_: str
    red_count: int = 3
    yellow_count: int = 3
    reward_tiers: tuple[int, ...] = (1000, 3000, 5000)
    penalty_tiers: tuple[int, ...] = (1000, 3000, 5000)


@dataclass(frozen=True)
class TownPlan:
    """What a synthetic town is made of; `render` turns it into files."""

    town: str
    grids: tuple[tuple[str, str], ...]  # (id, name)
    comment: str  # first line of town.toml, for people reading it
    villages: tuple[VillageSpec, ...]
    periods: tuple[str, ...]
    rules: tuple[RuleSpec, ...]
    optional: dict[str, tuple[str, ...]] = field(default_factory=dict)  # period → categories
    annual_years: tuple[str, ...] = ()
    by_id_periods: frozenset[str] = frozenset()  # periods whose files name villages by 编号
    events_per_period: tuple[int, ...] = (0, 1, 2, 3)  # drawn uniformly per period
    gbk_every: int = 3  # every n-th period (and annual file) is saved in GBK
    notice: tuple[str, ...] = ()  # lines of town.toml's [notice] table (docs/data-format.md §2)


# --- scores: a persistent level per village and category, plus noise ----------


@dataclass
class Levels:
    rng: random.Random
    base: dict[str, float] = field(default_factory=dict)
    trend: dict[str, float] = field(default_factory=dict)
    offset: dict[tuple[str, str], float] = field(default_factory=dict)

    def score(self, village: str, category: str, step: int) -> int | None:
        """One cell in hundredths of a point; None for 未参评."""
        rng = self.rng
        if village not in self.base:
            self.base[village] = rng.uniform(80, 90)
            self.trend[village] = rng.gauss(0, 0.12)
        if (village, category) not in self.offset:
            self.offset[village, category] = rng.gauss(0, 2)
        if rng.random() < 0.015:
            return None
        level = self.base[village] + self.offset[village, category] + self.trend[village] * step
        return _round_like_a_clerk(rng, min(99.0, max(55.0, level)) + rng.gauss(0, 3))


def _round_like_a_clerk(rng: random.Random, value: float) -> int:
    """Mostly whole points, often halves, now and then two decimals; so ties happen."""
    draw = rng.random()
    if draw < 0.70:
        hundredths = round(value) * 100
    elif draw < 0.95:
        hundredths = round(value * 2) * 50
    else:
        hundredths = round(value * 4) * 25
    return min(10000, max(0, hundredths))


def points(hundredths: int | None) -> str:
    """92.5, 90, 88.75; empty for None."""
    if hundredths is None:
        return ""
    whole, cents = divmod(hundredths, 100)
    return f"{whole}.{cents:02d}".rstrip("0").rstrip(".") if cents else str(whole)


# --- events -------------------------------------------------------------------

MEETING_NOTES = {
    "党建引领发展": "承办区级基层党建工作现场会",
    "和美家园建设": "承办市级和美乡村建设现场推进会",
    "整体协同智治": "承办区级基层治理数字化改革现场会",
    "文明新风培育": "承办区级移风易俗工作现场会",
    "美丽经济发展": "承办区级美丽经济发展现场会",
    "创业承诺践行": "承办区级村级创业承诺践行现场会",
    "重点工程攻坚": "承办区级重点工程攻坚现场会",
}
VETO_NOTES = (
    "发生一般生产安全事故，被区安委办通报",
    "发生越级集体上访，造成不良影响",
    "新增违法建筑被区里督查通报，未按期整改",
    "村干部违纪被立案审查",
)
BONUS_NOTES = {
    "党建引领发展": ("党建工作经验被区委组织部推广", "主题党日活动被区级媒体报道"),
    "和美家园建设": ("垃圾分类工作获区通报表扬", "庭院整治成效被市级媒体报道"),
    "整体协同智治": ("矛盾纠纷调处经验获区政法委推广", "“村情通”应用获区级表扬"),
    "文明新风培育": ("村民获评区级道德模范", "新时代文明实践活动获区级表扬"),
    "美丽经济发展": ("引进文旅项目落地", "村集体经济增收项目获区级推广"),
    "创业承诺践行": ("创业承诺事项提前完成",),
    "重点工程攻坚": ("重点工程政策处理提前完成",),
}
DEDUCTION_NOTES = {
    "党建引领发展": ("党员组织关系排查未按期完成", "“三会一课”台账不全"),
    "和美家园建设": ("环境卫生暗访发现问题", "河道保洁不到位被区治水办通报"),
    "整体协同智治": ("信访件办理超期", "网格事件上报不及时"),
    "文明新风培育": ("婚丧事宜大操大办未及时劝导", "文化礼堂活动开展不足"),
    "美丽经济发展": ("农家乐消防检查不合格", "招商引资任务未完成"),
    "创业承诺践行": ("创业承诺事项进度滞后",),
    "重点工程攻坚": ("重点工程政策处理进度滞后",),
}
ADJUSTMENTS = ("0.5", "1", "1", "1", "2", "3")
EVENT_KINDS = ("现场会", "一票否决", "加分", "扣分")
EVENT_WEIGHTS = (2, 1, 4, 4)


def _events(rng: random.Random, plan: TownPlan, cells: dict, count: int) -> list[list[str]]:
    """`count` events for one period, each on a scored cell of an active village.

    `cells` maps (village, category name) → hundredths or None for that period.
    """
    scored = [key for key, cell in cells.items() if cell is not None]
    rows, seen = [], set()
    for _ in range(count):
        kind = rng.choices(EVENT_KINDS, EVENT_WEIGHTS)[0]
        village, category = rng.choice(scored)
        if kind == "现场会":  # hosts are villages doing well in that category
            village, category = max(rng.sample(scored, 4), key=lambda key: cells[key])
        key = (village, "" if kind == "一票否决" else category, kind)
        if key in seen:
            continue
        seen.add(key)
        if kind == "现场会":
            rows.append([village, kind, category, "", MEETING_NOTES[category]])
        elif kind == "一票否决":
            rows.append([village, kind, "", "", rng.choice(VETO_NOTES)])
        else:
            notes = BONUS_NOTES if kind == "加分" else DEDUCTION_NOTES
            value, note = rng.choice(ADJUSTMENTS), rng.choice(notes[category])
            rows.append([village, kind, category, value, note])
    return rows


# --- rendering files ----------------------------------------------------------


def render(plan: TownPlan, seed: int) -> dict[str, bytes]:
    """All files of the town, keyed by path relative to the scores folder."""
    rng = random.Random(seed)
    levels = Levels(random.Random(rng.getrandbits(64)))
    files = {TOWN_FILE: town_toml(plan).encode("utf-8"), VILLAGES_FILE: villages_csv(plan)}
    for step, period in enumerate(plan.periods):
        encoding = "gbk" if step % plan.gbk_every == plan.gbk_every - 1 else "utf-8-sig"
        files.update(_period_files(rng, plan, levels, step, period, encoding))
    for index, year in enumerate(plan.annual_years):
        encoding = "gbk" if index % 2 else "utf-8-sig"
        files[annual_path(year)] = _annual_file(plan, levels, year, encoding)
    return files


def _period_files(rng, plan, levels, step, period, encoding) -> dict[str, bytes]:
    categories = MONTHLY + plan.optional.get(period, ())
    villages = [v for v in plan.villages if v.active_in(period)]
    cells = {(v.name, c): levels.score(v.id, c, step) for v in villages for c in categories}
    by_id = period in plan.by_id_periods
    ids = {v.name: v.id for v in villages}
    first = "编号" if by_id else "村名"
    table = [[first, *categories]]
    table += [
        [v.id if by_id else v.name, *(points(cells[v.name, c]) for c in categories)]
        for v in villages
    ]
    files = {scores_path(period): excel_csv(table, encoding)}
    events = _events(rng, plan, cells, rng.choice(plan.events_per_period))
    if events:
        rows = [[ids[name] if by_id else name, *rest] for name, *rest in events]
        files[events_path(period)] = excel_csv(
            [[first, "事件", "类别", "分值", "说明"], *rows], encoding
        )
    return files


def _annual_file(plan: TownPlan, levels: Levels, year: str, encoding: str) -> bytes:
    villages = [v for v in plan.villages if v.active_in_year(year)]
    table = [["村名", *ANNUAL]]
    table += [[v.name, *(points(levels.score(v.id, c, 0)) for c in ANNUAL)] for v in villages]
    return excel_csv(table, encoding)


def excel_csv(rows: list[list[str]], encoding: str) -> bytes:
    """CSV as Excel saves it: CRLF, minimal quoting, the given encoding (utf-8-sig or gbk)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def villages_csv(plan: TownPlan) -> bytes:
    rows = [["编号", "村名", "网格", "起始月份", "终止月份"]]
    rows += [[v.id, v.name, v.grid, v.start or "", v.end or ""] for v in plan.villages]
    return excel_csv(rows, "utf-8-sig")


# The demo town's public notice (公示): who publishes, where to ask for 复议, within how many days.
DEMO_NOTICE = (
    'issuer = "花木镇人民政府"',
    'contact = "镇党政办（电话 0571-00000000）"',
    "review_days = 5",
    'icp = "浙ICP备00000000号-1"',
)


def town_toml(plan: TownPlan) -> str:
    used = set(MONTHLY + ANNUAL).union(*plan.optional.values())
    lines = [f"# {plan.comment}", f'town = "{plan.town}"', ""]
    for grid_id, name in plan.grids:
        lines += ["[[grids]]", f'id = "{grid_id}"', f'name = "{name}"', ""]
    for name in (c for c in MONTHLY + OPTIONAL + ANNUAL if c in used):
        kind = "annual" if name in ANNUAL else "optional" if name in OPTIONAL else "monthly"
        lines += [
            "[[categories]]",
            f'id = "{CATEGORY_IDS[name]}"',
            f'name = "{name}"',
            f'kind = "{kind}"',
            "",
        ]
    for rule in plan.rules:
        lines += [
            "[[rules]]",
            f'from = "{rule.from_}"',
            f"red_count = {rule.red_count}",
            f"yellow_count = {rule.yellow_count}",
            f"reward_tiers = [{', '.join(map(str, rule.reward_tiers))}]",
            f"penalty_tiers = [{', '.join(map(str, rule.penalty_tiers))}]",
            "",
        ]
    if plan.notice:
        lines += ["[notice]", *plan.notice, ""]
    return "\n".join(lines)


def write_files(files: dict[str, bytes], out_dir: Path) -> None:
    """Write `files` under `out_dir`, removing stale scores files that are not among them."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for path in sorted(out_dir.rglob("*")):
        relative = path.relative_to(out_dir).as_posix()
        if path.is_file() and is_scores_file(relative) and relative not in files:
            path.unlink()
    for relative, data in sorted(files.items()):
        target = out_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    for folder in sorted(out_dir.iterdir()):
        if folder.is_dir() and is_year(folder.name) and not any(folder.iterdir()):
            folder.rmdir()


# --- months -------------------------------------------------------------------


def months(first: str, count: int) -> tuple[str, ...]:
    year, month = map(int, first.split("-"))
    result = []
    for _ in range(count):
        result.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(result)


# --- the demo town: 花木镇 --------------------------------------------------------

DEMO_GRIDS = (("east", "东片网格"), ("west", "西片网格"), ("north", "北片网格"))
DEMO_NAMES = {
    "东片网格": (
        "东山村",
        "梅林村",
        "桃源村",
        "石桥村",
        "前溪村",
        "上塘村",
        "下塘村",
        "竹园村",
        "荷花村",
        "杨家埠村",
    ),
    "西片网格": (
        "西湖村",
        "枫林村",
        "溪口村",
        "黄泥岭村",
        "大坞村",
        "沈家桥村",
        "白沙村",
        "横山村",
        "龙潭村",
        "凤凰村",
    ),
    "北片网格": (
        "青山村",
        "光明村",
        "联丰村",
        "永安村",
        "丰收村",
        "长乐村",
        "双溪村",
        "南湖村",
        "金星村",
        "后畈村",
    ),
}
DEMO_MERGED = ("上塘村", "下塘村")  # merged into 双塘村 from 2024-07
DEMO_MERGE_END, DEMO_MERGE_START = "2024-06", "2024-07"


def demo_plan() -> TownPlan:
    villages, number = [], 201
    for _, grid in DEMO_GRIDS:
        for name in DEMO_NAMES[grid]:
            end = DEMO_MERGE_END if name in DEMO_MERGED else None
            villages.append(VillageSpec(f"330110101{number}", name, grid, end=end))
            number += 1
    # New villages get new codes; the office lists the merged one next to its parts.
    merged = VillageSpec("330110101231", "双塘村", "东片网格", start=DEMO_MERGE_START)
    villages.insert(
        next(i for i, v in enumerate(villages) if v.name == DEMO_MERGED[-1]) + 1, merged
    )
    villages.append(VillageSpec("330110101232", "新苑村", "北片网格", start="2024-03"))
    periods = tuple(m for m in months("2023-05", 22) if m != "2024-02")  # 春节 skipped
    pledge = ("2023-06", "2023-09", "2023-12", "2024-03", "2024-06", "2024-09", "2024-12")
    project = (
        "2023-07",
        "2023-08",
        "2023-09",
        "2023-10",
        "2024-05",
        "2024-06",
        "2024-07",
        "2024-08",
        "2024-09",
        "2024-10",
    )
    optional = {
        p: tuple(c for c, ps in zip(OPTIONAL, (pledge, project), strict=True) if p in ps)
        for p in periods
    }
    return TownPlan(
        town="花木镇",
        grids=DEMO_GRIDS,
        comment="示范镇（合成数据，由 .venv/bin/python -m generator.demo demo scores 生成，请勿手工修改）",
        villages=tuple(villages),
        periods=periods,
        rules=(RuleSpec("2023-05"), RuleSpec("2024-01", reward_tiers=(2000, 4000, 6000))),
        optional={p: cats for p, cats in optional.items() if cats},
        annual_years=("2023", "2024"),
        by_id_periods=frozenset({"2023-08", "2024-04", "2024-11"}),
        events_per_period=(0, 1, 2, 3, 4),
        notice=DEMO_NOTICE,
    )


def demo_files(seed: int = DEMO_SEED) -> dict[str, bytes]:
    return render(demo_plan(), seed)


# --- the county preset: big and plain, for benchmarks --------------------------

NAME_HEADS = "东西南北上下前后大小新老金银石竹梅桃杏柳松枫青白黄红龙凤马牛杨陈沈朱周吴王李张刘"
NAME_TAILS = "山湖溪桥塘坞岭林园庄湾坑埠畈港头口家田里洋墩岙浦"


def county_plan(rng: random.Random, villages: int, periods: int, grids: int) -> TownPlan:
    names = [h + t + "村" for h in NAME_HEADS for t in NAME_TAILS]
    if not (1 <= grids <= villages <= len(names) and periods >= 1):
        raise ValueError(f"村数应在 1 到 {len(names)} 之间，网格数在 1 到村数之间，期数至少为 1。")
    rng.shuffle(names)
    grid_list = tuple((f"g{i + 1:02d}", f"第{i + 1:02d}网格") for i in range(grids))
    month_list = months("2015-01", periods)
    specs, per_grid = [], {}
    for i, name in enumerate(names[:villages]):
        g = i * grids // villages
        number = 201 + per_grid.setdefault(g, 0)
        per_grid[g] += 1
        specs.append(VillageSpec(f"330110{101 + g:03d}{number:03d}", name, grid_list[g][1]))
    if periods > 24 and villages > 2:  # one village ends and one starts halfway, as in life
        middle = month_list[len(month_list) // 2]
        specs[0] = VillageSpec(specs[0].id, specs[0].name, specs[0].grid, end=middle)
        specs[-1] = VillageSpec(specs[-1].id, specs[-1].name, specs[-1].grid, start=middle)
    years = sorted({year_of(m) for m in month_list})
    rules = (RuleSpec(month_list[0]),)
    if periods > 60:
        rules += (RuleSpec(month_list[60], reward_tiers=(2000, 4000, 6000)),)
    return TownPlan(
        town="青溪县",
        grids=grid_list,
        comment="基准测试用的县级规模合成数据（由 python -m generator.demo county 生成）",
        villages=tuple(specs),
        periods=month_list,
        rules=rules,
        annual_years=tuple(y for y in years if december(y) in month_list),
        by_id_periods=frozenset(month_list[5::12]),
        events_per_period=tuple(range(villages // 100, villages // 25 + 1)),
    )


def county_files(villages: int = 600, periods: int = 120, grids: int = 20, seed: int = 1) -> dict:
    rng = random.Random(seed)
    return render(county_plan(rng, villages, periods, grids), rng.getrandbits(64))


# --- another town: other names, grids, sizes and months, for tests ---------------

OTHER_GRIDS = (
    ("xinan", "溪南片区"),
    ("xibei", "溪北片区"),
    ("shanqian", "山前片区"),
    ("shanhou", "山后片区"),
)
OTHER_SEED = 77
OTHER_NOTICE = (
    'issuer = "白石乡人民政府"',
    'contact = "乡督查室（电话 0574-00000000）"',
    "review_days = 7",
    'icp = "浙ICP备00000001号-2"',
)


def other_plan(rng: random.Random) -> TownPlan:
    """白石乡 (a 乡, not a 镇: its pages and messages say 全乡, 乡党政办): four grids of uneven
    size, 27 villages, 18 months from 2022-09, a rule change; no village shares a name with the
    demo's."""
    demo_names = {name for names in DEMO_NAMES.values() for name in names}
    names = [h + t + "村" for h in NAME_HEADS for t in NAME_TAILS if h + t + "村" not in demo_names]
    rng.shuffle(names)
    sizes = (9, 5, 7, 6)
    specs, taken = [], 0
    for g, ((_, grid), size) in enumerate(zip(OTHER_GRIDS, sizes, strict=True)):
        for n in range(size):
            specs.append(VillageSpec(f"3302111{g + 1:02d}{n + 301:03d}", names[taken], grid))
            taken += 1
    specs[3] = VillageSpec(specs[3].id, specs[3].name, specs[3].grid, end="2023-05")
    specs.append(VillageSpec("330211105301", names[taken], OTHER_GRIDS[2][1], start="2023-06"))
    periods = months("2022-09", 18)
    project = ("2022-11", "2022-12", "2023-04", "2023-05", "2023-06", "2023-10")
    return TownPlan(
        town="白石乡",
        grids=OTHER_GRIDS,
        comment="另一个乡的测试用合成数据（由 generator.demo.other_files 生成）",
        villages=tuple(specs),
        periods=periods,
        rules=(RuleSpec("2022-09"), RuleSpec("2023-01", reward_tiers=(1500, 3000, 4500))),
        optional={p: ("重点工程攻坚",) for p in project},
        annual_years=("2022", "2023"),
        by_id_periods=frozenset({"2022-10", "2023-07"}),
        events_per_period=(1, 2, 3, 4),
        notice=OTHER_NOTICE,
    )


def other_files(seed: int = OTHER_SEED) -> dict[str, bytes]:
    rng = random.Random(seed)
    return render(other_plan(rng), rng.getrandbits(64))


# --- a town's history: the commits its office makes ------------------------------

OFFICE, CLERK = "镇党政办", "张会计"  # the demo's office; another town's is its own level's
CORRECTED = MONTHLY[1]  # the category whose cell the 复议 corrects


@dataclass(frozen=True)
class Commit:
    """One commit of a town's data repository: the scores files it writes (path → bytes)."""

    message: str
    author: str
    date: str  # ISO 8601, Beijing time
    files: dict[str, bytes]


def history_plan(files: dict[str, bytes]) -> list[Commit]:
    """How an office would have committed `files`, oldest first: the settings, one commit per
    month (with its events) and per year's annual scores a few days after it ends, and a 复议
    that corrects one cell of an earlier month; the last state holds that correction."""
    by_key: dict[str, dict[str, bytes]] = {}
    for path, data in files.items():
        placed = place(path)
        if placed:
            by_key.setdefault(placed.key, {})[path] = data
    first = min(k for k in by_key if is_month(k))
    settings = {p: files[p] for p in SETTINGS_FILES}
    words = _words(files)
    message = "建立评比数据：名称、网格、村名单、类别和规则"
    commits = [Commit(message, words.office, _day(first, 0, 9), settings)]
    for step, key in enumerate(sorted(by_key)):
        when = (
            _day(_next_month(key), 2 + step % 5, 10)
            if is_month(key)
            else _day(f"{int(key) + 1}-01", 14, 15)
        )
        word = "评分" if is_month(key) else "度评分"
        commits.append(Commit(f"{label(key)}{word}", CLERK, when, by_key[key]))
    commits.append(_correction(files, commits, words))
    return sorted(commits, key=lambda c: c.date)


def _words(files: dict[str, bytes]) -> TownWords:
    """The town's words, from the name and kind its town.toml gives."""
    town = tomllib.loads(files[TOWN_FILE].decode("utf-8-sig"))
    return TownWords.of(town["town"], town.get("kind"))


def demo_history(seed: int = DEMO_SEED) -> list[Commit]:
    return history_plan(demo_files(seed))


def other_history(seed: int = OTHER_SEED) -> list[Commit]:
    return history_plan(other_files(seed))


def _next_month(month: str) -> str:
    return months(month, 2)[1]


def _day(month: str, days_after: int, hour: int) -> str:
    return f"{month}-{1 + days_after:02d}T{hour:02d}:00:00+08:00"


def _correction(files: dict[str, bytes], commits: list[Commit], words: TownWords) -> Commit:
    """Two more points for the village lowest in CORRECTED, in a month two thirds of the way
    through whose file names villages by 村名; committed four days after that month was first
    published, within the review days of the towns' notices."""
    named = [
        p
        for p in sorted(files)
        if (placed := place(p)) and placed.kind == "scores" and _table(files[p])[0][0] == "村名"
    ]
    path = named[len(named) * 2 // 3]
    table = _table(files[path])
    column = table[0].index(CORRECTED)
    row = min((r for r in table[1:] if r[column]), key=lambda r: float(r[column]))
    old = row[column]
    row[column] = points(min(10000, round(float(old) * 100) + 200))
    encoding = "utf-8-sig" if files[path].startswith(b"\xef\xbb\xbf") else "gbk"
    month = place(path).key
    published = next(c.date for c in commits if path in c.files)
    when = (datetime.fromisoformat(published) + timedelta(days=4)).isoformat()
    message = (
        f"复议更正：{label(month)} {row[0]}「{CORRECTED}」{old} 改为 {row[column]}\n\n"
        f"经{words.level}评比工作小组复核，该项得分由 {old} 分更正为 {row[column]} 分。"
    )
    return Commit(message, CLERK, when, {path: excel_csv(table, encoding)})


def _table(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8-sig") if data.startswith(b"\xef\xbb\xbf") else data.decode("gbk")
    return list(csv.reader(io.StringIO(text, newline="")))


# --- command line ---------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m generator.demo", description="生成合成的评分数据文件夹（scores/）。"
    )
    sub = parser.add_subparsers(dest="preset", required=True)
    demo = sub.add_parser("demo", help="示范数据花木镇（提交在 scores/ 中的那一份）")
    demo.add_argument("out", type=Path)
    demo.add_argument("--seed", type=int, default=DEMO_SEED)
    county = sub.add_parser("county", help="县级规模的基准测试数据")
    county.add_argument("out", type=Path)
    county.add_argument("--villages", type=int, default=600)
    county.add_argument("--periods", type=int, default=120)
    county.add_argument("--grids", type=int, default=20)
    county.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.preset == "demo":
        files = demo_files(args.seed)
    else:
        try:
            files = county_files(args.villages, args.periods, args.grids, args.seed)
        except ValueError as error:
            parser.error(str(error))
    write_files(files, args.out)
    print(f"已写入 {args.out}/ 共 {len(files)} 个文件")
    return 0


if __name__ == "__main__":
    sys.exit(main())

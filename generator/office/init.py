"""`flagboard init`: a fresh town's skeleton — scores/town.toml, scores/villages.csv and the
site's about page — for a town adopting flagboard in its own copy of the repository.

town.toml gets the plan's categories (five monthly, two optional, two annual, as the demo has),
one grid placeholder unless the villages' list names grids, and the plan's rules (three red and
three yellow flags per grid and category; 1000/3000/5000 元 for one, two, three flags).
villages.csv comes from the office's list of villages (a workbook or CSV with a 村名 column and
optionally 网格 and 编号) or is left with its header only. Nothing is overwritten: a scores
folder holding files, or an existing about page, refuses the whole command.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator import catalogue, csvsafe, labels
from generator.demo import ANNUAL, CATEGORY_IDS, MONTHLY, OPTIONAL
from generator.layout import TOWN_FILE, VILLAGES_FILE
from generator.load.loader import load_files
from generator.office.header import KEY_SYNONYMS, compact
from generator.office.importer import fill_merged, read_sheets
from generator.periods import is_month
from generator.problems import InvalidData, Problem, quote
from generator.townwords import TownWords

ABOUT = Path("content/pages/about.md")
SCORES = Path("scores")
DEFAULT_FROM = "2023-01"
PLACEHOLDER_GRID = ("grid1", "第一网格")
GRID_SYNONYMS = {"网格", "所属网格", "网格名称", "片区", "所属片区", "片区名称"}
ID_SYNONYMS = {"村编码", "编码", "行政区划代码", "区划代码", "统计用区划代码"}
HEADER_ROWS = 20  # rows searched for the header of the villages' list


@dataclass(frozen=True)
class Village:
    id: str
    name: str
    grid: str


@dataclass(frozen=True)
class Skeleton:
    """What init writes, keyed by path relative to the project folder."""

    files: dict[Path, bytes]
    villages: int
    grids: tuple[str, ...]
    words: TownWords  # the town's level and members' word, for what the command says


def init(
    project: Path, town: str, villages_file: Path | None, first: str, kind: str | None = None
) -> Skeleton:
    """Write the skeleton into `project` (refusing if anything is there already); `kind` is the
    town's level (镇, 乡, 街道), by default the one its name ends in."""
    _refuse_existing(Path(project))
    skeleton = skeleton_files(town, villages_file, first, kind)
    for relative, data in skeleton.files.items():
        target = Path(project) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return skeleton


def skeleton_files(
    town: str, villages_file: Path | None, first: str, kind: str | None = None
) -> Skeleton:
    """The skeleton's files, checked by the loader as `flagboard validate` would."""
    if not town.strip() or not is_month(first):  # the command line checks both first
        raise ValueError(f"bad town {town!r} or first month {first!r}")
    villages = read_villages(villages_file) if villages_file else []
    grids = tuple(dict.fromkeys(v.grid for v in villages)) or (PLACEHOLDER_GRID[1],)
    words = TownWords.of(town, kind, (v.name for v in villages))
    scores = {
        TOWN_FILE: town_toml(words, grids, first).encode("utf-8"),
        VILLAGES_FILE: villages_csv(villages),
    }
    load_files(scores, SCORES.as_posix())  # raises InvalidData, as validate would report
    files = {SCORES / name: blob for name, blob in scores.items()}
    files[ABOUT] = about_md(words).encode("utf-8")
    return Skeleton(files, len(villages), grids, words)


def _refuse_existing(project: Path) -> None:
    scores = project / SCORES
    problems: list[Problem] = []
    if scores.exists() and (not scores.is_dir() or any(scores.iterdir())):
        problems.append(catalogue.INIT_NOT_EMPTY.at(scores.as_posix()))
    if (project / ABOUT).exists() or (project / ABOUT).is_symlink():
        problems.append(catalogue.INIT_ABOUT_EXISTS.at((project / ABOUT).as_posix()))
    if problems:
        raise InvalidData(problems)


# --- the villages' list ---------------------------------------------------------------


def read_villages(path: Path) -> list[Village]:
    """村名 (and 网格, 编号 when there are such columns) of every row below the header."""
    sheet = next(read_sheets(Path(path)))
    rows = fill_merged(sheet)
    for index, (_, cells) in enumerate(rows[:HEADER_ROWS]):
        columns = _columns(cells)
        if labels.NAME_COLUMN in columns:
            return _villages(sheet.label, rows[index + 1 :], columns, cells)
    raise InvalidData([catalogue.INIT_NO_NAME_COLUMN.at(sheet.label, rows=HEADER_ROWS)])


def _columns(cells: list[str]) -> dict[str, int]:
    """Which column holds 村名, 编号 and 网格 in a header row."""
    found: dict[str, int] = {}
    for column, cell in enumerate(cells):
        text = compact(cell)
        name = KEY_SYNONYMS.get(text) or _other_column(text)
        if name and name not in found:
            found[name] = column
    return found


def _other_column(text: str) -> str | None:
    if text in GRID_SYNONYMS:
        return labels.GRID_COLUMN
    return labels.ID_COLUMN if text in ID_SYNONYMS else None


def _villages(label: str, rows, columns: dict[str, int], header: list[str]) -> list[Village]:
    villages: list[Village] = []
    seen: dict[str, int] = {}
    problems: list[Problem] = []
    for row, cells in rows:
        name = _cell(cells, columns.get(labels.NAME_COLUMN))
        if not name or any(word in name for word in ("合计", "总计", "小计")):
            continue
        if name in seen:
            problems.append(
                catalogue.DUPLICATE_VILLAGE.at(
                    label,
                    row,
                    header[columns[labels.NAME_COLUMN]],
                    value=quote(name),
                    first=seen[name],
                )
            )
            continue
        seen[name] = row
        number = _cell(cells, columns.get(labels.ID_COLUMN)) or f"V{len(villages) + 1:03d}"
        grid = _cell(cells, columns.get(labels.GRID_COLUMN)) or PLACEHOLDER_GRID[1]
        villages.append(Village(number, name, grid))
    if problems:
        raise InvalidData(problems)
    return villages


def _cell(cells: list[str], column: int | None) -> str:
    return cells[column].strip() if column is not None and column < len(cells) else ""


# --- the files ------------------------------------------------------------------------


def villages_csv(villages: list[Village]) -> bytes:
    rows = [[labels.ID_COLUMN, labels.NAME_COLUMN, labels.GRID_COLUMN, "起始月份", "终止月份"]]
    rows += [[v.id, v.name, v.grid, "", ""] for v in villages]
    return csvsafe.csv_bytes(rows, "\r\n")


def town_toml(words: TownWords, grids: tuple[str, ...], first: str) -> str:
    town = words.name
    lines = [
        f"# {town}红黄旗评比的设置（由 flagboard init 生成，可按{words.own}实施方案修改）",
        "# 格式见 docs/data-format.md；改完后运行 .venv/bin/flagboard validate 检查。",
        f"town = {_quoted(town)}",
        f"# 级别：镇、乡或街道；网站上的「{words.whole}」「{words.office}」等说法按它写",
        f'kind = "{words.level}"',
        "",
        "# 网格：id 用英文字母或数字（出现在网址中），name 与 villages.csv 的「网格」列一致",
    ]
    for number, name in enumerate(grids, start=1):
        lines += ["[[grids]]", f'id = "grid{number}"', f"name = {_quoted(name)}", ""]
    lines.append("# 评比项目：monthly 每月必评，optional 部分月份评，annual 年度评比")
    for name in MONTHLY + OPTIONAL + ANNUAL:
        kind = "annual" if name in ANNUAL else "optional" if name in OPTIONAL else "monthly"
        lines += ["[[categories]]", f'id = "{CATEGORY_IDS[name]}"', f'name = "{name}"']
        lines += [f'kind = "{kind}"', ""]
    lines += [
        "# 规则：每个网格每项前三名得红旗、末三名得黄旗；单月一、二、三项红（黄）旗奖（罚）",
        "# 1000、3000、5000 元。from 是规则开始执行的月份，规则调整时另加一段 [[rules]]。",
        "[[rules]]",
        f'from = "{first}"',
        "red_count = 3",
        "yellow_count = 3",
        "reward_tiers = [1000, 3000, 5000]",
        "penalty_tiers = [1000, 3000, 5000]",
        "",
        "# 公示信息（可选）：填好后去掉下面各行开头的 #",
        "# [notice]",
        f"# issuer = {_quoted(words.issuer)}",
        f'# contact = "{words.level}督查室 电话"',
        "# review_days = 5",
        '# icp = ""',
        "",
    ]
    return "\n".join(lines)


def _quoted(text: str) -> str:
    """A TOML basic string."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in escaped) + '"'


def about_md(words: TownWords) -> str:
    town = words.name
    return f"""Title: 关于本站
Slug: about
Summary: 本站公布{town}各村红黄旗评比的每月结果、奖罚和处理措施，数据公开、可以下载核对。

本站由{town}党政办维护，公布{town}各{words.members}「红黄旗」评比的结果。评比依据{words.here}印发的实施方案，
每月评一次，每个网格内按各评比项目的得分排名：前几名得**红旗**（先进村），后几名得**黄旗**（促进村）。
具体怎么评、怎么奖罚，请看[评比规则]({{filename}}rules.md)。

## 在这里能看到什么

- **首页**：最新一期各网格、各项目的红旗村和黄旗村，以及本期奖罚。
- **每期结果**：每个网格每个项目的完整排名、得分和得旗原因，加减分和一票否决等事件，奖罚明细和处理措施。
- **每个村**：历次得分走势、红黄旗、奖罚和累计金额、处理措施。
- **数据下载**：全部结果和每月原始评分表，可以用 Excel 打开核对。

## 联系我们

对评比结果有疑问，可在结果公布后向{town}党政办提出复议申请。
"""

"""`flagboard new-month`: an empty scores template and events file for one period."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator import labels
from generator.load.loader import Dataset, load_files
from generator.model import Category, Town, Village
from generator.periods import is_month
from generator.problems import InvalidData, Problem

BOM = "\ufeff"
EVENTS_HEADER = (labels.NAME_COLUMN, *labels.EVENT_COLUMNS)


@dataclass(frozen=True)
class NewMonth:
    scores_file: Path
    events_file: Path
    villages: int
    categories: tuple[str, ...]  # Chinese names, in column order


def new_month(scores_dir: Path, month: str, optional: Sequence[str] = ()) -> NewMonth:
    """Write scores/YYYY/YYYY-MM.csv (villages × categories, empty) and its events file."""
    scores_dir = Path(scores_dir)
    check_month(month)
    town_data = load_town(scores_dir)
    town = town_data.town
    scores_file = period_path(scores_dir, month)
    events_file = scores_file.with_name(f"{month}.events.csv")
    _refuse_existing([scores_file, events_file])
    if town.rule_for(month) is None:
        first = min(r.from_ for r in town.rules)
        raise InvalidData(
            [
                _problem(
                    scores_dir / "town.toml",
                    "no_rule_version",
                    f"{month} 早于所有规则版本(最早从 {first} 起),"
                    "请先在 town.toml 中添加适用的 [[rules]]",
                )
            ]
        )
    categories = template_categories(town, month, optional, scores_dir)
    villages = active_villages(town, town_data.villages, month)
    header = [labels.NAME_COLUMN, *(c.name for c in categories)]
    rows = [[v.name, *([""] * len(categories))] for v in villages]
    scores_file.parent.mkdir(parents=True, exist_ok=True)
    scores_file.write_bytes(csv_bytes(header, rows))
    events_file.write_bytes(csv_bytes(list(EVENTS_HEADER), []))
    return NewMonth(scores_file, events_file, len(villages), tuple(c.name for c in categories))


def check_month(month: str) -> None:
    if not is_month(month):
        raise InvalidData(
            [Problem(month, None, None, "bad_month", "月份要写成 YYYY-MM,例如 2024-03")]
        )


def period_path(scores_dir: Path, month: str) -> Path:
    return Path(scores_dir) / month[:4] / f"{month}.csv"


def load_town(scores_dir: Path) -> Dataset:
    """town.toml and villages.csv only, validated: other months' problems do not block."""
    files = {
        name: (Path(scores_dir) / name).read_bytes()
        for name in ("town.toml", "villages.csv")
        if (Path(scores_dir) / name).is_file()
    }
    return load_files(files, Path(scores_dir).as_posix().rstrip("/") or ".")


def active_villages(town: Town, villages: Iterable[Village], month: str) -> list[Village]:
    """The villages active in `month`, grid by grid in town.toml order, villages.csv order within."""
    order = {g.id: i for i, g in enumerate(town.grids)}
    active = [v for v in villages if v.active_in(month)]
    return sorted(active, key=lambda v: order[v.grid])


def template_categories(
    town: Town, month: str, optional: Sequence[str], scores_dir: Path
) -> list[Category]:
    """Monthly categories in force, plus the optional ones asked for, in town.toml order."""
    wanted, problems = set(), []
    for key in optional:
        category = next((c for c in town.categories if key in (c.name, c.id)), None)
        names = (
            "、".join(c.name for c in town.categories if c.kind == "optional" and c.in_force(month))
            or "(无)"
        )
        if category is None or category.kind != "optional" or not category.in_force(month):
            problems.append(
                _problem(
                    scores_dir / "town.toml",
                    "not_optional",
                    f"「{key}」不是 {month} 可选的评比项目,--with 只能用:{names}",
                )
            )
        else:
            wanted.add(category.id)
    if problems:
        raise InvalidData(problems)
    return [
        c for c in town.categories if c.in_force(month) and (c.kind == "monthly" or c.id in wanted)
    ]


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    """UTF-8 with BOM, so that Excel and WPS open the Chinese text right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return (BOM + buffer.getvalue()).encode("utf-8")


def _refuse_existing(paths: list[Path]) -> None:
    existing = [p for p in paths if p.exists()]
    if existing:
        raise InvalidData(
            [
                Problem(
                    p.as_posix(),
                    None,
                    None,
                    "file_exists",
                    "文件已存在,不会覆盖。如要重新生成,请先删除或改名这个文件",
                )
                for p in existing
            ]
        )


def _problem(path: Path, code: str, message: str) -> Problem:
    return Problem(path.as_posix(), None, None, code, message)

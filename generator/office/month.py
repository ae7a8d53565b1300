"""`flagboard new-month`: an empty scores template and events file for one period."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator import catalogue, labels, layout
from generator.load.folder import prefix_of, read_folder
from generator.load.loader import Dataset, load_files
from generator.model import Category, Town, Village
from generator.periods import is_month
from generator.problems import InvalidData

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
    events_file = Path(scores_dir) / layout.events_path(month)
    _refuse_existing([scores_file, events_file])
    if town.rule_for(month) is None:
        first = min(r.from_ for r in town.rules)
        town_file = (scores_dir / layout.TOWN_FILE).as_posix()
        raise InvalidData([catalogue.NO_RULE_VERSION_NEW.at(town_file, month=month, first=first)])
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
        raise InvalidData([catalogue.BAD_MONTH_ARGUMENT.at(month)])


def period_path(scores_dir: Path, month: str) -> Path:
    return Path(scores_dir) / layout.scores_path(month)


def load_town(scores_dir: Path) -> Dataset:
    """town.toml and villages.csv only, validated: other months' problems do not block."""
    folder = read_folder(
        Path(scores_dir), wanted=lambda relative: relative in layout.SETTINGS_FILES
    )
    return load_files(folder.files, prefix_of(scores_dir), folder.problems)


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
            town_file = (scores_dir / layout.TOWN_FILE).as_posix()
            problems.append(catalogue.NOT_OPTIONAL.at(town_file, key=key, month=month, names=names))
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
        raise InvalidData([catalogue.FILE_EXISTS.at(p.as_posix()) for p in existing])

"""`flagboard new-month` and `new-annual`: the blank forms (generator/forms.py) written to disk."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator import catalogue, forms, layout
from generator.load.cells import read_rows
from generator.load.folder import prefix_of, read_folder
from generator.load.loader import Dataset, load_files
from generator.periods import is_month, is_year
from generator.problems import InvalidArgument, InvalidData

ANNUAL_SUFFIX = "-annual"


@dataclass(frozen=True)
class NewMonth:
    scores_file: Path
    events_file: Path | None  # None for a year's annual form, which has no events file
    villages: int
    categories: tuple[str, ...]  # Chinese names, in column order
    member: str = "村"  # what the town calls its villages (townwords.TownWords.member)


def new_month(scores_dir: Path, month: str, optional: Sequence[str] = ()) -> NewMonth:
    """Write scores/YYYY/YYYY-MM.csv (villages × categories, empty) and its events file."""
    scores_dir = Path(scores_dir)
    check_month(month, scores_dir)
    town_data = load_town(scores_dir)
    town = town_data.town
    scores_file = period_path(scores_dir, month)
    events_file = scores_dir / layout.events_path(month)
    _refuse_existing([scores_file, events_file])
    town_file = (scores_dir / layout.TOWN_FILE).as_posix()
    if town.rule_for(month) is None:
        first = min(r.from_ for r in town.rules)
        raise InvalidData([catalogue.NO_RULE_VERSION_NEW.at(town_file, month=month, first=first)])
    try:
        categories = forms.month_categories(town, month, optional, town_file)
    except InvalidData as error:  # --with named no optional category: the command is wrong
        raise InvalidArgument(error.problems) from None
    villages = forms.active_villages(town, town_data.villages, month)
    _write(scores_file, forms.blank_form(categories, villages))
    events_file.write_bytes(forms.events_form())
    names = tuple(c.name for c in categories)
    return NewMonth(scores_file, events_file, len(villages), names, town_data.words.member)


def new_annual(scores_dir: Path, year: str) -> NewMonth:
    """Write scores/YYYY/YYYY-annual.csv: the year's villages × its annual categories, empty."""
    scores_dir = Path(scores_dir)
    check_year(year)
    town_data = load_town(scores_dir)
    town = town_data.town
    target = annual_file(scores_dir, year)
    _refuse_existing([target])
    categories = forms.annual_categories(town, year)
    if not categories:
        town_file = (scores_dir / layout.TOWN_FILE).as_posix()
        raise InvalidData([catalogue.NO_ANNUAL_CATEGORY.at(town_file, year=year)])
    villages = forms.year_villages(town, town_data.villages, year)
    _write(target, forms.blank_form(categories, villages))
    names = tuple(c.name for c in categories)
    return NewMonth(target, None, len(villages), names, town_data.words.member)


def check_month(month: str, scores_dir: Path = Path("scores"), source: Path | None = None) -> None:
    """A month as the command line gives it (YYYY-MM); a usage error names the command that
    does what `2024-annual` asks for (the file being imported, `source`, when there is one)."""
    scores = prefix_of(scores_dir)
    if month.endswith(ANNUAL_SUFFIX) and is_year(month.removesuffix(ANNUAL_SUFFIX)):
        year = month.removesuffix(ANNUAL_SUFFIX)
        workbook = catalogue.quoted(source.as_posix()) if source else "表格文件"
        new = catalogue.command("new-annual", year, scores=scores)
        imported = catalogue.command("import", workbook, "--annual", year, scores=scores)
        problem = catalogue.ANNUAL_NOT_MONTH.at(
            month, value=month, year=year, new=new, imported=imported
        )
        raise InvalidArgument([problem])
    if not is_month(month):
        example = _month_example(month)
        raise InvalidArgument(
            [catalogue.BAD_MONTH_ARGUMENT.at(month, value=month, example=example)]
        )


def _month_example(text: str) -> str:
    """2025-8 → 2025-08: the month the clerk likely meant, else an example."""
    meant = layout.month_meant(text)
    return meant or "2024-03"


def check_year(year: str) -> None:
    if not is_year(year):
        raise InvalidArgument([catalogue.BAD_YEAR_ARGUMENT.at(year, value=year)])


def still_blank(path: Path) -> bool:
    """Whether a scores file is still a blank form: a header and village names, no score. Only
    a regular file is read (a link is the loader's problem, never opened)."""
    if path.is_symlink() or not path.is_file():
        return False
    rows, problems = read_rows(path.read_bytes(), path.name)
    return not problems and len(rows) > 1 and not any(any(cells[1:]) for _, cells in rows[1:])


def period_path(scores_dir: Path, month: str) -> Path:
    return Path(scores_dir) / layout.scores_path(month)


def annual_file(scores_dir: Path, year: str) -> Path:
    return Path(scores_dir) / layout.annual_path(year)


def load_town(scores_dir: Path) -> Dataset:
    """town.toml and villages.csv only, validated: other months' problems do not block."""
    folder = read_folder(
        Path(scores_dir), wanted=lambda relative: relative in layout.SETTINGS_FILES
    )
    return load_files(folder.files, prefix_of(scores_dir), folder.problems)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _refuse_existing(paths: list[Path]) -> None:
    existing = [p for p in paths if p.exists()]
    if existing:
        raise InvalidData([catalogue.FILE_EXISTS.at(p.as_posix()) for p in existing])

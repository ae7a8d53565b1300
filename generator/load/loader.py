"""The office's files → a validated Dataset (model + tidy DataFrames), or every problem found.

The folder is read once (folder.py); then each file is checked by the check of its kind —
town.toml (townfile), villages.csv (villages), scores and annual files (scorefile), events
files (eventfile) — against what the files before it gave. Checks yield problems into one
Report, which lists at most PER_FILE per file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from generator import catalogue, layout
from generator.load.cells import read_rows  # noqa: F401  (the loading API)
from generator.load.dataset import Dataset, PeriodFile, event_frame, score_frame
from generator.load.eventfile import check_events
from generator.load.folder import prefix_of, read_folder
from generator.load.report import Check, Report
from generator.load.scorefile import FileScores, check_annual, check_period
from generator.load.tablecheck import Context, VillageIndex
from generator.load.townfile import parse_town
from generator.load.villages import check_villages
from generator.model import Town
from generator.periods import is_month, is_year
from generator.problems import InvalidData, Problem, errors_of

__all__ = ["Dataset", "PeriodFile", "load", "load_files", "read_rows"]


def load(scores_dir: Path) -> Dataset:
    """Read and validate a scores folder; raise InvalidData listing every problem."""
    scores_dir = Path(scores_dir)
    if not scores_dir.is_dir():
        raise InvalidData([catalogue.MISSING_FOLDER.at(prefix_of(scores_dir))])
    folder = read_folder(scores_dir)
    return load_files(folder.files, folder.prefix, folder.problems)


def load_files(
    files: dict[str, bytes], prefix: str = "scores", problems: list[Problem] | None = None
) -> Dataset:
    """Validate in-memory files keyed by their path inside the scores folder."""
    report = Report()
    report.keep(problems or [])
    placed = report.take(place_files(files, prefix))
    town = _town(files, prefix, report)
    index = _villages(files, prefix, town, report)
    if town is None:
        raise InvalidData(report.all())
    # A bad villages.csv row does not hide the scores files' problems: they are checked
    # against the good rows, and the bad rows' names are known (no "unknown village").
    context = Context(prefix, town, index)
    periods = _checked(report, check_period, context, placed.periods, files)
    period_files = {m: _period_file(context, placed, m, f) for m, f in periods.items()}
    report.take(same_as_previous(periods, period_files))
    events = []
    for month, relative in sorted(placed.events.items()):
        if month in periods:
            cells = _cells(periods[month])
            check = check_events(context, period_files[month], relative, files[relative], cells)
            events += report.take(check)
    annual = _checked(report, check_annual, context, placed.annual, files)
    problems = report.all()
    if errors_of(problems):
        raise InvalidData(problems)
    return Dataset(
        prefix=prefix,
        town=town,
        villages=tuple(index.villages),
        periods=tuple(sorted(period_files)),
        period_files=period_files,
        annual_files={y: _annual_file(context, placed, y, f) for y, f in annual.items()},
        scores=score_frame(list(periods.values()), "period"),
        events=event_frame(events),
        annual=score_frame(list(annual.values()), "year"),
        warnings=tuple(problems),
    )


def _checked(report: Report, check, context: Context, paths: dict[str, str], files) -> dict:
    """Each period's (or year's) file checked, in order: period → FileScores, if readable."""
    found = {}
    for key, relative in sorted(paths.items()):
        scores = report.take(check(context, key, relative, files[relative]))
        if scores is not None:
            found[key] = scores
    return found


# -- which file holds what ----------------------------------------------------------------


@dataclass
class Placed:
    """Which file holds which period's scores, events and annual scores."""

    periods: dict[str, str] = field(default_factory=dict)  # month → relative path
    events: dict[str, str] = field(default_factory=dict)
    annual: dict[str, str] = field(default_factory=dict)  # year → relative path


def place_files(files: dict[str, bytes], prefix: str) -> Check[Placed]:
    """Sort the files by what their names say (docs/data-format.md §2); a problem for any other
    name."""
    placed = Placed()
    for relative in sorted(files):
        if relative in layout.SETTINGS_FILES or layout.is_ignored(relative):
            continue
        yield from _place(relative, prefix, placed)
    for month in sorted(set(placed.events) - set(placed.periods)):
        name = f"{prefix}/{placed.events[month]}"
        yield catalogue.EVENTS_WITHOUT_SCORES.at(name, month=month)
    return placed


# How a period's files are named, for a file named otherwise (docs/data-format.md §2).
_NAMING = {
    "scores": "评分表放在年份文件夹里，名为「年份-两位数的月份.csv」",
    "events": "事件表放在年份文件夹里，名为「年份-两位数的月份.events.csv」",
    "annual": "年度评分表放在年份文件夹里，名为「年份-annual.csv」",
}


def _place(relative: str, prefix: str, placed: Placed) -> Check[None]:
    name = f"{prefix}/{relative}"
    found = layout.place(relative)
    meant = layout.name_meant(relative)
    if found is None and meant:  # 2025-8.csv → 2025/2025-08.csv
        why = _NAMING[layout.place(meant).kind]
        yield catalogue.UNEXPECTED_NAME.at(name, name=relative, prefix=prefix, meant=meant, why=why)
    elif found is None:
        filename = relative.rpartition("/")[2]
        hint = (
            "请另存为 CSV 文件后再提交"
            if filename.lower().endswith((".xls", ".xlsx", ".et", ".ods"))
            else layout.NAMING_HINT
        )
        yield catalogue.UNEXPECTED_FILE.at(name, hint=hint)
    elif not (is_year if found.kind == "annual" else is_month)(found.key):
        what = "年份" if found.kind == "annual" else "月份"
        yield catalogue.BAD_FILE_NAME.at(name, what=what, key=found.key)
    elif found.folder != found.folder_year:
        yield catalogue.MONTH_MISMATCH.at(
            name,
            year=found.folder_year,
            folder=found.folder or "根目录",
            prefix=prefix,
            meant=meant or relative,
        )
    else:
        target = {"scores": placed.periods, "events": placed.events, "annual": placed.annual}
        target[found.kind][found.key] = relative


# -- town.toml and villages.csv ---------------------------------------------------------------


def _town(files: dict[str, bytes], prefix: str, report: Report) -> Town | None:
    name = f"{prefix}/{layout.TOWN_FILE}"
    if layout.TOWN_FILE not in files:
        report.add([catalogue.MISSING_FILE.at(name)])
        return None
    town, problems = parse_town(files[layout.TOWN_FILE], name)
    report.keep(problems)  # already limited to PER_FILE, with their own count of the rest
    return town


def _villages(files: dict[str, bytes], prefix: str, town: Town | None, report: Report):
    name = f"{prefix}/{layout.VILLAGES_FILE}"
    if layout.VILLAGES_FILE not in files:
        report.add([catalogue.MISSING_VILLAGES_FILE.at(name)])
        return VillageIndex()
    return report.take(check_villages(files[layout.VILLAGES_FILE], name, town))


# -- across files ----------------------------------------------------------------------------


def _period_file(context: Context, placed: Placed, month: str, found: FileScores) -> PeriodFile:
    relative, events = placed.periods[month], placed.events.get(month)
    return PeriodFile(
        month,
        context.name(relative),
        found.categories,
        context.name(events) if events else None,
        relative,
        events,
    )


def _annual_file(context: Context, placed: Placed, year: str, found: FileScores) -> PeriodFile:
    relative = placed.annual[year]
    return PeriodFile(year, context.name(relative), found.categories, relative=relative)


def _cells(found: FileScores) -> dict[tuple[str, str], int | None]:
    """(village id, category id) → the score, None when empty or bad: what events adjust."""
    values = np.where(found.missing, None, found.hundredths).tolist()
    return dict(zip(zip(found.village_ids, found.category_ids, strict=True), values, strict=True))


def same_as_previous(
    periods: dict[str, FileScores], period_files: dict[str, PeriodFile]
) -> Check[None]:
    """Warn when a period's scores all equal the previous period's (a copied file)."""
    previous = None
    for month, found in sorted(periods.items()):
        if previous is not None and found.scored and _same(found, periods[previous]):
            yield catalogue.SAME_AS_PREVIOUS.at(period_files[month].path, previous=previous)
        previous = month


def _same(one: FileScores, other: FileScores) -> bool:
    """The same cells (village, category) with the same scores and the same blanks."""
    if len(one.hundredths) != len(other.hundredths):
        return False
    if not (
        np.array_equal(one.village_ids, other.village_ids)
        and np.array_equal(one.category_ids, other.category_ids)
    ):  # the same villages and columns in another order
        one, other = _sorted(one), _sorted(other)
    values = (np.where(f.missing, -1, f.hundredths) for f in (one, other))
    return np.array_equal(one.missing, other.missing) and np.array_equal(*values)


def _sorted(found: FileScores) -> FileScores:
    order = np.lexsort((found.category_ids.astype(str), found.village_ids.astype(str)))
    return FileScores(
        found.key,
        found.categories,
        found.village_ids[order],
        found.category_ids[order],
        found.hundredths[order],
        found.missing[order],
    )

"""`flagboard import`: a third party's workbook → one period's canonical scores CSV, validated.

The workbook is read by workbook.py (python-calamine, within bounds checked before it reads)
or the core CSV reader; the header row is found even below a title (header.py: its variants),
on the first visible sheet that has one (a cover sheet may come first); merged cells are read
as Excel shows them, a score shown as a date is refused, 合计/平均/小计 rows are skipped and
reported, scores are written one way (82, 82.5; 未参评 and dashes as blank cells), and every
problem is reported against the sheet's own rows and columns.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from generator import catalogue, labels
from generator.forms import csv_bytes
from generator.layout import SETTINGS_FILES, annual_path, scores_path
from generator.load.cells import (
    clean_cell,
    excel_column,
    format_points,
    is_not_evaluated,
    parse_number,
    read_rows,
)
from generator.load.folder import prefix_of, read_folder
from generator.load.loader import Dataset, load_files
from generator.load.near import suggestions
from generator.model import Town, Village, name_key
from generator.office.header import find_header, header_name, no_header, without_note
from generator.office.month import annual_file, check_month, check_year, period_path, still_blank
from generator.office.workbook import read_grids
from generator.problems import InvalidArgument, InvalidData, Problem, quote

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")  # .xlsb: no bounded reader for it
# Rows that are not villages: 合计, 平均分, 东片小计 … (when no village is named so).
SUMMARY_WORDS = ("合计", "总计", "小计", "平均", "满分", "最高分", "最低分")
_SPACE_RE = re.compile(r"\s+")
DATE_TYPES = (dt.datetime, dt.date, dt.time, dt.timedelta)  # what calamine gives date cells
_ROW_RE = re.compile(r"第(\d+)行")  # row numbers inside the loader's messages

Merged = tuple[int, int, int, int]  # first row, first column, last row, last column (rows 1-based)


@dataclass(frozen=True)
class Sheet:
    """One sheet's cells as Excel shows them: rows numbered from 1, columns from A (index 0)."""

    label: str  # how problems name it, e.g. "三月评分.xlsx「三月」"
    rows: list[tuple[int, list[str]]]
    merged: tuple[Merged, ...] = ()
    letters: bool = True  # False for CSV, whose empty columns the reader drops
    dates: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column) → as shown
    sheets: tuple[str, ...] = ()  # every sheet of its workbook, for messages


@dataclass
class Layout:
    """Where the canonical file's rows and columns come from in the sheet."""

    header_row: int
    key: str  # 村名 or 编号
    key_column: int
    categories: list[tuple[int, str]]  # (sheet column, category name), town.toml order
    ignored: list[tuple[int, str]] = field(default_factory=list)
    rows: dict[int, int] = field(default_factory=dict)  # canonical row → sheet row
    renamed: list[tuple[int, str, str, bool]] = field(default_factory=list)  # row, was, now, 曾用名
    skipped: list[tuple[int, str]] = field(default_factory=list)  # sheet row, 合计 …
    misspelt: set[str] = field(default_factory=set)  # categories an ignored header misspells


@dataclass(frozen=True)
class Imported:
    path: Path
    sheet: str
    header_row: int
    villages: int
    categories: tuple[str, ...]
    ignored: tuple[str, ...]  # "A「序号」"
    renamed: tuple[str, ...]  # "第5行「东山」→「东山村」", "第6行「荷花村」（曾用名）→「荷花社区」"
    skipped: tuple[str, ...]  # "第10行「合计」": rows that are no village
    data: Dataset
    replaced_blank: bool = False  # the file it wrote over was a blank form still unfilled


def import_workbook(
    source: Path,
    month: str,
    scores_dir: Path,
    sheet: str | None = None,
    force: bool = False,
    annual: bool = False,
) -> Imported:
    """Read `source`, write scores/YYYY/YYYY-MM.csv (or, `annual`, `month` being a year,
    YYYY/YYYY-annual.csv) when it validates, else raise InvalidData."""
    scores_dir = Path(scores_dir)
    check_year(month) if annual else check_month(month, scores_dir, Path(source))
    target = annual_file(scores_dir, month) if annual else period_path(scores_dir, month)
    blank = not force and still_blank(target)  # new-month's form, not filled in yet
    if target.exists() and not force and not blank:
        raise InvalidData([catalogue.FILE_EXISTS_IMPORT.at(target.as_posix())])
    files = scores_files(scores_dir)
    town = _town_of(files, scores_dir)
    table, rows, start = header_sheet(Path(source), sheet, town.town)
    layout, canonical, problems = canonical_rows(table, rows, start, town.town, town.villages)
    relative = annual_path(month) if annual else scores_path(month)
    files[relative] = csv_bytes(canonical[0], canonical[1:])
    data = _validate(files, scores_dir, relative, table, layout, problems)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(files[relative])
    return _imported(target, table, layout, canonical, data, blank)


def _imported(
    target: Path, table: Sheet, layout: Layout, canonical: list, data, blank: bool = False
) -> Imported:
    return Imported(
        path=target,
        sheet=table.label,
        header_row=layout.header_row,
        villages=len(canonical) - 1,
        categories=tuple(name for _, name in layout.categories),
        ignored=tuple(_column_name(table, i, text) for i, text in layout.ignored),
        renamed=tuple(
            f"第{row}行「{quote(was)}」{'（曾用名）' if former else ''}→「{now}」"
            for row, was, now, former in layout.renamed
        ),
        skipped=tuple(f"第{row}行「{quote(text)}」" for row, text in layout.skipped),
        data=data,
        replaced_blank=blank,
    )


def scores_files(scores_dir: Path) -> dict[str, bytes]:
    """Every file of the scores folder, keyed by its path inside it (read as load() reads them:
    a link or other non-regular file is a problem, never opened)."""
    folder = read_folder(Path(scores_dir))
    if folder.problems:
        raise InvalidData(folder.problems)
    return folder.files


def _town_of(files: dict[str, bytes], scores_dir: Path) -> Dataset:
    essentials = {k: v for k, v in files.items() if k in SETTINGS_FILES}
    return load_files(essentials, prefix_of(scores_dir))


# -- reading ----------------------------------------------------------------------------


def header_sheet(
    path: Path, sheet: str | None, town: Town
) -> tuple[Sheet, list[tuple[int, list[str]]], int]:
    """The sheet holding the table (the one chosen, or the first visible one with a header
    row: a cover sheet may come first), its rows as shown, and its header row's index."""
    closest, names = None, ()
    for table in read_sheets(path, sheet):
        rows = fill_merged(table)
        start, guess = find_header(table.label, rows, town)
        if start >= 0:
            return table, rows, start
        closest = guess if closest is None or guess.weight > closest.weight else closest
        names = table.sheets
    raise InvalidData([no_header(path.name, town, closest, names)])


def read_sheets(path: Path, sheet: str | None = None):
    """The chosen sheet, or each visible one in turn, of a workbook; or a CSV file's table."""
    if not path.is_file():
        raise InvalidArgument([catalogue.MISSING_SOURCE_FILE.at(path.as_posix())])
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows, problems = read_rows(path.read_bytes(), path.name)
        if problems:
            raise InvalidData(problems)
        yield Sheet(path.name, rows, letters=False)
        return
    if suffix == ".et":
        raise InvalidArgument([catalogue.UNSUPPORTED_ET.at(path.name)])
    if suffix not in WORKBOOK_SUFFIXES:
        raise InvalidArgument([catalogue.UNSUPPORTED_FILE.at(path.name)])
    try:
        for grid in read_grids(path, sheet):
            yield _sheet_of(path, grid)
    except InvalidData as error:  # --sheet named no sheet of the workbook: the command is wrong
        if all(p.code == "unknown_sheet" for p in error.problems):
            raise InvalidArgument(error.problems) from None
        raise


def _sheet_of(path: Path, grid) -> Sheet:
    rows, dates = [], {}
    for number, values in enumerate(grid.values, start=1):
        rows.append((number, [cell_text(v) for v in values]))
        for column, value in enumerate(values):
            if isinstance(value, DATE_TYPES):
                dates[(number, column)] = rows[-1][1][column]
    label = f"{path.name}「{quote(grid.name)}」"
    return Sheet(label, rows, grid.merged, dates=dates, sheets=grid.sheets)


def cell_text(value) -> str:
    """A cell as the clerk sees it: 92.5 → '92.5', 90.0 → '90', text stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.9f}".rstrip("0").rstrip(".")  # 88.10000000000001 → 88.1
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, DATE_TYPES):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else str(value)
    return clean_cell(str(value))


def fill_merged(sheet: Sheet) -> list[tuple[int, list[str]]]:
    """Each merged range reads as its top-left value, as the clerk sees it on screen."""
    width = max((len(cells) for _, cells in sheet.rows), default=0)
    grid = {row: cells + [""] * (width - len(cells)) for row, cells in sheet.rows}
    for first_row, first_col, last_row, last_col in sheet.merged:
        value = grid.get(first_row, [""] * width)[first_col] if first_col < width else ""
        for row in range(first_row, last_row + 1):
            for col in range(first_col, min(last_col, width - 1) + 1):
                if row in grid:
                    grid[row][col] = value
    return [(row, grid[row]) for row, _ in sheet.rows]


# -- mapping ----------------------------------------------------------------------------


def canonical_rows(
    sheet: Sheet,
    rows: list[tuple[int, list[str]]],
    start: int,
    town: Town,
    villages: tuple[Village, ...],
) -> tuple[Layout, list[list[str]], list[Problem]]:
    """The canonical table (header first) for the sheet's rows below the header at `start`,
    where it came from, and problems."""
    header_row, header = rows[start]
    layout, problems = _layout(sheet, header_row, header, town)
    columns = [c for c, _ in layout.categories]
    canonical = [[layout.key, *(name for _, name in layout.categories)]]
    names = {n for v in villages for n in (v.id, v.name, *v.former_names)}
    known = KnownNames.of(villages)
    for row, cells in rows[start + 1 :]:
        key = cells[layout.key_column]
        scores = [cells[c] for c in columns]
        if not key and not any(scores):
            continue
        summary = _summary_label(key, cells, names)
        if summary:
            layout.skipped.append((row, summary))
            continue
        canonical.append([_village_key(key, layout, row, known), *map(score_text, scores)])
        layout.rows[len(canonical)] = row
    problems += _merged_scores(sheet, layout) + _date_cells(sheet, layout)
    return layout, canonical, problems


def _summary_label(key: str, cells: list[str], names: set[str]) -> str | None:
    """合计, 平均分, 东片小计 …: the row's label when it is a summary, not a village."""
    compact = _SPACE_RE.sub("", key)
    if compact in names:
        return None
    for text in [key] if key else cells:  # a blank 村名: the label may be in another column
        text = _SPACE_RE.sub("", text)
        if text and any(text.startswith(w) or text.endswith(w) for w in SUMMARY_WORDS):
            return text
    return None


def score_text(text: str) -> str:
    """A score cell written one way: 82, 82.5 (never 82.0); 未参评 and dashes as a blank cell;
    anything else as it is, for the loader to report."""
    if is_not_evaluated(text):
        return ""
    number = parse_number(text)
    return text if number.error else format_points(number.hundredths)


def _layout(
    sheet: Sheet,
    header_row: int,
    header: list[str],
    town: Town,
) -> tuple[Layout, list[Problem]]:
    names = [header_name(text, town) for text in header]
    key = labels.NAME_COLUMN if labels.NAME_COLUMN in names else labels.ID_COLUMN
    layout = Layout(header_row, key, names.index(key), [])
    found: dict[str, int] = {}
    problems = []
    for column, (text, name) in enumerate(zip(header, names, strict=True)):
        if column == layout.key_column or not text:
            continue
        if town.category_by_name(name) is None:
            layout.ignored.append((column, text))
        elif name in found:
            first, second = _letters(sheet, found[name]), _letters(sheet, column)
            problems.append(
                catalogue.DUPLICATE_SHEET_COLUMN.at(
                    sheet.label, header_row, name, name=name, first=first, second=second
                )
            )
        else:
            found[name] = column
    order = {c.name: i for i, c in enumerate(town.categories)}
    layout.categories = sorted(((c, n) for n, c in found.items()), key=lambda cn: order[cn[1]])
    return layout, problems + _near_headers(sheet, layout, town)


def _near_headers(sheet: Sheet, layout: Layout, town: Town) -> list[Problem]:
    """An ignored column whose header is a misspelling of a category the sheet lacks: refused,
    naming the category (「党建引领发屐」不是评比项目，是不是「党建引领发展」？), never passed
    over, an optional category's scores included. Fills `layout.misspelt`."""
    present = {name for _, name in layout.categories}
    candidates = {c.name: c.name for c in town.categories if c.name not in present}
    ignored = {without_note(text): (column, text) for column, text in layout.ignored}
    problems = []
    for written, name in suggestions(ignored, candidates).items():
        column, text = ignored[written]
        layout.misspelt.add(name)
        problems.append(
            catalogue.UNKNOWN_CATEGORY_NEAR.at(
                sheet.label,
                layout.header_row,
                text,
                value=quote(text),
                near=name,
                lacks=f"表里没有「{name}」列（{_letters(sheet, column)}没有导入）。",
            )
        )
    return problems


@dataclass(frozen=True)
class KnownNames:
    """villages.csv's names, looked up as a sheet writes them: current names, former names
    (曾用名, read as the village's current one) and names without their last 村."""

    current: frozenset[str]
    former: dict[str, str]  # name_key(former name) → the current name
    short: dict[str, list[str]]  # a name without its 村 (东山村 → 东山) → current names

    @classmethod
    def of(cls, villages: tuple[Village, ...]) -> KnownNames:
        short: dict[str, list[str]] = {}
        for v in villages:
            short.setdefault(v.name.removesuffix("村"), []).append(v.name)
        former = {name_key(f): v.name for v in villages for f in v.former_names}
        return cls(frozenset(v.name for v in villages), former, short)


def _village_key(text: str, layout: Layout, row: int, known: KnownNames) -> str:
    """The village's name (or id) as villages.csv writes it, when the sheet's is a former name
    or a near match (东山 for 东山村)."""
    compact = _SPACE_RE.sub("", text)
    if layout.key == labels.ID_COLUMN:
        return compact
    if text in known.current:
        return text
    if name_key(text) in known.former:
        now = known.former[name_key(text)]
        layout.renamed.append((row, text, now, True))
        return now
    # 东山村 for 东山 (its name less 村), for 东山村 spaced, or 东山 written for a 东山村
    near = sorted({*known.short.get(compact, ()), *({compact, compact + "村"} & known.current)})
    if len(near) == 1:
        if near[0] != text:
            layout.renamed.append((row, text, near[0], False))
        return near[0]
    return text


def _merged_scores(sheet: Sheet, layout: Layout) -> list[Problem]:
    """A merged range over several score cells is ambiguous: which village, which category?"""
    data_rows = set(layout.rows.values())
    score_columns = {c for c, _ in layout.categories}
    problems = []
    for first_row, first_col, last_row, last_col in sheet.merged:
        cells = [
            (r, c)
            for r in range(first_row, last_row + 1)
            for c in range(first_col, last_col + 1)
            if r in data_rows and c in score_columns
        ]
        if len(cells) > 1:
            where = f"{excel_column(first_col)}{first_row}:{excel_column(last_col)}{last_row}"
            problems.append(catalogue.MERGED_CELLS.at(sheet.label, first_row, where=where))
    return problems


def _date_cells(sheet: Sheet, layout: Layout) -> list[Problem]:
    """A score typed into a date-formatted cell reads as a date (85 → 1900-03-25): refuse it."""
    if not sheet.dates:
        return []
    columns = [(layout.key_column, layout.key), *layout.categories]
    return [
        catalogue.DATE_CELL.at(
            sheet.label,
            row,
            name,
            cell=f"{excel_column(column)}{row}",
            shown=quote(sheet.dates[row, column]),
        )
        for row in sorted(layout.rows.values())
        for column, name in columns
        if (row, column) in sheet.dates
    ]


# -- validation against the whole scores folder -----------------------------------------


def _validate(
    files: dict[str, bytes],
    scores_dir: Path,
    relative: str,
    sheet: Sheet,
    layout: Layout,
    problems: list[Problem],
) -> Dataset:
    prefix = prefix_of(scores_dir)
    try:
        data = load_files(files, prefix)
    except InvalidData as error:
        target = f"{prefix}/{relative}"
        dated = {(p.row, p.column) for p in problems if p.code == "date_cell"}
        said = [  # a misspelt header's category: said at that header, not as missing again
            p
            for p in error.problems
            if not (p.code == "missing_column" and p.file == target and p.column in layout.misspelt)
        ]
        moved = [_on_sheet(p, sheet, layout) if p.file == target else p for p in said]
        problems += [p for p in moved if (p.row, p.column) not in dated]  # said once is enough
        data = None
    if problems:
        raise InvalidData(problems + _ignored_note(sheet, layout))
    return data


def _ignored_note(sheet: Sheet, layout: Layout) -> list[Problem]:
    """The columns the import passed over, listed when it fails too: one may be the cause."""
    if not layout.ignored:
        return []
    ignored = "、".join(_column_name(sheet, i, text) for i, text in layout.ignored[:50])
    return [catalogue.IGNORED_COLUMNS.at(sheet.label, layout.header_row, columns=ignored)]


def _on_sheet(problem: Problem, sheet: Sheet, layout: Layout) -> Problem:
    """A problem of the canonical file, moved to the sheet's own row, column and cell."""
    row = None if problem.row is None else _sheet_row(problem.row, layout)
    columns = {name: c for c, name in layout.categories} | {layout.key: layout.key_column}
    column = columns.get(problem.column) if problem.column else None
    message = _ROW_RE.sub(lambda m: f"第{_sheet_row(int(m.group(1)), layout)}行", problem.message)
    if sheet.letters and column is not None and problem.row is not None:
        message += f"（单元格 {excel_column(column)}{row}）"
    return dataclasses.replace(problem, file=sheet.label, row=row, message=message)


def _sheet_row(row: int, layout: Layout) -> int:
    return layout.header_row if row == 1 else layout.rows.get(row, row)


def _letters(sheet: Sheet, column: int) -> str:
    return f"{excel_column(column)}列" if sheet.letters else f"第{column + 1}列"


def _column_name(sheet: Sheet, column: int, text: str) -> str:
    text = quote(text)
    return f"{excel_column(column)}「{text}」" if sheet.letters else f"「{text}」"

"""Bounded reading of workbooks: a hostile file is refused before python-calamine reads it.

calamine allocates a sheet as a dense grid from A1 to its farthest cell, trusts the sizes in a
zip's headers, and copies shared strings into every cell. So before it sees a file: the file's
size and its zip members are checked (archive.py), and each sheet's own records are streamed
(xlsx.py, ods.py, biff.py) for its farthest cell, its shared text, and what calamine's values
do not say — error values, formulas without a result, formats, hidden rows and columns — into a
Scan (scan.py) that travels with the values (docs/data-format.md §2.1 「导入表格」).
Imports: archive, scan, xlsx, ods, biff, problems, python-calamine; never prints.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine as calamine

from generator import catalogue
from generator.load.cells import MAX_COLUMNS, excel_column
from generator.office import biff, ods, xlsx
from generator.office.archive import MAX_FILE_BYTES, check_archive, mb
from generator.office.scan import MAX_RANGES, MAX_ROWS, Merged, Refused, Scan, too_large
from generator.problems import InvalidArgument, InvalidData, Problem, quote

VISIBLE, HIDDEN, VERY_HIDDEN = "visible", "hidden", "very hidden"
_ZIP_SUFFIXES = (".xlsx", ".xlsm", ".ods")


@dataclass(frozen=True)
class Grid:
    """One sheet's values as calamine returns them, row 1 first, column A first, and what its
    own records say about how Excel shows them."""

    name: str
    values: list[list]
    merged: tuple[Merged, ...]
    sheets: tuple[str, ...] = ()  # every sheet of the workbook, in order (for messages)
    scan: Scan = field(default_factory=Scan)


class Workbook:
    """An opened workbook whose sheets are read one by one, each within the bounds."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.suffix = self.path.suffix.lower()
        self.scans: dict[str, Scan] = {}
        self._book, self._xlsx = guarded(self.path, self._open)

    def _open(self):
        size = self.path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise too_large(f"表格文件有 {mb(size)}，超过上限 {mb(MAX_FILE_BYTES)}")
        book = None
        if self.suffix in _ZIP_SUFFIXES:
            check_archive(self.path)
        if self.suffix == ".ods":  # calamine reads every table of an .ods or .xls at once
            self.scans = ods.scan_ods(self.path)
            _refuse_far(self.scans)
        elif self.suffix == ".xls":
            self.scans = xls_scans(self.path)
            _refuse_far(self.scans)
        else:
            book = xlsx.read_book(self.path)
        return calamine.CalamineWorkbook.from_path(str(self.path)), book

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._book.sheet_names)

    def worksheets(self) -> list[tuple[str, str]]:
        """(name, visibility) of each worksheet (not chart sheets), in order."""
        return [
            (m.name, _visibility(m.visible))
            for m in self._book.sheets_metadata
            if m.typ == calamine.SheetTypeEnum.WorkSheet
        ]

    def visible(self) -> list[str]:
        """The visible worksheets, in order; a workbook without any is refused."""
        names = [name for name, seen in self.worksheets() if seen == VISIBLE]
        if not names:
            raise InvalidArgument([unknown_sheet(self.path, None, self.names)])
        return names

    def sheet_name(self, sheet: str) -> str:
        """The sheet asked for by name or number; another is a problem listing them."""
        names = self.names
        if sheet in names:
            return sheet
        if sheet.isdigit() and 1 <= int(sheet) <= len(names):
            return names[int(sheet) - 1]
        raise InvalidArgument([unknown_sheet(self.path, sheet, names)])  # --sheet was wrong

    def scan(self, name: str) -> Scan:
        """The sheet's Scan; a sheet reaching beyond the bounds is refused."""

        def scanned() -> Scan:
            if name not in self.scans and self._xlsx is not None:
                self.scans[name] = xlsx.scan_sheet(self.path, name, self._xlsx)
                _refuse_far({name: self.scans[name]})
            if name not in self.scans:  # an .xls or .ods sheet its reader did not find
                raise Refused(
                    catalogue.UNREADABLE_WORKBOOK,
                    f"无法核对工作表「{quote(name)}」的单元格，请在 Excel/WPS 里另存为 .xlsx 后再导入",
                )
            return self.scans[name]

        return guarded(self.path, scanned)

    def grid(self, name: str) -> Grid:
        scan = self.scan(name)

        def read() -> Grid:
            found = self._book.get_sheet_by_name(name)
            values = found.to_python(skip_empty_area=False, nrows=MAX_ROWS)
            merged = _merged(found) if self.suffix != ".ods" else _bounded(scan.merged)
            return Grid(name, values, merged, self.names, scan)

        return guarded(self.path, read)


def _visibility(visible) -> str:
    if visible == calamine.SheetVisibleEnum.Visible:
        return VISIBLE
    return HIDDEN if visible == calamine.SheetVisibleEnum.Hidden else VERY_HIDDEN


def read_grid(path: Path, sheet: str | None) -> Grid:
    """The chosen sheet (default: the first visible one) of a workbook, within the bounds."""
    book = Workbook(path)
    return book.grid(book.sheet_name(sheet) if sheet is not None else book.visible()[0])


def guarded(path: Path, read: Callable):
    try:
        return read()
    except Refused as refused:
        raise InvalidData([refused.kind.at(path.name, **refused.fields)]) from None
    except InvalidData:
        raise
    except Exception as error:  # calamine and zipfile raise several unrelated types
        raise InvalidData([unreadable(path, error)]) from error


def unreadable(path: Path, error: Exception) -> Problem:
    return catalogue.UNREADABLE_WORKBOOK.at(
        path.name,
        reason=f"无法读取这个表格（{type(error).__name__}：{quote(str(error))}），"
        "请确认它是 Excel/WPS 表格，未加密，并已保存关闭",
    )


def unknown_sheet(path: Path, sheet: str | None, names: tuple[str, ...]) -> Problem:
    listed = "、".join(f"「{quote(n)}」" for n in names[:50]) or "（无）"
    return catalogue.UNKNOWN_SHEET.at(path.name, sheet=quote(sheet or ""), listed=listed)


def xls_scans(path: Path) -> dict[str, Scan]:
    """Every sheet of an .xls, scanned; a file this reader cannot follow is refused."""
    try:
        return biff.sheet_scans(path.read_bytes())
    except (biff.NotBiff, struct.error, IndexError) as error:
        raise Refused(
            catalogue.UNREADABLE_WORKBOOK,
            f"无法读取这个 .xls 表格（{quote(str(error))}），请在 Excel/WPS 里另存为 .xlsx 后再导入",
        ) from error


def _refuse_far(scans: dict[str, Scan]) -> None:
    for name, scan in scans.items():
        if scan.far is not None:
            row, column = scan.far
            raise Refused(
                catalogue.SHEET_TOO_LARGE,
                sheet=quote(name),
                cell=f"{excel_column(column)}{row}",
                rows=MAX_ROWS,
                columns=MAX_COLUMNS,
                last=f"{excel_column(MAX_COLUMNS - 1)}{MAX_ROWS}",
            )


def _merged(found) -> tuple[Merged, ...]:
    """calamine's merged ranges (from 0) as (first row, first column, last row, last column),
    rows from 1."""
    ranges = getattr(found, "merged_cell_ranges", None) or []
    if len(ranges) > MAX_RANGES:
        raise too_large(f"表格里有 {len(ranges)} 处合并单元格，不像评分表")
    return _bounded([(a + 1, b, c + 1, d) for (a, b), (c, d) in ranges])


def _bounded(ranges: list[Merged]) -> tuple[Merged, ...]:
    """Merged ranges within the bounds; overlapping ones covering more cells than a full sheet
    (which only a crafted file has) are refused, so that filling them in stays linear."""
    merged, area = [], 0
    for first_row, first_column, last_row, last_column in ranges:
        last_row, last_column = min(last_row, MAX_ROWS), min(last_column, MAX_COLUMNS - 1)
        if first_row > last_row or first_column > last_column:
            continue
        area += (last_row - first_row + 1) * (last_column - first_column + 1)
        if area > MAX_ROWS * MAX_COLUMNS:
            raise too_large("表格里的合并单元格互相重叠，不像 Excel/WPS 保存的文件")
        merged.append((first_row, first_column, last_row, last_column))
    return tuple(merged)

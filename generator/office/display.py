"""What the office sees, checked where import reads: the header row, the village column and
the category columns of the rows imported as villages.

A cell there that does not show its value (an error, a formula never calculated, a number
shown as a percentage, rounded, hidden or replaced by a format, white on white, a 0 in a sheet
that does not show zeros: scan.py's looks), and a row or column there that is out of sight
(hidden, filtered out, in a collapsed group, of zero size), is a problem naming the cell, what Excel shows and what to do. Rows and
columns import ignores (titles, 合计, 平均分, columns of no category) are not looked at.
Imports: problems, catalogue, scan, sheet.
"""

from __future__ import annotations

from generator import catalogue
from generator.load.cells import excel_column
from generator.office.numfmt import Look
from generator.office.scan import COLLAPSED, FILTERED, ZERO
from generator.office.sheet import Sheet
from generator.problems import PER_FILE, Problem, more_problems, quote

_HOW = {  # why a row or column is out of sight → (how it is, how to bring it back)
    FILTERED: ("被筛选隐藏", "清除筛选"),
    COLLAPSED: ("在折叠的分组里", "展开分组"),
    ZERO: ("{size}为 0", "调整{size}"),
}
_HIDDEN = ("被隐藏", "取消隐藏")
_UNREADABLE = ("error", "uncached")  # a header cell that may name a category, unreadable


def cell_problems(
    sheet: Sheet, header_row: int, columns: list[tuple[int, str]], rows: list[int]
) -> list[Problem]:
    """Problems for the header row's unreadable cells (in any column: one may name a category)
    and invisible ones (in `columns`), and for the looks of the data rows' cells in `columns`
    (column, its name). A header cell's number format changes nothing import reads."""
    problems = []
    read = dict(columns)
    for (row, column), look in sorted(sheet.scan.looks.items()):
        if row == header_row and (
            look.kind in _UNREADABLE or look.kind == "invisible" and column in read
        ):
            problems.append(_header_problem(sheet, row, column, look))
    unlisted = 0
    for row in rows:
        for column, name in columns:
            look = sheet.look(row, column)
            if look is None:
                continue
            if len(problems) < PER_FILE:
                problems.append(_cell_problem(sheet, row, column, name, look))
            else:
                unlisted += 1
    if unlisted:
        problems.append(more_problems(sheet.label, unlisted))
    return problems


def _header_problem(sheet: Sheet, row: int, column: int, look: Look) -> Problem:
    cell = f"{excel_column(column)}{row}"
    letter = excel_column(column)
    if look.kind == "uncached":
        return catalogue.FORMULA_IN_HEADER.at(sheet.label, row, letter, cell=cell)
    return _cell_problem(sheet, row, column, letter, look)


def _cell_problem(sheet: Sheet, row: int, column: int, name: str, look: Look) -> Problem:
    fields = {
        "cell": f"{excel_column(column)}{row}",
        "shown": quote(look.shown),
        "value": quote(look.value),
        "format": f"「{quote(look.code)}」" if look.code else "",
    }
    kind = {
        "error": catalogue.ERROR_VALUE,
        "uncached": catalogue.FORMULA_WITHOUT_RESULT,
        "percent": catalogue.PERCENT_CELL,
        "differs": catalogue.SHOWN_DIFFERS,
        "hidden": catalogue.HIDDEN_VALUE,
        "text": catalogue.FORMAT_TEXT,
        "invisible": catalogue.INVISIBLE_TEXT,
        "zero": catalogue.ZERO_HIDDEN,
    }.get(look.kind, catalogue.UNKNOWN_FORMAT)
    return kind.at(sheet.label, row, name, **fields)


def hidden_problems(
    sheet: Sheet,
    header_row: int,
    key: tuple[int, str],
    columns: list[tuple[int, str]],
    rows: dict[int, str],
) -> list[Problem]:
    """The header row, the rows imported as villages (row → its key's text) and the key and
    category columns, where any of them is out of sight."""
    problems = []
    hidden_rows, hidden_columns = sheet.scan.hidden_rows, sheet.scan.hidden_columns
    for row, text in [(header_row, ""), *sorted(rows.items())]:
        why = hidden_rows.why(row)
        if why is not None:
            what = "（表头行）" if row == header_row else f"「{quote(text)}」"
            how, undo = _how(why, "行高")
            problems.append(
                catalogue.HIDDEN_ROW.at(
                    sheet.label, row, key[1], line=row, what=what, how=how, undo=undo
                )
            )
        if len(problems) > PER_FILE:
            return problems
    for column, name in [key, *columns]:
        why = hidden_columns.why(column)
        if why is not None:
            how, undo = _how(why, "列宽")
            letter = excel_column(column)
            problems.append(
                catalogue.HIDDEN_COLUMN.at(
                    sheet.label,
                    header_row,
                    name,
                    letter=letter,
                    header=name,
                    how=how,
                    undo=undo,
                )
            )
    return problems


def _how(why: str, size: str) -> tuple[str, str]:
    how, undo = _HOW.get(why, _HIDDEN)
    return how.format(size=size), undo.format(size=size)


def is_hidden_column(sheet: Sheet, column: int) -> bool:
    return sheet.scan.hidden_columns.why(column) is not None

"""Checks of a period's events file: 现场会, 一票否决, 加分, 扣分
(docs/data-format.md §2)."""

from __future__ import annotations

from dataclasses import dataclass

from generator import catalogue, labels
from generator.load.cells import format_points, parse_number
from generator.load.dataset import PeriodFile
from generator.load.report import Check, collect
from generator.load.tablecheck import Context, find_village, fixed_columns, key_column, read
from generator.load.villages import unsafe_codes
from generator.model import MAX_FULL_MARKS
from generator.problems import Problem, quote, unsafe_characters

MAX_NOTE_CHARS = 500
EXPECTED = "事件文件的表头应为：村名、事件、类别、分值、说明"


@dataclass(frozen=True)
class Event:
    period: str
    village_id: str
    event: str
    category: str | None
    value: int | None
    note: str
    file: str
    row: int


def check_events(
    context: Context, period: PeriodFile, relative: str, data: bytes, cells: dict
) -> Check[list[Event]]:
    """The events of a month; `cells` maps (village id, category id) to its score or None."""
    name = context.name(relative)
    table = yield from read(data, name)
    key = (yield from key_column(name, table)) if table else None
    if key is None:
        return []
    index = yield from fixed_columns(
        name, table, labels.EVENT_COLUMNS, labels.EVENT_COLUMNS, EXPECTED, first={key: 0}
    )
    if index is None:
        return []
    events = []
    for row, values in table.rows:
        record = {column: values[i] for column, i in index.items()}
        found, fields = collect(_fields(context, period, name, row, key, record))
        yield from found
        village, event, category, value = fields
        if found or village is None:  # or the village's row in villages.csv has a problem
            continue
        if event in ("bonus", "deduction") and cells.get((village.id, category)) is None:
            yield catalogue.ADJUST_EMPTY_SCORE.at(
                name,
                row,
                "类别",
                value=quote(record[key]),
                category=record["类别"],
                event=record["事件"],
            )
            continue
        note = record["说明"]
        events.append(Event(period.period, village.id, event, category, value, note, name, row))
    return events


def _fields(context: Context, period: PeriodFile, name: str, row: int, key: str, record):
    """(village, event, category id, value) of an events row, with its problems."""
    month = period.period
    village = yield from find_village(name, row, key, record[key], {}, context, near=True)
    if village is not None and not village.active_in(month):
        yield catalogue.INACTIVE_EVENT_VILLAGE.at(
            name, row, key, value=quote(record[key]), month=month
        )
    event = labels.EVENT_IDS.get(record["事件"])
    if event is None:
        known = "、".join(labels.EVENT_IDS)
        yield catalogue.BAD_EVENT_TYPE.at(
            name, row, "事件", value=quote(record["事件"]), known=known
        )
    yield from _note(name, row, record["说明"])
    category = yield from _category(context, period, name, row, event, record["类别"])
    value = yield from _value(context, name, row, event, record["分值"], category)
    return village, event, category, value


def _note(name: str, row: int, note: str) -> Check[None]:
    if not note:
        yield catalogue.MISSING_NOTE.at(name, row, "说明")
    elif unsafe := unsafe_characters(note):
        yield catalogue.UNSAFE_CHARACTERS.at(name, row, "说明", codes=unsafe_codes(unsafe))
    elif len(note) > MAX_NOTE_CHARS:
        yield catalogue.NOTE_TOO_LONG.at(name, row, "说明", length=len(note), limit=MAX_NOTE_CHARS)


def _category(
    context: Context, period: PeriodFile, name: str, row: int, event: str | None, text: str
) -> Check[str | None]:
    if event == "veto":
        if text:
            yield catalogue.UNEXPECTED_CATEGORY.at(name, row, "类别")
        return None
    town = context.town
    category = town.category_by_name(text)
    if not text:
        if event:
            yield catalogue.MISSING_CATEGORY.at(name, row, "类别", event=labels.EVENT_NAMES[event])
    elif category is None or category.id not in period.categories:
        scored = "、".join(c.name for c in town.categories if c.id in period.categories)
        yield catalogue.UNKNOWN_CATEGORY.at(name, row, "类别", value=quote(text), scored=scored)
    else:
        return category.id
    return None


def _value(
    context: Context, name: str, row: int, event: str | None, text: str, category: str | None
) -> Check[int | None]:
    if event in ("meeting", "veto"):
        if text:
            yield catalogue.UNEXPECTED_VALUE.at(name, row, "分值", event=labels.EVENT_NAMES[event])
        return None
    if event is None:
        return None
    problem = _value_problem(context, name, row, event, text, category)
    if problem is not None:
        yield problem
        return None
    return parse_number(text).hundredths


def _value_problem(
    context: Context, name: str, row: int, event: str, text: str, category: str | None
) -> Problem | None:
    what = labels.EVENT_NAMES[event]
    number = parse_number(text) if text else None
    if number is None:
        return catalogue.MISSING_VALUE.at(name, row, "分值", event=what)
    if number.error == "too_many_decimals":
        return catalogue.TOO_MANY_DECIMALS.at(name, row, "分值", value=quote(text))
    if number.error == "not_a_number" or (number.error is None and number.hundredths <= 0):
        return catalogue.BAD_VALUE.at(name, row, "分值", value=quote(text), event=what)
    full = _full_hundredths(context, category)
    if number.error == "too_large" or number.hundredths > full:
        return catalogue.VALUE_OVER_FULL_MARKS.at(
            name, row, "分值", value=quote(text), full=format_points(full), event=what
        )
    return None


def _full_hundredths(context: Context, category: str | None) -> int:
    """分值 is at most the category's full marks; without a known category, at most 1000."""
    found = context.town.category_by_id(category) if category else None
    return found.full_hundredths if found else MAX_FULL_MARKS * 100

"""The month (or year) a workbook names itself: its title, its sheet's name, its file name.

「花木镇2025年7月村级评比得分表」, a sheet 「7月」, a file `2025-07评分.xlsx` or `7月份.xlsx` each
say which month the scores are for; one that disagrees with `--month` is refused naming both
(docs/data-format.md §2.1), since importing July's table as August would publish it as August. A date
(「2025年8月5日」, 2025-08-05: when the table was filled in) and a range (「1-7月」) name no month.
A month named with its year is taken first; without one, a month alone (「三月份考核」, and so
「二〇二四年三月」) still names it.
Imports: problems, catalogue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator import catalogue
from generator.problems import Problem, quote

_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUMERALS |= {"十": 10, "十一": 11, "十二": 12}
_MONTH = r"(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_NOT_DAY = r"(?!\s*(?:\d|[一二三四五六七八九十]|[日号]))"  # 「8月5日」 is a date
_NOT_RANGE = r"(?<![\d\-－~～至到、—])"  # 「1-7月」 names several months
_YEAR_MONTH = [
    re.compile(rf"(?<!\d)((?:19|20)\d\d)\s*年\s*{_MONTH}\s*月(?:份)?{_NOT_DAY}"),
    re.compile(r"(?<!\d)((?:19|20)\d\d)\s*[-./_]\s*(1[0-2]|0?[1-9])(?!\s*[-./]?\s*\d)"),
]
_COMPACT = re.compile(r"(?<!\d)((?:19|20)\d\d)(0[1-9]|1[0-2])(?!\d)")  # 202507
_MONTH_ONLY = re.compile(rf"{_NOT_RANGE}{_MONTH}\s*月(?:份)?{_NOT_DAY}")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*年(?!\s*\d)")


@dataclass(frozen=True)
class Named:
    """A period a text names: its year (None: the month alone), its month (None: a year)."""

    text: str  # as written, for the message
    year: int | None
    month: int | None

    def agrees(self, period: str) -> bool:
        year, _, month = period.partition("-")
        if self.year is not None and self.year != int(year):
            return False
        return self.month is None or not month or self.month == int(month)


def named_periods(text: str, month_alone: bool) -> list[Named]:
    """The periods a text names: year and month; or, `month_alone`, a month without its year;
    else a year alone (「2025年度」)."""
    found = [
        Named(m.group(0).strip(), int(m.group(1)), _month(m.group(2)))
        for pattern in _YEAR_MONTH
        for m in pattern.finditer(text)
    ]
    if month_alone and not found:
        found = [
            Named(m.group(0), int(m.group(1)), int(m.group(2))) for m in _COMPACT.finditer(text)
        ]
        found += [Named(m.group(0), None, _month(m.group(1))) for m in _MONTH_ONLY.finditer(text)]
    if not found:
        found = [Named(m.group(0).strip(), int(m.group(1)), None) for m in _YEAR.finditer(text)]
    return found


def _month(text: str) -> int:
    return int(text) if text.isdigit() else _NUMERALS[text]


def disagreeing(
    period: str, file: str, sheet: str, titles: list[tuple[int, str]], label: str
) -> list[Problem]:
    """A problem for each place (title rows, sheet name, file name) naming another period."""
    option = "--month" if "-" in period else "--annual"
    places = [(row, f"标题（第{row}行）", "标题", text, True) for row, text in titles]
    if sheet:
        places.append((None, f"工作表名「{quote(sheet)}」", "工作表名", sheet, True))
    stem = file.rsplit(".", 1)[0]
    places.append((None, f"文件名「{quote(file)}」", "文件名", stem, True))
    problems = []
    for row, where, what, text, alone in places:
        wrong = [n for n in named_periods(text, alone) if not n.agrees(period)]
        if wrong:
            problems.append(
                catalogue.WORKBOOK_PERIOD.at(
                    label,
                    row,
                    where=where,
                    found=quote(wrong[0].text),
                    period=period,
                    what=what,
                    option=option,
                )
            )
    return problems


def names_period(text: str, period: str) -> bool:
    """Whether a sheet's name names `period` (for the hint when several sheets hold tables)."""
    found = named_periods(text, month_alone=True)
    return bool(found) and all(n.agrees(period) for n in found)

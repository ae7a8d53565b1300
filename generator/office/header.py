"""The header row of a third party's sheet: which row it is, and what each of its cells names.

Headers come as the third party writes them: 村庄名称, 村(社区), 行政村, 单位名称 for 村名;
a category's name followed by a note in any brackets, 「党建引领发展（20分）」, 「和美家园建设
【满分100】」. When no row holds both a village column and a category, the problem says which
sheets there are and which row came closest, and what it lacked.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from generator import catalogue, labels
from generator.model import Town
from generator.problems import Problem, quote

# Written as compact() leaves them: NFKC (（ → ( ), no white space.
KEY_SYNONYMS = {
    labels.NAME_COLUMN: labels.NAME_COLUMN,
    **dict.fromkeys(
        (
            "村名称",
            "村庄",
            "村庄名",
            "村庄名称",
            "村",
            "村别",
            "村(社区)",
            "村(社区)名称",
            "村(居)",
            "村(居)名称",
            "村社区",
            "行政村",
            "行政村名称",
            "单位名称",
            "被考核单位",
            "村级单位",
        ),
        labels.NAME_COLUMN,
    ),
    labels.ID_COLUMN: labels.ID_COLUMN,
    "村编号": labels.ID_COLUMN,
}
KEYS = (labels.NAME_COLUMN, labels.ID_COLUMN)
# A note in brackets at the end of a header cell: (20分), （满分100）, [分值], 【20分】.
_NOTE_RE = re.compile(r"[(\[【〔][^(\[【〔)\]】〕]*[)\]】〕]$")


def compact(text: str) -> str:
    """A header cell as compared: NFKC (full-width brackets → ASCII), no white space."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def without_note(text: str) -> str:
    """A header cell as compared, without a note in brackets at its end."""
    return _NOTE_RE.sub("", compact(text))


def header_name(text: str, town: Town) -> str:
    """A header cell → 村名, 编号, a category's name, or the text without spaces."""
    compacted = compact(text)
    for candidate in (compacted, _NOTE_RE.sub("", compacted)):
        if candidate in KEY_SYNONYMS:
            return KEY_SYNONYMS[candidate]
        category = town.category_by_name(candidate)
        if category:
            return category.name
    return "".join(text.split())


@dataclass(frozen=True)
class Guess:
    """How much of a header one row holds."""

    sheet: str  # the sheet's label
    row: int  # its row number on the sheet
    key: bool  # a 村名 or 编号 column
    categories: tuple[str, ...]  # the category names it holds

    @property
    def weight(self) -> int:
        return len(self.categories) + (2 if self.key else 0)


def guess(sheet: str, row: int, cells: list[str], town: Town) -> Guess:
    names = [header_name(c, town) for c in cells if c]
    categories = tuple(dict.fromkeys(n for n in names if town.category_by_name(n)))
    return Guess(sheet, row, any(n in KEYS for n in names), categories)


def find_header(sheet: str, rows: list[tuple[int, list[str]]], town: Town) -> tuple[int, Guess]:
    """Index of the first row holding 村名 or 编号 and a category name (-1 if none), and the
    closest row seen."""
    best = Guess(sheet, 0, False, ())
    for index, (row, cells) in enumerate(rows):
        found = guess(sheet, row, cells, town)
        if found.key and found.categories:
            return index, found
        if found.weight > best.weight:
            best = found
    return -1, best


def no_header(file: str, town: Town, closest: Guess, sheets: tuple[str, ...]) -> Problem:
    """找不到表头行, with the closest row and what it lacked, and the sheets to choose from."""
    examples = "、".join(f"「{c.name}」" for c in town.categories[:3])
    listed = "、".join(f"「{quote(s)}」" for s in sheets[:50])
    return catalogue.NO_HEADER.at(
        file,
        examples=examples,
        closest=_closest(closest),
        sheets=f"这个文件的工作表有：{listed}；" if sheets else "",
    )


def _closest(closest: Guess) -> str:
    if closest.weight == 0:
        return "没有一行像表头。"
    where = f"最接近表头的是{closest.sheet}第{closest.row}行"
    if closest.key:
        return f"{where}，它有村名列，但没有一列是 town.toml 里的评比项目。"
    found = "、".join(f"「{c}」" for c in closest.categories[:5])
    return f"{where}，它有评比项目列{found}，但没有村名列（写作「村名」或「编号」）。"

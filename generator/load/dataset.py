"""The validated data set: what the rules read. No I/O.

Its large tables hold their key columns (periods, village ids, category ids) coded: a pandas
categorical keeps each distinct text once and an integer code per row, so that the rules group
and join on integers without hashing 360,000 strings of a county again; their whole numbers are
32-bit where they fit. `Dataset.scores` and `Dataset.annual` give the same tables with text
columns and 64-bit numbers, made when first asked for (`as_text`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from generator.model import RuleVersion, Town, Village
from generator.periods import rule_month, year_of
from generator.problems import Problem
from generator.townwords import TownWords

EVENT_COLUMNS = ("period", "village_id", "event", "category", "value", "note", "file", "row")


@dataclass(frozen=True)
class PeriodFile:
    period: str
    path: str  # as messages name it: the scores folder as given, then the relative path
    categories: tuple[str, ...]  # category ids, in column order
    events_path: str | None = None
    relative: str = ""  # inside the scores folder, e.g. "2024/2024-03.csv"
    events_relative: str | None = None


@dataclass(frozen=True)
class Dataset:
    """Everything the rules need, validated."""

    prefix: str
    town: Town
    villages: tuple[Village, ...]
    periods: tuple[str, ...]
    period_files: dict[str, PeriodFile]
    annual_files: dict[str, PeriodFile]  # keyed by year; PeriodFile.period is the year
    # period, village_id, category (coded), cell (Int32 hundredths, <NA> = 未参评)
    score_cells: pd.DataFrame
    events: pd.DataFrame  # period, village_id, event, category, value, note, file, row
    annual_cells: pd.DataFrame  # year, village_id, category (coded), cell
    warnings: tuple[Problem, ...] = ()  # doubtful but valid input, shown to the office

    @cached_property
    def scores(self) -> pd.DataFrame:
        """period, village_id, category, cell: `score_cells` with text columns."""
        return as_text(self.score_cells)

    @cached_property
    def annual(self) -> pd.DataFrame:
        """year, village_id, category, cell: `annual_cells` with text columns."""
        return as_text(self.annual_cells)

    def village(self, village_id: str) -> Village:
        return next(v for v in self.villages if v.id == village_id)

    def rule_for(self, period: str) -> RuleVersion:
        rule = self.town.rule_for(rule_month(period))
        assert rule is not None, "validated by load()"
        return rule

    @property
    def words(self) -> TownWords:
        """The town's level and its members' word, for every text written about it."""
        return TownWords.of(self.town.town, self.town.kind, (v.name for v in self.villages))

    @property
    def years(self) -> tuple[str, ...]:
        return tuple(sorted({year_of(p) for p in self.periods} | set(self.annual_files)))

    def summary(self) -> str:
        span = f"（{self.periods[0]} 至 {self.periods[-1]}）" if self.periods else ""
        return (
            f"{self.town.town}，{len(self.town.grids)} 个网格，"
            f"{len(self.villages)} 个{self.words.member}，"
            f"{len(self.periods)} 个评比月份{span}，{len(self.events)} 条事件，"
            f"{len(self.annual_files)} 个年度评比"
        )


def coded(vocabulary, codes: np.ndarray, dtype: str = "string") -> pd.Series:
    """A text column as codes into `vocabulary` (distinct texts; code -1: missing)."""
    categories = pd.Index(vocabulary, dtype=dtype)
    return pd.Series(pd.Categorical.from_codes(codes, categories=categories))


def narrow(values: np.ndarray) -> np.ndarray:
    """Whole numbers in 32 bits where they all fit, else as they are: a county's columns in
    half the memory. `as_text` widens them again."""
    values = np.asarray(values)
    if len(values) == 0 or (values.min() >= -(2**31) and values.max() < 2**31):
        return values.astype(np.int32)
    return values


def as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame as the rest of flagboard reads it: coded columns as text, of the dtype of their
    vocabulary, and whole numbers in 64 bits."""
    wide = {pd.Int32Dtype(): pd.Int64Dtype(), np.dtype(np.int32): np.dtype(np.int64)}
    return frame.astype(
        {
            name: column.cat.categories.dtype
            if isinstance(column.dtype, pd.CategoricalDtype)
            else wide[column.dtype]
            for name, column in frame.items()
            if isinstance(column.dtype, pd.CategoricalDtype) or column.dtype in wide
        }
    )


def score_frame(parts: list, period_column: str, villages, categories) -> pd.DataFrame:
    """The cells of several files (scorefile.FileScores, in key order), one row per village and
    category; the files' village and category codes index the sorted `villages` and
    `categories`."""
    sizes = [part.hundredths.size for part in parts]
    period = np.repeat(np.arange(len(parts), dtype=_code_type(len(parts))), sizes)
    village = np.empty(sum(sizes), dtype=_code_type(len(villages)))
    category = np.empty(sum(sizes), dtype=_code_type(len(categories)))
    hundredths = np.empty(sum(sizes), dtype=np.int32)  # a valid score is at most 100,000
    missing = np.empty(sum(sizes), dtype=bool)
    start = 0
    for part, size in zip(parts, sizes, strict=True):  # a file at a time: never a copy of all
        rows, columns = part.hundredths.shape
        cells = slice(start, start + size)
        village[cells] = np.repeat(part.villages, columns)
        category[cells] = np.tile(part.category_codes, rows)
        hundredths[cells] = np.where(part.missing, 0, part.hundredths).ravel()
        missing[cells] = part.missing.ravel()
        start += size
    return pd.DataFrame(
        {
            period_column: coded([p.key for p in parts], period),
            "village_id": coded(villages, village),
            "category": coded(categories, category),
            "cell": pd.arrays.IntegerArray(hundredths, missing),
        },
        copy=False,
    )


def _code_type(distinct: int) -> np.dtype:
    """The integer type pandas keeps a categorical's codes in (then it need not copy them)."""
    return next(np.dtype(t) for t in (np.int8, np.int16, np.int32) if distinct < np.iinfo(t).max)


def event_frame(events: list) -> pd.DataFrame:
    """Events (eventfile.Event) as a table, in file and row order."""
    column = {k: [getattr(e, k) for e in events] for k in EVENT_COLUMNS}
    return pd.DataFrame(
        {
            **{
                k: pd.Series(column[k], dtype="string")
                for k in ("period", "village_id", "event", "category", "note", "file")
            },
            "value": pd.array(column["value"], dtype="Int64"),
            "row": pd.array(column["row"], dtype="Int64"),
        }
    )

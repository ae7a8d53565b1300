"""The validated data set: what the rules read. No I/O."""

from __future__ import annotations

from dataclasses import dataclass

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
    scores: pd.DataFrame  # period, village_id, category, cell (Int64 hundredths, <NA> = 未参评)
    events: pd.DataFrame  # period, village_id, event, category, value, note, file, row
    annual: pd.DataFrame  # year, village_id, category, cell
    warnings: tuple[Problem, ...] = ()  # doubtful but valid input, shown to the office

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


def score_frame(parts: list, period_column: str) -> pd.DataFrame:
    """The cells of several files (scorefile.FileScores), one row per village and category."""
    sizes = [len(part.hundredths) for part in parts]
    keys = np.repeat(np.array([part.key for part in parts], dtype=object), sizes)

    def joined(field: str, dtype) -> np.ndarray:
        arrays = [getattr(part, field) for part in parts]
        return np.concatenate(arrays) if arrays else np.array([], dtype=dtype)

    cells = pd.arrays.IntegerArray(joined("hundredths", np.int64), joined("missing", bool))
    return pd.DataFrame(
        {
            period_column: pd.Series(keys, dtype="string"),
            "village_id": pd.Series(joined("village_ids", object), dtype="string"),
            "category": pd.Series(joined("category_ids", object), dtype="string"),
            "cell": pd.Series(cells, dtype="Int64"),
        }
    )


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

"""The validated data set: what the rules read. No I/O."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from generator.model import RuleVersion, Town, Village
from generator.problems import Problem

SCORE_COLUMNS = ("village_id", "category", "cell")
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
        rule = self.town.rule_for(period if len(period) == 7 else f"{period}-12")
        assert rule is not None, "validated by load()"
        return rule

    @property
    def years(self) -> tuple[str, ...]:
        return tuple(sorted({p[:4] for p in self.periods} | set(self.annual_files)))

    def summary(self) -> str:
        span = f"({self.periods[0]} 至 {self.periods[-1]})" if self.periods else ""
        return (
            f"{self.town.town},{len(self.town.grids)} 个网格,{len(self.villages)} 个村,"
            f"{len(self.periods)} 个评比月份{span},{len(self.events)} 条事件,"
            f"{len(self.annual_files)} 个年度评比"
        )


def score_frame(frames: dict, period_column: str) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            period_column: pd.Series(frames[period_column], dtype="string"),
            "village_id": pd.Series(frames["village_id"], dtype="string"),
            "category": pd.Series(frames["category"], dtype="string"),
            "cell": pd.array(frames["cell"], dtype="Int64"),
        }
    )
    return frame


def event_frame(frames: dict) -> pd.DataFrame:
    return pd.DataFrame(
        {
            **{
                k: pd.Series(frames[k], dtype="string")
                for k in ("period", "village_id", "event", "category", "note", "file")
            },
            "value": pd.array(frames["value"], dtype="Int64"),
            "row": pd.array(frames["row"], dtype="Int64"),
        }
    )

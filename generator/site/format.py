"""URLs and number formats shared by the site's pages and files: small pure functions.

Periods are told apart and named by generator.periods, files named by generator.layout, and
points written by load.cells.format_points (the one number formatter): this module only puts
them into the site's URLs and texts.
"""

from __future__ import annotations

import functools
from datetime import datetime

from generator import labels
from generator.layout import annual_path, events_path, place, scores_path
from generator.load.cells import format_points
from generator.periods import month_number, year_of
from generator.routes import GRID, VILLAGE

CN_NUMBERS = "零一二三四五六七八九十"


def period_url(month: str) -> str:
    """'2024-03' → '2024/03/'."""
    return f"{year_of(month)}/{month_number(month):02d}/"


def year_url(year: str) -> str:
    return f"{year}/"


def village_url(village_id: str) -> str:
    return f"{VILLAGE}/{village_id}/"


def grid_url(grid_id: str) -> str:
    return f"{GRID}/{grid_id}/"


def cn_number(count: int) -> str:
    return CN_NUMBERS[count] if 0 <= count <= 10 else str(count)


@functools.lru_cache(maxsize=1 << 14)  # a county's pages show a few thousand distinct scores
def points(value: float | None) -> str:
    """Points as results.json has them (92.5, 90) → '92.5', '90'; None → '—'."""
    return "—" if value is None else format_points(round(value * 100))


@functools.lru_cache(maxsize=1 << 14)
def yuan(value) -> str:
    """5000 → '5,000'; negative amounts keep their sign."""
    return f"{int(value or 0):,}"


@functools.lru_cache(maxsize=1 << 14)
def signed_yuan(value) -> str:
    """1000 → '＋1,000', -1000 → '－1,000', 0 → '0': signs as labels.PLUS and MINUS."""
    value = int(value or 0)
    sign = labels.PLUS if value > 0 else labels.MINUS if value < 0 else ""
    return f"{sign}{abs(value):,}"


def cn_date(text: str | None) -> str:
    """An ISO date (or date-time) as a sentence writes it: '2025-08-08' → '2025年8月8日'."""
    if not text:
        return ""
    year, month, day = text[:10].split("-")
    return f"{int(year)}年{int(month)}月{int(day)}日"


# Where each kind of period file goes in the scores folder (docs/data-format.md §2).
PERIOD_FILES = {"scores": scores_path, "events": events_path, "annual": annual_path}


def data_path(file: str) -> str:
    """A period's file as results.json names it ('scores/2024/2024-03.csv') → its URL under
    /data/, where the scores folder's layout is kept ('data/scores/2024/2024-03.csv')."""
    placed = place(file.replace("\\", "/"))
    if placed is None:  # results.json names only the period files the loader accepted
        raise ValueError(f"not a period's file: {file}")
    return "data/scores/" + PERIOD_FILES[placed.kind](placed.key)


def default_period_date(month: str) -> str:
    """When no commit date is known: the first day after the month, 00:00 Beijing time."""
    year, number = int(year_of(month)), month_number(month)
    year, number = (year + 1, 1) if number == 12 else (year, number + 1)
    return f"{year:04d}-{number:02d}-01T00:00:00+08:00"


def latest(times: list[str]) -> str:
    """The latest of ISO 8601 times, compared as instants (commits carry their own offsets)."""
    return max(times, key=datetime.fromisoformat)

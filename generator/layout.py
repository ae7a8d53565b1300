"""The scores folder's layout (docs/data-format.md §2): what each file is, and where a period's
files go.

town.toml, villages.csv, YYYY/YYYY-MM.csv, YYYY/YYYY-MM.events.csv, YYYY/YYYY-annual.csv
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.periods import is_month, is_year, year_of

TOWN_FILE = "town.toml"
VILLAGES_FILE = "villages.csv"
SETTINGS_FILES = (TOWN_FILE, VILLAGES_FILE)
NAMING_HINT = "评分文件应命名为 YYYY/YYYY-MM.csv、YYYY/YYYY-MM.events.csv 或 YYYY/YYYY-annual.csv"

_SCORES_RE = re.compile(r"^(\d{4})-(\d{2})\.csv$")
_EVENTS_RE = re.compile(r"^(\d{4})-(\d{2})\.events\.csv$")
_ANNUAL_RE = re.compile(r"^(\d{4})-annual\.csv$")
# A month written another way: 2025-8, 2025.08, 2025_8, 2025年8月, 202508, 2025年08月份.
_LOOSE_MONTH_RE = re.compile(r"^(20\d{2})\s*(?:[-._/年]\s*(\d{1,2})|(\d{2}))\s*(?:月份?)?$")
_LOOSE_YEAR_RE = re.compile(
    r"^(20\d{2})\s*(?:[-._]?\s*(?:annual|年度|年度评分|年))$", re.IGNORECASE
)
_LOOSE_NAME_RE = re.compile(
    r"^(?P<key>.+?)(?P<events>[._-]?(?:events|事件表?))?\.(?P<ext>csv)$", re.IGNORECASE
)
# Files the loader leaves alone: hidden ones, READMEs and Markdown notes.
_IGNORED_RE = re.compile(r"(^|/)(\.|readme)|\.md$", re.IGNORECASE)


@dataclass(frozen=True)
class Placed:
    """A file named like a period's: its kind, its period key and the folder it sits in."""

    kind: str  # "scores" | "events" | "annual"
    key: str  # "YYYY-MM", or "YYYY" for annual; not yet checked to be a real period
    folder: str  # the folder it is in, relative to the scores folder ("" at the top)
    folder_year: str  # the year its name says, which should be its folder's name


def is_ignored(relative: str) -> bool:
    return bool(_IGNORED_RE.search(relative))


def place(relative: str) -> Placed | None:
    """What a path inside the scores folder holds, by its name; None if no period's file."""
    folder, _, name = relative.rpartition("/")
    for kind, pattern in (("scores", _SCORES_RE), ("events", _EVENTS_RE), ("annual", _ANNUAL_RE)):
        match = pattern.match(name)
        if match:
            return Placed(kind, "-".join(match.groups()), folder, match.group(1))
    return None


def scores_path(month: str) -> str:
    """'2024-03' → '2024/2024-03.csv'."""
    return f"{year_of(month)}/{month}.csv"


def events_path(month: str) -> str:
    """'2024-03' → '2024/2024-03.events.csv'."""
    return f"{year_of(month)}/{month}.events.csv"


def annual_path(year: str) -> str:
    """'2024' → '2024/2024-annual.csv'."""
    return f"{year}/{year}-annual.csv"


def events_of(scores_relative: str) -> str:
    """A scores file's events file, beside it: '2024/2024-03.csv' → '2024/2024-03.events.csv'."""
    return scores_relative[: -len(".csv")] + ".events.csv"


def month_meant(text: str) -> str | None:
    """The month a loosely written one means: '2025-8' → '2025-08'; None if none."""
    match = _LOOSE_MONTH_RE.match(text.strip())
    if not match:
        return None
    month = f"{match[1]}-{int(match[2] or match[3]):02d}"
    return month if is_month(month) else None


def name_meant(relative: str) -> str | None:
    """Where a misnamed period file belongs: '2025-8.csv' → '2025/2025-08.csv',
    '2025/2025年8月事件.csv' → '2025/2025-08.events.csv', '2024年度.csv' → '2024/2024-annual.csv';
    None when its name says no month or year."""
    name = relative.rpartition("/")[2]
    match = _LOOSE_NAME_RE.match(name)
    if not match:
        return None
    key, events = match["key"], bool(match["events"])
    month = month_meant(key)
    if month:
        meant = events_path(month) if events else scores_path(month)
    else:
        year = _LOOSE_YEAR_RE.match(key.strip())
        if not year or events or not is_year(year[1]):
            return None
        meant = annual_path(year[1])
    return meant if meant != relative else None

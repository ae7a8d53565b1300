"""The period key: a month `YYYY-MM` (a monthly period) or a year `YYYY` (the annual categories).

Results tables, pages and history all key periods by these strings; this module is the one
place that tells them apart and names them. Periods run from 2000-01 to 2099-12
(docs/data-format.md §2.1).
"""

from __future__ import annotations

import functools
import re

MONTH_RE = re.compile(r"^(20\d{2})-(0[1-9]|1[0-2])$")
YEAR_RE = re.compile(r"^20\d{2}$")


def is_month(key: str) -> bool:
    return bool(MONTH_RE.match(key))


def is_year(key: str) -> bool:
    return bool(YEAR_RE.match(key))


def year_of(key: str) -> str:
    """'2024-03' → '2024'; '2024' → '2024'."""
    return key[:4]


def month_number(key: str) -> int:
    """'2024-03' → 3."""
    return int(key[5:7])


def rule_month(key: str) -> str:
    """The month whose rule version applies: the month itself, or December for a year (§4)."""
    return key if is_month(key) else december(key)


def december(year: str) -> str:
    return f"{year}-12"


@functools.lru_cache(maxsize=4096)  # a county's pages ask for the same few hundred 70,000 times
def label(key: str) -> str:
    """'2024-03' → '2024年3月'; '2024' → '2024年'."""
    if is_month(key):
        return f"{year_of(key)}年{month_number(key)}月"
    return f"{key}年"

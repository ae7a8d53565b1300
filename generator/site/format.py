"""URLs and number formats shared by the site's pages and files: small pure functions."""

from __future__ import annotations

import functools
import re
from datetime import datetime

CN_NUMBERS = "零一二三四五六七八九十"


def period_url(period: str) -> str:
    return f"{period[:4]}/{period[5:7]}/"


def year_url(year: str) -> str:
    return f"{year}/"


def village_url(village_id: str) -> str:
    return f"village/{village_id}/"


def grid_url(grid_id: str) -> str:
    return f"grid/{grid_id}/"


def period_label(period: str) -> str:
    """'2024-05' → '2024年5月', '2024' → '2024年'."""
    if len(period) == 4:
        return f"{period}年"
    return f"{period[:4]}年{int(period[5:7])}月"


def cn_number(count: int) -> str:
    return CN_NUMBERS[count] if 0 <= count <= 10 else str(count)


@functools.lru_cache(maxsize=1 << 14)
def points(value) -> str:
    """92.5 → '92.5', 90 → '90', None → '—'."""
    if value is None:
        return "—"
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


@functools.lru_cache(maxsize=1 << 14)
def yuan(value) -> str:
    """5000 → '5,000'; negative amounts keep their sign."""
    return f"{int(value or 0):,}"


@functools.lru_cache(maxsize=1 << 14)
def signed_yuan(value) -> str:
    value = int(value or 0)
    return f"+{value:,}" if value > 0 else f"{value:,}".replace("-", "−")


def data_path(file: str) -> str:
    """A scores file as results.json names it → its URL under /data/ (prefix-independent)."""
    parts = file.replace("\\", "/").split("/")
    keep = parts[-2:] if len(parts) > 1 and re.fullmatch(r"\d{4}", parts[-2]) else parts[-1:]
    return "data/scores/" + "/".join(keep)


def default_period_date(period: str) -> str:
    """When no commit date is known: the first day after the month, 00:00 Beijing time."""
    year, month = int(period[:4]), int(period[5:7])
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return f"{year:04d}-{month:02d}-01T00:00:00+08:00"


def latest(times: list[str]) -> str:
    """The latest of ISO 8601 times, compared as instants (commits carry their own offsets)."""
    return max(times, key=datetime.fromisoformat)

"""Commit times as evidence (docs/data-format.md §2.1): read from each commit object's own
bytes, and doubted where they cannot be true. Pure: bytes and numbers in, records out.

A commit's time is what its committer's clock said; a clerk's PC with a wrong clock, a rebase or
a hand-made commit object can write any number git accepts, including times Python's datetime
cannot hold (year 10000, an offset of +99:99) and none at all. A time is doubtful when

- it is no time (unreadable, outside what a date can hold, an offset no zone has);
- it is after 2099;
- it is earlier than the month (or year) whose scores the commit publishes;
- it is earlier than the commit it follows, or later than a commit that follows it, in
  first-parent order (each commit against its first parent, whatever that commit changed).

A neighbour whose own time is no time or after 2099 is no evidence of order and is not compared.
A doubtful time is never used as a date of first publication or to count a 复议 deadline; the
site says why it is doubtful. Nothing here reads the clock of the machine that builds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

from generator.periods import is_year
from generator.periods import label as period_label

LAST_YEAR = 2099
# Offsets the world's zones use (UTC-12:00 … UTC+14:00); git accepts any four digits.
MAX_OFFSET = 14 * 60
_STAMP = re.compile(rb"([0-9]{1,20}) ([+-])([0-9]{2})([0-9]{2})")
_LAST_SECOND = int(datetime(LAST_YEAR + 1, 1, 1, tzinfo=UTC).timestamp()) + MAX_OFFSET * 60

NO_TIME = "不是有效的时间"
BAD_ZONE = "时区无效"
TOO_LATE = f"晚于{LAST_YEAR}年"


@dataclass(frozen=True)
class Stamp:
    """A commit time as git stored it: seconds since 1970 (UTC) and the committer's offset in
    minutes; either is None where the commit object holds no such number."""

    seconds: int | None
    offset: int | None

    def local(self) -> datetime | None:
        """The committer's wall-clock time, when it is a time before 2100 in a real zone."""
        if self.seconds is None or self.offset is None or self.seconds > _LAST_SECOND:
            return None
        zone = timezone(timedelta(minutes=self.offset))
        when = datetime.fromtimestamp(self.seconds, zone)
        return when if when.year <= LAST_YEAR else None

    def iso(self) -> str | None:
        """ISO 8601 with the committer's offset (as git's %cI writes it), or None."""
        when = self.local()
        return when.isoformat() if when else None

    def readable(self) -> bool:
        return self.local() is not None

    def problem(self) -> str | None:
        """Why this time is no evidence on its own, or None."""
        if self.seconds is None:
            return NO_TIME
        if self.offset is None:
            return BAD_ZONE
        if self.seconds > _LAST_SECOND or self.local() is None:
            return TOO_LATE
        return None


NONE = Stamp(None, None)


def stamp_of(ident: bytes) -> Stamp:
    """The time at the end of an author or committer line ("Name <mail> 1712282400 +0800")."""
    found = _STAMP.fullmatch(ident.rpartition(b">")[2].strip())
    if not found:
        return NONE
    seconds, sign, hours, minutes = found.groups()
    offset = int(hours) * 60 + int(minutes)
    valid = int(minutes) < 60 and offset <= MAX_OFFSET
    return Stamp(int(seconds), (-offset if sign == b"-" else offset) if valid else None)


@dataclass(frozen=True)
class Neighbour:
    """A commit around a data commit: its short hash and its time (None: no evidence)."""

    short: str
    seconds: int | None
    day: str | None  # the committer's own date, YYYY-MM-DD


def neighbour(full: str, stamp: Stamp) -> Neighbour:
    """A commit as evidence of order: only a readable time counts."""
    when = stamp.local()
    if when is None:
        return Neighbour(full[:7], None, None)
    return Neighbour(full[:7], stamp.seconds, when.date().isoformat())


def doubt(
    stamp: Stamp, periods: Iterable[str], before: Neighbour | None, after: Iterable[Neighbour]
) -> str | None:
    """Why a data commit's time is doubtful (reasons joined by ；), or None.

    `periods`: the months ("YYYY-MM") and years ("YYYY") whose files the commit wrote;
    `before`: its first parent; `after`: the commits whose first parent it is.
    """
    problem = stamp.problem()
    if problem:
        return problem
    when = stamp.local()
    reasons = [_early(when.date(), p) for p in sorted(set(periods))]
    if before and before.seconds is not None and stamp.seconds < before.seconds:
        reasons.append(f"早于它之前的提交 {before.short} 的时间 {before.day}")
    for later in after:
        if later.seconds is not None and stamp.seconds > later.seconds:
            reasons.append(f"晚于它之后的提交 {later.short} 的时间 {later.day}")
    found = [r for r in reasons if r]
    return "；".join(dict.fromkeys(found)) if found else None


def _early(day: date, period: str) -> str | None:
    """Scores published before their own month (or year) began."""
    year = int(period[:4])
    start = date(year, 1, 1) if is_year(period) else date(year, int(period[5:7]), 1)
    if day >= start:
        return None
    what = f"{period_label(period)}度评分" if is_year(period) else f"{period_label(period)}的评分"
    return f"早于{period_label(period)}，却公布了{what}"

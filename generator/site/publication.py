"""When a period was first published, and until when 复议 may be asked for: the one place every
page, poster and feed takes these from (docs/data-format.md §2.1, Git history is evidence).

The date is the committer time of the commit that first published the period, read from git by
history/ (never the clock of the machine that builds). A time history/clock.py found doubtful
is never given as that date nor used to count a deadline: the page says it is doubtful and
why. No I/O.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.history.records import Commit
    from generator.site.revisions import SiteHistory

DOUBT = "提交时间存疑"


def first_publication(history: SiteHistory, period: str) -> dict:
    """{"datetime": the ISO time of the period's first publication, or None; "doubt": why its
    commit's time cannot be that date (a sentence), or None}."""
    return {
        "datetime": history.period_dates.get(period),
        "doubt": history.period_doubts.get(period),
    }


def publication(first: dict, notice: dict) -> dict:
    """A period's first publication (`first`: first_publication) as pages say it, and, when
    the town gives review_days, the 复议 sentence with its last day when that can be counted."""
    when, doubt = first.get("datetime"), first.get("doubt")
    found = {"date": None, "datetime": when, "label": None, "review": None, "doubt": doubt}
    day = date.fromisoformat(when[:10]) if when else None
    if day:
        found |= {"date": day.isoformat(), "label": chinese_date(day)}
    days, to = notice.get("review_days"), notice.get("contact") or notice.get("issuer")
    if days and to:
        until = f"（截至{chinese_date(day + timedelta(days=days))}）" if day else ""
        found["review"] = f"如有异议，请于首次公布后{days}日内{until}向{to}申请复议。"
    return found


def publication_doubt(reason: str) -> str:
    """The sentence a page gives for a first publication whose commit time is doubtful."""
    return f"{DOUBT}（{reason}），不作为首次公布时间"


def commit_doubt(commit: Commit) -> str:
    """The note beside a commit whose time is doubtful (revisions, /history/)."""
    recorded = f"记为{commit.date[:16].replace('T', ' ')}；" if commit.date else ""
    return f"{DOUBT}（{recorded}{commit.doubt}），不作为公布或更正的时间。"


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"

"""Results a correction changed, village by village (issue 19 #3): a 复议 correction of one
village's scores can give another village of its grid a flag, money or an action it did not
have when the period was first published. That village learns it where it looks — its row on
the period page, its village page and its 当前状态 — with the date of the correction, what it
was before, and its own 复议 deadline counted from the correction (publication.py).

`changed_villages` turns history's outcome changes into plain data for SiteHistory (it is
pickled); the rest reads that data for a page. Pure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from generator.periods import is_year, label
from generator.site.format import period_url, year_url
from generator.site.publication import chinese_date, correction_review


def changed_villages(
    corrections: Iterable[tuple[str, Iterable]], dates: dict[str, str], public: Callable
) -> dict[str, list[dict]]:
    """{village id: [{"period", "by", "datetime", "what"}]}: each result of `period` that the
    corrections of period `by` changed, as '和美家园建设：无 → 红旗' (`public` cleans a line);
    `dates[by]` the time of `by`'s last correction (absent when doubtful)."""
    found: dict[str, list[dict]] = {}
    for by, changes in corrections:
        for change in changes:
            what = public(change.text[len(change.village) :].strip())
            found.setdefault(change.village_id, []).append(
                {"period": change.period, "by": by, "datetime": dates.get(by), "what": what}
            )
    return found


def village_changes(
    changed: dict[str, list[dict]], village_id: str, notice: dict, period: str | None = None
) -> list[dict]:
    """The village's changed results (of `period` only, when given), one entry per changed
    period and correction: {"period", "by", "date", "datetime", "what": [...], "review"}."""
    groups: dict[tuple[str, str], dict] = {}
    for c in changed.get(village_id, []):
        if period is not None and c["period"] != period:
            continue
        key = (c["period"], c["by"])
        if key not in groups:
            when = c["datetime"]
            day = date.fromisoformat(when[:10]) if when else None
            groups[key] = {
                "period": c["period"],
                "period_label": label(c["period"]),
                "url": (year_url if is_year(c["period"]) else period_url)(c["period"]),
                "by": c["by"],
                "by_label": label(c["by"]),
                "date": chinese_date(day) if day else None,
                "datetime": when,
                "what": [],
                "review": correction_review(day, notice),
            }
        groups[key]["what"].append(c["what"])
    return sorted(groups.values(), key=lambda g: (g["period"], g["by"]), reverse=True)


def period_changes(changed: dict[str, list[dict]], period: str, notice: dict) -> dict:
    """{village id: its changed results of `period`} for the period page's rows."""
    return {
        village_id: found
        for village_id in sorted(changed)
        if (found := village_changes(changed, village_id, notice, period))
    }

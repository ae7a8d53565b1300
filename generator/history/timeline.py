"""What each corrected period's corrections changed in the results, found in commit order.

Per corrected period: its files as first published (read from git here), the other periods as
the corrections found them (`_Timeline`: commit order, parents before children, never dates),
and the rules recomputed with them by outcomes.py (pure), split across cores by year so that
the periods of one year share today's results. A corrected period is compared against today's
working tree; another period counts as changed only if it was published before the correction.
"""

from __future__ import annotations

from dataclasses import replace

from generator import forked
from generator.history import (
    outcomes as outcome_rules,  # looked up at call time: a test widens the window
)
from generator.history.blobs import BlobStore
from generator.history.changes import file_role
from generator.history.outcomes import Outcomes, PeriodOutcomes, Published
from generator.history.rawlog import Entry
from generator.history.records import Commit, PeriodHistory
from generator.layout import events_of
from generator.periods import year_of


def with_outcomes(
    store: BlobStore,
    entries: list[Entry],
    current: dict[str, bytes],
    periods: dict[str, PeriodHistory],
) -> dict[str, PeriodHistory]:
    """Each corrected period with what its corrections changed in the results.

    The files each comparison needs are read from git here; recomputing the rules with them is
    pure and split across cores by year, so the periods of one year share today's results.
    """
    timeline = _Timeline(entries, periods)
    firsts = {
        key: first
        for key, history in periods.items()
        if history.corrected
        and history.path
        and (first := _first_files(store, history)) is not None
    }
    seen = {key: timeline.published(store, periods[key], firsts[key], current) for key in firsts}
    years: dict[str, list[str]] = {}
    for key in firsts:
        years.setdefault(year_of(periods[key].period), []).append(key)
    outcomes = Outcomes(current, window=outcome_rules.window)

    def compare(groups: list[list[str]]) -> list[list]:
        return [
            [outcomes.changed_by(periods[k].period, firsts[k], seen[k]) for k in g] for g in groups
        ]

    groups = list(years.values())
    done = forked.map_split(compare, groups, forked.cores())
    found = dict(zip([k for g in groups for k in g], [o for g in done for o in g], strict=True))
    return {
        key: _with(history, found[key]) if key in found else history
        for key, history in periods.items()
    }


def _with(history: PeriodHistory, found: PeriodOutcomes) -> PeriodHistory:
    return replace(history, outcome=found.outcome, later=found.later, outcome_note=found.note)


class _Timeline:
    """Commit order (the log's, parents before children; never dates) and first publications.

    A year ("YYYY") was first published with the first of its files; the working tree's
    uncommitted changes come after every commit.
    """

    def __init__(self, entries: list[Entry], periods: dict[str, PeriodHistory]):
        self.position = {e.commit.hash: i for i, e in enumerate(entries)}
        self.first = {k: h.revisions[0].commit for k, h in periods.items() if h.revisions}
        for key, commit in sorted(self.first.items(), key=lambda i: self.at(i[1]), reverse=True):
            self.first[year_of(key)] = commit  # the earliest one of the year is written last

    def at(self, commit: Commit) -> int:
        return self.position[commit.hash]

    def published(
        self, store: BlobStore, history: PeriodHistory, first: dict, current: dict[str, bytes]
    ) -> Published:
        """The other periods as `history`'s corrections found them (see `Published`)."""
        fixes = [self.at(r.commit) for r in history.revisions[1:] if r.changed]
        last = max(fixes, default=len(self.position))
        now = {p: d for p, d in current.items() if file_role(p)[0] == history.period}
        year = int(year_of(history.period))
        before = {}
        for key, commit in self.first.items():
            if (
                key == history.period
                or abs(int(year_of(key)) - year) > 1
                or self.at(commit) >= last
            ):
                continue
            files = _files_at(store, history, commit) or first
            if files != now:
                before[key] = files
        after = {k for k, c in self.first.items() if self.at(c) >= last}
        return Published(before, frozenset(after - {history.period}))


def _scores_paths(history: PeriodHistory) -> list[str]:
    """Every path the period's scores file had, newest first."""
    paths = [
        path
        for revision in history.revisions
        for f in revision.files
        for path in (f.path, f.old_path)
        if path and file_role(path) == (history.period, "scores")
    ]
    return list(dict.fromkeys(reversed(paths)))


def _files_at(store: BlobStore, history: PeriodHistory, commit: Commit) -> dict[str, bytes] | None:
    """The period's files in a commit, or None when it had none then."""
    rev = "" if commit.uncommitted else commit.hash
    path = next((p for p in _scores_paths(history) if store.at(rev, p)), None)
    return _read_files(store, history, rev, path) if path else None


def _first_files(store: BlobStore, history: PeriodHistory) -> dict[str, bytes] | None:
    """The period's scores and events files as first published."""
    for revision in history.revisions:
        path = next(
            (
                f.path
                for f in revision.files
                if file_role(f.path) == (history.period, "scores") and f.status != "deleted"
            ),
            None,
        )
        if path:
            rev = "" if revision.commit.uncommitted else revision.commit.hash
            return _read_files(store, history, rev, path)
    return None


def _read_files(store: BlobStore, history: PeriodHistory, rev: str, path: str) -> dict[str, bytes]:
    """A period's scores file at `path` in `rev` and its events file, under their current names."""
    files = {history.path: store.blob(store.at(rev, path))}
    events_blob = store.at(rev, events_of(path))
    if events_blob:
        files[events_of(history.path)] = store.blob(events_blob)
    return files

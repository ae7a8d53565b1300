"""Per period (a month's scores and events files, a year's annual file): the commits that
touched its files, in commit order, and what each changed.

Each revision is compared with the names (villages.csv, town.toml) of its own commit. Lines
present in both versions are skipped before parsing, which keeps a correction's cost to the
lines it touched. The first revision is the period's first publication: it changes nothing.
Blobs come from blobs.py; the comparison itself is changes.py's, without git.
"""

from __future__ import annotations

from dataclasses import replace

from generator.history import (
    changes as change_rules,  # looked up at call time: a test swaps changed_lines
)
from generator.history.blobs import BlobStore
from generator.history.changes import (
    Names,
    Sheet,
    event_changes,
    file_kind,
    read_events,
    read_names,
    read_sheet,
    sheet_changes,
)
from generator.history.rawlog import Change, Entry
from generator.history.records import FileHistory, PeriodHistory, PeriodRevision
from generator.periods import is_year


class PeriodRevisions:
    """Per period: the commits that touched its files and what each changed."""

    def __init__(self, store: BlobStore, entries: list[Entry], files: list[FileHistory]):
        self.store = store
        self.entries = entries
        self.files = files

    def build(self) -> dict[str, PeriodHistory]:
        touched: dict[str, list[tuple[Entry, list[Change]]]] = {}
        for entry in self.entries:
            mine: dict[str, list[Change]] = {}
            for change in entry.changes:
                kind, period = file_kind(change.path)
                if kind in ("period", "events", "annual"):
                    mine.setdefault(period, []).append(change)
            for period, changes in mine.items():
                touched.setdefault(period, []).append((entry, changes))
        return {period: self._period(period, touched[period]) for period in sorted(touched)}

    def _period(self, period: str, touched: list[tuple[Entry, list[Change]]]) -> PeriodHistory:
        annual = is_year(period)
        kind = "annual" if annual else "period"
        last: dict[str, str | None] = {}  # kind → last known blob, through deletions
        revisions: list[PeriodRevision] = []
        for entry, changes in touched:
            revisions.append(self._revision(entry, changes, last, not revisions, annual))
            if len(revisions) == 1:
                first = dict(last)
        current = next(
            (f.path for f in self.files if (f.period, f.kind) == (period, kind) and not f.deleted),
            None,
        )
        found = PeriodHistory(period, kind, current, tuple(revisions))
        if found.corrected:
            ends = (touched[0][0], touched[-1][0])
            found = replace(found, restored=self._restored(ends, first, last, annual))
        return found

    def _restored(self, ends: tuple[Entry, Entry], first: dict, last: dict, annual: bool) -> bool:
        """Whether the period's files say again what they said when first published: every
        correction since undone (reverted, merged away, or the old values typed back)."""
        if first == last:
            return True
        names = tuple(self._names("" if e.commit.uncommitted else e.commit.hash) for e in ends)
        sides = {kind: (first.get(kind), last.get(kind)) for kind in {*first, *last}}
        parts, notes = self._compare(sides, names, annual)
        return not notes and not any(parts.values())

    def _revision(
        self, entry: Entry, changes: list[Change], last: dict, first: bool, annual: bool
    ) -> PeriodRevision:
        sides = {}
        for change in sorted(changes, key=lambda c: c.new_blob is not None):
            kind = file_kind(change.path)[0]
            old = change.old_blob or sides.get(kind, (None,))[0] or last.get(kind)
            sides[kind] = (old, change.new_blob)
            last[kind] = change.new_blob or old
        parts, notes = ({}, []) if first else self._diff(entry, sides, annual)
        if not first and not any(parts.values()) and not notes:
            notes = ["内容没有变化（只是重新保存或更换了编码/行序）"]
        return PeriodRevision(
            entry.commit, tuple(c.public() for c in changes), first, notes=tuple(notes), **parts
        )

    def _diff(self, entry: Entry, sides: dict, annual: bool) -> tuple[dict, list[str]]:
        """The changes of one revision, each side named as of its own commit."""
        names = (
            self._names(entry.parent),
            self._names("" if entry.commit.uncommitted else entry.commit.hash),
        )
        return self._compare(sides, names, annual)

    def _compare(self, sides: dict, names: tuple, annual: bool) -> tuple[dict, list[str]]:
        """What changed from the old to the new blob of each of the period's files."""
        parts: dict = {}
        notes: list[str] = []
        scores = sides.get("annual" if annual else "period")
        if scores:
            self._score_diff(scores, names, parts, notes)
        events = sides.get("events")
        if events and not annual:
            old, new = (self._events(b, n) for b, n in zip(events, names, strict=True))
            if events[1] is None and events[0]:
                notes.append("事件文件被删除")
            parts["events"] = event_changes(old or [], new or [], names[1])
        return parts, notes

    def _score_diff(self, blobs: tuple, names: tuple, parts: dict, notes: list[str]) -> None:
        old, new = self._sheets(blobs, *names)
        if blobs[1] is None:
            notes.append("评分文件被删除")
        elif old and new:
            parts.update(sheet_changes(old, new, names[1]))
        elif blobs[0]:
            notes.append("文件无法读取，无法比较")

    def _sheets(self, blobs: tuple, old_names: Names, new_names: Names) -> tuple:
        """Both sides of a scores file; only the lines that differ when that is safe."""
        old_blob, new_blob = blobs
        if old_blob and new_blob and old_names.key == new_names.key:
            lines = change_rules.changed_lines(self.store.blob(old_blob), self.store.blob(new_blob))
            if lines:
                return read_sheet(lines[0], new_names), read_sheet(lines[1], new_names)
        return self._sheet(old_blob, old_names), self._sheet(new_blob, new_names)

    def _names(self, rev: str | None) -> Names:
        """Names as of a commit ("" = the working tree), read once per pair of blobs."""
        blobs = (self.store.at(rev, "villages.csv"), self.store.at(rev, "town.toml"))
        data = (self.store.blob(b) if b else None for b in blobs)
        return self.store.memo(("names", *blobs), lambda: read_names(*data, key=blobs))

    def _sheet(self, blob: str | None, names: Names) -> Sheet | None:
        if blob is None:
            return None
        return self.store.memo(
            ("sheet", blob, names.key), lambda: read_sheet(self.store.blob(blob), names)
        )

    def _events(self, blob: str | None, names: Names) -> list[tuple] | None:
        if blob is None:
            return None
        return self.store.memo(
            ("events", blob, names.key), lambda: read_events(self.store.blob(blob), names)
        )

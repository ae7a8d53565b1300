"""The records of the scores folder's history that the rest of flagboard reads: commits, each
file's revisions, each period's revisions and what they changed, the data version.

Plain frozen dataclasses, no I/O; `gitlog.collect_history` fills them. Dates are committer
dates (when the change entered the record), ISO 8601 with the committer's own offset;
`authored` keeps the author date. Short hashes are 7 characters, fixed, so the same commit
always renders the same.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from generator.history.changes import CellChange, ColumnChange, EventChange, RowChange
from generator.history.outcomes import OutcomeChange

UNCOMMITTED = "未提交"
NO_DAY = "时间不明"  # a commit whose time is no time (see clock.py)


@dataclass(frozen=True)
class FileChange:
    """One file of the scores folder changed by one commit (paths inside the scores folder)."""

    status: str  # "added" | "modified" | "deleted" | "renamed"
    path: str
    old_path: str | None = None  # renamed from


@dataclass(frozen=True)
class Commit:
    """A commit that changed data, or the working tree's uncommitted changes (hash "")."""

    hash: str
    short: str
    date: str | None  # committer date, ISO 8601 with offset; None: uncommitted, or no time
    authored: str | None
    author: str  # as the .mailmap of the commit's own tree named them (see mailmap.py)
    message: str
    files: tuple[FileChange, ...] = ()
    uncommitted: bool = False
    doubt: str | None = None  # Chinese: why the commit's time is doubtful (see clock.py)
    renamed: str | None = None  # the author's name in today's .mailmap, when it differs

    @property
    def subject(self) -> str:
        return self.message.split("\n", 1)[0]

    @property
    def day(self) -> str:
        if self.uncommitted:
            return UNCOMMITTED
        return self.date[:10] if self.date else NO_DAY


@dataclass(frozen=True)
class Revision:
    """One file's state after one commit; `blob` is None when the commit deleted it."""

    commit: Commit
    status: str
    path: str
    old_path: str | None
    blob: str | None


@dataclass(frozen=True)
class FileHistory:
    """A file's revisions, oldest first, followed through renames; keyed by its last path."""

    path: str
    kind: str  # "town" | "villages" | "period" | "events" | "annual" | "other"
    period: str | None  # "YYYY-MM" (period, events) or "YYYY" (annual)
    revisions: tuple[Revision, ...]

    @property
    def deleted(self) -> bool:
        return self.revisions[-1].blob is None


@dataclass(frozen=True)
class PeriodRevision:
    """One commit that touched a period's files (scores, events) and what it changed."""

    commit: Commit
    files: tuple[FileChange, ...]
    first: bool  # the period's first published revision
    cells: tuple[CellChange, ...] = ()
    rows: tuple[RowChange, ...] = ()
    columns: tuple[ColumnChange, ...] = ()
    events: tuple[EventChange, ...] = ()
    notes: tuple[str, ...] = ()  # Chinese: file deleted, unreadable, content unchanged

    @property
    def changed(self) -> bool:
        return bool(self.cells or self.rows or self.columns or self.events)

    @property
    def lines(self) -> list[str]:
        items = (*self.columns, *self.rows, *self.cells, *self.events)
        return [*self.notes, *(item.text for item in items)]


@dataclass(frozen=True)
class PeriodHistory:
    """A period's ("YYYY-MM") or a year's annual file's ("YYYY") revisions and changes."""

    period: str
    kind: str  # "period" | "annual"
    path: str | None  # current scores file inside the scores folder; None when deleted
    revisions: tuple[PeriodRevision, ...]
    outcome: tuple[OutcomeChange, ...] = ()  # this period's results: first published → now
    later: tuple[OutcomeChange, ...] = ()  # other periods' results changed by the correction
    outcome_note: str | None = None  # Chinese: why outcomes could not be compared
    restored: bool = False  # corrected, and every correction since undone

    @property
    def corrected(self) -> bool:
        return any(r.changed for r in self.revisions[1:])

    @property
    def changed_cells(self) -> frozenset[tuple[str, str]]:
        """(village id, category id) of every cell changed after the first publication."""
        return frozenset((c.village_id, c.category) for r in self.revisions[1:] for c in r.cells)


@dataclass(frozen=True)
class DataVersion:
    short: str  # 7-character hash, or 未提交
    hash: str  # full hash of the newest commit that changed the scores folder ("" if none)
    date: str | None  # its committer date, ISO 8601
    uncommitted: bool = False
    doubt: str | None = None  # Chinese: why its time is doubtful (see clock.py)

    @property
    def label(self) -> str:
        if self.uncommitted:
            base = f"，基于 {self.hash[:7]}" if self.hash else ""
            return f"{UNCOMMITTED}的修改{base}"
        if self.doubt:
            return f"{self.short} · 时间存疑"
        return f"{self.short} · {self.date[:10]}" if self.date else self.short


@dataclass(frozen=True)
class History:
    available: bool
    shallow: bool = False
    note: str | None = None  # Chinese: why unavailable, or that the history is incomplete
    version: DataVersion | None = None
    commits: tuple[Commit, ...] = ()  # data commits, newest first (uncommitted first of all)
    files: tuple[FileHistory, ...] = ()  # sorted by path
    periods: dict[str, PeriodHistory] = field(default_factory=dict)  # sorted by period

    def file(self, path: str) -> FileHistory | None:
        return next((f for f in self.files if f.path == path and not f.deleted), None)

    def as_dict(self) -> dict:
        return asdict(self)

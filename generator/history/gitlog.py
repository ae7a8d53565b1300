"""Provenance from git: every scores file's revisions, their cell-level changes, changed outcomes.

The only module that imports git; `changes` compares two versions of a period's files and
`outcomes` recomputes the rules, both without git. How the history is read:

- One `git log --raw -M -c --full-history` walk over the scores folder gives every commit that
  changed a data file, with the old and new blob of each file. Blobs are then read through
  GitPython's persistent `git cat-file` processes, each at most once.
- The history starts with the town's own data: in first-parent history, the first commit that
  set town.toml's current `town = "…"` (the working tree's, else HEAD's). A fork of another
  town's repository thus lists none of that town's commits: the walk is limited to the start's
  descendants (`--ancestry-path`), the start reads as adding every file it holds (a number
  from before it is explained by it), and a merge with a parent from before the start (upstream's
  newer version) is read against its first parent only, so one whose scores folder was restored
  changes nothing and one that took upstream files shows them as its own. A town named so
  since its first commit is read whole. Renaming the town (乡 → 镇) moves the start too.
- Every commit that changed a file is shown, branch commits included, so a correction keeps
  its own author and message. A merge is a revision only where its result differs from every
  parent (a conflict resolved by hand); a clean merge changes nothing new and is not listed.
  A merge's changes are shown against its first parent (the branch merged into).
- Dates are committer dates (when the change entered the record), ISO 8601 with the
  committer's own offset; `authored` keeps the author date. Short hashes are 7 characters,
  fixed, so the same commit always renders the same.
- A shallow clone is read as far as it goes and flagged; uncommitted changes in the scores
  folder become a last pseudo-revision marked 未提交; a folder outside any git repository
  gives `History(available=False)`, never an exception.
- Each revision is compared with the names (villages.csv, town.toml) of its own commit. Lines
  present in both versions are skipped before parsing, which keeps a correction's cost to the
  lines it touched.
- Authors and messages are read from each commit object's own bytes: UTF-8, else the
  encoding its header declares, else GB18030 (GBK written by an old client without a header);
  control and format characters (NUL, ESC, bidi overrides) are removed.
- Order is commit order (the log's, parents before children), never dates: a clerk's PC with
  a wrong clock or a rewritten history can date a child before its parent.
- Outcomes: a corrected period's first published files against today's working tree; another
  period counts as changed only if it was published before the correction (see outcomes.py).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import git

from generator import forked
from generator.history import (
    changes as change_rules,  # looked up at call time: a test swaps changed_lines
)
from generator.history import outcomes as outcome_rules  # likewise: a test widens the window
from generator.history.changes import (
    CellChange,
    ColumnChange,
    EventChange,
    EventRecord,
    Names,
    RowChange,
    Sheet,
    clean_text,
    decode_text,
    event_changes,
    file_kind,
    file_role,
    read_events,
    read_names,
    read_sheet,
    sheet_changes,
    town_name,
)
from generator.history.outcomes import OutcomeChange, Outcomes, PeriodOutcomes, Published
from generator.layout import TOWN_FILE, events_of, is_ignored
from generator.load.cells import MAX_CSV_BYTES
from generator.periods import is_year, year_of

__all__ = [
    "UNCOMMITTED",
    "CellChange",
    "ColumnChange",
    "Commit",
    "DataVersion",
    "EventChange",
    "EventRecord",
    "FileChange",
    "FileHistory",
    "History",
    "OutcomeChange",
    "PeriodHistory",
    "PeriodRevision",
    "RefUnavailable",
    "Revision",
    "RowChange",
    "collect_history",
    "folder_at",
    "repo_root_of",
]

UNCOMMITTED = "未提交"
_ZERO = "0" * 40
# %an and %aN last: the author as written and as the repository's .mailmap names them.
_FORMAT = "%x1e%H%x1f%P%x1f%cI%x1f%aI%x1f%an%x1f%aN"
_STATUS = {
    "A": "added",
    "C": "added",
    "M": "modified",
    "T": "modified",
    "D": "deleted",
    "R": "renamed",
}


# -- public records ------------------------------------------------------------------------------


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
    date: str | None  # committer date, ISO 8601 with offset; None when uncommitted
    authored: str | None
    author: str
    message: str
    files: tuple[FileChange, ...] = ()
    uncommitted: bool = False

    @property
    def subject(self) -> str:
        return self.message.split("\n", 1)[0]

    @property
    def day(self) -> str:
        return self.date[:10] if self.date else UNCOMMITTED


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

    @property
    def label(self) -> str:
        if self.uncommitted:
            base = f"，基于 {self.hash[:7]}" if self.hash else ""
            return f"{UNCOMMITTED}的修改{base}"
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


def collect_history(repo_root: Path, scores_dir: Path, *, outcomes: bool = True) -> History:
    """Read the scores folder's history from git; `scores_dir` may be relative to repo_root."""
    repo_root = Path(repo_root)
    scores_dir = scores_dir if Path(scores_dir).is_absolute() else repo_root / scores_dir
    try:
        repo = git.Repo(repo_root)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return History(available=False, note="不是 Git 仓库，没有修订记录")
    try:
        return _Reader(repo, Path(scores_dir)).history(outcomes)
    except _Unavailable as error:
        return History(available=False, note=str(error))
    except git.CommandError as error:  # e.g. "dubious ownership", a damaged repository
        detail = (error.stderr or "").strip().splitlines()[-1:] or [type(error).__name__]
        return History(available=False, note=f"无法读取 Git 历史：{detail[0]}")
    finally:
        repo.close()


def repo_root_of(scores_dir: Path) -> Path | None:
    """The top folder of the git repository holding `scores_dir`, or None."""
    try:
        with git.Repo(scores_dir, search_parent_directories=True) as repo:
            return Path(repo.working_tree_dir) if repo.working_tree_dir else None
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None


class _Unavailable(Exception):
    pass


# -- reading git ---------------------------------------------------------------------------------


@dataclass
class _Change:
    """One file changed by one commit, with its old and new blob (None: absent)."""

    status: str
    path: str
    old_path: str | None
    old_blob: str | None
    new_blob: str | None

    def public(self) -> FileChange:
        return FileChange(self.status, self.path, self.old_path)


@dataclass
class _Entry:
    commit: Commit
    parent: str | None  # first parent ("" for the working tree: HEAD)
    changes: list[_Change]


class _Reader:
    """One repository's scores folder: the log walk, the working tree, the data version."""

    def __init__(self, repo: git.Repo, scores_dir: Path):
        root = Path(repo.working_tree_dir or "").resolve()
        try:
            relative = scores_dir.resolve().relative_to(root).as_posix()
        except ValueError:
            raise _Unavailable("评分数据文件夹不在 Git 仓库中，没有修订记录") from None
        self.repo = repo
        self.root = root
        self.prefix = "" if relative == "." else relative + "/"
        self.pathspec = relative
        self.town_path = self.prefix + TOWN_FILE
        self.scores_dir = scores_dir
        self.store = _Store(repo, self.prefix, scores_dir)

    def history(self, outcomes: bool) -> History:
        entries = self._log()
        worktree = self._worktree()
        if worktree:
            entries.append(worktree)
        files = _follow(entries)
        periods = _Periods(self.store, entries, files).build()
        if outcomes:
            periods = _with_outcomes(self.store, entries, self._current_files(), periods)
        shallow = self.repo.git.rev_parse("--is-shallow-repository").strip() == "true"
        note = (
            "历史不完整：这是浅克隆（shallow clone），只含最近的提交；"
            "请获取完整历史后再生成（CI 中设置 fetch-depth: 0）"
            if shallow
            else None
        )
        return History(
            available=True,
            shallow=shallow,
            note=note,
            version=self._version(worktree is not None),
            commits=tuple(e.commit for e in reversed(entries)),
            files=tuple(sorted(files, key=lambda f: (f.path, not f.deleted))),
            periods=dict(sorted(periods.items())),
        )

    def _log(self) -> list[_Entry]:
        if not self.repo.head.is_valid():
            return []  # no commit yet
        start = self._start()
        out = self.repo.git.log(
            "--raw",
            "--no-abbrev",
            "-z",
            "-M",
            "-c",
            "--full-history",
            "--date-order",
            "--reverse",
            f"--format={_FORMAT}",
            *(["--ancestry-path", f"{start}..HEAD"] if start else ["HEAD"]),
            "--",
            self.pathspec,
            stdout_as_string=False,
        )
        entries = [self._start_entry(start)] if start else []
        own = _Descendants(self.repo, start) if start else None
        for head, raw in _records(out):
            changes = _parse_raw(raw, self.prefix)
            if own and own.foreign_merge(head):
                changes = self._first_parent_changes(head)
            if changes:
                entries.append(self._entry(head, changes))
        return entries

    def _start(self) -> str | None:
        """The commit this town's data starts with, when commits came before it (a fork of
        another town's repository): in first-parent history, the first that set town.toml's
        current `town = "…"` (the working tree's, else HEAD's). None: read every commit."""
        out = self.repo.git.log(
            "--first-parent", "--reverse", "--format=%H %P", "HEAD", "--", self.town_path
        )
        commits = [line.split() for line in out.splitlines() if line.strip()]
        named = {c[0]: town_name(self._town_at(c[0])) for c in commits}
        for name in (town_name(self._town_at("")), town_name(self._town_at("HEAD"))):
            found = next((c for c in commits if name and named[c[0]] == name), None)
            if found:
                return found[0] if len(found) > 1 else None  # a root needs no cut
        return None

    def _town_at(self, rev: str) -> bytes | None:
        blob = self.store.at(rev, TOWN_FILE)
        return self.store.blob(blob) if blob else None

    def _start_entry(self, start: str) -> _Entry:
        """The start commit as if it were the first: every scores file it holds is added by
        it, so each number older than the town's own history is explained by this commit."""
        listing = self.repo.git.ls_tree(
            "-r", "-z", "--full-tree", start, "--", self.pathspec, stdout_as_string=False
        )
        changes = []
        for record in listing.split(b"\0"):
            meta, _, path = record.partition(b"\t")
            mode, kind, sha = meta.decode().split(" ") if meta else ("", "", "")
            name = path.decode("utf-8", "replace")
            change = _change("A", _ZERO, sha, [name], self.prefix) if kind == "blob" else None
            if change:
                changes.append(change)
        head = self.repo.git.log("-1", f"--format={_FORMAT}", start, stdout_as_string=False)
        entry = self._entry(head.strip(b"\n").lstrip(b"\x1e"), changes)
        entry.parent = None  # compared with nothing: what came before is another town's
        return entry

    def _first_parent_changes(self, head: bytes) -> list[_Change]:
        """A merge of another town's commits (a fork taking upstream's new version), read
        against the town's own side: whatever it took from upstream shows as its change."""
        full, parents = head.decode("ascii", "replace").split("\x1f")[:2]
        out = self.repo.git.diff_tree(
            "-r",
            "-z",
            "--raw",
            "--no-abbrev",
            "-M",
            parents.split()[0],
            full,
            "--",
            self.pathspec,
            stdout_as_string=False,
        )
        tokens = [t.decode("utf-8", "replace") for t in out.split(b"\0")]
        return _parse_raw(tokens, self.prefix)

    def _entry(self, head: bytes, changes: list[_Change]) -> _Entry:
        """A data commit; its author and message come from the commit object's own bytes,
        the author renamed where the repository's .mailmap says so."""
        *fields, names = head.split(b"\x1f", 4)
        full, parents, date, authored = (f.decode("ascii", "replace") for f in fields)
        author, message = commit_text(self.store.git.get_object_data(full)[3])
        author = mailmapped(author, names)
        commit = Commit(
            full, full[:7], date, authored, author, message, tuple(c.public() for c in changes)
        )
        return _Entry(commit, parents.split()[0] if parents.split() else None, changes)

    def _worktree(self) -> _Entry | None:
        out = self.repo.git.status(
            "--porcelain",
            "-z",
            "--untracked-files=all",
            "--",
            self.pathspec,
            stdout_as_string=False,
            env={"GIT_OPTIONAL_LOCKS": "0"},
        )
        changes = []
        items = iter(out.decode("utf-8", "replace").split("\0"))
        for item in items:
            if len(item) < 4:
                continue
            code, path = item[:2], item[3:]
            old = next(items) if "R" in code or "C" in code else None
            change = self._worktree_change(code, path, old)
            if change:
                changes.append(change)
        if not changes:
            return None
        commit = Commit(
            "",
            UNCOMMITTED,
            None,
            None,
            "",
            f"{UNCOMMITTED}的修改",
            tuple(c.public() for c in changes),
            uncommitted=True,
        )
        return _Entry(commit, "HEAD", changes)

    def _worktree_change(self, code: str, path: str, old: str | None) -> _Change | None:
        if not path.startswith(self.prefix):
            return None
        relative = path[len(self.prefix) :]
        old_relative = old[len(self.prefix) :] if old and old.startswith(self.prefix) else None
        exists = (self.root / path).is_file()
        head_blob = self.store.at("HEAD", old_relative or relative)
        new_blob = _Store.file_id(relative) if exists else None
        if not exists:
            status = "deleted"
        elif head_blob is None:
            status = "added"
        else:
            status = "renamed" if old_relative else "modified"
        return _Change(status, relative, old_relative, head_blob, new_blob)

    def _version(self, dirty: bool) -> DataVersion:
        out = self.repo.git.log(
            "-1", "--format=%H%x1f%cI", "HEAD", "--", self.pathspec, with_exceptions=False
        )
        full, _, date = out.strip().partition("\x1f")
        if dirty or not full:
            return DataVersion(UNCOMMITTED, full, date or None, uncommitted=True)
        return DataVersion(full[:7], full, date)

    def _current_files(self) -> dict[str, bytes]:
        """The scores folder as the site builds it: the working tree."""
        if not self.scores_dir.is_dir():
            return {}
        return {
            p.relative_to(self.scores_dir).as_posix(): p.read_bytes()
            for p in sorted(self.scores_dir.rglob("*"))
            if p.is_file()
        }


def _records(out: bytes) -> list[tuple[bytes, list[str]]]:
    """`git log -z --raw` output as (header, raw tokens) per commit.

    Read token by token, each record's paths counted from its metadata, so no byte of a path
    can be taken for the start of a commit. Messages are not in this output (see `commit_text`).
    """
    records: list[tuple[bytes, list[str]]] = []
    items = iter(out.split(b"\0"))
    for token in items:
        meta = token.lstrip(b"\n")
        if not meta.startswith(b":"):
            if meta.startswith(b"\x1e"):
                records.append((meta[1:], []))
            continue
        paths = [next(items, b"") for _ in range(_path_count(meta))]
        if records:
            records[-1][1].extend(t.decode("utf-8", "replace") for t in (meta, *paths))
    return records


def _path_count(meta: bytes) -> int:
    """Paths after a raw record: two for a rename or copy against one parent, else one."""
    parents = len(meta) - len(meta.lstrip(b":"))
    letters = meta.split()[-1] if meta.split() else b""
    return 2 if parents == 1 and letters[:1] in (b"R", b"C") else 1


def commit_text(data: bytes) -> tuple[str, str]:
    """(author name, message) of a raw commit object, decoded and cleaned.

    Its `encoding` header is honoured when the bytes are not UTF-8; GBK bytes written without
    a header (an old client, `git commit-tree`) read as GB18030. Control and format characters
    (NUL, ESC, bidi overrides) are removed: they must not reach a page, the feed or a terminal.
    """
    headers, _, message = data.partition(b"\n\n")
    author, declared = b"", None
    for line in headers.split(b"\n"):
        if line.startswith(b"author "):
            author = line[len(b"author ") :].partition(b"<")[0].strip()
        elif line.startswith(b"encoding "):
            declared = line[len(b"encoding ") :].decode("ascii", "replace").strip()
    name = clean_text(decode_text(author, declared), lines=False).strip()
    return name, clean_text(decode_text(message, declared)).strip()


def mailmapped(author: str, names: bytes) -> str:
    """The author as .mailmap renames them (git's %aN where it differs from %an), else as
    read from the commit itself (git's own re-encoding of names is not to be trusted)."""
    half = len(names) // 2
    if names[half : half + 1] == b"\x1f" and names[:half] == names[half + 1 :]:
        return author  # not mapped
    try:
        name = names.rpartition(b"\x1f")[2].decode("utf-8")
    except UnicodeDecodeError:
        return author
    return clean_text(name, lines=False).strip() or author


def _parse_raw(tokens: list[str], prefix: str) -> list[_Change]:
    """`--raw -z` records: ':m m old new S' path [path]; '::m m m p1 p2 new SS' path (merges)."""
    changes = []
    items = iter(tokens)
    for token in items:
        meta = token.strip()
        if not meta.startswith(":"):
            continue
        fields = meta.lstrip(":").split()
        parents = len(meta) - len(meta.lstrip(":"))
        blobs = fields[parents + 1 : 2 * parents + 2]
        letters = fields[-1]
        renamed = parents == 1 and letters[0] in "RC"  # combined records name one path
        paths = [next(items)] + ([next(items)] if renamed else [])
        change = _change(letters, blobs[0], blobs[-1], paths, prefix)
        if change:
            changes.append(change)
    return changes


def _change(letters: str, old: str, new: str, paths: list[str], prefix: str) -> _Change | None:
    inside = [p[len(prefix) :] if p.startswith(prefix) else None for p in paths]
    old_blob, new_blob = (None if b == _ZERO else b for b in (old, new))
    if len(paths) == 2:  # rename or copy; either end may lie outside the scores folder
        source, target = inside
        if target is None:
            return _Change("deleted", source, None, old_blob, None) if source else None
        if letters[0] == "C" or source is None:
            return _Change("added", target, None, None, new_blob)
        return _Change("renamed", target, source, old_blob, new_blob)
    if inside[0] is None:
        return None
    status = "added" if old_blob is None else "deleted" if new_blob is None else "modified"
    return _Change(
        status if len(letters) > 1 else _STATUS.get(letters[0], status),
        inside[0],
        None,
        old_blob,
        new_blob,
    )


class _Descendants:
    """The commits of this town's own history: the start commit and its descendants."""

    def __init__(self, repo: git.Repo, start: str):
        self.repo = repo
        self.start = start
        self.commits: set[str] | None = None  # read at the first merge

    def foreign_merge(self, head: bytes) -> bool:
        """A merge with a parent from before the start (another town's upstream history)."""
        parents = head.decode("ascii", "replace").split("\x1f")[1].split()
        if len(parents) < 2:
            return False
        if self.commits is None:
            out = self.repo.git.rev_list("--ancestry-path", f"{self.start}..HEAD")
            self.commits = {self.start, *out.split()}
        return any(p not in self.commits for p in parents)


# -- following files through renames ---------------------------------------------------------------


def _follow(entries: list[_Entry]) -> list[FileHistory]:
    """Each file's revisions through renames; a file deleted and re-added keeps its history."""
    live: dict[str, list[Revision]] = {}
    gone: dict[str, list[Revision]] = {}
    ended: list[tuple[str, list[Revision]]] = []
    for entry in entries:
        for change in entry.changes:
            source = change.old_path or change.path
            track = live.pop(source, None) or gone.pop(change.path, None) or []
            track.append(
                Revision(entry.commit, change.status, change.path, change.old_path, change.new_blob)
            )
            if change.new_blob is None:
                if change.path in gone:
                    ended.append((change.path, gone.pop(change.path)))
                gone[change.path] = track
            else:
                if change.path in live:
                    ended.append((change.path, live.pop(change.path)))
                live[change.path] = track
    tracks = [*live.items(), *gone.items(), *ended]
    return [FileHistory(path, *file_kind(path), tuple(revisions)) for path, revisions in tracks]


# -- blobs -------------------------------------------------------------------------------------------


class _Store:
    """Blobs through GitPython's persistent `git cat-file` processes, each read once."""

    def __init__(self, repo: git.Repo, prefix: str, scores_dir: Path):
        self.git = repo.git
        self.prefix = prefix
        self.scores_dir = scores_dir
        self.blobs: dict[str, bytes] = {}
        self.ids: dict[tuple[str, str], str | None] = {}
        self.parsed: dict[tuple, object] = {}

    @staticmethod
    def file_id(relative: str) -> str:
        return f"file:{relative}"

    def at(self, rev: str | None, relative: str) -> str | None:
        """The blob id of a scores file in a commit ("" = the working tree), or None."""
        if rev is None:
            return None
        if rev == "":
            exists = (self.scores_dir / relative).is_file()
            return self.file_id(relative) if exists else None
        key = (rev, relative)
        if key not in self.ids:
            try:
                sha, kind, _ = self.git.get_object_header(f"{rev}:{self.prefix}{relative}")
                self.ids[key] = sha.decode() if kind == b"blob" else None
            except ValueError:
                self.ids[key] = None
        return self.ids[key]

    def blob(self, blob_id: str) -> bytes:
        if blob_id not in self.blobs:
            if blob_id.startswith("file:"):
                data = (self.scores_dir / blob_id[5:]).read_bytes()
            else:
                data = self.git.get_object_data(blob_id)[3]
            self.blobs[blob_id] = data
        return self.blobs[blob_id]

    def memo(self, key: tuple, make):
        if key not in self.parsed:
            self.parsed[key] = make()
        return self.parsed[key]


# -- each period's revisions and what they changed ------------------------------------------------


class _Periods:
    """Per period: the commits that touched its files and what each changed."""

    def __init__(self, store: _Store, entries: list[_Entry], files: list[FileHistory]):
        self.store = store
        self.entries = entries
        self.files = files

    def build(self) -> dict[str, PeriodHistory]:
        touched: dict[str, list[tuple[_Entry, list[_Change]]]] = {}
        for entry in self.entries:
            mine: dict[str, list[_Change]] = {}
            for change in entry.changes:
                kind, period = file_kind(change.path)
                if kind in ("period", "events", "annual"):
                    mine.setdefault(period, []).append(change)
            for period, changes in mine.items():
                touched.setdefault(period, []).append((entry, changes))
        return {period: self._period(period, touched[period]) for period in sorted(touched)}

    def _period(self, period: str, touched: list[tuple[_Entry, list[_Change]]]) -> PeriodHistory:
        annual = is_year(period)
        kind = "annual" if annual else "period"
        last: dict[str, str | None] = {}  # kind → last known blob, through deletions
        revisions: list[PeriodRevision] = []
        for entry, changes in touched:
            revisions.append(self._revision(entry, changes, last, not revisions, annual))
        current = next(
            (f.path for f in self.files if (f.period, f.kind) == (period, kind) and not f.deleted),
            None,
        )
        return PeriodHistory(period, kind, current, tuple(revisions))

    def _revision(
        self, entry: _Entry, changes: list[_Change], last: dict, first: bool, annual: bool
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

    def _diff(self, entry: _Entry, sides: dict, annual: bool) -> tuple[dict, list[str]]:
        """The changes of one revision, each side named as of its own commit."""
        names = (
            self._names(entry.parent),
            self._names("" if entry.commit.uncommitted else entry.commit.hash),
        )
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


# -- changed outcomes -------------------------------------------------------------------------------


def _with_outcomes(
    store: _Store,
    entries: list[_Entry],
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

    def __init__(self, entries: list[_Entry], periods: dict[str, PeriodHistory]):
        self.position = {e.commit.hash: i for i, e in enumerate(entries)}
        self.first = {k: h.revisions[0].commit for k, h in periods.items() if h.revisions}
        for key, commit in sorted(self.first.items(), key=lambda i: self.at(i[1]), reverse=True):
            self.first[year_of(key)] = commit  # the earliest one of the year is written last

    def at(self, commit: Commit) -> int:
        return self.position[commit.hash]

    def published(
        self, store: _Store, history: PeriodHistory, first: dict, current: dict[str, bytes]
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


def _files_at(store: _Store, history: PeriodHistory, commit: Commit) -> dict[str, bytes] | None:
    """The period's files in a commit, or None when it had none then."""
    rev = "" if commit.uncommitted else commit.hash
    path = next((p for p in _scores_paths(history) if store.at(rev, p)), None)
    return _read_files(store, history, rev, path) if path else None


def _first_files(store: _Store, history: PeriodHistory) -> dict[str, bytes] | None:
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


def _read_files(store: _Store, history: PeriodHistory, rev: str, path: str) -> dict[str, bytes]:
    """A period's scores file at `path` in `rev` and its events file, under their current names."""
    files = {history.path: store.blob(store.at(rev, path))}
    events_blob = store.at(rev, events_of(path))
    if events_blob:
        files[events_of(history.path)] = store.blob(events_blob)
    return files


# -- the scores folder as it was at a ref (flagboard preview --against) ---------------------------


class RefUnavailable(Exception):
    """The folder cannot be read at the ref asked for; the message says why, in Chinese."""


_REGULAR_MODES = ("100644", "100755")


def folder_at(scores_dir: Path, ref: str) -> dict[str, bytes]:
    """Every file of the scores folder at `ref` (branch, tag or commit), keyed by its path
    inside the folder, as read_folder reads the working tree: regular files only, ignored
    ones (hidden, READMEs, Markdown notes) left out, a file past the size limit cut there."""
    try:
        with git.Repo(scores_dir, search_parent_directories=True) as repo:
            return _folder_at(repo, Path(scores_dir), ref)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise RefUnavailable("评分数据文件夹不在 Git 仓库中，无法与以前的版本比较") from None
    except git.CommandError as error:
        detail = (error.stderr or "").strip().splitlines()[-1:] or [type(error).__name__]
        raise RefUnavailable(f"无法读取 Git 仓库：{detail[0]}") from None


def _folder_at(repo: git.Repo, scores_dir: Path, ref: str) -> dict[str, bytes]:
    root = Path(repo.working_tree_dir or "").resolve()
    try:
        relative = scores_dir.resolve().relative_to(root).as_posix()
    except ValueError:
        raise RefUnavailable("评分数据文件夹不在 Git 仓库中，无法与以前的版本比较") from None
    commit = _commit_of(repo, ref)
    prefix = "" if relative == "." else relative + "/"
    listing = repo.git.ls_tree("-r", "-z", commit, "--", prefix or ".", stdout_as_string=False)
    files = {}
    for record in listing.split(b"\0"):
        meta, _, path = record.partition(b"\t")
        mode, kind, sha = meta.decode().split(" ") if meta else ("", "", "")
        name = path.decode("utf-8", "surrogateescape").removeprefix(prefix)
        if kind == "blob" and mode in _REGULAR_MODES and not is_ignored(name):
            files[name] = repo.git.get_object_data(sha)[3][: MAX_CSV_BYTES + 1]
    if not files:
        raise RefUnavailable(f"「{ref}」中还没有评分数据文件夹 {relative}")
    return files


def _commit_of(repo: git.Repo, ref: str) -> str:
    """The commit `ref` names; `--end-of-options` keeps a ref like `--output=x` a ref."""
    try:
        found = repo.git.rev_parse("--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    except git.CommandError:
        found = ""
    if not ref or not found:
        raise RefUnavailable(
            f"找不到版本「{ref}」：请写分支名、标签或提交号，例如 origin/main 或 HEAD~1"
        )
    return found.strip()

"""Provenance from git: every scores file's revisions, their cell-level changes, changed outcomes.

The only module that imports git. How the history is read:

- One `git log --raw -M -c --full-history` walk over the scores folder gives every commit that
  changed a data file, with the old and new blob of each file. Blobs are then read through
  GitPython's persistent `git cat-file` processes, each at most once.
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
- Cells are compared after the loader's own cleaning (`read_rows`), by village id (村名 mapped
  with the villages.csv of the same commit) and category id (town.toml of the same commit), so
  re-saving in another encoding or reordering rows is no change. Lines present in both
  versions are skipped before parsing, which keeps a correction's cost to the lines it touched.
- Outcomes: see `_Outcomes` (the period's first published files against today's data).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import git
import pandas as pd

from . import labels
from .cells import decode, format_points, parse_number, read_rows
from .load import Dataset, load_files
from .problems import InvalidData
from .rules import Results, compute
from .townfile import parse_town

UNCOMMITTED = "未提交"
_ZERO = "0" * 40
_FORMAT = "%x1e%H%x1f%P%x1f%cI%x1f%aI%x1f%an%x1f%B%x1f"
_PERIOD_RE = re.compile(r"(?:^|/)(\d{4}-\d{2})\.csv$")
_EVENTS_RE = re.compile(r"(?:^|/)(\d{4}-\d{2})\.events\.csv$")
_ANNUAL_RE = re.compile(r"(?:^|/)(\d{4})-annual\.csv$")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # as the csv module reads them
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
class CellChange:
    village_id: str
    village: str
    category: str  # category id (the header text when town.toml does not know it)
    category_name: str
    old: str | None  # as cleaned: "85", "92.5"; None for an empty cell (未参评)
    new: str | None

    @property
    def text(self) -> str:
        return f"{self.village} · {self.category_name}: {_blank(self.old)} → {_blank(self.new)}"


@dataclass(frozen=True)
class RowChange:
    village_id: str
    village: str
    added: bool

    @property
    def text(self) -> str:
        return f"{'新增' if self.added else '删除'}一行:{self.village}"


@dataclass(frozen=True)
class ColumnChange:
    category: str
    category_name: str
    added: bool

    @property
    def text(self) -> str:
        return f"{'新增' if self.added else '删除'}一列:{self.category_name}"


@dataclass(frozen=True)
class EventRecord:
    event: str  # as written: 现场会 / 一票否决 / 加分 / 扣分
    category_name: str
    value: str | None
    note: str

    @property
    def text(self) -> str:
        parts = [self.event, self.category_name, self.value or ""]
        return " ".join(p for p in parts if p) + f"({self.note})"


@dataclass(frozen=True)
class EventChange:
    village_id: str
    village: str
    old: EventRecord | None  # None: added
    new: EventRecord | None  # None: removed

    @property
    def text(self) -> str:
        if self.old is None:
            return f"新增事件:{self.village} {self.new.text}"
        if self.new is None:
            return f"删除事件:{self.village} {self.old.text}"
        return f"修改事件:{self.village} {self.old.text} → {self.new.text}"


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
class OutcomeChange:
    """A difference in the computed results: first published data vs now."""

    period: str  # "YYYY-MM", or "YYYY" for yearly actions and annual flags
    kind: str  # "flag" | "money" | "action"
    village_id: str
    village: str
    item: str | None  # category id (flag), action id (action), None (money)
    label: str  # category name, action name, or 奖惩
    old: str | None  # 红旗 / 黄旗 / 无; net 元; action reason; None = not there
    new: str | None
    text: str


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
            base = f",基于 {self.hash[:7]}" if self.hash else ""
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
        return History(available=False, note="不是 Git 仓库,没有修订记录")
    try:
        return _Reader(repo, Path(scores_dir)).history(outcomes)
    except _Unavailable as error:
        return History(available=False, note=str(error))
    except git.CommandError as error:  # e.g. "dubious ownership", a damaged repository
        detail = (error.stderr or "").strip().splitlines()[-1:] or [type(error).__name__]
        return History(available=False, note=f"无法读取 Git 历史:{detail[0]}")
    finally:
        repo.close()


def repo_root_of(scores_dir: Path) -> Path | None:
    """The top folder of the git repository holding `scores_dir`, or None."""
    try:
        with git.Repo(scores_dir, search_parent_directories=True) as repo:
            return Path(repo.working_tree_dir) if repo.working_tree_dir else None
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None


def _blank(value: str | None) -> str:
    return "空" if value is None else value


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
    def __init__(self, repo: git.Repo, scores_dir: Path):
        root = Path(repo.working_tree_dir or "").resolve()
        try:
            relative = scores_dir.resolve().relative_to(root).as_posix()
        except ValueError:
            raise _Unavailable("评分数据文件夹不在 Git 仓库中,没有修订记录") from None
        self.repo = repo
        self.root = root
        self.prefix = "" if relative == "." else relative + "/"
        self.pathspec = relative
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
            periods = _Outcomes(self.store, self._current_files()).attach(periods)
        shallow = self.repo.git.rev_parse("--is-shallow-repository").strip() == "true"
        note = (
            "历史不完整:这是浅克隆(shallow clone),只含最近的提交;"
            "请获取完整历史后再生成(CI 中设置 fetch-depth: 0)"
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
        out = self.repo.git.log(
            "--raw",
            "--no-abbrev",
            "-z",
            "-M",
            "-c",
            "--full-history",
            "--date-order",
            "--reverse",
            "--encoding=UTF-8",
            f"--format={_FORMAT}",
            "HEAD",
            "--",
            self.pathspec,
            stdout_as_string=False,
        )
        entries = [_parse_record(r, self.prefix) for r in out.split(b"\x1e")[1:]]
        return [e for e in entries if e.changes]

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


def _parse_record(record: bytes, prefix: str) -> _Entry:
    head, _, raw = record.rpartition(b"\x1f")
    full, parents, date, authored, author, message = head.decode("utf-8", "replace").split(
        "\x1f", 5
    )
    changes = _parse_raw(raw.decode("utf-8", "replace").split("\0"), prefix)
    commit = Commit(
        full, full[:7], date, authored, author, message.strip(), tuple(c.public() for c in changes)
    )
    return _Entry(commit, parents.split()[0] if parents.split() else None, changes)


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
    return [FileHistory(path, *_kind(path), tuple(revisions)) for path, revisions in tracks]


def _kind(path: str) -> tuple[str, str | None]:
    if path == "town.toml":
        return "town", None
    if path == "villages.csv":
        return "villages", None
    for kind, pattern in (("period", _PERIOD_RE), ("events", _EVENTS_RE), ("annual", _ANNUAL_RE)):
        match = pattern.search(path)
        if match:
            return kind, match.group(1)
    return "other", None


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


# -- cell-level changes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Names:
    """Village and category names as of one revision (villages.csv, town.toml)."""

    key: tuple  # the blobs they were read from
    village_ids: dict[str, str]  # 村名 → 编号
    villages: dict[str, str]  # 编号 → 村名
    category_ids: dict[str, str]  # name → id
    categories: dict[str, str]  # id → name

    def village_id(self, key: str, value: str) -> str:
        return self.village_ids.get(value, value) if key == labels.NAME_COLUMN else value

    def category_id(self, header: str) -> str:
        return self.category_ids.get(header, header)


def _names(store: _Store, rev: str | None) -> _Names:
    villages_blob, town_blob = store.at(rev, "villages.csv"), store.at(rev, "town.toml")
    return store.memo(
        ("names", villages_blob, town_blob), lambda: _read_names(store, villages_blob, town_blob)
    )


def _read_names(store: _Store, villages_blob: str | None, town_blob: str | None) -> _Names:
    village_ids: dict[str, str] = {}
    if villages_blob:
        rows, _ = read_rows(store.blob(villages_blob), "villages.csv")
        if rows:
            header = rows[0][1]
            if labels.ID_COLUMN in header and labels.NAME_COLUMN in header:
                i, n = header.index(labels.ID_COLUMN), header.index(labels.NAME_COLUMN)
                village_ids = {cells[n]: cells[i] for _, cells in rows[1:]}
    town = parse_town(store.blob(town_blob), "town.toml")[0] if town_blob else None
    categories = {c.id: c.name for c in town.categories} if town else {}
    return _Names(
        (villages_blob, town_blob),
        village_ids,
        {v: k for k, v in village_ids.items()},
        {v: k for k, v in categories.items()},
        categories,
    )


@dataclass(frozen=True)
class _Sheet:
    """A scores file after the loader's cleaning, keyed by village id and category id."""

    villages: tuple[str, ...]
    columns: tuple[str, ...]
    cells: dict[tuple[str, str], str]  # cleaned text; numbers are normalised when compared


def _normal(text: str) -> str | None:
    if not text:
        return None
    number = parse_number(text)
    return text if number.error else format_points(number.hundredths)


def _sheet(data: bytes, names: _Names) -> _Sheet | None:
    rows, _ = read_rows(data, "scores")
    if not rows:
        return None
    header = rows[0][1]
    columns = [
        (i, names.category_id(h))
        for i, h in enumerate(header)
        if i and h and h not in labels.VILLAGE_COLUMNS
    ]
    villages, cells = [], {}
    for _, values in rows[1:]:
        village = names.village_id(header[0], values[0])
        villages.append(village)
        cells.update({(village, category): values[i] for i, category in columns})
    return _Sheet(tuple(villages), tuple(c for _, c in columns), cells)


def _events(data: bytes, names: _Names) -> list[tuple] | None:
    rows, _ = read_rows(data, "events")
    if not rows:
        return None
    header = rows[0][1]
    index = {h: i for i, h in enumerate(header) if h}
    get = lambda cells, name: cells[index[name]] if name in index else ""  # noqa: E731
    return [
        (
            names.village_id(header[0], cells[0]),
            get(cells, "事件"),
            names.category_id(get(cells, "类别")),
            _normal(get(cells, "分值")),
            get(cells, "说明"),
        )
        for _, cells in rows[1:]
    ]


def _changed_lines(old: bytes, new: bytes) -> tuple[bytes, bytes] | None:
    """The shared header and each side's lines missing from the other side, as two small CSVs.

    A line found in both files is the same row after cleaning, so only the rest need parsing.
    Only for plain files: no quoted cells, the same header, no empty header cell (the loader
    drops wholly empty columns, which must not depend on which lines are kept).
    """
    texts = [decode(data, "scores")[0] for data in (old, new)]
    if None in texts or any('"' in text for text in texts):
        return None
    old_lines, new_lines = (_LINE_BREAK.split(text.rstrip("\r\n")) for text in texts)
    header = old_lines[0] if old_lines else ""
    if not new_lines or new_lines[0] != header or not all(c.strip() for c in header.split(",")):
        return None
    old_set, new_set = set(old_lines[1:]), set(new_lines[1:])
    gone = [line for line in old_lines[1:] if line not in new_set]
    came = [line for line in new_lines[1:] if line not in old_set]
    return tuple("\n".join([header, *lines]).encode() for lines in (gone, came))


def _sheet_changes(old: _Sheet, new: _Sheet, names: _Names) -> dict:
    village = lambda v: names.villages.get(v, v)  # noqa: E731
    category = lambda c: names.categories.get(c, c)  # noqa: E731
    columns = [ColumnChange(c, category(c), True) for c in new.columns if c not in old.columns]
    columns += [ColumnChange(c, category(c), False) for c in old.columns if c not in new.columns]
    old_villages, new_villages = set(old.villages), set(new.villages)
    rows = [RowChange(v, village(v), True) for v in new.villages if v not in old_villages]
    rows += [RowChange(v, village(v), False) for v in old.villages if v not in new_villages]
    shared = [c for c in new.columns if c in old.columns]
    pairs = [
        (v, c, _normal(old.cells[(v, c)]), _normal(new.cells[(v, c)]))
        for v in dict.fromkeys(new.villages)
        if v in old_villages
        for c in shared
        if old.cells[(v, c)] != new.cells[(v, c)]
    ]
    cells = [CellChange(v, village(v), c, category(c), a, b) for v, c, a, b in pairs if a != b]
    return {"columns": tuple(columns), "rows": tuple(rows), "cells": tuple(cells)}


def _event_changes(old: list[tuple], new: list[tuple], names: _Names) -> tuple[EventChange, ...]:
    """Events compared as multisets; one left on each side with the same key is a change."""
    common = Counter(old) & Counter(new)
    gone, came = list((Counter(old) - common).elements()), list((Counter(new) - common).elements())
    changes = []
    for record in gone:
        match = next((n for n in came if n[:3] == record[:3]), None)
        if match:
            came.remove(match)
        changes.append((record, match))
    changes += [(None, record) for record in came]

    def event(record: tuple | None) -> EventRecord | None:
        if record is None:
            return None
        return EventRecord(
            record[1], names.categories.get(record[2], record[2]), record[3], record[4]
        )

    return tuple(
        EventChange(key[0], names.villages.get(key[0], key[0]), event(a), event(b))
        for a, b in changes
        for key in [a or b]
    )


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
                kind, period = _kind(change.path)
                if kind in ("period", "events", "annual"):
                    mine.setdefault(period, []).append(change)
            for period, changes in mine.items():
                touched.setdefault(period, []).append((entry, changes))
        return {period: self._period(period, touched[period]) for period in sorted(touched)}

    def _period(self, period: str, touched: list[tuple[_Entry, list[_Change]]]) -> PeriodHistory:
        annual = len(period) == 4
        kinds = ("annual",) if annual else ("period", "events")
        last: dict[str, str | None] = {}  # kind → last known blob, through deletions
        revisions: list[PeriodRevision] = []
        for entry, changes in touched:
            revisions.append(self._revision(entry, changes, last, not revisions, annual))
        current = next(
            (
                f.path
                for f in self.files
                if f.period == period and f.kind == kinds[0] and not f.deleted
            ),
            None,
        )
        return PeriodHistory(period, "annual" if annual else "period", current, tuple(revisions))

    def _revision(
        self, entry: _Entry, changes: list[_Change], last: dict, first: bool, annual: bool
    ) -> PeriodRevision:
        sides = {}
        for change in sorted(changes, key=lambda c: c.new_blob is not None):
            kind = _kind(change.path)[0]
            old = change.old_blob or sides.get(kind, (None,))[0] or last.get(kind)
            sides[kind] = (old, change.new_blob)
            last[kind] = change.new_blob or old
        parts, notes = ({}, []) if first else self._diff(entry, sides, annual)
        if not first and not any(parts.values()) and not notes:
            notes = ["内容没有变化(只是重新保存或更换了编码/行序)"]
        return PeriodRevision(
            entry.commit, tuple(c.public() for c in changes), first, notes=tuple(notes), **parts
        )

    def _diff(self, entry: _Entry, sides: dict, annual: bool) -> tuple[dict, list[str]]:
        old_names = _names(self.store, entry.parent)
        new_names = _names(self.store, "" if entry.commit.uncommitted else entry.commit.hash)
        parts: dict = {}
        notes: list[str] = []
        scores = sides.get("annual" if annual else "period")
        if scores:
            old, new = self._sheets(scores, old_names, new_names)
            if scores[1] is None:
                notes.append("评分文件被删除")
            elif old and new:
                parts.update(_sheet_changes(old, new, new_names))
            elif scores[0] and not (old and new):
                notes.append("文件无法读取,无法比较")
        events = sides.get("events")
        if events and not annual:
            old, new = (
                self._events(b, n) for b, n in zip(events, (old_names, new_names), strict=True)
            )
            if events[1] is None and events[0]:
                notes.append("事件文件被删除")
            parts["events"] = _event_changes(old or [], new or [], new_names)
        return parts, notes

    def _sheets(self, blobs: tuple, old_names: _Names, new_names: _Names) -> tuple:
        """Both sides of a scores file; only the lines that differ when that is safe."""
        old_blob, new_blob = blobs
        if old_blob and new_blob and old_names.key == new_names.key:
            lines = _changed_lines(self.store.blob(old_blob), self.store.blob(new_blob))
            if lines:
                return _sheet(lines[0], new_names), _sheet(lines[1], new_names)
        return self._sheet(old_blob, old_names), self._sheet(new_blob, new_names)

    def _sheet(self, blob: str | None, names: _Names) -> _Sheet | None:
        if blob is None:
            return None
        return self.store.memo(
            ("sheet", blob, names.key), lambda: _sheet(self.store.blob(blob), names)
        )

    def _events(self, blob: str | None, names: _Names) -> list[tuple] | None:
        if blob is None:
            return None
        return self.store.memo(
            ("events", blob, names.key), lambda: _events(self.store.blob(blob), names)
        )


# -- changed outcomes -----------------------------------------------------------------------------


class _Outcomes:
    """Per corrected period: results with the period's first published files vs results now.

    Only the period's own files are put back to their first published version (all other
    files as now), so every difference is caused by that period's corrections, and later
    periods whose chains changed are found. The rules reach one calendar year and the periods
    next to it (RULES.md §4), so each comparison loads the period's year, the period before
    it and the one after, and each distinct set of files is computed once.
    """

    def __init__(self, store: _Store, current: dict[str, bytes]):
        self.store = store
        self.current = current
        self.results: dict[str, object] = {}

    def attach(self, periods: dict[str, PeriodHistory]) -> dict[str, PeriodHistory]:
        out = {}
        for key, history in periods.items():
            if history.corrected and history.path:
                history = self._compare(history)
            out[key] = history
        return out

    def _compare(self, history: PeriodHistory) -> PeriodHistory:
        first = self._first_files(history)
        if first is None:
            return history
        if first == _period_files(self.current, history.period):
            return history  # corrected and corrected back: nothing changed
        now = _window(self.current, history.period)
        then = _window({**_without(self.current, history.period), **first}, history.period)
        try:
            after = self._compute(now)
        except InvalidData:
            return _noted(history, "现在的评分数据没有通过校验,无法比较结果")
        try:
            before = self._compute(then)
        except InvalidData:
            return _noted(history, "首次发布的数据与现在的村名单或规则不一致,无法单独重算")
        changes = _outcome_changes(before, after, self._names(after))
        return PeriodHistory(
            history.period,
            history.kind,
            history.path,
            history.revisions,
            outcome=tuple(c for c in changes if c.period == history.period),
            later=tuple(c for c in changes if c.period != history.period),
        )

    def _first_files(self, history: PeriodHistory) -> dict[str, bytes] | None:
        """The period's scores and events files as the commit that first published them,
        under their current names."""
        for revision in history.revisions:
            path = next(
                (
                    f.path
                    for f in revision.files
                    if _owner(f.path) == (history.period, "scores") and f.status != "deleted"
                ),
                None,
            )
            if path:
                break
        else:
            return None
        rev = "" if revision.commit.uncommitted else revision.commit.hash
        files = {history.path: self.store.blob(self.store.at(rev, path))}
        events_blob = self.store.at(rev, _events_path(path))
        if events_blob:
            files[_events_path(history.path)] = self.store.blob(events_blob)
        return files

    def _compute(self, files: dict[str, bytes]) -> tuple[Dataset, Results]:
        key = hashlib.sha1(
            b"\0".join(
                p.encode() + b"\0" + hashlib.sha1(d).digest() for p, d in sorted(files.items())
            )
        ).hexdigest()
        if key not in self.results:
            data = load_files(files)
            self.results[key] = (data, compute(data))
        return self.results[key]

    @staticmethod
    def _names(computed) -> _Names:
        data = computed[0]
        villages = {v.id: v.name for v in data.villages}
        categories = {c.id: c.name for c in data.town.categories}
        return _Names((), {}, villages, {}, categories)


def _noted(history: PeriodHistory, note: str) -> PeriodHistory:
    return PeriodHistory(
        history.period, history.kind, history.path, history.revisions, outcome_note=note
    )


def _events_path(scores_path: str) -> str:
    return scores_path[: -len(".csv")] + ".events.csv"


def _owner(path: str) -> tuple[str | None, str | None]:
    """(period or year, "scores" | "events") of a period's or a year's own files."""
    kind, period = _kind(path)
    return period, {"period": "scores", "annual": "scores", "events": "events"}.get(kind)


def _period_files(files: dict[str, bytes], period: str) -> dict[str, bytes]:
    return {p: d for p, d in files.items() if _owner(p)[0] == period}


def _without(files: dict[str, bytes], period: str) -> dict[str, bytes]:
    mine = _period_files(files, period)
    return {p: d for p, d in files.items() if p not in mine}


def _window(files: dict[str, bytes], period: str) -> dict[str, bytes]:
    """The files the rules need to decide `period`'s effects: its year and both neighbours."""
    year = period[:4]
    months = sorted({k[1] for k in map(_kind, files) if k[0] == "period"})
    before = [m for m in months if m < f"{year}-01"][-1:]
    after = [m for m in months if m > f"{year}-12"][:1]
    keep = set(before + after)

    def wanted(path: str) -> bool:
        kind, key = _kind(path)
        if kind in ("period", "events"):
            return key[:4] == year or key in keep
        return kind != "annual" or key == year

    return {p: d for p, d in files.items() if wanted(p)}


def _outcome_changes(before, after, names: _Names) -> list[OutcomeChange]:
    changes = [
        *_flag_changes(before[1].flags, after[1].flags, names),
        *_money_changes(before[1].rewards, after[1].rewards, names),
        *_action_changes(before[1].actions, after[1].actions, names),
    ]
    order = {"flag": 0, "money": 1, "action": 2}
    return sorted(changes, key=lambda c: (c.period, order[c.kind], c.village_id, c.item or ""))


def _outer(before: pd.DataFrame, after: pd.DataFrame, keys: list[str], values: list[str]):
    merged = before[keys + values].merge(
        after[keys + values], on=keys, how="outer", suffixes=("_old", "_new")
    )
    return merged


def _flag_label(flag, basis) -> str:
    if pd.isna(flag) or not flag:
        return "无"
    name = labels.FLAG_NAMES[flag]
    return f"{name}(现场会)" if basis == "meeting" else name


def _flag_changes(before: pd.DataFrame, after: pd.DataFrame, names: _Names):
    merged = _outer(before, after, ["period", "village_id", "category"], ["flag", "basis"])
    old = [_flag_label(f, b) for f, b in zip(merged["flag_old"], merged["basis_old"], strict=True)]
    new = [_flag_label(f, b) for f, b in zip(merged["flag_new"], merged["basis_new"], strict=True)]
    for row, a, b in zip(merged.itertuples(), old, new, strict=True):
        if a != b:
            village = names.villages.get(row.village_id, row.village_id)
            label = names.categories.get(row.category, row.category)
            yield OutcomeChange(
                row.period,
                "flag",
                row.village_id,
                village,
                row.category,
                label,
                a,
                b,
                f"{village} {label}: {a} → {b}",
            )


def _money_changes(before: pd.DataFrame, after: pd.DataFrame, names: _Names):
    parts = ["reward", "penalty", "net"]
    merged = _outer(before, after, ["period", "village_id"], parts).fillna(0)
    for row in merged.itertuples():
        pairs = [(p, int(getattr(row, f"{p}_old")), int(getattr(row, f"{p}_new"))) for p in parts]
        if all(a == b for _, a, b in pairs):
            continue
        village = names.villages.get(row.village_id, row.village_id)
        words = {"reward": "嘉奖", "penalty": "扣罚", "net": "净额"}
        detail = ",".join(f"{words[p]} {a} → {b} 元" for p, a, b in pairs if a != b)
        yield OutcomeChange(
            row.period,
            "money",
            row.village_id,
            village,
            None,
            "奖惩",
            str(pairs[2][1]),
            str(pairs[2][2]),
            f"{village} 奖惩:{detail}",
        )


def _action_changes(before: pd.DataFrame, after: pd.DataFrame, names: _Names):
    merged = _outer(before, after, ["period", "village_id", "action"], ["reason"])
    for row in merged.itertuples():
        old, new = (None if pd.isna(r) else r for r in (row.reason_old, row.reason_new))
        if old == new:
            continue
        village = names.villages.get(row.village_id, row.village_id)
        label = labels.ACTION_NAMES.get(row.action, row.action)
        what = "新增" if old is None else "取消" if new is None else f"理由变为:{new}"
        yield OutcomeChange(
            row.period,
            "action",
            row.village_id,
            village,
            row.action,
            label,
            old,
            new,
            f"{village} {label}:{what}",
        )

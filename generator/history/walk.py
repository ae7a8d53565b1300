"""The log walk: one `git log --raw -M -c --full-history` over the scores folder gives every
commit that changed a data file, with the old and new blob of each file; the working tree's
uncommitted changes come last. Everything else is built from these entries.

- Every commit that changed a file is read, branch commits included, so a correction keeps its
  own author and message. A merge is a revision only where its result differs from every
  parent (a conflict resolved by hand); a clean merge changes nothing new and is not listed.
  A merge's changes are shown against its first parent (the branch merged into).
- Order is commit order (the log's, parents before children), never dates: a clerk's PC with a
  wrong clock or a rewritten history can date a child before its parent.
- A shallow clone is read as far as it goes and flagged.
"""

from __future__ import annotations

from pathlib import Path

from generator.history.blobs import BlobStore
from generator.history.clock import Stamp
from generator.history.commits import read_commit
from generator.history.mailmap import MAX_MAILMAP_BYTES, Mailmap, attributed
from generator.history.merges import Merges
from generator.history.period_revisions import PeriodRevisions
from generator.history.rawlog import FORMAT, Change, Entry, log_records, parse_raw
from generator.history.records import UNCOMMITTED, Commit, DataVersion, History
from generator.history.renames import follow
from generator.history.start import Descendants, start_changes, town_start
from generator.history.timeline import with_outcomes
from generator.history.times import Order, with_doubts
from generator.history.worktree import current_files, worktree_entry
from generator.layout import TOWN_FILE

MAILMAP_FILE = ".mailmap"  # at the repository's root, as git reads it

SHALLOW_NOTE = (
    "历史不完整：这是浅克隆（shallow clone），只含最近的提交；"
    "请获取完整历史后再生成（CI 中设置 fetch-depth: 0）"
)


class Unavailable(Exception):
    """The history cannot be read; the message says why, in Chinese."""


class Reader:
    """One repository's scores folder (`repo`: an open git.Repo): the log walk, the working
    tree, the data version."""

    def __init__(self, repo, scores_dir: Path):
        root = Path(repo.working_tree_dir or "").resolve()
        try:
            relative = scores_dir.resolve().relative_to(root).as_posix()
        except ValueError:
            raise Unavailable("评分数据文件夹不在 Git 仓库中，没有修订记录") from None
        self.repo = repo
        self.git = repo.git
        self.root = root
        self.prefix = "" if relative == "." else relative + "/"
        self.pathspec = relative
        self.town_path = self.prefix + TOWN_FILE
        self.scores_dir = scores_dir
        self.store = BlobStore(repo, self.prefix, scores_dir)
        self.stamps: dict[str, Stamp] = {}  # each data commit's committer time
        self.mailmaps: bool | None = None  # whether HEAD's history ever held a .mailmap
        self.order: Order | None = None  # HEAD's commit graph, read once when a time is judged

    def history(self, outcomes: bool) -> History:
        entries = self._log()
        worktree = worktree_entry(self.git, self.root, self.prefix, self.pathspec, self.store)
        if worktree:
            entries.append(worktree)
        files = follow(entries)
        periods = PeriodRevisions(self.store, entries, files).build()
        if outcomes:
            periods = with_outcomes(self.store, entries, current_files(self.scores_dir), periods)
        shallow = self.git.rev_parse("--is-shallow-repository").strip() == "true"
        return History(
            available=True,
            shallow=shallow,
            note=SHALLOW_NOTE if shallow else None,
            version=self._version(worktree is not None, entries),
            commits=tuple(e.commit for e in reversed(entries)),
            files=tuple(sorted(files, key=lambda f: (f.path, not f.deleted))),
            periods=dict(sorted(periods.items())),
        )

    def _log(self) -> list[Entry]:
        if not self.repo.head.is_valid():
            return []  # no commit yet
        start = town_start(self.git, self.store, self.town_path)
        out = self.git.log(
            "--raw",
            "--no-abbrev",
            "-z",
            "-M",
            "--diff-merges=first-parent",
            "--full-history",
            "--date-order",
            "--reverse",
            f"--format={FORMAT}",
            *(["--ancestry-path", f"{start}..HEAD"] if start else ["HEAD"]),
            "--",
            self.pathspec,
            stdout_as_string=False,
        )
        entries = [self._start_entry(start)] if start else []
        own = Descendants(self.git, start) if start else None
        merges = Merges(self.git, self.store)
        for head, raw in log_records(out):
            changes = parse_raw(raw, self.prefix)
            parents = head.decode("ascii", "replace").split("\x1f")[1].split()
            if not (own and own.foreign_merge(head)):  # a fork's upstream merge: all its own
                changes = merges.own_changes(parents, changes)
            if changes:
                entries.append(self._entry(head, changes))
        if entries:  # HEAD's graph is read only when there is a time to judge
            with_doubts(self._order(), entries)
        return entries

    def _start_entry(self, start: str) -> Entry:
        """The start commit (start.py), adding every scores file it holds."""
        changes = start_changes(self.git, start, self.pathspec, self.prefix)
        head = self.git.log("-1", f"--format={FORMAT}", start, stdout_as_string=False)
        entry = self._entry(head.strip(b"\n").lstrip(b"\x1e"), changes)
        entry.parent = None  # compared with nothing: what came before is another town's
        return entry

    def _entry(self, head: bytes, changes: list[Change]) -> Entry:
        """A data commit; its author, times and message come from the commit object's own
        bytes, the author named by the .mailmap of its own tree (mailmap.py)."""
        full, parents = head.decode("ascii", "replace").split("\x1f")[:2]
        found = read_commit(self.store.git.get_object_data(full)[3])
        self.stamps[full] = found.committed
        author, renamed = attributed(
            found.author, found.email, self._mailmap(full), self._mailmap("HEAD")
        )
        commit = Commit(
            full,
            full[:7],
            found.committed.iso(),
            found.authored.iso(),
            author,
            found.message,
            tuple(c.public() for c in changes),
            renamed=renamed,
        )
        return Entry(commit, parents.split()[0] if parents.split() else None, changes)

    def _order(self) -> Order:
        if self.order is None:
            self.order = Order(self.git, self.store, self.stamps)
        return self.order

    def _mailmap(self, rev: str) -> Mailmap:
        if self.mailmaps is None:  # whether any commit has had one: most repositories never
            found = self.git.log("-1", "--full-history", "--format=%H", "HEAD", "--", MAILMAP_FILE)
            self.mailmaps = bool(found.strip())
        blob = self.store.at_root(rev, MAILMAP_FILE, MAX_MAILMAP_BYTES) if self.mailmaps else None
        data = self.store.blob(blob) if blob else None
        return self.store.memo(("mailmap", blob), lambda: Mailmap(data))

    def _version(self, dirty: bool, entries: list[Entry]) -> DataVersion:
        full = self.git.log("-1", "--format=%H", "HEAD", "--", self.pathspec, with_exceptions=False)
        full = full.strip()
        if dirty or not full:
            date = self._date(full) if full else None
            return DataVersion(UNCOMMITTED, full, date, uncommitted=True)
        listed = next((e.commit for e in entries if e.commit.hash == full), None)
        if listed is not None:
            return DataVersion(full[:7], full, listed.date, doubt=listed.doubt)
        # Not a listed revision (a commit that changed no scores, a clean merge): its time is
        # judged against the commits around it all the same (docs/data-format.md §2.1).
        stamp = read_commit(self.store.git.get_object_data(full)[3]).committed
        found = self._order().doubt(full, stamp, set())
        return DataVersion(full[:7], full, stamp.iso(), doubt=found)

    def _date(self, full: str) -> str | None:
        return read_commit(self.store.git.get_object_data(full)[3]).committed.iso()

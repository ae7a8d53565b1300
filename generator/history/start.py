"""Where this town's own history starts, when its repository began as another town's (a fork).

In first-parent history, the first commit that set town.toml's current `town = "…"` (the
working tree's, else HEAD's) is the start. The walk is then limited to the start's descendants
(`--ancestry-path`), the start reads as adding every file it holds (a number from before it is
explained by it), and a merge with a parent from before the start (upstream's newer version) is
read against its first parent only, so one whose scores folder was restored changes nothing and
one that took upstream files shows them as its own. A town named so since its first commit is
read whole. Renaming the town (乡 → 镇) moves the start too.
"""

from __future__ import annotations

from generator.history.blobs import BlobStore
from generator.history.changes import town_name
from generator.history.rawlog import ZERO, Change, change_of
from generator.layout import TOWN_FILE


def town_start(git, store: BlobStore, town_path: str) -> str | None:
    """The commit this town's data starts with, when commits came before it (a fork of
    another town's repository): in first-parent history, the first that set town.toml's
    current `town = "…"` (the working tree's, else HEAD's). None: read every commit.
    `git` is an open repository's command object."""
    out = git.log("--first-parent", "--reverse", "--format=%H %P", "HEAD", "--", town_path)
    commits = [line.split() for line in out.splitlines() if line.strip()]
    named = {c[0]: town_name(_town_at(store, c[0])) for c in commits}
    for name in (town_name(_town_at(store, "")), town_name(_town_at(store, "HEAD"))):
        found = next((c for c in commits if name and named[c[0]] == name), None)
        if found:
            return found[0] if len(found) > 1 else None  # a root needs no cut
    return None


def _town_at(store: BlobStore, rev: str) -> bytes | None:
    blob = store.at(rev, TOWN_FILE)
    return store.blob(blob) if blob else None


def start_changes(git, start: str, pathspec: str, prefix: str) -> list[Change]:
    """The start commit as if it were the first: every scores file it holds is added by it,
    so each number older than the town's own history is explained by this commit."""
    listing = git.ls_tree("-r", "-z", "--full-tree", start, "--", pathspec, stdout_as_string=False)
    changes = []
    for record in listing.split(b"\0"):
        meta, _, path = record.partition(b"\t")
        mode, kind, sha = meta.decode().split(" ") if meta else ("", "", "")
        name = path.decode("utf-8", "replace")
        change = change_of("A", ZERO, sha, [name], prefix) if kind == "blob" else None
        if change:
            changes.append(change)
    return changes


class Descendants:
    """The commits of this town's own history: the start commit and its descendants."""

    def __init__(self, git, start: str):
        self.git = git
        self.start = start
        self.commits: set[str] | None = None  # read at the first merge

    def foreign_merge(self, head: bytes) -> bool:
        """A merge with a parent from before the start (another town's upstream history)."""
        parents = head.decode("ascii", "replace").split("\x1f")[1].split()
        if len(parents) < 2:
            return False
        if self.commits is None:
            out = self.git.rev_list("--ancestry-path", f"{self.start}..HEAD")
            self.commits = {self.start, *out.split()}
        return any(p not in self.commits for p in parents)

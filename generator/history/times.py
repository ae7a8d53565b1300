"""Each data commit's time judged as evidence (clock.py) against the commits around it in
first-parent order: the commit it follows (its first parent) and those that follow it (the
commits whose first parent it is), whatever files those changed.

The commit graph is read once (`git rev-list --parents HEAD`); the neighbours' times from their
own commit objects, each at most once.
"""

from __future__ import annotations

from dataclasses import replace

from generator.history.blobs import BlobStore
from generator.history.changes import file_kind
from generator.history.clock import Neighbour, Stamp, doubt, neighbour
from generator.history.commits import read_commit
from generator.history.rawlog import Entry

_PUBLISHING = ("period", "events", "annual")


def with_doubts(order: Order, entries: list[Entry]) -> None:
    """Give each committed entry's commit its `doubt` (in place)."""
    for entry in entries:
        if entry.commit.uncommitted:
            continue
        full = entry.commit.hash
        found = order.doubt(full, order.stamps[full], _published(entry))
        if found:
            entry.commit = replace(entry.commit, doubt=found)


class Order:
    """HEAD's commit graph as evidence of order: any commit's time judged against its first
    parent and the commits whose first parent it is (clock.py's `doubt`)."""

    def __init__(self, git, store: BlobStore, stamps: dict[str, Stamp]):
        self.parents, self.children = _graph(git)
        self.stamps = stamps  # each data commit's committer time, read with it by the walk
        self.neighbours = _Neighbours(store, stamps)

    def doubt(self, full: str, stamp: Stamp, periods: set[str]) -> str | None:
        first = self.parents.get(full, [None])[0] if self.parents.get(full) else None
        return doubt(
            stamp,
            periods,
            self.neighbours.of(first) if first else None,
            [self.neighbours.of(child) for child in self.children.get(full, ())],
        )


def _published(entry: Entry) -> set[str]:
    """The months and years whose files the commit wrote (not only deleted)."""
    found = set()
    for change in entry.changes:
        kind, period = file_kind(change.path)
        if kind in _PUBLISHING and change.new_blob is not None:
            found.add(period)
    return found


def _graph(git) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """(commit → parents, commit → the commits whose first parent it is) of HEAD's history."""
    parents: dict[str, list[str]] = {}
    children: dict[str, list[str]] = {}
    for line in git.rev_list("--parents", "HEAD").splitlines():
        commit, *mine = line.split()
        parents[commit] = mine
        if mine:
            children.setdefault(mine[0], []).append(commit)
    return parents, children


class _Neighbours:
    """Commits as evidence of order, each object read once."""

    def __init__(self, store: BlobStore, stamps: dict[str, Stamp]):
        self.store = store
        self.stamps = stamps
        self.found: dict[str, Neighbour] = {}

    def of(self, full: str) -> Neighbour:
        if full not in self.found:
            stamp = self.stamps.get(full)
            if stamp is None:
                stamp = read_commit(self.store.git.get_object_data(full)[3]).committed
            self.found[full] = neighbour(full, stamp)
        return self.found[full]

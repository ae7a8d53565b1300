"""Which of a merge's changes are its own: a merge is a revision wherever its scores differ from
its first parent's (the branch merged into), except where it only took what the merged side
changed (a clean merge: the branch's own commits are the revisions, with their authors).

The walk reads each merge against its first parent. A change is the merged side's when the
first parent still had the file as it was at the merge base (the line merged into had not
changed it) and the merge's result is exactly the merged parent's version. Anything else —
a conflict resolved by hand, or an "evil" merge that puts back an old value the line merged
into had corrected — is the merge's own revision, shown against its first parent.
"""

from __future__ import annotations

from generator.history.blobs import BlobStore
from generator.history.rawlog import Change


class Merges:
    """Merge bases, each asked of git once (`git`: an open repository's command object)."""

    def __init__(self, git, store: BlobStore):
        self.git = git
        self.store = store
        self.bases: dict[tuple[str, str], str | None] = {}

    def own_changes(self, parents: list[str], changes: list[Change]) -> list[Change]:
        """The changes (against the first parent) that no other parent brought cleanly."""
        if len(parents) < 2:
            return changes
        return [c for c in changes if not any(self._brought(parents[0], p, c) for p in parents[1:])]

    def _brought(self, first: str, other: str, change: Change) -> bool:
        if self.store.at(other, change.path) != change.new_blob:
            return False
        base = self._base(first, other)
        return self.store.at(base, change.old_path or change.path) == change.old_blob

    def _base(self, first: str, other: str) -> str | None:
        key = (first, other)
        if key not in self.bases:
            found = self.git.merge_base(first, other, with_exceptions=False).strip()
            self.bases[key] = found.split()[0] if found else None
        return self.bases[key]

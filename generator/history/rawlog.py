"""What `git log --raw -z` writes, read into records: each commit's header and the files it
changed, with their old and new blobs. Pure: bytes in, records out (walk.py runs git).

Read token by token, each record's paths counted from its metadata, so that no byte of a path
(the log's own separators included) can be taken for the start of a commit. Messages are not
in this output: they are read from each commit object (commits.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.history.records import Commit, FileChange

ZERO = "0" * 40
# Each record's header: the commit and its parents (the rest is read from the commit object).
FORMAT = "%x1e%H%x1f%P"
_STATUS = {
    "A": "added",
    "C": "added",
    "M": "modified",
    "T": "modified",
    "D": "deleted",
    "R": "renamed",
}


@dataclass
class Change:
    """One file changed by one commit, with its old and new blob (None: absent)."""

    status: str
    path: str
    old_path: str | None
    old_blob: str | None
    new_blob: str | None

    def public(self) -> FileChange:
        return FileChange(self.status, self.path, self.old_path)


@dataclass
class Entry:
    """A data commit (or the working tree's changes) and the scores files it changed."""

    commit: Commit
    parent: str | None  # first parent ("" for the working tree: HEAD)
    changes: list[Change]


def log_records(out: bytes) -> list[tuple[bytes, list[str]]]:
    """`git log -z --raw` output as (header, raw tokens) per commit."""
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


def parse_raw(tokens: list[str], prefix: str) -> list[Change]:
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
        change = change_of(letters, blobs[0], blobs[-1], paths, prefix)
        if change:
            changes.append(change)
    return changes


def change_of(letters: str, old: str, new: str, paths: list[str], prefix: str) -> Change | None:
    """One raw record as a change inside the scores folder (paths relative to it), or None."""
    inside = [p[len(prefix) :] if p.startswith(prefix) else None for p in paths]
    old_blob, new_blob = (None if b == ZERO else b for b in (old, new))
    if len(paths) == 2:  # rename or copy; either end may lie outside the scores folder
        source, target = inside
        if target is None:
            return Change("deleted", source, None, old_blob, None) if source else None
        if letters[0] == "C" or source is None:
            return Change("added", target, None, None, new_blob)
        return Change("renamed", target, source, old_blob, new_blob)
    if inside[0] is None:
        return None
    status = "added" if old_blob is None else "deleted" if new_blob is None else "modified"
    return Change(
        status if len(letters) > 1 else _STATUS.get(letters[0], status),
        inside[0],
        None,
        old_blob,
        new_blob,
    )

"""The files of the scores folder as they were in each commit: blob ids and their bytes.

Read through GitPython's persistent `git cat-file` processes (the repository's `git` command
object, opened by gitlog.py), each blob at most once; the working tree's files stand in for
the revision "" (uncommitted changes). Parsed forms of blobs are kept here too (`memo`), so
that a sheet read against the same names is parsed once.
"""

from __future__ import annotations

from pathlib import Path


class BlobStore:
    """Blobs through GitPython's persistent `git cat-file` processes, each read once."""

    def __init__(self, repo, prefix: str, scores_dir: Path):
        self.git = repo.git
        self.prefix = prefix
        self.scores_dir = scores_dir
        self.blobs: dict[str, bytes] = {}
        self.ids: dict[tuple[str, str], str | None] = {}  # (rev, path from the root) → blob
        self.sizes: dict[str, int] = {}
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
        return self._blob_id(rev, self.prefix + relative)

    def at_root(self, rev: str, path: str, limit: int) -> str | None:
        """The blob id of a file of the whole repository in a commit, when it is at most
        `limit` bytes long (a larger one is taken as absent), or None."""
        found = self._blob_id(rev, path)
        return found if found and self.sizes[found] <= limit else None

    def _blob_id(self, rev: str, path: str) -> str | None:
        key = (rev, path)
        if key not in self.ids:
            try:
                sha, kind, size = self.git.get_object_header(f"{rev}:{path}")
                self.ids[key] = sha.decode() if kind == b"blob" else None
                self.sizes[sha.decode()] = size
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

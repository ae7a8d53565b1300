"""The working tree's uncommitted changes to the scores folder, read as a last pseudo-revision
marked 未提交, and the folder's files as the site builds it (the working tree)."""

from __future__ import annotations

from pathlib import Path

from generator.history.blobs import BlobStore
from generator.history.rawlog import Change, Entry
from generator.history.records import UNCOMMITTED, Commit


def worktree_entry(git, root: Path, prefix: str, pathspec: str, store: BlobStore) -> Entry | None:
    """The scores folder's uncommitted changes against HEAD, or None when there are none;
    `git` is an open repository's command object, `root` its working tree."""
    out = git.status(
        "--porcelain",
        "-z",
        "--untracked-files=all",
        "--",
        pathspec,
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
        change = _worktree_change(root, prefix, store, path, old)
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
    return Entry(commit, "HEAD", changes)


def _worktree_change(
    root: Path, prefix: str, store: BlobStore, path: str, old: str | None
) -> Change | None:
    if not path.startswith(prefix):
        return None
    relative = path[len(prefix) :]
    old_relative = old[len(prefix) :] if old and old.startswith(prefix) else None
    exists = (root / path).is_file()
    head_blob = store.at("HEAD", old_relative or relative)
    new_blob = BlobStore.file_id(relative) if exists else None
    if not exists:
        status = "deleted"
    elif head_blob is None:
        status = "added"
    else:
        status = "renamed" if old_relative else "modified"
    return Change(status, relative, old_relative, head_blob, new_blob)


def current_files(scores_dir: Path) -> dict[str, bytes]:
    """The scores folder as the site builds it: the working tree."""
    if not scores_dir.is_dir():
        return {}
    return {
        p.relative_to(scores_dir).as_posix(): p.read_bytes()
        for p in sorted(scores_dir.rglob("*"))
        if p.is_file()
    }

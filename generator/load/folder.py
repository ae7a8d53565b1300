"""The read step: a scores folder → its files' bytes by relative path, read once.

Every command that needs the office's files (validate, compute, build, new-month, import)
reads them here. Symbolic links and other non-regular files are never opened
(docs/data-format.md §2.1); hidden folders (a nested `.git`) are not entered; files the loader
ignores are not read.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator import catalogue
from generator.layout import is_ignored
from generator.load.cells import MAX_CSV_BYTES
from generator.problems import Problem


@dataclass
class Folder:
    """A scores folder as read: `prefix` names it in messages, `files` holds its bytes."""

    prefix: str
    files: dict[str, bytes] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def prefix_of(folder: Path) -> str:
    """How messages name the folder: as given, without a trailing slash."""
    return Path(folder).as_posix().rstrip("/") or "."


def read_folder(folder: Path, wanted: Callable[[str], bool] | None = None) -> Folder:
    """The regular files of `folder` (those `wanted` by relative path, default all that the
    loader does not ignore), and a problem for anything else."""
    found = Folder(prefix_of(folder))
    if not Path(folder).is_dir():
        return found
    for relative, entry in _walk(Path(folder)):
        if wanted is not None and not wanted(relative):
            continue
        mode = entry.stat(follow_symlinks=False).st_mode
        if not stat.S_ISREG(mode):
            found.problems.append(
                not_regular_file(f"{found.prefix}/{relative}", stat.S_ISLNK(mode))
            )
        elif not is_ignored(relative):
            found.files[relative] = _read_capped(entry.path)
    return found


def _walk(folder: Path) -> Iterator[tuple[str, os.DirEntry]]:
    """(relative path, entry) of every non-folder under `folder`, in name order; iterative, so
    that no depth of nesting can exhaust the stack."""
    stack = [(folder, "")]
    while stack:
        here, prefix = stack.pop()
        with os.scandir(here) as entries:
            found = sorted(entries, key=lambda e: e.name)
        folders = []
        for entry in found:
            path = f"{prefix}{entry.name}"
            if not entry.is_dir(follow_symlinks=False):
                yield path, entry
            elif not entry.name.startswith("."):
                folders.append((Path(entry.path), f"{path}/"))
        stack.extend(reversed(folders))


def _read_capped(path: str) -> bytes:
    """At most one byte past the CSV size limit: enough to refuse a huge file without reading it."""
    with open(path, "rb") as handle:
        return handle.read(MAX_CSV_BYTES + 1)


def not_regular_file(name: str, link: bool) -> Problem:
    what = "符号链接（快捷方式）" if link else "不是普通文件"
    return catalogue.NOT_REGULAR_FILE.at(name, what=what)

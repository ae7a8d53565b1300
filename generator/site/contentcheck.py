"""The content folder holds only regular files and folders (docs/data-format.md §2.1
「只收普通文件」).

A symbolic link (to `/etc/passwd`, to a folder outside the project) or a FIFO or device in
`content/` is a problem naming its own path. The walk never follows a link and never opens
anything: only the folder entries and their `lstat` are read, so nothing a link points to is
read, quoted or published. The site plugin refuses to build while there is any.
"""

from __future__ import annotations

import os
from pathlib import Path

from generator import catalogue
from generator.problems import Problem

NOT_REGULAR = catalogue.NOT_REGULAR_CONTENT.code
NOT_REGULAR_MESSAGE = catalogue.NOT_REGULAR_CONTENT.template


def check_content(content_dir: Path) -> list[Problem]:
    """Every entry of `content_dir` (the folder itself included) that is not a regular file or a
    real folder, as problems named `<folder name>/<path inside it>`."""
    content_dir = Path(content_dir)
    name = printable(content_dir.name or str(content_dir))
    if content_dir.is_symlink():
        return [catalogue.NOT_REGULAR_CONTENT.at(name)]
    if not content_dir.is_dir():
        return []
    return _walk(content_dir, name)


def _walk(folder: Path, shown: str) -> list[Problem]:
    """Depth-first over real folders only; links are reported, never followed."""
    problems: list[Problem] = []
    pending = [(folder, shown)]
    while pending:
        folder, shown = pending.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            problems.append(catalogue.UNREADABLE_FOLDER.at(shown))
            continue
        for entry in entries:
            path = f"{shown}/{printable(entry.name)}"
            if entry.is_dir(follow_symlinks=False):
                pending.append((Path(entry.path), path))
            elif entry.is_symlink() or not entry.is_file(follow_symlinks=False):
                problems.append(catalogue.NOT_REGULAR_CONTENT.at(path))
    return sorted(problems)


def printable(name: str) -> str:
    """A file name fit for a message: control, format and undecodable characters by code."""
    return "".join(c if c.isprintable() else f"<U+{ord(c):04X}>" for c in name)

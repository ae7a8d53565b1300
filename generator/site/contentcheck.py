"""The content folder holds only regular files and folders, and its pages publish only
themselves (docs/data-format.md §2.1「只收普通文件」「页面只发布自己」).

A symbolic link (to `/etc/passwd`, to a folder outside the project) or a FIFO or device in
`content/` is a problem naming its own path. The walk never follows a link and never opens
anything but regular files: only the folder entries and their `lstat` are read, so nothing a
link points to is read, quoted or published. Each page (Markdown or HTML) is then read, at most
MAX_PAGE_BYTES of it, and checked line by line by pagecheck.py; a page in another format
(reStructuredText, which can include any file) is a problem, and so are two pages at one
address. `flagboard build` and the site plugin refuse to build while there is any problem.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from generator import catalogue
from generator.problems import Problem, quote
from generator.site import pagecheck

NOT_REGULAR = catalogue.NOT_REGULAR_CONTENT.code
NOT_REGULAR_MESSAGE = catalogue.NOT_REGULAR_CONTENT.template
MAX_PAGE_BYTES = pagecheck.MAX_PAGE_BYTES


def check_content(content_dir: Path, page_paths=("pages",)) -> list[Problem]:
    """Every entry of `content_dir` (the folder itself included) that is not a regular file or a
    real folder, then every page's problems, named `<folder name>/<path inside it>`.
    `page_paths` are Pelican's PAGE_PATHS (the rest are articles, under /news/)."""
    content_dir = Path(content_dir)
    name = printable(content_dir.name or str(content_dir))
    if content_dir.is_symlink():
        return [catalogue.NOT_REGULAR_CONTENT.at(name)]
    if not content_dir.is_dir():
        return []
    problems, files = _walk(content_dir, name)
    if problems:  # nothing is read while anything in the folder is not a regular file
        return problems
    return sorted(_pages(content_dir, name, files, tuple(page_paths)))


def _walk(folder: Path, shown: str) -> tuple[list[Problem], set[str]]:
    """Depth-first over real folders only; links are reported, never followed. Returns the
    problems and the regular files' paths inside the folder (`/` separated)."""
    problems: list[Problem] = []
    files: set[str] = set()
    pending = [(folder, shown, "")]
    while pending:
        folder, shown, inside = pending.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            problems.append(catalogue.UNREADABLE_FOLDER.at(shown))
            continue
        for entry in entries:
            path = f"{shown}/{printable(entry.name)}"
            if entry.is_dir(follow_symlinks=False):
                pending.append((Path(entry.path), path, f"{inside}{entry.name}/"))
            elif entry.is_symlink() or not entry.is_file(follow_symlinks=False):
                problems.append(catalogue.NOT_REGULAR_CONTENT.at(path))
            else:
                files.add(inside + entry.name)
    return sorted(problems), files


def _pages(folder: Path, shown: str, files: set[str], page_paths: tuple) -> list[Problem]:
    problems: list[Problem] = []
    addresses: dict[tuple[bool, str], str] = {}
    for relative in sorted(files):
        kind = pagecheck.extension(relative)
        where = f"{shown}/{printable(relative)}"
        if kind in pagecheck.OTHER_PAGE_FORMATS:
            problems.append(catalogue.CONTENT_FORMAT.at(where, what=kind))
        elif kind in pagecheck.PAGE_EXTENSIONS:
            is_page = any(_under(relative, top) for top in page_paths)
            text, problem = _read(folder / relative, where)
            if problem:
                problems.append(problem)
                continue
            problems += pagecheck.check_page(where, relative, text, files, is_page)
            problems += _same_address(where, relative, text, is_page, addresses)
    return problems


def _under(relative: str, top: str) -> bool:
    top = str(top).strip("/")
    return not top or relative == top or relative.startswith(top + "/")


def _read(path: Path, where: str) -> tuple[str, Problem | None]:
    """The page's text: opened without following a link or waiting on a FIFO put in its place
    since the walk, and at most MAX_PAGE_BYTES read."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return "", catalogue.NOT_REGULAR_CONTENT.at(where)
    with open(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return "", catalogue.NOT_REGULAR_CONTENT.at(where)
        data = handle.read(MAX_PAGE_BYTES + 1)
    if len(data) > MAX_PAGE_BYTES:
        return "", catalogue.CONTENT_TOO_LARGE.at(where, limit=MAX_PAGE_BYTES // 1024 // 1024)
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        return "", catalogue.CONTENT_ENCODING.at(where)


def _same_address(where, relative, text, is_page, addresses) -> list[Problem]:
    """Two pages (or two articles) with one Slug would be written to one address."""
    slugs = [s for s in pagecheck.settings_of(relative, text) if s.key.lower() == "slug"]
    if not slugs or not slugs[0].value:
        return []
    key = (is_page, slugs[0].value.strip())
    other = addresses.setdefault(key, where)
    if other == where:
        return []
    why = f"与 {quote(other)} 相同，两个页面会写到同一个地址"
    return [catalogue.CONTENT_ADDRESS.at(where, slugs[0].line, address=quote(key[1]), why=why)]


def printable(name: str) -> str:
    """A file name fit for a message: control, format and undecodable characters by code."""
    return "".join(c if c.isprintable() else f"<U+{ord(c):04X}>" for c in name)

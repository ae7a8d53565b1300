"""A file the site being replaced holds already, byte for byte: linked, not written again.

A rebuild writes most pages exactly as they were (an older period's pages stay as they were
published). Writing each again makes a new file (an inode), and deleting the old site after
the swap frees one; some file systems then allocate slowly for minutes (ext4 without a
journal passes over recently freed inodes), so every build paid for the one before it. A page
whose bytes equal the old site's file of the same name becomes a second name of that file (a
hard link): nothing new to allocate, and deleting the old site only removes a name. The
same goes for the published data files (an older month's workbook stays as it was).

Only a regular file with no other name is linked, so that nothing outside the two sites
shares it, and only when its bytes are the page's; anything else, and any error (a file
system without hard links, a file that went away), writes the page as before. No I/O beyond
the two files.
"""

from __future__ import annotations

import os
import stat

# os.open without following a link where the system can (not on Windows)
_READ = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
# link() the name itself, never what a symbolic link points to, where the system can say so
_NO_FOLLOW = {"follow_symlinks": False} if os.link in os.supports_follow_symlinks else {}
# compared a part at a time: a county's results.json is 88 MB
_PART = 1 << 20


def write_text(path: str, text: str, previous: str | None) -> bool:
    """Put `text` at `path` as a text file is written (UTF-8, the system's line ends), or link
    `previous` there when it holds those very bytes (write_bytes)."""
    if os.linesep != "\n":
        text = text.replace("\n", os.linesep)
    return write_bytes(path, text.encode("utf-8"), previous)


def write_bytes(path: str, data: bytes, previous: str | None) -> bool:
    """Put `data` at `path`; link `previous` there instead when it holds those very bytes.
    True when it was linked.

    A file already at `path` is replaced, never written into: it may be a name of a file of
    the old site, which stays as it was until the new one takes its place."""
    if previous is not None and _holds(previous, data):
        try:
            _unlink_if_there(path)
            os.link(previous, path, **_NO_FOLLOW)
            return True
        except (OSError, NotImplementedError):  # no hard links here, or it went away
            pass
    _unlink_if_there(path)
    with open(path, "xb") as file:
        file.write(data)
    return False


def _unlink_if_there(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _holds(path: str, data: bytes) -> bool:
    """`path` is a regular file with one name whose bytes are `data`."""
    try:
        fd = os.open(path, _READ)
    except OSError:
        return False
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1 or info.st_size != len(data):
            return False
        view = memoryview(data)
        with open(fd, "rb", closefd=False) as file:
            for start in range(0, len(data), _PART):
                if file.read(_PART) != view[start : start + _PART]:
                    return False
            return file.read(1) == b""
    except OSError:
        return False
    finally:
        os.close(fd)

"""A file replaced whole: written under a temporary name beside its place, then renamed onto
it, so that a reader (a web server, the county's portal) finds the old file or the whole new
one, never half of it; a write that fails leaves nothing behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


@contextlib.contextmanager
def written_whole(target: Path, folder: Path, prefix: str = "tmp") -> Iterator[BinaryIO]:
    """A file open for writing in `folder` (on the same disk as `target`) that becomes
    `target`, readable by all (0644), when the block ends; removed if the block fails."""
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as file:
            yield file
        os.chmod(name, 0o644)
        os.replace(name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise

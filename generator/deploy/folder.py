"""A folder target: the site written into a folder (a county portal's, or one a web server
serves), by inplace.py's protocol, each file with a `.gz` beside it for nginx `gzip_static`.

A file is written under `.flagboard/tmp/` and renamed into place, so a reader sees the old file
or the new, never half of one; nothing is written through a symbolic link that leads out of the
folder. One publish at a time: an flock on `.flagboard/lock`, which the system releases when
the publishing process ends, however it ends (on a network share it holds only as far as the
share supports locks).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from generator import catalogue
from generator.deploy import gzipped
from generator.deploy.errors import PublishFailed
from generator.deploy.manifest import OWN, Manifest
from generator.deploy.wholefile import written_whole

try:
    import fcntl
except ImportError:  # Windows: no flock; one publish at a time is then the user's to keep
    fcntl = None

TMP = OWN + "tmp"
LOCK = OWN + "lock"


class FolderStore:
    """The folder as inplace.Store."""

    def __init__(self, root: Path, where: str):
        self.root = Path(root).absolute()
        self.where = where

    # -- the folder's own files -----------------------------------------------------------

    def read_own(self, name: str) -> bytes | None:
        try:
            return (self.root / name).read_bytes()
        except FileNotFoundError:
            return None

    def write_own(self, name: str, data: bytes) -> None:
        self._replace(name, data)

    def delete_own(self, name: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            (self.root / name).unlink()

    def listing(self) -> set[str]:
        if not self.root.exists():
            return set()
        found = set()
        for top, folders, names in os.walk(self.root):
            relative = Path(top).relative_to(self.root).as_posix()
            if relative == OWN.rstrip("/"):
                folders[:] = []
                continue
            prefix = "" if relative == "." else relative + "/"
            found.update(prefix + n for n in names if prefix + n != OWN.rstrip("/"))
            found.update(prefix + n for n in folders if os.path.islink(os.path.join(top, n)))
        return found

    # -- the site's files -------------------------------------------------------------------

    def stored(self, manifest: Manifest | None) -> set[str]:
        return manifest.stored() if manifest else set()

    def put(self, site: Path, paths: tuple[str, ...], manifest: Manifest, sent) -> int:
        written = 0
        for path in paths:
            data = (site / path).read_bytes()
            if manifest.files[path].gzip:  # the .gz first: a server prefers it
                packed = gzipped.compress(data)
                self._replace(gzipped.gz_path(path), packed)
                written += len(packed)
            self._replace(path, data)
            written += len(data)
            sent((path,))
        return written

    def delete(self, paths: list[str]) -> None:
        folders = set()
        for path in paths:
            target = self._inside(path)
            with contextlib.suppress(FileNotFoundError):
                target.unlink()
            folders.update(target.parents)
        for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
            if self.root in folder.parents:
                with contextlib.suppress(OSError):  # not empty: someone's, or still the site's
                    folder.rmdir()

    # -- helpers ---------------------------------------------------------------------------------

    def _replace(self, path: str, data: bytes) -> None:
        """Write `data` to `path` whole: into the tmp folder, then a rename."""
        target = self._inside(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        self._inside(path)  # again: a folder made just now may not be a link
        with written_whole(target, self.root / TMP) as file:
            file.write(data)

    def _inside(self, path: str) -> Path:
        """The path in the folder, refused if a link among its folders leads out of it."""
        target = self.root / path
        real = Path(os.path.realpath(target.parent))
        if (
            real != Path(os.path.realpath(self.root))
            and Path(os.path.realpath(self.root)) not in real.parents
        ):
            raise PublishFailed(catalogue.PUBLISH_LINK_OUT.at(self.where, path=path))
        return target

    @contextlib.contextmanager
    def locked(self):
        """This folder's lock for as long as the publish runs; its tmp folder emptied first."""
        own = self.root / OWN
        own.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root / LOCK, os.O_WRONLY | os.O_CREAT, 0o644)
        try:
            if fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    raise PublishFailed(catalogue.PUBLISH_LOCKED.at(self.where)) from None
            shutil.rmtree(self.root / TMP, ignore_errors=True)  # a killed publish's leftovers
            (self.root / TMP).mkdir()
            yield self
        finally:
            os.close(fd)

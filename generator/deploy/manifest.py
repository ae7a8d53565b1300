"""The manifest: every file of a built site by its path, with its sha256, size and headers.

A publish compares the site's manifest with the one the target holds (written last by the
publish before, as the commit point) and sends only the files whose entry differs: judged by
the bytes' sha256, never by a store's ETag (Qiniu's is not an MD5). The target's own files
live under `.flagboard/` beside the site; a manifest read from a target is checked path by
path, since it says what a publish may overwrite and delete.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from dataclasses import asdict, dataclass
from pathlib import Path

from generator import catalogue
from generator.deploy import headers
from generator.deploy.errors import PublishFailed
from generator.deploy.gzipped import gz_path
from generator.layout import SITE_MARK

OWN = ".flagboard/"  # the target's own files: manifest, list of pending files, lock
MANIFEST = OWN + "manifest.json"
PENDING = OWN + "pending.json"
FORMAT = 1
MAX_BYTES = 64 * 1024 * 1024  # a manifest read from a target: a county's is about 3 MB
_SEGMENT = re.compile(r"[^\x00-\x1f\x7f/\\]+")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_HEADER = re.compile(r"[\x20-\x7e]{1,200}")


@dataclass(frozen=True)
class Entry:
    """One file: its bytes' sha256 and size, its Content-Type, Cache-Control, and whether it
    is sent gzipped."""

    sha256: str
    size: int
    type: str
    cache: str
    gzip: bool


@dataclass(frozen=True)
class Manifest:
    files: dict[str, Entry]

    def to_bytes(self) -> bytes:
        """Canonical JSON: the same site always gives the same bytes."""
        files = {path: asdict(self.files[path]) for path in sorted(self.files)}
        text = json.dumps({"flagboard-manifest": FORMAT, "files": files}, sort_keys=True)
        return text.encode("ascii") + b"\n"

    @property
    def release(self) -> str:
        """The release's name: the first 12 hex digits of the manifest's sha256."""
        return hashlib.sha256(self.to_bytes()).hexdigest()[:12]

    def stored(self) -> set[str]:
        """Every path the site occupies on a folder or server: files and their .gz."""
        return set(self.files) | {gz_path(p) for p, e in self.files.items() if e.gzip}


def safe_path(path: str) -> bool:
    """A relative POSIX path of plain segments: nothing a target could be led out of."""
    parts = path.split("/")
    return all(_SEGMENT.fullmatch(p) and p not in (".", "..") for p in parts) and len(path) < 1024


# -- a built site --------------------------------------------------------------------------


def scan(site: Path) -> Manifest:
    """The manifest of a folder `flagboard build` made; refuses anything else in it."""
    site = Path(site)
    mark = site / SITE_MARK
    if not site.is_dir() or not _regular(mark):
        raise PublishFailed(catalogue.PUBLISH_NOT_A_SITE.at(str(site)), usage=True)
    found: dict[str, tuple[int, str]] = {}
    try:
        for path in _files(site):
            relative = path.relative_to(site).as_posix()
            if relative != SITE_MARK:
                found[relative] = _digest(path)
    except OSError as error:
        raise PublishFailed(catalogue.PUBLISH_IO.at(str(site), error=error.strerror)) from error
    return Manifest({p: _entry(p, *found[p], found) for p in sorted(found)})


def _files(site: Path):
    for top, folders, names in os.walk(site):
        for name in sorted(folders + names):
            path = Path(top) / name
            mode = os.lstat(path).st_mode
            relative = path.relative_to(site).as_posix()
            if stat.S_ISLNK(mode) or not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                raise PublishFailed(catalogue.PUBLISH_UNSAFE_FILE.at(relative))
            if not safe_path(relative) or (relative + "/").startswith(OWN):
                raise PublishFailed(catalogue.PUBLISH_UNSAFE_NAME.at(relative))
            if stat.S_ISREG(mode):
                yield path


def _digest(path: Path) -> tuple[int, str]:
    with open(path, "rb") as file:
        digest = hashlib.file_digest(file, "sha256")
        return file.tell(), digest.hexdigest()


def _entry(path: str, size: int, sha256: str, others: dict) -> Entry:
    kind = headers.content_type(path)
    # a .gz of the site's own keeps its place; the file beside it is then sent as it is
    gzip = headers.gzipped(kind, size) and gz_path(path) not in others
    return Entry(sha256, size, kind, headers.cache_control(kind), gzip)


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


# -- a manifest a target holds ---------------------------------------------------------------


def parse(data: bytes, where: str) -> Manifest:
    """A manifest read back from a target, every path and field checked; else refused."""
    try:
        if len(data) > MAX_BYTES:
            raise ValueError("too large")
        document = json.loads(data)
        if document.get("flagboard-manifest") != FORMAT:
            raise ValueError("format")
        return Manifest({path: _checked(path, e) for path, e in document["files"].items()})
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        raise PublishFailed(catalogue.PUBLISH_BAD_MANIFEST.at(where)) from error


def _checked(path: str, entry: dict) -> Entry:
    if not safe_path(path) or path.startswith(OWN) or set(entry) != set(Entry.__annotations__):
        raise ValueError(path)
    found = Entry(**entry)
    valid = (
        isinstance(found.sha256, str)
        and _SHA256.fullmatch(found.sha256)
        and type(found.size) is int
        and found.size >= 0
        and isinstance(found.type, str)
        and _HEADER.fullmatch(found.type)
        and isinstance(found.cache, str)
        and _HEADER.fullmatch(found.cache)
        and type(found.gzip) is bool
    )
    if not valid:
        raise ValueError(path)
    return found


def pending_bytes(paths: set[str]) -> bytes:
    """The list of files a publish is about to add, written before it adds them: files of an
    interrupted publish are then known as flagboard's, to be overwritten or removed."""
    return json.dumps({"flagboard-pending": FORMAT, "paths": sorted(paths)}).encode() + b"\n"


def parse_pending(data: bytes | None, where: str) -> set[str]:
    if data is None:
        return set()
    try:
        document = json.loads(data)
        paths = document["paths"] if document.get("flagboard-pending") == FORMAT else None
        if not isinstance(paths, list) or not all(
            isinstance(p, str) and safe_path(p) and not p.startswith(OWN) for p in paths
        ):
            raise ValueError("paths")
        return set(paths)
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        raise PublishFailed(catalogue.PUBLISH_BAD_MANIFEST.at(where)) from error

"""A zip target: the whole site in one archive to hand over (each text file with its `.gz`
beside it, for a server with `gzip_static`; the manifest inside, as `.flagboard/manifest.json`).

The archive is written under a temporary name beside it and renamed at the end: whoever opens
it finds the old archive or the new one, whole; two publishes at once each write their own and
the later rename wins. The same site always gives the same bytes (fixed dates, sorted names).
An existing file is replaced only if it is an archive flagboard wrote.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from generator import catalogue
from generator.deploy import gzipped
from generator.deploy.errors import PublishFailed
from generator.deploy.manifest import MANIFEST, Manifest, parse
from generator.deploy.wholefile import written_whole

DATE = (1980, 1, 1, 0, 0, 0)  # zip's earliest date: the archive's bytes depend on the site only


def read_manifest(path: Path, where: str) -> Manifest | None:
    """The manifest of the archive at `path`; None when there is none yet; refused if the file
    there is not an archive flagboard wrote."""
    if not path.exists():
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            data = archive.read(MANIFEST)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise PublishFailed(catalogue.PUBLISH_NOT_OURS_ZIP.at(where)) from None
    return parse(data, f"{where} {MANIFEST}")


def write_archive(path: Path, site: Path, manifest: Manifest, sent: Callable) -> int:
    """Write the whole site to `path`; returns the archive's size in bytes."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    written = written_whole(path, path.parent, prefix=f".{path.name}.")
    with written as file, zipfile.ZipFile(file, "w") as archive:
        for relative, entry in sorted(manifest.files.items()):
            data = (site / relative).read_bytes()
            _add(archive, relative, data, compress=entry.gzip)
            if entry.gzip:
                _add(archive, gzipped.gz_path(relative), gzipped.compress(data), False)
            sent((relative,))
        _add(archive, MANIFEST, manifest.to_bytes(), True)
    return path.stat().st_size


def _add(archive: zipfile.ZipFile, name: str, data: bytes, compress: bool) -> None:
    info = zipfile.ZipInfo(name, DATE)
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)

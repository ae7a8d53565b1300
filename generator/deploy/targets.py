"""Where a site is published, as `--to` (or FLAGBOARD_PUBLISH_TO) names it:

    PATH or dir:PATH                    a folder (to hand over to the county's portal)
    zip:PATH.zip                        a zip archive of the site
    ssh://user@host[:port]/abs/path     a server, by rsync over SSH: releases/<id>, current
    s3://bucket[/prefix]                S3-compatible object storage (OSS, COS, OBS, …)

Parsing only; each kind's module publishes. Anything doubtful is refused, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from generator import catalogue
from generator.deploy.errors import PublishFailed


@dataclass(frozen=True)
class Folder:
    path: Path


@dataclass(frozen=True)
class Archive:
    path: Path


@dataclass(frozen=True)
class Server:
    host: str
    path: str  # absolute, on the server
    user: str | None = None
    port: int | None = None


@dataclass(frozen=True)
class Bucket:
    bucket: str
    prefix: str = ""  # no leading or trailing slash


Target = Folder | Archive | Server | Bucket

_HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\]")
_USER = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")
_REMOTE_PATH = re.compile(r"(/[\w.+-]+)+", re.UNICODE)
_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_PREFIX_SEGMENT = re.compile(r"[\w.+-]+", re.UNICODE)


def parse_target(text: str) -> Target:
    text = text.strip()
    if not text:
        raise _bad(text, catalogue.PUBLISH_NO_TARGET)
    scheme, colon, rest = text.partition(":")
    if colon and rest.startswith("//"):
        if scheme == "ssh":
            return _server(text)
        if scheme == "s3":
            return _bucket(text)
        raise _bad(text, catalogue.PUBLISH_BAD_TARGET, scheme=scheme)
    if scheme == "zip" and colon:
        if not rest.lower().endswith(".zip") or rest.endswith("/"):
            raise _bad(text, catalogue.PUBLISH_ZIP_NAME)
        return Archive(Path(rest))
    if scheme == "dir" and colon:
        return Folder(Path(rest))
    if text.lower().endswith(".zip"):
        raise _bad(text, catalogue.PUBLISH_ZIP_PREFIX)
    return Folder(Path(text))


def _server(text: str) -> Server:
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise _bad(text, catalogue.PUBLISH_SSH_FORM) from None
    host = parts.hostname or ""
    if parts.password is not None or parts.query or parts.fragment:
        raise _bad(text, catalogue.PUBLISH_SSH_FORM)
    netloc_host = parts.netloc.rpartition("@")[2]
    bracketed = netloc_host.startswith("[")
    if not _HOST.fullmatch(f"[{host}]" if bracketed else host):
        raise _bad(text, catalogue.PUBLISH_SSH_FORM)
    if parts.username is not None and not _USER.fullmatch(parts.username):
        raise _bad(text, catalogue.PUBLISH_SSH_FORM)
    path = parts.path.rstrip("/")
    if not _REMOTE_PATH.fullmatch(path) or any(s in (".", "..") for s in path.split("/")[1:]):
        raise _bad(text, catalogue.PUBLISH_SSH_PATH)
    return Server(host, path, parts.username, port)


def _bucket(text: str) -> Bucket:
    rest = text[len("s3://") :]
    bucket, _, prefix = rest.partition("/")
    prefix = prefix.strip("/")
    if not _BUCKET.fullmatch(bucket):
        raise _bad(text, catalogue.PUBLISH_BUCKET_NAME)
    segments = prefix.split("/") if prefix else []
    if any(not _PREFIX_SEGMENT.fullmatch(s) or s in (".", "..") for s in segments):
        raise _bad(text, catalogue.PUBLISH_BUCKET_PREFIX)
    return Bucket(bucket, prefix)


def _bad(text: str, kind, **fields) -> PublishFailed:
    return PublishFailed(kind.at(text or "--to", **fields), usage=True)

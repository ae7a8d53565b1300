"""The HTTP headers a published file is served with: its type, whether it is gzipped, its cache.

An explicit table, not the machine's mimetypes file (which differs from one server to the next
and gives CSV files no charset): text is UTF-8 (the build writes every text file so), the
workbooks get the xlsx type. Pages and data files change in place when a month is added or
corrected, so they revalidate on every visit (`no-cache`: WeChat's browser otherwise shows a
page it cached last month); images and fonts keep a day.
"""

from __future__ import annotations

from posixpath import splitext

UTF8 = "; charset=utf-8"
TYPES = {
    ".html": "text/html" + UTF8,
    ".htm": "text/html" + UTF8,
    ".xml": "application/xml" + UTF8,
    ".css": "text/css" + UTF8,
    ".js": "text/javascript" + UTF8,
    ".mjs": "text/javascript" + UTF8,
    ".json": "application/json" + UTF8,
    ".webmanifest": "application/manifest+json" + UTF8,
    ".csv": "text/csv" + UTF8,
    ".txt": "text/plain" + UTF8,
    ".md": "text/plain" + UTF8,
    ".toml": "text/plain" + UTF8,
    ".svg": "image/svg+xml" + UTF8,
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xls": "application/vnd.ms-excel",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
    ".zip": "application/zip",
}
# Files whose name says more than their extension.
NAMED = {"feed.xml": "application/atom+xml" + UTF8}
UNKNOWN = "application/octet-stream"  # downloaded, never run or shown as a page

REVALIDATE = "no-cache"
A_DAY = "public, max-age=86400"
KEPT_A_DAY = ("image/", "font/")
# Text of at least this many bytes is gzipped: below it the header costs what it saves.
GZIP_FROM = 256


def content_type(path: str) -> str:
    return NAMED.get(path) or TYPES.get(splitext(path)[1].lower(), UNKNOWN)


def is_text(kind: str) -> bool:
    return kind.endswith(UTF8)


def gzipped(kind: str, size: int) -> bool:
    """Whether a file is sent gzip-compressed (a .gz beside it, or Content-Encoding: gzip)."""
    return is_text(kind) and size >= GZIP_FROM


def cache_control(kind: str) -> str:
    return A_DAY if kind.startswith(KEPT_A_DAY) and not is_text(kind) else REVALIDATE

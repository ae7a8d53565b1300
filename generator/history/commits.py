"""A commit object's own bytes: who wrote it, when, and its message, as the public will read
them.

Authors and messages are read from each commit object rather than from `git log`'s output:
UTF-8, else the encoding its header declares, else GB18030 (GBK written by an old client
without a header); control and format characters (NUL, ESC, bidi overrides) are removed. Times
are read by clock.py from the same header lines. Pure: bytes in, text out.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.history.changes import clean_text, decode_text
from generator.history.clock import NONE, Stamp, stamp_of


@dataclass(frozen=True)
class CommitObject:
    """What a raw commit object says of itself."""

    author: str  # the name as written, decoded and cleaned
    email: str
    message: str
    committed: Stamp
    authored: Stamp


def read_commit(data: bytes) -> CommitObject:
    """A raw commit object, decoded and cleaned.

    Its `encoding` header is honoured when the bytes are not UTF-8; GBK bytes written without
    a header (an old client, `git commit-tree`) read as GB18030. Control and format characters
    (NUL, ESC, bidi overrides) are removed: they must not reach a page, the feed or a terminal.
    """
    headers, _, message = data.partition(b"\n\n")
    found: dict[bytes, bytes] = {}
    for line in headers.split(b"\n"):
        key, _, rest = line.partition(b" ")
        if key in (b"author", b"committer", b"encoding"):
            found.setdefault(key, rest)
    declared = found.get(b"encoding", b"").decode("ascii", "replace").strip() or None
    author = found.get(b"author", b"")
    name, _, email = author.partition(b"<")
    return CommitObject(
        author=clean_text(decode_text(name.strip(), declared), lines=False).strip(),
        email=email.partition(b">")[0].decode("utf-8", "replace").strip(),
        message=clean_text(decode_text(message, declared)).strip(),
        committed=stamp_of(found[b"committer"]) if b"committer" in found else NONE,
        authored=stamp_of(author) if author else NONE,
    )

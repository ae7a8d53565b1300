"""A commit object's own bytes: who wrote it and its message, as the public will read them.

Authors and messages are read from each commit object rather than from `git log`'s output:
UTF-8, else the encoding its header declares, else GB18030 (GBK written by an old client
without a header); control and format characters (NUL, ESC, bidi overrides) are removed.
Pure: bytes in, text out.
"""

from __future__ import annotations

from generator.history.changes import clean_text, decode_text


def commit_text(data: bytes) -> tuple[str, str]:
    """(author name, message) of a raw commit object, decoded and cleaned.

    Its `encoding` header is honoured when the bytes are not UTF-8; GBK bytes written without
    a header (an old client, `git commit-tree`) read as GB18030. Control and format characters
    (NUL, ESC, bidi overrides) are removed: they must not reach a page, the feed or a terminal.
    """
    headers, _, message = data.partition(b"\n\n")
    author, declared = b"", None
    for line in headers.split(b"\n"):
        if line.startswith(b"author "):
            author = line[len(b"author ") :].partition(b"<")[0].strip()
        elif line.startswith(b"encoding "):
            declared = line[len(b"encoding ") :].decode("ascii", "replace").strip()
    name = clean_text(decode_text(author, declared), lines=False).strip()
    return name, clean_text(decode_text(message, declared)).strip()


def mailmapped(author: str, names: bytes) -> str:
    """The author as .mailmap renames them (git's %aN where it differs from %an), else as
    read from the commit itself (git's own re-encoding of names is not to be trusted)."""
    half = len(names) // 2
    if names[half : half + 1] == b"\x1f" and names[:half] == names[half + 1 :]:
        return author  # not mapped
    try:
        name = names.rpartition(b"\x1f")[2].decode("utf-8")
    except UnicodeDecodeError:
        return author
    return clean_text(name, lines=False).strip() or author

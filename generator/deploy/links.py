"""Which of a site's own files a built page links to, read from its bytes: every href= and
src= that leads inside the site. Relative links and links from the site's root are resolved
against the page; an absolute address (a published build's links carry the site's address,
perhaps under a folder) counts by the longest tail of its path that names a file of the site.
A link that names no file of the site is left out: the publish order only needs the links
between the files it sends.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

_LINK = re.compile(rb"""(?:href|src)\s*=\s*["']([^"'<>]{1,2000})["']""")
_ELSEWHERE = ("mailto:", "tel:", "data:", "javascript:", "#")


def page_links(site: Path, page: str, known: set[str]) -> set[str]:
    """The files of `known` (paths inside the site) that the page at `page` links to."""
    base = "https://site.invalid/" + page.rpartition("/")[0] + ("/" if "/" in page else "")
    found = set()
    for raw in _LINK.findall((site / page).read_bytes()):
        link = html.unescape(raw.decode("utf-8", "replace")).strip()
        if not link or link.lower().startswith(_ELSEWHERE):
            continue
        target = _file_of(urljoin(base, link), known)
        if target and target != page:
            found.add(target)
    return found


def _file_of(url: str, known: set[str]) -> str | None:
    parts = urlsplit(url)
    path = unquote(parts.path).lstrip("/")
    if not path or path.endswith("/"):
        path += "index.html"
    if parts.netloc == "site.invalid":
        return path if path in known else None
    segments = path.split("/")
    for start in range(len(segments)):
        tail = "/".join(segments[start:])
        if tail in known:
            return tail
    return None

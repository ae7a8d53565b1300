"""After publishing: fetch the home page and one changed page from the public address, and check
that each is the page just published (its bytes' sha256 is the manifest's: the release's
marker, which no page has to carry, so unchanged pages stay unchanged). A CDN that still
serves last month's home page, or an address that leads elsewhere, is said, not ignored.
"""

from __future__ import annotations

import hashlib
import re
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable
from urllib.parse import quote

from generator import catalogue
from generator.deploy.errors import PublishFailed
from generator.deploy.manifest import Manifest

SITE_URL = re.compile(r"https?://[^\s/?#]+(/[^\s?#]*)?")
LIMIT = 32 * 1024 * 1024  # bytes read of one page
WAITS = (2, 5)  # seconds before the second and third try: a CDN may take a moment
HOME = "index.html"


def pages_to_check(manifest: Manifest, sent: list[str]) -> list[str]:
    """The home page, and the first page this publish changed (in the plan's order)."""
    changed = next((p for p in sent if p.endswith(".html") and p != HOME), None)
    return [p for p in (HOME, changed) if p and p in manifest.files]


def page_url(base: str, path: str) -> str:
    """'2024/03/index.html' → '<base>/2024/03/', as readers link to it."""
    folder = path[: -len("index.html")] if path.endswith("index.html") else path
    return base.rstrip("/") + "/" + quote(folder)


def check(
    base: str,
    manifest: Manifest,
    paths: list[str],
    where: str,
    fetch: Callable[[str], bytes] | None = None,
    waits: tuple[float, ...] | None = None,
) -> list[str]:
    """The URLs checked; PublishFailed if one is not this release's page (after WAITS)."""
    if not SITE_URL.fullmatch(base):
        raise PublishFailed(catalogue.PUBLISH_SITEURL.at(where, url=base[:80]), usage=True)
    fetch = fetch or fetch_page
    checked = []
    for path in paths:
        url = page_url(base, path)
        reason = None
        for wait in (0, *(WAITS if waits is None else waits)):
            time.sleep(wait)
            reason = _differs(fetch, url, manifest.files[path].sha256)
            if reason is None:
                break
        if reason:
            raise PublishFailed(catalogue.PUBLISH_CHECK.at(where, url=url, reason=reason))
        checked.append(url)
    return checked


def _differs(fetch, url: str, sha256: str) -> str | None:
    try:
        body = fetch(url)
    except urllib.error.HTTPError as error:
        return f"得到 HTTP {error.code}"
    except (OSError, ValueError, zlib.error) as error:
        return f"取不回来（{type(error).__name__}）"
    return None if hashlib.sha256(body).hexdigest() == sha256 else "不是本次发布的版本"


def fetch_page(url: str) -> bytes:
    """A page as a browser gets it: gzip accepted, caches asked to revalidate."""
    request = urllib.request.Request(
        url,
        headers={
            "Accept-Encoding": "gzip",
            "Cache-Control": "no-cache",
            "User-Agent": "flagboard-publish-check",
        },
    )
    opener = urllib.request.build_opener()  # the proxy settings as they are now, not at import
    with opener.open(request, timeout=30) as response:
        body = response.read(LIMIT + 1)
        if response.headers.get("Content-Encoding", "").lower() == "gzip":
            body = zlib.decompressobj(31).decompress(body, LIMIT + 1)  # bounded: no bomb
    if len(body) > LIMIT:
        raise ValueError("too large")
    return body

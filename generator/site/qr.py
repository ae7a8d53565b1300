"""QR codes for the printed poster and the e-screen: inline SVG made from the module matrix.

A QR code encodes a page's absolute address, SITEURL + the page's path. A build whose SITEURL
is not an absolute http(s) address (the default pelicanconf has SITEURL = "") gets no QR code:
a code pointing at a local path would send a villager's phone nowhere, so the page shows
LOCAL_NOTE instead. The SVG is written here from the module matrix alone (no text of segno's
or of the data goes into it unescaped), so it is safe to mark as Markup; the same address
always gives the same bytes. The matrix of an ASCII address comes from qrmatrix.py (ten times
faster), the same as segno's, which makes any other.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import urlsplit

import segno
from markupsafe import Markup, escape

from generator.site import qrmatrix

# What a page shows where its QR code would be when the build has no absolute address.
LOCAL_NOTE = "本地预览，未生成二维码（发布时设置网站地址 SITEURL 后生成）"
BORDER = 4  # quiet zone in modules, as the QR standard asks
# The data mask, fixed. segno picks the best of eight by scoring each (ISO 18004 §7.8.3),
# 6 of its 7 ms a code: a county's 2,500 poster codes took 17 s of CPU. Any mask decodes the
# same; the score only rates how easy the pattern is to read. On the site's addresses mask 7's
# score is within 2 % of the best on average (1,322 against 1,295 over 463 addresses; never
# more than 186 worse), with 1 the closest of the others; 2, 4 and 6 are 8 % worse.
MASK = 7


def site_root(site_url: str) -> str | None:
    """The site's absolute address without a trailing slash, or None when it is not one."""
    parts = urlsplit(site_url or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return site_url.rstrip("/")


def absolute_url(site_url: str, path: str) -> str | None:
    """SITEURL + a page's path ('2024/06/'), or None in a build without an absolute SITEURL."""
    root = site_root(site_url)
    return None if root is None else f"{root}/{path.lstrip('/')}"


def qr_code(site_url: str, path: str, label: str) -> dict:
    """What a template shows: {"url", "svg"} with the code, or {"url": None, "note"}."""
    url = absolute_url(site_url, path)
    if url is None:
        return {"url": None, "svg": None, "note": LOCAL_NOTE}
    return {"url": url, "svg": qr_svg(url, label), "note": ""}


@functools.lru_cache(maxsize=256)
def qr_svg(text: str, label: str) -> Markup:
    """`<svg …>` of `text`'s QR code (error correction M, mask MASK): one path, a row's dark
    runs each."""
    matrix = (
        qrmatrix.rows(text, MASK)
        or segno.make_qr(text, error="m", boost_error=False, mask=MASK).matrix
    )
    size = len(matrix) + 2 * BORDER
    runs = "".join(_row_runs(y + BORDER, row) for y, row in enumerate(matrix))
    return Markup(
        f'<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}"'
        f' role="img" aria-label="{escape(label)}" shape-rendering="crispEdges">'
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{runs}"/></svg>'
    )


def _row_runs(y: int, row: bytes | bytearray) -> str:
    """Path commands for the dark runs of one matrix row, as 1-module-high rectangles (a run
    found by one regular-expression match rather than a Python step per module)."""
    return "".join(
        f"M{start + BORDER} {y}h{end - start}v1h-{end - start}z"
        for start, end in (m.span() for m in _DARK.finditer(row))
    )


_DARK = re.compile(rb"[^\x00]+")  # a run of dark modules in a row of the matrix

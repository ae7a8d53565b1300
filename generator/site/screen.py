"""The 电子屏 (/screen/, /screen/2/, …): one slide per grid of the latest period; no I/O.

Plan §5.1 shows the results on the electronic screens of the town. Each slide fills a
1920×1080 or 1366×768 screen without scrolling (theme/css/screen.css sizes the type from the
viewport) and names the town, month and grid; its footer gives the site's address and a QR
code to it (qr.py: none in a build without an absolute SITEURL). Each slide refreshes to the
next after `Site.screen_seconds`, the last to the first. A phone that lands here is shown a
link to the normal pages.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from generator.periods import label as period_label
from generator.routes import SCREEN
from generator.site import blocks
from generator.site.qr import qr_code
from generator.site.views import Page

# Names that fit on one line of a cell at the slide's largest type (screen.css).
NAMES_PER_LINE = 3


def screen_keys(site) -> list[int]:
    return list(range(len(site.index.grids))) if site.index.latest else []


def screen_url(number: int) -> str:
    return f"{SCREEN}/" if number == 0 else f"{SCREEN}/{number + 1}/"


def screen(site, number: int) -> Page:
    """Slide `number`: one grid's flags in the latest period, pointing to the next slide."""
    index = site.index
    period = index.latest
    count = len(index.grids)
    slide = blocks.glance(index, period)[number]
    qr = qr_code(site.site_url, "", f"{index.town}红黄旗评比网站的二维码")
    context = {
        "period": index.period_ref(period),
        "slide": slide,
        "position": f"{number + 1}/{count}",
        "next_url": screen_url((number + 1) % count),
        "refresh": site.screen_seconds,
        "lines": slide_lines(slide),
        "qr": qr,
        "address": shown_address(qr["url"]),
    }
    title = f"{slide['grid']['name']}{period_label(period)}红黄旗 · {index.town}电子屏"
    url = screen_url(number)
    description = blocks.period_description(index, period)
    return Page("screen", url + "index.html", url, title, description, context)


def slide_lines(slide: dict) -> int:
    """Lines of names the slide's table takes at its largest type, its header row included:
    screen.css shrinks the type when they would not fit between header and footer."""
    per_line = NAMES_PER_LINE
    return 1 + sum(
        max(1, -(-len(r["reds"]) // per_line), -(-len(r["yellows"]) // per_line))
        for r in slide["rows"]
    )


def shown_address(url: str | None) -> str:
    """'https://hm.example.cn/' → 'hm.example.cn' (what people type); '' without one."""
    if not url:
        return ""
    parts = urlsplit(url)
    return (parts.netloc + parts.path).rstrip("/")

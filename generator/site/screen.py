"""The 电子屏 (/screen/): every grid's slide of the latest period on one page; no I/O.

Plan §5.1 shows the results on the electronic screens of the town. On a landscape screen the
page shows one slide at a time, filling a 1920×1080 or 1366×768 screen without scrolling
(theme/css/screen.css sizes the type from the viewport), and turns to the next grid every
`Site.screen_seconds` by a CSS animation: nothing navigates, so a phone that opens the same
address is never moved on (it sees every grid's slide one under the other, with a link to the
normal pages). The page reloads itself once a day (RELOAD_SECONDS, more than the 20 hours after
which a timed refresh is no longer an accessibility failure) to show a newly published month.
Each slide names the town, month and grid; the footer gives the site's address and a QR code
to it (qr.py: none in a build without an absolute SITEURL). Names are text in one cell per
category and flag, each with ★ or ▼ and （并列）/（现场会）, so that a county's twenty slides
stay a light page.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from generator.periods import label as period_label
from generator.routes import SCREEN
from generator.site import blocks
from generator.site.html import FLAG_MARKS
from generator.site.qr import qr_code
from generator.site.views import Page

# Names that fit on one line of a cell at the slide's largest type (screen.css); a name with
# （并列） or （现场会） takes about twice the room.
NAMES_PER_LINE = 3
MARKED_NAME = 2
RELOAD_SECONDS = 86_400
SCREEN_URL = f"{SCREEN}/"


def screen_keys(site) -> list[int]:
    return [0] if site.index.latest else []


def screen(site, _key: int) -> Page:
    """Every grid's slide of the latest period, turned by screen.css."""
    index = site.index
    period = index.latest
    slides = [_slide(s) for s in blocks.glance(index, period)]
    count = len(slides)
    qr = qr_code(site.site_url, "", f"{index.town}红黄旗评比网站的二维码")
    context = {
        "period": index.period_ref(period),
        "slides": slides,
        "refresh": site.screen_seconds,
        "cycle": site.screen_seconds * count,
        "shown": f"{100 / count:.4f}".rstrip("0").rstrip("."),  # % of the cycle a slide shows
        "reload": RELOAD_SECONDS,
        "qr": qr,
        "address": shown_address(qr["url"]),
    }
    title = f"{index.town}{period_label(period)}红黄旗 · 电子屏"
    description = blocks.period_description(index, period)
    return Page("screen", SCREEN_URL + "index.html", SCREEN_URL, title, description, context)


def _slide(glance: dict) -> dict:
    rows = [
        {
            "category": r["category"],
            "red": _names("red", r["reds"]),
            "yellow": _names("yellow", r["yellows"]),
        }
        for r in glance["rows"]
    ]
    return {"grid": glance["grid"], "rows": rows, "lines": slide_lines(glance)}


def _names(kind: str, villages: list[dict]) -> str:
    """'★东山村　★梅林村（并列）': a cell's names as text, separated by ideographic spaces."""
    return "\u3000".join(f"{FLAG_MARKS[kind]}{v['name']}{_mark(v)}" for v in villages)


def _mark(village: dict) -> str:
    return "（现场会）" if village["basis"] == "meeting" else "（并列）" if village["tied"] else ""


def slide_lines(glance: dict) -> int:
    """Lines of names the slide's table takes at its largest type, its header row included:
    screen.css shrinks the type when they would not fit between header and footer."""

    def lines(villages: list[dict]) -> int:
        room = sum(MARKED_NAME if _mark(v) else 1 for v in villages)
        return -(-room // NAMES_PER_LINE)

    return 1 + sum(max(1, lines(r["reds"]), lines(r["yellows"])) for r in glance["rows"])


def shown_address(url: str | None) -> str:
    """'https://hm.example.cn/' → 'hm.example.cn' (what people type); '' without one."""
    if not url:
        return ""
    parts = urlsplit(url)
    return (parts.netloc + parts.path).rstrip("/")

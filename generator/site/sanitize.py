"""The HTML allow-list for what `content/` renders, and `clean_html()`, which applies it with nh3.

Markdown passes raw HTML through and attr_list adds any attribute (`{: onclick=… }`), so the
pages and news the office writes are cleaned like untrusted input: only the tags Markdown
with the `extra` extension produces, a few harmless attributes, and links that are http,
https, mailto or relative. Everything else (scripts, event handlers, `javascript:`/`data:`
URLs, frames, forms, styles) is dropped. Imports nh3 only; site.py hooks it into Pelican.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
TAGS = HEADINGS | {
    "p", "br", "hr", "blockquote", "pre", "code", "div", "span",
    "ul", "ol", "li", "dl", "dt", "dd",
    "a", "img", "em", "strong", "del", "sup", "sub", "abbr",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"align", "style"},  # Markdown's column alignment: style="text-align: …"
    "td": {"align", "style"},
    "sup": {"id"},  # footnote references
    "li": {"id"},  # footnotes
    **{heading: {"id"} for heading in HEADINGS},
}
# Markdown's own footnote classes; the theme styles none, and no class of the theme's pages
# (flags, tables) may be borrowed to make prose look like results.
CLASSES = {"div": {"footnote"}, "a": {"footnote-ref", "footnote-backref"}}
STYLE_PROPERTIES = {"text-align"}
URL_SCHEMES = {"http", "https", "mailto"}
# Removed with everything inside them, rather than leaving their text behind.
DROPPED_WITH_CONTENT = {
    "script", "style", "template", "iframe", "object", "noscript", "noembed", "noframes",
    "xmp", "textarea", "select", "svg", "math",
}  # fmt: skip
# An id names an anchor: letters, digits and - _ : . only (Markdown's `fn:1`, `fnref:1`).
SAFE_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_:.\-]{0,79}")
SAFE_ALIGN = {"left", "right", "center"}
# Markdown writes a table column's alignment as style="text-align: center;"; nothing else.
# A URL scheme as browsers read one: after leading controls and spaces (tabs and newlines are
# removed first); a leading // or backslash names another host.
C0_OR_SPACE = "".join(map(chr, range(0x21)))
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
SAFE_STYLE = re.compile(r"\s*text-align\s*:\s*(left|right|center)\s*;?\s*", re.I)


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "id":
        return value if SAFE_ID.fullmatch(value) else None
    if attribute == "style":
        match = SAFE_STYLE.fullmatch(value)
        return f"text-align: {match[1].lower()}" if match else None
    if attribute == "align":
        return value if value.lower() in SAFE_ALIGN else None
    if attribute == "start":
        return value if value.isascii() and value.isdigit() and len(value) < 10 else None
    return value


_CLEANER = nh3.Cleaner(
    tags=TAGS,
    clean_content_tags=DROPPED_WITH_CONTENT,
    attributes=ATTRIBUTES,
    attribute_filter=_attribute_filter,
    allowed_classes=CLASSES,
    filter_style_properties=STYLE_PROPERTIES,
    url_schemes=URL_SCHEMES,
    strip_comments=True,
    link_rel=None,  # no `target` is allowed, so a link cannot reach back to the page
)


def clean_html(html: str) -> str:
    """`html` with everything outside the allow-list removed; safe to insert into a page."""
    if not html:
        return html
    return _CLEANER.clean(html)


class _TopHeadings(HTMLParser):
    """Where the top-level <h2> start tags of a fragment begin (offsets into its text)."""

    VOID = {"br", "hr", "img", "wbr", "input", "meta", "link", "source", "col", "area"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.depth, self.found = 0, []

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "h2" and self.depth == 0:
            self.found.append(self._offset())
        if tag not in self.VOID:
            self.depth += 1

    def handle_startendtag(self, tag, attrs) -> None:
        pass

    def handle_endtag(self, tag) -> None:
        if tag not in self.VOID:
            self.depth -= 1

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column


def sectioned(html: str) -> str:
    """A page's cleaned HTML with each top-level <h2> and what follows it up to the next one in
    a <section>: a long guide is then a few sections of a few dozen blocks each, instead of one
    element with more children than a phone's browser lays out quickly."""
    if "<h2" not in html:
        return html
    finder = _TopHeadings()
    finder.line_starts = [0]
    for line in html.splitlines(keepends=True):
        finder.line_starts.append(finder.line_starts[-1] + len(line))
    finder.feed(html)
    finder.close()
    cuts = finder.found
    if not cuts:
        return html
    parts = [html[: cuts[0]]]
    for start, end in zip(cuts, [*cuts[1:], len(html)], strict=True):
        parts.append(f"<section>{html[start:end]}</section>")
    return "".join(parts)


# A page's tables scroll sideways in a box of their own, which the keyboard can reach, each
# named (表格1, 表格2 …) as a region of its own (the cleaned HTML's <table> has no attributes:
# the allow-list gives it none).
SCROLL_BOX = '<div class="scroll" tabindex="0" role="region" aria-label="表格{}">'


def boxed_tables(html: str) -> str:
    """Each table of cleaned HTML in a focusable box that scrolls sideways on a phone."""
    parts = html.split("<table>")
    boxed = [parts[0]] + [SCROLL_BOX.format(n) + "<table>" + p for n, p in enumerate(parts[1:], 1)]
    return "".join(boxed).replace("</table>", "</table></div>")


def is_site_path(url: str) -> bool:
    """True for a path on this site: no scheme (`javascript:`), no other host (`//host`).
    Pelican turns `{filename}` links into the linked page's URL, which its metadata can set."""
    url = re.sub(r"[\t\n\r]", "", url).lstrip(C0_OR_SPACE)
    return not SCHEME.match(url) and not url.startswith(("//", "\\", "/\\"))

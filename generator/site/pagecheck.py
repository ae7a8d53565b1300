"""What a content page may say about itself (docs/data-format.md §2.1「页面只发布自己」):
allow-lists, applied line by line before Pelican reads the page.

A page's metadata (Markdown's `Key: value` header as Python-Markdown's meta extension reads
it, HTML's `<meta name=… content=…>`) may use only ALLOWED_KEYS, in any case; the slug, status
and template only allowed values. Its intrasite links ({filename}, {static}, {attach}, also
written |static|) must name, however they are spelled (`..`, a leading `/`, `%2e%2e`,
`&#46;`, a backslash, `file:`), a file inside content/: a page for {filename}, an attachment
(ATTACHMENTS: pictures and PDF) for {static} and {attach}. A page's address may not be one
the results own (generator/routes.py). Every problem names the page and its line.

outputs.py applies `setting_problem` and `output_problem` again to what Pelican itself read and
plans to write (with the settings' EXTRA_PATH_METADATA, STATIC_PATHS …), before it writes.
No Pelican and no I/O here: contentcheck.py reads the files.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from generator import catalogue, routes
from generator.problems import Problem, quote

MAX_PAGE_BYTES = 2 * 1024 * 1024  # a page is read only this far (a long guide is 30 KB)
MARKDOWN_EXTENSIONS = frozenset({"md", "markdown", "mkd", "mdown"})
HTML_EXTENSIONS = frozenset({"html", "htm"})
PAGE_EXTENSIONS = MARKDOWN_EXTENSIONS | HTML_EXTENSIONS
# Files a page may show or attach: pictures (no SVG: it can hold scripts) and PDF.
ATTACHMENTS = frozenset({"png", "jpg", "jpeg", "gif", "webp", "pdf"})
# Formats Pelican (or a plugin) could read as pages, which flagboard does not: reStructuredText
# can include any file of the machine (`.. include:: /etc/passwd`).
OTHER_PAGE_FORMATS = frozenset({"rst", "rest", "txt", "ipynb", "org", "asciidoc", "adoc"})

# Metadata a page may set (lowercase, as Pelican lowercases keys); nothing else: save_as, url,
# path, lang, translation, timezone, date_format, og_image … would decide where the page or
# another file goes, or are not used by the theme.
ALLOWED_KEYS = (
    "title", "slug", "date", "modified", "status", "summary", "description", "template",
    "category", "tags", "keywords", "author", "authors",
)  # fmt: skip
SHOWN_KEYS = (
    "Title、Slug、Date、Modified、Status、Summary、Description、Template、Category、Tags、Author"
)
STATUSES = frozenset({"published", "hidden", "draft"})
# The theme's templates written for content (rules.html adds town.toml's rules to a page).
TEMPLATES = frozenset({"page", "article", "rules"})
SLUG = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
# Pelican's other intrasite links point to pages this site does not make.
DEAD_LINK_KINDS = frozenset({"category", "tag", "author"})
# Pelican's INTRASITE_LINK_REGEX for {filename}, {static}, {attach} and those, where a link's
# target begins in Markdown or HTML source (after `(` of a link or picture, `]:` of a reference,
# `=` of an attribute: not in `code`, which stays text), up to white space, a quote, a bracket
# or a parenthesis.
_LINK = re.compile(
    r"(?:\(\s*<?|\]:\s*<?|=\s*[\"']?)"
    r"[{|](filename|static|attach|category|tag|author)[|}]([^\s\"'<>()\[\]]*)"
)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_CODE_SPAN = re.compile(r"(?<![\\`])(`+)(?!`).+?(?<!`)\1(?!`)")
_META = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
_META_MORE = re.compile(r"^[ ]{4,}(?P<value>.*)")
_META_BEGIN = re.compile(r"^-{3}(\s.*)?")
_META_END = re.compile(r"^(-{3}|\.{3})(\s.*)?")


@dataclass(frozen=True)
class Setting:
    line: int
    key: str  # as written
    value: str


@dataclass(frozen=True)
class Link:
    line: int
    kind: str
    target: str


def extension(path: str) -> str:
    return path.rpartition(".")[2].lower() if "." in posixpath.basename(path) else ""


def lines_of(text: str) -> list[str]:
    """The page's lines as Python-Markdown and editors count them."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")


# -- reading a page ---------------------------------------------------------------------------


def settings_of(relative: str, text: str) -> list[Setting]:
    """The metadata lines of a page, as its reader finds them."""
    if extension(relative) in HTML_EXTENSIONS:
        return _html_settings(text)
    return list(_markdown_settings(lines_of(text)))


def _markdown_settings(lines: list[str]) -> Iterator[Setting]:
    """Python-Markdown's MetaPreprocessor, keeping line numbers: `Key: value` lines from the
    top (after an optional `---`) to the first blank line; indented lines continue a value."""
    start = 1 if lines and _META_BEGIN.match(lines[0]) else 0
    last = None
    for number, line in enumerate(lines[start:], start=start + 1):
        line = line.expandtabs(4)
        if not line.strip() or _META_END.match(line):
            return
        found = _META.match(line)
        if found:
            last = Setting(number, found["key"], found["value"].strip())
            yield last
        elif last is not None and (more := _META_MORE.match(line)):
            yield Setting(number, last.key, more["value"].strip())
        else:
            return


class _MetaTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Setting] = []

    def handle_starttag(self, tag, attrs):
        if tag == "meta":
            values = dict(attrs)
            name = values.get("name")
            if name is not None:
                content = values.get("content") or values.get("contents") or ""
                self.found.append(Setting(self.getpos()[0], name, content))

    handle_startendtag = handle_starttag


def _html_settings(text: str) -> list[Setting]:
    """Every <meta name=…> of an HTML page (Pelican reads those in <head>: all are checked)."""
    parser = _MetaTags()
    parser.feed(text.removeprefix("\ufeff"))
    parser.close()
    return parser.found


def links_of(text: str, markdown: bool = True) -> Iterator[Link]:
    """Every intrasite link, as written and with character references decoded (an HTML
    cleaner decodes `&#123;static&#125;` into `{static}` before Pelican looks). Markdown's
    code (spans and fenced blocks) shows a link as text: it is not one."""
    fence = None
    for number, line in enumerate(lines_of(text), start=1):
        if markdown:
            fence, line = _outside_code(fence, line)
        seen = set()
        for form in (line, html.unescape(line)):
            for found in _LINK.finditer(form):
                decoded = html.unescape(found.group(0)).lstrip("(]:=\"' <")  # one link, either form
                if decoded not in seen:
                    seen.add(decoded)
                    yield Link(number, found[1], found[2])


def _outside_code(fence: str | None, line: str) -> tuple[str | None, str]:
    """(the fence open after this line, the line without its code). Only plain backtick spans
    and fences are known; anything else is scanned, which can only refuse more."""
    opened = _FENCE.match(line)
    if fence is not None:
        closes = opened is not None and opened[1].startswith(fence) and not opened[2].strip()
        return (None if closes else fence), ""
    if opened is not None:
        return opened[1], ""
    return None, _CODE_SPAN.sub("", line)


# -- the allow-lists --------------------------------------------------------------------------


def setting_problem(key: str, value: str, is_page: bool) -> tuple[str, str] | None:
    """(catalogue entry's why, value shown) when a metadata key or its value is not allowed."""
    name = key.lower()
    if name not in ALLOWED_KEYS:
        return "key", "它会决定网页或其他文件写到哪里，或者本站用不到"
    value = value.strip()
    if name == "slug" and is_page:
        return slug_problem(value)
    if name == "slug" and not SLUG.fullmatch(value):
        return "value", "只能用小写英文字母、数字、- 和 _（最多 64 个），例如 notice-2024"
    if name == "status" and value.lower() not in STATUSES:
        return "value", "只能是 published（公开）、hidden（不列在目录里）或 draft（草稿，不发布）"
    if name == "template" and value not in TEMPLATES:
        return "value", "只能是 page、article 或 rules"
    return None


def slug_problem(slug: str) -> tuple[str, str] | None:
    """A page's own address (/<slug>/) must be a plain name the results do not own."""
    if not SLUG.fullmatch(slug):
        return "value", "只能用小写英文字母、数字、- 和 _（最多 64 个），例如 notice-2024"
    if routes.is_year_folder(slug) or routes.results_own(slug):
        return "value", "是网站公布评比结果的地址（年份、village、grid、data 等）"
    if slug in routes.SITE_NAMES - routes.SHIPPED_PAGES:
        return "value", "是网站自己的页面或文件夹名"
    return None


def output_problem(path: str) -> str | None:
    """Why a file Pelican would write at `path` (relative to the site's root) may not go there."""
    clean = posixpath.normpath(path.replace("\\", "/")) if path else ""
    if not path or "\\" in path or clean.startswith(("..", "/")) or clean != path.lstrip("./"):
        return "不是网站里的普通路径"
    if routes.results_own(clean):
        return "属于网站公布的评比结果（年份、village、grid、data、screen、history 等）"
    return None


def resolve(page: str, target: str) -> tuple[str | None, str | None]:
    """(the file inside content/ a link from `page` names, else why not), as Pelican resolves
    it: relative to the page's folder, or to content/ when it begins with `/`; as written,
    URL-decoded and HTML-unescaped — every spelling must stay inside and name the same file."""
    found = set()
    for form in {target, unquote(target), html.unescape(target), unquote(html.unescape(target))}:
        parts = urlsplit(form)
        if parts.scheme or parts.netloc or form.startswith("//"):
            return None, "指向别的网站或本机文件"
        if "\\" in form:
            return None, "含有反斜杠 \\"
        path = parts.path
        joined = path[1:] if path.startswith("/") else posixpath.join(posixpath.dirname(page), path)
        clean = posixpath.normpath(joined) if joined else ""
        if not clean or clean == "." or clean.startswith(("../", "/")) or clean == "..":
            return None, "指向 content 文件夹以外"
        found.add(clean)
    if len(found) > 1:
        return None, "有几种读法，指向不同的文件"
    return found.pop(), None


# -- one page ---------------------------------------------------------------------------------


def check_page(shown: str, relative: str, text: str, files: set[str], is_page: bool) -> list:
    """Problems of one page: `shown` names it in messages, `relative` is its path inside content/,
    `files` every regular file there, `is_page` whether it is a page (not an article)."""
    problems: list[Problem] = []
    settings = settings_of(relative, text)
    for setting in settings:
        found = setting_problem(setting.key, setting.value, is_page)
        if found:
            problems.append(setting_record(shown, setting.line, setting.key, setting.value, *found))
    if is_page and not any(s.key.lower() == "slug" for s in settings):
        problems += _basename_slug(shown, relative)
    for link in links_of(text, extension(relative) in MARKDOWN_EXTENSIONS):
        why = link_problem(relative, link, files)
        if why:
            problems.append(catalogue.CONTENT_LINK.at(shown, link.line, link=_shown(link), why=why))
    return problems


def setting_record(shown: str, line: int | None, key: str, value: str, what: str, why: str):
    """The problem of a metadata line: its key (`what` "key") or its value is not allowed."""
    if what == "key":
        return catalogue.CONTENT_SETTING.at(
            shown, line, key=quote(key), why=why, allowed=SHOWN_KEYS
        )
    return catalogue.CONTENT_SETTING_VALUE.at(
        shown, line, key=quote(key), value=quote(value), why=why
    )


def _basename_slug(shown: str, relative: str) -> list[Problem]:
    """Without a Slug, Pelican names the page after its file (pelicanconf SLUGIFY_SOURCE)."""
    stem = posixpath.basename(relative).rpartition(".")[0]
    if not SLUG.fullmatch(stem.lower()):  # Pelican transliterates it: plugin.py checks the result
        return []
    found = slug_problem(stem.lower())
    if found is None:
        return []
    why = f"由文件名「{quote(stem)}」而来，{found[1]}"
    return [catalogue.CONTENT_ADDRESS.at(shown, 1, address=quote(stem), why=why)]


def link_problem(page: str, link: Link, files: set[str]) -> str | None:
    if link.kind in DEAD_LINK_KINDS:
        return "指向本站没有的分类、标签或作者页面"
    target, why = resolve(page, link.target.split("#", 1)[0].split("?", 1)[0])
    if why:
        return why
    if target not in files:
        return "指向的文件在 content 文件夹里找不到"
    kind = extension(target)
    if link.kind == "filename" and kind not in PAGE_EXTENSIONS:
        return "用 {filename} 只能链接页面；图片和 PDF 请用 {static}"
    if link.kind != "filename" and kind not in ATTACHMENTS:
        return "只能附带图片（png、jpg、gif、webp）或 PDF 文件"
    return None


def _shown(link: Link) -> str:
    return quote("{" + link.kind + "}" + link.target)

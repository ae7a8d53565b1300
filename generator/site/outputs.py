"""What Pelican is about to write, checked once it has read everything and before it writes
anything (the `all_generators_finalized` signal): the second line of docs/data-format.md §2.1
「页面只发布自己」, behind contentcheck.py's reading of the pages.

The pages' metadata as Pelican read it (settings such as EXTRA_PATH_METADATA and
DEFAULT_METADATA included) must keep to pagecheck.py's allow-lists; every file Pelican would
write (pages and articles of every status and language, static files, the articles' list,
feeds, category, tag, author and archive pages, TEMPLATE_PAGES, the theme's static folder) must
go where no result goes (generator/routes.py) and where no other of its files goes; a static
file must come from inside the content folder, and one that a page links must be a picture or
PDF. Generators are read through their attributes only: no Pelican import here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from generator import catalogue
from generator.problems import Problem, quote, sort_key
from generator.site import pagecheck

# Pelican's lists of contents, on its articles' and pages' generators.
CONTENT_LISTS = (
    "articles", "translations", "hidden_articles", "hidden_translations", "drafts",
    "drafts_translations", "pages", "hidden_pages", "draft_pages", "draft_translations",
)  # fmt: skip
FEEDS = ("FEED_ATOM", "FEED_RSS", "FEED_ALL_ATOM", "FEED_ALL_RSS")
FEEDS_BY = {
    "categories": ("CATEGORY_FEED_ATOM", "CATEGORY_FEED_RSS"),
    "authors": ("AUTHOR_FEED_ATOM", "AUTHOR_FEED_RSS"),
    "tags": ("TAG_FEED_ATOM", "TAG_FEED_RSS"),
}


def problems(generators: list, settings: dict) -> list[Problem]:
    """Every reason to stop before writing, as problems naming the page (and its line)."""
    content = os.path.abspath(settings["PATH"])
    found: list[Problem] = []
    written: dict[str, str] = {}
    for source, path, line in _planned(generators, settings):
        why = pagecheck.output_problem(path)
        fields = {"address": quote(path), "why": why} if why else _taken(written, path, source)
        if fields:
            kind = catalogue.CONTENT_ADDRESS if line else catalogue.CONTENT_OUTPUT
            found.append(kind.at(_shown(source, content), line, **fields))
    for generator in generators:
        for item in _contents(generator):
            found += _metadata(item, content)
        for static in getattr(generator, "staticfiles", None) or []:
            found += _static(static, content, settings)
    return sorted(set(found), key=sort_key)


def _taken(written: dict[str, str], path: str, source: str) -> dict | None:
    """Two of Pelican's files at one path (compared without case, as Windows and macOS do)."""
    key = os.path.normpath(path).lower()
    other = written.setdefault(key, source)
    if other == source:
        return None
    return {"address": quote(path), "why": f"与 {quote(other)} 要写的文件相同"}


def _shown(source: str, content: str) -> str:
    """A source as messages name it: <content folder>/<path>, or the setting it comes from."""
    if not os.path.isabs(source):
        return source
    name = os.path.basename(content)
    return f"{name}/{os.path.relpath(source, content).replace(os.sep, '/')}"


# -- what will be written ---------------------------------------------------------------------


def _planned(generators: list, settings: dict) -> Iterator[tuple[str, str, int | None]]:
    """(source or setting, path it writes, line) of every file Pelican would write."""
    for generator in generators:
        for item in _contents(generator):
            if item.save_as:
                key = "save_as" if hasattr(item, "override_save_as") else "slug"
                yield item.source_path, item.save_as, _line(item.source_path, key)
        for static in getattr(generator, "staticfiles", None) or []:
            # get_url_setting: reading `save_as` would stop {attach} from placing the file
            yield static.source_path, static.get_url_setting("save_as"), None
        yield from _groups(generator, settings)
    for template in settings.get("DIRECT_TEMPLATES") or []:
        name = f"{template.upper()}_SAVE_AS"
        yield name, str(settings.get(name, f"{template}.html")), None
    for source, target in (settings.get("TEMPLATE_PAGES") or {}).items():
        yield f"TEMPLATE_PAGES {source}", str(target), None
    if settings.get("THEME_STATIC_PATHS"):
        yield "THEME_STATIC_DIR", f"{settings.get('THEME_STATIC_DIR', 'theme')}/", None
    for name in FEEDS:
        if settings.get(name):
            yield name, str(settings[name]), None


def _groups(generator, settings: dict) -> Iterator[tuple[str, str, int | None]]:
    """Category, tag, author and archive pages, and their feeds, where the settings ask."""
    for attribute, feeds in FEEDS_BY.items():
        found = getattr(generator, attribute, None) or {}
        wrappers = found.keys() if isinstance(found, dict) else [pair[0] for pair in found]
        for wrapper in wrappers:
            if wrapper.save_as:
                yield f"{attribute} {wrapper.name}", wrapper.save_as, None
            for feed in feeds:
                if settings.get(feed):
                    yield feed, _format(settings[feed], slug=wrapper.slug), None
    for periods in (getattr(generator, "period_archives", None) or {}).values():
        for period in periods:
            if period.get("save_as"):
                yield "ARCHIVE_SAVE_AS", period["save_as"], None


def _format(template, **values) -> str:
    try:
        return str(template).format(**values)
    except (KeyError, IndexError, ValueError):
        return str(template)


def _contents(generator) -> Iterator:
    for name in CONTENT_LISTS:
        yield from getattr(generator, name, None) or []


# -- what was read ----------------------------------------------------------------------------


def _metadata(item, content: str) -> list[Problem]:
    """A page's or article's metadata as Pelican read it, through pagecheck's allow-lists."""
    is_page = type(item).__name__ == "Page"
    found = []
    for key, value in item.metadata.items():
        if key == "reader":  # Pelican's own
            continue
        text = value if isinstance(value, str) else getattr(value, "name", "")
        why = pagecheck.setting_problem(key, str(text), is_page)
        if why:
            line = _line(item.source_path, key)
            shown = _shown(item.source_path, content)
            found.append(pagecheck.setting_record(shown, line, key, str(text), *why))
    return found


def _static(static, content: str, settings: dict) -> list[Problem]:
    """A static file comes from inside content/ (a link may not reach out), and one a page
    links (rather than STATIC_PATHS publishes) is a picture or a PDF."""
    source = os.path.abspath(static.source_path)
    inside = os.path.relpath(source, content).replace(os.sep, "/")
    shown = _shown(source, content) if not inside.startswith("..") else quote(source)
    if inside.startswith("../") or inside == ".." or os.path.islink(source):
        why = "指向 content 文件夹以外"
    elif pagecheck.extension(inside) not in pagecheck.ATTACHMENTS and not _published_folder(
        inside, settings
    ):
        why = "只能附带图片（png、jpg、gif、webp）或 PDF 文件"
    else:
        return []
    return [catalogue.CONTENT_LINK.at(shown, None, link=quote(inside), why=why)]


def _published_folder(inside: str, settings: dict) -> bool:
    """Whether the settings' STATIC_PATHS publish this file without any page linking it."""
    for top in settings.get("STATIC_PATHS") or []:
        top = str(top).strip("/")
        if top and (inside == top or inside.startswith(top + "/")):
            return True
    return False


def _line(source: str, key: str) -> int | None:
    """The line of a page that sets `key`, if the page says it itself."""
    try:
        with open(source, encoding="utf-8") as handle:
            text = handle.read(pagecheck.MAX_PAGE_BYTES)
    except (OSError, UnicodeDecodeError):
        return None
    for setting in pagecheck.settings_of(source, text):
        if setting.key.lower() == key:
            return setting.line
    return None

"""The Pelican plugin: results → pages, written with the theme's templates by Pelican's writer.

This is the only module that imports pelican. `register()` connects four receivers: one
refuses to build while the content folder holds a symbolic link or another non-regular file
(before any reader runs), one passes every page and article of `content/` through the HTML
allow-list of sanitize.py, one adds the site's Jinja filters to every generator, and one hands
Pelican the `ResultsPages` generator from the `get_generators` signal.

Settings it reads (see pelicanconf.py):
  FLAGBOARD_RESULTS       results.json: a path, or the document itself (a dict)
  FLAGBOARD_RESULTS_DIR   folder with the results CSVs (default: results.json's folder)
  FLAGBOARD_RESULT_FILES  or the published results files themselves: [publish.DataFile, ...],
                          or a function returning them (called after the pages are written)
  FLAGBOARD_SCORES        the scores folder whose raw files are published under /data/scores/
  FLAGBOARD_NAV           header links to Pelican pages: [(slug, label), ...]
  FLAGBOARD_SCREEN_SECONDS  seconds per slide of /screen/
  FLAGBOARD_JOBS          processes that write the pages (default: the machine's cores); set 1
                          when adding a plugin that collects pages from `content_written`,
                          which would then see only the pages written in this process
  FLAGBOARD_REPO_URL      the data repository's web address, for commit links
  FLAGBOARD_DATA_VERSION, FLAGBOARD_REVISIONS, FLAGBOARD_OUTCOMES, FLAGBOARD_PERIOD_DATES,
  FLAGBOARD_HISTORY       provenance from git, filled by `flagboard build` (see sitehistory.py)
"""

from __future__ import annotations

import functools
import json
import logging
import re
from pathlib import Path

from markupsafe import Markup
from pelican import Pelican, signals
from pelican.contents import Static
from pelican.generators import Generator
from pelican.log import FatalLogger, console
from pelican.settings import read_settings

from generator import forked, labels
from generator.site import html as sitehtml
from generator.site import publish
from generator.site.contentcheck import check_content
from generator.site.format import latest, period_label, points, signed_yuan, yuan
from generator.site.pages import page_units
from generator.site.revisions import cell_fixes, correction_dates, history_pages, period_history
from generator.site.sanitize import clean_html, is_site_path
from generator.site.views import Page, SiteView

# What the codes in the published CSVs mean, for the data page.
CODES = [
    ("flag", labels.FLAG_NAMES),
    ("basis", labels.BASIS_NAMES),
    ("action", labels.ACTION_LONG_NAMES),
    ("event", labels.EVENT_NAMES),
]
# The feed's date when there is no period at all (Atom requires one).
EPOCH = "1970-01-01T00:00:00+00:00"
# Below this many pages per process, forking costs more than it saves.
PAGES_PER_JOB = 30
# The picture a shared link shows (theme/static/images/share.png, made by theme/share_image.py).
SHARE_IMAGE = "images/share.png"
log = logging.getLogger(__name__)
# Links or other non-regular files in content/ listed by name when refusing to build.
LISTED_UNSAFE = 20
FILTERS = {
    "points": points,
    "yuan": yuan,
    "signed_yuan": signed_yuan,
    "period_label": period_label,
    **sitehtml.FILTERS,
}


class ResultsPages(Generator):
    """Puts the results into the shared context and writes the data pages."""

    def generate_context(self) -> None:
        doc = read_document(self.settings["FLAGBOARD_RESULTS"])
        self.revisions = self.settings.get("FLAGBOARD_REVISIONS") or {}
        self.outcomes = self.settings.get("FLAGBOARD_OUTCOMES") or {}
        self.view = SiteView(doc, cell_fixes(self.revisions))
        history = self.settings.get("FLAGBOARD_HISTORY")
        history_units = [lambda p=p: [p] for p in history_pages(self.view, history, self.revisions)]
        self.units = page_units(self.view) + history_units
        self.written: list[tuple[str, str]] = []  # (template, url) of each page, in order
        self.raw_files = self._raw_files(doc)
        self.context.update(self.view.shared())
        self.context.update(
            flagboard_css=Markup(read_css(Path(self.theme) / "css" / "site.css")),
            nav=self._nav(),
            raw_published=bool(self.raw_files),
            data_version=self.settings.get("FLAGBOARD_DATA_VERSION"),
            repo_url=self.settings.get("FLAGBOARD_REPO_URL") or "",
            site_root=self.settings["SITEURL"],
            share_image=SHARE_IMAGE,
        )

    def generate_output(self, writer) -> None:
        jobs = self.settings.get("FLAGBOARD_JOBS") or forked.cores()
        write = functools.partial(self._write_units, writer)
        done = forked.map_split(write, self.units, jobs, minimum=PAGES_PER_JOB)
        self.written = [page for pages in done for page in pages]
        self._write_xml(writer, "feed.xml", "feed.xml", **self._feed())
        self._write_xml(writer, "sitemap.xml", "sitemap.xml", urls=self._sitemap_urls())
        data_files = self._result_files() + self.raw_files
        self._write(writer, self._data_page(data_files), "data.html")
        publish.write_files(data_files + self._theme_files(), Path(self.output_path))

    # -- helpers ----------------------------------------------------------------------------

    def _write_units(self, writer, units) -> list[list[tuple[str, str]]]:
        """Build and write each unit's pages; (template, url) of every page, unit by unit."""
        return [[self._write_page(writer, page) for page in unit()] for unit in units]

    def _write_page(self, writer, page: Page) -> tuple[str, str]:
        extra = {}
        if page.template in ("period", "year"):
            key = page.context[page.template]["period"]
            extra = period_history(self.view, key, self.revisions, self.outcomes)
        if page.template == "screen":
            extra["refresh"] = self.settings.get("FLAGBOARD_SCREEN_SECONDS", 20)
        self._write(writer, page, page.template + ".html", **extra)
        return page.template, page.url

    def _write(self, writer, page: Page, template: str, **extra) -> None:
        relative = self.settings["RELATIVE_URLS"] and page.template != "404"
        writer.write_file(
            page.save_as,
            self.env.get_template(template),
            self.context,
            relative,
            override_output=True,
            page_url=page.url,
            title=page.title,
            description=page.description,
            **page.context,
            **extra,
        )

    def _write_xml(self, writer, name: str, template: str, **extra) -> None:
        writer.write_file(name, self.env.get_template(template), self.context, False, **extra)

    def _nav(self) -> list[dict]:
        pages = {p.slug: p for p in self.context.get("pages", [])}
        return [
            {"label": label, "url": pages[slug].url}
            for slug, label in self.settings.get("FLAGBOARD_NAV", [])
            if slug in pages
        ]

    def _theme_files(self) -> list[publish.DataFile]:
        """The theme's static/ files (the share image), published from the site's root."""
        static = Path(self.theme) / "static"
        return [
            publish.DataFile(path.relative_to(static).as_posix(), path.name, "", path.read_bytes())
            for path in sorted(static.rglob("*"))
            if path.is_file()
        ]

    def _raw_files(self, doc: dict) -> list[publish.DataFile]:
        scores = self.settings.get("FLAGBOARD_SCORES")
        if scores and Path(scores, "town.toml").is_file():
            return publish.scores_files(doc, Path(scores))
        return []

    def _result_files(self) -> list[publish.DataFile]:
        """FLAGBOARD_RESULT_FILES, else the files in the results folder of `flagboard compute`."""
        files = self.settings.get("FLAGBOARD_RESULT_FILES")
        if callable(files):
            files = files()
        if files is not None:
            return list(files)
        results_dir = self.settings.get("FLAGBOARD_RESULTS_DIR")
        source = self.settings["FLAGBOARD_RESULTS"]
        if not results_dir and not isinstance(source, dict):
            results_dir = Path(source).parent
        return publish.result_files(Path(results_dir)) if results_dir else []

    def _data_page(self, data_files: list[publish.DataFile]) -> Page:
        results = [f for f in data_files if not f.path.startswith("data/scores/")]
        raw = [f for f in data_files if f.path.startswith("data/scores/")]
        town = self.view.town
        return Page(
            "data",
            "data/index.html",
            "data/",
            f"数据下载 · {town}",
            f"{town}红黄旗评比的全部结果和原始评分表,CSV 和 JSON 格式,可用 Excel 打开。",
            {"results": results, "raw": raw, "codes": CODES},
        )

    def _feed(self) -> dict:
        """Atom ids: the pages' addresses once SITEURL is absolute, else stable URNs."""
        entries = self.view.feed_entries(
            self.settings.get("FLAGBOARD_PERIOD_DATES") or {}, correction_dates(self.revisions)
        )
        root = self.settings["SITEURL"]
        absolute = root.startswith(("http://", "https://"))
        for entry in entries:
            period = entry["period"]
            entry["id"] = (
                f"{root}/{period['url']}" if absolute else f"urn:flagboard:{period['period']}"
            )
        return {
            "entries": entries,
            "feed_id": f"{root}/" if absolute else "urn:flagboard:feed",
            "feed_updated": latest([e["updated"] for e in entries] or [EPOCH]),
        }

    def _sitemap_urls(self) -> list[str]:
        urls = [url for template, url in self.written if template != "404"] + ["data/"]
        urls += [p.url for p in self.context.get("pages", [])]
        urls += [a.url for a in self.context.get("articles", [])]
        if self.context.get("articles"):
            urls.append(self.settings["INDEX_URL"])
        return urls


def read_document(source) -> dict:
    """FLAGBOARD_RESULTS as a dict: either the document itself or a path to results.json."""
    if isinstance(source, dict):
        return source
    return json.loads(Path(source).read_text(encoding="utf-8"))


def read_css(path: Path) -> str:
    """The theme's stylesheet, comments and extra white space removed, to inline in <head>."""
    text = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"\s*([{};,>])\s*", r"\1", text).replace(";}", "}").strip()


def add_filters(generator) -> None:
    """Our filters, and autoescape forced on: names and messages come from the office's files."""
    generator.env.autoescape = True
    generator.env.filters.update(FILTERS)


def get_generators(pelican) -> type[Generator]:
    return ResultsPages


class UnsafeContent(Exception):
    """The content folder holds a symbolic link or another file that is not a regular one."""

    exitcode = 1  # plain `pelican` exits with it


def refuse_unsafe_content(pelican) -> None:
    """Stop before Pelican's readers open anything (they would follow a link)."""
    problems = check_content(Path(pelican.settings["PATH"]))
    if problems:
        shown = [problem.text() for problem in problems[:LISTED_UNSAFE]]
        if len(problems) > LISTED_UNSAFE:
            shown.append(f"……另有 {len(problems) - LISTED_UNSAFE} 个")
        total = f"共 {len(problems)} 个，请改正后重新生成。"
        raise UnsafeContent("\n".join(["网站内容文件夹里有不能读取的文件：", *shown, total]))


def sanitize_content(content) -> None:
    """A page's or article's HTML through the allow-list, before Pelican caches `content`."""
    if isinstance(content, Static) or not isinstance(getattr(content, "_content", None), str):
        return
    content._content = clean_html(content._content)
    _check_own_url(content)
    for key in content.settings["FORMATTED_FIELDS"]:
        value = content.metadata.get(key)
        if isinstance(value, str):
            content.metadata[key] = clean_html(value)
            setattr(content, "_summary" if key == "summary" else key.lower(), content.metadata[key])


def _check_own_url(content) -> None:
    """A page's URL (its `URL` or `Slug` metadata) must stay on this site: `{filename}` links
    to it become that URL after cleaning. An error fails the build; the URL is defused anyway."""
    if is_site_path(content.url):
        return
    log.error(
        "%s：页面的地址（URL 或 Slug）不能以「协议:」或「//」开头，请改成本站内的路径，例如 news/abc/",
        content.relative_source_path,
    )
    content.override_url = "#"


def register() -> None:
    signals.initialized.connect(refuse_unsafe_content)
    signals.content_object_init.connect(sanitize_content)
    signals.generator_init.connect(add_filters)
    signals.get_generators.connect(get_generators)


# -- running Pelican in-process, errors fatal ---------------------------------------------


class _ErrorCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class PelicanFailed(Exception):
    """Pelican logged an error or raised: the site is incomplete."""


def run_pelican(settings_file: Path, overrides: dict) -> None:
    """Build the site with Pelican; any error Pelican logs makes the build fail."""
    settings = read_settings(str(settings_file), override=overrides)
    counter = _ErrorCounter()
    root = logging.getLogger()
    root.addHandler(counter)
    previous, quiet = FatalLogger.fatal_lvl, console.quiet
    FatalLogger.fatal_lvl, console.quiet = logging.ERROR, True  # our CLI reports progress
    try:
        Pelican(settings).run()
    except Exception as error:  # Pelican raises plain exceptions; we give one clear reason
        # An error logged (ours in Chinese) raised "Warning or error encountered": show the log.
        reason = ";".join(counter.messages) or str(error) or type(error).__name__
        raise PelicanFailed(reason) from error
    finally:
        FatalLogger.fatal_lvl, console.quiet = previous, quiet
        root.removeHandler(counter)
    if counter.messages:
        raise PelicanFailed(";".join(counter.messages))

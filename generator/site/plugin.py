"""The Pelican plugin: results → pages, written with the theme's templates by Pelican's writer.

This is the only module that imports pelican. `register()` connects seven receivers: one
refuses to build while the content folder holds a symbolic link or another non-regular file,
or a page that takes what is not its own (before any reader runs: contentcheck.py); one reads
the results document once, before the readers, for the town's words (generator/townwords.py);
one keeps only the Markdown and HTML readers; one passes every page and article of `content/`
through the HTML allow-list of sanitize.py and writes its {镇…} phrases in the town's words;
one adds the site's Jinja filters to every generator; one hands Pelican the `ResultsPages`
generator from the `get_generators` signal; and one checks every file Pelican would write, once
it has read everything and before it writes (outputs.py).

Settings it reads (see pelicanconf.py):
  FLAGBOARD_RESULTS       results.json: a path, or the document itself (a dict)
  FLAGBOARD_RESULTS_DIR   folder with the results CSVs (default: results.json's folder)
  FLAGBOARD_RESULT_FILES  or the published results files themselves: [publish.DataFile, ...],
                          or a function returning them (called after the pages are written)
  FLAGBOARD_SCORES        the scores folder whose raw files are published under /data/scores/
  FLAGBOARD_NAV           header links to Pelican pages: [(slug, label), ...]
  FLAGBOARD_SCREEN_SECONDS  seconds per slide of /screen/
  FLAGBOARD_JOBS          processes that write the pages (default: the machine's cores)
  FLAGBOARD_REPO_URL      the data repository's web address, for commit links
  FLAGBOARD_LICENSE       the published data's licence, named in /data/datapackage.json
  FLAGBOARD_HISTORY       provenance from git: a revisions.SiteHistory, filled by `flagboard
                          build` (plain Pelican builds without it)
  FLAGBOARD_PREVIOUS      the site this build replaces, whose unchanged pages are linked rather
                          than written again (reuse.py; set by `flagboard build`)

Pages are written by several forked processes (forked.py). Pelican's `content_written` signal
still reaches every receiver in the main process for every page this plugin writes: once all
are written, in the order written, with the path and a context of the shared context plus
`page_kind`, `page_url` and `title` (a page's own tables stay in the process that wrote it).
"""

from __future__ import annotations

import json
import logging
import os
import re
from pathlib import Path

from markupsafe import Markup
from pelican import Pelican, signals
from pelican.contents import Static
from pelican.generators import Generator
from pelican.log import FatalLogger, console
from pelican.settings import read_settings
from pelican.utils import get_relative_path, path_to_url, sanitised_join

from generator import forked
from generator.layout import TOWN_FILE
from generator.periods import label as period_label
from generator.site import (
    blanks,
    datapackage,
    outputs,
    pagecheck,
    pages,
    publish,
    reuse,
    rulewords,
    siteurl,
)
from generator.site import html as sitehtml
from generator.site.contentcheck import check_content
from generator.site.format import cn_date, points, signed_yuan, yuan
from generator.site.pages import Site
from generator.site.record import record_files
from generator.site.revisions import SiteHistory, cell_fixes
from generator.site.rulespage import rules_data
from generator.site.sanitize import boxed_tables, clean_html, is_site_path, sectioned
from generator.site.templatecode import shared_cache
from generator.site.views import Page, SiteIndex
from generator.townwords import TownWords

# Below this many pages per process, forking costs more than it saves.
PAGES_PER_JOB = 30
# The picture a shared link shows and the tab's icon (theme/static/images/, made by
# theme/share_image.py): the icon is a few hundred bytes, as every first visit fetches it.
SHARE_IMAGE = "images/share.png"
ICON = "images/icon.png"
log = logging.getLogger(__name__)
# The footer of every page and what it shows besides the site's address and data version: the
# same in the whole build unless a page's own context says otherwise.
FOOTER = "_footer.html"
FOOTER_INPUTS = frozenset(
    {"town", "notice", "words", "footer_pages", "articles", "INDEX_URL", "latest", "repo_url"}
)
# Links or other non-regular files in content/ listed by name when refusing to build.
LISTED_UNSAFE = 20
FILTERS = {
    "points": points,
    "yuan": yuan,
    "signed_yuan": signed_yuan,
    "period_label": period_label,
    "cn_date": cn_date,
    **sitehtml.FILTERS,
    **rulewords.FILTERS,
}


class ResultsPages(Generator):
    """Puts the results into the shared context and writes every kind of pages.py's KINDS."""

    def generate_context(self) -> None:
        doc = read_document(self.settings["FLAGBOARD_RESULTS"])
        history = self.settings.get("FLAGBOARD_HISTORY") or SiteHistory()
        index = SiteIndex(doc, cell_fixes(history.revisions))
        self.site = Site(
            index,
            history,
            screen_seconds=self.settings.get("FLAGBOARD_SCREEN_SECONDS", 20),
            site_url=self.settings["SITEURL"],
            notice=self.settings.get("FLAGBOARD_NOTICE") or {},
        )
        self.raw_files = self._raw_files(doc)
        self.context.update(pages.shared(index))
        self.context.update(
            flagboard_css=Markup(read_css(Path(self.theme) / "css" / "site.css")),
            # the stylesheets of pages that do not use site.css (poster, screen), by name
            theme_css={
                path.stem: Markup(read_css(path))
                for path in sorted((Path(self.theme) / "css").glob("*.css"))
            },
            nav=self._nav(),
            # Pelican's pages for every page's footer: a Pelican page's `url` is worked out
            # from the settings on each reading (0.25 ms, three times on each of 7,000 pages)
            footer_pages=[{"url": p.url, "title": p.title} for p in self.context.get("pages", [])],
            raw_published=bool(self.raw_files),
            notice=self.site.notice,
            # Pelican's own pages (rules, about, guide, news) show the settings only; every
            # page of pages.py names its own version (pages.page_version)
            data_version=history.settings_version,
            repo_url=self.settings.get("FLAGBOARD_REPO_URL") or "",
            site_root=self.settings["SITEURL"],
            share_image=SHARE_IMAGE,
            icon=ICON,
            # the rules page's tables (theme/templates/rules.html)
            rules_data=rules_data(index, self.site.notice),
        )

    def generate_output(self, writer) -> None:
        """Results pages in several processes, then the data page, feed and sitemap here; the
        `content_written` signal then fires here for every page, in the order written."""
        jobs = self.settings.get("FLAGBOARD_JOBS") or forked.cores()
        units = pages.units(self.site)
        for kind in dict.fromkeys(kind for kind, _ in units):  # compiled here, not in each child
            self._template(kind)
        self.env.get_template(FOOTER)
        done = forked.map_split(self._write_units, units, jobs, minimum=PAGES_PER_JOB)
        written = [page for unit in done for page in unit]
        site = self.site
        site.written = [(kind, url) for kind, url, _, _ in written]
        site.data_files = (
            self._result_files() + self.raw_files + record_files(site.history.published)
        )
        site.data_files.append(self._package(site.data_files))
        site.extra_urls = self._pelican_urls()
        written += [w for unit in self._write_units(pages.units(site, last=True)) for w in unit]
        publish.write_files(
            site.data_files + self._theme_files(),
            Path(self.output_path),
            self.settings.get("FLAGBOARD_PREVIOUS"),
        )
        for kind, url, path, title in written:
            context = self.context | {"page_kind": kind, "page_url": url, "title": title}
            signals.content_written.send(path, context=context)

    # -- helpers ----------------------------------------------------------------------------

    def _write_units(self, units) -> list[list[tuple[str, str, str, str]]]:
        """Build and write each unit's pages; (kind, url, path, title) of each, unit by unit."""
        return [[self._write(page) for page in pages.build(self.site, unit)] for unit in units]

    def _write(self, page: Page) -> tuple[str, str, str, str]:
        """Render a page with its kind's template and write it (what Pelican's writer does,
        without firing `content_written` in a child process: see generate_output)."""
        name = page.save_as
        context = self.context.copy()
        if self.settings["RELATIVE_URLS"] and page.template not in pages.ABSOLUTE:
            context["SITEURL"] = path_to_url(get_relative_path(name))
        context["output_file"] = name
        context.update(page_url=page.url, title=page.title, description=page.description)
        context.update(page.context)
        footer = self._footer(context, page.context)
        if footer is not None:
            context["footer_html"] = footer
        output = self._template(page.template).render(context)
        path = sanitised_join(self.output_path, name)
        try:  # most pages have a folder of their own, whose parent exists by then
            os.mkdir(os.path.dirname(path))
        except FileExistsError:
            pass
        except FileNotFoundError:
            os.makedirs(os.path.dirname(path), exist_ok=True)
        previous = self.settings.get("FLAGBOARD_PREVIOUS")
        reuse.write_text(path, output, previous and sanitised_join(previous, name))
        return page.template, page.url, path, page.title

    def _footer(self, context: dict, own: dict) -> Markup | None:
        """base.html's footer (_footer.html), rendered once for each site address and data
        version rather than on each of a county's 10,000 pages; None (base.html includes it)
        for a page whose own context holds what else the footer shows."""
        if not FOOTER_INPUTS.isdisjoint(own):
            return None
        footers = self.__dict__.setdefault("_footers", {})
        key = (context["SITEURL"], repr(context.get("data_version")))
        if key not in footers:
            footers[key] = Markup(self.env.get_template(FOOTER).render(context))
        return footers[key]

    def _template(self, kind: str):
        """A kind's template, loaded once (Jinja's get_template checks the file on each call)."""
        templates = self.__dict__.setdefault("_templates", {})
        if kind not in templates:
            templates[kind] = self.env.get_template(pages.KINDS[kind].template)
        return templates[kind]

    def _nav(self) -> list[dict]:
        pelican_pages = {p.slug: p for p in self.context.get("pages", [])}
        return [
            {"label": label, "url": pelican_pages[slug].url}
            for slug, label in self.settings.get("FLAGBOARD_NAV", [])
            if slug in pelican_pages
        ]

    def _pelican_urls(self) -> list[str]:
        """Pelican's own pages and articles (and the articles' index), for the sitemap."""
        urls = [p.url for p in self.context.get("pages", [])]
        urls += [a.url for a in self.context.get("articles", [])]
        if self.context.get("articles"):
            urls.append(self.settings["INDEX_URL"])
        return urls

    def _theme_files(self) -> list[publish.DataFile]:
        """The theme's static/ files (the share image), published from the site's root."""
        static = Path(self.theme) / "static"
        return [
            publish.DataFile(path.relative_to(static).as_posix(), path.name, "", path.read_bytes())
            for path in sorted(static.rglob("*"))
            if path.is_file()
        ]

    def _raw_files(self, doc: dict) -> list[publish.DataFile]:
        """The office's files and the blank forms made from them (see blanks.py)."""
        scores = self.settings.get("FLAGBOARD_SCORES")
        if scores and Path(scores, TOWN_FILE).is_file():
            return publish.scores_files(doc, Path(scores)) + blanks.blank_files(doc, Path(scores))
        return []

    def _package(self, files: list[publish.DataFile]) -> publish.DataFile:
        """/data/datapackage.json describing every published CSV."""
        index = self.site.index
        described = datapackage.package(
            index.town,
            publish.csv_headers(files, Path(self.output_path)),
            self.settings.get("FLAGBOARD_LICENSE") or "CC-BY-4.0",
            self.settings["SITEURL"],
            {c["name"]: c["full_marks"] for c in index.categories},
        )
        note = "以上全部 CSV 文件的说明（Frictionless Data Package，供程序读取）"
        data = datapackage.package_bytes(described)
        return publish.DataFile(datapackage.PACKAGE_PATH, "datapackage.json", note, data)

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
    # The theme does not change during a build: without this, every page's template, the
    # base.html it extends and each macro file it imports were checked on disk again (a stat
    # each, three or four a page).
    generator.env.auto_reload = False
    # compiled once for all of Pelican's generators, each of which has its own environment
    generator.env.bytecode_cache = shared_cache(generator.env)
    generator.env.getattr = dict_first_getattr(generator.env.getattr)


def dict_first_getattr(jinja_getattr):
    """Jinja's `a.b` tries getattr(a, "b") and, only when that raises, a["b"]: the pages'
    contexts are dicts, so each `.name` in a template raised and caught an AttributeError (a
    county's build: 1.2 million, half a second). A dict's own key comes first here; a dict
    without that key, and anything else, is looked up as Jinja does (`names.items()`)."""

    def getattr_(obj, attribute):
        if type(obj) is dict:
            try:
                return obj[attribute]
            except (KeyError, TypeError):
                pass
        return jinja_getattr(obj, attribute)

    return getattr_


def get_generators(pelican) -> type[Generator]:
    return ResultsPages


class UnsafeContent(Exception):
    """The content folder holds a symbolic link or another file that is not a regular one."""

    exitcode = 1  # plain `pelican` exits with it


def refuse_unsafe_content(pelican) -> None:
    """Stop before Pelican's readers open anything (they would follow a link), and before they
    read a page that takes what is not its own (contentcheck.py, pagecheck.py); and before any
    page is made with an address that is not one (siteurl.py)."""
    address = siteurl.settings_problem(pelican.settings)
    if address:
        raise UnsafeContent(address)
    problems = check_content(Path(pelican.settings["PATH"]), pelican.settings["PAGE_PATHS"])
    if problems:
        _refuse("网站内容文件夹里有不能读取的文件或不能发布的页面：", problems)


def refuse_unsafe_outputs(generators) -> None:
    """Stop before anything is written when Pelican would write where the results do, or
    publish a file from outside content/ (outputs.py): settings can do what pages cannot."""
    if generators:
        problems = outputs.problems(generators, generators[0].settings)
        if problems:
            _refuse("网站内容里的页面或网站设置会写到不属于它们的地方：", problems)


def _refuse(title: str, problems: list) -> None:
    shown = [problem.text() for problem in problems[:LISTED_UNSAFE]]
    if len(problems) > LISTED_UNSAFE:
        shown.append(f"……另有 {len(problems) - LISTED_UNSAFE} 个")
    total = f"共 {len(problems)} 个，请改正后重新生成。"
    raise UnsafeContent("\n".join([title, *shown, total]))


def only_page_readers(readers) -> None:
    """Markdown and HTML only: reStructuredText (docutils is installed) can include any file
    of the machine, and other readers are not ones the pages were checked for."""
    readers.reader_classes = {
        extension: reader
        for extension, reader in readers.reader_classes.items()
        if extension in pagecheck.PAGE_EXTENSIONS or extension == "static"
    }


def read_results(pelican) -> None:
    """FLAGBOARD_RESULTS read once, before the readers run: the content's {镇…} phrases need the
    town's words (FLAGBOARD_WORDS). A path becomes the document; its folder stays the results
    folder. A missing file is left for the generator to report."""
    settings = pelican.settings
    source = settings.get("FLAGBOARD_RESULTS")
    if source is None or (not isinstance(source, dict) and not Path(source).is_file()):
        return
    if not isinstance(source, dict):
        settings.setdefault("FLAGBOARD_RESULTS_DIR", str(Path(source).parent))
        settings["FLAGBOARD_RESULTS"] = source = read_document(source)
    settings["FLAGBOARD_WORDS"] = TownWords.from_document(source)


def sanitize_content(content) -> None:
    """A page's or article's HTML through the allow-list, before Pelican caches `content`; its
    {全镇}, {镇党政办} … in the town's words."""
    if isinstance(content, Static) or not isinstance(getattr(content, "_content", None), str):
        return
    words = content.settings.get("FLAGBOARD_WORDS") or TownWords()
    content._content = boxed_tables(sectioned(words.fill(clean_html(content._content))))
    _check_own_url(content)
    for key in content.settings["FORMATTED_FIELDS"]:
        value = content.metadata.get(key)
        if isinstance(value, str):
            content.metadata[key] = words.fill(clean_html(value))
            setattr(content, "_summary" if key == "summary" else key.lower(), content.metadata[key])
    if isinstance(content.metadata.get("title"), str):
        content.metadata["title"] = content.title = words.fill(content.metadata["title"])


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
    signals.initialized.connect(read_results)
    signals.readers_init.connect(only_page_readers)
    signals.all_generators_finalized.connect(refuse_unsafe_outputs)
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

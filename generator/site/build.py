"""`flagboard build`: validate → compute → Pelican, into a temporary folder swapped in at the end.

A failed build leaves the last good site in --out untouched: every failure, I/O included, is a
BuildFailed (or InvalidData) with a Chinese message. What --out may be, the temporary folder and
the swap are outfolder.py's. Progress and warnings go to callbacks, so that only cli.py prints.
The scores folder's git history (when there is one) gives every page its data version and the
period pages their revisions; dates come from git, so one commit always builds the same bytes.
Publish settings (FLAGBOARD_PUBLISH) refuse a shallow clone, whose history is incomplete.
"""

from __future__ import annotations

import contextlib
import gc
import os
import runpy
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from generator import forked
from generator.history.gitlog import History, collect_history, contains, repo_root_of
from generator.load.loader import load
from generator.problems import InvalidData
from generator.results import results_document
from generator.rules import compute
from generator.site import outfolder, publish, record, siteurl
from generator.site.contentcheck import check_content
from generator.site.outfolder import BuildFailed
from generator.site.plugin import PelicanFailed, run_pelican
from generator.site.revisions import SiteHistory, doubt_warnings, notice_settings, site_history

SHALLOW = (
    "浅克隆只含最近的提交，修订记录不完整，不能发布；"
    "请在工作流的 checkout 中设置 fetch-depth: 0"
    "（本机预览用 pelicanconf.py 时只提示，照常生成）"
)


@dataclass(frozen=True)
class BuildReport:
    out: Path
    pages: int
    files: int
    seconds: float
    summary: str


def build(
    scores: Path,
    out: Path,
    settings_file: Path = Path("pelicanconf.py"),
    content: Path | None = None,
    extra_settings: dict | None = None,
    progress: Callable[[str], None] = lambda line: None,
    warn: Callable[[str], None] = lambda line: None,
    published: str | None = None,
    accept_rewrite: bool = False,
) -> BuildReport:
    """Build the whole site into `out`; raise InvalidData or BuildFailed and keep `out` as it was.

    `published`: where the site published before is (record.py), whose data commit this
    build's history must still hold unless `accept_rewrite`."""
    with _cycle_collector_paused():
        try:
            check = record.check_of(published, accept_rewrite)
        except record.RecordUnavailable as error:
            raise BuildFailed(str(error)) from None
        return _build(scores, out, settings_file, content, extra_settings, progress, warn, check)


@contextlib.contextmanager
def _cycle_collector_paused():
    """A county's build holds millions of small acyclic objects (freed by reference counting);
    the cycle collector walking them again and again cost it seconds, for almost no memory."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _build(scores, out, settings_file, content, extra_settings, progress, warn, check):
    started = time.perf_counter()
    scores, settings_file, target = Path(scores), Path(settings_file), Path(out)
    try:
        out = target.resolve()
        settings = _read_settings(settings_file, extra_settings or {})
        _check_site_url(settings)
        _check_content(settings_file, content, settings)
        outfolder.check_paths(out, scores, settings_file, content, settings)
        with outfolder.workspace(out) as work:
            site = work / "site"
            for_publishing = bool(settings.get("FLAGBOARD_PUBLISH"))
            summary = _generate(
                scores,
                site,
                outfolder.previous_site(out),
                settings_file,
                content,
                extra_settings,
                for_publishing,
                progress,
                warn,
                check,
            )
            (site / outfolder.SITE_MARK).write_text(outfolder.SITE_NOTE, encoding="utf-8")
            outfolder.check_out(out)  # again: nothing may have moved in while the site was made
            outfolder.swap(site, out)
    except OSError as error:
        raise BuildFailed(outfolder.io_problem(error, target)) from error
    names = [n for _, _, found in os.walk(out) for n in found if n != outfolder.SITE_MARK]
    return BuildReport(
        out=out,
        pages=sum(n.endswith(".html") for n in names),
        files=len(names),
        seconds=time.perf_counter() - started,
        summary=summary,
    )


def _generate(
    scores,
    site,
    previous,
    settings_file,
    content,
    extra_settings,
    for_publishing,
    progress,
    warn,
    check,
) -> str:
    """Validate, compute and run Pelican into `site`, linking the pages that `previous` (the
    site being replaced, or None) holds already; returns the data's one-line summary."""
    # Work that needs only the scores folder or the results runs in a second process (where
    # the machine has one to spare) while this one goes on: see forked.py.
    with contextlib.ExitStack() as stack:
        history = stack.enter_context(
            forked.Background(_read_site_history, scores, check.published_commit)
        )
        progress("1/3 校验评分数据……")
        data = load(scores)
        progress(f"    {data.summary()}")
        for problem in data.warnings:
            warn(f"提醒：{problem.text()}")
        progress("2/3 计算红黄旗、奖罚和处理措施……")
        results = compute(data)
        # The published CSVs and results.json, made and written into the site by a second
        # process while this one makes the pages.
        published = stack.enter_context(
            forked.Background(publish.write_computed, data, results, site, previous)
        )
        # Handed to the plugin in memory: re-reading a county's 80 MB results.json cost seconds.
        document = results_document(data, results)
        progress("3/3 生成网站……")
        overrides = {
            "OUTPUT_PATH": str(site),
            "FLAGBOARD_RESULTS": document,
            "FLAGBOARD_RESULT_FILES": published.result,
            "FLAGBOARD_SCORES": str(scores.resolve()),
            "FLAGBOARD_NOTICE": notice_settings(data.town.notice),
            "DELETE_OUTPUT_DIRECTORY": False,
            "FLAGBOARD_PREVIOUS": previous,
            "FLAGBOARD_HISTORY": _site_history(
                history.result(), for_publishing, progress, warn, (scores, check)
            ),
            **(extra_settings or {}),
        }
        if content is not None:
            overrides["PATH"] = str(Path(content).resolve())
        try:
            run_pelican(settings_file.resolve(), overrides)
        except PelicanFailed as error:
            if isinstance(error.__cause__, OSError):  # a full disk, say: said as the others are
                raise error.__cause__ from error
            raise BuildFailed(f"网站生成失败：{error}") from error
    return data.summary()


def _read_site_history(scores: Path, published: str | None) -> tuple:
    """The history as the site's record, with what to tell the user, and whether HEAD's
    history holds the `published` data commit: cheap to pass between processes."""
    history = read_history(scores)
    label = history.version.label if history.available else None
    held = contains(Path(scores).resolve(), published) if published else None
    notes = [f"注意：{history.note}"] if history.note else []
    notes += doubt_warnings(history, str(scores))
    return site_history(history), notes, len(history.commits), label, history.shallow, held


def _site_history(found: tuple, for_publishing: bool, progress, warn, checked) -> SiteHistory:
    provenance, notes, commits, label, shallow, held = found
    if shallow and for_publishing:  # a published site would show the clone's start as the beginning
        raise BuildFailed(SHALLOW)
    for note in notes:
        warn(note)
    if label is not None:
        progress(f"    修订记录：{commits} 次数据提交，数据版本 {label}")
    return _recorded(provenance, held, *checked, progress)


def _recorded(provenance: SiteHistory, held, scores: Path, check, progress) -> SiteHistory:
    """The history with this build's published record, checked against the one published
    before (record.py)."""
    try:
        made, said = record.recorded(check, provenance.data_version, scores, held)
    except record.Rewritten as error:
        raise BuildFailed(str(error)) from None
    progress(said)
    return replace(provenance, published=made)


def read_history(scores: Path) -> History:
    """The scores folder's git history; `available` is False outside a git repository."""
    scores = Path(scores).resolve()
    return collect_history(repo_root_of(scores) or scores, scores)


# -- the settings file ------------------------------------------------------------------


def _read_settings(settings_file: Path, overrides: dict) -> dict:
    """The settings as Pelican will see them (`overrides` win), read before anything is built.

    Pelican runs the settings file as Python; so does this (only site.py imports Pelican), to
    know the content and theme folders to protect and whether the build is for publishing.
    """
    if not settings_file.is_file():
        raise BuildFailed(
            f"找不到网站设置文件 {settings_file}，请在项目根目录运行，或用 --settings 指定"
        )
    try:
        values = runpy.run_path(str(settings_file.resolve()), run_name="flagboard_settings")
    except Exception as error:  # the file is Python: any mistake in it is the user's to fix
        raise BuildFailed(
            f"网站设置文件 {settings_file} 有错误，无法读取：{type(error).__name__}：{error}"
        ) from error
    return {key: value for key, value in values.items() if key.isupper()} | overrides


def _check_site_url(settings: dict) -> None:
    """The site's address is checked before anything is built (siteurl.py); publishing needs
    one: feeds, QR codes and shared links use it."""
    problem = siteurl.settings_problem(settings)
    if problem:
        raise BuildFailed(problem)


def _check_content(settings_file: Path, content, settings: dict) -> None:
    """A link or other non-regular file in the content folder stops the build before Pelican
    reads anything; the folder is taken as given, so that a content folder which is itself a
    link is caught too."""
    folder = content if content is not None else settings.get("PATH")
    if not isinstance(folder, str | os.PathLike) or not str(folder):
        return
    folder = Path(folder)
    if not folder.is_absolute() and content is None:
        folder = settings_file.parent / folder
    problems = check_content(folder, settings.get("PAGE_PATHS") or ["pages"])
    if problems:
        raise InvalidData(problems)


def make_server(out: Path, host: str, port: int):
    """A local preview server for the built site; unknown paths get the site's 404 page."""
    import functools
    import http.server

    root = Path(out).resolve()

    class Handler(http.server.SimpleHTTPRequestHandler):
        def send_error(self, code, message=None, explain=None):
            page = root / "404.html"
            if code != 404 or not page.is_file():
                return super().send_error(code, message, explain)
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def log_message(self, format, *args):  # quiet: the CLI prints what matters
            pass

    handler = functools.partial(Handler, directory=str(root))
    return http.server.ThreadingHTTPServer((host, port), handler)

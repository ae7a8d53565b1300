"""`flagboard build`: validate → compute → Pelican, into a temporary folder swapped in at the end.

A failed build leaves the last good site in --out untouched. Progress and warnings go to
callbacks, so that only cli.py prints. The scores folder's git history (when there is one) gives
every page its data version and the period pages their revisions; dates come from git, so one
commit always builds the same bytes.
"""

from __future__ import annotations

import contextlib
import gc
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import forked, publish
from .history import History, collect_history, repo_root_of
from .load import load
from .results import results_document
from .rules import compute
from .site import PelicanFailed, run_pelican
from .sitehistory import history_settings


class BuildFailed(Exception):
    """The site could not be built; the message says why, in Chinese."""


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
) -> BuildReport:
    """Build the whole site into `out`; raise InvalidData or BuildFailed and keep `out` as it was."""
    with _cycle_collector_paused():
        return _build(scores, out, settings_file, content, extra_settings, progress, warn)


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


def _build(scores, out, settings_file, content, extra_settings, progress, warn) -> BuildReport:
    started = time.perf_counter()
    out = Path(out).resolve()
    _check_paths(out, Path(scores), Path(settings_file), content)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}-building-", dir=out.parent))
    # Work that needs only the scores folder or the results runs in a second process (where
    # the machine has one to spare) while this one goes on: see forked.py.
    try:
        with contextlib.ExitStack() as stack:
            history = stack.enter_context(forked.Background(_read_history_settings, Path(scores)))
            progress("1/3 校验评分数据……")
            data = load(Path(scores))
            progress(f"    {data.summary()}")
            progress("2/3 计算红黄旗、奖罚和处理措施……")
            results = compute(data)
            tables = stack.enter_context(forked.Background(publish.safe_tables, results))
            # Handed to the plugin in memory: re-reading a county's 80 MB results.json cost seconds.
            document = results_document(data, results)
            progress("3/3 生成网站……")
            site = work / "site"
            overrides = {
                "OUTPUT_PATH": str(site),
                "FLAGBOARD_RESULTS": document,
                "FLAGBOARD_RESULT_FILES": lambda: publish.computed_files(tables.result(), document),
                "FLAGBOARD_SCORES": str(Path(scores).resolve()),
                "DELETE_OUTPUT_DIRECTORY": False,
                **_history_settings(history.result(), progress, warn),
                **(extra_settings or {}),
            }
            if content is not None:
                overrides["PATH"] = str(Path(content).resolve())
            try:
                run_pelican(Path(settings_file).resolve(), overrides)
            except PelicanFailed as error:
                raise BuildFailed(f"网站生成失败:{error}") from error
        _swap(site, out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    files = [p for p in out.rglob("*") if p.is_file()]
    return BuildReport(
        out=out,
        pages=sum(p.suffix == ".html" for p in files),
        files=len(files),
        seconds=time.perf_counter() - started,
        summary=data.summary(),
    )


def _read_history_settings(scores: Path) -> tuple[dict, str | None, int, str | None]:
    """The history as plain settings, with what to tell the user: cheap to pass between processes."""
    history = read_history(scores)
    label = history.version.label if history.available else None
    return history_settings(history), history.note, len(history.commits), label


def _history_settings(found: tuple, progress, warn) -> dict:
    settings, note, commits, label = found
    if note:
        warn(f"注意:{note}")
    if label is not None:
        progress(f"    修订记录:{commits} 次数据提交,数据版本 {label}")
    return settings


def read_history(scores: Path) -> History:
    """The scores folder's git history; `available` is False outside a git repository."""
    scores = Path(scores).resolve()
    return collect_history(repo_root_of(scores) or scores, scores)


def _check_paths(out: Path, scores: Path, settings_file: Path, content: Path | None) -> None:
    if not settings_file.is_file():
        raise BuildFailed(
            f"找不到网站设置文件 {settings_file},请在项目根目录运行,或用 --settings 指定"
        )
    if content is not None and not Path(content).is_dir():
        raise BuildFailed(f"找不到网站内容文件夹 {content},请检查 --content 参数")
    sources = [scores.resolve()] + ([Path(content).resolve()] if content is not None else [])
    roots = [Path.cwd(), settings_file.resolve().parent, *sources]
    if any(out == p or out in p.parents for p in roots) or any(p in out.parents for p in sources):
        raise BuildFailed(f"输出文件夹 {out} 会覆盖数据或源文件,请换一个 --out 文件夹")
    if out.exists() and any(out.iterdir()) and not (out / "index.html").is_file():
        raise BuildFailed(f"输出文件夹 {out} 不是空的,也不像本工具生成的网站,为安全起见不予覆盖")


def _swap(site: Path, out: Path) -> None:
    """Put the new site in place of the old one with two renames on the same disk."""
    if not out.exists():
        site.rename(out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}-old-", dir=out.parent))
    old.rmdir()
    out.rename(old)
    try:
        site.rename(out)
    except OSError:
        old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)


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

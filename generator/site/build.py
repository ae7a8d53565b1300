"""`flagboard build`: validate → compute → Pelican, into a temporary folder swapped in at the end.

A failed build leaves the last good site in --out untouched: every failure, I/O included, is a
BuildFailed (or InvalidData) with a Chinese message. --out is replaced only when it is missing,
empty or marked as a site flagboard built (SITE_MARK), never when it holds or lies in the
project's sources. The temporary folder sits next to --out, marked and locked (BUILD_MARK) for
as long as its build runs, so that the next build can remove the leftovers of a killed one.
Progress and warnings go to callbacks, so that only cli.py prints. The scores folder's git
history (when there is one) gives every page its data version and the period pages their
revisions; dates come from git, so one commit always builds the same bytes. Publish settings
(FLAGBOARD_PUBLISH) refuse a shallow clone, whose history is incomplete.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import gc
import os
import re
import runpy
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator import forked
from generator.history.gitlog import History, collect_history, repo_root_of
from generator.layout import SITE_MARK
from generator.load.loader import load
from generator.problems import InvalidData
from generator.results import results_document
from generator.rules import compute
from generator.site import publish
from generator.site.contentcheck import check_content
from generator.site.plugin import PelicanFailed, run_pelican
from generator.site.revisions import SiteHistory, notice_settings, site_history

try:
    import fcntl
except ImportError:  # Windows: no flock; leftovers of killed builds stay (and are git-ignored)
    fcntl = None

SITE_NOTE = (
    "此文件夹是 flagboard build 生成的网站。\n"
    "再次生成时，整个文件夹会被新生成的网站替换：请不要在这里存放其他文件。\n"
    "删除本文件后，flagboard 就不会再覆盖此文件夹。\n"
)
BUILD_MARK = ".flagboard-build"
BUILD_NOTE = (
    "此文件夹是 flagboard build 正在生成网站时用的临时文件夹。\n"
    "生成结束时会自动删除；生成被中断而留下的，下次生成时自动清理。\n"
)
SHALLOW = (
    "浅克隆只含最近的提交，修订记录不完整，不能发布；"
    "请在工作流的 checkout 中设置 fetch-depth: 0"
    "（本机预览用 pelicanconf.py 时只提示，照常生成）"
)

SITE_URL = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]+)?(/[^\s/?#]+)*")
SITE_URL_FIX = (
    "请设置环境变量 FLAGBOARD_SITEURL 为网站地址（末尾不加 /），例如 "
    "FLAGBOARD_SITEURL=https://hhq.example.gov.cn make site SETTINGS=publishconf.py；"
    "GitHub 工作流在「构建网站」一步按仓库变量 FLAGBOARD_SITEURL 或 GitHub Pages 的地址设置它"
    "（本机预览请用 pelicanconf.py，不需要网站地址）"
)


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
    scores, settings_file, target = Path(scores), Path(settings_file), Path(out)
    try:
        out = target.resolve()
        settings = _read_settings(settings_file, extra_settings or {})
        _check_site_url(settings)
        _check_content(settings_file, content, settings)
        _check_paths(out, scores, settings_file, content, settings)
        with _workspace(out) as work:
            site = work / "site"
            for_publishing = bool(settings.get("FLAGBOARD_PUBLISH"))
            summary = _generate(
                scores, site, settings_file, content, extra_settings, for_publishing, progress, warn
            )
            (site / SITE_MARK).write_text(SITE_NOTE, encoding="utf-8")
            _check_out(out)  # again: nothing may have moved in while the site was made
            _swap(site, out)
    except OSError as error:
        raise BuildFailed(_io_problem(error, target)) from error
    names = [n for _, _, found in os.walk(out) for n in found if n != SITE_MARK]
    return BuildReport(
        out=out,
        pages=sum(n.endswith(".html") for n in names),
        files=len(names),
        seconds=time.perf_counter() - started,
        summary=summary,
    )


def _generate(
    scores, site, settings_file, content, extra_settings, for_publishing, progress, warn
) -> str:
    """Validate, compute and run Pelican into `site`; returns the data's one-line summary."""
    # Work that needs only the scores folder or the results runs in a second process (where
    # the machine has one to spare) while this one goes on: see forked.py.
    with contextlib.ExitStack() as stack:
        history = stack.enter_context(forked.Background(_read_site_history, scores))
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
            forked.Background(publish.write_computed, data, results, site)
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
            "FLAGBOARD_HISTORY": _site_history(history.result(), for_publishing, progress, warn),
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


def _read_site_history(scores: Path) -> tuple[SiteHistory, str | None, int, str | None, bool]:
    """The history as the site's record, with what to tell the user: cheap to pass between
    processes."""
    history = read_history(scores)
    label = history.version.label if history.available else None
    return site_history(history), history.note, len(history.commits), label, history.shallow


def _site_history(found: tuple, for_publishing: bool, progress, warn) -> SiteHistory:
    record, note, commits, label, shallow = found
    if shallow and for_publishing:  # a published site would show the clone's start as the beginning
        raise BuildFailed(SHALLOW)
    if note:
        warn(f"注意：{note}")
    if label is not None:
        progress(f"    修订记录：{commits} 次数据提交，数据版本 {label}")
    return record


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
    """Publishing needs the site's absolute address: feeds, QR codes and shared links use it."""
    url = settings.get("SITEURL")
    if not settings.get("FLAGBOARD_PUBLISH") or (isinstance(url, str) and SITE_URL.fullmatch(url)):
        return
    found = (
        f"网站地址「{str(url)[:40]}」不是以 http:// 或 https:// 开头的完整地址"
        if url
        else "没有设置网站地址"
    )
    raise BuildFailed(f"{found}，不能发布；{SITE_URL_FIX}")


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
    problems = check_content(folder)
    if problems:
        raise InvalidData(problems)


def _setting_folder(settings_file: Path, value) -> Path | None:
    """A folder setting (PATH, THEME) as Pelican resolves it: relative to the settings file."""
    if not isinstance(value, str | os.PathLike) or not str(value):
        return None
    return (settings_file.resolve().parent / value).resolve()


# -- where the site may go --------------------------------------------------------------

FIX = "请换一个 --out 文件夹（例如项目根目录下的 output）"


def _check_paths(out: Path, scores: Path, settings_file: Path, content, settings: dict) -> None:
    """--out may hold no source and lie in none, and may be replaced (see _check_out)."""
    if content is not None and not Path(content).is_dir():
        raise BuildFailed(f"找不到网站内容文件夹 {content}，请检查 --content 参数")
    sources, around = _project_folders(scores, settings_file, content, settings)
    for label, folder in sources + around:
        if out == folder or out in folder.parents:
            raise BuildFailed(f"输出文件夹 {out} 包含{label} {folder}，会覆盖数据或源文件；{FIX}")
    for label, folder in sources:
        if folder in out.parents:
            raise BuildFailed(
                f"输出文件夹 {out} 位于{label} {folder} 之内，会覆盖数据或源文件；{FIX}"
            )
    if ".git" in out.parts:
        raise BuildFailed(
            f"输出文件夹 {out} 位于 Git 仓库的内部文件夹 .git 之内，会覆盖数据或源文件；{FIX}"
        )
    _check_out(out)


def _project_folders(scores: Path, settings_file: Path, content, settings: dict):
    """(source folders: --out may neither hold nor lie in one; folders it may only not hold).

    The sources are what the build reads or runs: the scores, the content and the theme, the
    package, the tests and workflows next to the settings file. Around them: the folder the
    command runs in, the settings file's folder and the git repositories of both.
    """
    here = settings_file.resolve().parent
    content_folder = Path(content) if content is not None else settings.get("PATH")
    named = [
        ("评分数据文件夹", scores.resolve()),
        ("网站内容文件夹", _setting_folder(settings_file, content_folder)),
        ("主题文件夹", _setting_folder(settings_file, settings.get("THEME"))),
        ("程序文件夹", Path(__file__).resolve().parent.parent),
        ("程序文件夹", here / "generator"),
        ("测试文件夹", here / "tests"),
        ("工作流文件夹", here / ".github"),
    ]
    repos = {repo_root_of(here), repo_root_of(scores.resolve())} - {None}
    around = [("当前文件夹", Path.cwd().resolve()), ("网站设置文件所在的文件夹", here)]
    around += [("Git 仓库", root.resolve()) for root in sorted(repos)]
    return [(label, folder) for label, folder in named if folder is not None], around


def _check_out(out: Path) -> None:
    """--out is missing, an empty folder or a site flagboard built, and its parent is writable."""
    if out.exists() and not out.is_dir():
        raise BuildFailed(
            f"输出路径 {out} 是一个文件，不是文件夹；请换一个 --out 文件夹，或先移走这个文件"
        )
    if out.is_dir() and not _replaceable(out):
        legacy = "（如果这是旧版 flagboard 生成的网站，自己删除该文件夹后重新生成即可）"
        raise BuildFailed(
            f"输出文件夹 {out} 不是空的，里面也没有 flagboard 生成网站时写下的标记文件 "
            f"{SITE_MARK}，为安全起见不予覆盖；请换一个 --out 文件夹，或自己确认其中的文件"
            f"不再需要、清空后再生成{legacy if (out / 'index.html').is_file() else ''}"
        )
    parent = out.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise BuildFailed(f"{parent} 是一个文件，不是文件夹，无法在其中生成 {out}；{FIX}")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise BuildFailed(f"没有权限在 {parent} 中写入（只读或权限不足），无法生成 {out}；{FIX}")


def _replaceable(out: Path) -> bool:
    """An empty folder, or one holding the marker every site flagboard builds carries."""
    with os.scandir(out) as entries:
        if next(entries, None) is None:
            return True
    return _regular_file(out / SITE_MARK)


def _regular_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


# -- the temporary folder ---------------------------------------------------------------


def _work_prefix(out: Path) -> str:
    return f".{out.name}-building-"


# Below this many entries per process, deleting in one process is as quick.
REMOVED_PER_JOB = 200


@contextlib.contextmanager
def _workspace(out: Path):
    """This build's temporary folder, next to --out (one disk: the swap is a rename), marked
    and locked as this build's for as long as it runs; killed builds' leftovers go first."""
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale(out)
    work = Path(tempfile.mkdtemp(prefix=_work_prefix(out), dir=out.parent))
    lock = None
    try:
        lock = _claim(work)
        yield work
    finally:
        _remove(work)
        if lock is not None:
            os.close(lock)


def _remove(folder: Path) -> None:
    """Delete a folder (after the swap: the old site) in twice as many processes as there are
    cores: deleting waits on the disk as much as it works (a county's old site, 15,000 files
    and folders, took 2.7 s in one process, 1.9 s in two and 1.4-1.7 s in four on 2 cores)."""
    parts = []
    with contextlib.suppress(OSError):
        for top in os.scandir(folder):
            if top.is_dir(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    parts += [entry.path for entry in os.scandir(top.path)]
    forked.map_split(_remove_each, parts, 2 * forked.cores(), minimum=REMOVED_PER_JOB)
    shutil.rmtree(folder, ignore_errors=True)


def _remove_each(paths: list[str]) -> list[None]:
    for path in paths:
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                os.unlink(path)
    return [None] * len(paths)


def _claim(work: Path) -> int:
    """Mark `work` as a running build's: the marker is locked before it gets its name, so no
    other build ever sees it marked and unlocked. The lock (flock) lasts while the returned
    descriptor is open in this process or a forked child, and ends with them, however they end.
    """
    pending = work / f"{BUILD_MARK}.pending"
    fd = os.open(pending, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, BUILD_NOTE.encode("utf-8"))
        os.rename(pending, work / BUILD_MARK)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _remove_stale(out: Path) -> None:
    """Remove the temporary folders of killed builds of --out: only a folder named like one,
    holding flagboard's marker, and whose marker no running build holds locked."""
    if fcntl is None:
        return
    prefix = _work_prefix(out)
    with os.scandir(out.parent) as entries:
        found = [Path(e.path) for e in entries if e.name.startswith(prefix)]
    for folder in found:
        if _abandoned(folder):
            shutil.rmtree(folder, ignore_errors=True)


def _abandoned(folder: Path) -> bool:
    if folder.is_symlink() or not folder.is_dir():
        return False
    try:  # O_NONBLOCK: a FIFO put there must not hang the build
        fd = os.open(folder / BUILD_MARK, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return False  # unmarked: not flagboard's, or a build that has only just begun
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:  # BlockingIOError: a running build holds it
        return False
    finally:
        os.close(fd)


# -- the swap ---------------------------------------------------------------------------

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _swap(site: Path, out: Path) -> None:
    """Put the new site at `out`, with no moment at which `out` is missing.

    rename() onto a folder works only when that folder is empty, so replacing a site by renames
    takes two of them (out aside, then site to out), and between the two `out` does not exist:
    a visitor gets an error, and a build killed right then leaves no site at all. Linux (since
    3.15) has renameat2(RENAME_EXCHANGE), which swaps two paths in one atomic step: `out` names
    the old site until, at once, it names the new one. The old site lands where the new one
    was, inside the temporary folder, and goes with it. Python has no binding for it, so it is
    called through ctypes. Only where the system lacks it (not Linux, a C library without the
    function, ENOSYS from an old kernel, EINVAL from a file system without exchange) do the
    two renames run; the old site then waits inside the temporary folder (marked and locked,
    so a kill leaves nothing another build cannot clean) and is put back if the second fails.
    """
    if not out.exists():
        site.rename(out)
    elif not _exchange(site, out):
        _rename_twice(site, out)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False where this system or file system cannot."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL):
        return False
    raise OSError(code, os.strerror(code), str(b))


@functools.cache
def _renameat2():
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library older than glibc 2.28
        return None
    function.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    function.restype = ctypes.c_int
    return function


def _rename_twice(site: Path, out: Path) -> None:
    old = site.parent / "old"
    out.rename(old)
    try:
        site.rename(out)
    except OSError:
        old.rename(out)
        raise


# -- I/O failures -----------------------------------------------------------------------

_REASONS = {
    errno.EACCES: "没有权限",
    errno.EPERM: "操作不被允许（没有权限，或文件被设为不可修改）",
    errno.EROFS: "所在磁盘是只读的",
    errno.ENOSPC: "磁盘空间不足",
    getattr(errno, "EDQUOT", -1): "超出磁盘配额",
    errno.EIO: "磁盘读写错误",
    errno.ENOTDIR: "路径中有一段是文件，不是文件夹",
    errno.EISDIR: "应是文件，却是文件夹",
    errno.ENOENT: "找不到文件或文件夹",
    errno.EEXIST: "已经存在",
    errno.ENOTEMPTY: "文件夹不是空的",
    errno.EBUSY: "正被其他程序使用，或是挂载点",
    errno.EXDEV: "不在同一个磁盘上",
    errno.ENAMETOOLONG: "路径太长",
    errno.ELOOP: "符号链接太多层",
}


def _io_problem(error: OSError, out: Path) -> str:
    """An OSError as a Chinese message: the path, the reason, what to do; the site is as it was."""
    reason = (
        _REASONS.get(error.errno) or f"系统错误 {errno.errorcode.get(error.errno, error.errno)}"
    )
    where = f" {error.filename} " if error.filename else ""
    return (
        f"读写文件{where}时出错：{reason}。输出文件夹 {out} 保持原样；"
        "请检查磁盘空间和权限，或换一个 --out 文件夹"
    )


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

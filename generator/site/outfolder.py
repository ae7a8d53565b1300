"""The --out folder: what may be replaced, the build's temporary folder and the atomic swap.

--out is replaced only when it is missing, empty or marked as a site flagboard built
(SITE_MARK), never when it holds or lies in the project's sources. The temporary folder sits
next to --out, marked and locked (BUILD_MARK) for as long as its build runs, so that the next
build can remove the leftovers of a killed one; the new site takes --out's place in one atomic
step. Every failure is a BuildFailed with a Chinese message, and --out stays as it was.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import os
import shutil
import stat
import sys
import tempfile
from pathlib import Path

from generator import catalogue, forked
from generator.history.gitlog import repo_root_of
from generator.layout import SITE_MARK  # also what publish looks for (generator/deploy)

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


class BuildFailed(Exception):
    """The site could not be built; the message says why, in Chinese."""


# -- where the site may go --------------------------------------------------------------

FIX = "请换一个 --out 文件夹（例如项目根目录下的 output）"


def check_paths(out: Path, scores: Path, settings_file: Path, content, settings: dict) -> None:
    """--out may hold no source and lie in none, and may be replaced (see check_out)."""
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
    check_out(out)


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


def _setting_folder(settings_file: Path, value) -> Path | None:
    """A folder setting (PATH, THEME) as Pelican resolves it: relative to the settings file."""
    if not isinstance(value, str | os.PathLike) or not str(value):
        return None
    return (settings_file.resolve().parent / value).resolve()


def check_out(out: Path) -> None:
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


def previous_site(out: Path) -> str | None:
    """The site flagboard built at `out` that this build replaces (its pages may be linked,
    see reuse.py), or None: no such site, or an empty folder."""
    return str(out) if _regular_file(out / SITE_MARK) else None


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
def workspace(out: Path):
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


def swap(site: Path, out: Path) -> None:
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


def io_problem(error: OSError, out: Path) -> str:
    """An OSError as a Chinese message: the path, the reason, what to do; the site is as it was."""
    reason = catalogue.os_reason(error)
    where = f" {error.filename} " if error.filename else ""
    return (
        f"读写文件{where}时出错：{reason}。输出文件夹 {out} 保持原样；"
        "请检查磁盘空间和权限，或换一个 --out 文件夹"
    )

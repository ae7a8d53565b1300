"""`flagboard build --out`: what may be replaced, the atomic swap, killed builds, I/O failures and
publishing from a shallow clone. Real towns, real builds, real processes and real file systems."""

from __future__ import annotations

import contextlib
import fcntl
import json
import multiprocessing
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from _history_helpers import APRIL, DataRepo, csv_bytes, period_rows
from _mount_helpers import PRIVATE_MOUNT, run_in_private_mount
from _site_helpers import ROOT, build_site, small_town

from generator.cli import main
from generator.site import outfolder
from generator.site.build import BuildFailed, build
from generator.site.outfolder import BUILD_MARK, SITE_MARK, SITE_NOTE

LINUX = sys.platform.startswith("linux")


@pytest.fixture(scope="module")
def scores(tmp_path_factory) -> Path:
    return small_town(tmp_path_factory.mktemp("town") / "scores")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (dotfiles included) by its relative path, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def flagboard(*args: str, **popen) -> subprocess.Popen:
    """`flagboard …` as its own process (and process group), run from the repository root."""
    command = [sys.executable, "-m", "generator.cli", *args]
    return subprocess.Popen(command, cwd=ROOT, start_new_session=True, **popen)


def cli(*args: str) -> int:
    with contextlib.chdir(ROOT):
        return main(list(args))


# -- what --out may be ------------------------------------------------------------------


def test_a_folder_holding_an_index_and_other_files_is_refused_and_kept(scores, tmp_path):
    out = tmp_path / "out"
    (out / "photos").mkdir(parents=True)
    (out / "index.html").write_text("<p>我的主页</p>", "utf-8")
    (out / "notes.txt").write_text("会议记录", "utf-8")
    (out / "photos" / "a.jpg").write_bytes(b"\xff\xd8photo")
    before = snapshot(out)
    with pytest.raises(BuildFailed, match="不予覆盖") as refused:
        build_site(scores, out)
    assert SITE_MARK in str(refused.value) and "旧版 flagboard" in str(refused.value)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no temporary folder left


@pytest.mark.parametrize(
    ("where", "says"),
    [
        (lambda s: ROOT / "theme" / "templates", "位于主题文件夹"),
        (lambda s: ROOT / "theme" / "new-site", "位于主题文件夹"),
        (lambda s: ROOT / "theme", "包含主题文件夹"),
        (lambda s: ROOT / "content" / "pages", "位于网站内容文件夹"),
        (lambda s: ROOT / "generator", "包含程序文件夹"),
        (lambda s: ROOT / "tests" / "site", "位于测试文件夹"),
        (lambda s: ROOT / ".github" / "site", "位于工作流文件夹"),
        (lambda s: ROOT / ".git" / "site", ".git 之内"),
        (lambda s: ROOT, "包含"),
        (lambda s: ROOT.parent, "包含"),
        (lambda s: s / "site", "位于评分数据文件夹"),
        (lambda s: s, "包含评分数据文件夹"),
        (lambda s: s.parent, "包含评分数据文件夹"),
    ],
)
def test_the_projects_own_sources_are_refused_with_the_folder_and_the_fix(scores, where, says):
    out = where(scores)
    existed = out.exists()
    with pytest.raises(BuildFailed, match="会覆盖数据或源文件") as refused:
        build_site(scores, out)
    message = str(refused.value)
    assert says in message and "请换一个 --out 文件夹" in message and str(out) in message
    assert out.exists() == existed
    assert not list(out.parent.glob(f".{out.name}-building-*"))


def test_theme_templates_survive_a_build_aimed_at_them(scores):
    templates = ROOT / "theme" / "templates"
    before = snapshot(templates)
    assert cli("build", "--scores", str(scores), "--out", str(templates)) == 1
    assert snapshot(templates) == before


def test_a_missing_or_empty_folder_is_built_and_marked_and_then_rebuilt(scores, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    for out in (empty, tmp_path / "missing" / "deeper"):
        build_site(scores, out)
        assert (out / SITE_MARK).read_text("utf-8") == SITE_NOTE
        assert (out / "index.html").is_file()
        (out / "left-over.txt").write_text("旧网站里的文件", "utf-8")
        report = build_site(scores, out)  # marked: replaced as a whole
        assert not (out / "left-over.txt").exists() and (out / SITE_MARK).is_file()
        assert report.files == sum(1 for p in out.rglob("*") if p.is_file()) - 1  # not the mark


def test_a_site_whose_mark_was_deleted_is_no_longer_replaced(scores, tmp_path):
    out = tmp_path / "out"
    build_site(scores, out)
    (out / SITE_MARK).unlink()
    before = snapshot(out)
    with pytest.raises(BuildFailed, match="不予覆盖"):
        build_site(scores, out)
    assert snapshot(out) == before


def test_a_mark_that_is_a_link_or_a_folder_does_not_count(scores, tmp_path):
    for kind in ("link", "folder"):
        out = tmp_path / kind
        out.mkdir()
        (out / "notes.txt").write_text("别删我", "utf-8")
        if kind == "link":
            (tmp_path / "real-mark").write_text(SITE_NOTE, "utf-8")
            (out / SITE_MARK).symlink_to(tmp_path / "real-mark")
        else:
            (out / SITE_MARK).mkdir()
        with pytest.raises(BuildFailed, match="不予覆盖"):
            build_site(scores, out)
        assert (out / "notes.txt").read_text("utf-8") == "别删我"


# -- I/O failures: a Chinese message, exit 1, the last site untouched ----------------------------


def test_an_out_that_is_a_file_is_a_message_not_a_traceback(scores, tmp_path, capsys):
    out = tmp_path / "site.html"
    out.write_text("一个文件", "utf-8")
    assert cli("build", "--scores", str(scores), "--out", str(out)) == 1
    err = capsys.readouterr().err
    assert "是一个文件，不是文件夹" in err and "保持不变" in err and "Traceback" not in err
    assert out.read_text("utf-8") == "一个文件"


def test_an_out_below_a_file_is_a_message_not_a_traceback(scores, tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("笔记", "utf-8")
    assert cli("build", "--scores", str(scores), "--out", str(tmp_path / "notes.txt" / "site")) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'notes.txt'} 是一个文件，不是文件夹" in err
    assert (tmp_path / "notes.txt").read_text("utf-8") == "笔记"


@contextlib.contextmanager
def read_only(folder: Path):
    """`folder` made unwritable for this process: chmod, or for root (whom chmod does not stop)
    the immutable attribute; skips where neither can be set."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    if not shutil.which("chattr") or subprocess.run(["chattr", "+i", str(folder)]).returncode:
        pytest.skip("root, and this file system cannot make a folder immutable (chattr +i)")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_a_read_only_parent_is_a_message_and_the_site_stays(scores, tmp_path, capsys):
    parent = tmp_path / "www"
    out = parent / "site"
    build_site(scores, out)
    before = snapshot(out)
    with read_only(parent):
        assert cli("build", "--scores", str(scores), "--out", str(out)) == 1
    err = capsys.readouterr().err
    assert f"没有权限在 {parent} 中写入" in err and "Traceback" not in err
    assert snapshot(out) == before
    assert sorted(p.name for p in parent.iterdir()) == ["site"]


@pytest.mark.skipif(not LINUX or os.geteuid() != 0, reason="/sys refuses new folders even to root")
def test_a_folder_the_system_refuses_to_create_is_a_message(scores, capsys):
    # os.access says root may write to /sys; only mkdir finds out: the write path's own message.
    assert cli("build", "--scores", str(scores), "--out", "/sys/flagboard-site") == 1
    err = capsys.readouterr().err
    assert "读写文件 /sys/" in err and "时出错" in err and "Traceback" not in err


def test_io_errors_read_as_chinese_with_the_path(tmp_path):
    with pytest.raises(OSError) as raised:
        (tmp_path / "missing" / "file").open("rb")
    message = outfolder.io_problem(raised.value, tmp_path / "out")
    assert message.startswith(
        f"读写文件 {tmp_path / 'missing' / 'file'} 时出错：找不到文件或文件夹"
    )
    assert f"{tmp_path / 'out'} 保持原样" in message


DISK_FULL = """
import json, os, subprocess, sys
disk, scores = sys.argv[1], sys.argv[2]
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", disk], check=True)
def build():
    command = [sys.executable, "-m", "generator.cli", "build", "--scores", scores,
               "--out", os.path.join(disk, "out")]
    return subprocess.run(command, capture_output=True, text=True)
def files():
    root = os.path.join(disk, "out")
    return {os.path.relpath(os.path.join(d, f), root): open(os.path.join(d, f), "rb").read().hex()
            for d, _, names in os.walk(root) for f in names}
first = build()
before = files()
with open(os.path.join(disk, "filler"), "wb") as filler:  # fill the disk, then free 100 KB
    try:
        while True:
            filler.write(b"x" * 65536)
            filler.flush()
    except OSError:
        pass
    os.truncate(filler.fileno(), max(0, filler.tell() - 100_000))
second = build()
print(json.dumps({"first": first.returncode, "second": second.returncode, "err": second.stderr,
                  "same": files() == before, "left": sorted(os.listdir(disk))}))
"""


@PRIVATE_MOUNT
def test_a_full_disk_fails_the_build_in_chinese_and_keeps_the_site(scores, tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    done = run_in_private_mount(DISK_FULL, tmp_path, disk, scores, timeout=120)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["first"] == 0 and found["second"] == 1
    assert "生成失败" in found["err"] and "Traceback" not in found["err"]
    assert "磁盘空间不足" in found["err"]
    assert found["same"] and found["left"] == ["filler", "out"]


# -- the swap: never a moment without --out ----------------------------------------------------


def site_folder(root: Path, text: str) -> Path:
    root.mkdir(parents=True)
    (root / "index.html").write_text(text, "utf-8")
    return root


@pytest.mark.skipif(not LINUX, reason="renameat2 is Linux's")
def test_the_swap_exchanges_both_folders_in_one_step(tmp_path):
    out = site_folder(tmp_path / "out", "旧")
    site = site_folder(tmp_path / "work" / "site", "新")
    old_inode = out.stat().st_ino
    outfolder.swap(site, out)
    assert (out / "index.html").read_text("utf-8") == "新"
    # two renames would have left nothing at `site`: the exchange puts the old site there
    assert (site / "index.html").read_text("utf-8") == "旧" and site.stat().st_ino == old_inode


def watch(path: str, stop, misses, looks) -> None:
    """In another process: look at `path` again and again until told to stop, counting."""
    while not stop.is_set():
        looks.value += 1
        if not os.path.exists(path):
            misses.value += 1


def swaps_watched(tmp_path: Path, swap, most: int) -> tuple[int, int]:
    """(times seen missing, looks) of `out` by another process during up to `most` swaps;
    the swaps stop early once the watcher has seen it missing."""
    context = multiprocessing.get_context("fork")
    out = site_folder(tmp_path / "out", "0")
    stop, misses, looks = context.Event(), context.Value("q", 0), context.Value("q", 0)
    watcher = context.Process(target=watch, args=(str(out / "index.html"), stop, misses, looks))
    watcher.start()
    try:
        deadline = time.monotonic() + 30
        while looks.value < 1000 and time.monotonic() < deadline:
            time.sleep(0.01)
        for number in range(most):
            work = tmp_path / f"work-{number}"
            swap(site_folder(work / "site", str(number)), out)
            shutil.rmtree(work)
            if misses.value:
                break
    finally:
        stop.set()
        watcher.join(timeout=30)
    return misses.value, looks.value


@pytest.mark.skipif(not LINUX, reason="renameat2 is Linux's")
def test_a_watching_process_never_sees_out_missing_during_swaps(tmp_path):
    missing, looked = swaps_watched(tmp_path / "exchange", outfolder.swap, 200)
    assert looked > 1000 and missing == 0
    # the same watcher does see the gap between two renames: it would catch one
    missing, _ = swaps_watched(tmp_path / "renames", outfolder._rename_twice, 3000)
    assert missing > 0


def test_the_two_renames_fallback_replaces_the_site_too(tmp_path):
    out = site_folder(tmp_path / "out", "旧")
    site = site_folder(tmp_path / "work" / "site", "新")
    outfolder._rename_twice(site, out)
    assert (out / "index.html").read_text("utf-8") == "新"
    assert (tmp_path / "work" / "old" / "index.html").read_text("utf-8") == "旧"


def test_out_is_there_all_through_real_rebuilds(scores, tmp_path):
    out = tmp_path / "out"
    build_site(scores, out)
    stop, seen = threading.Event(), {"looks": 0, "missing": 0, "unmarked": 0}

    def look() -> None:
        while not stop.is_set():
            seen["looks"] += 1
            seen["missing"] += not (out / "index.html").is_file()
            seen["unmarked"] += not (out / SITE_MARK).is_file()

    watcher = threading.Thread(target=look)
    watcher.start()
    try:
        for _ in range(3):
            build_site(scores, out)
    finally:
        stop.set()
        watcher.join()
    assert seen["looks"] > 100 and seen["missing"] == 0 and seen["unmarked"] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


# -- killed builds --------------------------------------------------------------------------


def temp_folders(out: Path) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}-building-*"))


def start_build_and_wait_for_its_folder(scores: Path, out: Path) -> tuple[subprocess.Popen, Path]:
    """A real `flagboard build` process, caught once its marked temporary folder exists."""
    before = set(temp_folders(out))
    process = flagboard(
        "build",
        "--scores",
        str(scores),
        "--out",
        str(out),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        new = [p for p in temp_folders(out) if p not in before and (p / BUILD_MARK).is_file()]
        if new:
            return process, new[0]
        time.sleep(0.005)
    process.kill()
    pytest.fail("the build never showed its temporary folder")


def wait_until_unlocked(folder: Path) -> None:
    """A killed build's forked children share its lock and die a moment after it: wait for them."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        fd = os.open(folder / BUILD_MARK, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            time.sleep(0.01)
        finally:
            os.close(fd)
    pytest.fail(f"{folder} stayed locked after its build was killed")


def test_a_killed_builds_folder_is_removed_by_the_next_build_but_a_running_ones_is_not(
    scores, tmp_path
):
    out = tmp_path / "out"
    running, running_folder = start_build_and_wait_for_its_folder(scores, out)
    os.killpg(running.pid, signal.SIGSTOP)  # still running, however long it takes
    try:
        killed, killed_folder = start_build_and_wait_for_its_folder(scores, out)
        os.killpg(killed.pid, signal.SIGKILL)
        killed.wait(timeout=30)
        wait_until_unlocked(killed_folder)
        assert killed_folder.is_dir() and running_folder.is_dir()  # killed: nobody cleaned up
        stranger = tmp_path / f".{out.name}-building-mine"
        stranger.mkdir()
        (stranger / "notes.txt").write_text("不是 flagboard 的", "utf-8")
        build_site(scores, out)
        assert not killed_folder.exists()
        assert running_folder.is_dir() and (running_folder / BUILD_MARK).is_file()
        assert (stranger / "notes.txt").is_file()  # unmarked: not flagboard's to remove
    finally:
        os.killpg(running.pid, signal.SIGKILL)
        running.wait(timeout=30)
    wait_until_unlocked(running_folder)
    build_site(scores, out)
    assert temp_folders(out) == [stranger]
    assert (out / "index.html").is_file() and (out / SITE_MARK).is_file()


def test_git_ignores_the_temporary_folders(tmp_path):
    for name in (".output-building-k2j4d8/", ".site-old-x1y2z3/"):
        done = subprocess.run(["git", "check-ignore", "-q", "--no-index", name], cwd=ROOT)
        assert done.returncode == 0, name
    done = subprocess.run(["git", "check-ignore", "-q", "--no-index", "output-notes/"], cwd=ROOT)
    assert done.returncode == 1


# -- publishing from a shallow clone ---------------------------------------------------------


@pytest.fixture(scope="module")
def clones(tmp_path_factory) -> tuple[Path, Path]:
    """(a full clone, a shallow clone) of a town's data repository with two commits."""
    root = tmp_path_factory.mktemp("clones")
    repo = DataRepo(root / "repo").town()
    repo.commit("录入2024年3月评分", "张会计", "2024-04-05T10:00:00+08:00")
    repo.write("2024/2024-04.csv", csv_bytes(period_rows(APRIL)))
    repo.commit("录入2024年4月评分", "李主任", "2024-05-06T16:30:00+08:00")
    for name, depth in (("full", []), ("shallow", ["--depth", "1"])):
        repo.git("clone", "-q", *depth, f"file://{repo.root}", str(root / name))
    return root / "full" / "scores", root / "shallow" / "scores"


def test_publishing_from_a_shallow_clone_fails_and_builds_nothing(
    clones, tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("FLAGBOARD_SITEURL", "https://hhq.example.cn")
    _, shallow = clones
    out = tmp_path / "out"
    settings = str(ROOT / "publishconf.py")
    assert cli("build", "--scores", str(shallow), "--out", str(out), "--settings", settings) == 1
    err = capsys.readouterr().err
    assert "浅克隆只含最近的提交，修订记录不完整，不能发布" in err
    assert "请在工作流的 checkout 中设置 fetch-depth: 0" in err and "Traceback" not in err
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_preview_of_a_shallow_clone_warns_and_builds(clones, tmp_path, capsys):
    _, shallow = clones
    assert cli("build", "--scores", str(shallow), "--out", str(tmp_path / "out")) == 0
    err = capsys.readouterr().err
    assert "浅克隆" in err and "不能发布" not in err
    assert (tmp_path / "out" / "index.html").is_file()


def test_publishing_from_a_full_clone_builds(clones, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("FLAGBOARD_SITEURL", "https://hhq.example.cn")
    full, _ = clones
    out = tmp_path / "out"
    settings = str(ROOT / "publishconf.py")
    assert cli("build", "--scores", str(full), "--out", str(out), "--settings", settings) == 0
    assert "浅克隆" not in capsys.readouterr().err
    assert "https://hhq.example.cn/" in (out / "feed.xml").read_text("utf-8")  # FLAGBOARD_SITEURL


def test_the_publish_flag_is_read_from_the_settings_file_and_overrides(
    clones, tmp_path, monkeypatch
):
    monkeypatch.setenv("FLAGBOARD_SITEURL", "https://hhq.example.cn")
    _, shallow = clones
    settings = tmp_path / "conf" / "mypublish.py"
    settings.parent.mkdir()
    settings.write_text(
        f"import runpy\nglobals().update(runpy.run_path({str(ROOT / 'publishconf.py')!r}))\n"
        f"THEME = {str(ROOT / 'theme')!r}\n",
        "utf-8",
    )
    with contextlib.chdir(ROOT), pytest.raises(BuildFailed, match="不能发布"):
        build(shallow, tmp_path / "a", settings, ROOT / "content")
    with contextlib.chdir(ROOT):
        build(shallow, tmp_path / "b", settings, ROOT / "content", {"FLAGBOARD_PUBLISH": False})
    assert (tmp_path / "b" / "index.html").is_file()


def test_a_broken_settings_file_is_a_chinese_message(scores, tmp_path):
    settings = tmp_path / "broken.py"
    settings.write_text("SITENAME = '红黄旗'\nTHEME = missing_name\n", "utf-8")
    with pytest.raises(BuildFailed, match="网站设置文件 .*broken.py 有错误，无法读取：NameError"):
        build(scores, tmp_path / "out", settings)
    assert not (tmp_path / "out").exists()


# -- serve -------------------------------------------------------------------------------


def test_serve_on_a_taken_port_is_a_message(scores, tmp_path, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        assert (
            cli("serve", "--scores", str(scores), "--out", str(tmp_path / "out"), "--port", port)
            == 1
        )
    err = capsys.readouterr().err
    assert f"无法在端口 {port} 启动预览" in err and "--port" in err and "Traceback" not in err


def test_the_old_site_is_deleted_by_several_processes_without_following_links(tmp_path: Path):
    """_remove splits a large old site between processes; a link inside it goes, not what it
    points to."""
    old = tmp_path / "old"
    for village in range(450):
        page = old / "village" / f"v{village:03d}" / "2020"
        page.mkdir(parents=True)
        (page / "index.html").write_text("x", encoding="utf-8")
    (old / "index.html").write_text("x", encoding="utf-8")
    kept = tmp_path / "kept"
    kept.mkdir()
    (kept / "data.csv").write_text("keep", encoding="utf-8")
    (old / "village" / "link").symlink_to(kept, target_is_directory=True)
    (old / "link").symlink_to(kept, target_is_directory=True)
    outfolder._remove(old)
    assert not old.exists()
    assert (kept / "data.csv").read_text(encoding="utf-8") == "keep"

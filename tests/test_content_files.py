"""RULES.md §2.1 "Only regular files" for content/: a symbolic link, FIFO or other non-regular
file is a problem naming its path, never opened, and the site is not built while there is one."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from _site_helpers import ROOT, build_site
from towns import Town

from generator.problems import InvalidData
from generator.site.build import BuildFailed
from generator.site.contentcheck import NOT_REGULAR, NOT_REGULAR_MESSAGE, check_content

SECRET = "SECRET-9f2c-do-not-publish"


def content_folder(root: Path) -> Path:
    """A content folder of regular files, as the office keeps it."""
    content = root / "content"
    (content / "pages").mkdir(parents=True)
    (content / "articles" / "2024").mkdir(parents=True)
    (content / "pages" / "about.md").write_text("Title: 关于\nSlug: about\n\n正文。\n", "utf-8")
    (content / "articles" / "2024" / "news.md").write_text(
        "Title: 消息\nDate: 2024-01-05 09:00\n\n正文。\n", "utf-8"
    )
    return content


def outside(root: Path) -> Path:
    """Files outside the content folder that a link could reach: a page holding a secret, a
    folder of such pages, and a FIFO (opening it for reading would block)."""
    folder = root / "outside"
    folder.mkdir()
    page = f"Title: 泄露\nSlug: leak\nDate: 2024-01-05 09:00\n\n{SECRET}\n"
    (folder / "secret.md").write_text(page, "utf-8")
    (folder / "more").mkdir()
    (folder / "more" / "secret.md").write_text(page.replace("leak", "leak2"), "utf-8")
    os.mkfifo(folder / "pipe.md")
    return folder


def hostile_content(root: Path) -> Path:
    content = content_folder(root)
    target = outside(root)
    (content / "pages" / "evil.md").symlink_to(target / "secret.md")
    (content / "articles" / "linked").symlink_to(target / "more", target_is_directory=True)
    (content / "articles" / "2024" / "pipe.md").symlink_to(target / "pipe.md")
    (content / "pages" / "gone.md").symlink_to(root / "no-such-file.md")
    os.mkfifo(content / "pages" / "fifo.md")
    return content


def within_seconds(function, seconds: float = 20):
    """function() in a daemon thread: a check that opened a FIFO would block, not hang the suite.
    Its result is returned and its exception raised here."""
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["result"] = function()
        except BaseException as error:  # handed to the test's thread
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "blocked: something opened a FIFO"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def files_holding(root: Path, text: str, skip: Path) -> list[Path]:
    """Regular files under `root` (links not followed, `skip` left out) that contain `text`."""
    found = []
    for folder, _dirs, names in os.walk(root, followlinks=False):
        for name in names:
            path = Path(folder, name)
            if skip in path.parents or not path.is_file() or path.is_symlink():
                continue
            if text.encode() in path.read_bytes():
                found.append(path)
    return found


def test_a_folder_of_regular_files_has_no_problem(tmp_path: Path):
    assert check_content(content_folder(tmp_path)) == []


def test_links_fifos_and_dangling_links_are_problems_naming_their_paths(tmp_path: Path):
    content = hostile_content(tmp_path)
    problems = within_seconds(lambda: check_content(content))
    assert [(p.file, p.code) for p in problems] == [
        ("content/articles/2024/pipe.md", NOT_REGULAR),
        ("content/articles/linked", NOT_REGULAR),
        ("content/pages/evil.md", NOT_REGULAR),
        ("content/pages/fifo.md", NOT_REGULAR),
        ("content/pages/gone.md", NOT_REGULAR),
    ]
    assert {p.message for p in problems} == {NOT_REGULAR_MESSAGE}
    assert "符号链接" in NOT_REGULAR_MESSAGE
    shown = "\n".join(p.text() for p in problems)
    assert SECRET not in shown and "outside" not in shown  # not even where a link points


def test_a_content_folder_that_is_itself_a_link_is_a_problem(tmp_path: Path):
    real = content_folder(tmp_path / "real")
    link = tmp_path / "content"
    link.symlink_to(real, target_is_directory=True)
    assert [(p.file, p.code) for p in check_content(link)] == [("content", NOT_REGULAR)]


def test_a_missing_content_folder_is_left_to_the_build(tmp_path: Path):
    assert check_content(tmp_path / "nowhere") == []


def test_a_file_name_with_control_characters_is_shown_by_code(tmp_path: Path):
    content = content_folder(tmp_path)
    (content / "pages" / "a\x1b[31m\u202eb.md").symlink_to(tmp_path)
    [problem] = check_content(content)
    assert problem.file == "content/pages/a<U+001B>[31m<U+202E>b.md"


def test_the_build_refuses_links_and_publishes_nothing_they_point_to(tmp_path: Path):
    scores = Town().month("2024-01", {"A1": 90, "A2": 80, "A3": 70}).write(tmp_path / "scores")
    content = hostile_content(tmp_path)
    out = tmp_path / "out"
    with pytest.raises((BuildFailed, InvalidData)) as error:
        within_seconds(lambda: build_site(scores, out, content=content), 120)
    if isinstance(error.value, InvalidData):
        message = "\n".join(p.text() for p in error.value.problems)
    else:
        message = str(error.value)
    assert "content/pages/evil.md" in message and "content/articles/linked" in message
    assert "符号链接" in message
    assert SECRET not in message
    assert not out.exists()
    assert files_holding(tmp_path, SECRET, skip=tmp_path / "outside") == []


def test_plain_pelican_refuses_links_too(tmp_path: Path):
    content = hostile_content(tmp_path)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "pelican", str(content), "-s", "pelicanconf.py"]
    command += ["-o", str(out), "--fatal", "errors"]
    env = {**os.environ, "COLUMNS": "400", "NO_COLOR": "1"}
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)
    assert run.returncode != 0
    assert "content/pages/evil.md" in run.stderr + run.stdout
    assert SECRET not in run.stderr + run.stdout
    assert files_holding(tmp_path, SECRET, skip=tmp_path / "outside") == []

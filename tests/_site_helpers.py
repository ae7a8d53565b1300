"""Helpers for the site tests: build a site once, serve a folder on localhost, start Chromium."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import html5lib

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Screenshots of the other town go to their own folder, so they never replace the demo's.
ARTIFACTS = (
    ROOT / "test-artifacts" / {"other": "other"}.get(os.environ.get("FLAGBOARD_TEST_TOWN"), "")
)


def build_site(scores: Path, out: Path, content: Path | None = None, **settings):
    """The real `flagboard build` pipeline, run from the repository root."""
    from generator.site.build import build

    with contextlib.chdir(ROOT):
        return build(scores, out, ROOT / "pelicanconf.py", content, extra_settings=settings)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 (a free port) in a thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def browser_required() -> bool:
    return os.environ.get("FLAGBOARD_REQUIRE_BROWSER") == "1"


def require_browser() -> None:
    """Skip a browser test when playwright or Chromium is missing; fail instead in CI
    (FLAGBOARD_REQUIRE_BROWSER=1), where a skipped browser test would hide a broken page."""
    import pytest

    problem = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problem = "playwright 没有安装"
    if problem is None and not CHROMIUM.exists():
        problem = f"找不到浏览器 {CHROMIUM}（apt-get install chromium fonts-noto-cjk）"
    if problem and browser_required():
        pytest.fail(problem)
    if problem:
        pytest.skip(problem)


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


TOWNS = ("demo", "other")


def which_town() -> str:
    """Which town the site and office tests build: FLAGBOARD_TEST_TOWN=demo (the default, the
    demo town 花木镇) or other (白石乡: other names, four grids, other sizes and months)."""
    town = os.environ.get("FLAGBOARD_TEST_TOWN", "demo")
    if town not in TOWNS:
        raise ValueError(f"FLAGBOARD_TEST_TOWN 应为 demo 或 other，而不是 {town!r}。")
    return town


def is_demo_town() -> bool:
    return which_town() == "demo"


def town_history() -> list:
    """The commits of the test town's data repository (generator.demo.Commit), oldest first."""
    from generator import demo

    return demo.demo_history() if is_demo_town() else demo.other_history()


# A folder shared by the processes of one test run (conftest.py sets it: every worker of
# `make test` and the other town's runs of test_other_town), where the test town's repository
# and site are made once for all of them; unset, each process makes its own.
SHARED = "FLAGBOARD_TEST_SHARED"


@functools.cache
def demo_repo() -> Path:
    """The test town in a fresh git repository of its own, with the office's history (a first
    commit of the settings, a commit per month and per year's annual scores, one 复议更正),
    made once per test run in a temporary folder."""
    from _history_helpers import planned_repo

    return made_once(f"{which_town()}/town", lambda path: planned_repo(path, town_history()))


def demo_scores() -> Path:
    """The scores folder the test town's site is built from (inside demo_repo())."""
    return demo_repo() / "scores"


@functools.cache
def demo_site() -> Path:
    """The test town's site (content/ of this repository), built once per test run."""
    scores = demo_scores()
    return made_once(f"{which_town()}/output", lambda path: build_site(scores, path))


# The address the published test site has (its posters and screen carry QR codes of it).
SITE_URL = "https://flagboard.test"


@functools.cache
def demo_site_at_address() -> Path:
    """The test town's site built with an absolute SITEURL (SITE_URL), as a published site is,
    once per test run: the poster and screen tests read it."""
    scores = demo_scores()
    return made_once(
        f"{which_town()}/output-at-address", lambda path: build_site(scores, path, SITEURL=SITE_URL)
    )


@functools.cache
def county_site(villages: int, periods: int, grids: int, seed: int, **settings: str) -> Path:
    """A generated county (generator.demo.county_files: the same files for the same numbers)
    built with these settings, once per test run for every test that asks for the same one:
    the six-year town of the budget, browser and year tests, the town split by grid of the
    large-text, axe, poster and WeChat tests."""
    from generator import demo as towngen

    def make(path: Path) -> None:
        towngen.write_files(towngen.county_files(villages, periods, grids, seed), path / "s")
        build_site(path / "s", path / "out", **settings)

    key = "-".join(map(str, (villages, periods, grids, seed)))
    if settings:
        key += "-" + hashlib.sha256(repr(sorted(settings.items())).encode()).hexdigest()[:12]
    return made_once(f"counties/{key}", make) / "out"


def made_once(relative: str, make) -> Path:
    """The folder `relative`, filled by make(folder) once: in the SHARED folder under a lock
    (the first process makes it, the others wait for it and read it), or in this process's own
    temporary folder. Whoever uses it only reads it."""
    import fcntl
    import shutil

    path = _made_root() / relative
    done = path.with_name(f"{path.name}.done")
    if done.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(f"{path.name}.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(path, ignore_errors=True)  # left half made by a process that failed
            make(path)
            done.touch()
    return path


def _made_root() -> Path:
    return Path(os.environ[SHARED]) if os.environ.get(SHARED) else _own_folder()


@functools.cache
def _own_folder() -> Path:
    import atexit
    import shutil
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="flagboard-demo-site-"))
    atexit.register(shutil.rmtree, root, True)
    return root


def demo_results() -> dict:
    """The test town's results as the site publishes them (data/results.json)."""
    import json

    return json.loads((demo_site() / "data" / "results.json").read_text(encoding="utf-8"))


def html_pages(site: Path) -> dict[str, Path]:
    """Every HTML page of a built site by its path relative to the site root."""
    return {p.relative_to(site).as_posix(): p for p in sorted(site.rglob("*.html"))}


@functools.cache
def page_trees(site: Path) -> dict:
    """Every HTML page of a built site parsed (parse()) by its path relative to the site root.
    A site made by made_once (demo_site(), county_site() …) is parsed once per test run: the
    first process pickles the trees beside it, the others load them (html5lib takes seconds
    for a town's pages). The trees are shared: read them, never change them."""
    import pickle

    def parse_all(path: Path) -> None:
        path.write_bytes(pickle.dumps({name: parse(p) for name, p in html_pages(site).items()}))

    root = _made_root()
    if not site.is_relative_to(root):
        return {name: parse(p) for name, p in html_pages(site).items()}
    return pickle.loads(made_once(f"{site.relative_to(root)}.trees", parse_all).read_bytes())


def parse(path: Path):
    """A built page as an element tree (html5lib, no namespaces)."""
    return html5lib.parse(path.read_bytes(), namespaceHTMLElements=False)


def text_of(element) -> str:
    """An element's text as a reader sees it: runs of white space as one space."""
    return " ".join("".join(element.itertext()).split())


def page_text(path: Path) -> str:
    """The text of a built page's body."""
    return text_of(parse(path).find("body"))


XSS_NAME = "<script>alert(1)</script>"  # a note's text: names cannot hold it (test_hostile_names)
FORMULA_NAME = "-HYPERLINK(1)村"  # what a name can still hold that a spreadsheet would run


def small_town(scores: Path) -> Path:
    """A town of five villages whose names and notes try to break out of HTML and spreadsheets:
    names as far as names.py allows (a leading -, parentheses), notes with anything visible."""
    from towns import Town

    names = {"A1": "东山村", "A2": FORMULA_NAME, "A3": "A-B村", "A4": "(引号)村", "-B5": "五村"}
    town = (
        Town(names=names)
        .month(
            "2024-01",
            {"A1": [90, 80], "A2": [85, 70], "A3": [80, 60], "A4": [70, 50], "-B5": [60, 40]},
        )
        .month(
            "2024-02",
            {"A1": [91, 81], "A2": [84, 71], "A3": [79, 61], "A4": [71, 51], "-B5": [61, 41]},
        )
        .event("2024-02", "A2", "现场会", "甲项", "", f"承办<b>区级</b>现场会{XSS_NAME}")
        .event("2024-02", "A3", "加分", "乙项", "2", "=1+1")
    )
    return town.write(scores)

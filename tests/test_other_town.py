"""The tests that build the test town, against another town (issue 12 #10):
FLAGBOARD_TEST_TOWN=other makes tests/_site_helpers.demo_site() build 白石乡
(generator.demo.other_files: other names, four grids of other ids, other sizes, a first month in
2022) instead of the demo, with the same office history. A test that builds the test town must
derive what it expects from the town built, not from the demo's names.

The second town runs only what depends on the town's data (issue 21 #4), in four pytest
subprocesses (each one process on a part of the files of about equal length, stopping at the
first failure; `make test`'s workers share them out, and the four build the other town once
between them, _site_helpers.made_once): every test that reaches demo_site() and friends,
from its body, a fixture or a parameter naming a fixture (tests/_town_tests.py reads the code,
so a new test that builds the test town runs here with no list to keep). These are the page
budgets and HTML checks, the pages' text and the town's words (its name, level, notice, grids),
the phone, poster and screen layouts of the other names and sizes, the spreadsheets, the data
package and the WeChat article. Left out, each because a second run would repeat the same test
on the same data:
- test files that never build the test town: the office tests (test_month, test_import,
  test_preview: their own six-village town, tests/_office_helpers.py), the history and years
  tests (test_site_history, test_site_years: their own towns and a six-year county), and the
  rest of the suite;
- in the files that do, the tests of towns of their own: the small hostile town of test_site,
  the content folder's hostile pages (test_hostile_content), the crowded, split and too-full
  towns of the screen and poster tests, the six-year town and the 600-village county of the
  budget and browser tests (the budget tests' six-year town is a parameter of the fixture that
  also builds the test town, so it is left out by name, NOT_THE_TOWNS), and the unit tests of
  formatters, QR codes and contrast measures that build no town at all.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from _site_helpers import SHARED

ROOT = Path(__file__).resolve().parent.parent
NOT_THE_TOWNS = "not six-years"
USES_THE_TEST_TOWN = re.compile(r"\bdemo_(site|site_at_address|scores|results|repo)\(")


def town_test_files() -> list[str]:
    """The test files that may build the test town (which of their tests do is decided on
    collection, --town-tests-only)."""
    return [
        f"tests/{path.name}"
        for path in sorted((ROOT / "tests").glob("test_*.py"))
        if path.name != Path(__file__).name
        and USES_THE_TEST_TOWN.search(path.read_text(encoding="utf-8"))
    ]


# The files in four parts rather than two halves: the half holding the posters ran 290 s while
# the other took 80 s, and one long group at the end of a worker makes the wall time.
HALVES = 4
# About how long each file's tests of the test town take, in seconds (--durations of the demo
# town's tests on 2 cores, with this branch's shared builds), to share the files out into
# parts of about equal length; a file not listed counts as SHORT_FILE.
SECONDS = {
    "tests/test_site_axe.py": 60,
    "tests/test_site_large.py": 40,
    "tests/test_poster.py": 28,
    "tests/test_site_phone.py": 27,
    "tests/test_browser.py": 20,
    "tests/test_site_budgets.py": 10,
    "tests/test_site.py": 9,
    "tests/test_screen.py": 7,
}
SHORT_FILE = 3


def parts(files: list[str], count: int = HALVES) -> list[list[str]]:
    """The files in `count` parts of about equal seconds: the longest first, each to the part
    that has the fewest seconds so far."""
    shares: list[list[str]] = [[] for _ in range(count)]
    seconds = [0] * count
    for file in sorted(files, key=lambda f: (-SECONDS.get(f, SHORT_FILE), f)):
        emptiest = seconds.index(min(seconds))
        shares[emptiest].append(file)
        seconds[emptiest] += SECONDS.get(file, SHORT_FILE)
    return [sorted(share) for share in shares]


@pytest.fixture(scope="module", params=range(HALVES), ids=lambda n: f"half{n + 1}")
def half(request) -> int:
    """Which part of the files a run takes: a module fixture's parameter, so each part is a
    group of its own (conftest.py) and `make test`'s two workers share them out."""
    return request.param


@pytest.mark.skipif(
    os.environ.get("FLAGBOARD_TEST_TOWN") == "other",
    reason="已在另一个镇的测试运行之中，不再嵌套运行",
)
def test_the_tests_that_build_the_test_town_pass_for_another_town(tmp_path, half):
    # the run's own settings stay out, but for what it requires (Chromium, LibreOffice, sshd):
    # a part the other town runs demands them as this run does, rather than skipping
    env = {
        k: v
        for k, v in os.environ.items()
        if k.startswith("FLAGBOARD_REQUIRE_") or not k.startswith(("PYTEST_", "FLAGBOARD_"))
    }
    env[SHARED] = os.environ[SHARED]  # the four parts build the other town once between them
    report = tmp_path / "other-town.xml"
    files = parts(town_test_files())[half]
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider", "-x", "-q"]
        + ["--town-tests-only", "-k", NOT_THE_TOWNS, f"--junitxml={report}", *files],
        cwd=ROOT,
        env={**env, "FLAGBOARD_TEST_TOWN": "other"},
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    # tests ran: passed, or skipped as this run skips them (a part may be only browser tests)
    assert re.search(r"\b\d+ (passed|skipped)\b", run.stdout.splitlines()[-1])
    selected = selected_tests(report)
    # Every file that builds the test town has tests run for the other one (or skipped, as the
    # browser tests are without Chromium), the screen's test on the test town's site among
    # them; its tests of towns of their own are not run again.
    assert sorted({test.split("::")[0] for test in selected}) == files
    assert {
        t for t in (SCREEN + "[site-1920x1080]", XLSX_WORKBOOKS) if t.split("::")[0] in files
    } <= selected
    assert selected.isdisjoint({SCREEN + "[crowded-1920x1080]", XLSX_OWN_TOWN, SIX_YEARS})


SCREEN = "tests/test_screen.py::test_every_slide_fills_the_screen_without_scrolling_and_its_qr_code_reads"
XLSX_WORKBOOKS = "tests/test_xlsx.py::test_every_period_and_year_has_a_workbook"
XLSX_OWN_TOWN = "tests/test_xlsx.py::test_same_bytes_on_every_build_and_text_stays_text"
SIX_YEARS = "tests/test_site_budgets.py::test_every_page_is_valid_html[six-years]"


def selected_tests(report: Path) -> set[str]:
    """The tests a JUnit report lists, as node ids (every test file here is a module of
    functions: no classes in the names)."""
    return {
        f"{case.get('classname').replace('.', '/')}.py::{case.get('name')}"
        for case in ET.parse(report).iter("testcase")
    }


def test_the_parts_take_every_file_once_and_the_longest_apart():
    files = town_test_files()
    shares = parts(files)
    assert sorted(f for share in shares for f in share) == files
    longest = sorted(SECONDS, key=SECONDS.get)[-HALVES:]
    assert all(sum(f in share for f in longest) == 1 for share in shares)


def test_the_other_town_is_what_the_helpers_build_when_asked(monkeypatch):
    from _site_helpers import is_demo_town, town_history, which_town

    monkeypatch.setenv("FLAGBOARD_TEST_TOWN", "other")
    assert not is_demo_town()
    assert 'town = "白石乡"'.encode() in town_history()[0].files["town.toml"]
    monkeypatch.setenv("FLAGBOARD_TEST_TOWN", "demo")
    assert "花木镇".encode() in town_history()[0].files["town.toml"]
    monkeypatch.setenv("FLAGBOARD_TEST_TOWN", "其他")
    with pytest.raises(ValueError, match="应为 demo 或 other"):
        which_town()

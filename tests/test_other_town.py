"""The site and office tests against another town (issue 12 #10): FLAGBOARD_TEST_TOWN=other makes
tests/_site_helpers.demo_site() build 白石乡 (generator.demo.other_files: other names, four grids
of other ids, other sizes, a first month in 2022) instead of the demo, with the same office history.
Every test file that builds the test town (calls demo_site() and friends) runs too, so a test
added there must derive what it expects from the town built, not from the demo's names.

The test files run in a pytest subprocess, in one process and stopping at the first failure
(about 3 minutes). Left out are the tests of towns that are not the test town: a six-year town
and a 600-village county that the budget, browser and poster tests build whatever the test town
is (a second run would only repeat them, ≈ 2 minutes more on two cores).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE_TESTS = [
    "tests/test_site.py",
    "tests/test_site_budgets.py",
    "tests/test_site_history.py",
    "tests/test_site_years.py",
    "tests/test_browser.py",
]
OFFICE_TESTS = ["tests/test_month.py", "tests/test_import.py", "tests/test_preview.py"]
NOT_THE_TOWNS = "not six-years and not six_years and not county and not split_town"
USES_THE_TEST_TOWN = re.compile(r"\bdemo_(site|scores|results|repo)\(")


def town_test_files() -> list[str]:
    """The site and office test files, and every other one that builds the test town."""
    found = [
        f"tests/{path.name}"
        for path in sorted((ROOT / "tests").glob("test_*.py"))
        if path.name != Path(__file__).name
        and USES_THE_TEST_TOWN.search(path.read_text(encoding="utf-8"))
    ]
    return list(dict.fromkeys(SITE_TESTS + OFFICE_TESTS + found))


@pytest.mark.skipif(
    os.environ.get("FLAGBOARD_TEST_TOWN") == "other",
    reason="已在另一个镇的测试运行之中，不再嵌套运行",
)
def test_the_site_and_office_tests_pass_for_another_town():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "FLAGBOARD_"))}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider", "-x", "-q"]
        + ["-k", NOT_THE_TOWNS, *town_test_files()],
        cwd=ROOT,
        env={**env, "FLAGBOARD_TEST_TOWN": "other"},
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert " passed" in run.stdout.splitlines()[-1]


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

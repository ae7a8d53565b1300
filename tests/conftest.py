"""Shared fixtures: the repository root and the demo town; the hypothesis profiles.

HYPOTHESIS_PROFILE picks how hard the property tests look: `dev` (the default: a quick run
while working) or `ci` (thorough: what `.ci/run` uses, and what a change must pass). A property
test states its `ci` number of examples with `examples(n)`; `dev` runs at most DEV_EXAMPLES.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from generator import demo

ROOT = Path(__file__).resolve().parent.parent
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "dev")
DEV_EXAMPLES = 25

# Towns take a while to compute, so no per-example deadline and no complaint about slow draws.
_TOLERANT = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("ci", print_blob=True, **_TOLERANT)
settings.register_profile("dev", max_examples=DEV_EXAMPLES, **_TOLERANT)
if PROFILE not in ("dev", "ci"):
    raise pytest.UsageError(f"HYPOTHESIS_PROFILE 应为 dev 或 ci，而不是 {PROFILE!r}。")
settings.load_profile(PROFILE)


# `make test` runs the suite on every core (pytest-xdist, `--dist loadgroup`). The tests of a
# file that share a module fixture's value (a built site, a git repository) stay together on one
# worker, so it is built once; the property tests share nothing, so they are spread one by one.
SPREAD = {"test_properties.py", "test_fuzz.py", "test_predictions.py"}
# Which groups a worker starts first (`make test` passes --no-loadscope-reorder, so groups go out
# in this order rather than most tests first): the longest, measured with --durations, so that
# no worker is left running one while the other has finished; then the rest as collected; the
# spread tests last, many short ones to even out the two workers' ends.
LONG_FIRST = [
    "test_other_town.py",
    "test_poster.py",
    "test_browser.py",
    "test_site_phone.py",
    "test_site_budgets.py",
    "test_site_large.py",
    "test_site_axe.py",
]


def pytest_addoption(parser):
    parser.addoption(
        "--town-tests-only",
        action="store_true",
        help="只运行建测试镇的测试（tests/_town_tests.py；test_other_town 用它换一个镇再跑）",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    if config.getoption("town_tests_only"):
        _keep_the_town_tests(config, items)
    if config.getoption("dist", "no") != "loadgroup":
        return
    for item in items:
        if item.path.name not in SPREAD:
            group = "-".join([item.path.stem, *_shared_params(item)])
            item.add_marker(pytest.mark.xdist_group(group))
    items.sort(key=_start_order)  # stable: pytest then orders each file's tests by fixture


def _start_order(item) -> int:
    name = item.path.name
    if name in LONG_FIRST:
        return LONG_FIRST.index(name)
    return len(LONG_FIRST) + (name in SPREAD)


def _keep_the_town_tests(config, items) -> None:
    from _town_tests import builds_the_test_town

    kept = {item.nodeid for item in items if builds_the_test_town(item)}
    config.hook.pytest_deselected(items=[item for item in items if item.nodeid not in kept])
    items[:] = [item for item in items if item.nodeid in kept]


def _shared_params(item) -> list[str]:
    """The values of the module or session fixtures with params that this test runs with."""
    callspec = getattr(item, "callspec", None)
    info = getattr(item, "_fixtureinfo", None)
    if callspec is None or info is None:
        return []
    return [
        f"{name}={value}"
        for name, value in callspec.params.items()
        if info.name2fixturedefs.get(name) and info.name2fixturedefs[name][-1].scope != "function"
    ]


def pytest_report_header(config) -> str:
    """Which town the site tests build (tests/_site_helpers.which_town)."""
    return f"test town: {os.environ.get('FLAGBOARD_TEST_TOWN', 'demo')} (FLAGBOARD_TEST_TOWN)"


def examples(ci: int) -> int:
    """How many examples a property test runs: `ci` in the ci profile, fewer in dev."""
    return ci if PROFILE == "ci" else min(ci, DEV_EXAMPLES)


@pytest.fixture(scope="session", autouse=True)
def shared_test_town(tmp_path_factory) -> None:
    """One folder for the processes of this run to make the test town's repository and site
    in once (tests/_site_helpers.made_once): under xdist, beside the workers' own temporary
    folders; in one process, in its own (which test_other_town's runs of the other town share)."""
    from _site_helpers import SHARED

    if not os.environ.get(SHARED):
        base = tmp_path_factory.getbasetemp()
        os.environ[SHARED] = str(
            (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "towns"
        )


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def demo_town(tmp_path_factory) -> Path:
    """The generated demo town, frozen by its seed: golden tests use it, not the live scores/,
    which the office keeps adding months to."""
    root = tmp_path_factory.mktemp("demo") / "scores"
    demo.write_files(demo.demo_files(), root)
    return root


@pytest.fixture(scope="module")
def playwright():
    """Playwright's driver for a test module; see _site_helpers.require_browser. Not kept for
    the session: its driver process is watched by a thread, and while a thread runs the site's
    build does not fork (generator/forked.py) and the publish tests' no_threads_left fails."""
    from _site_helpers import require_browser

    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="module")
def browser(playwright):
    """Headless Chromium (Debian's package) for a test module: each test opens its own context
    or page in it and closes them."""
    from _site_helpers import launch_chromium

    chromium = launch_chromium(playwright)
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def sites():
    """The test town's site a month apart (two_sites: built once per process), for the publish
    tests."""
    from _deploy_helpers import two_sites

    return two_sites()


@pytest.fixture
def threads_end():
    """The check the publish files ask of every test (pytestmark): no thread of its own left
    running afterwards (_deploy_helpers.no_threads_left)."""
    from _deploy_helpers import no_threads_left

    yield
    no_threads_left()

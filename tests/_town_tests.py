"""Which tests build the test town: those that reach demo_site() and friends (_site_helpers)
from the test function, a fixture it uses, or a fixture a parameter names, through the tests'
own functions. test_other_town runs these, and only these, again for another town: a test that
never reaches them builds its own town, the same whatever FLAGBOARD_TEST_TOWN says.

Read from the compiled code (the names each function refers to), not guessed from file names,
so a test added anywhere that builds the test town is run for the other town with no list to
keep.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from types import CodeType

TESTS = Path(__file__).resolve().parent
# What the test town is built from: the helpers read FLAGBOARD_TEST_TOWN (which_town()).
TOWN_HELPERS = frozenset(
    {
        "demo_repo",
        "demo_scores",
        "demo_site",
        "demo_site_at_address",
        "demo_results",
        "town_history",
        "which_town",
    }
)


def builds_the_test_town(item) -> bool:
    """Whether a collected test reaches the test town's helpers."""
    names = list(item._fixtureinfo.names_closure)
    callspec = getattr(item, "callspec", None)
    if callspec is not None:  # request.getfixturevalue(param): a fixture named by a parameter
        names += [value for value in callspec.params.values() if isinstance(value, str)]
    functions = [item.function]
    for name in names:
        defs = item.session._fixturemanager.getfixturedefs(name, item) or ()
        functions += [fixture.func for fixture in defs]
    seen: set[CodeType] = set()
    return any(_reaches(function, seen) for function in functions)


def _reaches(function, seen: set[CodeType]) -> bool:
    function = inspect.unwrap(function)
    code = getattr(function, "__code__", None)
    if code is None or code in seen or not _is_a_test_file(code.co_filename):
        return False
    seen.add(code)
    names = _names(code)
    if names & TOWN_HELPERS:
        return True
    found = (function.__globals__.get(name) for name in names)
    return any(_reaches(value, seen) for value in found if callable(value))


def _names(code: CodeType) -> set[str]:
    """The global and attribute names a function's code refers to, nested code included
    (lambdas, comprehensions, inner functions)."""
    names = set(code.co_names)
    for constant in code.co_consts:
        if isinstance(constant, CodeType):
            names |= _names(constant)
    return names


def _is_a_test_file(filename: str) -> bool:
    return Path(filename).resolve().parent == TESTS

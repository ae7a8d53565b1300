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
settings.load_profile(PROFILE)


def examples(ci: int) -> int:
    """How many examples a property test runs: `ci` in the ci profile, fewer in dev."""
    return ci if PROFILE == "ci" else min(ci, DEV_EXAMPLES)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def demo_scores() -> Path:
    return ROOT / "scores"


@pytest.fixture(scope="session")
def demo_town(tmp_path_factory) -> Path:
    """The generated demo town, frozen by its seed: golden tests use it, not the live scores/,
    which the office keeps adding months to."""
    root = tmp_path_factory.mktemp("demo") / "scores"
    demo.write_files(demo.demo_files(), root)
    return root

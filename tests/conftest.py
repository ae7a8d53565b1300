"""Shared fixtures: the repository root and the demo town."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _towngen():
    """bench/towngen.py, the generator of the demo town (bench/ is not a package)."""
    if "towngen" not in sys.modules:
        spec = importlib.util.spec_from_file_location("towngen", ROOT / "bench" / "towngen.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["towngen"] = module
        spec.loader.exec_module(module)
    return sys.modules["towngen"]


towngen = _towngen()


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
    towngen.write_files(towngen.demo_files(), root)
    return root

"""The demo town's results, compared byte for byte with reviewed golden files.

The demo town is regenerated from its seed (generator/demo.py), so adding real months to
scores/ never breaks these tests. Regenerate after an intended change with `make golden`,
then review `git diff tests/golden`.
"""

from __future__ import annotations

import pytest

from generator.cli import main

GOLDEN_FILES = ["flags.csv", "rewards.csv", "actions.csv", "grid_averages.csv", "results.json"]


@pytest.fixture(scope="module")
def computed(tmp_path_factory, demo_town):
    out = tmp_path_factory.mktemp("results")
    assert main(["compute", "--scores", str(demo_town), "--out", str(out)]) == 0
    return out


@pytest.mark.parametrize("name", GOLDEN_FILES)
def test_demo_results_match_golden(computed, repo_root, name):
    golden = repo_root / "tests" / "golden" / "demo" / name
    assert (computed / name).read_bytes() == golden.read_bytes(), (
        f"{name} differs from tests/golden/demo; if intended, run `make golden` and review the diff"
    )


def test_compute_is_byte_identical_across_runs(computed, demo_town, tmp_path):
    assert main(["compute", "--scores", str(demo_town), "--out", str(tmp_path)]) == 0
    for name in GOLDEN_FILES:
        assert (tmp_path / name).read_bytes() == (computed / name).read_bytes()


def test_demo_exercises_every_rule(computed):
    flags = (computed / "flags.csv").read_text()
    actions = (computed / "actions.csv").read_text()
    assert ",red,meeting" in flags and ",yellow,rank" in flags
    for action in ("interview", "warning", "suspension", "downgrade", "star_loss", "priority"):
        assert f",{action}," in actions


def test_results_json_written_column_wise_equals_the_sites_document(computed, demo_town):
    """compute writes results.json in slices; the site serialises results_document(): the same
    bytes, so the published file does not depend on which of the two made it."""
    from generator.load import load
    from generator.results import results_document, results_json
    from generator.rules import compute

    data = load(demo_town)
    document = results_document(data, compute(data))
    assert (computed / "results.json").read_bytes() == results_json(document)

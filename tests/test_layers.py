"""The layer lines of STYLE.md hold: import-linter's contracts in pyproject.toml, run for real."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).parent / "lint-imports"


def lint(package_parent: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=package_parent,
        env={"PYTHONPATH": str(package_parent), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )


def test_every_contract_is_kept():
    found = lint(ROOT)
    assert found.returncode == 0, found.stdout + found.stderr
    assert "5 kept, 0 broken" in found.stdout


def copy_of_the_package(tmp_path: Path) -> Path:
    shutil.copytree(
        ROOT / "generator", tmp_path / "generator", ignore=shutil.ignore_patterns("__pycache__")
    )
    return tmp_path


def test_an_upward_import_breaks_the_layers(tmp_path):
    root = copy_of_the_package(tmp_path)
    rules = root / "generator" / "rules.py"
    rules.write_text(rules.read_text() + "\nfrom generator.site import publish  # noqa\n")
    found = lint(root)
    assert (
        found.returncode == 1 and "Data flows one way" in found.stdout and "BROKEN" in found.stdout
    )


def test_git_outside_gitlog_breaks_a_contract(tmp_path):
    root = copy_of_the_package(tmp_path)
    preview = root / "generator" / "office" / "preview.py"
    preview.write_text(preview.read_text() + "\nimport git  # noqa\n")
    found = lint(root)
    assert found.returncode == 1 and "Only history.gitlog imports git" in found.stdout


def test_deploy_reaching_pandas_even_indirectly_breaks_a_contract(tmp_path):
    root = copy_of_the_package(tmp_path)
    plan = root / "generator" / "deploy" / "plan.py"
    plan.write_text(plan.read_text() + "\nfrom generator import results  # noqa\n")
    found = lint(root)
    assert found.returncode == 1 and "deploy never imports pelican, pandas" in found.stdout

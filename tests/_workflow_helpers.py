"""What the workflow tests share: the four forges' workflow files, a town's git repository, and
running a step's script for real in it, as the forge's runner would."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CI = ROOT / "ci"
# GitHub, Forgejo and Gitea read the same workflow syntax; GitLab has its own.
ACTIONS_WORKFLOWS = {
    "github": ROOT / ".github" / "workflows" / "site.yml",
    "forgejo": ROOT / ".forgejo" / "workflows" / "site.yml",
    "gitea": ROOT / ".gitea" / "workflows" / "site.yml",
}
GITLAB = ROOT / ".gitlab-ci.yml"
FORGES = (*ACTIONS_WORKFLOWS, "gitlab")


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    return workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true


def steps(job: dict) -> list[dict]:
    return job["steps"]


def step_running(job: dict, text: str) -> dict:
    return next(s for s in steps(job) if text in s.get("run", ""))


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "办公室",
        "GIT_AUTHOR_EMAIL": "office@example.org",
        "GIT_COMMITTER_NAME": "办公室",
        "GIT_COMMITTER_EMAIL": "office@example.org",
    }
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env
    ).stdout.strip()


def with_ci_scripts(folder: Path) -> Path:
    """The ci/ scripts the steps call, beside a test's repository (untracked: no diff sees them)."""
    shutil.copytree(CI, folder / "ci", dirs_exist_ok=True)
    return folder


def fake_program(folder: Path, name: str, body: str) -> Path:
    """An executable shell script `name` in `folder`: a stand-in whose calls a test can read."""
    folder.mkdir(parents=True, exist_ok=True)
    program = folder / name
    program.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    program.chmod(0o755)
    return program


def fake_flagboard(repo: Path, help_text: str = "") -> None:
    """.venv/bin/flagboard that writes how it was called (and `help_text` for -h)."""
    fake_program(
        repo / ".venv" / "bin",
        "flagboard",
        f'case "$*" in *-h) echo "{help_text}"; exit 0;; esac\necho "flagboard $*"\n',
    )


def run_bash(script: str, cwd: Path, env: dict[str, str], pipefail_only: bool = False):
    """A step's script as the runner runs it: bash, stopping at the first failing command.

    GitHub, Forgejo and Gitea run `bash -e -o pipefail`; GitLab's runner `set -eo pipefail`
    (no -u: an unset variable is empty). The tests run the first with -u too, to catch a typo.
    """
    flags = "-eo" if pipefail_only else "-euo"
    return subprocess.run(
        ["bash", flags, "pipefail", "-c", script],
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
    )


def town_repo(path: Path) -> Path:
    """A town's repository: January on branch `base`, then HEAD on main adds February."""
    from _office_helpers import FEBRUARY, JANUARY, write_month, write_town

    scores = write_town(path, {"2024-01": JANUARY})
    git(path, "init", "-q", "-b", "main")
    git(path, "add", "scores")
    git(path, "commit", "-q", "-m", "录入 2024年1月评分")
    git(path, "branch", "base")
    write_month(scores, "2024-02", FEBRUARY)
    git(path, "add", "scores")
    git(path, "commit", "-q", "-m", "录入 2024年2月评分")
    return with_ci_scripts(path)

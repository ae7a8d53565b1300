"""The GitHub workflow: linted with zizmor, its structure checked, its preview script run."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from _office_helpers import FEBRUARY, JANUARY, write_month, write_town

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
SITE = WORKFLOWS / "site.yml"
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(SITE.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    return workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true


def steps(job: dict) -> list[dict]:
    return job["steps"]


def step_running(job: dict, text: str) -> dict:
    return next(s for s in steps(job) if text in s.get("run", ""))


def test_zizmor_finds_nothing():
    zizmor = shutil.which("zizmor", path=str(BIN)) or shutil.which("zizmor")
    assert zizmor, "zizmor is in the test extra"
    result = subprocess.run(
        [
            zizmor,
            "--offline",
            "--no-progress",
            "--strict-collection",
            "--persona",
            "pedantic",
            str(WORKFLOWS),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_triggers(workflow):
    on = triggers(workflow)
    assert {"scores/**", "content/**", "generator/**", "theme/**"} <= set(
        on["pull_request"]["paths"]
    )
    assert on["push"]["branches"] == ["main"]
    assert len(on["schedule"]) == 1 and "cron" in on["schedule"][0]
    assert "workflow_dispatch" in on


def test_least_privileges(workflow):
    assert workflow["permissions"] == {"contents": "read"}
    jobs = workflow["jobs"]
    assert "permissions" not in jobs["check"]
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_deploy_needs_the_checks_and_runs_only_on_main(workflow):
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "check"
    condition = deploy["if"]
    assert "github.ref == 'refs/heads/main'" in condition
    assert "pull_request" not in condition and "schedule" not in condition
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in steps(deploy)] == ["actions/deploy-pages"]


def test_a_deployment_is_never_cancelled(workflow):
    assert workflow["jobs"]["deploy"]["concurrency"] == {
        "group": "pages",
        "cancel-in-progress": False,
    }
    # The run-level group cancels superseded pull-request runs only.
    cancel = workflow["concurrency"]["cancel-in-progress"]
    assert cancel is False or cancel == "${{ github.event_name == 'pull_request' }}"


def test_check_job_steps(workflow):
    check = workflow["jobs"]["check"]
    checkout = steps(check)[0]
    assert checkout["uses"].startswith("actions/checkout@")
    assert checkout["with"] == {"fetch-depth": 0, "persist-credentials": False}
    python = next(s for s in steps(check) if s.get("uses", "").startswith("actions/setup-python"))
    assert python["with"]["cache"] == "pip"
    runs = [s.get("run", "") for s in steps(check)]
    order = [
        "flagboard validate --format github",
        "flagboard preview --format markdown",
        "make test",
        "make site",
    ]
    positions = [next(i for i, r in enumerate(runs) if command in r) for command in order]
    assert positions == sorted(positions)
    assert "GITHUB_STEP_SUMMARY" in step_running(check, "flagboard preview")["run"]
    uploads = {s["uses"].split("@")[0]: s for s in steps(check) if "upload" in s.get("uses", "")}
    assert uploads["actions/upload-artifact"]["with"]["path"] == "output/"
    pages = uploads["actions/upload-pages-artifact"]
    assert pages["with"]["path"] == "output/"
    assert pages["if"] == workflow["jobs"]["deploy"]["if"]


def test_every_checkout_drops_credentials_and_every_action_is_pinned(workflow):
    for job in workflow["jobs"].values():
        for step in steps(job):
            if "uses" not in step:
                continue
            assert re.fullmatch(r"[\w-]+/[\w-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
            if step["uses"].startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False
    for line in SITE.read_text(encoding="utf-8").splitlines():
        if "uses:" in line:
            assert re.search(r"@[0-9a-f]{40} # v\d+(\.\d+)*$", line), line


def test_make_has_the_targets_the_workflow_calls():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^test:", makefile, re.M)
    site = re.search(r"^site:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert site, "make site"
    # The publishing build passes SETTINGS=publishconf.py (the site's real address).
    assert "flagboard build" in site.group(1) and "$(SETTINGS)" in site.group(1)


# -- the preview step's script, run for real in a git repository ---------------------------


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


def run_preview_step(workflow: dict, repo: Path, base: str) -> str:
    script = step_running(workflow["jobs"]["check"], "flagboard preview")["run"]
    summary = repo / "summary.md"
    summary.write_text("", encoding="utf-8")
    env = {**os.environ, "BASE_SHA": base, "GITHUB_STEP_SUMMARY": str(summary)}
    subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=repo, env=env, check=True)
    return summary.read_text(encoding="utf-8")


def test_preview_step_shows_the_months_a_change_touches(workflow, tmp_path):
    repo = tmp_path / "repo"
    scores = write_town(repo, {"2024-01": JANUARY})
    (repo / ".venv").symlink_to(BIN.parent)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "scores")
    git(repo, "commit", "-q", "-m", "录入 2024年1月评分")
    base = git(repo, "rev-parse", "HEAD")
    write_month(scores, "2024-02", FEBRUARY)
    git(repo, "add", "scores")
    git(repo, "commit", "-q", "-m", "录入 2024年2月评分")
    assert "## 测试镇 2024年2月 评比结果预览" in run_preview_step(workflow, repo, base)
    # A change to January only previews January, though February is the latest period.
    (scores / "2024" / "2024-01.csv").write_bytes(
        (scores / "2024" / "2024-01.csv").read_bytes().replace(b"90,80", b"91,80")
    )
    git(repo, "commit", "-q", "-am", "复议更正 2024-01:东山村 党建引领发展 90→91")
    summary = run_preview_step(workflow, repo, git(repo, "rev-parse", "HEAD~1"))
    assert "2024年1月" in summary and "2024年2月" not in summary
    assert "| 党建引领发展 | 东山村 91 | 桃源村 80 |" in summary
    # No base to compare with (a new branch, a scheduled run): the latest period.
    assert "2024年2月" in run_preview_step(workflow, repo, "")


@pytest.mark.parametrize(
    ("publish", "repository", "variable", "expected"),
    [
        ("false", "huamu/flags", "", "site |"),
        ("true", "HuaMu/flags", "", "site SETTINGS=publishconf.py |https://huamu.github.io/flags"),
        (
            "true",
            "huamu/HuaMu.github.io",
            "",
            "site SETTINGS=publishconf.py |https://huamu.github.io",
        ),
        (
            "true",
            "huamu/flags",
            "https://hhq.example.cn",
            "site SETTINGS=publishconf.py |https://hhq.example.cn",
        ),
    ],
)
def test_build_step_publishes_with_the_site_address(
    workflow, tmp_path, publish, repository, variable, expected
):
    # `make` is replaced by a script that shows how it was called: the step's own logic is tested.
    fake = tmp_path / "bin" / "make"
    fake.parent.mkdir()
    fake.write_text('#!/bin/sh\necho "$* |${FLAGBOARD_SITEURL:-}"\n', encoding="utf-8")
    fake.chmod(0o755)
    script = step_running(workflow["jobs"]["check"], "make site")["run"]
    env = {
        **{k: v for k, v in os.environ.items() if k != "FLAGBOARD_SITEURL"},
        "PATH": f"{fake.parent}{os.pathsep}{os.environ['PATH']}",
        "PUBLISH": publish,
        "SITE_URL": variable,
        "GITHUB_REPOSITORY": repository,
        "GITHUB_REPOSITORY_OWNER": repository.split("/")[0],
    }
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == expected

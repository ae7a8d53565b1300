"""The GitHub workflow and the dependency locks.

The workflow and Dependabot's config are linted with zizmor, their structure checked, the
preview script run. The locks pin every package with hashes, cover every dependency that
pyproject.toml declares and the code imports, and are the only source that installs use.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
import yaml
from _office_helpers import FEBRUARY, JANUARY, write_month, write_town
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
SITE = WORKFLOWS / "site.yml"
DEPENDABOT = ROOT / ".github" / "dependabot.yml"
LOCK = ROOT / "requirements" / "test.txt"
RUNTIME_LOCK = ROOT / "requirements" / "runtime.txt"
BUILD_IN = ROOT / "requirements" / "build.in"
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
            str(ROOT / ".github"),  # the workflows and dependabot.yml
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


# -- the dependency locks ------------------------------------------------------------------

LOCK_ENTRY = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)((?: --hash=sha256:[0-9a-f]{64})+)")


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked(path: Path) -> dict[str, tuple[str, frozenset[str]]]:
    """A lock's packages: normalized name -> (version, hashes). Any other kind of line fails."""
    text = path.read_text(encoding="utf-8").replace("\\\n", " ")
    entries: dict[str, tuple[str, frozenset[str]]] = {}
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line or line.startswith("#"):
            continue
        match = LOCK_ENTRY.fullmatch(line)
        assert match, f"{path.name}: not pinned with == and sha256 hashes: {line[:100]}"
        name, version, hashes = match.groups()
        assert normalized(name) not in entries, f"{path.name}: {name} twice"
        entries[normalized(name)] = (version, frozenset(re.findall(r"[0-9a-f]{64}", hashes)))
    return entries


def declared() -> dict[str, list[Requirement]]:
    """pyproject.toml's requirements: runtime, every extra, and the build tools."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extras = pyproject["project"]["optional-dependencies"]
    build_in = [
        line for line in BUILD_IN.read_text(encoding="utf-8").splitlines() if line[:1].isalpha()
    ]
    return {
        "runtime": [Requirement(r) for r in pyproject["project"]["dependencies"]],
        "extras": [Requirement(r) for group in extras.values() for r in group],
        "build": [Requirement(r) for r in pyproject["build-system"]["requires"] + build_in],
    }


@pytest.mark.parametrize(
    "line",
    [
        "nh3>=0.2 --hash=sha256:" + "0" * 64,
        "nh3==0.3.8",
        "nh3==0.3.8 --hash=md5:" + "0" * 32,
        "nh3==0.3.8 --hash=sha256:" + "0" * 63,
        "-e .",
        "--index-url http://mirror.invalid/simple",
        "nh3 @ file:///tmp/nh3-0.3.8.whl",
    ],
)
def test_the_lock_reader_refuses_what_is_not_pinned_with_hashes(tmp_path, line):
    lock = tmp_path / "lock.txt"
    good = "rich==15.0.0 \\\n    --hash=sha256:" + "a" * 64 + "\n    # via flagboard\n"
    lock.write_text(good, encoding="utf-8")
    assert locked(lock) == {"rich": ("15.0.0", frozenset({"a" * 64}))}
    lock.write_text(good + line + "\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="not pinned"):
        locked(lock)


@pytest.mark.parametrize(
    ("lock", "groups"),
    [(LOCK, ("runtime", "extras", "build")), (RUNTIME_LOCK, ("runtime", "build"))],
)
def test_every_declared_dependency_is_locked_within_its_bounds(lock, groups):
    entries = locked(lock)
    for group in groups:
        for requirement in declared()[group]:
            name = normalized(requirement.name)
            assert name in entries, f"{requirement} is not in {lock.name}: run `make lock`"
            version = entries[name][0]
            assert requirement.specifier.contains(version, prereleases=True), (
                f"{lock.name} has {name}=={version}, outside {requirement}: run `make lock`"
            )


def test_the_runtime_lock_is_the_test_lock_without_the_test_tools():
    runtime, full = locked(RUNTIME_LOCK), locked(LOCK)
    assert runtime.keys() <= full.keys()
    assert {name: full[name] for name in runtime} == runtime  # same versions, same hashes
    assert {"pytest", "hypothesis", "playwright", "ruff", "uv"}.isdisjoint(runtime)


def third_party_imports(folder: Path) -> set[str]:
    local = {path.stem for where in ("tests", "bench") for path in (ROOT / where).rglob("*.py")}
    local |= {path.stem for path in ROOT.glob("*.py")} | {"generator"}
    names: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - local


@pytest.mark.parametrize(
    ("folder", "groups"),
    [("generator", ("runtime",)), ("tests", ("runtime", "extras")), ("bench", ("runtime",))],
)
def test_every_imported_package_is_declared(folder, groups):
    allowed = {normalized(r.name) for group in groups for r in declared()[group]}
    providers = packages_distributions()
    imported = third_party_imports(ROOT / folder)
    assert folder != "generator" or {"pandas", "numpy", "rich", "markupsafe"} <= imported
    for module in sorted(imported):
        assert module in providers, f"{folder}/ imports {module}, which nothing installed provides"
        names = {normalized(name) for name in providers[module]}
        assert names & allowed, (
            f"{folder}/ imports {module} ({', '.join(sorted(names))}), which pyproject.toml does not declare"
        )


def make_dry_run(venv: Path, *args: str) -> list[str]:
    command = ["make", "--no-print-directory", "-n", *args, f"VENV={venv}"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    return result.stdout.splitlines()


def pip_installs(lines: list[str]) -> list[list[str]]:
    return [line.split() for line in lines if re.search(r"\bpip install\b", line)]


def test_make_install_takes_every_package_from_the_lock(tmp_path):
    lock_install, project_install = pip_installs(make_dry_run(tmp_path / "venv", "install"))
    assert lock_install[-3:] == ["--require-hashes", "-r", "requirements/test.txt"]
    # flagboard itself: no dependencies and no isolated build (its setuptools is in the lock).
    assert {"--no-deps", "--no-build-isolation"} <= set(project_install)
    assert project_install[-2:] == ["-e", "."]


@pytest.mark.parametrize("changed", ["requirements/test.txt", "pyproject.toml"])
def test_a_changed_lock_or_pyproject_reinstalls(tmp_path, changed):
    venv = tmp_path / "venv"
    venv.mkdir()
    stamp = venv / ".installed"
    stamp.touch()
    later = max((ROOT / "pyproject.toml").stat().st_mtime, LOCK.stat().st_mtime) + 60
    os.utime(stamp, (later, later))
    assert pip_installs(make_dry_run(venv, "install")) == []
    assert len(pip_installs(make_dry_run(venv, "-W", changed, "install"))) == 2


def test_ci_installs_from_the_lock_before_testing():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    lines = [line.strip() for line in script.splitlines() if line.strip()[:1] not in ("", "#")]
    assert lines.index("make install") < lines.index("make test")
    assert not [line for line in lines if "pip" in line.split()], "only through make install"


def test_the_workflow_installs_from_the_lock(workflow):
    on = triggers(workflow)
    assert "requirements/**" in on["pull_request"]["paths"]  # Dependabot's updates are checked
    check = workflow["jobs"]["check"]
    python = next(s for s in steps(check) if s.get("uses", "").startswith("actions/setup-python"))
    assert python["with"]["cache-dependency-path"] == "requirements/test.txt"
    runs = [s.get("run", "") for s in steps(check)]
    install = next(i for i, run in enumerate(runs) if run.startswith("make install"))
    assert install < next(i for i, run in enumerate(runs) if "flagboard validate" in run)
    for job in workflow["jobs"].values():
        for step in steps(job):
            for line in step.get("run", "").splitlines():
                if re.search(r"\bpip install\b", line):
                    assert "--require-hashes" in line or "--no-deps" in line, line


def test_the_locks_are_what_make_lock_writes(workflow, tmp_path):
    compiles = [
        line.split() for line in make_dry_run(tmp_path / "venv", "lock") if " pip compile " in line
    ]
    assert len(compiles) == 2
    python = next(
        s for s in steps(workflow["jobs"]["check"]) if "setup-python" in s.get("uses", "")
    )
    for command in compiles:
        lock = ROOT / command[command.index("-o") + 1]
        first, second = lock.read_text(encoding="utf-8").splitlines()[:2]
        assert "autogenerated by uv" in first  # Dependabot knows the file by this line
        # The lock's header records the command that made it: the Makefile's, less --quiet.
        assert second.split()[1:] == ["uv", *[w for w in command[1:] if w != "--quiet"]]
        assert "--generate-hashes" in command and "--no-config" in command
        assert command[command.index("--python-version") + 1] == python["with"]["python-version"]
    assert {ROOT / c[c.index("-o") + 1] for c in compiles} == {LOCK, RUNTIME_LOCK}


def test_dependabot_updates_the_actions_and_the_locks_weekly():
    config = yaml.safe_load(DEPENDABOT.read_text(encoding="utf-8"))
    assert config["version"] == 2
    updates = {update["package-ecosystem"]: update for update in config["updates"]}
    assert set(updates) == {"github-actions", "pip"}
    for update in updates.values():
        # At the root: the workflows for actions; pyproject.toml and requirements/ for pip.
        assert update["directory"] == "/"
        assert update["schedule"]["interval"] == "weekly"
        groups = update["groups"].values()
        assert any(sorted(group["update-types"]) == ["minor", "patch"] for group in groups)
        assert update["cooldown"]["default-days"] >= 7
    assert LOCK.parent == RUNTIME_LOCK.parent == ROOT / "requirements"


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

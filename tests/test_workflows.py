"""The GitHub workflow, the Makefile's installs and the dependency locks.

The workflow and Dependabot's config are linted with zizmor, their structure checked, its
build step and the office's month replayed. The locks pin every package with hashes, cover
every dependency that pyproject.toml declares and the code imports, and are the only source
that installs use; `make site` installs the runtime lock alone. The other forges' workflows and
the ci/ scripts every forge runs: tests/test_forges.py.
"""

from __future__ import annotations

import ast
import csv
import io
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
from _site_helpers import build_site
from _workflow_helpers import (
    fake_flagboard,
    fake_program,
    git,
    run_bash,
    step_running,
    steps,
    town_repo,
    triggers,
    with_ci_scripts,
)
from packaging.requirements import Requirement

from generator.demo import excel_csv
from generator.site.siteurl import SITE_URL

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


ON_MAIN = (
    "github.ref == 'refs/heads/main' && "
    "(github.event_name == 'push' || github.event_name == 'workflow_dispatch')"
)


def test_triggers(workflow):
    on = triggers(workflow)
    # Every pull request gets the check: a paths filter would leave a required check waiting
    # for ever on a pull request that changes only the README or .gitattributes.
    assert on["pull_request"] is None or "paths" not in on["pull_request"]
    assert on["push"]["branches"] == ["main"] and "paths" not in on["push"]
    assert len(on["schedule"]) == 1 and "cron" in on["schedule"][0]
    assert "workflow_dispatch" in on


def test_least_privileges_job_by_job(workflow):
    assert workflow["permissions"] == {}
    jobs = workflow["jobs"]
    for name in ("data", "test", "build"):
        assert jobs[name]["permissions"] == {"contents": "read"}, name
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_deploy_needs_every_check_and_runs_only_on_main(workflow):
    deploy = workflow["jobs"]["deploy"]
    assert sorted(deploy["needs"]) == ["build", "data", "test"]
    assert deploy["if"] == ON_MAIN
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in steps(deploy)] == ["actions/deploy-pages"]


def concurrency_group(workflow: dict, event: str, ref: str) -> str:
    """The run's group as GitHub would work it out, for the expression this workflow uses."""
    group = workflow["concurrency"]["group"]
    expected = (
        "${{ github.workflow }}-${{ github.event_name == 'schedule' && 'weekly' || github.ref }}"
    )
    assert group == expected
    return f"检查与发布-{'weekly' if event == 'schedule' else ref}"


def test_concurrency_groups_per_ref_and_the_weekly_run_apart(workflow):
    main_push = concurrency_group(workflow, "push", "refs/heads/main")
    assert main_push == concurrency_group(workflow, "workflow_dispatch", "refs/heads/main")
    others = {
        concurrency_group(workflow, "schedule", "refs/heads/main"),
        concurrency_group(workflow, "pull_request", "refs/pull/7/merge"),
        concurrency_group(workflow, "pull_request", "refs/pull/8/merge"),
        concurrency_group(workflow, "push", "refs/heads/dependabot/pip/rich-15"),
    }
    assert len(others) == 4 and main_push not in others


def test_a_deployment_is_never_cancelled(workflow):
    assert workflow["jobs"]["deploy"]["concurrency"] == {
        "group": "pages",
        "cancel-in-progress": False,
    }
    # The run-level group cancels superseded pull-request runs only.
    assert workflow["concurrency"]["cancel-in-progress"] == (
        "${{ github.event_name == 'pull_request' }}"
    )


def runs(job: dict) -> list[str]:
    return [s.get("run", "") for s in steps(job)]


def test_the_data_check_waits_for_no_browser_and_no_test_suite(workflow):
    jobs = workflow["jobs"]
    data = jobs["data"]
    assert "needs" not in data
    assert steps(data)[0]["with"] == {"fetch-depth": 0, "persist-credentials": False}
    commands = runs(data)
    validate = next(i for i, r in enumerate(commands) if "flagboard validate --format github" in r)
    preview = next(i for i, r in enumerate(commands) if "ci/preview.sh" in r)
    assert validate < preview
    assert commands[preview].endswith('>> "${GITHUB_STEP_SUMMARY}"')
    assert "--against" in (ROOT / "ci" / "preview.sh").read_text(encoding="utf-8")
    heavy = ("make test", "apt-get", "make site", "ci/build.sh", "install-test")
    assert not [r for r in commands if any(word in r for word in heavy)]
    assert any("make test" in r for r in runs(jobs["test"]))
    assert any("apt-get install" in r for r in runs(jobs["test"]))


def test_the_build_job_builds_and_uploads(workflow):
    build = workflow["jobs"]["build"]
    assert steps(build)[0]["with"] == {"fetch-depth": 0, "persist-credentials": False}
    assert any("bash ci/build.sh" in r for r in runs(build))
    uploads = {s["uses"].split("@")[0]: s for s in steps(build) if "upload" in s.get("uses", "")}
    assert uploads["actions/upload-artifact"]["with"]["path"] == "output/"
    pages = uploads["actions/upload-pages-artifact"]
    assert pages["with"]["path"] == "output/"
    assert pages["if"] == workflow["jobs"]["deploy"]["if"] == ON_MAIN


def test_the_heavy_test_steps_are_skipped_only_by_the_changes_step(workflow):
    test = workflow["jobs"]["test"]
    names = [s.get("id") for s in steps(test)]
    assert names.index("changes") == 1  # right after the checkout
    for step in steps(test)[2:]:
        assert step["if"] == "steps.changes.outputs.code == 'true'", step["name"]


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
    # The publishing build passes SETTINGS=publishconf.py (the site's real address), and
    # ci/build.sh the published site's address in BUILD_FLAGS (--published).
    assert "flagboard build" in site.group(1) and "$(SETTINGS)" in site.group(1)
    assert " $(BUILD_FLAGS))" in site.group(1)


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
    return [line.split() for line in lines if re.search(r"\bpip\b.* install ", line)]


def lock_of(install: list[str]) -> str:
    return install[install.index("-r") + 1] if "-r" in install else "-e ."


def test_make_site_installs_the_runtime_lock_alone(tmp_path):
    """The newcomer's first command installs what the site needs (issue 21), nothing to test."""
    for target in ("install", "site"):
        lock_install, project_install = pip_installs(make_dry_run(tmp_path / "venv", target))
        assert lock_install[-3:] == ["--require-hashes", "-r", "requirements/runtime.txt"]
        # flagboard itself: no dependencies and no isolated build (its setuptools is in the lock).
        assert {"--no-deps", "--no-build-isolation"} <= set(project_install)
        assert project_install[-2:] == ["-e", "."]
        # pip's notice of a newer pip (English, and nothing to do with the site) is not shown.
        assert "--disable-pip-version-check" in lock_install + project_install
        # no bytecode for every module of every package (pandas' tests alone: 46 MB of it)
        assert "--no-compile" in lock_install and "--no-compile" in project_install


def test_make_test_adds_the_test_lock_on_top(tmp_path):
    installs = pip_installs(make_dry_run(tmp_path / "venv", "test"))
    assert [lock_of(i) for i in installs] == [
        "requirements/runtime.txt",
        "-e .",
        "requirements/test.txt",
    ]
    assert installs[-1][-3:] == ["--require-hashes", "-r", "requirements/test.txt"]
    # the suite's many processes get every package's bytecode, compiled once, flagboard's too
    lines = make_dry_run(tmp_path / "venv", "install-test")
    assert "-m compileall" in lines[-2] and lines[-1].startswith("touch ")
    assert lines[-2].split("||")[0].split()[-1] == "generator"
    for target in ("install-test", "lint", "lock", "screenshots"):  # what needs the test tools
        assert "requirements/test.txt" in map(
            lock_of, pip_installs(make_dry_run(tmp_path / "v", target))
        )


@pytest.mark.parametrize(
    ("changed", "target", "locks"),
    [
        ("requirements/runtime.txt", "install", ["requirements/runtime.txt", "-e ."]),
        ("pyproject.toml", "install", ["requirements/runtime.txt", "-e ."]),
        ("requirements/test.txt", "install", []),
        ("requirements/test.txt", "install-test", ["requirements/test.txt"]),
        (
            "pyproject.toml",
            "install-test",
            ["requirements/runtime.txt", "-e .", "requirements/test.txt"],
        ),
    ],
)
def test_a_changed_lock_or_pyproject_reinstalls(tmp_path, changed, target, locks):
    venv = tmp_path / "venv"
    venv.mkdir()
    later = max(p.stat().st_mtime for p in (ROOT / "pyproject.toml", LOCK, RUNTIME_LOCK)) + 60
    for stamp in (venv / ".installed", venv / ".installed-test"):
        stamp.touch()
        os.utime(stamp, (later, later))
    assert pip_installs(make_dry_run(venv, target)) == []
    assert [lock_of(i) for i in pip_installs(make_dry_run(venv, "-W", changed, target))] == locks


def test_ci_installs_from_the_lock_before_testing():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    lines = [line.strip() for line in script.splitlines() if line.strip()[:1] not in ("", "#")]
    assert lines.index("make install") < lines.index("make test")
    assert not [line for line in lines if "pip" in line.split()], "only through make install"


def test_the_workflow_installs_from_the_lock(workflow):
    for name, install, lock, first_use in (
        ("data", "make install", "runtime.txt", "flagboard validate"),
        ("test", "make install-test", "test.txt", "make test"),
        ("build", "make install", "runtime.txt", "ci/build.sh"),
    ):
        job = workflow["jobs"][name]
        python = next(s for s in steps(job) if s.get("uses", "").startswith("actions/setup-python"))
        assert python["with"]["cache"] == "pip"
        assert python["with"]["cache-dependency-path"] == f"requirements/{lock}"
        commands = [run.split(" #")[0].strip() for run in runs(job)]
        installed = commands.index(install)
        assert installed < next(i for i, run in enumerate(commands) if first_use in run)
    for job in workflow["jobs"].values():
        for step in steps(job):
            for line in step.get("run", "").splitlines():
                assert not re.search(r"\bpip install\b", line), "only through make"


def test_the_locks_are_what_make_lock_writes(workflow, tmp_path):
    compiles = [
        line.split() for line in make_dry_run(tmp_path / "venv", "lock") if " pip compile " in line
    ]
    assert len(compiles) == 2
    python = next(s for s in steps(workflow["jobs"]["data"]) if "setup-python" in s.get("uses", ""))
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


# -- the build step and the office's month, run for real ------------------------------------


def run_step(workflow: dict, job: str, text: str, repo: Path, base: str) -> tuple[str, str]:
    """Run a step's script in `repo` as GitHub would: (the run summary, $GITHUB_OUTPUT)."""
    script = step_running(workflow["jobs"][job], text)["run"]
    summary, output = repo / "summary.md", repo / "output.txt"
    summary.write_text("", encoding="utf-8")
    output.write_text("", encoding="utf-8")
    env = {"BASE_REF": base, "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(output)}
    result = run_bash(script, repo, env)
    assert result.returncode == 0, result.stderr
    return summary.read_text(encoding="utf-8"), output.read_text(encoding="utf-8")


@pytest.fixture
def data_repo(tmp_path) -> Path:
    return town_repo(tmp_path / "repo")


@pytest.mark.parametrize(
    ("publish", "repository", "variable", "expected"),
    [
        ("false", "huamu/flags", "", "site |https://huamu.github.io/flags"),  # not used
        (
            "true",
            "HuaMu/flags",
            "",
            "site SETTINGS=publishconf.py BUILD_FLAGS= |https://huamu.github.io/flags",
        ),
        (
            "true",
            "huamu/HuaMu.github.io",
            "",
            "site SETTINGS=publishconf.py BUILD_FLAGS= |https://huamu.github.io",
        ),
        (
            "true",
            "huamu/flags",
            "https://hhq.example.cn",
            "site SETTINGS=publishconf.py BUILD_FLAGS= |https://hhq.example.cn",
        ),
    ],
)
def test_build_step_publishes_with_the_site_address(
    workflow, tmp_path, publish, repository, variable, expected
):
    # `make` and flagboard are stand-ins that show how they were called (this flagboard's
    # build has no --published yet): the step's own logic is tested.
    fake_program(tmp_path / "bin", "make", 'echo "$* |${FLAGBOARD_SITEURL:-}"\n')
    fake_flagboard(with_ci_scripts(tmp_path))
    script = step_running(workflow["jobs"]["build"], "ci/build.sh")["run"]
    env = {
        "PATH": f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "PUBLISH": publish,
        "SITE_URL": variable,
        "GITHUB_REPOSITORY": repository,
        "GITHUB_REPOSITORY_OWNER": repository.split("/")[0],
        "FLAGBOARD_SITEURL": "",
    }
    result = run_bash(script, tmp_path, env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected
    address = expected.split("|")[1]
    if publish == "true":  # an address `flagboard build` takes for publishing
        assert SITE_URL.fullmatch(address), address


def test_the_guides_month_replayed_through_the_check(workflow, data_repo, tmp_path):
    """The clerk's routine as the guide tells it: next month's blank form from the built site,
    filled in and saved as Excel saves CSV, uploaded on a branch, read in the check's summary;
    then a 复议 correction, whose summary says what changes; then undoing it (GitHub's Revert
    button makes the commit `git revert` makes)."""
    (data_repo / ".venv").symlink_to(BIN.parent)
    build_site(data_repo / "scores", tmp_path / "site")
    form = (tmp_path / "site" / "data" / "template" / "2024-03.csv").read_bytes()
    header, *rows = csv.reader(io.StringIO(form.decode("utf-8-sig")))
    assert header[:3] == ["村名", "党建引领发展（100分）", "和美家园建设（100分）"] and rows
    assert all(not any(row[1:]) for row in rows)  # blank
    filled = [header] + [
        [row[0], *(str(95 - 5 * i - j) for j in range(len(header) - 1))]
        for i, row in enumerate(rows)
    ]
    upload = data_repo / "scores" / "2024" / "2024-03.csv"
    upload.write_bytes(excel_csv(filled, "utf-8-sig"))
    git(data_repo, "branch", "-f", "base")
    git(data_repo, "add", "scores")
    git(data_repo, "commit", "-q", "-m", "录入 2024年3月评分")
    subprocess.run([".venv/bin/flagboard", "validate"], cwd=data_repo, check=True)
    summary, _ = run_step(workflow, "data", "ci/preview.sh", data_repo, "base")
    assert "## 测试镇 2024年3月 评比结果预览" in summary and "与「base」相比的变化" in summary
    # 复议: the first village's first score from 95 to 60, in a branch off the merged upload
    git(data_repo, "branch", "-f", "base")
    filled[1][1] = "60"
    upload.write_bytes(excel_csv(filled, "utf-8-sig"))
    git(data_repo, "commit", "-q", "-am", f"复议更正 2024-03：{filled[1][0]} 党建引领发展 95→60")
    summary, _ = run_step(workflow, "data", "ci/preview.sh", data_repo, "base")
    correction = f"| 2024年3月 | {filled[1][0]} | 党建引领发展 | 95 | 60 |"
    assert correction in summary
    # Undone: the same change the other way
    git(data_repo, "branch", "-f", "base")
    git(data_repo, "revert", "--no-edit", "HEAD")
    summary, _ = run_step(workflow, "data", "ci/preview.sh", data_repo, "base")
    assert f"| 2024年3月 | {filled[1][0]} | 党建引领发展 | 60 | 95 |" in summary

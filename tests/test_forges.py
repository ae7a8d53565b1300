"""Forgejo, Gitea and GitLab check, build and publish as GitHub does (issue 18, point 4).

Each forge's workflow is read into the same words (checkout, python, install, validate, …) and
compared with GitHub's, job by job; their privileges, groups, secrets and actions are checked
as zizmor checks GitHub's; and the ci/ scripts that all four run are run for real, each forge's
step with the variables that forge gives it, in a town's git repository.
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import subprocess
import sys
import threading
import zipfile
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from _workflow_helpers import (
    ACTIONS_WORKFLOWS,
    CI,
    FORGES,
    GITLAB,
    ROOT,
    fake_flagboard,
    fake_program,
    git,
    load,
    run_bash,
    steps,
    town_repo,
    triggers,
    with_ci_scripts,
)

BIN = Path(sys.executable).parent
SELF_HOSTED = ("forgejo", "gitea")  # GitHub's syntax, on a runner of the town's own
# The jobs by the names GitHub gives them (GitLab names its jobs as GitHub displays them).
CHECKS = {"data": "校验与预览", "test": "测试", "build": "构建网站"}
ON_MAIN = (
    "github.ref == 'refs/heads/main' && "
    "(github.event_name == 'push' || github.event_name == 'workflow_dispatch')"
)
GITLAB_ON_MAIN = (
    '$CI_COMMIT_BRANCH == "main" && ($CI_PIPELINE_SOURCE == "push" || $CI_PIPELINE_SOURCE == "web")'
)
# `flagboard publish`'s settings (docs/publish.md): what is no secret is a variable.
PUBLISH_VARIABLES = {
    "FLAGBOARD_PUBLISH_TO",
    "FLAGBOARD_SITEURL",
    "FLAGBOARD_S3_ENDPOINT",
    "FLAGBOARD_S3_REGION",
    "FLAGBOARD_S3_ADDRESSING",
    "FLAGBOARD_SSH_KNOWN_HOSTS",
}
PUBLISH_SECRETS = {
    "FLAGBOARD_S3_ACCESS_KEY_ID",
    "FLAGBOARD_S3_SECRET_ACCESS_KEY",
    "FLAGBOARD_SSH_KEY",
}
WORDS = (  # what a step does, by a piece of its command, in the order they are tried
    ("actions/checkout@", "checkout"),
    ("actions/setup-python@", "python"),
    ("ci/prepare.sh", "python"),
    ("make install-test", "install-test"),
    ("make install", "install"),
    ("flagboard validate", "validate"),
    ("ci/preview.sh", "preview"),
    ("ci/code-changed.sh", "changes"),
    ("chromium", "browser"),
    ("fonts-noto-cjk", "browser"),
    ("ci/debian.sh rsync", "rsync"),
    ("make axe", "axe"),
    ("make test", "test"),
    ("ci/build.sh", "build"),
    ("ci/publish.sh", "publish"),
    ("actions/deploy-pages@", "publish"),
)
UNSAID = ("upload-artifact@", "upload-pages-artifact@", "cat preview.md")  # artifacts: apart


def word(command: str) -> str | None:
    if any(piece in command for piece in UNSAID):
        return None
    return next((w for piece, w in WORDS if piece in command), command)


def actions_jobs(forge: str) -> dict[str, dict]:
    """The jobs by GitHub's keys (data, test, build; publish for GitHub's deploy)."""
    jobs = load(ACTIONS_WORKFLOWS[forge])["jobs"]
    return {("publish" if key == "deploy" else key): job for key, job in jobs.items()}


def gitlab_jobs() -> dict[str, dict]:
    config = load(GITLAB)
    names = {**CHECKS, "publish": "发布网站"}
    assert set(names.values()) <= set(config), "GitLab's jobs have GitHub's names"
    return {key: config[name] for key, name in names.items()}


def plan(forge: str) -> dict[str, list[str]]:
    """Each job as the same words on every forge: what it does, in order."""
    if forge == "gitlab":  # the runner clones the repository before the script
        jobs = gitlab_jobs()
        said = {key: ["checkout", *map(word, job["script"])] for key, job in jobs.items()}
    else:
        jobs = actions_jobs(forge)
        said = {
            key: [word(s.get("uses", "") + s.get("run", "")) for s in steps(job)]
            for key, job in jobs.items()
        }
    return {key: [w for w in words if w] for key, words in said.items()}


# -- the same jobs, steps and order ---------------------------------------------------------


@pytest.mark.parametrize("forge", FORGES)
def test_every_forge_checks_and_builds_as_github_does(forge):
    github = plan("github")
    assert github["data"] == ["checkout", "python", "install", "validate", "preview"]
    assert github["test"] == [
        "checkout",
        "changes",
        "python",
        "install-test",
        "browser",
        "axe",
        "test",
    ]
    assert github["build"] == ["checkout", "python", "install", "build"]
    ours = plan(forge)
    assert set(ours) == {*CHECKS, "publish"}
    for job in CHECKS:
        assert ours[job] == github[job], (forge, job)


@pytest.mark.parametrize("forge", FORGES)
def test_every_forge_publishes_with_flagboard_publish_after_a_publishing_build(forge):
    publish = plan(forge)["publish"]
    if forge == "github":  # GitHub Pages stays: the build job's artifact, deployed
        assert publish == ["publish"]
    elif forge == "gitlab":  # the build job's artifact, published by flagboard
        assert publish == ["checkout", "python", "rsync", "install", "publish"]
        assert gitlab_jobs()["publish"]["needs"] == list(CHECKS.values())
    else:  # no artifact passes between jobs: the same commit builds the same bytes again
        assert publish == ["checkout", "python", "rsync", "install", "build", "publish"]
        build = next(
            s for s in steps(actions_jobs(forge)["publish"]) if "ci/build.sh" in s.get("run", "")
        )
        assert build["env"]["PUBLISH"] == "true"


@pytest.mark.parametrize("forge", SELF_HOSTED)
def test_the_same_triggers_names_and_time_limits(forge):
    github, ours = load(ACTIONS_WORKFLOWS["github"]), load(ACTIONS_WORKFLOWS[forge])
    assert triggers(ours) == triggers(github)
    assert ours["name"] == github["name"] and ours["defaults"] == github["defaults"]
    mine, theirs = actions_jobs(forge), actions_jobs("github")
    for key in CHECKS:
        assert mine[key]["name"] == theirs[key]["name"] == CHECKS[key]
        assert mine[key]["timeout-minutes"] == theirs[key]["timeout-minutes"]
        assert "needs" not in mine[key]  # the checks wait for nothing
    assert mine["publish"]["needs"] == theirs["publish"]["needs"]
    assert mine["publish"]["if"] == theirs["publish"]["if"] == ON_MAIN


def test_gitlab_runs_for_merge_requests_main_by_hand_and_the_schedule():
    config = load(GITLAB)
    assert config["workflow"]["name"] == load(ACTIONS_WORKFLOWS["github"])["name"]
    sources = [rule["if"] for rule in config["workflow"]["rules"]]
    assert sources == [
        '$CI_PIPELINE_SOURCE == "merge_request_event"',
        '$CI_PIPELINE_SOURCE == "push" && $CI_COMMIT_BRANCH == "main"',
        '$CI_PIPELINE_SOURCE == "web" && $CI_COMMIT_BRANCH == "main"',
        '$CI_PIPELINE_SOURCE == "schedule"',
    ]
    jobs, github = gitlab_jobs(), actions_jobs("github")
    for key in CHECKS:
        assert jobs[key]["stage"] == "check" and "needs" not in jobs[key]
        assert jobs[key]["timeout"] == f"{github[key]['timeout-minutes']}m"
    # Only main's pushes and manual runs publish, as GitHub's ON_MAIN; their build is for it.
    assert [rule["if"] for rule in jobs["publish"]["rules"]] == [GITLAB_ON_MAIN]
    assert jobs["build"]["rules"][0] == {
        "if": GITLAB_ON_MAIN,
        "variables": {"PUBLISH": "true"},
    }
    assert config["variables"]["GIT_DEPTH"] == "0"  # the whole history


# -- least privileges, one publish at a time, secrets where they are used ------------------


@pytest.mark.parametrize("forge", SELF_HOSTED)
def test_least_privileges_and_one_publish_at_a_time(forge):
    workflow = load(ACTIONS_WORKFLOWS[forge])
    assert workflow["permissions"] == {}
    for key, job in actions_jobs(forge).items():
        # Publishing writes with the target's own key: the forge's token reads, nothing more.
        assert job["permissions"] == {"contents": "read"}, key
    assert workflow["concurrency"] == load(ACTIONS_WORKFLOWS["github"])["concurrency"]
    assert actions_jobs(forge)["publish"]["concurrency"] == {
        "group": "flagboard-publish",
        "cancel-in-progress": False,
    }


def test_gitlab_publishes_one_at_a_time_never_cancelled_with_the_secrets_alone():
    config, jobs = load(GITLAB), gitlab_jobs()
    assert config["default"]["interruptible"] is True  # a newer pipeline stops the checks
    publish = jobs["publish"]
    assert publish["interruptible"] is False and publish["resource_group"] == "flagboard-publish"
    # The target's secrets have the environment scope `production`: this job alone sees them.
    assert publish["environment"] == {"name": "production"}
    assert all("environment" not in jobs[key] for key in CHECKS)
    text = GITLAB.read_text(encoding="utf-8")
    assert "CI_JOB_TOKEN" not in text and not PUBLISH_SECRETS & set(re.findall(r"\w+", text))


@pytest.mark.parametrize("forge", SELF_HOSTED)
def test_secrets_reach_the_publish_step_alone_and_no_expression_reaches_a_script(forge):
    jobs = actions_jobs(forge)
    for key, job in jobs.items():
        for step in steps(job):
            # zizmor's template-injection: expressions only in env, scripts read variables.
            assert "${{" not in step.get("run", ""), step["name"]
            env = step.get("env", {})
            secrets = {name for name, value in env.items() if "secrets." in str(value)}
            if secrets:
                assert key == "publish" and "ci/publish.sh" in step["run"]
                assert secrets == PUBLISH_SECRETS
            for name, value in env.items():  # each named as the variable or secret it reads
                if "vars." in str(value) or "secrets." in str(value):
                    assert re.fullmatch(rf"\$\{{\{{ (vars|secrets)\.{name} \}}\}}", value)
    publish = next(s for s in steps(jobs["publish"]) if "ci/publish.sh" in s.get("run", ""))
    variables = {n for n, v in publish["env"].items() if v.startswith("${{ vars.")}
    assert variables == PUBLISH_VARIABLES


@pytest.mark.parametrize("forge", SELF_HOSTED)
def test_the_one_action_is_checkout_pinned_without_credentials(forge):
    uses = [s for job in actions_jobs(forge).values() for s in steps(job) if "uses" in s]
    assert len(uses) == 4  # one per job
    for step in uses:
        assert re.fullmatch(r"actions/checkout@[0-9a-f]{40}", step["uses"])
        assert step["with"] == {"fetch-depth": 0, "persist-credentials": False}
    for line in ACTIONS_WORKFLOWS[forge].read_text(encoding="utf-8").splitlines():
        if "uses:" in line:
            assert re.search(r"@[0-9a-f]{40} # v\d+(\.\d+)*$", line), line


def test_zizmor_finds_nothing_in_forgejos_and_giteas_workflows():
    import shutil

    zizmor = shutil.which("zizmor", path=str(BIN)) or shutil.which("zizmor")
    assert zizmor, "zizmor is in the test extra"
    files = [str(ACTIONS_WORKFLOWS[forge]) for forge in SELF_HOSTED]
    command = [zizmor, "--offline", "--no-progress", "--persona", "pedantic", *files]
    result = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"}
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_gitlab_scripts_read_only_commit_hashes_and_quote_them():
    """A branch name or a commit message in a script would run as the shell reads it."""
    for job in gitlab_jobs().values():
        for line in job["script"]:
            for name in re.findall(r"\$\{?(\w+)", line):
                assert name in {"CI_MERGE_REQUEST_DIFF_BASE_SHA", "CI_COMMIT_BEFORE_SHA"}, line
            # quoted, or the default inside a quoted expansion
            assert set(re.findall(r"(.)\$\{", line)) <= {'"', "-"}, line
            assert not re.search(r"\$CI_", line), line


@pytest.mark.parametrize("forge", (*SELF_HOSTED, "gitlab"))
def test_a_documented_runner_label_and_a_mirror_for_python_packages(forge):
    if forge == "gitlab":
        config = load(GITLAB)
        assert config["default"]["tags"] == ["docker"]
        assert config["default"]["image"] == "$FLAGBOARD_IMAGE"
        assert config["variables"]["FLAGBOARD_IMAGE"] == "python:3.11-bookworm"
        return  # a project variable PIP_INDEX_URL reaches every job's environment by itself
    installs = 0
    for job in actions_jobs(forge).values():
        assert job["runs-on"] == "docker"
        for step in steps(job):
            if step.get("run", "").startswith("make install"):
                assert step["env"] == {"PIP_INDEX_URL": "${{ vars.PIP_INDEX_URL }}"}
                installs += 1
    assert installs == 4


def apt_packages(text: str) -> set[str]:
    """The packages an `apt-get install` or `ci/debian.sh` line of `text` installs, and those
    .ci/run adds to what it asks apt for when missing (`missing+=(…)`)."""
    packages: set[str] = set()
    for line in text.replace("\\\n", " ").splitlines():
        for command in re.findall(r"(?:apt-get install|ci/debian\.sh)\s+([^#;&|]*)", line):
            packages |= {w for w in command.split() if not w.startswith(("-", '"$'))}
        for listed in re.findall(r"missing\+=\(([^)]*)\)", line):
            packages |= set(listed.split())
    return packages


@pytest.mark.parametrize("forge", FORGES)
def test_the_test_job_installs_what_ci_run_installs(forge):
    wanted = apt_packages((ROOT / ".ci" / "run").read_text(encoding="utf-8"))
    assert {"chromium", "fonts-noto-cjk", "poppler-utils"} <= wanted
    if forge == "gitlab":
        text = "\n".join(gitlab_jobs()["test"]["script"])
    else:
        text = "\n".join(s.get("run", "") for s in steps(actions_jobs(forge)["test"]))
    installed = apt_packages(text)
    if forge == "github":  # GitHub's runner has Chrome (linked as /usr/bin/chromium) and npm
        wanted -= {"chromium", "npm"}
    assert wanted <= installed, wanted - installed


# -- the ci/ scripts, run for real with each forge's variables ------------------------------


@pytest.fixture
def repo(tmp_path) -> Path:
    return town_repo(tmp_path / "repo")


def preview(forge: str, repo: Path, base: str) -> str:
    """What the data job's preview step shows, run as `forge` runs it, against `base`."""
    if forge == "gitlab":
        line = next(line for line in gitlab_jobs()["data"]["script"] if "ci/preview.sh" in line)
        variable = "CI_COMMIT_BEFORE_SHA" if base == "0" * 40 else "CI_MERGE_REQUEST_DIFF_BASE_SHA"
        result = run_bash(line, repo, {variable: base}, pipefail_only=True)
        assert result.returncode == 0, result.stderr
        return (repo / "preview.md").read_text(encoding="utf-8")
    job = actions_jobs(forge)["data"]
    script = next(s["run"] for s in steps(job) if "ci/preview.sh" in s.get("run", ""))
    summary = repo / "summary.md"
    summary.write_text("", encoding="utf-8")
    result = run_bash(script, repo, {"BASE_REF": base, "GITHUB_STEP_SUMMARY": str(summary)})
    assert result.returncode == 0, result.stderr
    return summary.read_text(encoding="utf-8") if forge == "github" else result.stdout


@pytest.mark.parametrize("forge", FORGES)
def test_preview_previews_each_changed_month_against_the_base(forge, repo):
    fake_flagboard(repo)
    january = repo / "scores" / "2024" / "2024-01.csv"
    january.write_bytes(january.read_bytes().replace(b"90,80", b"91,80"))
    git(repo, "commit", "-q", "-am", "复议更正 2024-01：东山村 党建引领发展 90→91")
    assert preview(forge, repo, "base").splitlines() == [
        "flagboard preview --format markdown 2024-01 2024-02",
        "flagboard preview --format markdown --against base 2024-01 2024-02",
    ]
    # Only the events of a month: that month.
    git(repo, "branch", "-f", "base")
    (repo / "scores" / "2024" / "2024-02.events.csv").write_text("村名,事件,类别,分值,说明\n")
    git(repo, "add", "scores")
    git(repo, "commit", "-q", "-m", "2024年2月事件表")
    assert preview(forge, repo, "base").splitlines() == [
        "flagboard preview --format markdown 2024-02",
        "flagboard preview --format markdown --against base 2024-02",
    ]


@pytest.mark.parametrize("forge", FORGES)
def test_preview_of_a_request_whose_base_moved_on_shows_only_the_request(forge, repo):
    """Forgejo, Gitea and GitLab check out a request's head, not its merge into the base: a
    month added on the base since the request began is not the request's change."""
    fake_flagboard(repo)
    start = git(repo, "rev-parse", "HEAD~1")
    git(repo, "checkout", "-q", "-b", "request", start)
    (repo / "scores" / "2024" / "2024-01.events.csv").write_text("村名,事件,类别,分值,说明\n")
    git(repo, "add", "scores")
    git(repo, "commit", "-q", "-m", "2024年1月事件表")
    # main (with February) is the base; the request branched off before February
    shown = preview(forge, repo, "main").splitlines()
    assert shown == [
        "flagboard preview --format markdown 2024-01",
        f"flagboard preview --format markdown --against {start} 2024-01",
    ]


@pytest.mark.parametrize("forge", FORGES)
def test_preview_compares_a_change_of_settings_from_where_it_starts(forge, repo):
    fake_flagboard(repo)
    git(repo, "branch", "-f", "base")
    toml = repo / "scores" / "town.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "规则调整")
    assert preview(forge, repo, "base").splitlines() == [
        "flagboard preview --format markdown",
        "flagboard preview --format markdown --against base",
    ]


@pytest.mark.parametrize("forge", FORGES)
def test_preview_notes_a_removed_month(forge, repo):
    fake_flagboard(repo)
    git(repo, "rm", "-q", "scores/2024/2024-02.csv")
    git(repo, "commit", "-q", "-m", "撤销误传的 2024年2月评分")
    assert preview(forge, repo, "HEAD~1").splitlines() == [
        "- 2024-02：本次删除了这个月的评分文件，网站将不再公布这个月的结果。",
        "flagboard preview --format markdown --against HEAD~1 2024-02",
    ]


@pytest.mark.parametrize("forge", FORGES)
@pytest.mark.parametrize("base", ["", "0" * 40, "origin/nowhere"])
def test_preview_without_a_base_previews_the_latest_month(forge, repo, base):
    fake_flagboard(repo)
    assert preview(forge, repo, base) == "flagboard preview --format markdown\n"


def test_preview_with_nothing_changed_in_scores_previews_the_latest_month(repo):
    fake_flagboard(repo)
    git(repo, "branch", "-f", "base")
    (repo / "README.md").write_text("说明\n", encoding="utf-8")
    git(repo, "add", "README.md")
    git(repo, "commit", "-q", "-m", "README")
    for forge in FORGES:
        assert preview(forge, repo, "base") == "flagboard preview --format markdown\n"


@pytest.mark.parametrize("forge", FORGES)
def test_preview_runs_the_real_preview_against_the_base(forge, repo):
    (repo / ".venv").symlink_to(BIN.parent)
    january = repo / "scores" / "2024" / "2024-01.csv"
    january.write_bytes(january.read_bytes().replace(b"90,80", b"91,80"))
    git(repo, "commit", "-q", "-am", "复议更正 2024-01：东山村 党建引领发展 90→91")
    shown = preview(forge, repo, "base")
    assert "## 测试镇 2024年1月 评比结果预览" in shown
    assert "## 测试镇 2024年2月 评比结果预览" in shown
    assert "与「base」相比的变化" in shown and "91" in shown


def code_changed(forge: str, repo: Path, base: str) -> tuple[bool, str]:
    """Whether the test job goes on to its suite, run as `forge` runs it; and what it said."""
    if forge == "gitlab":
        first = gitlab_jobs()["test"]["script"][0]
        result = run_bash(
            f"{first}\necho REACHED",
            repo,
            {"CI_MERGE_REQUEST_DIFF_BASE_SHA": base},
            pipefail_only=True,
        )
        assert result.returncode == 0, result.stderr
        return "REACHED" in result.stdout, result.stderr
    job = actions_jobs(forge)["test"]
    step = next(s for s in steps(job) if s.get("id") == "changes")
    for later in steps(job)[2:]:  # only the changes step skips the heavy steps
        assert later["if"] == "steps.changes.outputs.code == 'true'", later["name"]
    output, summary = repo / "output.txt", repo / "summary.md"
    output.write_text("", encoding="utf-8")
    summary.write_text("", encoding="utf-8")
    env = {"BASE_REF": base, "GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary)}
    result = run_bash(step["run"], repo, env)
    assert result.returncode == 0, result.stderr
    code = output.read_text(encoding="utf-8")
    assert code in ("code=true\n", "code=false\n")
    said = summary.read_text(encoding="utf-8") + result.stderr
    return code == "code=true\n", said


@pytest.mark.parametrize("forge", FORGES)
@pytest.mark.parametrize(
    ("changed", "suite"),
    [(["scores/2024/2024-03.csv"], False), (["scores/2024/2024-03.csv", "README.md"], True)],
)
def test_the_test_job_skips_its_suite_for_data_alone(forge, repo, changed, suite):
    git(repo, "branch", "-f", "base")
    for name in changed:
        (repo / name).write_text("村名\n", encoding="utf-8")
        git(repo, "add", name)
    git(repo, "commit", "-q", "-m", "改动")
    runs, said = code_changed(forge, repo, "base")
    assert runs == suite
    assert ("跳过测试" in said) == (not suite)
    # Not a request (no base): always the whole suite.
    assert code_changed(forge, repo, "")[0]


# -- ci/build.sh: the publishing build and the published site's record ----------------------


def build(folder: Path, env: dict[str, str], help_text: str = "") -> subprocess.CompletedProcess:
    fake_program(folder / "bin", "make", 'echo "make $*"\n')
    fake_flagboard(with_ci_scripts(folder), help_text)
    path = f"{folder / 'bin'}{os.pathsep}{os.environ['PATH']}"
    return run_bash("bash ci/build.sh", folder, {"PATH": path, **env})


def test_build_for_review_and_for_publishing(tmp_path):
    review = build(tmp_path, {"PUBLISH": "false", "FLAGBOARD_SITEURL": "https://a.cn"})
    assert review.stdout == "make site\n"
    published = build(tmp_path, {"PUBLISH": "true", "FLAGBOARD_SITEURL": "https://a.cn/x"})
    assert published.stdout == "make site SETTINGS=publishconf.py BUILD_FLAGS=\n"


def test_build_passes_the_published_site_once_flagboard_build_takes_it(tmp_path):
    """gitevidence's `flagboard build --published URL` switches on by itself when it lands."""
    help_text = "用法：flagboard build [--published 地址或文件夹] [--accept-rewrite]"
    address = "https://county.gov.cn/hongqi/花木"
    result = build(tmp_path, {"PUBLISH": "true", "FLAGBOARD_SITEURL": address}, help_text)
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout == f"make site SETTINGS=publishconf.py BUILD_FLAGS=--published '{address}'\n"
    )
    # make hands it to flagboard as one word, whatever the address holds
    dry = subprocess.run(
        ["make", "-n", "site", "SETTINGS=publishconf.py", f"BUILD_FLAGS=--published '{address}'"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    command = shlex.split(next(line for line in dry.splitlines() if "flagboard build" in line))
    assert command[-2:] == ["--published", address]
    for bad in ("https://a.cn/x'; rm -rf ~", "https://a.cn/$HOME", "https://a.cn/a b"):
        refused = build(tmp_path, {"PUBLISH": "true", "FLAGBOARD_SITEURL": bad}, help_text)
        assert refused.returncode == 1 and "FLAGBOARD_SITEURL" in refused.stderr
        assert refused.stdout == ""


def test_the_published_check_is_asked_of_the_real_build():
    """Whether this flagboard's build has --published: the step asks its help, as here."""
    from generator.cli import _parser

    build_parser = _parser()._subparsers._group_actions[0].choices["build"]
    has_it = any("--published" in a.option_strings for a in build_parser._actions)
    help_text = subprocess.run(
        [str(BIN / "flagboard"), "build", "-h"], capture_output=True, text=True, check=True
    ).stdout
    assert ("--published" in help_text) == has_it


# -- ci/publish.sh ---------------------------------------------------------------------------


def publish(folder: Path, env: dict[str, str]) -> list[str]:
    """The `flagboard publish` command ci/publish.sh runs, and the settings it runs with."""
    fake_program(
        with_ci_scripts(folder) / ".venv" / "bin",
        "flagboard",
        'echo "$*"\nenv | grep "^FLAGBOARD_" | sort\n'
        'if [ "$(printf %s "${FLAGBOARD_SSH_KEY:-}" | tail -c 1 | od -An -tx1)" = " 0a" ]; then\n'
        "  echo KEY_ENDS_WITH_A_NEWLINE\nfi\n",
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("FLAGBOARD_")}
    result = subprocess.run(
        ["bash", "ci/publish.sh"], cwd=folder, env={**clean, **env}, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_publish_checks_a_server_or_a_bucket_by_its_public_address(tmp_path):
    site = "https://county.gov.cn/hongqi/huamu"
    for target in ("ssh://deploy@web.county.gov.cn/srv/huamu", "s3://huamu-site/flags"):
        said = publish(tmp_path, {"FLAGBOARD_PUBLISH_TO": target, "FLAGBOARD_SITEURL": site})
        assert said[0] == f"publish --site output --check-url {site}"
    # a folder or zip handed to the county portal goes live later: nothing to fetch back yet
    for target in ("/srv/portal/huamu", "zip:/tmp/huamu.zip"):
        said = publish(tmp_path, {"FLAGBOARD_PUBLISH_TO": target, "FLAGBOARD_SITEURL": site})
        assert said[0] == "publish --site output"


def test_publish_leaves_unset_what_the_forge_gave_empty(tmp_path):
    said = publish(
        tmp_path,
        {"FLAGBOARD_PUBLISH_TO": "s3://huamu", "FLAGBOARD_S3_REGION": "", "FLAGBOARD_SITEURL": ""},
    )
    assert said[0] == "publish --site output"
    assert "FLAGBOARD_PUBLISH_TO=s3://huamu" in said
    assert not [
        line for line in said if line.startswith(("FLAGBOARD_S3_REGION", "FLAGBOARD_SITEURL"))
    ]


def test_publish_reads_gitlabs_file_variables_as_text(tmp_path):
    key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk=\n-----END OPENSSH PRIVATE KEY-----"
    path = tmp_path / "key-file"
    path.write_text(key, encoding="utf-8")  # as GitLab writes a File variable
    hosts = tmp_path / "hosts-file"
    hosts.write_text("web.county.gov.cn ssh-ed25519 AAAA\n", encoding="utf-8")
    env = {
        "FLAGBOARD_PUBLISH_TO": "ssh://deploy@web.county.gov.cn/srv/huamu",
        "FLAGBOARD_SSH_KEY": str(path),
        "FLAGBOARD_SSH_KNOWN_HOSTS": str(hosts),
    }
    said = publish(tmp_path / "work", env)
    assert "FLAGBOARD_SSH_KNOWN_HOSTS=web.county.gov.cn ssh-ed25519 AAAA" in said
    assert "FLAGBOARD_SSH_KEY=-----BEGIN OPENSSH PRIVATE KEY-----" in said
    assert said[-1] == "KEY_ENDS_WITH_A_NEWLINE"  # as ssh wants a key file to end
    # The key's text itself (a forge's secret) is used as it is.
    said = publish(tmp_path / "work", {**env, "FLAGBOARD_SSH_KEY": key + "\n"})
    assert "FLAGBOARD_SSH_KEY=-----BEGIN OPENSSH PRIVATE KEY-----" in said


def test_publish_step_publishes_the_built_site_for_real(tmp_path):
    from generator.cli import _parser

    if "publish" not in _parser()._subparsers._group_actions[0].choices:
        pytest.skip("flagboard publish is not there yet (issue 18, point 1)")
    site = tmp_path / "work" / "output"
    site.mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html><title>花木镇</title>", encoding="utf-8")
    (site / ".flagboard-site").write_text("", encoding="utf-8")
    (tmp_path / "work" / ".venv").symlink_to(BIN.parent)
    with_ci_scripts(tmp_path / "work")
    target = tmp_path / "portal" / "huamu"
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLAGBOARD_")}
    env["FLAGBOARD_PUBLISH_TO"] = str(target)
    result = subprocess.run(
        ["bash", "ci/publish.sh"], cwd=tmp_path / "work", env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert (target / "index.html").read_text(encoding="utf-8").endswith("花木镇</title>")


# -- a domestic package mirror: PIP_INDEX_URL, and the lock's hashes still checked ----------


def tiny_wheel(folder: Path) -> Path:
    """A real wheel of one module, `flagboard_mirror_probe` 1.0."""
    wheel = folder / "flagboard_mirror_probe-1.0-py3-none-any.whl"
    files = {
        "flagboard_mirror_probe.py": "ANSWER = 42\n",
        "flagboard_mirror_probe-1.0.dist-info/METADATA": (
            "Metadata-Version: 2.1\nName: flagboard-mirror-probe\nVersion: 1.0\n"
        ),
        "flagboard_mirror_probe-1.0.dist-info/WHEEL": (
            "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        ),
    }
    record = "".join(f"{name},,\n" for name in files) + (
        "flagboard_mirror_probe-1.0.dist-info/RECORD,,\n"
    )
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
        archive.writestr("flagboard_mirror_probe-1.0.dist-info/RECORD", record)
    return wheel


@pytest.fixture
def mirror(tmp_path):
    """A package index on 127.0.0.1, as a domestic mirror serves PyPI's files (PEP 503)."""
    root = tmp_path / "mirror"
    project = root / "simple" / "flagboard-mirror-probe"
    project.mkdir(parents=True)
    wheel = tiny_wheel(project)
    (project / "index.html").write_text(
        f'<!DOCTYPE html><a href="{wheel.name}">{wheel.name}</a>\n', encoding="utf-8"
    )
    handler = partial(SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/simple/", wheel
    server.shutdown()
    server.server_close()


def makes_lock_install(lock: Path, target: Path) -> list[str]:
    """The Makefile's own command that installs a lock, pointed at `lock`, into `target`."""
    dry = subprocess.run(
        ["make", "-n", "install", "VENV=/nonexistent"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    line = next(line for line in dry.splitlines() if "--require-hashes" in line)
    words = [sys.executable, "-m", "pip", *line.split()[1:]]  # /nonexistent/bin/pip
    words[words.index("-r") + 1] = str(lock)
    return [*words, "--target", str(target), "--no-cache-dir"]


@pytest.mark.parametrize("tampered", [False, True])
def test_a_mirror_serves_the_locks_packages_only_with_their_hashes(mirror, tmp_path, tampered):
    index, wheel = mirror
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    lock = tmp_path / "lock.txt"
    lock.write_text(f"flagboard-mirror-probe==1.0 --hash=sha256:{digest}\n", encoding="utf-8")
    if tampered:  # the mirror serves other bytes under the same name
        with zipfile.ZipFile(wheel, "a") as archive:
            archive.writestr("flagboard_mirror_probe_extra.py", "import os\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update(PIP_INDEX_URL=index, PIP_CONFIG_FILE=os.devnull, PIP_NO_INPUT="1")
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    result = subprocess.run(
        makes_lock_install(lock, tmp_path / "site-packages"),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    installed = (tmp_path / "site-packages" / "flagboard_mirror_probe.py").exists()
    if tampered:
        assert result.returncode != 0 and not installed
        assert "DO NOT MATCH THE HASHES" in result.stderr
    else:
        assert result.returncode == 0, result.stderr
        assert installed


def test_the_ci_scripts_are_bash_that_stops_at_the_first_failure():
    for script in sorted(CI.glob("*.sh")):
        text = script.read_text(encoding="utf-8")
        assert text.startswith("#!/usr/bin/env bash\n"), script.name
        assert "\nset -euo pipefail\n" in text, script.name
        subprocess.run(["bash", "-n", str(script)], check=True)


@pytest.mark.parametrize(
    ("variables", "commit_link"),
    [
        (
            {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "huamu/flags"},
            "https://github.com/huamu/flags/commit/",
        ),
        (  # Forgejo's and Gitea's runners set GitHub's variables to the instance's own
            {"GITHUB_SERVER_URL": "https://git.county.gov.cn", "GITHUB_REPOSITORY": "huamu/flags"},
            "https://git.county.gov.cn/huamu/flags/commit/",
        ),
        (
            {"CI_PROJECT_URL": "https://gitlab.county.gov.cn/huamu/flags"},
            "https://gitlab.county.gov.cn/huamu/flags/-/commit/",
        ),
    ],
)
def test_the_published_site_links_commits_on_the_forge_it_was_built_on(
    monkeypatch, variables, commit_link
):
    import runpy

    for name in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "CI_PROJECT_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    settings = runpy.run_path(str(ROOT / "publishconf.py"))
    # the templates link a commit as {repo_url}/commit/{sha}
    assert settings["FLAGBOARD_REPO_URL"] + "/commit/" == commit_link


def test_debian_sh_asks_apt_only_for_what_the_machine_lacks(tmp_path):
    """A runner whose Node.js came from NodeSource has npm but not Debian's package, which
    conflicts with it: ci/debian.sh must not ask apt for it (apt-get and dpkg-query are stand-ins
    that record what they were asked; nothing is installed)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    asked = tmp_path / "asked"
    stubs = {
        "apt-get": f'echo "$@" >> {asked}\n',
        "dpkg-query": 'if [ "$4" = rsync ]; then printf "install ok installed"; fi\nexit 0\n',
        "npm": "exit 0\n",
        "sudo": '"$@"\n',
    }
    for name, body in stubs.items():
        (bin_dir / name).write_text("#!/bin/sh\n" + body)
        (bin_dir / name).chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    script = str(ROOT / "ci" / "debian.sh")
    subprocess.run(["bash", script, "npm", "rsync", "fonts-noto-cjk"], env=env, check=True)
    lines = asked.read_text().splitlines()
    assert lines[0] == "update -q"
    assert lines[1].split()[-1:] == ["fonts-noto-cjk"] and "npm" not in lines[1].split()
    asked.unlink()
    subprocess.run(["bash", script, "npm", "rsync"], env=env, check=True)
    assert not asked.exists()  # nothing lacking: apt is not even updated

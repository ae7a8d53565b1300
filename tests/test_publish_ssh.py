"""Publishing to a server over SSH with rsync (issue 18), for real: an sshd on 127.0.0.1 with
its own host key, and a TCP relay before it that can cut the line. Each publish is a release
folder and one switch of `current`: killed at any step or cut off mid-transfer, the server
still serves the old release byte for byte, and the next publish completes."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from _deploy_helpers import (
    Relay,
    Sshd,
    kill_when,
    run_publish,
    serving,
    site_files,
)

from generator.cli import main
from generator.deploy.errors import PublishFailed
from generator.deploy.gzipped import gz_path
from generator.deploy.manifest import MANIFEST, scan
from generator.deploy.plan import make_plan
from generator.deploy.publish import publish

# every test: no thread of its own left running (conftest.py threads_end)
pytestmark = pytest.mark.usefixtures("threads_end")


@pytest.fixture(scope="module")
def sshd():
    missing = [p for p in ("/usr/sbin/sshd", "ssh", "rsync", "ssh-keygen") if not shutil.which(p)]
    if missing and os.environ.get("FLAGBOARD_REQUIRE_SSHD"):  # CI: a missing sshd fails
        pytest.fail(f"缺少 {'、'.join(missing)}（apt-get install openssh-server rsync）")
    if missing:
        pytest.skip(f"缺少 {'、'.join(missing)}（apt-get install openssh-server rsync）")
    server = Sshd()
    yield server
    server.stop()


@pytest.fixture
def base(tmp_path) -> Path:
    return tmp_path / "srv" / "huamu"


@pytest.fixture
def publish_to(monkeypatch, capsys, sshd):
    """`flagboard publish` in this process with the key and known_hosts in its environment;
    returns (exit code, stdout, stderr)."""

    def run(site, base: Path, *args: str, port: int | None = None, **env: str):
        for name in list(os.environ):
            if name.startswith("FLAGBOARD_"):
                monkeypatch.delenv(name)
        for name, value in (sshd.env(port) | env).items():
            monkeypatch.setenv(name, value)
        command = ["publish", "--to", sshd.target(base, port), *args]
        code = main(command + (["--site", str(site)] if site else []))
        said = capsys.readouterr()
        return subprocess.CompletedProcess(command, code, said.out, said.err)

    return run


def served(base: Path) -> dict[str, bytes]:
    """What the web server serves: the current release, without the .gz and flagboard's own."""
    return {
        path: data
        for path, data in site_files(base / "current").items()
        if not path.startswith(".flagboard/") and not path.endswith(".gz")
    }


def releases(base: Path) -> list[str]:
    return sorted(p.name for p in (base / "releases").iterdir())


# -- publishing, incrementally, with a release per publish -----------------------------------------


def test_a_server_gets_a_release_per_publish_and_current_switches(publish_to, sites, base):
    first = publish_to(sites.before, base)
    assert first.returncode == 0, first.stderr
    assert served(base) == site_files(sites.before)
    old = releases(base)[0]
    second = publish_to(sites.after, base)
    assert second.returncode == 0, second.stderr
    assert served(base) == site_files(sites.after)
    assert (
        len(releases(base)) == 2
        and os.readlink(base / "current") == f"releases/{releases(base)[1]}"
    )
    # unchanged files are hard links to the old release's: the same inode, not a copy
    new = releases(base)[1]
    plan = make_plan(scan(sites.before), scan(sites.after))
    same = next(p for p in scan(sites.after).files if p not in plan.send)
    assert (base / "releases" / old / same).stat().st_ino == (
        base / "releases" / new / same
    ).stat().st_ino
    changed = plan.send[0]
    assert (base / "releases" / old / changed).read_bytes() == (sites.before / changed).read_bytes()
    assert f"发送 {len(plan.send)} 个文件" in second.stdout
    # text has its .gz beside it for gzip_static; the manifest is the new site's
    current = base / "current"
    assert (
        gzip.decompress((current / "index.html.gz").read_bytes())
        == (current / "index.html").read_bytes()
    )
    assert not (current / gz_path("images/share.png")).exists()
    assert (current / MANIFEST).read_bytes() == scan(sites.after).to_bytes()
    for path in plan.delete:
        assert not (current / path).exists() and not (current / gz_path(path)).exists()


def test_rollback_switches_back_and_only_the_newest_releases_are_kept(publish_to, sites, base):
    for site in (sites.before, sites.after, sites.before):
        assert publish_to(site, base, "--keep", "2").returncode == 0
    kept = releases(base)
    assert len(kept) == 2 and served(base) == site_files(sites.before)
    back = publish_to(None, base, "--rollback")
    assert back.returncode == 0, back.stderr
    assert f"current 现在指向 releases/{kept[0]}" in back.stdout
    assert served(base) == site_files(sites.after)
    last = publish_to(None, base, "--rollback")
    assert last.returncode == 1 and "没有比当前版本" in last.stderr
    assert served(base) == site_files(sites.after)


def test_a_dry_run_lists_and_changes_nothing(publish_to, sites, base):
    assert publish_to(sites.before, base).returncode == 0
    before = releases(base)
    dry = publish_to(sites.after, base, "--dry-run")
    plan = make_plan(scan(sites.before), scan(sites.after))
    listed = [line for line in dry.stdout.splitlines() if line.startswith("将发送 ")]
    assert dry.returncode == 0 and len(listed) == len(plan.send)
    assert releases(base) == before and served(base) == site_files(sites.before)


def test_a_path_holding_someone_elses_current_is_refused(publish_to, sites, base):
    (base / "current").mkdir(parents=True)
    (base / "current" / "index.html").write_text("县门户")
    refused = publish_to(sites.after, base)
    assert refused.returncode == 1 and "不是 flagboard 建的" in refused.stderr
    assert sorted(p.name for p in base.iterdir()) == ["current"]


def test_one_publish_at_a_time_on_a_server(publish_to, sites, base):
    assert publish_to(sites.before, base).returncode == 0
    holder = subprocess.Popen(["flock", str(base / ".flagboard.lock"), "sleep", "60"])
    try:
        refused = publish_to(sites.after, base)
    finally:
        holder.kill()
        holder.wait()
    assert refused.returncode == 1 and "另一次发布正在向服务器上的这个路径发布" in refused.stderr
    assert served(base) == site_files(sites.before)


def test_after_publishing_the_served_site_is_checked(publish_to, sites, base):
    assert publish_to(sites.before, base).returncode == 0
    with serving(base / "current") as url:  # follows the link on every request, as nginx does
        done = publish_to(sites.after, base, FLAGBOARD_SITEURL=url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("已核对") == 2 and f"已核对：{url}/ 与发布的版本一致" in done.stdout


# -- faults: the old release is served until the switch; the next publish completes ----------------

STEPS = ["在服务器上准备新版本", "用 rsync 发送", "写入清单", "在服务器上压缩网页"]


@pytest.mark.parametrize("step", STEPS)
def test_a_publish_killed_at_any_step_leaves_the_old_release_served(sites, sshd, base, step):
    env = sshd.env()
    assert (
        run_publish("--site", str(sites.before), "--to", sshd.target(base), env=env).returncode == 0
    )
    killed = kill_when(
        ["--site", str(sites.after), "--to", sshd.target(base)],
        env,
        lambda line: line.startswith(step),
    )
    assert killed.returncode == -9
    old, new = site_files(sites.before), site_files(sites.after)
    # killed as the last step begins, the server may still finish it: the switch is one rename
    assert served(base) == old or (step == STEPS[-1] and served(base) == new)
    done = run_publish("--site", str(sites.after), "--to", sshd.target(base), env=env)
    assert done.returncode == 0, done.stderr
    assert served(base) == site_files(sites.after)
    assert not [r for r in releases(base) if r.endswith(".partial")]


def test_a_line_cut_midway_through_the_transfer_leaves_the_old_release_served(
    publish_to, sites, sshd, base
):
    relay = Relay(sshd.port)
    target, env = sshd.target(base, relay.port), sshd.env(relay.port)

    def cut_in_rsync(line: str) -> None:  # a few kilobytes into rsync's transfer
        if line.startswith("用 rsync 发送"):
            relay.cut_after(4096)

    try:
        assert publish_to(sites.before, base, port=relay.port).returncode == 0
        with pytest.raises(PublishFailed) as cut:
            publish(sites.after, target, env, step=cut_in_rsync)
        assert "中断" in cut.value.problem.message
        assert served(base) == site_files(sites.before)
        relay.cut_after(None)
        done = publish_to(sites.after, base, port=relay.port)
        assert done.returncode == 0, done.stderr
        assert served(base) == site_files(sites.after)
    finally:
        relay.close()


def test_a_wrong_key_or_host_is_said_and_no_key_is_printed(publish_to, sites, sshd, base, tmp_path):
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(tmp_path / "k")], check=True
    )
    stranger = (tmp_path / "k").read_text()
    wrong_key = run_publish(
        "--site",
        str(sites.after),
        "--to",
        sshd.target(base),
        env=sshd.env(FLAGBOARD_SSH_KEY=stranger),
    )
    assert wrong_key.returncode == 1 and "服务器不接受这个 SSH 密钥" in wrong_key.stderr
    host = "[127.0.0.1]:%d ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHv6q0sDbqXoBbpnHbgq3eJ6A1Lr1hKyYH7O1nBtB7Vx\n"
    wrong_host = run_publish(
        "--site",
        str(sites.after),
        "--to",
        sshd.target(base),
        env=sshd.env(FLAGBOARD_SSH_KNOWN_HOSTS=host % sshd.port),
    )
    assert wrong_host.returncode == 1 and "主机密钥" in wrong_host.stderr
    secrets = [
        line for line in (sshd.env()["FLAGBOARD_SSH_KEY"] + stranger).splitlines() if len(line) > 20
    ]
    for done in (wrong_key, wrong_host):
        said = done.stdout + done.stderr
        assert not [line for line in secrets if line in said]
    assert not base.exists()  # nothing was written

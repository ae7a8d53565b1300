"""A server over SSH with rsync: every publish a new release folder, then one atomic switch.

    <path>/releases/<id>/             a whole site: its files, their .gz, .flagboard/manifest.json
    <path>/current -> releases/<id>   what the web server serves (nginx: root <path>/current;)
    <path>/.flagboard-target          marks the folder as flagboard's
    <path>/.flagboard.lock            the lock

A publish takes the lock (`flock` on the server, held by an SSH connection that lives as long
as the publish: killed or cut off, the lock goes with it), reads the current release's
manifest, and on the server hard-links the current release into `releases/<id>.partial` and
removes there what the new site no longer has; rsync sends the changed files into it (each
written beside the old and renamed, so the old release's files are never touched); the server
gzips them (`.gz` beside each, for `gzip_static`), the manifest goes in, the folder is renamed
`releases/<id>`, and `current` is switched with one rename. Until then readers get the old
release, whole; a `.partial` left by an interrupted publish is removed by the next. Releases
beyond the newest --keep are deleted; `--rollback` switches `current` to the release before.
The server needs sh, flock, GNU cp/mv (coreutils), xargs, find, gzip and rsync.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import shlex
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator import catalogue
from generator.deploy import secrets
from generator.deploy.errors import PublishFailed
from generator.deploy.gzipped import gz_path
from generator.deploy.manifest import MANIFEST, OWN, Manifest, parse
from generator.deploy.plan import Plan
from generator.deploy.targets import Server

RELEASE = re.compile(r"\d{8}T\d{6}Z-[0-9a-f]{12}")
NOTE = "此文件夹由 flagboard publish 发布网站：releases/ 下是各次发布，current 指向正在使用的那次。"
LOCKED = 75  # flock's exit status when another publish holds the lock
FOREIGN = 76  # the lock's when the folder holds a current or releases flagboard did not make
# true in the target folder when it has a current or releases/ that are not flagboard's
NOT_OURS = (
    "{ [ -e current ] || [ -L current ] || [ -e releases ]; } && "
    "{ [ ! -f .flagboard-target ] || { [ -e current ] && [ ! -L current ]; }; }"
)
OPTIONS = (
    "BatchMode=yes",  # never a prompt: a missing key or host fails at once
    "StrictHostKeyChecking=yes",  # an unknown host is refused, never added
    "ConnectTimeout=20",
    "ServerAliveInterval=15",
    "ServerAliveCountMax=4",
    "LogLevel=ERROR",
    "UpdateHostKeys=no",
)


@dataclass(frozen=True)
class ServerState:
    current: str | None  # the release `current` points to
    releases: tuple[str, ...]  # oldest first
    manifest: Manifest | None


class Remote:
    """SSH to one server: its options, the key and known_hosts from the environment in a
    private temporary folder (removed by `close`), and the commands run there."""

    def __init__(self, server: Server, env, where: str):
        self.server, self.where, self.env = server, where, secrets.without_secrets(env)
        self.base = server.path
        self.folder = Path(tempfile.mkdtemp(prefix="flagboard-ssh-"))
        self.args = ["ssh", *(f"-o{option}" for option in OPTIONS)]
        # one connection for the whole publish: the lock's opens it, every later command
        # (and rsync) runs through it, so a slow line pays for one handshake, not six
        self.args += [
            "-oControlMaster=auto",
            f"-oControlPath={self.folder}/c",
            "-oControlPersist=no",
        ]
        if server.port:
            self.args += ["-p", str(server.port)]
        key = (env.get("FLAGBOARD_SSH_KEY") or "").strip()
        if key:
            self.args += ["-i", self._private("key", key), "-oIdentitiesOnly=yes"]
        hosts = (env.get("FLAGBOARD_SSH_KNOWN_HOSTS") or "").strip()
        if hosts:
            known = self._private("known_hosts", hosts)
            self.args += [f"-oUserKnownHostsFile={known}", "-oGlobalKnownHostsFile=/dev/null"]
        host = f"[{server.host}]" if ":" in server.host else server.host
        self.destination = f"{server.user}@{host}" if server.user else host

    def _private(self, name: str, text: str) -> str:
        path = self.folder / name
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as file:
            file.write(text.replace("\r\n", "\n").strip() + "\n")  # ssh needs the last newline
        return str(path)

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def run(self, script: str, data: bytes = b"") -> bytes:
        """Run a POSIX sh script on the server, `data` on its standard input."""
        command = [*self.args, self.destination, "sh -c " + shlex.quote("set -e\n" + script)]
        done = subprocess.run(
            command, input=data, capture_output=True, env=self.env, preexec_fn=_die_with_parent
        )
        if done.returncode:
            raise failure(done.returncode, done.stderr, self.where)
        return done.stdout

    @contextlib.contextmanager
    def locked(self):
        """The server's lock on this target, held by one SSH connection until the block ends."""
        base = shlex.quote(self.base)
        hold = "echo locked; exec cat >/dev/null"
        script = (
            f"mkdir -p {base} && cd {base} && if {NOT_OURS}; then exit {FOREIGN}; fi && "
            f"exec flock -n -E {LOCKED} .flagboard.lock sh -c '{hold}'"
        )
        holder = subprocess.Popen(
            [*self.args, self.destination, "sh -c " + shlex.quote(script)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=self.env,
            preexec_fn=_die_with_parent,
        )
        try:
            if holder.stdout.readline().strip() != b"locked":
                holder.wait()
                if holder.returncode == LOCKED:
                    raise PublishFailed(catalogue.PUBLISH_LOCKED_SERVER.at(self.where))
                if holder.returncode == FOREIGN:
                    raise PublishFailed(catalogue.PUBLISH_NOT_OURS_SERVER.at(self.where))
                raise failure(holder.returncode, holder.stderr.read(), self.where)
            yield self
        finally:
            _end(holder)

    # -- what the target holds ---------------------------------------------------------------

    def state(self) -> ServerState:
        out = self.run(STATE.format(base=shlex.quote(self.base)))
        head, _, manifest = out.partition(b"MANIFEST\n")
        lines = head.decode("utf-8", "replace").splitlines()
        if "NOT-OURS" in lines:
            raise PublishFailed(catalogue.PUBLISH_NOT_OURS_SERVER.at(self.where))
        current = next((ln[len("CURRENT ") :] for ln in lines if ln.startswith("CURRENT ")), "")
        releases = sorted(ln[len("RELEASE ") :] for ln in lines if ln.startswith("RELEASE "))
        name = current.removeprefix("releases/") if current else None
        if name is not None and (
            not current.startswith("releases/") or not RELEASE.fullmatch(name)
        ):
            raise PublishFailed(catalogue.PUBLISH_NOT_OURS_SERVER.at(self.where))
        where = f"{self.where} current/{MANIFEST}"
        found = parse(manifest, where) if name and manifest else None
        if name and found is None:
            raise PublishFailed(catalogue.PUBLISH_BAD_MANIFEST.at(where))
        return ServerState(name, tuple(r for r in releases if RELEASE.fullmatch(r)), found)

    # -- a publish ---------------------------------------------------------------------------

    def publish(
        self, site: Path, state: ServerState, new: Manifest, plan: Plan, keep: int, step
    ) -> int:
        """A new release from `plan`, then the switch; returns the bytes rsync sent.
        `step(line)` says each step, in Chinese, before it is taken."""
        name = release_name(new, state.releases)
        old = state.manifest
        gone = (old.stored() if old else set()) - new.stored()
        regzip = {gz_path(p) for p in plan.send if old and p in old.files and old.files[p].gzip}
        base = shlex.quote(self.base)
        step(f"在服务器上准备新版本 releases/{name}（链接未改动的文件）")
        self.run(
            PREPARE.format(
                base=base, new=name, current=state.current or "", note=shlex.quote(NOTE)
            ),
            _nul(sorted(gone | regzip)),
        )
        step(f"用 rsync 发送 {len(plan.send)} 个文件")
        sent = self._rsync(site, plan.send, name)
        step("写入清单")
        self.run(WRITE_MANIFEST.format(base=base, new=name), new.to_bytes())
        packed = [p for p in plan.send if new.files[p].gzip]
        step(f"在服务器上压缩网页，把 current 切换到 releases/{name}，保留最近 {keep} 个版本")
        self.run(FINISH.format(base=base, new=name, keep=keep), _nul(packed))
        return sent

    def switch(self, name: str) -> Manifest:
        """`current` to release `name` (a rollback); returns that release's manifest."""
        out = self.run(SWITCH.format(base=shlex.quote(self.base), new=name))
        return parse(out, f"{self.where} releases/{name}/{MANIFEST}")

    def _rsync(self, site: Path, paths: list[str], name: str) -> int:
        if not paths:
            return 0
        destination = f"{self.destination}:{self.base}/releases/{name}.partial/"
        command = [
            "rsync",
            "-lt",
            "-I",  # every listed file is sent (against the old one, so only what differs)
            "-z",  # compressed on the line: a township's uplink is slow, pages shrink 5×
            "--chmod=D0755,F0644",
            "--files-from=-",
            "--from0",
            "--stats",
            "-e",
            shlex.join(self.args),
            f"{site}/",
            destination,
        ]
        done = subprocess.run(
            command,
            input=_nul(paths),
            capture_output=True,
            env=self.env,
            preexec_fn=_die_with_parent,
        )
        if done.returncode:
            raise failure(done.returncode, done.stderr, self.where, rsync=True)
        found = re.search(rb"Total bytes sent: ([\d,.]+)", done.stdout)
        return int(re.sub(rb"[,.]", b"", found.group(1))) if found else 0


def release_name(manifest: Manifest, taken: tuple[str, ...]) -> str:
    """`<UTC time>-<manifest hash>`: sorts in publishing order; a taken name waits a second."""
    while True:
        name = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + manifest.release
        if name not in taken:
            return name
        time.sleep(1)


def _nul(paths) -> bytes:
    return b"".join(p.encode("utf-8") + b"\0" for p in paths)


def _die_with_parent() -> None:
    """In the child: end when the publish ends (Linux), so that a killed publish leaves no
    rsync or ssh writing on after it, and its lock goes."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _end(holder: subprocess.Popen) -> None:
    with contextlib.suppress(OSError):
        holder.stdin.close()
    try:
        holder.wait(timeout=15)
    except subprocess.TimeoutExpired:
        holder.kill()
        holder.wait()


# -- the scripts run on the server (POSIX sh; names checked by targets.py and RELEASE) ---------

STATE = """
cd {base} 2>/dev/null || {{ echo MANIFEST; exit 0; }}
if {not_ours}; then echo NOT-OURS; exit 0; fi
printf 'CURRENT %s\\n' "$(readlink current 2>/dev/null || true)"
for r in releases/*; do [ -d "$r" ] && printf 'RELEASE %s\\n' "${{r#releases/}}"; done
echo MANIFEST
if [ -L current ] && [ -f current/{manifest} ]; then cat current/{manifest}; fi
"""
STATE = STATE.replace("{manifest}", MANIFEST)
STATE = STATE.replace("{not_ours}", NOT_OURS.replace("{", "{{").replace("}", "}}"))

PREPARE = """
cd {base}
[ -f .flagboard-target ] || printf '%s\\n' {note} > .flagboard-target
mkdir -p releases
for p in releases/*.partial; do if [ -e "$p" ]; then rm -rf "$p"; fi; done
if [ -n "{current}" ]; then cp -al "releases/{current}" "releases/{new}.partial"
else mkdir "releases/{new}.partial"; fi
cd "releases/{new}.partial"
xargs -0 rm -f --
find . -mindepth 1 -depth -type d -empty -exec rmdir {{}} \\;
"""

WRITE_MANIFEST = """
cd {base}/releases/{new}.partial
mkdir -p {own}
cat > {manifest}.tmp
mv {manifest}.tmp {manifest}
""".replace("{own}", OWN).replace("{manifest}", MANIFEST)

FINISH = """
cd {base}/releases/{new}.partial
xargs -0 -r -n 50 -P 4 gzip -9 -n -k -f --
cd {base}
mv "releases/{new}.partial" "releases/{new}"
rm -f current.flagboard-new
ln -s "releases/{new}" current.flagboard-new
mv -T current.flagboard-new current
now=$(readlink current)
ls -1 releases | grep -E '^[0-9]{{8}}T[0-9]{{6}}Z-[0-9a-f]{{12}}$' | sort -r | tail -n +$(({keep} + 1)) |
  while read -r r; do if [ "releases/$r" != "$now" ]; then rm -rf "releases/$r"; fi; done
"""

SWITCH = """
cd {base}
[ -f "releases/{new}/{manifest}" ]
rm -f current.flagboard-new
ln -s "releases/{new}" current.flagboard-new
mv -T current.flagboard-new current
cat current/{manifest}
""".replace("{manifest}", MANIFEST)


# -- ssh's and rsync's failures, said in Chinese -----------------------------------------------

_SAID = (
    ("Host key verification failed", "host_key"),
    ("REMOTE HOST IDENTIFICATION HAS CHANGED", "host_key_changed"),
    ("No matching host key", "host_key"),
    ("Permission denied", "auth"),
    ("Could not resolve hostname", "resolve"),
    ("Connection refused", "refused"),
    ("Connection timed out", "timeout"),
    ("Operation timed out", "timeout"),
    ("Connection closed", "closed"),
    ("Connection reset", "closed"),
    ("Broken pipe", "closed"),
    ("flock: not found", "tools"),
    ("command not found", "tools"),
    ("rsync: not found", "tools"),
)


def failure(code: int, stderr: bytes, where: str, rsync: bool = False) -> PublishFailed:
    """An ssh or rsync failure as a catalogue problem, with the last line it printed."""
    text = stderr.decode("utf-8", "replace")
    kind = next((kind for said, kind in _SAID if said in text), None)
    last = next((ln.strip() for ln in reversed(text.splitlines()) if ln.strip()), "")[:200]
    if kind:
        return PublishFailed(catalogue.PUBLISH_SSH.at(where, reason=catalogue.SSH_REASONS[kind]))
    if code == 255 or (rsync and code in (10, 12, 30, 35, 255)):
        return PublishFailed(catalogue.PUBLISH_SSH_LOST.at(where, code=code, last=last or "无"))
    program = "rsync" if rsync else "服务器上的命令"
    return PublishFailed(
        catalogue.PUBLISH_SSH_COMMAND.at(where, program=program, code=code, last=last or "无")
    )


Progress = Callable[[tuple[str, ...]], None]

"""One publish, whatever the target: the site's manifest, the target's, the plan, the transfer
under the target's lock, then the fetch-back check. Returns a Report; prints nothing.

A publish that fails raises PublishFailed: the target then still serves the last complete
publish (or, in a folder or bucket, files each whole, old or new, with no link to a file not
yet there), and running the publish again completes it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from generator import catalogue
from generator.deploy import archive, check, inplace
from generator.deploy.errors import PublishFailed
from generator.deploy.folder import FolderStore
from generator.deploy.links import page_links
from generator.deploy.manifest import Manifest, scan
from generator.deploy.plan import Plan, make_plan
from generator.deploy.targets import Archive, Bucket, Folder, Server, Target, parse_target

Sent = Callable[[tuple[str, ...]], None]
Step = Callable[[str], None]
KEEP = 5


@dataclass(frozen=True)
class Report:
    """What a publish did (or, dry, would do). `bytes` is what went to the target: files
    written (folder, zip), bodies stored (bucket, gzipped), or what rsync sent (server)."""

    where: str
    release: str
    plan: Plan
    files: int
    bytes: int = 0
    seconds: float = 0.0
    checked: tuple[str, ...] = ()
    dry_run: bool = False
    rolled_back_to: str | None = None


def publish(
    site: Path,
    to: str,
    env: Mapping[str, str],
    *,
    dry_run: bool = False,
    keep: int = KEEP,
    check_url: str | None = None,
    sent: Sent = lambda paths: None,
    step: Step = lambda line: None,
    fetch: Callable[[str], bytes] | None = None,
) -> Report:
    """Publish the built `site` to `to`; `sent(paths)` as files go, `step(line)` at each step
    of a server's publish."""
    started = time.perf_counter()
    target = parse_target(to)
    _apart(target, Path(site), to)
    new = scan(Path(site))
    try:
        plan, written = _transfer(target, to, Path(site), new, env, dry_run, keep, (sent, step))
    except OSError as error:  # a full disk, a folder not ours to write: said, not a traceback
        said = error.strerror or type(error).__name__
        raise PublishFailed(catalogue.PUBLISH_IO.at(to, error=said)) from error
    checked = ()
    base = _check_base(target, env, check_url)
    if base and not dry_run:
        paths = check.pages_to_check(new, plan.send)
        checked = tuple(check.check(base, new, paths, to, fetch))
    seconds = time.perf_counter() - started
    return Report(to, new.release, plan, len(new.files), written, seconds, checked, dry_run)


def rollback(
    to: str,
    env: Mapping[str, str],
    *,
    check_url: str | None = None,
    fetch: Callable[[str], bytes] | None = None,
) -> Report:
    """Switch a server's `current` to the release before it (only a server keeps releases)."""
    started = time.perf_counter()
    target = parse_target(to)
    if not isinstance(target, Server):
        raise PublishFailed(catalogue.PUBLISH_ROLLBACK.at(to), usage=True)
    name, manifest = _switch_back(target, env, to)
    base = _check_base(target, env, check_url)
    checked = tuple(check.check(base, manifest, ["index.html"], to, fetch)) if base else ()
    files = len(manifest.files)
    seconds = time.perf_counter() - started
    unchanged = Plan((), (), files)
    return Report(to, manifest.release, unchanged, files, 0, seconds, checked, rolled_back_to=name)


def _switch_back(target: Server, env: Mapping[str, str], to: str) -> tuple[str, Manifest]:
    from generator.deploy.ssh import Remote

    remote = Remote(target, env, to)
    try:
        with remote.locked():
            state = remote.state()
            earlier = [r for r in state.releases if state.current and r < state.current]
            if not earlier:
                current = state.current or "无"
                raise PublishFailed(catalogue.PUBLISH_NO_EARLIER.at(to, current=current))
            return earlier[-1], remote.switch(earlier[-1])
    finally:
        remote.close()


def _transfer(target: Target, to, site, new, env, dry_run, keep, calls) -> tuple[Plan, int]:
    sent, step = calls
    if isinstance(target, Folder):
        return _in_place(FolderStore(target.path, to), site, new, dry_run, calls)
    if isinstance(target, Archive):
        return _archive(target, to, site, new, dry_run, sent)
    if isinstance(target, Bucket):
        from generator.deploy.s3 import open_store  # obstore loads only for a bucket

        return _in_place(open_store(target, env, to), site, new, dry_run, calls)
    return _server(target, to, site, new, env, dry_run, keep, calls)


def _in_place(store, site: Path, new: Manifest, dry_run: bool, calls) -> tuple[Plan, int]:
    sent, step = calls
    state = inplace.read_state(store)  # a target not ours is refused before anything is written
    if dry_run:
        return make_plan(state.manifest, new), 0
    with store.locked():
        state = inplace.read_state(store)
        known = set(new.files)
        plan = make_plan(state.manifest, new, lambda page: page_links(site, page, known))
        step(_planned(plan))
        return plan, inplace.publish_in_place(store, site, state, new, plan, sent)


def _planned(plan: Plan) -> str:
    return (
        f"与目标上的版本相比：发送 {len(plan.send)} 个文件，删除 {len(plan.delete)} 个，"
        f"{plan.unchanged} 个不变"
    )


def _archive(target: Archive, to, site, new, dry_run, sent) -> tuple[Plan, int]:
    old = archive.read_manifest(target.path, to)
    plan = make_plan(old, new)
    if dry_run:
        return plan, 0
    return plan, archive.write_archive(target.path, site, new, sent)


def _server(target: Server, to, site, new, env, dry_run, keep, calls) -> tuple[Plan, int]:
    from generator.deploy.ssh import Remote

    sent, step = calls
    remote = Remote(target, env, to)
    try:
        if dry_run:
            return make_plan(remote.state().manifest, new), 0
        with remote.locked():
            state = remote.state()
            plan = make_plan(state.manifest, new)
            step(_planned(plan))
            if plan.empty:
                return plan, 0
            written = remote.publish(site, state, new, plan, keep, step)
            for stage in plan.stages:
                sent(stage)
            return plan, written
    finally:
        remote.close()


def _apart(target: Target, site: Path, to: str) -> None:
    """A folder or zip target may neither be the site, lie in it, nor hold it."""
    if not isinstance(target, Folder | Archive):
        return
    there, here = target.path.resolve(), site.resolve()
    if there == here or here in there.parents or there in here.parents:
        raise PublishFailed(catalogue.PUBLISH_INSIDE_SITE.at(to, site=str(site)), usage=True)


def _check_base(target: Target, env: Mapping[str, str], check_url: str | None) -> str | None:
    """Where to fetch the published pages from: --check-url; for a server or a bucket, which
    readers reach at once, FLAGBOARD_SITEURL too (a folder or zip is served later, elsewhere)."""
    if check_url:
        return check_url.strip()
    if isinstance(target, Server | Bucket):
        return (env.get("FLAGBOARD_SITEURL") or "").strip() or None
    return None

"""Publishing into a place readers already read from (a folder, a bucket): file by file in the
plan's order, the manifest last, deletions after it.

Each file is replaced whole (a rename, a PUT), so a reader never gets half a file; files a
page needs arrive before the page, and the pages that lead to a new period (year, home, feed,
sitemap) last, so no link points at nothing. Until the new manifest is written the old one
stays the target's record: a publish killed or cut off at any point is finished by the next,
which sends every file that differs from that record again. Before changing anything, the
publish writes the list of files it is about to add or remove (`pending`): files of an
interrupted publish, and files whose deletion failed after the commit, are then still known as
flagboard's, and removed if the next build does not have them. Nothing else in the target is
touched: a first publish into a place that holds other files is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from generator import catalogue
from generator.deploy.errors import PublishFailed
from generator.deploy.manifest import (
    MANIFEST,
    PENDING,
    Manifest,
    parse,
    parse_pending,
    pending_bytes,
)
from generator.deploy.plan import Plan

LISTED = 5  # files named when refusing a target that holds others


class Store(Protocol):
    """A folder or a bucket as the protocol uses it."""

    where: str

    def read_own(self, name: str) -> bytes | None: ...
    def write_own(self, name: str, data: bytes) -> None: ...
    def delete_own(self, name: str) -> None: ...
    def listing(self) -> set[str]: ...
    def stored(self, manifest: Manifest | None) -> set[str]: ...
    def put(self, site: Path, paths: tuple[str, ...], manifest: Manifest, sent) -> int: ...
    def delete(self, paths: list[str]) -> None: ...


@dataclass(frozen=True)
class State:
    """What the target holds: its manifest (None before the first publish) and the files an
    interrupted publish listed as about to be added."""

    manifest: Manifest | None
    pending: set[str]


def read_state(store: Store) -> State:
    """The target's record; a first publish also checks that the target holds no other files."""
    data = store.read_own(MANIFEST)
    manifest = parse(data, f"{store.where} {MANIFEST}") if data is not None else None
    pending = parse_pending(store.read_own(PENDING), f"{store.where} {PENDING}")
    if manifest is None:
        others = sorted(store.listing() - pending)
        if others:
            listed = "、".join(others[:LISTED]) + ("等" if len(others) > LISTED else "")
            problem = catalogue.PUBLISH_NOT_OURS.at(store.where, count=len(others), files=listed)
            raise PublishFailed(problem)
    return State(manifest, pending)


def publish_in_place(
    store: Store, site: Path, state: State, new: Manifest, plan: Plan, sent: Callable
) -> int:
    """Send the plan into `store`; returns the bytes written. `sent((path,))` as each file
    has gone."""
    if plan.empty and not state.pending:
        return 0
    before = store.stored(state.manifest)
    after = store.stored(new)
    store.write_own(PENDING, pending_bytes(state.pending | (after - before) | (before - after)))
    written = 0
    for stage in plan.stages:
        written += store.put(site, stage, new, sent)
    store.write_own(MANIFEST, new.to_bytes())
    store.delete(sorted((before | state.pending) - after))
    store.delete_own(PENDING)
    return written

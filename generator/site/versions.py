"""Which data version a page names: the newest commit that changed what the page shows.

A month's results come from the settings and the scores of that month and the months before
it (a yellow-flag streak looks back, never forward); a year's from those and the year's annual
scores. So a month's pages (period, grids, posters, article) and a year's name the newest commit
that touched the settings or a period up to theirs: adding a month leaves every earlier
period's pages byte for byte as they were, and a publish sends only the pages that changed
(generator/deploy). Pages that show only the settings (rules, village list, content pages)
name the newest commit that touched town.toml or villages.csv; the pages that show the latest
period (home, villages, grids, data) name the newest data commit. Every number stays
traceable: the commit a page names holds every file it was computed from. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from generator.layout import is_ignored, place
from generator.periods import is_month, is_year
from generator.site.publication import DOUBT

if TYPE_CHECKING:
    from generator.history.gitlog import Commit

Order = tuple[int, int]
EVERY = (0, 0)  # a change every page shows: the settings, or a file of no period
UNCOMMITTED = "未提交"


def period_order(key: str) -> Order | None:
    """'2024-03' → (2024, 3); a year '2024' → (2024, 13), after its December."""
    if is_month(key):
        return int(key[:4]), int(key[5:7])
    if is_year(key):
        return int(key), 13
    return None


def change_scope(path: str) -> Order | None:
    """From which period on a change to `path` (inside the scores folder) shows; EVERY for
    the settings and files of no period; None for files the loader ignores (READMEs)."""
    if is_ignored(path):
        return None
    placed = place(path)
    order = period_order(placed.key) if placed else None
    return order or EVERY


def commit_scope(commit: Commit) -> Order | None:
    """The earliest period a commit's changes show in (None: none)."""
    paths = [p for f in commit.files for p in (f.path, f.old_path) if p]
    scopes = [s for s in map(change_scope, paths) if s is not None]
    return min(scopes, default=None)


def period_versions(commits: Iterable[Commit]) -> tuple[dict | None, dict[str, dict]]:
    """(the settings' version, {period: its version}) from the data commits, newest first."""
    scoped = [(c, commit_scope(c)) for c in commits]
    keys = {
        placed.key
        for commit, _ in scoped
        for f in commit.files
        for p in (f.path, f.old_path)
        if p and (placed := place(p)) and period_order(placed.key)
    }
    found = {}
    for key in sorted(keys):
        order = period_order(key)
        found[key] = newest(scoped, lambda scope, order=order: scope is not None and scope <= order)
    return newest(scoped, lambda scope: scope == EVERY), found


def newest(scoped: list[tuple[Commit, Order | None]], shows: Callable) -> dict | None:
    """The version (revisions.data_version's shape) of the newest commit whose scope `shows`
    passes; uncommitted changes say which commit they are based on."""
    matching = [c for c, scope in scoped if shows(scope)]
    if not matching:
        return None
    first = matching[0]
    if not first.uncommitted:
        return version_of(first)
    base = next((c.hash for c in matching[1:] if not c.uncommitted), "")
    label = f"{UNCOMMITTED}的修改" + (f"，基于 {base[:7]}" if base else "")
    return {
        "commit": base,
        "short": UNCOMMITTED,
        "date": None,
        "datetime": None,
        "uncommitted": True,
        "label": label,
        "doubt": None,
    }


def version_of(commit: Commit) -> dict:
    """A commit as a page's footer names it; a doubtful time is never given as its date
    (revisions.data_version, publication.py)."""
    trusted = commit.date and not commit.doubt
    day = commit.date[:10] if trusted else None
    return {
        "commit": commit.hash,
        "short": commit.short,
        "date": day,
        "datetime": commit.date if trusted else None,
        "uncommitted": False,
        "label": f"{commit.short} · {day or DOUBT[2:]}" if commit.date else commit.short,
        "doubt": DOUBT if commit.doubt else None,
    }

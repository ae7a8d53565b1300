"""Provenance from git, the door: opens the repository, reads its history, turns git's
failures into a Chinese note. The only module that imports git; the others are handed the
open repository (or its `git` command object) and read it:

- walk.py         one `git log` walk over the scores folder, in commit order, never by dates
- rawlog.py       that log's raw records: the files each commit changed, old and new blob
- merges.py       which of a merge's changes against its first parent are its own
- commits.py      each commit object's own bytes: author, times and message, decoded and cleaned
- clock.py        commit times as evidence: which cannot be true (docs/data-format.md §2.1)
- times.py        each data commit's time against the commits around it (first-parent order)
- mailmap.py      authors as the .mailmap of each commit's own tree named them
- start.py        where a fork's own history starts (town.toml's current town name)
- worktree.py     the working tree's uncommitted changes, a last revision marked 未提交
- blobs.py        the files as they were in each commit, each read once
- renames.py      each file followed through renames
- period_revisions.py  each period's revisions and the cells, rows and events they changed
- timeline.py     what each correction changed in the results, in commit order
- snapshot.py     the scores folder at a ref (flagboard preview --against)
- records.py      the records all of this fills (History, Commit, PeriodHistory …)

changes.py compares two versions of a period's files and outcomes.py recomputes the rules,
both without git. A folder outside any git repository gives `History(available=False)`,
never an exception.
"""

from __future__ import annotations

from pathlib import Path

import git

from generator.history.changes import CellChange, ColumnChange, EventChange, EventRecord, RowChange
from generator.history.outcomes import OutcomeChange
from generator.history.records import (
    UNCOMMITTED,
    Commit,
    DataVersion,
    FileChange,
    FileHistory,
    History,
    PeriodHistory,
    PeriodRevision,
    Revision,
)
from generator.history.snapshot import NOT_IN_REPO, RefUnavailable, files_at_ref
from generator.history.walk import Reader, Unavailable

__all__ = [
    "UNCOMMITTED",
    "CellChange",
    "ColumnChange",
    "Commit",
    "DataVersion",
    "EventChange",
    "EventRecord",
    "FileChange",
    "FileHistory",
    "History",
    "OutcomeChange",
    "PeriodHistory",
    "PeriodRevision",
    "RefUnavailable",
    "Revision",
    "RowChange",
    "collect_history",
    "contains",
    "folder_at",
    "repo_root_of",
]


def collect_history(repo_root: Path, scores_dir: Path, *, outcomes: bool = True) -> History:
    """Read the scores folder's history from git; `scores_dir` may be relative to repo_root."""
    repo_root = Path(repo_root)
    scores_dir = scores_dir if Path(scores_dir).is_absolute() else repo_root / scores_dir
    try:
        repo = git.Repo(repo_root)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return History(available=False, note="不是 Git 仓库，没有修订记录")
    try:
        return Reader(repo, Path(scores_dir)).history(outcomes)
    except Unavailable as error:
        return History(available=False, note=str(error))
    except git.CommandError as error:  # e.g. "dubious ownership", a damaged repository
        return History(available=False, note=f"无法读取 Git 历史：{_last_line(error)}")
    finally:
        repo.close()


def repo_root_of(scores_dir: Path) -> Path | None:
    """The top folder of the git repository holding `scores_dir`, or None."""
    try:
        with git.Repo(scores_dir, search_parent_directories=True) as repo:
            return Path(repo.working_tree_dir) if repo.working_tree_dir else None
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None


def contains(scores_dir: Path, commit: str) -> bool | None:
    """Whether HEAD's history (any ancestry, merged branches included) holds `commit` (full
    hash); None when the scores folder is in no git repository. A commit the repository does
    not have, or has only beside HEAD's history, is not held: the history was rewritten."""
    try:
        with git.Repo(scores_dir, search_parent_directories=True) as repo:
            if not repo.head.is_valid():
                return False
            status = repo.git.merge_base(
                "--is-ancestor", commit, "HEAD", with_exceptions=False, with_extended_output=True
            )[0]
            return status == 0
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None


def folder_at(scores_dir: Path, ref: str) -> dict[str, bytes]:
    """Every file of the scores folder at `ref` (branch, tag or commit), keyed by its path
    inside the folder, as read_folder reads the working tree: regular files only, ignored
    ones (hidden, READMEs, Markdown notes) left out, a file past the size limit cut there."""
    try:
        with git.Repo(scores_dir, search_parent_directories=True) as repo:
            return files_at_ref(repo, Path(scores_dir), ref)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise RefUnavailable(NOT_IN_REPO) from None
    except git.CommandError as error:
        raise RefUnavailable(f"无法读取 Git 仓库：{_last_line(error)}") from None


def _last_line(error: git.CommandError) -> str:
    """The last line git wrote to stderr, or the error's kind when it wrote nothing."""
    return ((error.stderr or "").strip().splitlines()[-1:] or [type(error).__name__])[0]

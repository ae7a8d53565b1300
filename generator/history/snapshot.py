"""The scores folder as it was at a git ref (`flagboard preview --against`): every file, read
as read_folder reads the working tree. The repository is opened by gitlog.folder_at.
"""

from __future__ import annotations

from pathlib import Path

from generator.layout import is_ignored
from generator.load.cells import MAX_CSV_BYTES


class RefUnavailable(Exception):
    """The folder cannot be read at the ref asked for; the message says why, in Chinese."""


NOT_IN_REPO = "评分数据文件夹不在 Git 仓库中，无法与以前的版本比较"
_REGULAR_MODES = ("100644", "100755")


def files_at_ref(repo, scores_dir: Path, ref: str) -> dict[str, bytes]:
    """Every file of the scores folder at `ref` in the open repository `repo` (a git.Repo),
    keyed by its path inside the folder: regular files only, ignored ones (hidden, READMEs,
    Markdown notes) left out, a file past the size limit cut there."""
    root = Path(repo.working_tree_dir or "").resolve()
    try:
        relative = scores_dir.resolve().relative_to(root).as_posix()
    except ValueError:
        raise RefUnavailable(NOT_IN_REPO) from None
    commit = _commit_of(repo, ref)
    prefix = "" if relative == "." else relative + "/"
    listing = repo.git.ls_tree("-r", "-z", commit, "--", prefix or ".", stdout_as_string=False)
    files = {}
    for record in listing.split(b"\0"):
        meta, _, path = record.partition(b"\t")
        mode, kind, sha = meta.decode().split(" ") if meta else ("", "", "")
        name = path.decode("utf-8", "surrogateescape").removeprefix(prefix)
        if kind == "blob" and mode in _REGULAR_MODES and not is_ignored(name):
            files[name] = repo.git.get_object_data(sha)[3][: MAX_CSV_BYTES + 1]
    if not files:
        raise RefUnavailable(f"「{ref}」中还没有评分数据文件夹 {relative}")
    return files


def _commit_of(repo, ref: str) -> str:
    """The commit `ref` names; `--end-of-options` keeps a ref like `--output=x` a ref."""
    found = repo.git.rev_parse(
        "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}", with_exceptions=False
    )
    if not ref or not found:
        raise RefUnavailable(
            f"找不到版本「{ref}」：请写分支名、标签或提交号，例如 origin/main 或 HEAD~1"
        )
    return found.strip()

"""Are two built sites byte-identical? For work that must not change the output.

    .venv/bin/python bench/same_site.py BEFORE AFTER

Compares every file under the two folders (names and bytes) and lists the files only one of
them has and the files whose bytes differ (the first few of each). Exit 0 when identical,
1 otherwise. Build BEFORE with the code before the change (site_bench.py's `--before REV`
exports a revision; `git archive REV | tar -x -C DIR` and `flagboard build` run from DIR do
the same by hand) and AFTER with the working tree, from the same scores folder and settings.
"""

from __future__ import annotations

import sys
from pathlib import Path

SHOWN = 20


def files(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}


def differences(before: Path, after: Path) -> tuple[list[str], list[str], list[str], int]:
    """(only in before, only in after, different bytes, files compared)."""
    old, new = files(before), files(after)
    changed = [
        name for name in sorted(old.keys() & new.keys()) if _bytes(old[name]) != _bytes(new[name])
    ]
    return sorted(old.keys() - new.keys()), sorted(new.keys() - old.keys()), changed, len(old)


def _bytes(path: Path) -> bytes:
    return path.read_bytes()


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    before, after = (Path(a) for a in argv)
    gone, added, changed, count = differences(before, after)
    for label, names in (("只在改动前", gone), ("只在改动后", added), ("内容不同", changed)):
        if names:
            print(f"{label}：{len(names)} 个文件")
            for name in names[:SHOWN]:
                print(f"  {name}")
    if gone or added or changed:
        return 1
    print(f"两个网站完全相同：{count} 个文件逐字节一致")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""History extraction benchmark: a git repo of N commits over 120 periods, timed.

    python bench/history_bench.py [--sizes 250,500,1000] [--villages 32] [--grids 3]

Each repo is written with one `git fast-import` stream: a town committed, then its 120
periods one commit each, the other commits corrections (1–3 cells of a recent or older
period; every 7th also re-saves the file in the other encoding, every 11th adds an event),
by rotating Chinese authors with fixed dates. Timed (best of 3), each in this process:

- extraction: `collect_history(outcomes=False)` — the git walk, revisions and cell changes;
- outcomes: `collect_history(outcomes=True)` minus extraction — recomputing the rules for
  every corrected period (reported separately; it grows with corrected periods, not commits).

Target: extraction under 2 s for 1,000 commits, growing linearly with commits. With `--json`
each size prints one JSON line instead (what `bench/run.py history` reads), adding the
process's peak memory after extraction and after outcomes.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from generator import demo as towngen  # noqa: E402
from generator.history.gitlog import collect_history  # noqa: E402

AUTHORS = ("张会计", "李主任", "王书记", "赵会计", "陈干事")
START = 1_420_070_400  # 2015-01-01 00:00 UTC; commits are 6 hours apart


def build_repo(root: Path, commits: int, villages: int, grids: int, seed: int = 7) -> None:
    """A repo of exactly `commits` commits touching scores/, written by git fast-import."""
    files = towngen.county_files(villages=villages, periods=120, grids=grids, seed=seed)
    periods = sorted(p for p in files if re.match(r"^\d{4}/\d{4}-\d{2}\.csv$", p))
    rng = random.Random(seed)
    stream = io.BytesIO()
    base = {p: d for p, d in files.items() if p in ("town.toml", "villages.csv")}
    _commit(stream, 0, "建立评比数据仓库", base)
    corrections = commits - 1 - len(periods)
    if corrections < 0:
        raise SystemExit(f"need at least {1 + len(periods)} commits")
    # Corrections spread evenly after the period additions; each touches one published period.
    due = [1 + i * len(periods) // max(corrections, 1) for i in range(corrections)]
    current = {}
    number = 1
    for index, path in enumerate(periods):
        added = {path: files[path]}
        events = path.replace(".csv", ".events.csv")
        if events in files:
            added[events] = files[events]
        current.update(added)
        _commit(stream, number, f"录入{path[5:12]}评分", added)
        number += 1
        for _ in range(due.count(index + 1)):
            target = periods[max(0, index - min(int(rng.expovariate(0.5)), index))]
            changed = {target: _correct(rng, current[target], number)}
            current.update(changed)
            _commit(stream, number, f"复议:更正{target[5:12]}分数(第{number}号)", changed)
            number += 1
    root.mkdir(parents=True, exist_ok=True)
    _git(root, "init", "-q", "-b", "main")
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=stream.getvalue(), check=True)
    _git(root, "reset", "-q", "--hard", "main")


def _commit(stream: io.BytesIO, number: int, message: str, files: dict[str, bytes]) -> None:
    author = AUTHORS[number % len(AUTHORS)]
    when = f"{START + number * 6 * 3600} +0800"
    text = message.encode()
    stream.write(b"commit refs/heads/main\n")
    stream.write(f"author {author} <office@example.org> {when}\n".encode())
    stream.write(f"committer {author} <office@example.org> {when}\n".encode())
    stream.write(b"data %d\n%s\n" % (len(text), text))
    for path, data in sorted(files.items()):
        stream.write(f"M 100644 inline scores/{path}\n".encode())
        stream.write(b"data %d\n%s\n" % (len(data), data))


def _correct(rng: random.Random, data: bytes, number: int) -> bytes:
    """Change 1–3 score cells; sometimes re-save in the other encoding."""
    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "gbk"
    rows = list(csv.reader(io.StringIO(data.decode(encoding), newline="")))
    wanted, changed = rng.randint(1, 3), set()
    while len(changed) < wanted:
        row, column = rng.randrange(1, len(rows)), rng.randrange(1, len(rows[0]))
        if rows[row][column] and (row, column) not in changed:
            value = float(rows[row][column]) + rng.choice((-3, -2, -1, 1, 2, 3))
            if 0 <= value <= 100:
                rows[row][column] = f"{value:g}"
                changed.add((row, column))
    if number % 7 == 0:
        encoding = "gbk" if encoding == "utf-8-sig" else "utf-8-sig"
    return towngen.excel_csv(rows, encoding)


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True)


def best_of(runs: int, action, *args, **kwargs) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = action(*args, **kwargs)
        times.append(time.perf_counter() - started)
    return min(times), result


def measure(size: int, args: argparse.Namespace) -> dict:
    """Revisions, corrected periods, seconds and peak memory for a repo of `size` commits."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        build_repo(root, size, args.villages, args.grids)
        extract, history = best_of(args.runs, collect_history, root, Path("scores"), outcomes=False)
        assert len(history.commits) == size, (len(history.commits), size)
        figures = {
            "commits": size,
            "revisions": sum(len(p.revisions) for p in history.periods.values()),
            "corrected": sum(p.corrected for p in history.periods.values()),
            "extract_seconds": extract,
            "extract_peak_mb": _peak_mb(),
            "outcomes_seconds": None,
        }
        if not args.no_outcomes:
            full, _ = best_of(1, collect_history, root, Path("scores"))
            figures.update(outcomes_seconds=max(0.0, full - extract), peak_mb=_peak_mb())
        return figures


def _peak_mb() -> float:
    """This process's peak resident memory so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="250,500,1000")
    parser.add_argument("--villages", type=int, default=32)
    parser.add_argument("--grids", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-outcomes", action="store_true", help="skip the outcome timing")
    parser.add_argument("--json", action="store_true", help="one JSON line per size")
    args = parser.parse_args(argv)
    if not args.json:
        print(f"history: {args.villages} villages, 120 periods (best of {args.runs})")
        print(
            f"{'commits':>8} {'revisions':>10} {'extract s':>10} {'ms/commit':>10} "
            f"{'outcomes s':>11}"
        )
    over = []
    for size in (int(s) for s in args.sizes.split(",")):
        figures = measure(size, args)
        print(json.dumps(figures) if args.json else _row(figures), flush=True)
        if figures["extract_seconds"] >= 2.0 * size / 1000:
            over.append(size)
    if over and not args.json:
        print(f"over the target (2 s per 1,000 commits) at {over} commits")
    return 1 if over else 0


def _row(figures: dict) -> str:
    size, extract, outcomes = (
        figures["commits"],
        figures["extract_seconds"],
        figures["outcomes_seconds"],
    )
    shown = "-" if outcomes is None else f"{outcomes:.2f}"
    return (
        f"{size:>8} {figures['revisions']:>10} {extract:>10.2f} "
        f"{extract / size * 1000:>10.2f} {shown:>11}"
    )


if __name__ == "__main__":
    sys.exit(main())

"""Where `flagboard compute` spends its time: `python bench/profile_compute.py [SCORES]`.

Runs the command's parts (imports, load, rules, write) in this one process, each under its
own cProfile, and prints each part's wall time, the peak memory after it, and its top
functions (by own time, or `--sort cumulative`). Without SCORES it profiles bench/run.py's
county (generated when missing). Imports are timed, not profiled: `python -X importtime` says
which module costs what.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def profiled(label: str, sort: str, limit: int, work):
    """Run `work()` under cProfile; print its time, the peak so far and its top functions."""
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    value = work()
    profile.disable()
    seconds = time.perf_counter() - started
    print(f"== {label}: {seconds:.2f} s under the profiler, peak {peak_mb():.0f} MB")
    text = io.StringIO()
    pstats.Stats(profile, stream=text).strip_dirs().sort_stats(sort).print_stats(limit)
    lines = text.getvalue().splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
    print("\n".join(lines[start:]).rstrip() + "\n")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="flagboard compute 各部分的用时分析(cProfile)。")
    parser.add_argument("scores", nargs="?", type=Path, help="评分数据文件夹(默认县级合成数据)")
    parser.add_argument("--sort", default="tottime", help="排序:tottime(默认)或 cumulative")
    parser.add_argument("--limit", type=int, default=15, help="每部分列出的函数个数(默认 15)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    from generator.load import load  # the imports of the command's path, as cli.py makes them
    from generator.results import write_results
    from generator.rules import compute

    imports = time.perf_counter() - started
    print(f"== imports: {imports:.2f} s, peak {peak_mb():.0f} MB")
    scores = args.scores
    if scores is None:
        sys.path.insert(0, str(ROOT / "bench"))
        from run import ensure_county

        scores = ensure_county()
    data = profiled("load", args.sort, args.limit, lambda: load(scores))
    results = profiled("rules", args.sort, args.limit, lambda: compute(data))
    with tempfile.TemporaryDirectory() as out:
        profiled("write", args.sort, args.limit, lambda: write_results(data, results, out))
    return 0


if __name__ == "__main__":
    sys.exit(main())

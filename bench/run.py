"""Benchmarks on a county-sized synthetic town: `python bench/run.py` (or `make bench`).

Generates bench/work/county/ (gitignored) when missing, then times each benchmark in a
fresh child process: wall seconds (best of N) and peak memory of the measured command.
A benchmark is a function returning `Figure`s; add new ones to BENCHMARKS. `history` times
reading provenance from a git repo of 1,000 commits instead (bench/history_bench.py).
`compute` runs, side by side, the loop-based yardstick (bench/naive.py), the parts of
`flagboard compute` (load, rules, write) each timed in one child, and the command as a whole.
`read` runs `flagboard compute` and a plain pandas read of the same CSV files (bench/read_csv.py)
taking turns, and prints the ratio of their times and both peak memories.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import statistics
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from generator import demo as towngen  # noqa: E402

WORK = ROOT / "bench" / "work" / "county"
SCORES = WORK / "scores"
RESULTS = WORK / "results"
NAIVE_RESULTS = WORK / "naive-results"
PARTS_RESULTS = WORK / "parts-results"
COMPUTE_RATIO = 0.12  # compute's time at most this share of the naive implementation's
COMPUTE_MB = 150
READ_RATIO = 2.0  # compute's time at most this multiple of reading the CSV files with pandas
COUNTY = {"villages": 600, "periods": 120, "grids": 20, "seed": 1}
STAMP = WORK / "county.json"  # the parameters the county was generated with

# Runs in a fresh interpreter so that RUSAGE_CHILDREN covers exactly one command.
_MEASURE = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": seconds, "peak_kb": usage.ru_maxrss, "returncode": done.returncode,
                  "cpu": usage.ru_utime + usage.ru_stime, "sys": usage.ru_stime,
                  "stderr": done.stderr.decode("utf-8", "replace")[-3000:]}))
"""


# The parts of `flagboard compute`, each timed in one child: load, rules, write.
_PARTS = """
import json, resource, sys, time
from generator.load import load
from generator.results import write_results
from generator.rules import compute
started = time.perf_counter()
data = load(sys.argv[1])
loaded = time.perf_counter()
results = compute(data)
computed = time.perf_counter()
write_results(data, results, sys.argv[2])
written = time.perf_counter()
print(json.dumps({"load": loaded - started, "rules": computed - loaded, "write": written - computed,
                  "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


@dataclass(frozen=True)
class Figure:
    name: str
    seconds: float
    peak_mb: float
    budget_seconds: float | None  # None: measured for the record, no target yet
    budget_mb: float | None = None
    cpu: float | None = None  # user + system seconds of the command and its children
    sys: float | None = None  # of which system (the kernel's, mostly the file system's) seconds

    @property
    def ok(self) -> bool:
        fast = self.budget_seconds is None or self.seconds < self.budget_seconds
        return fast and (self.budget_mb is None or self.peak_mb <= self.budget_mb)


class CommandFailed(Exception):
    pass


def ensure_county(regenerate: bool = False) -> Path:
    """The county scores folder, generated unless it exists with the same parameters."""
    wanted = json.dumps(COUNTY, sort_keys=True)
    if regenerate or not STAMP.exists() or STAMP.read_text() != wanted:
        shutil.rmtree(WORK, ignore_errors=True)
        towngen.write_files(towngen.county_files(**COUNTY), SCORES)
        STAMP.write_text(wanted)
    return SCORES


def flagboard(*args: str) -> list[str]:
    """The flagboard command of this interpreter's environment."""
    script = Path(sys.executable).parent / "flagboard"
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-m", "generator.cli", *args]


def measure(name: str, command: list[str], budget_seconds: float, repeat: int) -> Figure:
    """Best wall time and the peak memory of that run, each run in a fresh child."""
    best = min((run_once(command) for _ in range(repeat)), key=lambda run: run["seconds"])
    return Figure(
        name,
        best["seconds"],
        best["peak_kb"] / 1024,
        budget_seconds,
        cpu=best["cpu"],
        sys=best["sys"],
    )


def run_once(command: list[str]) -> dict:
    """One run of `command` in a fresh child: its wall seconds and peak memory (peak_kb)."""
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    run = json.loads(done.stdout)
    if run["returncode"] != 0:
        raise CommandFailed(
            f"{' '.join(command)} 失败(退出码 {run['returncode']}):\n{run['stderr']}"
        )
    return run


# --- benchmarks: each returns figures; add new ones to BENCHMARKS ------------------


def bench_validate(repeat: int) -> list[Figure]:
    command = flagboard("validate", "--scores", str(SCORES))
    return [measure("flagboard validate", command, 10, repeat)]


def bench_compute(repeat: int) -> list[Figure]:
    """The naive implementation, compute's parts and compute itself, in one run."""
    naive_command = [sys.executable, str(ROOT / "bench" / "naive.py"), str(SCORES)]
    naive = measure("朴素实现(bench/naive.py)", [*naive_command, str(NAIVE_RESULTS)], None, repeat)
    parts = compute_parts(repeat)
    command = flagboard("compute", "--scores", str(SCORES), "--out", str(RESULTS))
    budget = COMPUTE_RATIO * naive.seconds
    total = measure("flagboard compute(合计)", command, budget, repeat)
    total = Figure(total.name, total.seconds, total.peak_mb, budget, COMPUTE_MB)
    same_files(NAIVE_RESULTS, RESULTS)
    RATIOS.append(("compute ÷ 朴素实现", total.seconds / naive.seconds, COMPUTE_RATIO))
    return [naive, *parts, total]


RATIOS: list[tuple[str, float, float | None]] = []  # (what, ratio, target), under the table


def bench_read(repeat: int) -> list[Figure]:
    """compute against reading and parsing the county's CSV files with pandas (bench/read_csv.py):
    all started afresh, taking turns `repeat` times so that they meet the same load; the ratio
    of each turn's times (and CPU times), best and median; memory: the highest peak of each.
    With --before REV, compute of that git revision takes its turn too."""
    read = "pandas 读取全部 CSV（bench/read_csv.py）"
    commands = {
        read: [sys.executable, str(ROOT / "bench" / "read_csv.py"), str(SCORES)],
        "flagboard compute": flagboard("compute", "--scores", str(SCORES), "--out", str(RESULTS)),
    }
    if BEFORE:
        commands[f"flagboard compute（{BEFORE}）"] = compute_of(BEFORE)
    repeat = max(repeat, 1)
    runs: dict[str, list[dict]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            runs[name].append(run_once(command))
    for name in list(commands)[1:]:
        what = f"{name.removeprefix('flagboard ')} ÷ pandas 读取，{repeat} 次"
        target = READ_RATIO if name == "flagboard compute" else None
        for measure, label in (("seconds", "用时"), ("cpu", "CPU 时间")):
            pairs = zip(runs[read], runs[name], strict=True)
            ratios = [ours[measure] / theirs[measure] for theirs, ours in pairs]
            # the target is on time; CPU time moves less when other jobs share the machine
            goal = target if measure == "seconds" else None
            RATIOS.append((f"{what}，{label}之比最好", min(ratios), goal))
            RATIOS.append((f"{what}，{label}之比的中位数", statistics.median(ratios), goal))
    return [
        Figure(
            name,
            min(run["seconds"] for run in runs[name]),
            max(run["peak_kb"] for run in runs[name]) / 1024,
            None,
            COMPUTE_MB if name == "flagboard compute" else None,
        )
        for name in commands
    ]


BEFORE: str | None = None  # --before REV: a git revision whose compute `read` also times


def compute_of(revision: str) -> list[str]:
    """`flagboard compute` with the code of git revision `revision` (exported as site_bench.py
    exports it, outside the repository)."""
    from site_bench import exported

    code = exported(revision)
    run = f"import sys; sys.path.insert(0, {str(code)!r}); from generator.cli import run; run()"
    out = WORK / "before-results"
    return [sys.executable, "-c", run, "compute", "--scores", str(SCORES), "--out", str(out)]


def compute_parts(repeat: int) -> list[Figure]:
    """Load, rules and write of compute, best of `repeat` each, from one child per run."""
    runs = []
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, "-c", _PARTS, str(SCORES), str(PARTS_RESULTS)],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise CommandFailed(f"compute 分段计时失败:\n{done.stderr[-3000:]}")
        runs.append(json.loads(done.stdout.splitlines()[-1]))
    peak = min(run["peak_kb"] for run in runs) / 1024
    names = {
        "load": "  其中 读取校验(load)",
        "rules": "  其中 规则(rules)",
        "write": "  其中 写结果(write)",
    }
    return [Figure(names[k], min(run[k] for run in runs), peak, None) for k in names]


def same_files(naive: Path, computed: Path) -> None:
    """The naive implementation and compute must have written the same contract files."""
    for name in ("flags", "rewards", "actions", "grid_averages"):
        if (naive / f"{name}.csv").read_bytes() != (computed / f"{name}.csv").read_bytes():
            raise CommandFailed(f"朴素实现与 flagboard compute 的 {name}.csv 不一致")


def bench_history(repeat: int) -> list[Figure]:
    """Extraction (best of `repeat`) and outcomes (one run: they take ~10× longer) separately."""
    command = [sys.executable, str(ROOT / "bench" / "history_bench.py"), "--sizes", "1000"]
    done = subprocess.run(
        [*command, "--runs", str(repeat), "--json"], cwd=ROOT, capture_output=True, text=True
    )
    if not done.stdout.strip():
        raise CommandFailed(f"history_bench.py 失败(退出码 {done.returncode}):\n{done.stderr}")
    run = json.loads(done.stdout.splitlines()[-1])
    commits, corrected = run["commits"], run["corrected"]
    return [
        Figure(f"历史提取({commits} 次提交)", run["extract_seconds"], run["extract_peak_mb"], 2),
        Figure(
            f"更正后结果重算({corrected} 个月份)", run["outcomes_seconds"], run["peak_mb"], None
        ),
    ]


BENCHMARKS = {
    "validate": bench_validate,
    "compute": bench_compute,
    "read": bench_read,
    "history": bench_history,
}


# --- report ---------------------------------------------------------------------


def input_size() -> str:
    files = [p for p in SCORES.rglob("*") if p.is_file()]
    megabytes = sum(p.stat().st_size for p in files) / 1e6
    return (
        f"输入:{COUNTY['villages']} 个村,{COUNTY['grids']} 个网格,{COUNTY['periods']} 个评比月份,"
        f"{len(files)} 个文件,{megabytes:.1f} MB({SCORES.relative_to(ROOT)})"
    )


def result_files() -> list[str]:
    """Each results file with its data rows (CSV, header not counted) and size."""
    lines = []
    for path in sorted(p for p in RESULTS.iterdir() if p.is_file()):
        size = f"{path.stat().st_size / 1e6:.1f} MB"
        if path.suffix == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as handle:
                rows = sum(1 for _ in csv.reader(handle)) - 1
            lines.append(f"  {path.name}: {rows} 行, {size}")
        else:
            lines.append(f"  {path.name}: {size}")
    return lines


def table(figures: list[Figure]) -> str:
    rows = [("项目", "用时(秒)", "峰值内存(MB)", "预算(秒)", "预算(MB)", "结论")]
    rows += [
        (
            f.name,
            f"{f.seconds:.2f}",
            f"{f.peak_mb:.0f}",
            "—" if f.budget_seconds is None else f"{f.budget_seconds:.2f}",
            "—" if f.budget_mb is None else f"{f.budget_mb:.0f}",
            "未设预算"
            if f.budget_seconds is None and f.budget_mb is None
            else "达标"
            if f.ok
            else "超出预算",
        )
        for f in figures
    ]
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(
            _pad(cell, width, left=i == 0)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    )


def _width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, left: bool) -> str:
    space = " " * (width - _width(text))
    return text + space if left else space + text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="在县级规模的合成数据上测量用时和内存。")
    parser.add_argument(
        "names",
        nargs="*",
        metavar="名称",
        help=f"只运行这些基准测试:{'、'.join(BENCHMARKS)}(默认全部)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="每项运行次数,取最快一次(默认 3)")
    parser.add_argument("--regenerate", action="store_true", help="重新生成合成数据")
    parser.add_argument(
        "--before",
        metavar="REV",
        help="read 基准测试同时计时此 Git 版本的 flagboard compute（交替运行）",
    )
    args = parser.parse_args(argv)
    global BEFORE
    BEFORE = args.before
    unknown = [name for name in args.names if name not in BENCHMARKS]
    if unknown:
        parser.error(f"没有这个基准测试:{'、'.join(unknown)}")
    ensure_county(args.regenerate)
    print(input_size())
    figures = []
    try:
        for name in args.names or BENCHMARKS:
            figures += BENCHMARKS[name](args.repeat)
    except CommandFailed as error:
        print(error, file=sys.stderr)
        return 1
    print(table(figures))
    for what, ratio, target in RATIOS:
        print(f"{what}:{ratio:.3f}×" + ("" if target is None else f"(目标 ≤ {target}×)"))
    if RESULTS.exists():
        print("结果文件:", *result_files(), sep="\n")
    ratios_ok = all(target is None or ratio <= target for _, ratio, target in RATIOS)
    return 0 if ratios_ok and all(f.ok for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())

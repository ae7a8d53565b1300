"""Where a site build's time goes, by page kind (issue 21 item 3: profile first).

    .venv/bin/python bench/site_profile.py [--scores DIR] [--site-url URL] [--cprofile KIND]

Builds the county (bench/work/county/, see run.py) or a given scores folder in this process
with one page-writing process (FLAGBOARD_JOBS=1), as `flagboard build` does, and times every
page by kind in three parts: its context (pages.py's function of the kind), rendering its
template, and writing its file, in wall and CPU seconds; then the parts around the pages (the
whole build, and the published files made beside them: CSVs, results.json, Excel files, timed
again in this process). With `--site-url` the build is a published one (publishconf.py), so
the posters and the screen get their QR codes, as `site_bench.py --site-url` builds. With
`--cprofile KIND` the pages of that kind are also run under cProfile and its top items printed.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import ROOT, ensure_county  # noqa: E402

from generator.site import pages, plugin  # noqa: E402

PARTS = ("context", "render", "write")


class KindClock:
    """Wall and CPU seconds per (kind, part), and pages per kind."""

    def __init__(self, profiled: str | None) -> None:
        self.wall: dict = defaultdict(float)
        self.cpu: dict = defaultdict(float)
        self.pages: dict = defaultdict(int)
        self.profiled = profiled
        self.profile = cProfile.Profile() if profiled else None

    def timed(self, kind: str, part: str, fn, *args):
        profiling = self.profile is not None and kind == self.profiled
        wall, cpu = time.perf_counter(), time.process_time()
        if profiling:
            self.profile.enable()
        try:
            return fn(*args)
        finally:
            if profiling:
                self.profile.disable()
            self.wall[kind, part] += time.perf_counter() - wall
            self.cpu[kind, part] += time.process_time() - cpu


def instrument(clock: KindClock) -> None:
    """Wrap the plugin's unit loop so each page's context, render and write are timed."""
    original_write = plugin.ResultsPages._write

    def write_units(self, units):
        done = []
        for unit in units:
            kind = unit[0]
            built = clock.timed(kind, "context", pages.build, self.site, unit)
            written = []
            for page in built:
                clock.pages[kind] += 1
                written.append(clock.timed(kind, "render+write", original_write, self, page))
            done.append(written)
        return done

    plugin.ResultsPages._write_units = write_units


def split_render(clock: KindClock) -> None:
    """Time the template's render on its own inside _write (the rest is the file)."""
    original_template = plugin.ResultsPages._template

    def template(self, kind):
        found = original_template(self, kind)
        return _Timed(found, clock, kind)

    plugin.ResultsPages._template = template


class _Timed:
    def __init__(self, template, clock: KindClock, kind: str) -> None:
        self.template, self.clock, self.kind = template, clock, kind

    def render(self, context):
        return self.clock.timed(self.kind, "render", self.template.render, context)


def report(clock: KindClock) -> str:
    kinds = sorted(clock.pages, key=lambda k: -sum(clock.cpu[k, p] for p in clock_parts()))
    lines = [
        "页面类型        页数   上下文CPU  渲染CPU  写文件CPU  合计CPU(秒)  每页CPU(毫秒)  墙钟合计(秒)"
    ]
    total_cpu = total_wall = 0.0
    for kind in kinds:
        context = clock.cpu[kind, "context"]
        render = clock.cpu[kind, "render"]
        write = clock.cpu[kind, "render+write"] - render
        cpu = context + render + write
        wall = clock.wall[kind, "context"] + clock.wall[kind, "render+write"]
        total_cpu, total_wall = total_cpu + cpu, total_wall + wall
        n = clock.pages[kind]
        lines.append(
            f"{kind:<14}{n:>6}   {context:>8.2f}  {render:>7.2f}  {write:>8.2f}  {cpu:>10.2f}"
            f"  {cpu / max(n, 1) * 1000:>12.2f}  {wall:>11.2f}"
        )
    pages_total = sum(clock.pages.values())
    lines.append(
        f"{'合计':<13}{pages_total:>6}{'':>38}{total_cpu:>10.2f}{'':>16}{total_wall:>11.2f}"
    )
    return "\n".join(lines)


def clock_parts() -> tuple:
    return ("context", "render+write")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="按页面类型剖析 flagboard build 的用时。")
    parser.add_argument("--scores", type=Path, help="评分文件夹（默认：基准用的县）")
    parser.add_argument("--site-url", metavar="URL", help="以发布设置和此地址生成（带二维码）")
    parser.add_argument("--cprofile", metavar="KIND", help="对此类页面另作 cProfile，列出前几项")
    parser.add_argument("--out", type=Path, help="网站输出文件夹（默认：临时文件夹）")
    args = parser.parse_args(argv)
    from generator.site.build import build  # after the plugin is instrumented: same module

    clock = KindClock(args.cprofile)
    instrument(clock)
    split_render(clock)
    scores = args.scores or ensure_county()
    settings = ROOT / "pelicanconf.py"
    if args.site_url:
        os.environ["FLAGBOARD_SITEURL"] = args.site_url
        settings = ROOT / "publishconf.py"
    out = args.out or Path(tempfile.mkdtemp(prefix="site-profile-")) / "site"
    wall, cpu = time.perf_counter(), time.process_time()
    built = build(scores, out, settings, extra_settings={"FLAGBOARD_JOBS": 1})
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{scores}：{built.pages} 个网页，整次生成墙钟 {wall:.2f} 秒，本进程 CPU {cpu:.2f} 秒")
    print(report(clock))
    print(published_files(scores))
    if clock.profile is not None:
        text = io.StringIO()
        stats = pstats.Stats(clock.profile, stream=text)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(r"generator/|templates/", 30)
        print(text.getvalue())
    return 0


def published_files(scores: Path) -> str:
    """The data files made beside the pages (a second process in a build), timed here alone."""
    from generator.load import load
    from generator.rules import compute
    from generator.site import publish

    data = load(scores)
    results = compute(data)
    wall, cpu = time.perf_counter(), time.process_time()
    files = publish.computed_files(data, results)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    size = sum(len(f.data) for f in files) / 1e6
    return f"发布的数据文件（CSV、results.json、Excel，{len(files)} 个，{size:.1f} MB）：墙钟 {wall:.2f} 秒，CPU {cpu:.2f} 秒"


if __name__ == "__main__":
    sys.exit(main())

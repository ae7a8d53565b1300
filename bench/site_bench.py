"""Site build benchmark: `flagboard build` against plain Pelican building as many Markdown pages.

    .venv/bin/python bench/site_bench.py [--repeat N]

For the demo town (scores/) and the county (bench/work/county/, see run.py), it times
`flagboard build`, counts the HTML pages it wrote, then times plain Pelican (its own simple
theme, no plugin) building that many Markdown pages of a typical length, and prints both per
page and their ratio. Targets: per page ≤ 0.5× plain Pelican (issue 13); the county under 60 s.
It also times both on a tiny town (4 villages, 1 month) as each side's start-up, and prints
the cost per page once that is taken off: the demo's average per page is mostly start-up
(importing pandas alone takes most of Pelican's whole run of 72 pages), the county's pages.
Then both again, taking turns, building into an empty folder as CI's build of a fresh clone
does: above, each builds over its last output and deleting that is part of its run.
Where Debian's `hugo` is installed (`apt-get install hugo`), it also times Hugo building the
same Markdown pages with a one-file layout, for reference; without it, a note says so.
With `--before REV` it also builds each town with the code, theme and settings of git
revision REV (exported to the system's temporary folder), alternating run by run with the
working tree's, so that both are measured side by side under the same load.
With `--site-url URL` every flagboard build (of both revisions) is a published one: settings
publishconf.py with FLAGBOARD_SITEURL=URL, an absolute address, so that the posters and the
screen get their QR codes (a build with pelicanconf.py makes none).
Beside each wall-time ratio it prints the ratio of CPU seconds (every process of the command:
other jobs on the machine move it much less) and how much of them was the kernel's; with
`--before`, whether the two revisions built byte-identical sites (same_site.py); then how fast
this machine's file system makes a page's folder and file, before and right after deleting
some (filesystem_line: on some machines that is what moves the ratio most between runs); and
last, unless `--no-profile`, the county's profile by page kind (site_profile.py: each kind's
context, render and file in CPU seconds).
`bench_site` has the shape run.py's BENCHMARKS expects.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import same_site  # noqa: E402
from run import ROOT, Figure, ensure_county, flagboard, measure, table  # noqa: E402

from generator import demo as towngen  # noqa: E402

WORK = ROOT / "bench" / "work" / "site"
BUDGETS = {"tiny": 10.0, "demo": 10.0, "county": 60.0}
PELICAN_CONF = """
PATH = "content"
PAGE_PATHS = ["pages"]
ARTICLE_PATHS = []
STATIC_PATHS = []
DIRECT_TEMPLATES = []
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh"
SITENAME = "基准"
# The simple theme lists every page in every page's menu: with thousands of pages that makes
# plain Pelican quadratic (780 pages: 81 KB each, mostly menu). The baseline is a linear site.
DISPLAY_PAGES_ON_MENU = False
DISPLAY_CATEGORIES_ON_MENU = False
"""


def markdown_page(number: int) -> str:
    """A page of about the size of a village page's text: paragraphs, a list and a table."""
    rows = "\n".join(
        f"| 2024年{m}月 | {80 + (number + m) % 17} | 第{1 + (number * m) % 9}名 |"
        for m in range(1, 13)
    )
    paragraph = (
        "本村本月各项工作稳步推进,党建引领、和美家园、整体智治、文明新风和美丽经济均有进展。" * 3
    )
    return (
        f"Title: 第{number}页\nSlug: p{number:05d}\n\n"
        f"## 概况\n\n{paragraph}\n\n{paragraph}\n\n"
        "## 要点\n\n- 红旗:党建引领发展\n- 黄旗:无\n- 奖罚:嘉奖1000元\n\n"
        f"## 每月得分\n\n| 月份 | 得分 | 名次 |\n|---|---|---|\n{rows}\n"
    )


def pelican_site(pages: int) -> Path:
    """A plain Pelican project with `pages` Markdown pages (regenerated when the count changes)."""
    folder = WORK / f"pelican-{pages}"
    if (folder / "pelicanconf.py").exists() and (folder / "pelicanconf.py").read_text(
        encoding="utf-8"
    ) != PELICAN_CONF:
        shutil.rmtree(folder)
    if not (folder / "pelicanconf.py").exists():
        (folder / "content" / "pages").mkdir(parents=True, exist_ok=True)
        for number in range(pages):
            path = folder / "content" / "pages" / f"p{number:05d}.md"
            path.write_text(markdown_page(number), encoding="utf-8")
        (folder / "pelicanconf.py").write_text(PELICAN_CONF, encoding="utf-8")
    return folder


HUGO_CONFIG = """
baseURL = "http://example.org/"
title = "基准"
languageCode = "zh-cn"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
"""
# One layout for every page: the title and the Markdown made HTML, as Pelican's simple theme.
HUGO_LAYOUT = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title></head>
<body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>
"""


def hugo_site(pages: int) -> Path:
    """A Hugo project with the same `pages` Markdown pages (front matter in TOML)."""
    folder = WORK / f"hugo-{pages}"
    if (folder / "hugo.toml").exists() and (folder / "hugo.toml").read_text(
        encoding="utf-8"
    ) != HUGO_CONFIG:
        shutil.rmtree(folder)
    if not (folder / "hugo.toml").exists():
        (folder / "content" / "pages").mkdir(parents=True, exist_ok=True)
        (folder / "layouts" / "_default").mkdir(parents=True, exist_ok=True)
        for name in ("single.html", "list.html"):
            (folder / "layouts" / "_default" / name).write_text(HUGO_LAYOUT, encoding="utf-8")
        for number in range(pages):
            head, _, body = markdown_page(number).partition("\n\n")
            meta = dict(line.split(": ", 1) for line in head.splitlines())
            front = f'+++\ntitle = "{meta["Title"]}"\nslug = "{meta["Slug"]}"\n+++\n\n'
            path = folder / "content" / "pages" / f"p{number:05d}.md"
            path.write_text(front + body, encoding="utf-8")
        tomllib.loads(HUGO_CONFIG)  # a typo here would otherwise show as Hugo's error
        (folder / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    return folder


def hugo_figure(pages: int, repeat: int) -> Figure | None:
    """Hugo's time for `pages` Markdown pages, or None (and a note) where it is not installed."""
    hugo = shutil.which("hugo")
    if hugo is None:
        print(f"未安装 Hugo（Debian：apt-get install hugo），跳过 Hugo 的 {pages} 页对照。")
        return None
    site = hugo_site(pages)
    command = [hugo, "--quiet", "--source", str(site), "--destination", str(site / "public")]
    return measure(
        f"Hugo {pages} 个 Markdown 页", command + ["--cleanDestinationDir"], float("inf"), repeat
    )


def hugo_line(name: str, ours: Figure, hugo: Figure, pages: int) -> str:
    per_page = [f.seconds / pages * 1000 for f in (ours, hugo)]
    return (
        f"{name}:Hugo 每页 {per_page[1]:.2f} 毫秒（同样 {pages} 个 Markdown 页，仅作参照），"
        f"flagboard 是它的 {per_page[0] / per_page[1]:.1f} 倍"
    )


def html_count(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html"))


def html_megabytes(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*.html")) / 1e6


def exported(revision: str) -> Path:
    """The files of git revision `revision`, exported once to the temporary folder."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", revision], cwd=ROOT, capture_output=True, text=True
    )
    if commit.returncode != 0:
        raise SystemExit(f"找不到 Git 版本 {revision}:{commit.stderr.strip()}")
    # outside the repository: its copy of tests/ and bench/ must not be taken for ours
    folder = Path(tempfile.gettempdir()) / f"flagboard-before-{commit.stdout.strip()}"
    if not (folder / "pelicanconf.py").exists():
        folder.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "archive", commit.stdout.strip()], cwd=ROOT, capture_output=True, check=True
        )
        archive_path = folder.with_suffix(".tar")
        archive_path.write_bytes(archive.stdout)
        with tarfile.open(archive_path) as tar:
            tar.extractall(folder, filter="data")
        archive_path.unlink()
    return folder


def build_command(scores: Path, out: Path, code: Path | None, published: bool = False) -> list[str]:
    """`flagboard build`, of the working tree or (code) of an exported revision; `published`:
    with publishconf.py (its address from FLAGBOARD_SITEURL, see main)."""
    settings_file = "publishconf.py" if published else "pelicanconf.py"
    if code is None:
        chosen = ["--settings", str(ROOT / settings_file)] if published else []
        return flagboard("build", "--scores", str(scores), "--out", str(out), *chosen)
    run = f"import sys; sys.path.insert(0, {str(code)!r}); from generator.cli import run; run()"
    settings = str(code / settings_file)
    args = ["build", "--scores", str(scores), "--out", str(out), "--settings", settings]
    return [sys.executable, "-c", run, *args]


def best_of_alternating(commands: dict[str, list[str]], budget: float, repeat: int) -> dict:
    """Each command's best run, the commands taking turns so that they share the same load."""
    best: dict[str, Figure] = {}
    for _ in range(repeat):
        for name, command in commands.items():
            figure = measure(name, command, budget, 1)
            if name not in best or figure.seconds < best[name].seconds:
                best[name] = figure
    return best


def compare(
    name: str, scores: Path, repeat: int, before: Path | None = None, published: bool = False
) -> tuple[Figure, Figure, int, list[float], Figure | None]:
    out = WORK / f"{name}-output"
    label = f"flagboard build({name})"
    commands = {label: build_command(scores, out, None, published)}
    if before is not None:
        earlier = build_command(scores, WORK / f"{name}-before", before, published)
        commands[f"{label}，改动前"] = earlier
    runs = best_of_alternating(commands, BUDGETS[name], repeat)
    ours, earlier = runs[label], runs.get(f"{label}，改动前")
    pages = html_count(out)
    plain = pelican_site(pages)
    pelican = pelican_command(plain, plain / "output") + ["--delete-output-directory"]
    theirs = measure(f"Pelican {pages} 个 Markdown 页", pelican, float("inf"), repeat)
    return ours, theirs, pages, [html_megabytes(out), html_megabytes(plain / "output")], earlier


def pelican_command(plain: Path, output: Path) -> list[str]:
    """Plain Pelican building the Markdown pages of `plain` (pelican_site) into `output`."""
    return [
        sys.executable,
        *("-m", "pelican", str(plain / "content")),
        *("-s", str(plain / "pelicanconf.py"), "-o", str(output), "--fatal", "errors"),
    ]


def first_build_line(name: str, scores: Path, pages: int, repeat: int, published: bool) -> str:
    """Both sides building into an empty folder, taking turns, as CI's build of a fresh clone
    does: no earlier output to delete. Above, each builds over its last output, and deleting
    it is part of the run (Pelican deletes its files first; flagboard keeps the old site until
    the new one is whole, swaps, then deletes twice as many entries: a folder per page)."""
    best: dict[str, Figure] = {}
    plain = pelican_site(pages)
    with tempfile.TemporaryDirectory(dir=WORK) as scratch:
        for turn in range(repeat):
            commands = {
                "flagboard": build_command(scores, Path(scratch) / f"ours-{turn}", None, published),
                "Pelican": pelican_command(plain, Path(scratch) / f"plain-{turn}"),
            }
            for side, command in commands.items():
                figure = measure(side, command, float("inf"), 1)
                if side not in best or figure.seconds < best[side].seconds:
                    best[side] = figure
    ours, theirs = (best[side].seconds / pages * 1000 for side in ("flagboard", "Pelican"))
    return (
        f"{name}：都输出到空文件夹（如 CI 在新克隆上生成），每页 flagboard {ours:.1f} 毫秒，"
        f"Pelican {theirs:.1f} 毫秒，比值 {ours / theirs:.2f}"
    )


def ratio_line(name: str, ours: Figure, theirs: Figure, pages: int, mb: list[float]) -> str:
    per_page = [f.seconds / pages * 1000 for f in (ours, theirs)]
    per_mb = [f.seconds / size for f, size in zip((ours, theirs), mb, strict=True)]
    verdict = "不慢于" if per_page[0] <= per_page[1] else "慢于"
    return (
        f"{name}:{pages} 个网页；每页 flagboard {per_page[0]:.1f} 毫秒，Pelican {per_page[1]:.1f} 毫秒，"
        f"比值 {per_page[0] / per_page[1]:.2f}（{verdict}纯 Pelican）；{cpu_ratio(ours, theirs)}"
        f"网页共 {mb[0]:.1f} MB 对 {mb[1]:.1f} MB，每 MB 用时比值 {per_mb[0] / per_mb[1]:.2f}"
    )


def cpu_ratio(ours: Figure, theirs: Figure) -> str:
    """The ratio of CPU seconds (user + system, every process of the command): other jobs on
    the machine move it much less than wall time. flagboard spreads its pages over the cores,
    Pelican runs in one process, so this ratio is the harder one for flagboard."""
    if not (ours.cpu and theirs.cpu):
        return ""
    kernel = f"（其中内核 {ours.sys:.1f} 秒对 {theirs.sys:.1f} 秒）" if ours.sys is not None else ""
    return (
        f"CPU 时间 {ours.cpu:.1f} 秒对 {theirs.cpu:.1f} 秒{kernel}，"
        f"比值 {ours.cpu / theirs.cpu:.2f}；"
    )


def tiny_town() -> Path:
    """One grid of four villages and one month: what every build pays before its first page."""
    folder = WORK / "tiny-scores"
    if not (folder / "town.toml").exists():
        towngen.write_files(towngen.county_files(villages=4, periods=1, grids=1), folder)
    return folder


def startup_line(ours: Figure, theirs: Figure, pages: int) -> str:
    return (
        f"启动开销：flagboard {ours.seconds:.2f} 秒（4 个村、1 期，{pages} 个网页；"
        f"导入 pandas、读 Git 历史、编译模板），Pelican {theirs.seconds:.2f} 秒（同样页数）"
    )


def beyond_startup_line(name: str, runs: tuple, start: tuple) -> str:
    """Per page once each side's start-up is taken off: what each further page costs."""
    (ours, theirs, pages), (ours0, theirs0, pages0) = runs, start
    each = [
        (f.seconds - f0.seconds) / (pages - pages0) for f, f0 in ((ours, ours0), (theirs, theirs0))
    ]
    verdict = "不慢于" if each[0] <= each[1] else "慢于"
    return (
        f"{name}：除去启动开销，每页 flagboard {each[0] * 1000:.1f} 毫秒，Pelican {each[1] * 1000:.1f} 毫秒，"
        f"比值 {each[0] / each[1]:.2f}（{verdict}纯 Pelican）"
    )


def bench_site(
    repeat: int, before: str | None = None, published: bool = False, profile: bool = False
) -> list[Figure]:
    code = exported(before) if before else None
    ours0, theirs0, pages0, _, earlier0 = compare("tiny", tiny_town(), repeat, code, published)
    print(startup_line(ours0, theirs0, pages0))
    figures = []
    for name, scores in (("demo", ROOT / "scores"), ("county", ensure_county())):
        ours, theirs, pages, mb, earlier = compare(name, scores, repeat, code, published)
        figures += [ours, theirs]
        print(ratio_line(name, ours, theirs, pages, mb))
        print(beyond_startup_line(name, (ours, theirs, pages), (ours0, theirs0, pages0)))
        print(first_build_line(name, scores, pages, repeat, published))
        if earlier is not None:
            figures.append(earlier)
            print(before_line(name, before, earlier, theirs, pages, (earlier0, theirs0, pages0)))
        hugo = hugo_figure(pages, repeat)
        if hugo is not None:
            print(hugo_line(name, ours, hugo, pages))
    print(filesystem_line())
    if profile:
        print("县的网站按页面类型剖析（一个写页进程，CPU 秒；bench/site_profile.py）：")
        print(kind_profile(ensure_county(), published))
    return figures


PROBE_FOLDERS = 2000


def filesystem_line() -> str:
    """How fast this machine's file system makes a page's folder and file, once on its own
    and once again right after deleting them: every build deletes the last one's output, and
    an ext4 without a journal skips recently freed inodes for minutes when it allocates new
    ones (`recently_deleted` in fs/ext4/ialloc.c), so that on such a machine the same build's
    system time grows with every build before it. flagboard makes a folder and a file per page
    (its addresses end in /), Pelican's Markdown pages a file each; on a rebuild flagboard links
    the files that did not change (generator/site/reuse.py), so that mostly its folders are new."""
    probe = WORK / "fs-probe"
    shutil.rmtree(probe, ignore_errors=True)
    timings = []
    for _ in range(2):
        started = time.perf_counter()
        probe.mkdir()
        for number in range(PROBE_FOLDERS):
            folder = probe / f"{number:05d}"
            folder.mkdir()
            (folder / "index.html").write_bytes(b"<p>x</p>" * 500)
        made = time.perf_counter()
        shutil.rmtree(probe)
        timings.append((made - started, time.perf_counter() - made))
    (first, removed), (again, _) = timings
    each = [seconds / PROBE_FOLDERS * 1e6 for seconds in (first, removed, again)]
    return (
        f"本机文件系统：新建一个网页的文件夹和文件 {each[0]:.0f} 微秒，删除 {each[1]:.0f} 微秒，"
        f"删除后立即再建 {each[2]:.0f} 微秒（{PROBE_FOLDERS} 个取平均；再建明显变慢的机器上，"
        "重复生成的用时随之上升：flagboard 每页新建一个文件夹，未变的文件用硬链接，"
        "Pelican 每页新建一个文件）"
    )


def before_line(
    name: str, revision: str, earlier: Figure, theirs: Figure, pages: int, start
) -> str:
    """The same town built by an earlier revision, per page (of its own pages: item 1 of
    issue 13 added a few) against the same Pelican runs."""
    earlier0, theirs0, pages0 = start
    own = html_count(WORK / f"{name}-before")
    ratio = (earlier.seconds / own) / (theirs.seconds / pages)
    beyond = ((earlier.seconds - earlier0.seconds) / (own - pages0)) / (
        (theirs.seconds - theirs0.seconds) / (pages - pages0)
    )
    cpu = f"，CPU 时间 {earlier.cpu:.1f} 秒" if earlier.cpu else ""
    return (
        f"{name}：改动前（{revision}）用时 {earlier.seconds:.2f} 秒{cpu}，{own} 个网页；"
        f"每页对 Pelican 比值 {ratio:.2f}，除去启动开销 {beyond:.2f}；{same_output(name)}"
    )


def same_output(name: str) -> str:
    """Whether the two revisions built the same site, byte for byte (same_site.py): work on
    speed must not change what is published."""
    gone, added, changed, count = same_site.differences(
        WORK / f"{name}-before", WORK / f"{name}-output"
    )
    if not (gone or added or changed):
        return f"两次生成的 {count} 个文件逐字节相同"
    return (
        f"两次生成的网站不同：少 {len(gone)} 个、多 {len(added)} 个、{len(changed)} 个文件内容不同"
    )


def kind_profile(scores: Path, published: bool) -> str:
    """site_profile.py on the town in a child: each page kind's context, render and file."""
    command = [sys.executable, str(ROOT / "bench" / "site_profile.py"), "--scores", str(scores)]
    if published:
        command += ["--site-url", os.environ["FLAGBOARD_SITEURL"]]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    return done.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="比较 flagboard build 与纯 Pelican 的每页用时。")
    parser.add_argument("--repeat", type=int, default=1, help="每项运行次数，取最快一次（默认 1）")
    parser.add_argument(
        "--before", metavar="REV", help="同时计时此 Git 版本的 flagboard build（交替运行）"
    )
    parser.add_argument(
        "--site-url",
        metavar="URL",
        help="以发布设置（publishconf.py）和此网站地址生成，海报和电子屏带二维码",
    )
    parser.add_argument(
        "--no-profile", action="store_true", help="不做按页面类型的剖析（省去一次县的生成）"
    )
    args = parser.parse_args(argv)
    if args.site_url:
        if not args.site_url.startswith(("http://", "https://")):
            parser.error(
                f"--site-url 应是以 http:// 或 https:// 开头的完整地址，而不是「{args.site_url}」"
            )
        os.environ["FLAGBOARD_SITEURL"] = args.site_url  # read by publishconf.py in every build
        print(f"发布设置，网站地址 {args.site_url}：海报和电子屏带二维码")
    figures = bench_site(
        args.repeat, args.before, published=bool(args.site_url), profile=not args.no_profile
    )
    print(table([f for f in figures if f.budget_seconds != float("inf")]))
    return 0 if all(f.ok for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())

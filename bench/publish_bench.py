"""Publish benchmark: the county site (600 villages, 120 months, 10,000+ files) published to a
local S3 server (moto) and over rsync/SSH to 127.0.0.1, first whole, then after one month.

    .venv/bin/python bench/publish_bench.py [--rebuild]

The county's data repository is made with the office's history (generator.demo.history_plan:
a commit per month and per year, one 复议 correction), up to 2024-10; its site is built, then
2024-11 is committed and the site built again (bench/work/publish/, kept between runs unless
--rebuild). Each target gets the first site, then the second; the bench prints files and bytes
sent and seconds for each publish, then which files the new month changed, by kind, and exits
1 if any page of an earlier period is among them. The servers are the tests' (moto's S3
server, a real sshd with its own keys: tests/_deploy_helpers.py), started on 127.0.0.1 and
stopped at the end.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "bench")]

from _deploy_helpers import Moto, Sshd, clean_env  # noqa: E402
from _history_helpers import DataRepo  # noqa: E402
from _site_helpers import build_site  # noqa: E402

from generator import demo as towngen  # noqa: E402
from generator.deploy.manifest import scan  # noqa: E402
from generator.deploy.plan import make_plan  # noqa: E402
from generator.deploy.publish import publish  # noqa: E402

WORK = ROOT / "bench" / "work" / "publish"
NEW_MONTH = "2024-11"


def county_sites(rebuild: bool) -> tuple[Path, Path]:
    """The county's site up to the month before NEW_MONTH, and with it."""
    before, after = WORK / "before", WORK / "after"
    if (
        not rebuild
        and (after / ".flagboard-site").exists()
        and (before / ".flagboard-site").exists()
    ):
        return before, after
    shutil.rmtree(WORK, ignore_errors=True)
    commits = towngen.history_plan(towngen.county_files())
    cut = next(i for i, c in enumerate(commits) if c.message.startswith(towngen.label(NEW_MONTH)))
    repo = DataRepo(WORK / "town")
    for number, commit in enumerate(commits[: cut + 1]):
        for relative, data in sorted(commit.files.items()):
            repo.write(relative, data)
        repo.commit(commit.message, commit.author, commit.date)
        if number == cut - 1:
            started = time.perf_counter()
            build_site(repo.scores, before)
            print(
                f"生成 {NEW_MONTH} 之前的网站：{time.perf_counter() - started:.1f} 秒", flush=True
            )
    started = time.perf_counter()
    build_site(repo.scores, after)
    print(f"生成含 {NEW_MONTH} 的网站：{time.perf_counter() - started:.1f} 秒", flush=True)
    return before, after


def run(name: str, target: str, env: dict, before: Path, after: Path) -> list[tuple]:
    rows = []
    for label, site in (("首次发布", before), ("新增一个月后再发布", after)):
        started = time.perf_counter()

        def step(line: str, started=started) -> None:
            print(f"    {time.perf_counter() - started:6.1f} 秒  {line}", flush=True)

        report = publish(site, target, env, step=step)
        rows.append((name, label, len(report.plan.send), report.bytes, report.seconds))
        print(
            f"  {name} {label}：{rows[-1][2]} 个文件，{report.bytes / 1e6:.1f} MB，"
            f"{report.seconds:.1f} 秒",
            flush=True,
        )
    return rows


def kinds(paths: list[str]) -> Counter:
    """The changed files by what they are."""
    month = NEW_MONTH.replace("-", "/") + "/"
    found = Counter()
    for path in paths:
        if path.startswith(month):
            found[f"新的一期 {month}（网页、海报、公众号文章）"] += 1
        elif re.match(r"\d{4}/\d{2}/", path):
            found["更早各期的网页（应为 0）"] += 1
        elif re.match(r"\d{4}/", path):
            found[f"年度页 {path[:4]}"] += 1
        elif path.startswith("village/"):
            found["村页面（显示最近一期的状态）"] += 1
        elif path.startswith("grid/"):
            found["网格页（显示最近的月度平均分）"] += 1
        else:
            found[path.split("/")[0] + ("/" if "/" in path else "")] += 1
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description="发布基准：县级网站发布到本机的 S3 和 SSH。")
    parser.add_argument("--rebuild", action="store_true", help="重新生成两个网站")
    args = parser.parse_args()
    before, after = county_sites(args.rebuild)
    old, new = scan(before), scan(after)
    plan = make_plan(old, new)
    print(
        f"网站：{len(old.files)} → {len(new.files)} 个文件；新增一个月改变 {len(plan.send)} 个、"
        f"删除 {len(plan.delete)} 个"
    )
    rows = []
    moto, sshd = Moto(), Sshd()
    folder = Path(tempfile.mkdtemp(prefix="flagboard-publish-bench-"))
    try:
        bucket = moto.bucket("county")
        env = clean_env(
            FLAGBOARD_S3_ENDPOINT=moto.url,
            FLAGBOARD_S3_REGION="us-east-1",
            FLAGBOARD_S3_ACCESS_KEY_ID="bench-key-id",
            FLAGBOARD_S3_SECRET_ACCESS_KEY="bench-secret-key",
            FLAGBOARD_S3_ADDRESSING="path",
        )
        rows += run("S3（moto）", f"s3://{bucket}/qingxi", env, before, after)
        rows += run("rsync/SSH", sshd.target(folder / "qingxi"), sshd.env(), before, after)
    finally:
        moto.stop()
        sshd.stop()
        shutil.rmtree(folder, ignore_errors=True)
    print("\n| 目标 | 发布 | 发送文件 | 发送字节 | 秒 |\n|---|---|---|---|---|")
    for name, label, files, sent, seconds in rows:
        print(f"| {name} | {label} | {files:,} | {sent / 1e6:.1f} MB | {seconds:.1f} |")
    print("\n新增一个月改变的文件：")
    changed = kinds(plan.send)
    for kind, count in changed.most_common():
        print(f"  {count:6,}  {kind}")
    return 1 if changed["更早各期的网页（应为 0）"] else 0


if __name__ == "__main__":
    sys.exit(main())

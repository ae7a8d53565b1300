"""Real git repositories of a small town for the history tests: commits with fixed authors and dates.

The town is a `towns.Town` (the one builder of test towns); its files are what the repositories
commit, saved as Excel does (UTF-8 with BOM, CRLF) and naming villages by 村名.
"""

from __future__ import annotations

import os
import subprocess
from datetime import datetime
from pathlib import Path

from towns import Town, one_flag_rules
from towns import excel_bytes as csv_bytes

from generator.layout import TOWN_FILE, VILLAGES_FILE, scores_path

VILLAGES = [("V1", "东村"), ("V2", "西村"), ("V3", "南村"), ("V4", "北村"), ("V5", "中村")]
HEADER = ["村名", "和美家园建设", "党建引领发展"]


def history_town() -> Town:
    """One grid of five villages, two monthly categories, one optional; one red and one yellow
    flag per category, so a single score decides who is flagged."""
    return Town(
        villages=[(vid, "一网格") for vid, _ in VILLAGES],
        names=dict(VILLAGES),
        grids=[("g1", "一网格")],
        categories=[
            ("a", "和美家园建设", "monthly"),
            ("b", "党建引领发展", "monthly"),
            ("opt", "重点工程攻坚", "optional"),
            ("yr", "党风廉政建设", "annual"),
        ],
        rules=one_flag_rules(),
        by="村名",
        encoding="utf-8-sig",
    )


TOWN_TOML = history_town().toml()


def villages_csv() -> bytes:
    return history_town().files()[VILLAGES_FILE]


def period_rows(a: dict[str, object], b: dict[str, object] | None = None) -> list[list]:
    """Rows of a period file: 和美家园建设 scores by village name; 党建引领发展 fixed."""
    b = b or {"东村": 88, "西村": 86, "南村": 84, "北村": 82, "中村": 70}
    scores = {vid: [a[name], b[name]] for vid, name in VILLAGES}
    return history_town().month("2024-03", scores, HEADER[1:]).table("2024-03")


# 和美家园建设 in 2024-03: 东村 lowest → yellow; 西村 highest → red. 中村 is always yellow in 党建.
MARCH = {"东村": 60, "西村": 90, "南村": 80, "北村": 70, "中村": 75}
APRIL = {"东村": 65, "西村": 91, "南村": 81, "北村": 71, "中村": 76}


class DataRepo:
    """A git repository holding a scores folder; commits get the author and date given."""

    def __init__(self, root: Path):
        self.root = root
        self.scores = root / "scores"
        self.scores.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", "测试")
        self.git("config", "user.email", "test@example.org")
        self.git("config", "commit.gpgsign", "false")

    def git(
        self,
        *args: str,
        when: str = "2024-01-01T09:00:00+08:00",
        author: str = "测试",
        input: bytes | None = None,
    ) -> str:
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": author,
            "GIT_AUTHOR_EMAIL": "office@example.org",
            "GIT_COMMITTER_NAME": author,
            "GIT_COMMITTER_EMAIL": "office@example.org",
            "GIT_AUTHOR_DATE": when,
            "GIT_COMMITTER_DATE": when,
        }
        done = subprocess.run(
            ["git", *args], cwd=self.root, env=env, input=input, capture_output=True, check=True
        )
        return done.stdout.decode("utf-8", "replace").strip()

    def write(self, relative: str, data: bytes | str) -> None:
        path = self.scores / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)

    def remove(self, relative: str) -> None:
        (self.scores / relative).unlink()

    def commit(self, message: str, author: str, when: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, author=author, when=when)
        return self.git("rev-parse", "HEAD")

    def raw_commit(
        self, message: bytes, author: bytes, when: str, encoding: str | None = None
    ) -> str:
        """Commit the scores folder with a commit object written byte for byte, as an old
        client or `git commit-tree` can: any bytes in the author and message, any header."""
        self.git("add", "-A")
        tree = self.git("write-tree").encode()
        parent = self.git("rev-parse", "HEAD").encode() if self._has_head() else None
        stamp = datetime.fromisoformat(when)
        signature = author + b" <office@example.org> %d %s" % (
            int(stamp.timestamp()),
            stamp.strftime("%z").encode(),
        )
        lines = [b"tree " + tree, *([b"parent " + parent] if parent else [])]
        lines += [b"author " + signature, b"committer " + signature]
        lines += [b"encoding " + encoding.encode()] if encoding else []
        data = b"\n".join(lines) + b"\n\n" + message
        sha = self.git("hash-object", "-t", "commit", "-w", "--stdin", input=data)
        self.git("update-ref", "HEAD", sha)
        return sha

    def stamped_commit(
        self, message: str, author: str, stamp: str, parents: list[str] | None = None
    ) -> str:
        """Commit the scores folder with the committer (and author) time written as `stamp`
        ("<seconds> <+hhmm>"), byte for byte: times git's porcelain refuses or Python's datetime
        cannot hold (year 10000, offset +9999, no time at all) reach the history this way."""
        self.git("add", "-A")
        tree = self.git("write-tree")
        if parents is None:
            parents = [self.git("rev-parse", "HEAD")] if self._has_head() else []
        ident = f"{author} <office@example.org> {stamp}"
        lines = [f"tree {tree}", *(f"parent {p}" for p in parents)]
        lines += [f"author {ident}", f"committer {ident}"]
        data = ("\n".join(lines) + "\n\n" + message + "\n").encode()
        sha = self.git("hash-object", "-t", "commit", "-w", "--stdin", "--literally", input=data)
        self.git("update-ref", "HEAD", sha)
        return sha

    def _has_head(self) -> bool:
        try:
            self.git("rev-parse", "-q", "--verify", "HEAD")
        except subprocess.CalledProcessError:
            return False
        return True

    def town(self, march: dict | None = None) -> DataRepo:
        """The town's settings and its March, in the working tree (not yet committed)."""
        files = history_town().files()
        self.write(TOWN_FILE, files[TOWN_FILE])
        self.write(VILLAGES_FILE, files[VILLAGES_FILE])
        self.write(scores_path("2024-03"), csv_bytes(period_rows(march or MARCH)))
        return self


def corrected_town(root: Path) -> tuple[DataRepo, dict[str, str]]:
    """March published, April published, March corrected (东村 60 → 85), then re-saved as GBK."""
    repo = DataRepo(root).town()
    commits = {"march": repo.commit("录入2024年3月评分", "张会计", "2024-04-05T10:00:00+08:00")}
    repo.write(scores_path("2024-04"), csv_bytes(period_rows(APRIL)))
    commits["april"] = repo.commit("录入2024年4月评分", "李主任", "2024-05-06T16:30:00+08:00")
    repo.write(scores_path("2024-03"), csv_bytes(period_rows({**MARCH, "东村": 85})))
    commits["fix"] = repo.commit(
        "复议:东村和美家园建设分数更正为85\n\n依据镇评比小组2024年5月复议纪要。",
        "王书记",
        "2024-05-10T09:15:00+08:00",
    )
    rows = period_rows({**MARCH, "东村": 85})
    repo.write(scores_path("2024-03"), csv_bytes([rows[0], *reversed(rows[1:])], "gbk"))
    commits["resave"] = repo.commit("用WPS重新保存3月文件", "张会计", "2024-05-11T11:00:00+08:00")
    return repo, commits


def planned_repo(root: Path, commits: list) -> DataRepo:
    """A repository at `root` whose history is `commits` (generator.demo.Commit: message,
    author, date and the scores files each writes), made by real git commands."""
    repo = DataRepo(root)
    for commit in commits:
        for relative, data in sorted(commit.files.items()):
            repo.write(relative, data)
        repo.commit(commit.message, commit.author, commit.date)
    return repo

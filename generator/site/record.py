"""The published record (/data/record.json): which data commit a site was built from, and a
check that the next build's history still holds it (docs/data-format.md §2.1).

The record names the data commit, its committer time, each period's files (path, sha256 and
git blob id of the bytes the site was built from) and every rewrite accepted so far. It is
made from the data alone, so the same commit gives the same bytes. `flagboard build
--published URL_OR_PATH` reads the record of the site published before (a folder of that
site, a record file, or the site's http(s) address); if HEAD's history (any ancestry) no
longer holds its data commit (amend, rebase, force-push), the build is refused naming both
commits, unless the rewrite is accepted (--accept-rewrite): then the site says that data
published earlier was rewritten, when and for which periods, and the record carries that
notice forward to every later build.
"""

from __future__ import annotations

import hashlib
import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from generator import catalogue
from generator.layout import place
from generator.periods import is_year, year_of
from generator.periods import label as period_label
from generator.site.publish import DataFile

RECORD_PATH = "data/record.json"
FORMAT = 1
MAX_RECORD_BYTES = 8 * 1024 * 1024
TIMEOUT_SECONDS = 30
ABOUT = (
    "本站所依据的评分数据提交，以及各期评分文件的校验值（sha256 和 Git 的 blob 编号）；"
    "下一次生成网站时据此核对以前公布的数据有没有被改写（flagboard build --published）。"
)
NOTE = "本站所依据的数据提交和各期评分文件的校验值（核对以前公布的数据是否被改写）"
_HASH = re.compile(r"[0-9a-f]{40}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_PERIOD = re.compile(r"[0-9]{4}(-[0-9]{2})?")


class RecordUnavailable(Exception):
    """The record of the site published before cannot be read; the message says why."""


class Rewritten(Exception):
    """HEAD's history no longer holds the published data commit; the message names both."""


@dataclass(frozen=True)
class Previous:
    """The record of the site published before: where it was read, and the record itself
    (None: there is none there, so this is the first publication)."""

    where: str
    record: dict | None


@dataclass(frozen=True)
class Check:
    """What a build's record is checked against: the record published before, if asked for,
    and whether a rewrite of the history is accepted."""

    previous: Previous | None = None
    accept: bool = False

    @property
    def published_commit(self) -> str | None:
        """The data commit the site published before was built from, if it says."""
        found = self.previous.record if self.previous else None
        return (found or {}).get("data_commit")


def check_of(published: str | None, accept: bool) -> Check:
    """The check `flagboard build --published … [--accept-rewrite]` asks for."""
    if not published:
        return Check(None, accept)
    try:
        return Check(read_previous(published), accept)
    except RecordUnavailable as error:
        raise RecordUnavailable(catalogue.RECORD_UNREADABLE.template.format(reason=error)) from None


def recorded(check: Check, version: dict | None, scores: Path, held: bool | None) -> tuple:
    """(this build's record, what the check found in one line for the build's progress).

    `version`: the data version (revisions.data_version); `held`: whether HEAD's history
    holds the published data commit (None: no git repository). Raises Rewritten."""
    files = period_files(scores)
    rewrites = carried_rewrites(check.previous, version, files, held, check.accept)
    return make_record(version, files, rewrites), _checked(check, version, held)


def _checked(check: Check, version: dict | None, held: bool | None) -> str:
    previous = check.previous
    if previous is None:
        return "    没有指定上次发布的网站（--published），不核对历史是否被改写"
    if previous.record is None:
        return f"    上次发布的网站没有 {RECORD_PATH}：按首次发布处理"
    old = previous.record.get("data_commit")
    if not old:
        return "    上次发布的网站没有记下数据提交（当时不在 Git 仓库中生成），无从核对"
    if not held and not (version and version.get("commit") == old):
        return f"    已接受改写：上次发布依据的数据提交 {old[:7]} 不在现在的历史中，网站上会写明"
    return "    已核对：上次发布依据的数据提交仍在现在的 Git 历史中"


# -- the record of this build ----------------------------------------------------------------


def period_files(scores: Path) -> dict[str, list[dict]]:
    """Each period's and year's files as the site is built from them (the scores folder)."""
    found: dict[str, list[dict]] = {}
    root = Path(scores)
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
        relative = path.relative_to(root).as_posix()
        placed = place(relative)
        if placed is None:
            continue
        data = path.read_bytes()
        blob = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
        entry = {"path": relative, "sha256": hashlib.sha256(data).hexdigest(), "blob": blob}
        found.setdefault(placed.key, []).append(entry)
    return dict(sorted(found.items()))


def make_record(version: dict | None, files: dict, rewrites: list[dict]) -> dict:
    """This build's record; `version`: the data version (revisions.data_version) or None."""
    version = version or {}
    return {
        "about": ABOUT,
        "format": FORMAT,
        "data_commit": version.get("commit") or None,
        "committed": version.get("datetime"),
        "uncommitted": bool(version.get("uncommitted")),
        "periods": files,
        "rewrites": rewrites,
    }


def record_files(published: dict | None) -> list[DataFile]:
    """The record as the site publishes it (none for a plain Pelican build)."""
    return [record_file(published)] if published else []


def record_file(record: dict) -> DataFile:
    """/data/record.json: sorted keys, UTF-8, one line per value, the same bytes every time."""
    text = json.dumps(record, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
    return DataFile(RECORD_PATH, "record.json", NOTE, text.encode("utf-8"))


# -- the record published before ----------------------------------------------------------------


def read_previous(where: str) -> Previous:
    """The record at `where`: a published site's folder, a record file, or an http(s) address
    (of the site, or of the record itself)."""
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", where):
        return Previous(where, _fetched(where))
    path = Path(where)
    if path.is_dir():
        path = path / RECORD_PATH
        if not path.is_file():
            return Previous(where, None)
    elif not path.is_file():
        raise RecordUnavailable(f"找不到上次发布的网站或记录 {_quoted(where)}")
    try:
        with path.open("rb") as file:
            data = file.read(MAX_RECORD_BYTES + 1)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise RecordUnavailable(f"无法读取上次发布的记录 {_quoted(where)}：{reason}") from None
    return Previous(where, _parsed(data, where))


def _fetched(url: str) -> dict | None:
    if not url.startswith(("http://", "https://")):
        raise RecordUnavailable(f"上次发布的网站地址 {_quoted(url)} 应以 http:// 或 https:// 开头")
    target = url if url.endswith(".json") else url.rstrip("/") + "/" + RECORD_PATH
    request = urllib.request.Request(target, headers={"User-Agent": "flagboard"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            data = response.read(MAX_RECORD_BYTES + 1)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise RecordUnavailable(
            f"无法读取上次发布的记录 {_quoted(target)}：服务器答复 {error.code}"
        ) from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", None) or error
        raise RecordUnavailable(
            f"无法连接上次发布的网站 {_quoted(target)}：{_quoted(str(reason))}"
        ) from None
    return _parsed(data, target)


def _parsed(data: bytes, where: str) -> dict:
    """A record as read, checked field by field (it comes from outside)."""
    problem = f"上次发布的记录 {_quoted(where)} 不是 flagboard 写的 record.json"
    if len(data) > MAX_RECORD_BYTES:
        raise RecordUnavailable(f"{problem}（超过 {MAX_RECORD_BYTES // 1024 // 1024} MB）")
    try:
        record = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise RecordUnavailable(f"{problem}（不是 JSON）") from None
    if not _valid(record):
        raise RecordUnavailable(f"{problem}（缺少或写错了字段）")
    return record


def _valid(record) -> bool:
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        return False
    commit, periods = record.get("data_commit"), record.get("periods")
    if commit is not None and not (isinstance(commit, str) and _HASH.fullmatch(commit)):
        return False
    committed = record.get("committed")
    if committed is not None and not (isinstance(committed, str) and len(committed) <= 40):
        return False
    if not isinstance(periods, dict) or not all(_valid_period(k, v) for k, v in periods.items()):
        return False
    rewrites = record.get("rewrites")
    return isinstance(rewrites, list) and all(_valid_rewrite(r) for r in rewrites)


def _valid_period(key, files) -> bool:
    return (
        isinstance(key, str)
        and bool(_PERIOD.fullmatch(key))
        and isinstance(files, list)
        and all(
            isinstance(f, dict)
            and isinstance(f.get("path"), str)
            and _SHA256.fullmatch(str(f.get("sha256")))
            and _HASH.fullmatch(str(f.get("blob")))
            for f in files
        )
    )


def _valid_rewrite(rewrite) -> bool:
    if not isinstance(rewrite, dict):
        return False
    hashes = [rewrite.get("replaced"), rewrite.get("by")]
    times = [rewrite.get("replaced_committed"), rewrite.get("by_committed")]
    periods = rewrite.get("periods")
    return (
        all(isinstance(h, str) and _HASH.fullmatch(h) for h in hashes)
        and all(t is None or (isinstance(t, str) and len(t) <= 40) for t in times)
        and isinstance(periods, list)
        and all(isinstance(p, str) and _PERIOD.fullmatch(p) for p in periods)
    )


def _quoted(text: str) -> str:
    """At most 40 characters of what came from outside, in 「」."""
    text = "".join(c if c.isprintable() else "?" for c in text)
    return f"「{text[:40]}{'…' if len(text) > 40 else ''}」"


# -- the check ----------------------------------------------------------------------------------


def carried_rewrites(
    previous: Previous | None,
    version: dict | None,
    files: dict,
    held: bool | None,
    accept: bool,
) -> list[dict]:
    """The rewrites this build's record carries: the earlier ones, and one more when HEAD's
    history no longer holds the published data commit (`held` False) and that is accepted.

    Raises Rewritten when it is not accepted.
    """
    record = previous.record if previous else None
    if not record:
        return []
    earlier = list(record["rewrites"])
    old = record.get("data_commit")
    if not old or held or (version and version.get("commit") == old):
        return earlier
    version = version or {}
    new = version.get("commit")
    if not accept:
        raise Rewritten(_refusal(previous.where, record, version, held))
    if not new:
        return earlier
    rewrite = {
        "replaced": old,
        "replaced_committed": record.get("committed"),
        "by": new,
        "by_committed": version.get("datetime"),
        "periods": changed_periods(record["periods"], files),
    }
    return [*earlier, rewrite]


def changed_periods(published: dict, now: dict) -> list[str]:
    """Periods whose files differ from those published, or that are gone."""

    def sums(files: list[dict]) -> list[tuple[str, str]]:
        return sorted((f["path"], f["sha256"]) for f in files)

    return sorted(p for p, files in published.items() if sums(files) != sums(now.get(p, [])))


def _refusal(where: str, record: dict, version: dict, held: bool | None) -> str:
    old = f"{record['data_commit'][:7]}（{_day(record.get('committed'))}）"
    if held is None:
        return catalogue.HISTORY_UNCHECKED.template.format(where=_quoted(where), old=old)
    commit = version.get("commit")
    new = f"{commit[:7]}（{_day(version.get('datetime'))}）" if commit else "（还没有提交）"
    return catalogue.HISTORY_REWRITTEN.template.format(where=_quoted(where), old=old, new=new)


def _day(when: str | None) -> str:
    return when[:10] if when else "时间不明"


# -- what pages say -----------------------------------------------------------------------------


def rewrite_notices(rewrites: list[dict], period: str | None = None) -> list[dict]:
    """The sentences pages give for accepted rewrites (only those touching `period`, when
    given: a year is touched by its own file and its months'), oldest first."""
    found = []
    for rewrite in rewrites:
        if period is not None and not any(_touches(period, p) for p in rewrite["periods"]):
            continue
        periods = "、".join(period_label(p) for p in rewrite["periods"])
        changed = (
            f"与此前公布的相比，{periods}的评分数据不同或已删除"
            if periods
            else "各期评分数据与此前公布的相同，只是提交记录变了"
        )
        found.append(
            {
                "text": (
                    f"此前公布的数据被改写过：当时依据的数据提交 {rewrite['replaced'][:7]}"
                    f"（{_day(rewrite.get('replaced_committed'))}）已不在现在的 Git 历史中，"
                    f"由 {rewrite['by'][:7]}（{_day(rewrite.get('by_committed'))}）取代；"
                    f"{changed}。"
                ),
                "periods": rewrite["periods"],
            }
        )
    return found


def _touches(page: str, rewritten: str) -> bool:
    return rewritten == page or (is_year(page) and year_of(rewritten) == page)

"""Provenance on the site: a `History` → one `SiteHistory` record → page contexts; no I/O.

build.py reads the history (history/gitlog.py, the only module that imports git) and passes
`site_history(history)` to Pelican as the one setting FLAGBOARD_HISTORY; pages.py turns it
into template contexts with the functions below. Plain Pelican builds without it (an empty
SiteHistory: no data version, no revisions, /history/ says the history was not read).

Lists are in commit order, never sorted by date: a commit dated before one it follows (a clerk's
PC with a wrong clock, a rewritten history) keeps its place and carries `clock_note`, so that
a correction never reads as made before the publication it corrects. A time history/clock.py
found doubtful is shown as 时间存疑 with its reason, never as a date (publication.py says when
a period was first published). Text from git is shown without control or format characters
(history/ removes them; paths and change lines are cleaned here as well) and bounded
(messages.py; a period lists its latest revisions, /history/ pages hold a bounded amount).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from generator import catalogue
from generator.history.changes import clean_text
from generator.layout import TOWN_FILE, VILLAGES_FILE, place
from generator.periods import is_year
from generator.periods import label as period_label
from generator.routes import HISTORY
from generator.site.format import latest, period_url, year_url
from generator.site.messages import (
    SUBJECT_CHARS,
    bounded,
    chinese_punctuation,
    message_body,
    public_subject,
    signed,
)
from generator.site.publication import (
    DOUBT,
    commit_doubt,
    first_publication,
    publication,
    publication_doubt,
)
from generator.site.record import rewrite_notices
from generator.site.views import Page, SiteIndex

if TYPE_CHECKING:
    from generator.history.gitlog import Commit, DataVersion, History, PeriodHistory, PeriodRevision

HISTORY_URL = f"{HISTORY}/"
COMMITS_PER_PAGE = 40
PAGE_CHARS = 4000  # text on one /history/ page (see history_chunks)
FILES_LISTED = 60  # files named per commit on /history/
PATH_CHARS = 100
NOT_READ = "本次生成没有读取 Git 修订记录（用 .venv/bin/flagboard build 生成网站时才会读取）。"
STATUS_NAMES = {"added": "新增", "modified": "修改", "deleted": "删除", "renamed": "改名"}
FILE_NAMES = {TOWN_FILE: "评比设置", VILLAGES_FILE: "村名单"}
CLOCK_NOTE = "提交时间早于此前的提交，可能是电脑时钟有误；此处按提交顺序排列。"
# What a period's page lists of its revisions (the rest is on /history/), and of each.
REVISIONS_LISTED = 20
CHANGES_LISTED = 100
CHAIN_VALUES = 6  # a corrected cell's values in its △ title
WARNED_DOUBTS = 20  # doubtful commit times listed by `flagboard build`


# -- History → SiteHistory (what build.py passes to Pelican) ----------------------------------


@dataclass(frozen=True)
class SiteHistory:
    """Everything the site shows of the scores folder's git history, as plain data (it is
    pickled from the process that read it).

    data_version  {"commit", "short", "date", "datetime", "uncommitted", "label"} or None
    revisions     {period: [revision, ...]} oldest first; period "YYYY-MM" or "YYYY"
    outcomes      {period: {"outcome", "later", "note", "affected"}}
    period_dates  {period: ISO time of the commit that first published it}, only where that
                  time is not doubtful (publication.py is how pages read it)
    period_doubts {period: why the time of the commit that first published it is doubtful}
    restored      periods corrected and since put back as first published (no △ stands)
    record        {"available", "shallow", "note", "version", "commits"} for /history/,
                  or None when the history was not read
    published     the site's /data/record.json (site/record.py), set by `flagboard build`
    """

    data_version: dict | None = None
    revisions: dict = field(default_factory=dict)
    outcomes: dict = field(default_factory=dict)
    period_dates: dict = field(default_factory=dict)
    period_doubts: dict = field(default_factory=dict)
    restored: list = field(default_factory=list)
    record: dict | None = None
    published: dict | None = None

    @property
    def rewrites(self) -> list[dict]:
        """The rewrites of published data accepted so far (site/record.py)."""
        return (self.published or {}).get("rewrites", [])


def site_history(history: History) -> SiteHistory:
    """Every provenance slot the theme has, filled from one history read."""
    record = history_record(history)
    if not history.available:
        return SiteHistory(record=record)
    periods = history.periods
    # In a shallow clone the oldest commit read is only where the clone begins.
    cut = history.commits[-1].hash if history.shallow and history.commits else None
    firsts = {
        p: h.revisions[0].commit
        for p, h in periods.items()
        if h.revisions
        and h.revisions[0].commit.hash != cut
        and not h.revisions[0].commit.uncommitted
    }
    return SiteHistory(
        data_version=data_version(history.version),
        revisions={
            p: clock_notes([revision(r, cut) for r in h.revisions]) for p, h in periods.items()
        },
        outcomes=outcomes(periods),
        period_dates={p: c.date for p, c in firsts.items() if c.date and not c.doubt},
        period_doubts={p: publication_doubt(c.doubt) for p, c in firsts.items() if c.doubt},
        restored=[p for p, h in periods.items() if h.restored],
        record=record,
    )


def doubt_warnings(history: History, where: str) -> list[str]:
    """A line for `flagboard build` per data commit whose time is doubtful (the first
    WARNED_DOUBTS of them, oldest first, and how many more)."""
    doubtful = [c for c in reversed(history.commits) if c.doubt]
    lines = [
        catalogue.DOUBTFUL_TIME.at(where, short=c.short, reason=c.doubt).text()
        for c in doubtful[:WARNED_DOUBTS]
    ]
    if len(doubtful) > WARNED_DOUBTS:
        lines.append(f"……另有 {len(doubtful) - WARNED_DOUBTS} 次提交的时间存疑")
    return lines


def data_version(version: DataVersion | None) -> dict | None:
    if version is None:
        return None
    trusted = version.date and not version.doubt
    return {
        "commit": version.hash,
        "short": version.short,
        "date": version.date[:10] if trusted else None,
        "datetime": version.date if trusted else None,
        "uncommitted": version.uncommitted,
        "label": version.label,
        "doubt": DOUBT if version.doubt else None,
    }


def _commit(commit: Commit) -> dict:
    """A commit as pages show it; a doubtful time is given only in its note, never as a date."""
    doubtful = bool(commit.doubt)
    body, cut = message_body(commit.message[len(commit.subject) :])
    return {
        "commit": commit.hash,
        "short": commit.short,
        "date": None if doubtful else commit.day,
        "datetime": None if doubtful else commit.date,
        "doubt": commit_doubt(commit) if doubtful else None,
        "author": signed(commit),
        "subject": public_subject(commit.subject),
        "body": body,
        "cut": cut or len(commit.subject) > SUBJECT_CHARS,
        "uncommitted": commit.uncommitted,
    }


def _public(text: str) -> str:
    """A line the history modules wrote (a change, an outcome, a note), cleaned for a page."""
    return chinese_punctuation(clean_text(text, lines=False))


def revision(rev: PeriodRevision, cut: str | None = None) -> dict:
    """One revision of a period's files: who, when, why, and the lines it changed."""
    return _commit(rev.commit) | {
        "label": revision_label(rev, cut),
        "first": rev.first,
        "changed": rev.changed,
        "changes": [{"text": _public(line)} for line in rev.lines],
        "cells": [
            {"village_id": c.village_id, "category": c.category, "old": c.old, "new": c.new}
            for c in rev.cells
        ],
    }


def clock_notes(items: list[dict]) -> list[dict]:
    """Commits oldest first: each dated before one listed before it gets `clock_note`."""
    seen = None
    for item in items:
        item["clock_note"] = None
        if item.get("uncommitted") or not item.get("datetime"):
            continue
        when = datetime.fromisoformat(item["datetime"])
        if seen is not None and when < seen:
            item["clock_note"] = CLOCK_NOTE
        seen = when if seen is None else max(seen, when)
    return items


def correction_dates(revisions: dict, restored: list | tuple = ()) -> dict[str, str]:
    """Per period, the time of its last committed correction (a change to what it shows).

    Last in commit order; a correction dated before a revision it follows (a wrong clock)
    counts at the latest time before it, so it never reads as made before the publication. A
    doubtful time (no `datetime`) is not counted; a `restored` period shows no correction.
    """
    found = {}
    for period, revs in revisions.items():
        if period in restored:
            continue
        seen = None
        for r in revs:
            if r.get("uncommitted") or not r.get("datetime"):
                continue
            seen = latest([seen, r["datetime"]]) if seen else r["datetime"]
            if r.get("changed") and not r.get("first"):
                found[period] = seen
    return found


def revision_label(rev: PeriodRevision, cut: str | None = None) -> str:
    if rev.commit.uncommitted:
        return "未提交的修改"
    if rev.first:
        return "最早可见的版本" if rev.commit.hash == cut else "首次公布"
    return "更正" if rev.changed else "修订"


def outcomes(periods: dict[str, PeriodHistory]) -> dict[str, dict]:
    """Per period: its results changed by its corrections, other periods' changed by them,
    and (`affected`) the corrections of other periods that changed this one's results."""
    found: dict[str, dict] = defaultdict(
        lambda: {"outcome": [], "later": [], "note": None, "affected": []}
    )
    for period, history in periods.items():
        if history.outcome or history.later or history.outcome_note:
            entry = found[period]
            entry["outcome"] = [_public(c.text) for c in history.outcome]
            entry["later"] = [{"period": c.period, "text": _public(c.text)} for c in history.later]
            entry["note"] = _public(history.outcome_note) if history.outcome_note else None
        for change in history.later:
            text = _public(change.text)
            found[change.period]["affected"].append({"period": period, "text": text})
    return dict(sorted(found.items()))


def history_record(history: History) -> dict:
    """The /history/ page's data: every data commit, newest first, and each file's period."""
    periods = {
        (rev.commit.hash, f.path): period
        for period, h in history.periods.items()
        for rev in h.revisions
        for f in rev.files
    }
    oldest_first = [_listed_commit(c, periods) for c in reversed(history.commits)]
    return {
        "available": history.available,
        "shallow": history.shallow,
        "note": _public(history.note) if history.note else history.note,
        "version": data_version(history.version) if history.available else None,
        "commits": clock_notes(oldest_first)[::-1],  # newest first
    }


def _listed_commit(commit: Commit, periods: dict) -> dict:
    files = [
        {
            "status": f.status,
            "path": f.path,
            "old_path": f.old_path,
            "period": periods.get((commit.hash, f.path)),
        }
        for f in commit.files
    ]
    return _commit(commit) | {"files": files}


# -- settings → template contexts (what site.py hands the templates) ---------------------------


def cell_fixes(revisions: dict[str, list[dict]]) -> dict[tuple[str, str, str], dict]:
    """(period, village id, category id) → how a published cell was corrected since."""
    chains: dict[tuple[str, str, str], list] = {}
    for period, revs in revisions.items():
        for rev in revs:
            if rev.get("first"):
                continue
            for cell in rev.get("cells", ()):
                key = (period, cell["village_id"], cell["category"])
                chain = chains.setdefault(key, [[_blank(cell["old"])], True])
                chain[0].append(_blank(cell["new"]))
                chain[1] = chain[1] and bool(rev.get("uncommitted"))
    fixes = {}
    for key, (values, draft) in chains.items():
        if values[-1] == values[0]:
            continue  # corrected and put back: the cell shows what was first published
        label = "未提交的修改" if draft else "复议更正"
        fixes[key] = {"title": f"{label}：{_chain(values)}", "old": values[0]}
    return fixes


def _chain(values: list[str]) -> str:
    """A cell's values from first published to now; a long chain by its ends and its length."""
    if len(values) <= CHAIN_VALUES:
        return " → ".join(values)
    return f"{values[0]} → …（共更正{len(values) - 1}次）… → {values[-1]}"


def _blank(value: str | None) -> str:
    return "空" if value is None else value


def period_history(
    view: SiteIndex, period: str, history: SiteHistory, notice: dict | None = None
) -> dict:
    """A period or year page's 修订记录 (the `record` its templates pass to the fixnote and
    revisions macros): its revisions, changed outcomes, related periods, and when it was first
    published with the 复议 deadline that follows from it (`notice`: notice_settings)."""
    revs = history.revisions.get(period, [])
    entry = history.outcomes.get(period) or {}
    fixes = [r for r in revs if not r.get("first") and (r.get("changed") or "changed" not in r)]
    later = [{"period": _ref(view, c["period"]), "text": c["text"]} for c in entry.get("later", [])]
    affected = [
        {"period": _ref(view, c["period"]), "text": c["text"]} for c in entry.get("affected", [])
    ]
    restored = period in history.restored
    listed, omitted = listed_revisions(revs)
    return {
        "this": "本年度" if is_year(period) else "本期",
        "revisions": listed,
        "omitted": omitted,
        "corrected": fixes[-1] if fixes and not restored else None,
        "restored": restored,
        "draft": any(r.get("uncommitted") for r in revs),
        "outcome": entry.get("outcome", []),
        "later": later,
        "outcome_note": entry.get("note"),
        "affected": affected,
        "published": publication(first_publication(history, period), notice or {}),
    }


def listed_revisions(revs: list[dict]) -> tuple[list[dict], int]:
    """The revisions a period's page lists: the first publication and the latest ones, each
    with at most CHANGES_LISTED change lines; and how many revisions are left to /history/."""
    shown = revs if len(revs) <= REVISIONS_LISTED + 1 else [revs[0], *revs[-REVISIONS_LISTED:]]
    return [_bounded_changes(r) for r in shown], len(revs) - len(shown)


def _bounded_changes(rev: dict) -> dict:
    changes = rev.get("changes", [])
    if len(changes) <= CHANGES_LISTED:
        return rev
    more = {"text": f"……另有{len(changes) - CHANGES_LISTED}处改动，见这次提交"}
    return rev | {"changes": [*changes[:CHANGES_LISTED], more]}


# -- the public notice (公示): town.toml's [notice] ---------------------------------------------


def notice_settings(notice) -> dict:
    """The [notice] fields the town gave (a model.Notice), as plain data for FLAGBOARD_NOTICE:
    a review period is only stated when the town states it."""
    given = notice.model_dump(include=notice.model_fields_set)
    return {key: value for key, value in given.items() if value not in ("", None)}


def _ref(view: SiteIndex, period: str) -> dict:
    """A period or year with a link when the site has its page."""
    ref = {"period": period, "label": period_label(period), "url": None}
    if period in view.period_info:
        ref["url"] = period_url(period)
    elif period in view.year_info:
        ref["url"] = year_url(period)
    return ref


def history_pages(view: SiteIndex, history: SiteHistory) -> list[Page]:
    """/history/ (and /history/2/, … for long histories): every data commit, newest first."""
    record, revisions = history.record, history.revisions
    record = record or {"available": False, "shallow": False, "note": NOT_READ, "commits": []}
    commits = [_listed(view, c, revisions) for c in record["commits"]]
    chunks = history_chunks(commits)
    urls = [HISTORY_URL] + [f"{HISTORY_URL}{i + 1}/" for i in range(1, len(chunks))]
    pages = []
    for i, chunk in enumerate(chunks):
        context = {
            "history": record,
            "rewrites": rewrite_notices(history.rewrites),
            "commits": chunk,
            "total": len(commits),
            "previous": urls[i - 1] if i else None,
            "next": urls[i + 1] if i + 1 < len(urls) else None,
            "position": f"第{i + 1}页，共{len(urls)}页" if len(urls) > 1 else "",
        }
        suffix = f"（第{i + 1}页）" if i else ""
        pages.append(
            Page(
                "history",
                urls[i] + "index.html",
                urls[i],
                f"数据修订历史{suffix} · {view.town}红黄旗评比",
                f"{view.town}评分数据的每一次提交：什么时候、谁、为什么改了哪些文件。",
                context,
            )
        )
    return pages


def history_chunks(commits: list[dict]) -> list[list[dict]]:
    """The commits of each /history/ page: at most COMMITS_PER_PAGE, and at most PAGE_CHARS of
    text (messages, names, files), so that every page stays within its size budget."""
    chunks: list[list[dict]] = [[]]
    weight = 0
    for commit in commits:
        mine = _weight(commit)
        if chunks[-1] and (len(chunks[-1]) == COMMITS_PER_PAGE or weight + mine > PAGE_CHARS):
            chunks.append([])
            weight = 0
        chunks[-1].append(commit)
        weight += mine
    return chunks


def _weight(commit: dict) -> int:
    texts = [commit.get("subject") or "", commit.get("author") or "", *commit.get("body", ())]
    files = [f for g in commit.get("groups", ()) for f in g["files"]]
    return sum(map(len, texts)) + sum(len(f["label"]) + len(f["path"]) for f in files)


def _listed(view: SiteIndex, commit: dict, revisions: dict) -> dict:
    files = [_file(view, f, revisions) for f in commit["files"][:FILES_LISTED]]
    groups: dict[str, list[dict]] = {}
    for f in files:
        groups.setdefault(f["status"], []).append(f)
    more = len(commit["files"]) - len(files)
    return commit | {
        "groups": [{"status": STATUS_NAMES.get(s, s), "files": fs} for s, fs in groups.items()],
        "more_files": more,
    }


def _file(view: SiteIndex, file: dict, revisions: dict) -> dict:
    """A touched file by what it is (2024年3月评分表, 村名单), linked to its period's record."""
    period, path = file.get("period"), file["path"]
    if period:
        placed = place(path)
        kind = "事件表" if placed and placed.kind == "events" else "评分表"
        label = period_label(period) + ("年度评分表" if is_year(period) else kind)
    else:
        label = FILE_NAMES.get(path, clean_text(path, lines=False))
    ref = _ref(view, period) if period else {"url": None}
    url = ref["url"] + "#revisions" if ref["url"] and revisions.get(period) else None
    old = clean_text(file["old_path"], lines=False) if file.get("old_path") else None
    path = bounded(clean_text(path, lines=False), PATH_CHARS)
    old = bounded(old, PATH_CHARS) if old else None
    label = bounded(label, PATH_CHARS)
    return {"status": file["status"], "label": label, "path": path, "old_path": old, "url": url}

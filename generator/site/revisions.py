"""Provenance on the site: a `History` → one `SiteHistory` record → page contexts; no I/O.

build.py reads the history (history/gitlog.py, the only module that imports git) and passes
`site_history(history)` to Pelican as the one setting FLAGBOARD_HISTORY; pages.py turns it
into template contexts with the functions below. Plain Pelican builds without it (an empty
SiteHistory: no data version, no revisions, /history/ says the history was not read).

Lists are in commit order, never sorted by date: a commit dated before one it follows (a clerk's
PC with a wrong clock, a rewritten history) keeps its place and carries `clock_note`, so that
a correction never reads as made before the publication it corrects. Text from git is shown
without control or format characters (history.py removes them; paths and change lines are
cleaned here as well).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from generator.history.changes import clean_text
from generator.layout import TOWN_FILE, VILLAGES_FILE, place
from generator.periods import is_year
from generator.periods import label as period_label
from generator.routes import HISTORY
from generator.site.format import latest, period_url, year_url
from generator.site.views import Page, SiteIndex

if TYPE_CHECKING:
    from generator.history.gitlog import Commit, DataVersion, History, PeriodHistory, PeriodRevision

_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_REVERT = re.compile(r'Revert "(.*)"', re.S)
# Half-width punctuation → full-width, next to Chinese text (parentheses in pairs).
FULL_WIDTH = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
UPDATE = "数据更新"  # what an English-only commit subject is shown as
REVERTED = "撤销："  # what git's `Revert "…"` subject is shown as, before the reverted subject
_ITEM = re.compile(r"[-*•]\s|\d+(\.\s|[、)])")
HISTORY_URL = f"{HISTORY}/"
COMMITS_PER_PAGE = 40
NOT_READ = "本次生成没有读取 Git 修订记录（用 .venv/bin/flagboard build 生成网站时才会读取）。"
STATUS_NAMES = {"added": "新增", "modified": "修改", "deleted": "删除", "renamed": "改名"}
FILE_NAMES = {TOWN_FILE: "评比设置", VILLAGES_FILE: "村名单"}
CLOCK_NOTE = "提交时间早于此前的提交，可能是电脑时钟有误；此处按提交顺序排列。"


# -- History → SiteHistory (what build.py passes to Pelican) ----------------------------------


@dataclass(frozen=True)
class SiteHistory:
    """Everything the site shows of the scores folder's git history, as plain data (it is
    pickled from the process that read it).

    data_version  {"commit", "short", "date", "datetime", "uncommitted", "label"} or None
    revisions     {period: [revision, ...]} oldest first; period "YYYY-MM" or "YYYY"
    outcomes      {period: {"outcome", "later", "note", "affected"}}
    period_dates  {period: ISO time of the commit that first published it}
    record        {"available", "shallow", "note", "version", "commits"} for /history/,
                  or None when the history was not read
    """

    data_version: dict | None = None
    revisions: dict = field(default_factory=dict)
    outcomes: dict = field(default_factory=dict)
    period_dates: dict = field(default_factory=dict)
    record: dict | None = None


def site_history(history: History) -> SiteHistory:
    """Every provenance slot the theme has, filled from one history read."""
    record = history_record(history)
    if not history.available:
        return SiteHistory(record=record)
    periods = history.periods
    # In a shallow clone the oldest commit read is only where the clone begins.
    cut = history.commits[-1].hash if history.shallow and history.commits else None
    return SiteHistory(
        data_version=data_version(history.version),
        revisions={
            p: clock_notes([revision(r, cut) for r in h.revisions]) for p, h in periods.items()
        },
        outcomes=outcomes(periods),
        period_dates={
            p: h.revisions[0].commit.date
            for p, h in periods.items()
            if h.revisions and h.revisions[0].commit.date and h.revisions[0].commit.hash != cut
        },
        record=record,
    )


def data_version(version: DataVersion | None) -> dict | None:
    if version is None:
        return None
    return {
        "commit": version.hash,
        "short": version.short,
        "date": version.date[:10] if version.date else None,
        "datetime": version.date,
        "uncommitted": version.uncommitted,
        "label": version.label,
    }


def _commit(commit: Commit) -> dict:
    return {
        "commit": commit.hash,
        "short": commit.short,
        "date": commit.day,
        "datetime": commit.date,
        "author": commit.author,
        "message": commit.message,
        "subject": public_subject(commit.subject),
        "body": [
            chinese_punctuation(p)
            for p in paragraphs(commit.message[len(commit.subject) :])
            if not english(p)
        ],
        "uncommitted": commit.uncommitted,
    }


def public_subject(subject: str) -> str:
    """A commit subject as the public reads it, in Chinese: git's `Revert "…"` as 撤销：…,
    an English or empty subject as 数据更新 (the commit's link next to it shows the original)."""
    reverted = _REVERT.fullmatch(subject.strip())
    if reverted:
        return REVERTED + public_subject(reverted.group(1))
    if english(subject) or not subject.strip():
        return UPDATE
    return chinese_punctuation(subject)


def english(text: str) -> bool:
    """More Latin letters than Chinese characters: written for the developers, not the public."""
    return len(_LATIN.findall(text)) > len(_HAN.findall(text))


def chinese_punctuation(text: str) -> str:
    """Half-width , : ; ? ! and ( ) next to a Chinese character made full-width (a pair of
    parentheses when one of its four sides touches one), without the space written after a
    half-width mark; URLs, times and English text are left alone."""
    chars = list(text)
    pairs, opened = {}, []
    for i, ch in enumerate(chars):
        if ch == "(":
            opened.append(i)
        elif ch == ")" and opened:
            pairs[opened.pop()] = i
    for start, end in pairs.items():
        if any(_han_at(text, i) for i in (start - 1, start + 1, end - 1, end + 1)):
            chars[start], chars[end] = "（", "）"
    for i, ch in enumerate(text):
        if ch in ",:;?!" and (_han_at(text, i - 1) or _han_at(text, i + 1)):
            chars[i] = FULL_WIDTH[ch]
            if text[i + 1 : i + 2] == " ":  # a full-width mark carries its own space
                chars[i + 1] = ""
    return "".join(chars)


def _public(text: str) -> str:
    """A line the history modules wrote (a change, an outcome, a note), cleaned for a page."""
    return chinese_punctuation(clean_text(text, lines=False))


def _han_at(text: str, i: int) -> bool:
    return 0 <= i < len(text) and bool(_HAN.match(text[i]))


def paragraphs(text: str) -> list[str]:
    """A commit body's paragraphs, its hard-wrapped lines joined (no space between Chinese)."""
    found: list[str] = []
    joined = ""
    for line in (*text.strip().splitlines(), ""):
        line = line.strip()
        if joined and (not line or _ITEM.match(line)):  # a blank line or a list item
            found.append(joined)
            joined = ""
        if line and joined:
            wide = _CJK.match(joined[-1]) or _CJK.match(line[0])
            joined += ("" if wide else " ") + line
        elif line:
            joined = line
    return found


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


def correction_dates(revisions: dict) -> dict[str, str]:
    """Per period, the time of its last committed correction (a change to what it shows).

    Last in commit order; a correction dated before a revision it follows (a wrong clock)
    counts at the latest time before it, so it never reads as made before the publication.
    """
    found = {}
    for period, revs in revisions.items():
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
        shown = " → ".join(values)
        label = "未提交的修改" if draft else "复议更正"
        fixes[key] = {"title": f"{label}：{shown}", "old": values[0]}
    return fixes


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
    return {
        "this": "本年度" if is_year(period) else "本期",
        "revisions": revs,
        "corrected": fixes[-1] if fixes else None,
        "draft": any(r.get("uncommitted") for r in revs),
        "outcome": entry.get("outcome", []),
        "later": later,
        "outcome_note": entry.get("note"),
        "affected": affected,
        "published": publication(history.period_dates.get(period), notice or {}),
    }


# -- the public notice (公示): town.toml's [notice] ---------------------------------------------


def notice_settings(notice) -> dict:
    """The [notice] fields the town gave (a model.Notice), as plain data for FLAGBOARD_NOTICE:
    a review period is only stated when the town states it."""
    given = notice.model_dump(include=notice.model_fields_set)
    return {key: value for key, value in given.items() if value not in ("", None)}


def publication(first: str | None, notice: dict) -> dict:
    """When a period was first published (git's date of the commit, never the clock) and,
    when the town gives review_days, the 复议 sentence with its last day."""
    found = {"date": None, "datetime": first, "label": None, "review": None}
    if first:
        day = date.fromisoformat(first[:10])
        found |= {"date": day.isoformat(), "label": chinese_date(day)}
    days, to = notice.get("review_days"), notice.get("contact") or notice.get("issuer")
    if days and to:
        until = f"（截至{chinese_date(day + timedelta(days=days))}）" if first else ""
        found["review"] = f"如有异议，请于首次公布后{days}日内{until}向{to}申请复议。"
    return found


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


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
    chunks = [commits[i : i + COMMITS_PER_PAGE] for i in range(0, len(commits), COMMITS_PER_PAGE)]
    chunks = chunks or [[]]
    urls = [HISTORY_URL] + [f"{HISTORY_URL}{i + 1}/" for i in range(1, len(chunks))]
    pages = []
    for i, chunk in enumerate(chunks):
        context = {
            "history": record,
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


def _listed(view: SiteIndex, commit: dict, revisions: dict) -> dict:
    files = [_file(view, f, revisions) for f in commit["files"]]
    groups: dict[str, list[dict]] = {}
    for f in files:
        groups.setdefault(f["status"], []).append(f)
    return commit | {
        "groups": [{"status": STATUS_NAMES.get(s, s), "files": fs} for s, fs in groups.items()]
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
    path = clean_text(path, lines=False)
    return {"status": file["status"], "label": label, "path": path, "old_path": old, "url": url}

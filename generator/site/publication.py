"""When a period was first published, and until when 复议 may be asked for: the one place every
page, poster and feed takes these from (docs/data-format.md §2.1, Git history is evidence).

The date is the committer time of the commit that first published the period, read from git by
history/ (never the clock of the machine that builds). A time history/clock.py found doubtful
is never given as that date nor used to count a deadline: the page says it is doubtful and
why. No I/O.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.history.records import Commit
    from generator.site.revisions import SiteHistory
    from generator.townwords import TownWords

DOUBT = "提交时间存疑"


def first_publication(history: SiteHistory, period: str) -> dict:
    """{"datetime": the ISO time of the period's first publication, or None; "doubt": why its
    commit's time cannot be that date (a sentence), or None}."""
    return {
        "datetime": history.period_dates.get(period),
        "doubt": history.period_doubts.get(period),
    }


def publication(first: dict, notice: dict) -> dict:
    """A period's first publication (`first`: first_publication) as pages say it, and, when
    the town gives review_days, the 复议 sentence with its last day when that can be counted."""
    when, doubt = first.get("datetime"), first.get("doubt")
    found = {"date": None, "datetime": when, "label": None, "review": None, "doubt": doubt}
    day = date.fromisoformat(when[:10]) if when else None
    if day:
        found |= {"date": day.isoformat(), "label": chinese_date(day)}
    days, to = notice.get("review_days"), notice.get("contact") or notice.get("issuer")
    if days and to:
        until = f"（截至{chinese_date(day + timedelta(days=days))}）" if day else ""
        found["review"] = f"如有异议，请于首次公布后{days}日内{until}向{to}申请复议。"
    return found


def correction_review(day: date | None, notice: dict) -> str | None:
    """The 复议 sentence for results a correction changed, counted from the correction's day
    (None: its time is doubtful, and no last day is given)."""
    days, to = notice.get("review_days"), notice.get("contact") or notice.get("issuer")
    if not to:
        return None
    if days and day:
        until = chinese_date(day + timedelta(days=days))
        return f"如对这一变化有异议，请于更正后{days}日内（截至{until}）向{to}申请复议。"
    return f"如对这一变化有异议，请向{to}申请复议。"


def appeal_steps(notice: dict, words: TownWords) -> list[dict]:
    """How a result becomes final, for /rules/: 复核 before publication, 复议 on request within
    the town's review days (town.toml's [notice]), the 班子会's decision; and how to apply."""
    days, to = notice.get("review_days"), notice.get("contact") or notice.get("issuer")
    where = f"向{to}" if to else f"向{words.office}"
    within = f"在该期结果首次公布后{days}日内" if days else ""
    return [
        {
            "step": "复核",
            "text": f"每月现场考评后，由{words.phrase('镇督查室')}牵头，会同各办负责人对考评结果"
            "进行复核，复核后的结果在本网站公布，并张贴公示。",
        },
        {
            "step": "复议",
            "text": f"对公布的结果有异议的村，可{within}{where}申请复议。"
            + (
                "每期结果页、村页、公示和公众号文章都写明了首次公布的日期和复议截止日期。"
                if days
                else ""
            )
            + "申请时写明村名、哪个月、哪个项目，以及异议的内容和理由，附上能说明情况的材料。",
        },
        {
            "step": "班子会",
            "text": f"复议意见提请{words.phrase('镇班子会')}讨论，确定最终结果。结果有改变的，"
            f"{words.office}更正当月数据后重新发布：更正过的分数标 △，当月「修订记录」写明改了"
            "什么和依据；更正使其他村的红黄旗、奖罚或处理措施随之改变的，那些村的页面也注明"
            "变化和日期" + (f"，这些村可在更正之日起{days}日内申请复议。" if days else "。"),
        },
    ]


def publication_doubt(reason: str) -> str:
    """The sentence a page gives for a first publication whose commit time is doubtful."""
    return f"{DOUBT}（{reason}），不作为首次公布时间"


def commit_doubt(commit: Commit) -> str:
    """The note beside a commit whose time is doubtful (revisions, /history/)."""
    recorded = f"记为{commit.date[:16].replace('T', ' ')}；" if commit.date else ""
    return f"{DOUBT}（{recorded}{commit.doubt}），不作为公布或更正的时间。"


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"

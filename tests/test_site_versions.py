"""Which data version each page names (generator/site/versions.py): the newest commit that
touched the settings or a period up to the page's own, so that a new month leaves every earlier
period's pages as they were while every number stays traceable to a commit that holds it."""

from __future__ import annotations

from generator.history.gitlog import Commit, FileChange
from generator.site.versions import change_scope, period_order, period_versions


def commit(name: str, *paths: str, renamed_from: str | None = None, uncommitted=False) -> Commit:
    files = tuple(
        FileChange("renamed" if renamed_from else "modified", p, renamed_from) for p in paths
    )
    date = None if uncommitted else f"2024-0{len(name) % 9 + 1}-01T10:00:00+08:00"
    digest = "" if uncommitted else (name * 40)[:40]
    short = "未提交" if uncommitted else digest[:7]
    return Commit(digest, short, date, date, "张会计", name, files, uncommitted)


# newest first, as History.commits lists them
SETTINGS = commit("a", "town.toml", "villages.csv", "2024/2024-01.csv")
FEBRUARY = commit("b", "2024/2024-02.csv", "2024/2024-02.events.csv")
MARCH = commit("c", "2024/2024-03.csv")
FIX_FEBRUARY = commit("d", "2024/2024-02.csv")
ANNUAL = commit("e", "2024/2024-annual.csv")
README = commit("f", "README.md")
JANUARY_2025 = commit("g", "2025/2025-01.csv")


def versions(*commits: Commit):
    settings, by_period = period_versions(list(reversed(commits)))
    short = {k: v["label"] if v["uncommitted"] else v["commit"][:1] for k, v in by_period.items()}
    return settings, short


def test_a_period_names_the_newest_commit_up_to_it_and_a_later_month_changes_nothing():
    settings, by_period = versions(SETTINGS, FEBRUARY, MARCH)
    assert by_period == {"2024-01": "a", "2024-02": "b", "2024-03": "c"}
    assert (
        settings["commit"] == SETTINGS.hash
        and settings["label"] == f"{SETTINGS.short} · 2024-02-01"
    )


def test_a_correction_shows_in_its_period_and_every_later_one_never_an_earlier_one():
    _, by_period = versions(SETTINGS, FEBRUARY, MARCH, FIX_FEBRUARY)
    assert by_period == {"2024-01": "a", "2024-02": "d", "2024-03": "d"}


def test_a_year_comes_after_its_december_and_before_the_next_january():
    assert period_order("2024-12") < period_order("2024") < period_order("2025-01")
    _, by_period = versions(SETTINGS, FEBRUARY, ANNUAL, JANUARY_2025)
    assert by_period == {"2024-01": "a", "2024-02": "b", "2024": "e", "2025-01": "g"}


def test_a_settings_change_shows_everywhere_and_a_readme_nowhere():
    changed = commit("h", "town.toml")
    settings, by_period = versions(SETTINGS, FEBRUARY, MARCH, changed, README)
    assert set(by_period.values()) == {"h"} and settings["commit"] == changed.hash
    assert change_scope("README.md") is None and change_scope("notes/说明.md") is None
    assert change_scope("2024/odd.csv") == (0, 0)  # a file of no period: every page, to be safe


def test_a_renamed_file_shows_from_the_earlier_of_its_two_periods():
    moved = commit("i", "2024/2024-03.csv", renamed_from="2024/2024-02.csv")
    _, by_period = versions(SETTINGS, FEBRUARY, MARCH, moved)
    assert by_period == {"2024-01": "a", "2024-02": "i", "2024-03": "i"}


def test_uncommitted_changes_are_said_with_the_commit_they_are_based_on():
    draft = commit("", "2024/2024-03.csv", uncommitted=True)
    _, by_period = versions(SETTINGS, FEBRUARY, MARCH, draft)
    assert by_period["2024-02"] == "b"
    assert by_period["2024-03"] == f"未提交的修改，基于 {MARCH.hash[:7]}"

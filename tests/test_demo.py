"""generator.demo: deterministic synthetic towns and their office's history; and whatever town
the repository's scores/ holds validates (the one test that reads it: a town that replaces the
demo with its own data keeps a passing suite)."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from _history_helpers import planned_repo

from generator.cli import main
from generator.demo import (
    CLERK,
    OFFICE,
    county_files,
    demo_files,
    demo_history,
    demo_plan,
    months,
    other_files,
    other_history,
)
from generator.layout import SETTINGS_FILES, annual_path, place, scores_path
from generator.periods import year_of

ROOT = Path(__file__).resolve().parents[1]
SMALL_COUNTY = {"villages": 60, "periods": 26, "grids": 3}
HALF_WIDTH_NEXT_TO_CHINESE = re.compile(r"[\u4e00-\u9fff][,:;()?!]|[,:;()?!][\u4e00-\u9fff]")


def text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text(data), newline="")))


def records(data: bytes) -> list[dict[str, str]]:
    header, *body = rows(data)
    return [dict(zip(header, row, strict=True)) for row in body]


# --- determinism ----------------------------------------------------------------


def test_same_seed_gives_the_same_bytes():
    assert demo_files() == demo_files()
    assert county_files(**SMALL_COUNTY, seed=7) == county_files(**SMALL_COUNTY, seed=7)


def test_another_seed_gives_other_scores():
    one, other = demo_files(1), demo_files(2)
    assert one["town.toml"] == other["town.toml"]
    assert one[scores_path("2023-05")] != other[scores_path("2023-05")]


def test_cli_writes_the_demo_and_removes_stale_files(tmp_path):
    out = tmp_path / "scores"
    (out / "2019").mkdir(parents=True)
    (out / "2019" / "2019-01.csv").write_text("村名\n")
    (out / "README.md").write_text("kept")
    done = subprocess.run(
        [sys.executable, "-m", "generator.demo", "demo", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "已写入" in done.stdout
    written = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.csv")}
    written["town.toml"] = (out / "town.toml").read_bytes()
    assert written == demo_files()
    assert not (out / "2019").exists()
    assert (out / "README.md").read_text() == "kept"


def test_whatever_the_repositorys_scores_folder_holds_validates(capsys):
    """The demo town, or the town that replaced it: errors fail, warnings are allowed."""
    assert main(["validate", "--scores", str(ROOT / "scores")]) == 0, capsys.readouterr().err


# --- the office's history of a town -----------------------------------------------------


def final_state(history) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for commit in history:
        files.update(commit.files)
    return files


@pytest.mark.parametrize(
    "history, files, office, level",
    [(demo_history, demo_files, OFFICE, "镇"), (other_history, other_files, "乡党政办", "乡")],
)
def test_history_commits_the_town_month_by_month_and_corrects_one_cell(
    history, files, office, level
):
    commits, generated = history(), files()
    assert [c.date for c in commits] == sorted(c.date for c in commits)
    assert (commits[0].author, sorted(commits[0].files)) == (office, sorted(SETTINGS_FILES))
    assert {c.author for c in commits[1:]} == {CLERK}
    fixes = [c for c in commits if c.message.startswith("复议更正：")]
    assert len(fixes) == 1 and len(fixes[0].files) == 1
    final = final_state(commits)
    assert set(final) == set(generated)
    (path,) = [p for p in final if final[p] != generated[p]]
    assert path in fixes[0].files
    changed = [
        (a, b)
        for a, b in zip(sum(rows(generated[path]), []), sum(rows(final[path]), []), strict=True)
        if a != b
    ]
    assert len(changed) == 1 and f"{changed[0][0]} 改为 {changed[0][1]}" in fixes[0].message
    assert f"经{level}评比工作小组复核" in fixes[0].message  # the town's own level
    assert sum(path in c.files for c in commits) == 2


def test_each_period_is_committed_by_itself_a_few_days_after_it_ends():
    for commit in demo_history()[1:]:
        keys = {place(p).key for p in commit.files}
        assert len(keys) == 1, commit.message
        (key,) = keys
        end = months(key, 2)[1] if len(key) == 7 else f"{int(key) + 1}-01"
        assert end <= commit.date[:7] <= months(end, 2)[1], commit.message
        if not commit.message.startswith("复议"):
            assert re.fullmatch(r"\d{4}年(\d{1,2}月|度)评分", commit.message)


def test_history_messages_are_chinese_with_full_width_punctuation():
    for commit in demo_history() + other_history():
        assert not HALF_WIDTH_NEXT_TO_CHINESE.search(commit.message), commit.message
        commit.message.encode("gbk")


def test_planned_repo_replays_the_history_with_real_git(tmp_path):
    commits = other_history()
    repo = planned_repo(tmp_path / "town", commits)
    log = repo.git("log", "--reverse", "--format=%an|%aI|%s").splitlines()
    assert log == [f"{c.author}|{c.date}|{c.message.splitlines()[0]}" for c in commits]
    written = {
        p.relative_to(repo.scores).as_posix(): p.read_bytes()
        for p in repo.scores.rglob("*")
        if p.is_file()
    }
    assert written == final_state(commits)
    assert repo.git("status", "--porcelain") == ""


def test_the_other_town_differs_from_the_demo_in_names_grids_sizes_and_months():
    other, demo = other_files(), demo_files()
    town = tomllib.loads(other["town.toml"].decode("utf-8"))
    demo_town = tomllib.loads(demo["town.toml"].decode("utf-8"))
    assert town["town"] != demo_town["town"]
    assert len(town["grids"]) != len(demo_town["grids"])
    assert {g["id"] for g in town["grids"]}.isdisjoint(g["id"] for g in demo_town["grids"])
    names = {v["村名"] for v in records(other["villages.csv"])}
    assert 12 <= len(names) <= 40 and names.isdisjoint(v.name for v in demo_plan().villages)
    assert min(periods(other)) != min(periods(demo))


def test_the_other_town_gives_every_kind_of_event_and_action():
    from generator.load import load_files
    from generator.rules import compute

    data = load_files(other_files(), "other")
    assert set(data.events["event"]) == {"meeting", "veto", "bonus", "deduction"}
    actions = set(compute(data).actions["action"])
    assert {"interview", "warning", "downgrade", "priority"} <= actions


# --- the demo town's properties -----------------------------------------------------


@pytest.fixture(scope="module")
def demo() -> dict[str, bytes]:
    return demo_files()


@pytest.fixture(scope="module")
def town(demo) -> dict:
    return tomllib.loads(demo["town.toml"].decode("utf-8"))


def kind(path: str) -> str | None:
    """'scores', 'events' or 'annual' for a period's file; None for the settings files."""
    placed = place(path)
    return placed.kind if placed else None


def periods(files: dict[str, bytes]) -> list[str]:
    return sorted(place(path).key for path in files if kind(path) == "scores")


def test_demo_has_three_grids_and_a_plausible_number_of_villages(demo, town):
    assert [g["id"] for g in town["grids"]] == ["east", "west", "north"]
    villages = records(demo["villages.csv"])
    assert 24 <= len(villages) <= 36
    assert all(v["村名"].endswith("村") for v in villages)
    assert all(len(v["编号"]) == 12 and v["编号"].isdigit() for v in villages)
    assert {v["网格"] for v in villages} == {g["name"] for g in town["grids"]}


def test_demo_spans_two_calendar_years_and_skips_spring_festival(demo):
    months = periods(demo)
    assert len(months) >= 20
    assert {"2023", "2024"} <= {year_of(m) for m in months}
    assert "2024-01" in months and "2024-03" in months and "2024-02" not in months
    assert not any(placed and placed.key == "2024-02" for placed in map(place, demo))


def test_demo_has_merged_and_new_villages(demo):
    villages = records(demo["villages.csv"])
    ended = [v for v in villages if v["终止月份"]]
    started = [v for v in villages if v["起始月份"]]
    assert len(ended) == 2 and ended[0]["终止月份"] == ended[1]["终止月份"]
    assert len(started) == 2
    merge_month = months(ended[0]["终止月份"], 2)[1]
    assert merge_month in {v["起始月份"] for v in started}


def test_every_active_village_appears_once_per_period(demo):
    villages = records(demo["villages.csv"])
    for month in periods(demo):
        header, *body = rows(demo[scores_path(month)])
        active = [
            v[header[0]]
            for v in villages
            if (v["起始月份"] or month) <= month <= (v["终止月份"] or month)
        ]
        assert sorted(row[0] for row in body) == sorted(active), month


def test_demo_categories_and_annual_files(demo, town):
    names = {c["kind"]: [] for c in town["categories"]}
    for c in town["categories"]:
        names[c["kind"]].append(c["name"])
    headers = {m: rows(demo[scores_path(m)])[0] for m in periods(demo)}
    assert all(set(names["monthly"]) <= set(h) for h in headers.values())
    for optional in names["optional"]:
        having = [m for m, h in headers.items() if optional in h]
        assert 0 < len(having) < len(headers), optional
    for year in ("2023", "2024"):
        assert rows(demo[annual_path(year)])[0][1:] == names["annual"]


def test_demo_has_files_keyed_by_name_and_by_id(demo):
    first = {rows(demo[scores_path(m)])[0][0] for m in periods(demo)}
    assert first == {"村名", "编号"}


def test_demo_scores_are_valid_numbers_with_ties_and_gaps(demo):
    cells = [
        cell
        for month in periods(demo)
        for row in rows(demo[scores_path(month)])[1:]
        for cell in row[1:]
    ]
    numbers = [float(c) for c in cells if c]
    assert all(0 <= n <= 100 for n in numbers)
    assert all(len(c.partition(".")[2]) <= 2 for c in cells)
    assert sum(n == int(n) for n in numbers) > len(numbers) / 2
    assert any(c.endswith(".5") for c in cells)
    assert 0 < cells.count("") < len(cells) / 20


def test_demo_files_are_saved_as_excel_does(demo):
    csvs = {name: data for name, data in demo.items() if name.endswith(".csv")}
    with_bom = [n for n, d in csvs.items() if d.startswith(b"\xef\xbb\xbf")]
    gbk_only = [n for n, d in csvs.items() if not _is_utf8(d)]
    assert with_bom and gbk_only and len(with_bom) + len(gbk_only) == len(csvs)
    assert any(kind(n) == "events" for n in gbk_only)
    for name in gbk_only:
        second_header = csvs[name].decode("gb18030").split(",")[1]
        assert second_header in ("事件", "党建引领发展", "党风廉政建设"), name
    for name, data in csvs.items():
        assert data.count(b"\r\n") == data.count(b"\n") > 0, name


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def test_demo_events_of_every_kind_are_well_formed(demo):
    events = [
        (name, event)
        for name, data in demo.items()
        if kind(name) == "events"
        for event in records(data)
    ]
    kinds = {event["事件"] for _, event in events}
    assert kinds == {"现场会", "一票否决", "加分", "扣分"}
    for name, event in events:
        assert event["说明"], name
        if event["事件"] in ("现场会", "一票否决"):
            assert event["分值"] == ""
        else:
            assert float(event["分值"]) > 0
        assert (event["类别"] == "") == (event["事件"] == "一票否决")
        if event["类别"]:
            header = rows(demo[scores_path(place(name).key)])[0]
            assert event["类别"] in header, name


def test_demo_changes_its_rules_once(town):
    rules = town["rules"]
    assert [r["from"] for r in rules] == ["2023-05", "2024-01"]
    assert rules[0]["reward_tiers"] != rules[1]["reward_tiers"]


# --- with the loader and the rules --------------------------------------------------


def test_demo_town_loads(demo_town):
    load = pytest.importorskip("generator.load")
    data = load.load(demo_town)
    assert data.town.town == "花木镇"
    assert len(data.periods) == len(periods(demo_files()))
    assert set(data.events["event"]) == {"meeting", "veto", "bonus", "deduction"}
    assert sorted(data.annual["year"].unique()) == ["2023", "2024"]


def test_demo_town_gives_every_kind_of_action(demo_town):
    pytest.importorskip("generator.load")
    rules = pytest.importorskip("generator.rules")
    from generator.load import load

    results = rules.compute(load(demo_town))
    assert set(results.actions["action"]) == {
        "interview",
        "warning",
        "suspension",
        "downgrade",
        "star_loss",
        "priority",
    }
    assert "meeting" in set(results.flags["basis"].dropna())


def test_small_county_loads():
    load = pytest.importorskip("generator.load")
    files = county_files(**SMALL_COUNTY, seed=3)
    data = load.load_files(files, "county")
    assert len(data.villages) == 60 and len(data.town.grids) == 3
    assert len(data.periods) == 26
    assert sorted(data.annual["year"].unique()) == ["2015", "2016"]
    assert len(data.town.rules) == 1

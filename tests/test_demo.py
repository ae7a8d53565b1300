"""generator.demo: deterministic synthetic towns, and the demo town committed in scores/."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from generator.demo import county_files, demo_files, is_scores_file, months
from generator.layout import annual_path, place, scores_path
from generator.periods import year_of

ROOT = Path(__file__).resolve().parents[1]
SCORES = ROOT / "scores"
SMALL_COUNTY = {"villages": 60, "periods": 26, "grids": 3}


def committed() -> dict[str, bytes]:
    """The scores files of the committed demo town, keyed like generator.demo's output."""
    return {
        path.relative_to(SCORES).as_posix(): path.read_bytes()
        for path in sorted(SCORES.rglob("*"))
        if path.is_file() and is_scores_file(path.relative_to(SCORES).as_posix())
    }


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


def test_the_committed_demo_town_is_the_generators_with_the_offices_corrections():
    """scores/ is what `python -m generator.demo demo scores` writes; the office may add months
    and correct a few cells in later commits (the demo site shows those corrections)."""
    mine, theirs = demo_files(), committed()
    assert set(mine) <= set(theirs)
    for path, data in mine.items():
        if data == theirs[path]:
            continue
        assert path.endswith(".csv") and not path.endswith("villages.csv"), path
        generated, kept = rows(data), rows(theirs[path])
        assert [r[0] for r in generated] == [r[0] for r in kept], path
        cells = zip(sum(generated, []), sum(kept, []), strict=True)
        changed = sum(a != b for a, b in cells)
        assert changed <= 2, path


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


def test_committed_scores_load():
    from generator.load import load

    assert load(SCORES).periods


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

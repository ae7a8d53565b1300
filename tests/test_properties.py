"""Property tests: flagboard's rules against bench/naive.py on random towns, and invariants.

How many towns each test draws depends on the hypothesis profile (tests/conftest.py): `ci` runs
the counts written here, `dev` a quick few.
"""

from __future__ import annotations

import csv
import io
import random
from collections import defaultdict

import pandas as pd
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from naive import judge
from towns import Town

from generator.load import Dataset, load_files
from generator.periods import is_year, year_of
from generator.results import table_csv
from generator.rules import Results, compute

SCORES = [None, 40, 55.5, 60, 60, 70, 75.25, 80, 80, 90, 99]
MONTHS = [f"{y}-{m:02d}" for y in (2023, 2024) for m in range(1, 13)]


@st.composite
def towns(draw) -> Town:
    rnd = random.Random(draw(st.integers(0, 2**32)))
    town = Town(grids=["g1", "g2"])
    sizes = [draw(st.integers(1, 7)), draw(st.integers(0, 6))]
    town.villages = [
        (f"v{g}{i}", grid)
        for g, (grid, n) in enumerate(zip(town.grids, sizes, strict=True))
        for i in range(n)
    ]
    months = sorted(draw(st.sets(st.sampled_from(MONTHS), min_size=1, max_size=8)))
    late = draw(st.sampled_from([None, *months]))
    if late and len(town.villages) > 1:  # a village that joins late, one that leaves
        vid, grid = town.villages[-1]
        town.villages[-1] = (vid, grid, late, "")
        vid, grid = town.villages[0]
        town.villages[0] = (vid, grid, "", late)
    town.rules = [
        {
            "from": "2023-01",
            "red_count": draw(st.integers(1, 3)),
            "yellow_count": draw(st.integers(1, 3)),
            "reward_tiers": [1000, 3000, 5000][: draw(st.integers(1, 3))],
        }
    ]
    if draw(st.booleans()):
        town.rules.append(
            {
                "from": draw(st.sampled_from(MONTHS[1:])),
                "red_count": 2,
                "yellow_count": 2,
                "penalty_tiers": [500],
            }
        )
    for month in months:
        active = [v[0] for v in town.villages if _active(v, month)]
        optional = rnd.random() < 0.3
        columns = ["甲项", "乙项", *(["可选项"] if optional else [])]
        scores = {v: [rnd.choice(SCORES) for _ in columns] for v in active}
        if active and all(cell is None for row in scores.values() for cell in row):
            scores[active[0]][0] = 50  # a file without any score is refused (RULES.md §2.1)
        town.month(month, scores, columns)
        for v in active:
            _events(town, rnd, month, v, dict(zip(columns, scores[v], strict=True)))
    for year in {year_of(m) for m in months}:
        if rnd.random() < 0.5:
            town.annual[year] = {
                v[0]: [rnd.choice(SCORES)]
                for v in town.villages
                if any(_active(v, m) for m in MONTHS if year_of(m) == year)
            }
    return town


def _active(village: tuple, month: str) -> bool:
    start = village[2] if len(village) > 2 else ""
    end = village[3] if len(village) > 3 else ""
    return (not start or start <= month) and (not end or month <= end)


def _events(town: Town, rnd: random.Random, month: str, village: str, cells: dict) -> None:
    roll = rnd.random()
    category = rnd.choice(list(cells))
    if roll < 0.06:
        town.event(month, village, "一票否决", "", "", "事故")
    elif roll < 0.12:
        town.event(month, village, "现场会", category, "", "现场会")
    elif roll < 0.2 and cells[category] is not None:
        kind = rnd.choice(["加分", "扣分"])
        town.event(month, village, kind, category, rnd.choice(["0.5", "2", "10.25", "20"]), "调整")


def published(results) -> dict[str, list[list[str]]]:
    return {
        name: list(csv.reader(io.StringIO(table_csv(results, name))))[1:]
        for name in ("flags", "rewards", "actions", "grid_averages")
    }


def check_against_reference(town: Town) -> tuple[Dataset, Results]:
    """The four published tables equal the reference implementation's (bench/naive.py: the
    rules as plain loops), reasons included; the data and results, for more checks."""
    data = town.load()
    results = compute(data)
    mine = published(results)
    expected = judge(data)
    for name in ("flags", "rewards", "actions", "grid_averages"):
        assert mine[name] == expected[name], name
    return data, results


@settings(max_examples=examples(150))
@given(towns())
def test_rules_match_the_reference_implementation(town: Town):
    check_against_reference(town)


@settings(max_examples=examples(40))
@given(towns(), st.randoms(use_true_random=False))
def test_shuffling_rows_changes_nothing(town: Town, rnd: random.Random):
    files = town.files()
    shuffled = {}
    for path, data in files.items():
        lines = data.decode().splitlines()
        if path.endswith(".csv"):
            body = lines[1:]
            rnd.shuffle(body)
            lines = [lines[0], *body]
        shuffled[path] = ("\n".join(lines) + "\n").encode()
    original = published(compute(load_files(files)))
    assert published(compute(load_files(shuffled))) == original


@settings(max_examples=examples(150))
@given(towns())
def test_invariants(town: Town):
    data = town.load()
    results = compute(data)
    flags = results.flags
    # one row per village, category and period: no village is both red and yellow
    assert not flags.duplicated(["period", "village_id", "category"]).any()
    rewards = results.rewards
    assert (rewards["net"] == rewards["reward"] - rewards["penalty"]).all()
    # every group with at least red_count red-eligible villages has at least red_count red flags
    vetoes, meetings = event_villages(data.events)
    for (period, _grid, category), group in flag_groups(flags).items():
        rule = data.rule_for(period)
        if is_year(period):  # a veto in any month of the year
            vetoed = set().union(*(v for m, v in vetoes.items() if year_of(m) == period))
        else:
            vetoed = vetoes[period]
        meeting = meetings[period, category]
        eligible = [r for r in group if pd.notna(r.score) and r.village_id not in vetoed | meeting]
        by_rank = [r for r in group if r.flag == "red" and r.basis == "rank"]
        if len(eligible) >= rule.red_count:
            assert len(by_rank) >= rule.red_count
        assert not any(r.flag == "red" for r in group if r.village_id in vetoed)


def flag_groups(flags: pd.DataFrame) -> dict[tuple[str, str, str], list]:
    """Flag rows by (period, grid, category), as plain tuples: cheap to test one by one."""
    groups = defaultdict(list)
    for row in flags.itertuples(index=False):
        groups[row.period, row.grid, row.category].append(row)
    return groups


def event_villages(events: pd.DataFrame) -> tuple[defaultdict, defaultdict]:
    """Villages vetoed by month, and villages hosting a meeting by (month, category)."""
    vetoes, meetings = defaultdict(set), defaultdict(set)
    for row in events.itertuples(index=False):
        if row.event == "veto":
            vetoes[row.period].add(row.village_id)
        elif row.event == "meeting":
            meetings[row.period, row.category].add(row.village_id)
    return vetoes, meetings


@given(st.lists(st.integers(-(10**9), 10**9), min_size=1, max_size=50))
def test_column_number_format_equals_the_single_value_format(hundredths):
    import pandas as pd

    from generator.load.cells import format_points
    from generator.results import points_text

    column = pd.Series([h / 100 for h in hundredths], dtype="Float64")
    assert points_text(column).tolist() == [format_points(h) for h in hundredths]

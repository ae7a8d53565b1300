"""The fast path of `flagboard compute`: tables coded inside, the same text tables outside.

Dataset and Results keep their large tables coded (texts as categoricals, whole numbers in 32
bits); the rules rank each group of cells after one sort; the writer joins rows from columns
made into fewer pieces. These tests hold each of those to the plain definition it replaces.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from towns import Town

from generator.columnar import Ranking, competition_rank, order_by
from generator.load.dataset import as_text, narrow
from generator.results import Column, column_text, row_texts, write_results

STRING, STR = pd.StringDtype(), pd.StringDtype(na_value=np.nan)


def small_town() -> Town:
    town = Town(grids=["g1", "g2"])
    town.villages = [("v1", "g1"), ("v2", "g1"), ("v3", "g1"), ("v4", "g2"), ("v5", "g2")]
    town.month("2024-01", {"v1": [90, 70], "v2": [80, 60], "v3": [None, 50], "v4": 70, "v5": 75.5})
    town.month("2024-02", {"v1": 60, "v2": 80, "v3": 80, "v4": 70, "v5": 55})
    town.month("2024-03", {"v1": 60, "v2": 85, "v3": 80, "v4": 70, "v5": 55})
    town.event("2024-02", "v4", "扣分", "甲项", 20, "未按时上报")
    town.annual["2024"] = {v[0]: [88] for v in town.villages}
    return town


# -- ranks ----------------------------------------------------------------------------


def _brute_rank(group, values, mask, better) -> list[int]:
    """1 + the rows of `mask` in the same group with a better value, 0 outside `mask`."""
    return [
        1
        + sum(
            1 for h, w, m in zip(group, values, mask, strict=True) if m and h == g and better(w, v)
        )
        if own
        else 0
        for g, v, own in zip(group, values, mask, strict=True)
    ]


rows_of_groups = st.lists(
    st.tuples(st.integers(0, 3), st.integers(-5, 5), st.booleans()), min_size=0, max_size=40
)


@settings(max_examples=examples(200))
@given(rows_of_groups, st.sampled_from([1, 10**9, 2**40]))
def test_competition_rank_counts_the_strictly_better_values(rows, scale):
    """A large scale makes (group, value) too wide for one 64-bit key: the other sort."""
    group = np.array([r[0] for r in rows], dtype=np.int64)
    values = np.array([r[1] * scale for r in rows], dtype=np.int64)
    mask = np.array([r[2] for r in rows], dtype=bool)
    ranks = competition_rank(group, values, mask).tolist()
    assert ranks == _brute_rank(group, values, mask, lambda other, own: other > own)


@settings(max_examples=examples(200))
@given(rows_of_groups, st.lists(st.booleans(), min_size=40, max_size=40))
def test_one_ranking_serves_every_set_of_rows(rows, other_mask):
    rows = sorted(rows)  # a Ranking is made over rows sorted by group, then value
    group = np.array([r[0] for r in rows], dtype=np.int64)
    values = np.array([r[1] for r in rows], dtype=np.int64)
    ranking = Ranking(group, values)
    for mask in (np.array([r[2] for r in rows], bool), np.array(other_mask[: len(rows)], bool)):
        assert ranking.descending(mask).tolist() == _brute_rank(
            group, values, mask, lambda other, own: other > own
        )
        assert ranking.ascending(mask).tolist() == _brute_rank(
            group, values, mask, lambda other, own: other < own
        )
        tied = [
            m
            and sum(
                1 for h, w, n in zip(group, values, mask, strict=True) if n and (h, w) == (g, v)
            )
            > 1
            for g, v, m in zip(group, values, mask, strict=True)
        ]
        assert ranking.tied(mask).tolist() == tied


@settings(max_examples=examples(100))
@given(st.lists(st.integers(0, 50), max_size=60), st.sampled_from([51, 2**40, 2**62]))
def test_order_by_is_a_stable_argsort(keys, size):
    """The keys' row numbers ride in their low digits; past 63 bits, a plain argsort."""
    key = np.array(keys, dtype=np.int64)
    assert order_by(key, size).tolist() == np.argsort(key, kind="stable").tolist()
    assert key.tolist() == keys  # not changed


# -- coded tables and their text views -------------------------------------------------


def test_text_tables_keep_the_types_the_site_reads():
    town = small_town()
    data, results = town.load(), town.compute()
    assert dict(data.scores.dtypes) == {
        "period": STRING,
        "village_id": STRING,
        "category": STRING,
        "cell": pd.Int64Dtype(),
    }
    assert dict(results.flags.dtypes) == {
        **dict.fromkeys(("period", "grid", "village_id", "category"), STRING),
        **dict.fromkeys(("score", "rank"), pd.Int64Dtype()),
        **dict.fromkeys(("flag", "basis"), STR),
        **dict.fromkeys(("cell", "adjustment"), pd.Int64Dtype()),
        **dict.fromkeys(("vetoed", "tied", "moved_up"), np.dtype(bool)),
    }
    assert dict(results.rewards.dtypes) == {
        "period": STRING,
        "village_id": STRING,
        **dict.fromkeys(("red", "yellow", "reward", "penalty", "net"), np.dtype(np.int64)),
    }
    assert dict(results.actions.dtypes) == dict.fromkeys(
        ("period", "village_id", "action", "reason"), STR
    )
    assert results.flags is results.flags  # made once


def test_text_view_of_a_coded_table():
    frame = pd.DataFrame(
        {
            "village_id": pd.Categorical.from_codes(
                [1, 0, 1], pd.Index(["v1", "v2"], dtype="string")
            ),
            "score": pd.arrays.IntegerArray(
                narrow(np.array([9000, 8050, 0])), np.array([0, 0, 1], bool)
            ),
        }
    )
    text = as_text(frame)
    assert text["village_id"].tolist() == ["v2", "v1", "v2"]
    assert text["village_id"].dtype == STRING
    assert text["score"].dtype == pd.Int64Dtype()
    assert text["score"].tolist() == [9000, 8050, pd.NA]


def test_narrow_keeps_numbers_32_bits_cannot_hold():
    assert narrow(np.array([-(2**31), 2**31 - 1])).dtype == np.int32
    assert narrow(np.array([0, 2**31])).dtype == np.int64
    assert narrow(np.array([], dtype=np.int64)).dtype == np.int32


def test_writing_results_changes_neither_them_nor_the_files(tmp_path):
    """The writer makes each column's text from the frames' own arrays: it must not change
    them (a shifted copy once came back as the frame's own, and the JSON then differed)."""
    town = small_town()
    data, results = town.load(), town.compute()
    before = {name: frame.copy() for name, frame in results.coded.items()}
    first = write_results(data, results, tmp_path / "first")
    second = write_results(data, results, tmp_path / "second")
    for one, other in zip(first, second, strict=True):
        assert one.read_bytes() == other.read_bytes()
    for name, frame in results.coded.items():
        pd.testing.assert_frame_equal(frame, before[name])


# -- rows joined from columns ----------------------------------------------------------------


@settings(max_examples=examples(100))
@given(
    st.lists(
        st.lists(st.sampled_from(["", "a", "bb", "c,d", "红旗", "甲"]), min_size=1, max_size=4),
        min_size=1,
        max_size=6,
    ),
    st.integers(1, 400),
)
def test_rows_are_their_columns_texts_one_after_another(alphabets, rows):
    """Columns combined into one where their combinations are few give the same text as the
    columns joined row by row."""
    rng = np.random.default_rng(rows)
    columns = []
    for alphabet in alphabets:
        values = pd.Series(rng.choice(np.array(alphabet, dtype=object), rows), dtype="string")
        values[rng.random(rows) < 0.1] = pd.NA
        columns.append(values)
    made = [
        column_text(values, False, lambda texts, i=i: [f"{i}:{t};" for t in texts], f"{i}:-;")
        for i, values in enumerate(columns)
    ]
    expected = "".join(
        "".join(f"{i}:{'-' if pd.isna(v) else v};" for i, v in enumerate(row))
        for row in zip(*columns, strict=True)
    )
    assert "".join(row_texts(iter(made), rows)) == expected


def test_columns_with_many_combinations_stay_apart():
    many = Column(np.array([str(i) for i in range(300)], dtype=object), np.arange(300) % 300)
    few = Column(np.array(["x", "y"], dtype=object), np.arange(300) % 2)
    assert few.then(few) is not None  # 4 combinations for 300 rows
    assert many.then(few) is None  # 600: more than the rows would use

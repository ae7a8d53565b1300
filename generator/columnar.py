"""Whole-column operations under the rules: codes, integer keys, sets, sums, order and
competition ranks, and texts made row by row — numpy over whole columns, no Python per row.

rules.py states the rules with these; each is defined here once, by what it computes. A key
packs several codes into one int64 (`pack`); where the keys' range is small beside their
number, sets and sums go through a table over the range instead of sorting or hashing
(`distinct`, `among`, `sums_at`); a sort puts rows in order once and ranks are then counted
(`Ranking`). May import: numpy, pandas, generator.load.dataset (the coded column).
"""

from __future__ import annotations

from itertools import repeat

import numpy as np
import pandas as pd

from generator.load.dataset import coded

# -- columns by name -----------------------------------------------------------------------


# The cells of a county are many (360,000): while the rules work on them they are plain numpy
# columns by name, which a new column or a selection of rows does not copy as a frame would.
Columns = dict[str, np.ndarray]


def rows_where(table: Columns, mask: np.ndarray) -> Columns:
    return {name: column[mask] for name, column in table.items()}


# -- codes: texts and keys as integers -----------------------------------------------------


def code(values, vocabulary: np.ndarray) -> np.ndarray:
    """Positions of `values` in the sorted `vocabulary`; -1 for missing or unknown values."""
    return pd.Categorical(values, categories=vocabulary).codes.astype(np.int32)


def text(vocabulary: np.ndarray, codes: np.ndarray, dtype: str = "string") -> pd.Series:
    """Codes with their texts, as one coded column of the results tables."""
    return coded(vocabulary, codes, dtype)


def pack(*columns: tuple[np.ndarray, int]) -> np.ndarray:
    """Several codes (each with its number of values) as one int64 key, in the same order."""
    key = np.zeros(len(columns[0][0]), dtype=np.int64)
    for values, size in columns:
        key *= size
        key += np.asarray(values, dtype=np.int64)
    return key


# -- sets and sums over integer keys -------------------------------------------------------


def distinct(keys: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct `keys` (each below `size`), sorted, and each key's position among them: from
    a table of `size` flags where that is not much larger than the keys, else by sorting."""
    if size > 8 * len(keys) + 4096:
        return np.unique(keys, return_inverse=True)
    present = np.zeros(size, dtype=bool)
    present[keys] = True
    position = np.cumsum(present, dtype=np.int32)  # size < 2**31: the keys' own length bounds it
    return np.flatnonzero(present), position[keys] - 1


def among(keys: np.ndarray, chosen: np.ndarray, size: int) -> np.ndarray:
    """Whether each of `keys` is one of `chosen` (all below `size`)."""
    if size > 8 * len(keys) + 4096:
        return np.isin(keys, chosen)
    table = np.zeros(size, dtype=bool)
    table[chosen] = True
    return table[keys]


def sums_at(keys: np.ndarray, values: np.ndarray, wanted: np.ndarray, size: int) -> np.ndarray:
    """For each of `wanted`: the sum of the `values` whose key equals it (0 if none); keys are
    below `size`. The keys are few (events), the wanted many (cells): only hits are searched."""
    unique, inverse = np.unique(keys, return_inverse=True)
    sums = group_sums(inverse, values, len(unique))
    found = np.zeros(len(wanted), dtype=np.int64)
    hit = among(wanted, unique, size)
    found[hit] = sums[np.searchsorted(unique, wanted[hit])]
    return found


def group_sums(group: np.ndarray, values: np.ndarray, groups: int) -> np.ndarray:
    """Integer sums of `values` per group number (0 … groups − 1), exact."""
    sums = np.zeros(groups, dtype=np.int64)
    np.add.at(sums, group, np.asarray(values, dtype=np.int64))
    return sums


def find(sorted_keys: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each of `wanted` is in `sorted_keys`, and whether it is there at all."""
    position = np.searchsorted(sorted_keys, wanted)
    found = position < len(sorted_keys)
    found[found] = sorted_keys[position[found]] == wanted[found]
    return position, found


# -- order and competition ranks -----------------------------------------------------------


def order_by(key: np.ndarray, size: int) -> np.ndarray:
    """The order of the rows by `key` (whole numbers from 0 to size − 1), equal keys in row
    order. Where it fits in 63 bits, each key carries its row number in its low digits and the
    keys are sorted, which numpy does several times faster than finding the order (argsort)."""
    rows = len(key)
    if size * max(rows, 1) >= 1 << 62:
        return np.argsort(key, kind="stable")
    numbered = key * rows  # a copy: the caller's key is not changed
    numbered += np.arange(rows)
    numbered.sort()
    numbered %= max(rows, 1)
    return numbered


def by_group_and_value(group: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The order of the rows by group, then value: one sort of one int64 key where it fits."""
    if len(group) == 0:
        return np.zeros(0, dtype=np.int64)
    low = int(values.min())
    span = int(values.max()) - low + 1
    size = (int(group.max()) + 1) * span
    if size >= 1 << 62:
        return np.lexsort((values, group))
    key = group.astype(np.int64) * span
    key += values
    key -= low
    return order_by(key, size)


class Ranking:
    """Rows sorted by group, then value: the competition rank ("1224") of any set of them is
    counted from running totals, without sorting again."""

    def __init__(self, group: np.ndarray, values: np.ndarray):
        new_group, new_value = _run_starts(group, values)
        self.group_start, self.group_end = _run_bounds(new_group)
        self.value_start, self.value_end = _run_bounds(new_value)

    def descending(self, mask: np.ndarray) -> np.ndarray:
        """1 + the rows of `mask` in the same group with a strictly greater value; 0 outside it."""
        before = _before(mask)
        return np.where(mask, before[self.group_end] - before[self.value_end] + 1, 0)

    def ascending(self, mask: np.ndarray) -> np.ndarray:
        """1 + the rows of `mask` in the same group with a strictly smaller value; 0 outside it."""
        before = _before(mask)
        return np.where(mask, before[self.value_start] - before[self.group_start] + 1, 0)

    def tied(self, mask: np.ndarray) -> np.ndarray:
        """Within `mask`: another row of it in the same group has the same value."""
        before = _before(mask)
        return mask & (before[self.value_end] - before[self.value_start] > 1)


def _before(mask: np.ndarray) -> np.ndarray:
    """At position i: how many rows of `mask` come before it."""
    before = np.zeros(len(mask) + 1, dtype=np.int32)
    np.cumsum(mask, out=before[1:])
    return before


def competition_rank(group: np.ndarray, values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """1 + the number of strictly greater values of the same group ("1224"); 0 outside `mask`."""
    order = by_group_and_value(group, values)
    rank = np.zeros(len(group), dtype=np.int32)
    rank[order] = Ranking(group[order], values[order]).descending(mask[order])
    return rank


def _run_starts(group: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted rows: where a new group starts, and where a new (group, value) run starts."""
    new_group = np.ones(len(group), dtype=bool)
    new_group[1:] = group[1:] != group[:-1]
    new_value = new_group.copy()
    new_value[1:] |= values[1:] != values[:-1]
    return new_group, new_value


def _run_bounds(new_run: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each sorted row: where its run starts and where the next one does."""
    starts = np.flatnonzero(new_run).astype(np.int32)
    run = np.cumsum(new_run, dtype=np.int32) - 1
    ends = np.append(starts[1:], np.int32(len(new_run)))
    return starts[run], ends[run]


def cumsum_in_runs(run: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Running totals of `values` restarting wherever the (sorted) `run` key changes."""
    total = np.cumsum(values)
    new_run = np.ones(len(run), dtype=bool)
    new_run[1:] = run[1:] != run[:-1]
    start = np.maximum.accumulate(np.where(new_run, np.arange(len(run)), 0))
    return total - (total - values)[start]


# -- texts made row by row -----------------------------------------------------------------


def concat(*parts) -> np.ndarray:
    """Texts made row by row from text columns (arrays) and constant strings: each row's text
    is made once, by one join."""
    rows = next(len(part) for part in parts if not isinstance(part, str))
    columns = [repeat(part, rows) if isinstance(part, str) else part.tolist() for part in parts]
    return np.fromiter(map("".join, zip(*columns, strict=True)), dtype=object, count=rows)


def digits(values) -> np.ndarray:
    """Whole numbers as text (object array), each distinct value converted once."""
    unique, inverse = np.unique(np.asarray(values), return_inverse=True)
    return np.array([str(value) for value in unique.tolist()], dtype=object)[inverse]


def join_runs(
    run: np.ndarray, texts: np.ndarray, separator: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows sorted by `run`: each run's first row, its size and its texts joined in order."""
    if len(run) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, object)
    starts = np.flatnonzero(np.r_[True, run[1:] != run[:-1]])
    sizes = np.diff(np.r_[starts, len(run)])
    last = np.zeros(len(run), dtype=bool)
    last[np.r_[starts[1:], len(run)] - 1] = True
    separated = np.where(last, texts, concat(texts, separator))  # a separator after all but last
    return starts, sizes, np.add.reduceat(separated.astype(object), starts)

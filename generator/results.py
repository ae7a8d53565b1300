"""The results tables of docs/data-format.md §5 as CSV files and results.json, written column by
column.

The tables arrive coded (`Results.coded`: texts as categoricals, scores as integer hundredths),
and each column becomes text once per distinct value: a text column's own categories, scores
through the one number formatter (`format_points`) — a county's 365,000 flag rows have a few
hundred distinct scores. Adjacent columns of few combinations are made into one, and rows are
joined from these pieces a slice at a time; no Python object is made per row until then, and
results.json is written in slices without building its document. `results_document()` still
gives the whole document as Python values, for the site.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

import numpy as np
import orjson
import pandas as pd

from generator import forked
from generator.columnar import distinct
from generator.csvsafe import neutralise
from generator.load import Dataset
from generator.load.cells import format_points
from generator.periods import year_of
from generator.rules import Results

# file → (columns, which of them are points to write without trailing zeros)
TABLES = {
    "flags": (
        ["period", "grid", "village_id", "category", "score", "rank", "flag", "basis"],
        {"score"},
    ),
    "rewards": (["period", "village_id", "red", "yellow", "reward", "penalty", "net"], set()),
    "actions": (["period", "village_id", "action", "reason"], set()),
    "grid_averages": (["period", "grid", "category", "average", "count"], {"average"}),
}
POINTS = {"score", "cell", "adjustment", "average", "total", "value"}  # hundredths in the frames
_SLICE = 8_000  # rows joined into text at a time: a few MB
MAX_COMBINED = 1 << 13  # texts of two adjacent columns made into one (Column.then)
_QUOTE_RE = re.compile(r'[,"\r\n]')


def write_results(data: Dataset, results: Results, out_dir: Path) -> list[Path]:
    """Write flags.csv, rewards.csv, actions.csv, grid_averages.csv and results.json.

    results.json (a county's 89 MB, two thirds of the writing) is made and written by a
    forked second process while this one writes the tables (forked.py: the same bytes either
    way, and an OSError there is raised here as itself)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    document = out_dir / "results.json"
    written = []
    with forked.Background(_write_json, data, results, document) as json_written:
        for name in TABLES:
            path = out_dir / f"{name}.csv"
            with path.open("w", encoding="utf-8", newline="") as handle:
                handle.writelines(table_lines(results, name))
            written.append(path)
        json_written.result()
    return [*written, document]


def _write_json(data: Dataset, results: Results, path: Path) -> None:
    with path.open("wb") as handle:
        handle.writelines(results_json_parts(data, results))


def results_json(document: dict) -> bytes:
    """results.json's bytes from `results_document()`: compact UTF-8, as `write_results` writes."""
    return orjson.dumps(document) + b"\n"


# -- CSV ----------------------------------------------------------------------------------


def table_csv(results: Results, name: str, formula_safe: bool = False) -> str:
    """One results table as CSV text with the contract's columns and number format."""
    return "".join(table_lines(results, name, formula_safe))


def table_lines(results: Results, name: str, formula_safe: bool = False) -> Iterator[str]:
    """The CSV text of a table in slices: header, then rows, each line ending in \\n."""
    columns, points = TABLES[name]
    frame = results.coded[name]
    yield ",".join(columns) + "\n"

    def field(end: str):
        return lambda texts: [text + end for text in _csv_fields(texts, formula_safe)]

    ends = [","] * (len(columns) - 1) + ["\n"]
    cells = (
        column_text(frame[c], c in points, field(end), end)
        for c, end in zip(columns, ends, strict=True)
    )
    yield from row_texts(cells, len(frame))


def _csv_fields(texts: list[str], formula_safe: bool) -> list[str]:
    """Text as csv.writer writes it (minimal quoting); made formula-safe if asked."""
    if formula_safe:
        texts = [neutralise(t) for t in texts]
    return [_quoted(t) if _QUOTE_RE.search(t) else t for t in texts]


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


@dataclass(frozen=True)
class Column:
    """A column as text: the text of each distinct value once, and each row's code into them."""

    texts: np.ndarray  # object
    codes: np.ndarray  # int, one per row

    def then(self, other: Column) -> Column | None:
        """This column's text followed by `other`'s, as one column of every combination of
        their texts; None when there would be more than MAX_COMBINED, or than a quarter of the
        rows (then few combinations would be used)."""
        width = len(other.texts)
        if len(self.texts) * width > min(MAX_COMBINED, len(self.codes) // 4):
            return None
        codes = self.codes.astype(np.min_scalar_type(len(self.texts) * width)) * width
        return Column(np.add.outer(self.texts, other.texts).ravel(), codes + other.codes)


def column_text(series: pd.Series, is_points: bool, render, missing: str) -> Column:
    """A column's text, made once per distinct value: `render(texts)` of the values as plain
    text, `missing` for missing ones."""
    values, codes = _distinct(series)
    return Column(np.array([*render(_plain(values, is_points)), missing], dtype=object), codes)


def row_texts(columns: Iterable[Column], rows: int) -> Iterator[str]:
    """The rows' text in slices, each row its columns' texts one after the other.

    Joining costs per piece rather than per character, so adjacent columns whose combinations
    are few (a flag and its basis, a period and a grid) are first made into one column, as
    they come: a column made part of another is not kept."""
    pieces: list[Column] = []
    for column in columns:
        both = pieces[-1].then(column) if pieces else None
        if both is None:
            pieces.append(column)
        else:
            pieces[-1] = both
    # the pieces' texts in one table, and for each row of a slice the text of each piece in it
    texts = np.concatenate([piece.texts for piece in pieces])
    offsets = np.cumsum([0] + [len(piece.texts) for piece in pieces[:-1]])
    for start in range(0, rows, _SLICE):
        stop = min(start + _SLICE, rows)
        chosen = np.empty((stop - start, len(pieces)), dtype=np.int64)
        for i, piece in enumerate(pieces):
            np.add(piece.codes[start:stop], offsets[i], out=chosen[:, i])
        yield "".join(texts[chosen.ravel()].tolist())


def _distinct(series: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """The distinct values, and each row's position among them (missing: one past the last)."""
    if isinstance(series.dtype, pd.CategoricalDtype):  # coded by the rules: no hashing
        values = pd.Series(series.cat.categories)
        codes = series.cat.codes.to_numpy()
    elif pd.api.types.is_bool_dtype(series.dtype) and not series.hasnans:
        return pd.Series([False, True]), series.to_numpy(dtype=np.uint8)
    elif pd.api.types.is_integer_dtype(series.dtype) and len(series):
        return _distinct_integers(series)
    else:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        values = pd.Series(uniques, dtype=series.dtype)
    return values, _missing_last(codes, len(values))


def _missing_last(codes: np.ndarray, missing: int) -> np.ndarray:
    """Codes with -1 (missing) made `missing`, in the smallest unsigned type that holds them."""
    if codes.min(initial=0) >= 0:  # nothing missing: e.g. a coded text column's own codes
        return codes
    return np.where(codes < 0, missing, codes).astype(np.min_scalar_type(missing))


def _distinct_integers(series: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """`_distinct` of whole numbers (points, ranks, money), sorted: from a table of flags over
    their range where it is small (columnar.distinct), else by hashing."""
    dtype = getattr(series.dtype, "numpy_dtype", series.dtype)  # Int32 → int32
    numbers = series.to_numpy(dtype=dtype, na_value=0)  # may be the frame's own: not changed
    low = int(numbers.min())
    size = int(numbers.max()) - low + 1
    if size > 4 * len(numbers):
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        return pd.Series(uniques, dtype=series.dtype), _missing_last(codes, len(uniques))
    present, codes = distinct(numbers - low, size)
    codes[series.isna().to_numpy()] = len(present)
    values = pd.Series(present + low, dtype=series.dtype)
    return values, codes.astype(np.min_scalar_type(len(values)))


def _plain(values: pd.Series, is_points: bool) -> list[str]:
    """Distinct values as plain text: points by `format_points`, booleans as true/false."""
    plain = values.tolist()  # Python values: iterating a pandas array goes through pandas
    if is_points:
        return [format_points(int(v)) for v in plain]
    if pd.api.types.is_bool_dtype(values.dtype):
        return ["true" if v else "false" for v in plain]
    return [str(v) for v in plain]


def points_text(points: pd.Series) -> pd.Series:
    """Points as floats (92.5, 90.0) → '92.5', '90': `format_points` over a whole column."""
    hundredths = (points * 100).round().astype("int64")
    values, codes = _distinct(hundredths)
    texts = np.array([format_points(int(v)) for v in values] + [""], dtype=object)
    return pd.Series(texts[codes], index=points.index)


# -- results.json ----------------------------------------------------------------------------


def results_json_parts(data: Dataset, results: Results) -> Iterator[bytes]:
    """results.json's bytes in slices, equal to `results_json(results_document(...))`."""
    head, tables = _document_parts(data, results)
    yield orjson.dumps(head)[:-1]  # the small parts, without the closing brace
    for key, frame in tables.items():
        yield b"," + orjson.dumps(key) + b":["
        yield from _json_records(frame)
        yield b"]"
    yield b"}\n"


def _json_records(frame: pd.DataFrame) -> Iterator[bytes]:
    """The rows of a table as JSON objects, comma-separated, in slices."""
    if frame.empty:
        return
    last = len(frame.columns) - 1

    def fragments(i: int, name: str) -> Column:
        # every object starts with ",{": the first comma is dropped below
        key = (",{" if i == 0 else ",") + orjson.dumps(name).decode() + ":"
        end = "}" if i == last else ""
        render = _json_texts(frame[name].dtype, name in POINTS, key, end)
        return column_text(frame[name], name in POINTS, render, key + "null" + end)

    columns = (fragments(i, name) for i, name in enumerate(frame.columns))
    for start, text in enumerate(row_texts(columns, len(frame))):
        yield (text[1:] if start == 0 else text).encode("utf-8")


def _json_texts(dtype, is_points: bool, key: str, end: str):
    """Plain texts → '"key":value' as orjson writes the value `_json_column` gives."""
    if is_points or pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_integer_dtype(dtype):
        return lambda texts: [key + t + end for t in texts]  # numbers and booleans as they are
    return lambda texts: [key + (orjson.dumps(t).decode() if t else "null") + end for t in texts]


def results_document(data: Dataset, results: Results) -> dict:
    """Everything the site needs, as plain JSON-ready values."""
    head, tables = _document_parts(data, results)
    return head | {key: _records(frame) for key, frame in tables.items()}


def _document_parts(data: Dataset, results: Results) -> tuple[dict, dict[str, pd.DataFrame]]:
    """The document's small parts as values, and its tables as frames, in the document's order."""
    town = data.town
    head = {
        "schema": 1,
        "town": {"name": town.town, "kind": town.level},
        "grids": [g.model_dump() for g in town.grids],
        "categories": [c.model_dump(by_alias=True) for c in town.categories],
        "villages": [v.model_dump() for v in data.villages],
        "rules": [
            r.model_dump(by_alias=True)
            | {"reward_tiers": list(r.reward_tiers), "penalty_tiers": list(r.penalty_tiers)}
            for r in town.rules
        ],
        "periods": [_period(data, p) for p in data.periods],
        "years": [_year(data, y) for y in data.years],
    }
    coded = results.coded
    tables = {
        **{name: coded[name] for name in ("flags", "rewards", "actions", "grid_averages")},
        "grid_year_totals": coded["grid_year_totals"],
        "events": data.events.drop(columns=["file", "row"]),
        "village_years": coded["village_years"],
    }
    return head, tables


def _period(data: Dataset, period: str) -> dict:
    info = data.period_files[period]
    return {
        "period": period,
        "year": year_of(period),
        "rules_from": data.rule_for(period).from_,
        "categories": list(info.categories),
        "file": _published_path(info.relative),
        "events_file": _published_path(info.events_relative),
    }


def _year(data: Dataset, year: str) -> dict:
    annual = data.annual_files.get(year)
    return {
        "year": year,
        "periods": [p for p in data.periods if year_of(p) == year],
        "annual_categories": list(annual.categories) if annual else [],
        "annual_file": _published_path(annual.relative) if annual else None,
        "rules_from": data.rule_for(year).from_,  # December's (docs/data-format.md §4)
    }


def _published_path(relative: str | None) -> str | None:
    """Data files are named from the repository root, wherever the scores folder was read."""
    return f"scores/{relative}" if relative else None


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts of plain JSON values, converted column by column (fast on large towns)."""
    columns = {name: _json_column(frame[name], name in POINTS) for name in frame.columns}
    # the columns of one frame, all as long: zipped and made dicts in C (map), a fifth sooner
    # than a comprehension over a county's 366,000 flags
    return list(map(dict, map(zip, repeat(list(columns)), zip(*columns.values(), strict=True))))


def _json_column(series: pd.Series, is_points: bool) -> list:
    """None for missing and empty text; points as 90 or 92.5; numpy scalars as Python ones."""
    values, codes = _distinct(series)
    if is_points:
        plain = [_points_value(int(v)) for v in values]
    elif pd.api.types.is_bool_dtype(series.dtype):
        plain = [bool(v) for v in values]
    elif pd.api.types.is_integer_dtype(series.dtype):
        plain = [int(v) for v in values]
    else:
        plain = [v if v != "" else None for v in values]
    return np.array([*plain, None], dtype=object)[codes].tolist()


def _points_value(hundredths: int) -> int | float:
    """9000 → 90, 9250 → 92.5: whole points as integers, as results.json has them."""
    whole, fraction = divmod(hundredths, 100)
    return whole if fraction == 0 else hundredths / 100

"""The results tables of docs/data-format.md §5 as CSV files and results.json, written column by
column.

Scores arrive as integer hundredths and become text here, through the one number formatter
(`format_points`), applied to each column's distinct values only: a county's 365,000 flag rows
have a few thousand distinct scores. No Python object is made per row until the text of a row
is joined; results.json is written in slices without building its document.
`results_document()` still gives the whole document as Python values, for the site.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import orjson
import pandas as pd

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
_SLICE = 50_000  # rows joined into text at a time
Seen = dict[tuple[int, str], tuple[pd.Series, np.ndarray]]  # (frame id, column) → distinct
_QUOTE_RE = re.compile(r'[,"\r\n]')


def write_results(data: Dataset, results: Results, out_dir: Path) -> list[Path]:
    """Write flags.csv, rewards.csv, actions.csv, grid_averages.csv and results.json."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    seen: Seen = {}  # each column's distinct values, found once for its CSV and its JSON
    for name in TABLES:
        path = out_dir / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            handle.writelines(table_lines(results, name, seen=seen))
        written.append(path)
    path = out_dir / "results.json"
    with path.open("wb") as handle:
        handle.writelines(results_json_parts(data, results, seen))
    written.append(path)
    return written


def results_json(document: dict) -> bytes:
    """results.json's bytes from `results_document()`: compact UTF-8, as `write_results` writes."""
    return orjson.dumps(document) + b"\n"


# -- CSV ----------------------------------------------------------------------------------


def table_csv(results: Results, name: str, formula_safe: bool = False) -> str:
    """One results table as CSV text with the contract's columns and number format."""
    return "".join(table_lines(results, name, formula_safe))


def table_lines(
    results: Results, name: str, formula_safe: bool = False, seen: Seen | None = None
) -> Iterator[str]:
    """The CSV text of a table in slices: header, then rows, each line ending in \\n."""
    columns, points = TABLES[name]
    frame: pd.DataFrame = getattr(results, name)
    yield ",".join(columns) + "\n"

    def field(texts: list[str]) -> list[str]:
        return _csv_fields(texts, formula_safe)

    cells = [Column(frame, c, c in points, field, "", seen) for c in columns]
    for start in range(0, len(frame), _SLICE):
        parts = [column.slice(start, start + _SLICE) for column in cells]
        yield "\n".join(map(",".join, zip(*parts, strict=True))) + "\n"


def _csv_fields(texts: list[str], formula_safe: bool) -> list[str]:
    """Text as csv.writer writes it (minimal quoting); made formula-safe if asked."""
    if formula_safe:
        texts = [neutralise(t) for t in texts]
    return [_quoted(t) if _QUOTE_RE.search(t) else t for t in texts]


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


class Column:
    """A column's text made once per distinct value: `render(texts)` of the values as plain text
    (missing ones as `missing`); `slice()` gives the rows' text."""

    def __init__(
        self, frame: pd.DataFrame, name: str, is_points: bool, render, missing: str, seen
    ) -> None:
        key = (id(frame), name)
        found = seen.get(key) if seen is not None else None
        values, self.codes = found if found is not None else _distinct(frame[name])
        if seen is not None:
            seen[key] = (values, self.codes)
        self.text = np.array([*render(_plain(values, is_points)), missing], dtype=object)

    def slice(self, start: int, stop: int) -> list[str]:
        return self.text[self.codes[start:stop]].tolist()


def _distinct(series: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """The distinct values, and each row's position among them (missing: one past the last)."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    codes = np.where(codes < 0, len(uniques), codes)
    return pd.Series(uniques, dtype=series.dtype), codes


def _plain(values: pd.Series, is_points: bool) -> list[str]:
    """Distinct values as plain text: points by `format_points`, booleans as true/false."""
    if is_points:
        return [format_points(int(v)) for v in values]
    if pd.api.types.is_bool_dtype(values.dtype):
        return ["true" if v else "false" for v in values]
    return [str(v) for v in values]


def points_text(points: pd.Series) -> pd.Series:
    """Points as floats (92.5, 90.0) → '92.5', '90': `format_points` over a whole column."""
    hundredths = (points * 100).round().astype("int64")
    values, codes = _distinct(hundredths)
    texts = np.array([format_points(int(v)) for v in values] + [""], dtype=object)
    return pd.Series(texts[codes], index=points.index)


# -- results.json ----------------------------------------------------------------------------


def results_json_parts(
    data: Dataset, results: Results, seen: Seen | None = None
) -> Iterator[bytes]:
    """results.json's bytes in slices, equal to `results_json(results_document(...))`."""
    head, tables = _document_parts(data, results)
    yield orjson.dumps(head)[:-1]  # the small parts, without the closing brace
    for key, frame in tables.items():
        yield b"," + orjson.dumps(key) + b":["
        yield from _json_records(frame, seen)
        yield b"]"
    yield b"}\n"


def _json_records(frame: pd.DataFrame, seen: Seen | None) -> Iterator[bytes]:
    """The rows of a table as JSON objects, comma-separated, in slices."""
    if frame.empty:
        return
    last = len(frame.columns) - 1
    fragments = []
    for i, name in enumerate(frame.columns):
        key = ("{" if i == 0 else ",") + orjson.dumps(name).decode() + ":"
        end = "}" if i == last else ""
        render = _json_texts(frame[name].dtype, name in POINTS, key, end)
        fragments.append(Column(frame, name, name in POINTS, render, key + "null" + end, seen))
    for start in range(0, len(frame), _SLICE):
        parts = [column.slice(start, start + _SLICE) for column in fragments]
        text = ",".join(map("".join, zip(*parts, strict=True)))
        yield (text if start == 0 else "," + text).encode("utf-8")


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
    tables = {
        "flags": results.flags,
        "rewards": results.rewards,
        "actions": results.actions,
        "grid_averages": results.grid_averages,
        "grid_year_totals": results.grid_year_totals,
        "events": data.events.drop(columns=["file", "row"]),
        "village_years": results.village_years,
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
    keys = list(columns)
    return [dict(zip(keys, values, strict=True)) for values in zip(*columns.values(), strict=True)]


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

"""The results tables of RULES.md §5 as CSV files and results.json; formula-safe copies."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import orjson
import pandas as pd

from generator.load.loader import Dataset
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
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write_results(data: Dataset, results: Results, out_dir: Path) -> list[Path]:
    """Write flags.csv, rewards.csv, actions.csv, grid_averages.csv and results.json."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in TABLES:
        path = out_dir / f"{name}.csv"
        path.write_bytes(table_csv(results, name).encode("utf-8"))
        written.append(path)
    path = out_dir / "results.json"
    path.write_bytes(results_json(results_document(data, results)))
    written.append(path)
    return written


def results_json(document: dict) -> bytes:
    """results.json's bytes: compact UTF-8 (orjson: a county's 80 MB in a fraction of a second)."""
    return orjson.dumps(document) + b"\n"


def table_csv(results: Results, name: str, formula_safe: bool = False) -> str:
    """One results table as CSV text with the contract's columns and number format."""
    columns, points = TABLES[name]
    frame: pd.DataFrame = getattr(results, name)
    cells = [_cell(frame[c], c in points) if len(frame) else [] for c in columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for record in zip(*cells, strict=True):
        writer.writerow([neutralise(v) for v in record] if formula_safe else record)
    return buffer.getvalue()


def _cell(series: pd.Series, is_points: bool) -> list[str]:
    """A column as CSV text, converted whole: '' for missing, points without trailing zeros."""
    missing = series.isna()
    if is_points:
        text = points_text(series.astype("Float64").fillna(0))
    elif pd.api.types.is_bool_dtype(series.dtype):
        text = series.map({True: "true", False: "false"})
    elif pd.api.types.is_integer_dtype(series.dtype):
        text = series.fillna(0).astype("int64").astype(str)
    else:
        text = series.astype("object").where(~missing, "").astype(str)
    return text.where(~missing, "").tolist()


def points_text(points: pd.Series) -> pd.Series:
    """92.5 → '92.5', 90.0 → '90', -0.25 → '-0.25': format_points for a whole column."""
    hundredths = (points * 100).round().astype("int64")
    magnitude = hundredths.abs()
    whole = (magnitude // 100).astype(str)
    fraction = (magnitude % 100).astype(str).str.zfill(2).str.rstrip("0")
    text = whole.where(fraction == "", whole + "." + fraction)
    return text.where(hundredths >= 0, "-" + text)


def neutralise(text: str) -> str:
    """Spreadsheet-formula-safe text: a leading = + - @ tab or CR is made literal with '."""
    if text.startswith(_FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def results_document(data: Dataset, results: Results) -> dict:
    """Everything the site needs, as plain JSON-ready values."""
    town = data.town
    return {
        "schema": 1,
        "town": {"name": town.town},
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
        "flags": _records(results.flags),
        "rewards": _records(results.rewards),
        "actions": _records(results.actions),
        "grid_averages": _records(results.grid_averages),
        "grid_year_totals": _records(results.grid_year_totals),
        "events": _records(
            data.events.drop(columns=["file", "row"]).assign(
                value=data.events["value"].astype("Float64") / 100
            )
        ),
    }


def _period(data: Dataset, period: str) -> dict:
    info = data.period_files[period]
    return {
        "period": period,
        "year": period[:4],
        "rules_from": data.rule_for(period).from_,
        "categories": list(info.categories),
        "file": _published_path(info.relative),
        "events_file": _published_path(info.events_relative),
    }


def _year(data: Dataset, year: str) -> dict:
    annual = data.annual_files.get(year)
    return {
        "year": year,
        "periods": [p for p in data.periods if p.startswith(year)],
        "annual_categories": list(annual.categories) if annual else [],
        "annual_file": _published_path(annual.relative) if annual else None,
    }


def _published_path(relative: str | None) -> str | None:
    """Data files are named from the repository root, wherever the scores folder was read."""
    return f"scores/{relative}" if relative else None


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts of plain JSON values, converted column by column (fast on large towns)."""
    columns = {name: _json_column(frame[name]) for name in frame.columns}
    keys = list(columns)
    return [dict(zip(keys, values, strict=True)) for values in zip(*columns.values(), strict=True)]


def _json_column(series: pd.Series) -> list:
    """None for missing and empty text; points as 90 or 92.5; numpy scalars as Python ones."""
    missing = series.isna().to_numpy()
    if pd.api.types.is_float_dtype(series.dtype):
        hundredths = (series.astype("Float64") * 100).round().fillna(0).astype("int64").to_numpy()
        whole = hundredths % 100 == 0
        values = np.where(whole, hundredths // 100, 0).tolist()
        fractions = (hundredths / 100).tolist()
        return [
            None if m else (v if w else f)
            for m, w, v, f in zip(missing, whole, values, fractions, strict=True)
        ]
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.astype(bool).tolist()
    if pd.api.types.is_integer_dtype(series.dtype):
        values = series.fillna(0).astype("int64").tolist()
        return [None if m else v for m, v in zip(missing, values, strict=True)]
    values = series.astype("object").tolist()
    return [None if m or v == "" else v for m, v in zip(missing, values, strict=True)]

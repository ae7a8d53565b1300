"""The results tables of RULES.md §5 as CSV files and results.json; formula-safe copies."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd

from .cells import format_points
from .load import Dataset
from .rules import Results

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
    document = json.dumps(results_document(data, results), ensure_ascii=False, indent=1)
    path.write_bytes((document + "\n").encode("utf-8"))
    written.append(path)
    return written


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
    def text(value) -> str:
        if value is None or value is pd.NA or (isinstance(value, float) and value != value):
            return ""
        if is_points:
            return format_points(round(float(value) * 100))
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    return [text(v) for v in series.tolist()]


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
        "file": info.path,
        "events_file": info.events_path,
    }


def _year(data: Dataset, year: str) -> dict:
    annual = data.annual_files.get(year)
    return {
        "year": year,
        "periods": [p for p in data.periods if p.startswith(year)],
        "annual_categories": list(annual.categories) if annual else [],
        "annual_file": annual.path if annual else None,
    }


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{k: _json_value(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _json_value(value):
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, float):
        hundredths = round(value * 100)
        return hundredths // 100 if hundredths % 100 == 0 else hundredths / 100
    if hasattr(value, "item"):  # numpy scalars
        return _json_value(value.item())
    if value == "":
        return None
    return value

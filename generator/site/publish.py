"""The files published under /data/: formula-safe CSV copies of the results and the raw scores,
and the Excel files made from the results (xlsx.py), each a DataFile the data page lists.

Every CSV is written as UTF-8 with BOM (so Excel on Chinese Windows opens it right), and a
text cell starting with = + - @, tab or CR gets a leading apostrophe so that a spreadsheet
shows it as text instead of running it as a formula (generator/csvsafe.py).
"""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from generator.csvsafe import formula_safe_csv
from generator.layout import TOWN_FILE, VILLAGES_FILE
from generator.load.cells import decode
from generator.periods import label as period_label
from generator.results import TABLES, results_json_parts, table_csv
from generator.site import reuse
from generator.site.format import data_path
from generator.site.schema import RESULT_TABLES
from generator.site.xlsx import Names, workbooks

if TYPE_CHECKING:
    from generator.load import Dataset
    from generator.rules import Results


@dataclass(frozen=True)
class DataFile:
    """One file under /data/: where it goes (relative to the site root) and its bytes, or
    (`data` None) only its length, when it has been written already (see `write_computed`)."""

    path: str
    label: str
    note: str
    data: bytes | None
    length: int = 0

    @property
    def size(self) -> str:
        kb = (self.length if self.data is None else len(self.data)) / 1024
        return f"{kb:.0f} KB" if kb >= 10 else f"{kb:.1f} KB"

    def written(self) -> DataFile:
        return replace(self, data=None, length=len(self.data or b""))


def result_files(results_dir: Path) -> list[DataFile]:
    """The results tables of docs/data-format.md §5 and results.json, as written by
    `flagboard compute`, and the Excel files made from them."""
    texts = {
        name: (results_dir / f"{name}.csv").read_bytes().decode("utf-8-sig") for name in TABLES
    }
    document = (results_dir / "results.json").read_bytes()
    names = Names.of_document(json.loads(document))
    tables = {name: formula_safe_csv(text) for name, text in texts.items()}
    return _result_files(tables, document) + excel_files(texts, names)


def safe_tables(results: Results) -> dict[str, bytes]:
    """The results tables as published, from results computed in this process."""
    return {name: formula_safe_csv(table_csv(results, name)) for name in TABLES}


def computed_files(data: Dataset, results: Results) -> list[DataFile]:
    """The published files from results computed in this process: nothing read back.
    results.json is made column by column (results_json_parts), as `flagboard compute`
    writes it, without the results document."""
    texts = {name: table_csv(results, name) for name in TABLES}
    tables = {name: formula_safe_csv(text) for name, text in texts.items()}
    document = b"".join(results_json_parts(data, results))
    return _result_files(tables, document) + excel_files(texts, dataset_names(data))


def dataset_names(data: Dataset) -> Names:
    town = data.town
    return Names(
        {v.id: v.name for v in data.villages},
        {g.id: g.name for g in town.grids},
        {c.id: c.name for c in town.categories},
    )


def excel_files(texts: dict[str, str], names: Names) -> list[DataFile]:
    """/data/xlsx/: a workbook per period and per year, from the tables' CSV texts."""
    return [
        DataFile(path, path.rpartition("/")[2], f"{period_label(_key(path))}结果（Excel）", data)
        for path, data in workbooks(texts, names).items()
    ]


def _key(path: str) -> str:
    return path.rpartition("/")[2].removesuffix(".xlsx")


def write_computed(
    data: Dataset, results: Results, output_dir: Path, previous: str | None = None
) -> list[DataFile]:
    """`computed_files` written into the site at `output_dir` (write_files); returned without
    their bytes. `flagboard build` runs this in a second process while the first makes and
    writes the pages: a county's 100 MB of data files then never pass between processes."""
    files = computed_files(data, results)
    write_files(files, output_dir, previous)
    return [file.written() for file in files]


def _result_files(tables: dict[str, bytes], document: bytes) -> list[DataFile]:
    files = [
        DataFile(f"data/{name}.csv", f"{name}.csv", RESULT_TABLES[name].description, data)
        for name, data in tables.items()
    ]
    files.append(
        DataFile(
            "data/results.json",
            "results.json",
            "以上全部结果，以及网格、评比项目、村和规则的说明（JSON，供程序读取）",
            document,
        )
    )
    return files


def scores_files(doc: dict, scores_dir: Path) -> list[DataFile]:
    """The office's raw files: town.toml, villages.csv and every period's files, formula-safe."""
    files = [
        DataFile(
            f"data/scores/{TOWN_FILE}",
            TOWN_FILE,
            f"{doc['town']['name']}的设置：网格、评比项目和规则版本",
            (scores_dir / TOWN_FILE).read_bytes(),
        ),
        _raw_csv(scores_dir, VILLAGES_FILE, "村名单（编号、村名、网格、参评起止月份）"),
    ]
    for period in doc["periods"]:
        files.append(_raw_csv(scores_dir, _relative(period["file"]), f"{period['period']} 评分表"))
        if period.get("events_file"):
            files.append(
                _raw_csv(scores_dir, _relative(period["events_file"]), f"{period['period']} 事件表")
            )
    for year in doc["years"]:
        if year.get("annual_file"):
            files.append(
                _raw_csv(scores_dir, _relative(year["annual_file"]), f"{year['year']} 年度评分表")
            )
    return files


def _relative(file: str) -> str:
    return data_path(file).removeprefix("data/scores/")


def _raw_csv(scores_dir: Path, relative: str, note: str) -> DataFile:
    text, problem = decode((scores_dir / relative).read_bytes(), relative)
    if text is None:  # load() already rejected such a file; this is a programming error
        raise ValueError(problem.text() if problem else relative)
    return DataFile(f"data/scores/{relative}", relative, note, formula_safe_csv(text))


def csv_headers(files: list[DataFile], output_dir: Path) -> list[tuple[str, str, list[str]]]:
    """(path, note, header) of each published CSV, its header read from its bytes or, once
    written by the second process, from the file in the site."""
    found = []
    for file in files:
        if file.path.endswith(".csv"):
            data = file.data if file.data is not None else _first_line(output_dir / file.path)
            line = data.split(b"\n", 1)[0].decode("utf-8-sig")
            header = next(csv.reader([line]), [])
            found.append((file.path, file.note, header))
    return found


def _first_line(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.readline()


def write_files(files: list[DataFile], output_dir: Path, previous: str | None = None) -> None:
    """Write each file that still has its bytes (the others are in place already); one that
    the site being replaced, `previous`, holds already is linked (reuse.py)."""
    for file in files:
        if file.data is None:
            continue
        path = output_dir / file.path
        path.parent.mkdir(parents=True, exist_ok=True)
        old = None if previous is None else os.path.join(previous, file.path)
        reuse.write_bytes(str(path), file.data, old)

"""/data/datapackage.json: a Frictionless Data Package describing every CSV under /data/ (the
results tables, the office's raw files and the blank templates), from schema.py's columns.
No I/O: the published files and their headers in, the package's bytes out.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from generator import labels
from generator.layout import VILLAGES_FILE
from generator.site.schema import NOT_EVALUATED, RESULT_TABLES, Column, Table, raw_column

PACKAGE_PATH = "data/datapackage.json"
LICENSES = {
    "CC-BY-4.0": ("https://creativecommons.org/licenses/by/4.0/", "知识共享 署名 4.0 国际"),
    "CC0-1.0": ("https://creativecommons.org/publicdomain/zero/1.0/", "知识共享 CC0 1.0"),
    "ODC-BY-1.0": ("https://opendatacommons.org/licenses/by/1-0/", "开放数据共享 署名 1.0"),
}
VILLAGES_RESOURCE = "villages"


def package(
    town: str,
    files: Iterable[tuple[str, str, list[str]]],
    license: str,
    site_url: str,
    marks: dict[str, float] | None = None,
) -> dict:
    """The package of (path under the site, note, CSV header) of every published CSV; `marks`:
    each category's full marks by its name, the range its scores' columns are described with."""
    files = [(path.removeprefix("data/"), note, header) for path, note, header in files]
    has_villages = any(path == f"scores/{VILLAGES_FILE}" for path, _, _ in files)
    resources = []
    for path, note, header in files:
        table = RESULT_TABLES.get(path.removesuffix(".csv"))
        if table is not None:
            resources.append(result_resource(table, path, has_villages))
        else:
            resources.append(raw_resource(path, note, header, marks))
    described = {
        "name": "flagboard-results",
        "title": f"{town}红黄旗评比数据",
        "description": f"{town}各村红黄旗评比的结果和原始评分表。",
        "town": town,
        "licenses": [_license(license)],
        "resources": resources,
    }
    if site_url.startswith(("http://", "https://")):
        described["homepage"] = f"{site_url}/data/"
    return described


def package_bytes(described: dict) -> bytes:
    return (json.dumps(described, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _license(name: str) -> dict:
    found = LICENSES.get(name)
    if found is None:
        return {"name": name}
    return {"name": name, "path": found[0], "title": found[1]}


def result_resource(table: Table, path: str, has_villages: bool) -> dict:
    schema = {
        "fields": [_field(c) for c in table.columns],
        "primaryKey": list(table.primary_key),
        "missingValues": [""],
    }
    if has_villages and any(c.name == "village_id" for c in table.columns):
        schema["foreignKeys"] = [
            {
                "fields": ["village_id"],
                "reference": {"resource": VILLAGES_RESOURCE, "fields": [labels.ID_COLUMN]},
            }
        ]
    return _resource(table.name, path, f"{table.title}：{table.description}", schema)


def raw_resource(
    path: str, note: str, header: list[str], marks: dict[str, float] | None = None
) -> dict:
    """An office's file (villages, scores, events) or a blank template, from its header."""
    schema: dict = {
        "fields": [_field(raw_column(h, marks)) for h in header],
        "missingValues": NOT_EVALUATED,
    }
    if path == f"scores/{VILLAGES_FILE}":
        schema["primaryKey"] = [labels.ID_COLUMN]
        schema["missingValues"] = [""]
        name = VILLAGES_RESOURCE
    else:
        name = resource_name(path)
    return _resource(name, path, note, schema)


def resource_name(path: str) -> str:
    """'scores/2024/2024-05.events.csv' → 'scores-2024-05.events' (lower case, - _ . only)."""
    stem = path.removesuffix(".csv").rpartition("/")[2]
    return f"{path.partition('/')[0]}-{stem}".lower()


def _resource(name: str, path: str, description: str, schema: dict) -> dict:
    return {
        "name": name,
        "path": path,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8-sig",
        "description": description,
        "schema": schema,
    }


def _field(column: Column) -> dict:
    field = {
        "name": column.name,
        "type": column.type,
        "title": column.title,
        "description": column.description,
    }
    if column.codes:
        field["constraints"] = {"enum": list(column.codes)}
    return field

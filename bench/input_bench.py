"""Hostile and oversized inputs: how long `flagboard` takes to refuse them, its peak memory and
how much it prints (RULES.md §2.1; targets: ≤ 10 s, ≤ 500 MB, messages ≤ 100 KB each).

    .venv/bin/python bench/input_bench.py [--only NAME]

Each case is a scores folder (or a workbook) written under bench/work/input/ and run by a real
`flagboard` process; peak memory is that process's maximum resident set size.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work" / "input"
FLAGBOARD = Path(sys.executable).parent / "flagboard"
sys.path.insert(0, str(ROOT / "bench"))

from generator import demo as towngen  # noqa: E402

MB = 1024 * 1024


def base_town(folder: Path) -> Path:
    """A valid demo-shaped town with its first few months, as the cases' starting point."""
    files = towngen.demo_files()
    keep = {"town.toml", "villages.csv", "2023/2023-05.csv", "2023/2023-06.csv"}
    towngen.write_files({p: d for p, d in files.items() if p in keep}, folder)
    return folder


def csv_200mb(folder: Path) -> list[str]:
    """A 200 MB period file of valid-looking rows."""
    row = "东山村,90,90,90,90,90\r\n".encode()
    with open(folder / "2023" / "2023-07.csv", "wb") as handle:
        handle.write(
            "村名,党建引领发展,和美家园建设,整体协同智治,文明新风培育,美丽经济发展\r\n".encode()
        )
        chunk = row * (MB // len(row))
        for _ in range(200):
            handle.write(chunk)
    return ["validate", "--scores", str(folder)]


def events_1m_rows(folder: Path) -> list[str]:
    """A million valid 加分 events (about 60 MB)."""
    rows = ["村名,事件,类别,分值,说明"] + ["东山村,加分,党建引领发展,0.5,好"] * 1_000_000
    (folder / "2023" / "2023-06.events.csv").write_text("\r\n".join(rows), encoding="utf-8")
    return ["validate", "--scores", str(folder)]


def worst_csv_within_limits(folder: Path) -> list[str]:
    """Just under 5 MB and 200 columns, every cell a problem: the most work a valid size allows."""
    header = "村名," + ",".join(["党建引领发展"] + [f"列{i}" for i in range(198)])
    row = "x," + ",".join(["A"] * 199)
    count = (5 * MB - len(header.encode()) - 16) // (len(row) + 2)
    text = "\r\n".join([header] + [row] * count)
    (folder / "2023" / "2023-07.csv").write_text(text, encoding="utf-8")
    return ["validate", "--scores", str(folder)]


def blank_lines_5mb(folder: Path) -> list[str]:
    """A valid month followed by 5 MB of empty lines (once: 9 s and 970 MB)."""
    path = folder / "2023" / "2023-06.csv"
    data = path.read_bytes()
    path.write_bytes(data + b"\r\n" * ((5 * MB - len(data)) // 2))
    return ["validate", "--scores", str(folder)]


def unknown_villages_20000(folder: Path) -> list[str]:
    """20,000 rows naming villages that do not exist: 20,000 problems, 200 listed."""
    header = "村名,党建引领发展,和美家园建设,整体协同智治,文明新风培育,美丽经济发展"
    rows = [header] + [f"无此村{i},90,90,90,90,90" for i in range(20_000)]
    (folder / "2023" / "2023-07.csv").write_text("\r\n".join(rows), encoding="utf-8")
    return ["validate", "--scores", str(folder)]


def misspelt_villages_20000(folder: Path) -> list[str]:
    """20,000 villages, and a month naming each with one character wrong: every row is matched
    to the one village it likely means (load/near.py), never by comparing every pair."""
    lines = ["编号,村名,网格"] + [f"V{i},第{i:05d}村,东片网格" for i in range(20_000)]
    (folder / "villages.csv").write_text("\r\n".join(lines), encoding="utf-8")
    header = "村名,党建引领发展,和美家园建设,整体协同智治,文明新风培育,美丽经济发展"
    rows = [header] + [f"第{i:05d}材,90,90,90,90,90" for i in range(20_000)]
    (folder / "2023" / "2023-05.csv").write_text("\r\n".join(rows), encoding="utf-8")
    (folder / "2023" / "2023-06.csv").unlink()
    return ["validate", "--scores", str(folder)]


def town_toml_100k_grids(folder: Path) -> list[str]:
    """town.toml with 100,000 grids (3.4 MB): once a quadratic uniqueness check."""
    lines = ['town = "花木镇"', "[[rules]]", 'from = "2023-05"']
    lines += [f'[[grids]]\nid = "g{i}"\nname = "网格{i}"' for i in range(100_000)]
    (folder / "town.toml").write_text("\n".join(lines), encoding="utf-8")
    return ["validate", "--scores", str(folder)]


def town_toml_1mb_of_grids(folder: Path) -> list[str]:
    """town.toml just under 1 MB, all grids: refused as too many grids, checked linearly."""
    lines = ['town = "花木镇"', "[[rules]]", 'from = "2023-05"']
    size, i = 40, 0
    while size < MB - 100:
        entry = f'[[grids]]\nid = "g{i}"\nname = "网格{i}"'
        size += len(entry.encode()) + 1
        lines.append(entry)
        i += 1
    (folder / "town.toml").write_text("\n".join(lines), encoding="utf-8")
    return ["validate", "--scores", str(folder)]


def _xlsx(sheet_xml: bytes, compress: bool = True) -> bytes:
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as book:
        book.writestr("[Content_Types].xml", CONTENT_TYPES)
        book.writestr("_rels/.rels", RELS)
        book.writestr("xl/workbook.xml", WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        book.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return buffer.getvalue()


def workbook_far_cell(folder: Path) -> list[str]:
    """A 5 KB workbook whose one cell sits at XFD1048576 (once: 550 GB allocated)."""
    sheet = SHEET.format(rows='<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    path = folder.parent / "far-cell.xlsx"
    path.write_bytes(_xlsx(sheet.encode()))
    return ["import", str(path), "--month", "2023-07", "--scores", str(folder)]


def workbook_zip_bomb(folder: Path) -> list[str]:
    """A workbook whose sheet inflates to 200 MB of white space."""
    sheet = SHEET.format(rows=" " * (200 * MB)).encode()
    path = folder.parent / "zip-bomb.xlsx"
    path.write_bytes(_xlsx(sheet))
    return ["import", str(path), "--month", "2023-07", "--scores", str(folder)]


CASES = {
    "csv-200mb": csv_200mb,
    "events-1m-rows": events_1m_rows,
    "worst-csv-within-limits": worst_csv_within_limits,
    "blank-lines-5mb": blank_lines_5mb,
    "unknown-villages-20000": unknown_villages_20000,
    "misspelt-villages-20000": misspelt_villages_20000,
    "town-toml-100k-grids": town_toml_100k_grids,
    "town-toml-1mb-of-grids": town_toml_1mb_of_grids,
    "workbook-far-cell": workbook_far_cell,
    "workbook-zip-bomb": workbook_zip_bomb,
}

VALID_CASES = {"blank-lines-5mb"}  # within the limits: accepted, only the figures count

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
    '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.'
    'org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.'
    'org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
SHEET = (
    '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>'
)


def run_case(name: str) -> dict:
    """Write the case, then measure one `flagboard` process from a fresh child of this one."""
    folder = WORK / name / "scores"
    shutil.rmtree(folder.parent, ignore_errors=True)
    base_town(folder)
    argv = CASES[name](folder)
    probe = [sys.executable, __file__, "--measure", *argv]
    found = subprocess.run(probe, capture_output=True, check=True, text=True)
    return {"case": name, "input_mb": _size_mb(folder.parent), **json.loads(found.stdout)}


def measure(argv: list[str]) -> dict:
    started = time.perf_counter()
    done = subprocess.run([str(FLAGBOARD), *argv], capture_output=True)
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "exit": done.returncode,
        "seconds": round(seconds, 2),
        "peak_mb": round(peak_kb / 1024, 1),
        "message_kb": round((len(done.stdout) + len(done.stderr)) / 1024, 1),
        "first_line": (done.stderr or done.stdout).decode("utf-8", "replace").splitlines()[:1],
        "traceback": b"Traceback" in done.stderr,
    }


def _size_mb(folder: Path) -> float:
    total = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    return round(total / MB, 1)


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        print(json.dumps(measure(sys.argv[2:])))
        return 0
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=sorted(CASES))
    args = parser.parse_args()
    os.makedirs(WORK, exist_ok=True)
    print(f"{'case':26} {'input MB':>9} {'exit':>4} {'seconds':>8} {'peak MB':>8} {'msg KB':>7}")
    worst = True
    for name in [args.only] if args.only else CASES:
        row = run_case(name)
        refused = row["exit"] != 0 or name in VALID_CASES
        ok = refused and not row["traceback"] and row["seconds"] <= 10
        ok = ok and row["peak_mb"] <= 500 and row["message_kb"] <= 100
        worst &= ok
        print(
            f"{name:26} {row['input_mb']:>9} {row['exit']:>4} {row['seconds']:>8} "
            f"{row['peak_mb']:>8} {row['message_kb']:>7}  {'ok' if ok else 'OVER'}"
        )
        print(f"{'':26} {''.join(row['first_line'])[:110]}")
    return 0 if worst else 1


if __name__ == "__main__":
    sys.exit(main())

"""CSV cells no spreadsheet runs: the one place every CSV flagboard writes for people is made
formula-safe, and where a name read back from such a file loses what was added.

A text cell beginning with = + - @, a tab or a CR would be run by Excel, WPS or LibreOffice as
a formula (`=HYPERLINK(…)`, `-1+1`); it gets a leading apostrophe, which makes it text. Numbers
(-5, +1.5) stay numbers. Blank forms (forms.py), imported scores and the village list of `init`
(office/), the results tables (results.py) and everything under /data/ (site/publish.py) are
written through here. A name cannot hold an apostrophe (names.py), so `restore` can give the
loader back the name of a village or category from a form filled in and saved with the
apostrophe kept (WPS, LibreOffice) — Excel may drop it, which reads the same.
Imports only the standard library.
"""

from __future__ import annotations

import csv
import io
import re

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Where a cell could start with = + - @ tab or CR (false alarms only cost a full rewrite). An
# unquoted CR LF after a comma ends a line after an empty cell: no alarm. The text's first cell
# is checked apart, which lets the search skip ahead three times as fast.
_RISKY_CHARS = "=+-@\t\r"
_RISKY_AFTER_SEPARATOR = re.compile(r'[,\r\n](?:[=+\-@\t]|\r(?!\n)|"[=+\-@\t\r])')


def neutralise(text: str) -> str:
    """Spreadsheet-formula-safe text: a leading = + - @ tab or CR is made literal with '."""
    if text.startswith(FORMULA_START) and not is_number(text):
        return "'" + text
    return text


def restore(text: str) -> str:
    """A cell as it was before `neutralise`: the apostrophe it added, and only that, removed."""
    if text.startswith("'") and text[1:].startswith(FORMULA_START) and not is_number(text[1:]):
        return text[1:]
    return text


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def csv_bytes(rows, line_end: str = "\n") -> bytes:
    """Rows of text → UTF-8 with BOM (so that Excel and WPS open Chinese right), every cell
    neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=line_end)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return (BOM + buffer.getvalue()).encode("utf-8")


def formula_safe_csv(text: str) -> bytes:
    """CSV text → the same table as UTF-8 with BOM, every cell neutralised (the text as it is
    when no cell needs it, which is most of the time)."""
    text = text.removeprefix(BOM)
    if not _may_need_neutralising(text):
        return (BOM + text).encode("utf-8")
    return csv_bytes(csv.reader(io.StringIO(text, newline="")), "\r\n")


def _may_need_neutralising(text: str) -> bool:
    first = text[1:2] if text.startswith('"') else text[:1]
    return (first != "" and first in _RISKY_CHARS) or bool(_RISKY_AFTER_SEPARATOR.search(text))

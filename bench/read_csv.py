"""The yardstick of `flagboard compute`'s time: read and parse every CSV file of a scores folder
with pandas, and nothing else. `python bench/read_csv.py SCORES` (bench/run.py read).

Each file is decoded as flagboard reads it (UTF-8 with or without BOM, else GB18030) and
parsed by `pandas.read_csv` with its defaults (numbers read as numbers); the frames are all
kept until the end, as compute keeps its data. Started as a fresh interpreter, like the command
it is compared with, so that both pay for importing pandas.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pandas as pd


def read_all(scores: Path) -> list[pd.DataFrame]:
    """Every CSV file of the folder as a frame, all held at once, as compute holds its data."""
    frames = []
    for path in sorted(scores.rglob("*.csv")):
        data = path.read_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("gb18030")
        frames.append(pd.read_csv(io.StringIO(text)))
    return frames


if __name__ == "__main__":
    print(sum(map(len, read_all(Path(sys.argv[1])))), "rows")

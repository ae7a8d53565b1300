"""Loading: the office's files (bytes) → a validated Dataset, or every problem found.

cells (bytes → clean rows), townfile (town.toml), filecheck/scorefile/eventfile (the checks of
each kind of file), dataset (the validated data), loader (the folder as a whole).
"""

from generator.load.cells import read_rows
from generator.load.dataset import Dataset, PeriodFile
from generator.load.loader import load, load_files

__all__ = ["Dataset", "PeriodFile", "load", "load_files", "read_rows"]

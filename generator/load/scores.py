"""Score cells, a whole file's block at once: texts → integer hundredths and what is wrong.

A file's cells repeat a few hundred distinct texts, so each distinct text is parsed once
(cells.parse_number, the one definition of a number) and the results are spread over the
block with numpy; the range check is column-wise, and messages are made only for the cells
that fail (docs/data-format.md §2: a number from 0 to full marks, at most two decimals).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from generator import catalogue
from generator.load.cells import NOT_EVALUATED, parse_number
from generator.problems import Problem, quote

OK, EMPTY, NOT_A_NUMBER, TOO_MANY_DECIMALS, OUT_OF_RANGE = range(5)
_STATUS = {None: OK, "not_a_number": NOT_A_NUMBER, "too_many_decimals": TOO_MANY_DECIMALS}
_PROBLEMS = {
    NOT_A_NUMBER: catalogue.NOT_A_NUMBER,
    TOO_MANY_DECIMALS: catalogue.TOO_MANY_DECIMALS,
    OUT_OF_RANGE: catalogue.OUT_OF_RANGE,
}


@dataclass(frozen=True)
class Block:
    """A file's score cells: rows × score columns."""

    texts: np.ndarray  # object, the cleaned cell texts (a dash or 未参评 stays as it is)
    hundredths: np.ndarray  # int64, meaningful where status is OK
    status: np.ndarray  # int8: OK, EMPTY or what is wrong

    @property
    def scored(self) -> np.ndarray:
        return self.status == OK


def parse_block(texts: np.ndarray, full_hundredths: np.ndarray) -> Block:
    """Parse a rows × columns block of texts; column j's scores run from 0 to full_hundredths[j]."""
    codes, distinct = pd.factorize(texts.ravel())
    values = np.zeros(len(distinct), dtype=np.int64)
    status = np.zeros(len(distinct), dtype=np.int8)
    for i, text in enumerate(distinct):
        values[i], status[i] = _parse(text)
    hundredths = values[codes].reshape(texts.shape)
    found = status[codes].reshape(texts.shape)
    outside = (found == OK) & ((hundredths < 0) | (hundredths > full_hundredths[np.newaxis, :]))
    found[outside] = OUT_OF_RANGE
    return Block(texts, hundredths, found)


def _parse(text: str) -> tuple[int, int]:
    if not text or text in NOT_EVALUATED:  # 未参评, 缺考, "/", "-", "—": a blank cell
        return 0, EMPTY
    number = parse_number(text)
    if number.error == "too_large":
        return 0, OUT_OF_RANGE
    return number.hundredths or 0, _STATUS[number.error]


def failures(block: Block) -> tuple[np.ndarray, np.ndarray]:
    """(row positions, column positions) of the cells with a problem, row by row."""
    return np.nonzero(block.status > EMPTY)


def cell_problem(
    name: str, row: int, column: str, text: str, status: int, full_marks: float
) -> Problem:
    return _PROBLEMS[status].at(name, row, column, value=quote(text), full=f"{full_marks:g}")

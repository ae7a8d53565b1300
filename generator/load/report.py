"""Where the checks' problems go: at most PER_FILE listed per file, the rest only counted.

Checks are generators that yield Problems and return what they produced (a frame, a village
index); `Report.take(check)` runs one, keeping memory bounded however many problems a hostile
file has (docs/data-format.md §2.1).
"""

from __future__ import annotations

from collections.abc import Generator, Iterable
from dataclasses import dataclass
from typing import TypeVar

from generator.problems import PER_FILE, Problem, more_problems


@dataclass(frozen=True)
class Unlisted:
    """`count` more problems of `file`, past what can be listed: counted, never made."""

    file: str
    count: int


T = TypeVar("T")
Check = Generator[Problem | Unlisted, None, T]


class Report:
    """The problems found so far, by file, with the count of those not listed."""

    def __init__(self, problems: Iterable[Problem] = ()):
        self.problems: list[Problem] = []
        self.listed: dict[str, int] = {}
        self.unlisted: dict[str, int] = {}
        self.add(problems)

    def add(self, problems: Iterable[Problem | Unlisted]) -> None:
        for problem in problems:
            if isinstance(problem, Unlisted):
                self.unlisted[problem.file] = self.unlisted.get(problem.file, 0) + problem.count
                continue
            listed = self.listed.get(problem.file, 0)
            if listed >= PER_FILE:
                self.unlisted[problem.file] = self.unlisted.get(problem.file, 0) + 1
            else:
                self.listed[problem.file] = listed + 1
                self.problems.append(problem)

    def keep(self, problems: Iterable[Problem]) -> None:
        """Problems already limited where they were found (town.toml's), or of no file's list."""
        self.problems += problems

    def take(self, check: Check[T]) -> T:
        """Run a check to its end, recording what it yields; return what it returns."""
        while True:
            try:
                problem = next(check)
            except StopIteration as stop:
                return stop.value
            self.add((problem,))

    def all(self) -> list[Problem]:
        return self.problems + [more_problems(f, n) for f, n in sorted(self.unlisted.items())]


def tallied(check: Check[T]) -> Generator[Problem, None, tuple[T, int]]:
    """Pass a check's problems on, and return its result with how many there were."""
    count = 0
    while True:
        try:
            problem = next(check)
        except StopIteration as stop:
            return stop.value, count
        count += problem.count if isinstance(problem, Unlisted) else 1
        yield problem


def collect(check: Check[T]) -> tuple[list[Problem | Unlisted], T]:
    """A short check's problems as a list, and its result."""
    found = []
    while True:
        try:
            found.append(next(check))
        except StopIteration as stop:
            return found, stop.value

"""Did you mean: the one known name a misspelt one stands for (a village, a category).

Two names are near when one becomes the other by one character typed wrong, left out, added
or two neighbours swapped (「青石材」「青石」「青石村村」「石青村」 are all near 「青石村」), compared as
name_key() writes them. A name is suggested only when it is the only near one, and each known
name for at most one misspelt name: a doubtful match is never offered. Names longer than
MAX_CHARS are not compared. A name gives two keys per character (and two more), and a word
looks up as many: matching is linear in the names' total length, whatever their number.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TypeVar

from generator.model import name_key

MAX_CHARS = 40
MIN_CHARS = 2  # one character is too little to say what a name stands for
Value = TypeVar("Value")


def _keys(word: str) -> list[str]:
    """How a known name is found: itself, itself less one character (what a name missing it
    or wrong there also gives), and its characters sorted (a swap)."""
    keys = ["=" + word, "#" + "".join(sorted(word))]
    for i in range(len(word)):
        less = word[:i] + word[i + 1 :]
        keys += ["-" + less, f"~{i}~{less}"]  # the misspelt name left this one out, or wrote
    return keys  # another character here


def _probes(word: str) -> list[str]:
    """What a misspelt name looks up: the keys a near known name has."""
    probes = ["=" + word, "#" + "".join(sorted(word)), "-" + word]
    for i in range(len(word)):
        less = word[:i] + word[i + 1 :]
        probes += ["=" + less, f"~{i}~{less}"]  # one character too many, or another here
    return probes


class NearIndex:
    """Known names (each standing for a value) to look misspelt names up in."""

    def __init__(self, names: Mapping[str, Value]):
        self._found: dict[str, list[str]] = {}
        self._values = {}
        for name, value in names.items():
            key = name_key(name)
            if MIN_CHARS <= len(key) <= MAX_CHARS:
                self._values[key] = value
                for found in _keys(key):
                    self._found.setdefault(found, []).append(key)

    def near(self, word: str) -> set:
        """The values of every known name near `word` (not equal to it)."""
        key = name_key(word)
        if not MIN_CHARS <= len(key) <= MAX_CHARS:
            return set()
        found = self._found
        hits = {hit for probe in _probes(key) for hit in found.get(probe, ())}
        hits.discard(key)
        return {self._values[hit] for hit in hits}


def suggestions(words: Iterable[str], names: Mapping[str, Value]) -> dict[str, Value]:
    """Each misspelt word → the one value its near known names stand for, when that value is
    near no other of the words either."""
    index = NearIndex(names)
    found = {word: index.near(word) for word in dict.fromkeys(words)}
    claimed: dict = defaultdict(int)
    for values in found.values():
        for value in values:
            claimed[value] += 1
    return {
        word: next(iter(values))
        for word, values in found.items()
        if len(values) == 1 and claimed[next(iter(values))] == 1
    }


def suggestion(word: str, names: Mapping[str, Value]) -> Value | None:
    """The one value a misspelt word stands for, or None."""
    return suggestions([word], names).get(word)

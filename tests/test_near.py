"""generator/load/near.py: the one known name a misspelt one stands for, never a guess."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from generator.load.near import MAX_CHARS, NearIndex, suggestion, suggestions

VILLAGES = {"青石村": "A", "白沙村": "B", "柳岸村": "C", "东山村": "D", "东山": "E"}


def test_one_character_wrong_missing_added_or_two_swapped():
    assert suggestion("青石材", VILLAGES) == "A"  # wrong
    assert suggestion("白沙", VILLAGES) == "B"  # missing
    assert suggestion("柳岸村村", VILLAGES) == "C"  # added
    assert suggestion("石青村", VILLAGES) == "A"  # swapped


def test_no_guess_when_two_names_are_as_near():
    assert suggestion("东山材", VILLAGES) is None  # 东山村 (wrong) and 东山 (added)
    assert suggestion("红旗村", VILLAGES) is None  # near nothing
    assert suggestion("村", VILLAGES) is None  # one character says too little
    assert suggestion("青" * (MAX_CHARS + 1), {"青" * MAX_CHARS: "A"}) is None


def test_a_known_name_claimed_by_two_misspellings_is_suggested_for_neither():
    found = suggestions(["青石材", "青石林", "白沙材"], VILLAGES)
    assert found == {"白沙材": "B"}


def test_names_are_compared_as_name_key_writes_them():
    assert suggestion("青 石 材", VILLAGES) == "A"
    assert NearIndex({"ＡＢ村": 1}).near("AB材") == {1}


def reference_near(a: str, b: str) -> bool:
    """Levenshtein distance 1, or the same characters in another order (brute force)."""
    if a == b:
        return False
    if sorted(a) == sorted(b):
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


names = st.text(alphabet="青石白沙村东山柳岸", min_size=2, max_size=6)


@given(st.lists(names, min_size=1, max_size=12, unique=True), names)
def test_a_suggestion_is_the_only_near_name(known, word):
    assume(word not in known)  # a name that is known is never looked up
    near = [k for k in known if reference_near(word, k)]
    expected = near[0] if len(near) == 1 else None
    assert suggestion(word, {k: k for k in known}) == expected


def test_a_file_of_the_largest_size_is_matched_name_by_name():
    """20,000 misspelt names against 20,000 known ones: each found by its own keys (a few per
    character), never by comparing every pair (its speed: bench/input_bench.py's inputs)."""
    known = {f"村{i:06d}": i for i in range(20_000)}
    found = suggestions([f"材{i:06d}" for i in range(20_000)], known)
    assert len(found) == 20_000 and found["材000042"] == 42

"""A seeded mutation fuzzer over the demo town's bytes, and extreme values through the rules.

Whatever the office's software or an attacker makes of the files, loading ends in a Dataset or
in Chinese problems — never a traceback or a hang — and a Dataset always computes: validate and
compute agree. Numbers at the limits of RULES.md §2.1 never wrap around.
"""

from __future__ import annotations

import random
import signal
from contextlib import contextmanager

import pytest
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from test_properties import check_against_reference
from towns import Town

from generator.demo import demo_files
from generator.layout import SETTINGS_FILES, place
from generator.load import load_files
from generator.problems import InvalidData
from generator.results import table_csv
from generator.rules import compute

CASES = 300
SEED = 20261130
# Bytes an office program, a clerk or an attacker might put into a CSV.
PIECES = [
    b'"',
    b",",
    b"\r\n",
    b"\n",
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    "\u200b".encode(),
    "\u202e".encode(),
    "９".encode(),
    "．".encode(),
    "－".encode(),
    b"\x1b[2J",
    "东山村".encode(),
    "东山村".encode("gbk"),
    b"-1",
    b"1e308",
    b"99999999999999999999999",
    b"100.001",
    b'=HYPERLINK("x")',
    b"::error::x",
    "一票否决".encode(),
    "现场会".encode(),
    "加分".encode(),
]


def small_demo() -> dict[str, bytes]:
    """The demo town's shape with a few of its months: enough variety, fast to load."""
    files = demo_files()
    placed = {path: place(path) for path in files}
    months = sorted(p for p, at in placed.items() if at and at.kind in ("scores", "events"))
    keep = {*SETTINGS_FILES, *months[:8]}
    keep |= {p for p, at in placed.items() if at and at.kind == "annual"}
    return {path: data for path, data in files.items() if path in keep}


def mutate(data: bytes, rnd: random.Random) -> bytes:
    if rnd.random() < 0.4:
        return mutate_cell(data, rnd)
    for _ in range(rnd.randint(1, 4)):
        at = rnd.randrange(len(data) + 1)
        roll = rnd.random()
        if roll < 0.3:
            data = data[:at] + rnd.choice(PIECES) + data[at:]
        elif roll < 0.5 and data:
            data = data[:at] + bytes([rnd.randrange(256)]) + data[at + 1 :]
        elif roll < 0.7:
            data = data[:at] + data[at + rnd.randint(1, 40) :]
        elif roll < 0.85:
            lines = data.split(b"\n")
            line = rnd.randrange(len(lines))
            lines.insert(line, lines[rnd.randrange(len(lines))])
            data = b"\n".join(lines)
        else:
            data = data[:at]
    return data


def mutate_cell(data: bytes, rnd: random.Random) -> bytes:
    """A clerk's change: one cell of a data row becomes another score, empty, or a piece."""
    lines = data.split(b"\n")
    if len(lines) < 3:
        return data
    row = rnd.randrange(1, len(lines) - 1)
    cells = lines[row].split(b",")
    column = rnd.randrange(1, len(cells)) if len(cells) > 1 else 0
    choice = rnd.random()
    if choice < 0.6:
        cells[column] = f"{rnd.randint(0, 100)}.{rnd.randint(0, 99):02d}".encode()
    elif choice < 0.8:
        cells[column] = b""
    else:
        cells[column] = rnd.choice(PIECES)
    lines[row] = b",".join(cells)
    return b"\n".join(lines)


def mutated_towns():
    rnd = random.Random(SEED)
    base = small_demo()
    for _ in range(CASES):
        files = dict(base)
        for path in rnd.sample(sorted(files), rnd.randint(1, 3)):
            files[path] = mutate(files[path], rnd)
        if rnd.random() < 0.1:  # a file under a name it does not have
            source, target = rnd.sample(sorted(files), 2)
            files[target] = files[source]
        yield files


@contextmanager
def deadline(seconds: int):
    def hang(signum, frame):
        raise TimeoutError(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_mutated_demo_files_give_a_dataset_or_chinese_problems():
    outcomes = {"valid": 0, "refused": 0}
    for case, files in enumerate(mutated_towns()):
        with deadline(30):
            try:
                data = load_files(files)
            except InvalidData as error:
                outcomes["refused"] += 1
                assert error.problems, case
                for problem in error.problems:
                    assert problem.text().isprintable(), (case, problem)
                    assert _has_chinese(problem.message), (case, problem)
                continue
            outcomes["valid"] += 1
            results = compute(data)  # validate passed, so compute must too
            for name in ("flags", "rewards", "actions", "grid_averages"):
                table_csv(results, name)
    # The fuzzer reaches both sides: otherwise it tests nothing.
    assert outcomes["valid"] >= 25 and outcomes["refused"] >= 100, outcomes


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


# -- extreme values ----------------------------------------------------------------------------

EXTREME_SCORES = [0, 0.01, 1, 499.99, 999.99, 1000, None]
EXTREME_ADJUSTMENTS = ["0.01", "1", "999.99", "1000"]


@st.composite
def extreme_towns(draw) -> Town:
    rnd = random.Random(draw(st.integers(0, 2**32)))
    full = draw(st.sampled_from([1000, 1]))
    town = Town(grids=["g1"])
    town.categories = [("a", "甲项", "monthly", full), ("b", "乙项", "monthly", full)]
    town.rules = [
        {
            "from": "2023-01",
            "red_count": draw(st.sampled_from([1, 3, 20000])),
            "yellow_count": draw(st.sampled_from([0, 3, 20000])),
            "reward_tiers": [10_000_000] * draw(st.integers(1, 50)),
            "penalty_tiers": [0, 10_000_000],
        }
    ]
    scale = full / 1000
    villages = [f"v{i}" for i in range(draw(st.integers(1, 6)))]
    for month in ("2023-01", "2023-02", "2023-03"):
        scores = {
            v: [_scaled(rnd.choice(EXTREME_SCORES), scale) for _ in range(2)] for v in villages
        }
        scores[villages[0]][0] = full  # never a blank month
        town.month(month, scores)
        for v in villages:
            for column, name in enumerate(("甲项", "乙项")):
                if scores[v][column] is None:
                    continue
                for _ in range(rnd.randint(0, 25)):  # many adjustments of full marks each
                    kind = rnd.choice(["加分", "扣分"])
                    value = _scaled(float(rnd.choice(EXTREME_ADJUSTMENTS)), scale)
                    town.event(month, v, kind, name, value, "调整")
    return town


def _scaled(value, scale: float):
    if value is None:
        return None
    hundredths = round(value * scale * 100)
    return max(hundredths, 1) / 100 if value else 0


@settings(max_examples=examples(40))
@given(extreme_towns())
def test_extreme_values_never_wrap_around(town: Town):
    _, results = check_against_reference(town)
    assert (results.rewards["reward"] >= 0).all() and (results.rewards["penalty"] >= 0).all()
    assert results.rewards["reward"].max() <= 10_000_000


@pytest.mark.parametrize("value", ["1000", "999.99"])
def test_fifty_adjustments_of_full_marks_add_up_exactly(value):
    town = Town(grids=["g1"])
    town.categories = [("a", "甲项", "monthly", 1000), ("b", "乙项", "monthly", 1000)]
    town.rules = [{"from": "2020-01", "red_count": 1, "yellow_count": 1}]
    town.month("2023-01", {"v1": [1000, None], "v2": [0, None]})
    for _ in range(50):
        town.event("2023-01", "v1", "加分", "甲项", value, "奖")
        town.event("2023-01", "v2", "扣分", "甲项", value, "罚")
    flags = town.compute().flags.set_index("village_id")  # scores in integer hundredths
    step = round(float(value) * 100)
    assert flags.loc["v1", "score"] == 1000_00 + 50 * step
    assert flags.loc["v2", "score"] == -50 * step
    assert flags.loc["v1", "flag"] == "red" and flags.loc["v2", "flag"] == "yellow"


# -- names and content pages (issue 17 classes 2 and 4) -------------------------------------------

NAME_TEXT = (
    st.text(
        st.one_of(
            st.characters(codec="utf-8", exclude_characters=',"\r\n'),
            st.sampled_from(
                ["\u3164", "\u2800", "\u200b", "\ufe0f", "\u0301", "\u0430", "东", "A"]
            ),
        ),
        min_size=1,
        max_size=12,
    )
    .map(str.strip)
    .filter(bool)
)


@settings(max_examples=examples(150))
@given(NAME_TEXT)
def test_any_village_name_is_accepted_only_when_every_character_is_allowed(name):
    """A name either loads, holding only allowed characters, or is refused by codes that name
    its first foreign characters; never a traceback."""
    from generator.names import foreign_characters, is_name_character

    town = Town(names={"A1": name, "A2": "乙村"}).month("2024-01", {"A1": 90, "A2": 80})
    files = town.files()
    files["villages.csv"] = f"编号,村名,网格\nA1,{name},g1\nA2,乙村,g1\n".encode()
    try:
        data = load_files(files)
    except InvalidData as error:
        assert all(p.text().isprintable() for p in error.problems), name
        text = "\n".join(p.text() for p in error.problems)
        for code in foreign_characters(name)[:5]:
            assert code in text, (name, code)
        return
    assert all(is_name_character(c) for c in data.villages[0].name), name


META_KEYS = st.sampled_from(
    ["Title", "slug", "SLUG", "Save_as", "url", "Lang", "template", "Status", "Summary",
     "Date", "og_image", "Translation", "path", "Tags", "x-y_z"]
)  # fmt: skip


@settings(max_examples=examples(150))
@given(
    st.lists(st.tuples(META_KEYS, st.text(max_size=20)), max_size=6),
    st.sampled_from(["", "---\n"]),
    st.text(max_size=40),
)
def test_any_page_header_is_read_as_python_markdown_reads_it(header, start, body):
    """The line-by-line reading of a page's metadata finds exactly the keys Python-Markdown's
    meta extension gives Pelican, and every problem names one of the page's lines."""
    import markdown

    from generator.site.pagecheck import check_page, lines_of, settings_of

    lines = [f"{key}: {value}".replace("\r", " ").replace("\n", " ") for key, value in header]
    text = start + "\n".join(lines) + "\n\n" + body
    reader = markdown.Markdown(extensions=["markdown.extensions.meta"])
    reader.convert(text)
    found = {s.key.lower() for s in settings_of("pages/p.md", text)}
    assert found == set(reader.Meta), text
    problems = check_page("content/pages/p.md", "pages/p.md", text, {"pages/p.md"}, True)
    for problem in problems:
        assert problem.row is None or 1 <= problem.row <= len(lines_of(text)), problem

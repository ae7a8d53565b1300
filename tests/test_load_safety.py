"""RULES.md §2.1 at load time: only regular files, clean text, months that can be real, sizes,
bounded numbers, messages that quote little, problems of every file at once."""

from __future__ import annotations

import os
import threading

import pytest
from towns import Town, csv_bytes

from generator.cli import main
from generator.load import load, load_files
from generator.load.cells import MAX_COLUMNS, MAX_CSV_BYTES, MAX_DATA_ROWS
from generator.problems import PER_FILE, InvalidData

MONTH = "2024/2024-03.csv"
EVENTS = "2024/2024-03.events.csv"
SECRET = "TOP-SECRET-4711"


def base() -> Town:
    town = Town()
    town.month("2024-03", {"v1": [90, 80], "v2": [85, None], "v3": [70, 60], "v4": [65, 55]})
    return town


def codes(files: dict[str, bytes]) -> list[tuple]:
    with pytest.raises(InvalidData) as caught:
        load_files(files)
    return [(p.file, p.row, p.column, p.code) for p in caught.value.problems]


def messages(files: dict[str, bytes]) -> str:
    with pytest.raises(InvalidData) as caught:
        load_files(files)
    return "\n".join(p.text() for p in caught.value.problems)


def with_villages(text: str) -> dict[str, bytes]:
    files = base().files()
    files["villages.csv"] = text.encode()
    return files


# -- only regular files ---------------------------------------------------------------------


@pytest.fixture
def secret_file(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "2024-04.csv"  # even a valid-looking scores file outside is never read
    secret.write_bytes(csv_bytes([["编号", "甲项", "乙项"], [SECRET, "1", "2"]]))
    return secret


def test_a_symbolic_link_is_a_problem_and_is_never_read(tmp_path, secret_file, capsys):
    scores = base().write(tmp_path / "scores")
    (scores / "2024" / "2024-04.csv").symlink_to(secret_file)
    (scores / "linked").symlink_to(secret_file.parent, target_is_directory=True)
    (scores / "2024" / "dangling.csv").symlink_to(tmp_path / "nowhere")
    assert main(["validate", "--scores", str(scores), "--format", "github"]) == 1
    captured = capsys.readouterr()
    assert SECRET not in captured.out + captured.err
    prefix = scores.as_posix()
    with pytest.raises(InvalidData) as caught:
        load(scores)
    assert [(p.file, p.code) for p in caught.value.problems] == [
        (f"{prefix}/2024/2024-04.csv", "not_regular_file"),
        (f"{prefix}/2024/dangling.csv", "not_regular_file"),
        (f"{prefix}/linked", "not_regular_file"),
    ]


def test_a_fifo_is_refused_without_being_opened(tmp_path):
    scores = base().write(tmp_path / "scores")
    os.mkfifo(scores / "2024" / "2024-04.csv")
    found: list = []
    worker = threading.Thread(target=lambda: found.append(_codes_of(scores)), daemon=True)
    worker.start()
    worker.join(20)  # opening a FIFO for reading would block for ever
    assert not worker.is_alive(), "load() opened the FIFO"
    assert found == [[(f"{scores.as_posix()}/2024/2024-04.csv", "not_regular_file")]]


def _codes_of(scores) -> list[tuple]:
    try:
        load(scores)
    except InvalidData as error:
        return [(p.file, p.code) for p in error.problems]
    return []


def test_hidden_folders_such_as_a_nested_git_are_not_entered(tmp_path):
    scores = base().write(tmp_path / "scores")
    (scores / ".git").mkdir()
    (scores / ".git" / "2024-05.csv").write_bytes(b"\x00" * 100)
    assert load(scores).periods == ("2024-03",)


def test_a_huge_file_is_not_read_past_the_limit(tmp_path):
    scores = base().write(tmp_path / "scores")
    with open(scores / "2024" / "2024-04.csv", "wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: 200 MB that cost no disk
    assert _codes_of(scores) == [(f"{scores.as_posix()}/2024/2024-04.csv", "file_too_large")]


# -- clean text ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, code",
    [
        ("东\u200b山村", "U+200B"),
        ("东山\u202e村", "U+202E"),
        ("东\x00山村", "U+0000"),
        ("东\x1b[31m", "U+001B"),
    ],
)
def test_invisible_and_control_characters_in_names_are_refused(name, code):
    files = with_villages(f"编号,村名,网格\nv1,{name},g1\nv2,v2村,g1\nv3,v3村,g1\nv4,v4村,g1\n")
    with pytest.raises(InvalidData) as caught:
        load_files(files)
    (problem,) = caught.value.problems
    assert (problem.file, problem.row, problem.column, problem.code) == (
        "scores/villages.csv",
        2,
        "村名",
        "name_characters",  # names are held to an allow-list: tests/test_hostile_names.py
    )
    assert code in problem.message
    assert all(c.isprintable() for c in problem.text())


def test_names_equal_after_nfkc_and_without_spaces_are_duplicates():
    files = with_villages("编号,村名,网格\nv1,东山村,g1\nv2,东 山村,g1\nv3,ＡＢ村,g1\nv4,AB村,g1\n")
    assert codes(files) == [
        ("scores/villages.csv", 3, "村名", "duplicate_name"),
        ("scores/villages.csv", 5, "村名", "duplicate_name"),
    ]


def test_a_scores_file_may_name_a_village_as_nfkc_reads_it():
    files = base().files()
    files["villages.csv"] = (
        "编号,村名,网格\nv1,ＡＢ村,g1\nv2,v2村,g1\nv3,v3村,g1\nv4,v4村,g1\n".encode()
    )
    rows = [["村名", "甲项", "乙项"], ["AB村", "90", "80"], ["v2村", "85", ""]]
    rows += [["v3 村", "70", "60"], ["v4村", "65", "55"]]
    files[MONTH] = csv_bytes(rows)
    assert len(load_files(files).scores) == 8


def test_control_characters_in_a_note_are_refused():
    files = base().event("2024-03", "v1", "加分", "甲项", "1", "好\x1b]0;pwned\x07").files()
    assert codes(files) == [(f"scores/{EVENTS}", 2, "说明", "unsafe_characters")]


def test_town_toml_names_are_clean():
    files = base().files()
    files["town.toml"] = files["town.toml"].replace("测试镇".encode(), "测试\u200b镇".encode())
    assert "U+200B" in messages(files)


def test_town_toml_names_are_unique_after_nfkc():
    files = base().files()
    files["town.toml"] = files["town.toml"].replace("g2网格".encode(), "g1 网格".encode())
    assert "grids.name 有重复" in messages(files)


# -- a month that cannot be real ------------------------------------------------------------


def test_a_month_without_any_score_is_refused():
    town = base()
    town.month("2024-04", {v: [None, None] for v in ("v1", "v2", "v3", "v4")})
    assert codes(town.files()) == [("scores/2024/2024-04.csv", 1, None, "blank_period")]


def test_a_month_equal_to_the_previous_is_a_warning_and_still_valid(tmp_path, capsys):
    town = base()
    town.month("2024-04", dict(town.periods["2024-03"]))
    data = load_files(town.files())
    assert [(p.file, p.code, p.severity) for p in data.warnings] == [
        ("scores/2024/2024-04.csv", "same_as_previous", "warning")
    ]
    scores = town.write(tmp_path / "scores")
    assert main(["validate", "--scores", str(scores), "--format", "github"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"::warning file={scores.as_posix()}/2024/2024-04.csv,")
    assert out[-1].startswith("校验通过")


def test_a_different_month_gives_no_warning():
    town = base()
    town.month("2024-04", {"v1": [90, 80], "v2": [85, None], "v3": [70, 60], "v4": [65, 56]})
    assert load_files(town.files()).warnings == ()


@pytest.mark.parametrize("name", ["9999/9999-12.csv", "1999/1999-12.csv", "2100/2100-01.csv"])
def test_periods_outside_2000_to_2099_are_bad_file_names(name):
    files = base().files()
    files[name] = files[MONTH]
    assert codes(files) == [(f"scores/{name}", None, None, "bad_file_name")]


def test_an_annual_file_of_an_impossible_year_is_a_bad_file_name():
    files = base().files()
    files["9999/9999-annual.csv"] = csv_bytes([["编号", "年度项"], ["v1", "90"]])
    assert codes(files) == [("scores/9999/9999-annual.csv", None, None, "bad_file_name")]


# -- sizes ----------------------------------------------------------------------------------


def test_a_file_over_5_mb_is_one_problem():
    files = base().files()
    files[MONTH] = files[MONTH] + b"\r\n" * ((MAX_CSV_BYTES - len(files[MONTH])) // 2 + 1)
    assert codes(files) == [(f"scores/{MONTH}", None, None, "file_too_large")]


def test_more_than_20000_rows_is_one_problem():
    files = base().files()
    rows = [["编号", "甲项", "乙项"]] + [["v1", "1", "1"]] * (MAX_DATA_ROWS + 1)
    files[MONTH] = csv_bytes(rows)
    assert codes(files) == [(f"scores/{MONTH}", MAX_DATA_ROWS + 2, None, "too_many_cells")]


def test_more_than_200_columns_is_one_problem():
    files = base().files()
    files[MONTH] = csv_bytes([["编号", "甲项", "乙项", *["x"] * (MAX_COLUMNS - 2)]])
    assert codes(files) == [(f"scores/{MONTH}", 1, None, "too_many_cells")]


def test_a_town_toml_over_1_mb_is_one_problem():
    files = base().files()
    files["town.toml"] += b"#" * (1024 * 1024)
    assert codes(files) == [("scores/town.toml", None, None, "file_too_large")]


def test_at_most_200_problems_are_listed_per_file_and_the_rest_counted(tmp_path, capsys):
    town = base()
    files = town.files()
    # no id near a village's (v1 … v4), which would be one linked problem instead of two
    rows = [["编号", "甲项", "乙项"]] + [[f"x{i:03d}", "1", "1"] for i in range(500)]
    files[MONTH] = csv_bytes(rows)
    with pytest.raises(InvalidData) as caught:
        load_files(files)
    problems = caught.value.problems
    listed = [p for p in problems if p.file == f"scores/{MONTH}" and p.code != "more_problems"]
    (more,) = [p for p in problems if p.code == "more_problems"]
    assert len(listed) == PER_FILE
    assert more.count == 500 + 4 - PER_FILE  # 500 unknown and 4 missing villages
    for path, data in files.items():
        (tmp_path / "scores" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "scores" / path).write_bytes(data)
    assert main(["validate", "--scores", str(tmp_path / "scores")]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[-1].startswith("共发现 504 个问题")
    assert len(err.splitlines()) == PER_FILE + 2


BAD_CELLS = (("甲项", "not_a_number"), ("乙项", "out_of_range"))


def test_the_200_listed_are_the_first_in_row_order_and_every_bad_cell_is_counted():
    files = base().files()
    rows = [["编号", "甲项", "乙项"]]
    rows += [[f"v{i}", "x", "101"] for i in range(1, 5)]  # 8 bad cells in the first rows
    rows += [["v1", "1", "1"]] * 3  # 3 duplicate rows, each one problem
    rows += [["v2", "1", "1"]] + [[f"v{i % 4 + 1}", "x", "1.001"] for i in range(20_000 - 8)]
    files[MONTH] = csv_bytes(rows)
    with pytest.raises(InvalidData) as caught:
        load_files(files)
    problems = [p for p in caught.value.problems if p.file == f"scores/{MONTH}"]
    listed = [(p.row, p.column, p.code) for p in problems if p.code != "more_problems"]
    assert set(listed[:4]) == {(r, c, code) for r in (2, 3) for c, code in BAD_CELLS}
    assert listed[8:11] == [(r, "编号", "duplicate_village") for r in (6, 7, 8)]
    assert len(listed) == PER_FILE
    (more,) = [p for p in problems if p.code == "more_problems"]
    assert more.count == 8 + 3 + 1 + (20_000 - 8) - PER_FILE  # no cell of a duplicate row


@pytest.mark.parametrize(
    "setting, message",
    [
        ("full_marks = inf", "有限的数字"),
        ("full_marks = nan", "有限的数字"),
        ("full_marks = 0", "不能小于 1"),
        ("full_marks = 1001", "不能大于 1000"),
        ("full_marks = 99.999", "两位小数"),
    ],
)
def test_full_marks_run_from_1_to_1000(setting, message):
    files = base().files()
    files["town.toml"] = files["town.toml"].replace(
        b'kind = "monthly"', f'kind = "monthly"\n{setting}'.encode(), 1
    )
    assert message in messages(files)


@pytest.mark.parametrize(
    "rule, message",
    [
        ("reward_tiers = [10000001]", "不能大于 10000000"),
        ("penalty_tiers = [99999999999999999999999]", "不能大于 10000000"),
        ("reward_tiers = [-1]", "不能小于 0"),
        ("red_count = 9223372036854775808", "不能大于 20000"),
        ("reward_tiers = [1.5]", "整数"),
    ],
)
def test_rule_numbers_are_bounded(rule, message):
    town = base()
    town.rules = [{"from": "2020-01"}]
    files = town.files()
    files["town.toml"] += f"{rule}\n".encode()
    assert message in messages(files)


def test_deeply_nested_toml_is_a_message_not_a_recursion_error():
    files = base().files()
    files["town.toml"] = b"x = " + b"[" * 5000 + b"]" * 5000 + b"\n"
    assert codes(files) == [("scores/town.toml", None, None, "bad_toml")]


def test_too_many_grids_is_one_message():
    town = base()
    town.grids = [f"g{i}" for i in range(1, 502)]
    assert "最多 500 项" in messages(town.files())


# -- numbers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, code",
    [
        ("50000000000000000", "value_over_full_marks"),
        ("101", "value_over_full_marks"),
        ("100.01", "value_over_full_marks"),
        ("5e16", "bad_value"),
    ],
)
def test_an_adjustment_above_full_marks_is_refused(value, code):
    files = base().event("2024-03", "v1", "扣分", "甲项", value, "处罚").files()
    assert codes(files) == [(f"scores/{EVENTS}", 2, "分值", code)]


def test_an_adjustment_of_exactly_full_marks_is_accepted():
    files = base().event("2024-03", "v1", "加分", "甲项", "100", "奖励").files()
    assert len(load_files(files).events) == 1


def test_a_score_of_a_million_digits_is_out_of_range_quickly():
    files = base().files()
    files[MONTH] = files[MONTH].replace(b"v1,90", b"v1," + b"9" * 100_000)
    assert codes(files) == [(f"scores/{MONTH}", 2, "甲项", "out_of_range")]


# -- messages quote little ------------------------------------------------------------------


def test_a_long_cell_is_quoted_in_at_most_40_characters():
    files = base().files()
    files[MONTH] = files[MONTH].replace(b"v1,90", b"v1," + "长".encode() * 5000)
    text = messages(files)
    assert text.count("长") == 40 and "共5000个字符" in text


def test_github_output_cannot_carry_a_workflow_command(tmp_path, capsys):
    files = base().files()
    hostile = '"85\n::add-mask::x\n::error file=generator/cli.py::owned"'
    files[MONTH] = files[MONTH].replace(b"v1,90", f"v1,{hostile}".encode())
    for path, data in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(data)
    assert main(["validate", "--scores", str(tmp_path), "--format", "github"]) == 1
    captured = capsys.readouterr()
    out, err = captured.out.splitlines(), captured.err.splitlines()
    assert all(line.startswith("::error file=") for line in out)
    assert not any(line.lstrip().startswith("::") for line in err)
    assert not any("::add-mask::" in line.split("::", 2)[-1][:0] for line in out)
    assert len(out) == 1 and "U+000A" in out[0]


# -- problems of every file at once ---------------------------------------------------------


def test_a_bad_villages_row_does_not_hide_the_scores_files_problems():
    files = with_villages("编号,村名,网格\nv1,v1村,nowhere\nv2,v2村,g1\nv3,v3村,g1\nv4,v4村,g1\n")
    files[MONTH] = files[MONTH].replace(b"v2,85", b"v2,8S")
    assert codes(files) == [
        (f"scores/{MONTH}", 3, "甲项", "not_a_number"),
        ("scores/villages.csv", 2, "网格", "unknown_grid"),
    ]


# -- 曾用名 and [notice] (RULES.md §2) ------------------------------------------------------


def renamed_town() -> dict[str, bytes]:
    files = base().files()
    files["villages.csv"] = (
        "编号,村名,网格,曾用名\nv1,荷花社区,g1,荷花村、老荷花村\nv2,v2村,g1,\nv3,v3村,g1,\nv4,v4村,g1,\n"
    ).encode()
    return files


def test_a_scores_file_may_use_a_former_name():
    files = renamed_town()
    rows = [["村名", "甲项", "乙项"], ["荷花村", "90", "80"], ["v2村", "85", ""]]
    rows += [["v3村", "70", "60"], ["v4村", "65", "55"]]
    files[MONTH] = csv_bytes(rows)
    files[EVENTS] = csv_bytes(
        [["村名", "事件", "类别", "分值", "说明"], ["老荷花村", "加分", "甲项", "1", "好"]]
    )
    data = load_files(files)
    assert data.village("v1").former_names == ("荷花村", "老荷花村")
    assert data.village("v1").name == "荷花社区"
    assert set(data.events["village_id"]) == {"v1"}


def test_a_former_name_may_not_be_another_villages_name_or_former_name():
    files = renamed_town()
    files["villages.csv"] = (
        "编号,村名,网格,曾用名\nv1,荷花社区,g1,荷花村\nv2,v2村,g1,v3村\nv3,v3村,g1,\nv4,v4村,g1,荷花村\n"
    ).encode()
    assert codes(files) == [
        ("scores/villages.csv", 3, "曾用名", "duplicate_name"),
        ("scores/villages.csv", 5, "曾用名", "duplicate_name"),
    ]


def test_the_notice_table_is_read_and_checked():
    files = base().files()
    notice = '[notice]\nissuer = "花木镇人民政府"\ncontact = "镇督查室 0571-00000000"\nreview_days = 5\nicp = ""\n'
    files["town.toml"] += notice.encode()
    assert load_files(files).town.notice.issuer == "花木镇人民政府"
    files["town.toml"] += b"[notice.extra]\n"
    bad = base().files()
    bad["town.toml"] += '[notice]\nissuer = "镇\u202e政府"\nreview_days = 0\n'.encode()
    text = messages(bad)
    assert "U+202E" in text and "复议期限" in text


def test_a_folder_nested_thousands_deep_is_walked_without_recursion(tmp_path):
    scores = base().write(tmp_path / "scores")
    deep = scores
    for _ in range(1500):  # one by one: os.makedirs itself recurses
        deep = deep / "a"
        deep.mkdir()
    (deep / "x.csv").write_bytes(b"1")
    try:
        found = _codes_of(scores)
    finally:  # shutil.rmtree (pytest's clean-up too) recurses: take the tree down leaf first
        (deep / "x.csv").unlink()
        while deep != scores:
            deep.rmdir()
            deep = deep.parent
    assert len(found) == 1 and found[0][1] == "unexpected_file"


def test_thousands_of_bad_files_print_at_most_1000_lines(tmp_path, capsys):
    scores = base().write(tmp_path / "scores")
    for i in range(3000):
        (scores / f"junk{i}.txt").write_bytes(b"")
    assert main(["validate", "--scores", str(scores)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1001 and lines[-1].startswith("共发现 3000 个问题")
    assert "还有 2001 个问题未列出" in lines[-2]


@pytest.mark.parametrize("filler", [b"\n", b",\n", b" , \r\n"])
def test_millions_of_blank_lines_within_5_mb_are_skipped_not_stored(filler):
    files = base().files()
    files[MONTH] += filler * ((MAX_CSV_BYTES - len(files[MONTH])) // len(filler))
    data = load_files(files)  # as valid as without them; bounded memory is the bench's to show
    assert len(data.scores) == 8

"""The `flagboard` command line: exit codes and exact output for validate and compute."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from towns import Town, csv_bytes

from generator.cli import _parser, main


@pytest.fixture
def good_town(tmp_path):
    town = Town().month("2024-03", {"v1": 90, "v2": 80, "v3": 70, "v4": 60})
    return town.write(tmp_path / "scores")


@pytest.fixture
def bad_town(good_town):
    (good_town / "2024" / "2024-03.csv").write_bytes(
        csv_bytes(
            [
                ["编号", "甲项", "乙项"],
                ["v1", "9O", ""],
                ["v2", "80", ""],
                ["v3", "70", ""],
                ["v4", "60", "101"],
            ]
        )
    )
    return good_town


def test_validate_ok_prints_one_summary_line(good_town, capsys):
    assert main(["validate", "--scores", str(good_town)]) == 0
    out = capsys.readouterr().out
    assert (
        out
        == "校验通过:测试镇,2 个网格,4 个村,1 个评比月份(2024-03 至 2024-03),0 条事件,0 个年度评比\n"
    )


def test_validate_reports_every_problem_in_chinese(bad_town, capsys):
    assert main(["validate", "--scores", str(bad_town)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    name = f"{bad_town.as_posix()}/2024/2024-03.csv"
    assert captured.err.splitlines() == [
        f'{name} 第2行「甲项」列: "9O" 不是数字,请填写0到100之间的分数',
        f'{name} 第5行「乙项」列: "101" 超出范围,请填写0到100之间的分数',
        "共发现 2 个问题,请改正后重新提交。",
    ]


def test_validate_github_annotations(bad_town, capsys):
    assert main(["validate", "--scores", str(bad_town), "--format", "github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    name = f"{bad_town.as_posix()}/2024/2024-03.csv"
    assert len(lines) == 2
    assert lines[0].startswith(f"::error file={name},line=2,title=评比数据有误「甲项」列::")
    assert lines[0].endswith('"9O" 不是数字,请填写0到100之间的分数')


def test_validate_json(bad_town, capsys):
    assert main(["validate", "--scores", str(bad_town), "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["ok"] is False
    assert [(p["row"], p["column"], p["code"]) for p in document["problems"]] == [
        (2, "甲项", "not_a_number"),
        (5, "乙项", "out_of_range"),
    ]


def test_validate_json_ok(good_town, capsys):
    assert main(["validate", "--scores", str(good_town), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"ok": True, "problems": []}


def test_missing_folder_is_a_message_not_a_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "validate", "--scores", str(tmp_path / "nope")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "找不到评分数据文件夹" in result.stderr and "Traceback" not in result.stderr


def test_the_command_flushes_its_output_before_leaving(good_town, tmp_path):
    # run() leaves with os._exit (no interpreter teardown): piped output must still arrive
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator.cli",
            "compute",
            "--scores",
            str(good_town),
            "--out",
            str(tmp_path / "results"),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("已计算:测试镇")
    assert (tmp_path / "results" / "results.json").stat().st_size > 0


def test_compute_writes_nothing_from_bad_data(bad_town, tmp_path, capsys):
    out = tmp_path / "results"
    assert main(["compute", "--scores", str(bad_town), "--out", str(out)]) == 1
    assert not out.exists()
    assert "不是数字" in capsys.readouterr().err


def test_compute_writes_the_four_tables_and_json(good_town, tmp_path, capsys):
    out = tmp_path / "results"
    assert main(["compute", "--scores", str(good_town), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "actions.csv",
        "flags.csv",
        "grid_averages.csv",
        "results.json",
        "rewards.csv",
    ]
    assert (out / "rewards.csv").read_text().splitlines()[
        0
    ] == "period,village_id,red,yellow,reward,penalty,net"
    assert capsys.readouterr().out.startswith("已计算:测试镇")


def test_every_command_is_documented():
    parser = _parser()
    commands = parser._subparsers._group_actions[0].choices
    helps = {a.dest: a.help for a in parser._subparsers._group_actions[0]._choices_actions}
    assert {"validate", "compute"} <= set(commands)
    for name in commands:
        assert helps.get(name), f"command {name} has no help text"
        for action in commands[name]._actions:
            if action.dest != "help":
                assert action.help, f"{name} {action.dest} has no help text"

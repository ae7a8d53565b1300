"""The `flagboard` command line: exit codes and exact output for validate and compute."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from _mount_helpers import PRIVATE_MOUNT, run_in_private_mount
from towns import Town, csv_bytes

from generator.cli import _parser, main


@pytest.fixture
def good_town(tmp_path):
    scores = {"v1": [90, 80], "v2": [80, 70], "v3": [70, 60], "v4": [60, 50]}
    return Town().month("2024-03", scores).write(tmp_path / "scores")


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
    assert out.startswith("校验通过：测试镇") and out.count("\n") == 1
    assert "4 个村" in out and "1 个评比月份" in out


def test_validate_reports_every_problem_in_chinese(bad_town, capsys):
    assert main(["validate", "--scores", str(bad_town)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    name = f"{bad_town.as_posix()}/2024/2024-03.csv"
    lines = captured.err.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(f"{name} 第2行「甲项」列：「9O」不是数字")
    assert lines[1].startswith(f"{name} 第5行「乙项」列：「101」超出范围")
    assert lines[2] == "共发现 2 个问题，请改正后重新提交。"


def test_validate_github_annotations(bad_town, capsys):
    assert main(["validate", "--scores", str(bad_town), "--format", "github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    name = f"{bad_town.as_posix()}/2024/2024-03.csv"
    assert len(lines) == 2
    assert lines[0].startswith(f"::error file={name},line=2,title=评比数据有误「甲项」列::")
    assert "「9O」不是数字" in lines[0]


def test_validate_json(bad_town, capsys):
    assert main(["validate", "--scores", str(bad_town), "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["ok"] is False
    assert [(p["row"], p["column"], p["code"]) for p in document["problems"]] == [
        (2, "甲项", "not_a_number"),
        (5, "乙项", "out_of_range"),
    ]


def test_validate_json_ok(good_town, tmp_path, capsys):
    assert main(["validate", "--scores", str(good_town), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"ok": True, "problems": []}
    # 乙项 blank for every village: a warning, and still ok
    blank = Town().month("2024-03", {"v1": 90, "v2": 80, "v3": 70, "v4": 60})
    assert main(["validate", "--scores", str(blank.write(tmp_path / "b")), "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["ok"] is True
    assert [(p["column"], p["code"], p["severity"]) for p in found["problems"]] == [
        ("乙项", "blank_category", "warning")
    ]


def test_validate_gitlab_code_quality_report(bad_town, capsys):
    """GitLab shows a Code Quality report's findings on the merge request's files and rows."""
    assert main(["validate", "--scores", str(bad_town), "--format", "gitlab"]) == 1
    captured = capsys.readouterr()
    findings = json.loads(captured.out)
    name = f"{bad_town.as_posix()}/2024/2024-03.csv"
    assert [(f["location"], f["check_name"], f["severity"]) for f in findings] == [
        ({"path": name, "lines": {"begin": 2}}, "not_a_number", "major"),
        ({"path": name, "lines": {"begin": 5}}, "out_of_range", "major"),
    ]
    assert findings[0]["description"].startswith(f"{name} 第2行「甲项」列：「9O」不是数字")
    assert [len(f["fingerprint"]) for f in findings] == [64, 64]
    assert findings[0]["fingerprint"] != findings[1]["fingerprint"]
    assert captured.err.splitlines()[-1] == "共发现 2 个问题，请改正后重新提交。"
    # The same problems next time: the same fingerprints (GitLab tells fixed from still there).
    main(["validate", "--scores", str(bad_town), "--format", "gitlab"])
    assert [f["fingerprint"] for f in json.loads(capsys.readouterr().out)] == [
        f["fingerprint"] for f in findings
    ]


def test_validate_gitlab_report_of_good_data_is_empty_or_warnings(good_town, tmp_path, capsys):
    assert main(["validate", "--scores", str(good_town), "--format", "gitlab"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == []
    assert captured.err.startswith("校验通过：测试镇")
    scores = {"v1": 90, "v2": 80, "v3": 70, "v4": 60}  # the same as last month: a warning
    repeated = Town().month("2024-03", scores).month("2024-04", scores).write(tmp_path / "again")
    assert main(["validate", "--scores", str(repeated), "--format", "gitlab"]) == 0
    captured = capsys.readouterr()
    findings = json.loads(captured.out)
    assert findings and {f["severity"] for f in findings} == {"minor"}
    assert "（提醒）" in captured.err and "校验通过" in captured.err
    assert findings[0]["location"]["path"].startswith(repeated.as_posix())


def test_missing_folder_is_a_message_not_a_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "validate", "--scores", str(tmp_path / "nope")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "找不到评分数据文件夹" in result.stderr and "Traceback" not in result.stderr


EXISTS, NOT_A_FOLDER = "已经存在", "路径中有一段是文件，不是文件夹"


@pytest.mark.parametrize(
    "command, taken, reason",
    [
        (["compute", "--out", "{taken}"], "taken", EXISTS),
        (["compute", "--out", "{taken}/results"], "taken", NOT_A_FOLDER),
        (["new-month", "2026-01"], "2026", EXISTS),
        (["new-annual", "2026"], "2026", EXISTS),
    ],
)
def test_a_folder_the_machine_refuses_is_a_chinese_message_not_a_traceback(
    good_town, tmp_path, command, taken, reason
):
    """A file where a command must make a folder (the results, a new year's): the path, the
    reason and what to do, exit 1; nothing else written."""
    blocker = (tmp_path / taken) if taken == "taken" else (good_town / taken)
    blocker.write_text("同名文件", encoding="utf-8")
    argv = [w.replace("{taken}", str(blocker)) for w in command] + ["--scores", str(good_town)]
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", *argv], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "Error" not in result.stderr
    named = argv[2] if argv[0] == "compute" else str(blocker)
    assert f"{named}：读写时出错：{reason}" in result.stderr
    assert "请检查这个路径、磁盘空间和权限" in result.stderr
    assert blocker.read_text(encoding="utf-8") == "同名文件"


def test_a_results_json_that_cannot_be_written_is_said_by_compute(good_town, tmp_path):
    """results.json is written by a second process (results.write_results): its OSError is
    still the command's Chinese message, naming the file."""
    out = tmp_path / "results"
    (out / "results.json").mkdir(parents=True)
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "compute", "--scores", str(good_town)]
        + ["--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{out / 'results.json'}：读写时出错：应是文件，却是文件夹" in result.stderr
    assert (out / "flags.csv").is_file()  # the tables were written beside it


FULL_DISK = """
import subprocess, sys
disk, scores = sys.argv[1], sys.argv[2]
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", disk], check=True)
with open(disk + "/filler", "wb", buffering=0) as filler:  # the whole disk
    try:
        while True:
            filler.write(b"x" * 4096)
    except OSError:
        pass
done = subprocess.run([sys.executable, "-m", "generator.cli", "compute", "--scores", scores,
                       "--out", disk + "/results"], capture_output=True, text=True)
print(done.returncode)
print(done.stderr, end="")
"""


@PRIVATE_MOUNT
def test_a_full_disk_is_said_with_the_folder_compute_was_writing_to(good_town, tmp_path):
    """A write that fails names no file: the message names the --out folder instead."""
    disk = tmp_path / "disk"
    disk.mkdir()
    done = run_in_private_mount(FULL_DISK, tmp_path, disk, good_town, timeout=60)
    code, _, said = done.stdout.partition("\n")
    assert code == "1", done.stdout + done.stderr
    assert "Traceback" not in said
    assert said.startswith(f"{disk / 'results'}：读写时出错：磁盘空间不足；")


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
    assert result.stdout.startswith("已计算：测试镇")
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
    assert capsys.readouterr().out.startswith("已计算：测试镇")


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


# -- argparse in Chinese -------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
HALF_WIDTH = re.compile(r"[\u4e00-\u9fff][,:;()?!]|[,:;()?!][\u4e00-\u9fff]")
ENGLISH = ("usage:", "error:", "options:", "positional arguments", "show this help", "invalid")


def usage_error(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as exited:
        main(list(argv))
    assert exited.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert not [word for word in ENGLISH if word in captured.err], captured.err
    return captured.err


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--bogus"], "错误：不认识的参数：--bogus"),
        (["nope"], "错误：命令：「nope」不是可选的值，可选：validate、compute"),
        (["validate", "--format", "xml"], "错误：参数 --format：「xml」不是可选的值，可选：text、"),
        (["validate", "--scores"], "错误：参数 --scores：后面要跟一个值"),
        (["import"], "错误：缺少参数：文件"),
        (["import", "x.xlsx"], "错误：请给出其中一个参数：--month、--annual"),
        (
            ["import", "x.xlsx", "--month", "2024-01", "--annual", "2024"],
            "不能与参数 --month 同时使用",
        ),
        (["build", "--jobs", "0"], "错误：参数 --jobs：应为正整数，而不是「0」"),
        (
            ["serve", "--port", "abc"],
            "错误：参数 --port：端口应为 1 到 65535 之间的整数，而不是「abc」",
        ),
        (["serve", "--port", "80000"], "错误：参数 --port：端口应为 1 到 65535 之间的整数"),
        (["serve", "--port", "0"], "端口应为 1 到 65535 之间的整数，而不是「0」"),
    ],
)
def test_usage_errors_are_chinese_and_exit_2(capsys, argv, said):
    err = usage_error(capsys, *argv)
    assert err.startswith("错误：") and err.count("\n") == 1  # one line
    assert said in err
    command = (  # as the README writes the command, so that it runs as written
        ".venv/bin/flagboard"
        if argv[0].startswith("-") or argv[0] == "nope"
        else f".venv/bin/flagboard {argv[0]}"
    )
    assert err.endswith(f"（用法见 {command} -h）\n")


def test_an_unknown_argparse_wording_is_kept_not_lost():
    from generator.cli import _translate

    assert _translate("argument --x: 应为正整数") == "参数 --x：应为正整数"
    assert _translate("some future wording") == "some future wording"


def every_help() -> dict[str, str]:
    parser = _parser()
    commands = parser._subparsers._group_actions[0].choices
    return {"flagboard": parser.format_help()} | {
        name: command.format_help() for name, command in commands.items()
    }


def test_help_is_chinese_with_full_width_punctuation():
    helps = every_help()
    assert "选项：\n  -h, --help" in helps["flagboard"] and "命令：" in helps["flagboard"]
    for name, text in helps.items():
        assert text.startswith("用法：flagboard"), name
        assert "显示帮助并退出" in text, name
        assert not [word for word in ENGLISH if word in text], (name, text)
        assert not HALF_WIDTH.findall(text), (name, HALF_WIDTH.findall(text))
    assert "参数：\n" in helps["import"]  # positional arguments


def test_dash_h_prints_the_help_and_exits_0(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["validate", "-h"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith("用法：flagboard validate")


def test_version_is_the_package_version():
    from importlib.metadata import version

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    assert version("flagboard") == declared
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, f"flagboard {declared}\n", "")


def test_a_bad_port_is_one_chinese_line_without_a_traceback():
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "serve", "--port", "80000"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "错误：参数 --port：端口应为 1 到 65535 之间的整数，而不是「80000」"
        "（用法见 .venv/bin/flagboard serve -h）\n"
    )


def test_a_busy_port_is_said_before_building(good_town, tmp_path, capsys):
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    out = tmp_path / "site"
    with taken:
        code = main(["serve", "--scores", str(good_town), "--out", str(out), "--port", str(port)])
    assert code == 1
    captured = capsys.readouterr()
    assert captured.out == ""  # no build was started
    assert captured.err == (
        f"无法在端口 {port} 启动预览：端口已被其他程序占用或无权使用；"
        "请用 --port 换一个端口，例如 --port 8001\n"
    )
    assert not out.exists()


# -- publishing needs the site's absolute address --------------------------------------------


@pytest.mark.parametrize("address", [None, "", "hhq.example.cn", "javascript:alert(1)", "/flags"])
def test_publishing_without_an_absolute_site_url_is_refused(
    good_town, tmp_path, capsys, monkeypatch, address
):
    if address is None:
        monkeypatch.delenv("FLAGBOARD_SITEURL", raising=False)
    else:
        monkeypatch.setenv("FLAGBOARD_SITEURL", address)
    out = tmp_path / "site"
    argv = ["build", "--scores", str(good_town), "--out", str(out)]
    assert main([*argv, "--settings", str(ROOT / "publishconf.py")]) == 1
    err = capsys.readouterr().err
    assert "不能发布；请设置环境变量 FLAGBOARD_SITEURL 为网站地址" in err
    assert ("没有设置网站地址" if not address else f"网站地址「{address}」不是") in err
    assert "构建网站" in err and "Traceback" not in err
    assert not out.exists()


def test_the_site_url_is_read_from_the_environment(monkeypatch):
    import runpy

    monkeypatch.setenv("FLAGBOARD_SITEURL", " https://hhq.example.cn/ ")
    assert runpy.run_path(str(ROOT / "publishconf.py"))["SITEURL"] == "https://hhq.example.cn"
    monkeypatch.delenv("FLAGBOARD_SITEURL")
    assert runpy.run_path(str(ROOT / "publishconf.py"))["SITEURL"] == ""


def test_help_lists_the_commands_once_and_fits_the_terminal(monkeypatch):
    """Under 命令 the commands themselves (not a second 命令 line); every line within the
    terminal's width counted as it shows (a CJK character is two columns)."""
    from generator.cli import display_width

    monkeypatch.setenv("COLUMNS", "80")
    helps = every_help()
    top = helps["flagboard"]
    assert top.count("命令：") == 1 and "\n  命令\n" not in top
    assert re.search(r"\n命令：\n  validate +校验", top)
    for name, text in helps.items():
        assert max(map(display_width, text.splitlines())) <= 78, name


def help_columns(text: str) -> set[int]:
    """The display column at which each option's help starts, when on the option's line."""
    from generator.cli import display_width

    columns = set()
    for line in text.splitlines():
        found = re.match(r"^(  \S.*?\S)( {2,})(\S.*)$", line)
        if found and not line.startswith("用法"):
            columns.add(display_width(found[1] + found[2]))
    return columns


def test_option_help_lines_up_next_to_chinese_metavars(monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    helps = every_help()
    for name in ("import", "init", "new-month", "flagboard"):
        assert len(help_columns(helps[name])) == 1, (name, helps[name])
    assert "  --sheet 工作表   工作表名称" in helps["import"]


def test_a_mark_that_may_not_start_a_line_takes_the_piece_before_it_along():
    """，）： … never start a help line, and never stick out past the width either (the build's
    --content and --published help did, by a column, at 80 columns)."""
    from generator.cli import _NO_LINE_START, _Formatter, display_width

    text = "上次发布的网站（网址、文件夹或其中的 data/record.json；默认取环境变量 FLAGBOARD_PUBLISHED）：核对"
    formatter = _Formatter("flagboard")
    for width in range(24, 60):
        lines = formatter._split_lines(text, width)
        assert all(display_width(line) <= width for line in lines), width
        assert not any(line[0] in _NO_LINE_START for line in lines), width
        assert "".join(lines).replace(" ", "") == text.replace(" ", ""), width

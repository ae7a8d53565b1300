"""The `flagboard` command: a thin layer over the library; the only module that prints or exits."""

from __future__ import annotations

import argparse
import gc
import logging
import os
import re
import sys
import time
import unicodedata
from pathlib import Path

from generator import catalogue
from generator.catalogue import COMMAND
from generator.problems import (
    InvalidArgument,
    InvalidData,
    github_safe,
    render_github,
    render_gitlab,
    render_json,
    render_text,
)
from generator.townwords import LEVELS


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except InvalidArgument as error:  # the command line asked for something wrong: as argparse
        _print_problems(error.problems, getattr(args, "format", "text"))
        return 2
    except InvalidData as error:
        _print_problems(error.problems, getattr(args, "format", "text"))
        return 1
    except OSError as error:  # the machine refused a file (a folder taken by a file, a full disk)
        # a failed write names no file: then the folder the command was writing to
        where = error.filename or getattr(args, "out", None) or getattr(args, "scores", "")
        problem = catalogue.IO_ERROR.at(str(where), reason=catalogue.os_reason(error))
        _print_problems([problem], getattr(args, "format", "text"))
        return 1
    except KeyboardInterrupt:
        return 130


def run() -> None:
    """The console script: `main()`, then leave without tearing the interpreter down.

    A build ends holding many thousands of small objects (a county's, about 1 GB) that Python
    would free one by one at exit: 0.2 s for the demo, 0.4 s for the county, after the work
    is done. Output is flushed first; every file was closed by its `with` block. For the same
    reason the cycle collector stays off (Pelican's generators and context refer to each
    other, so collecting a county build's objects took 0.4 s more); `serve` turns it back on.
    """
    gc.disable()
    code = main()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os._exit(code)


# --- the parser: argparse's texts in Chinese ----------------------------------

# argparse's error messages (Python 3.11-3.13), as patterns -> Chinese; an argument's own
# message (ArgumentTypeError, already Chinese) is kept as it is.
_ERRORS = (
    (r"argument (?P<arg>.+?): (?P<rest>.*)", lambda m: _argument(m["arg"], m["rest"])),
    (r"the following arguments are required: (.*)", lambda m: f"缺少参数：{_list(m[1])}"),
    (r"unrecognized arguments: (.*)", lambda m: f"不认识的参数：{m[1]}"),
    (
        r"one of the arguments (.*) is required",
        lambda m: f"请给出其中一个参数：{'、'.join(m[1].split())}",
    ),
    (r"not allowed with argument (.*)", lambda m: f"不能与参数 {m[1]} 同时使用"),
    (
        r"ambiguous option: (\S+) could match (.*)",
        lambda m: f"选项 {m[1]} 不明确，可能是：{_list(m[2])}",
    ),
    (r"invalid choice: (.*?) \(choose from (.*)\)", lambda m: _choice(m[1], m[2])),
    (
        r"invalid (\S+) value: (.*)",
        lambda m: f"「{_unquote(m[2])}」{_TYPES.get(m[1], '不是有效的值')}",
    ),
    (r"expected one argument", lambda m: "后面要跟一个值"),
    (r"expected at most one argument", lambda m: "后面最多跟一个值"),
    (r"expected at least one argument", lambda m: "后面至少要跟一个值"),
    (r"ignored explicit argument (.*)", lambda m: f"不接受值 {m[1]}"),
)
_TYPES = {"int": "不是整数", "float": "不是数字"}


def _translate(message: str) -> str:
    for pattern, chinese in _ERRORS:
        match = re.fullmatch(pattern, message, re.S)
        if match:
            return chinese(match)
    return message  # already Chinese (our own types' messages), or a wording not known here


def _argument(name: str, rest: str) -> str:
    label = f"参数 {name}" if name.isascii() else name
    return f"{label}：{_translate(rest)}"


def _choice(value: str, choices: str) -> str:
    return f"「{_unquote(value)}」不是可选的值，可选：{_list(choices)}"


def _list(names: str) -> str:
    return "、".join(_unquote(name.strip()) for name in names.split(","))


def _unquote(text: str) -> str:
    return text[1:-1] if len(text) > 1 and text[0] == text[-1] and text[0] in "'\"" else text


def display_width(text: str) -> int:
    """Columns a terminal gives `text`: two for each wide (CJK) character, one for the rest."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# What help text wraps at: a CJK character, a run of other characters, a space.
_WRAP_RE = re.compile(
    r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+|\s+"
)
_NO_LINE_START = set("，。、；：）》」』！？")  # punctuation that stays with what it follows
_USAGE_PART_RE = re.compile(r"\(.*?\)+(?=\s|$)|\[.*?\]+(?=\s|$)|\S+")  # as argparse splits it


class _Formatter(argparse.HelpFormatter):
    """argparse's help in Chinese: columns counted as a terminal shows them (a CJK character is
    two wide, where argparse counts one), and the commands listed once under their heading."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    def format_help(self) -> str:  # section headings end in argparse's ":", after Chinese
        return re.sub(r"^(\S.*[^\x00-\x7f]):$", r"\1：", super().format_help(), flags=re.M)

    def _format_usage(self, usage, actions, groups, prefix) -> str:
        """argparse's usage on one line, wrapped again by display width."""
        width, self._width = self._width, 1 << 20
        try:
            text = super()._format_usage(usage, actions, groups, prefix).strip()
        finally:
            self._width = width
        start = (prefix or "") + self._prog
        if not text.startswith(start):  # a usage of its own, left as argparse made it
            return text + "\n\n"
        parts = _USAGE_PART_RE.findall(text[len(start) :])
        indent = display_width(start) + 1
        if indent > 0.75 * (width - self._current_indent):
            indent = display_width(prefix or "")
        lines, line = [], start
        for part in parts:
            if display_width(f"{line} {part}") > width - self._current_indent and line.strip():
                lines.append(line)
                line = " " * (indent - 1)
            line += " " + part
        return "\n".join([*lines, line]) + "\n\n"

    def _iter_indented_subactions(self, action):
        if isinstance(action, argparse._SubParsersAction):  # the heading 命令 names them
            yield from action._get_subactions()
        else:
            yield from super()._iter_indented_subactions(action)

    def add_argument(self, action) -> None:
        if action.help is argparse.SUPPRESS:
            return
        shown = list(self._iter_indented_subactions(action))
        if not isinstance(action, argparse._SubParsersAction):
            shown.insert(0, action)
        widths = [display_width(self._format_action_invocation(a)) for a in shown]
        self._action_max_length = max(
            self._action_max_length, max(widths, default=0) + self._current_indent
        )
        self._add_item(self._format_action, [action])

    def _format_action(self, action) -> str:
        if isinstance(action, argparse._SubParsersAction):
            return self._join_parts([self._format_action(a) for a in action._get_subactions()])
        help_position = min(self._action_max_length + 2, self._max_help_position)
        help_width = max(self._width - help_position, 11)
        header = self._format_action_invocation(action)
        padding = help_position - self._current_indent - 2 - display_width(header)
        parts = [" " * self._current_indent + header]
        help_text = self._expand_help(action) if action.help and action.help.strip() else ""
        lines = self._split_lines(help_text, help_width) if help_text else []
        if lines and padding >= 0:
            parts.append(" " * (padding + 2) + lines.pop(0))
        parts.append("\n")
        parts += [" " * help_position + line + "\n" for line in lines]
        for subaction in self._iter_indented_subactions(action):
            parts.append(self._format_action(subaction))
        return self._join_parts(parts)

    def _split_lines(self, text: str, width: int) -> list[str]:
        """Lines of at most `width` columns, broken between CJK characters or at spaces."""
        lines, pieces = [], []
        for piece in _WRAP_RE.findall(" ".join(text.split())):
            line = "".join(pieces)
            fits = display_width(line.rstrip() + piece) <= width
            if line.strip() and not fits and not piece.isspace():
                # a mark that may not start a line (，。） …) takes the piece before it along
                # rather than stick out past the width
                carried: list[str] = []
                while piece in _NO_LINE_START and len(pieces) > 1:
                    carried.insert(0, pieces.pop())
                    if carried[0] not in _NO_LINE_START:
                        break
                lines.append("".join(pieces).rstrip())
                pieces = carried if carried and not carried[0].isspace() else carried[1:]
            if pieces or not piece.isspace():
                pieces.append(piece)
        line = "".join(pieces)
        return [*lines, line.rstrip()] if line.strip() else lines


class _Parser(argparse.ArgumentParser):
    """argparse with its headings, -h and errors in Chinese: a usage error is one line saying
    what is wrong, and exits 2 as argparse's do."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument(
                "-h", "--help", action="help", default=argparse.SUPPRESS, help="显示帮助并退出"
            )

    def error(self, message: str):  # one line; the usage is one `-h` away
        prog = self.prog.replace("flagboard", COMMAND, 1)
        self.exit(2, f"错误：{_translate(message)}（用法见 {prog} -h）\n")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("flagboard")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "（未安装，版本未知）"


class _Version(argparse.Action):
    """--version, looked up only when asked: reading the installed package's metadata is a
    cost every other command would pay at start-up."""

    def __init__(
        self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None
    ):
        super().__init__(option_strings, dest, nargs=0, default=default, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"flagboard {_version()}")
        parser.exit()


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="flagboard", description="红黄旗评比：校验评分数据、计算结果、生成网站。")
    parser.add_argument("--version", action=_Version, help="显示版本号并退出")
    sub = parser.add_subparsers(title="命令", metavar="命令")
    _add_validate(sub)
    _add_compute(sub)
    # --- commands: site ---
    _add_site(sub)
    # --- commands: office ---
    _add_office(sub)
    _add_init(sub)
    # --- commands: publishing ---
    _add_publish(sub)
    return parser


def _print_problems(problems, fmt: str) -> None:
    """Errors (or warnings alone) as the format wants; GitHub's log sees no data as a command."""
    if fmt == "github":
        print(render_github(problems))
        print(github_safe(render_text(problems)), file=sys.stderr)
    elif fmt == "gitlab":  # the report on stdout (a file for GitLab), the text in the log
        print(render_gitlab(problems))
        print(render_text(problems), file=sys.stderr)
    elif fmt == "json":
        print(render_json(problems))
    else:
        print(render_text(problems), file=sys.stderr)


def _say(args, line: str) -> None:
    print(github_safe(line) if getattr(args, "format", "text") == "github" else line)


def _scores_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--scores",
        type=Path,
        default=Path("scores"),
        metavar="DIR",
        help="评分数据文件夹（默认 scores）",
    )


# --- validate ---------------------------------------------------------------


def _add_validate(sub) -> None:
    p = sub.add_parser("validate", help="校验 scores/ 中的评分数据")
    _scores_arg(p)
    p.add_argument(
        "--format",
        choices=("text", "github", "gitlab", "json"),
        default="text",
        help="问题的输出格式：text（默认）、github（工作流注释）、gitlab（代码质量报告）、json",
    )
    p.set_defaults(func=_validate)


def _validate(args) -> int:
    from generator.load.loader import load

    data = load(args.scores)
    if args.format == "json":
        print(render_json(list(data.warnings)))
        return 0
    if args.format == "gitlab":  # always a report, empty when nothing is wrong
        print(render_gitlab(list(data.warnings)))
        if data.warnings:
            print(render_text(list(data.warnings)), file=sys.stderr)
        print(f"校验通过：{data.summary()}", file=sys.stderr)
        return 0
    if data.warnings:
        _print_problems(list(data.warnings), args.format)
    _say(args, f"校验通过：{data.summary()}")
    return 0


# --- compute ----------------------------------------------------------------


def _add_compute(sub) -> None:
    p = sub.add_parser("compute", help="校验并计算红黄旗、奖罚、处理措施和网格平均分")
    _scores_arg(p)
    p.add_argument(
        "--out",
        type=Path,
        default=Path("results"),
        metavar="DIR",
        help="结果文件夹（默认 results）",
    )
    p.set_defaults(func=_compute, format="text")


def _compute(args) -> int:
    from generator.load.loader import load
    from generator.results import write_results
    from generator.rules import compute

    started = time.perf_counter()
    data = load(args.scores)
    if data.warnings:
        _print_problems(list(data.warnings), "text")
    results = compute(data)
    written = write_results(data, results, args.out)
    seconds = time.perf_counter() - started
    print(
        f"已计算：{data.summary()}；写入 {args.out}/ 共 {len(written)} 个文件，用时 {seconds:.1f} 秒"
    )
    return 0


# --- site: build, serve ------------------------------------------------------


def _add_site(sub) -> None:
    for name, help_text in (
        ("build", "校验、计算并生成网站（失败时保留上一次生成的网站）"),
        ("serve", "生成网站并在本机预览（http://127.0.0.1:8000/）"),
    ):
        p = sub.add_parser(name, help=help_text)
        _scores_arg(p)
        p.add_argument(
            "--content",
            type=Path,
            default=None,
            metavar="DIR",
            help="网站文字内容文件夹（默认按 pelicanconf.py，即 content）",
        )
        p.add_argument(
            "--out",
            type=Path,
            default=Path("output"),
            metavar="DIR",
            help="网站输出文件夹（默认 output）",
        )
        p.add_argument(
            "--settings",
            type=Path,
            default=Path("pelicanconf.py"),
            metavar="FILE",
            help="Pelican 设置文件（默认 pelicanconf.py；发布时用 publishconf.py）",
        )
        p.add_argument(
            "--jobs",
            type=_positive,
            default=None,
            metavar="N",
            help="同时生成网页的进程数（默认为本机 CPU 核数；内存紧张时可设为 1）",
        )
        if name == "build":
            _published_args(p)
        if name == "serve":
            p.add_argument(
                "--port", type=_port, default=8000, metavar="PORT", help="端口（默认 8000）"
            )
        p.set_defaults(func=_build if name == "build" else _serve, format="text")


def _published_args(p) -> None:
    p.add_argument(
        "--published",
        default=os.environ.get("FLAGBOARD_PUBLISHED") or None,
        metavar="URL_OR_PATH",
        help="上次发布的网站（网址、文件夹或其中的 data/record.json；默认取环境变量 "
        "FLAGBOARD_PUBLISHED）：核对它所依据的数据提交仍在 Git 历史中，历史被改写时拒绝生成",
    )
    p.add_argument(
        "--accept-rewrite",
        action="store_true",
        help="核对过改写的原因后，仍然生成网站，并在网站上写明此前公布的数据被改写过",
    )


def _build(args) -> int:
    from generator.site.build import BuildFailed, build

    try:
        report = build(
            args.scores,
            args.out,
            args.settings,
            args.content,
            extra_settings={"FLAGBOARD_JOBS": args.jobs} if args.jobs else None,
            progress=print,
            warn=lambda line: print(line, file=sys.stderr),
            published=getattr(args, "published", None),
            accept_rewrite=getattr(args, "accept_rewrite", False),
        )
    except BuildFailed as error:
        print(f"生成失败：{error}", file=sys.stderr)
        print(f"{args.out}/ 保持不变。", file=sys.stderr)
        return 1
    print(
        f"完成：{report.pages} 个网页、共 {report.files} 个文件，写入 {args.out}/，"
        f"用时 {report.seconds:.1f} 秒"
    )
    return 0


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"应为正整数，而不是「{text}」")
    return int(text)


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"端口应为 1 到 65535 之间的整数，而不是「{text}」")
    return int(text)


def _serve(args) -> int:
    from generator.site.build import make_server

    try:  # the port first: a taken one is said before a build, not after it
        server = make_server(args.out, "127.0.0.1", args.port)
    except OSError:  # taken, or not this user's to use
        print(
            f"无法在端口 {args.port} 启动预览：端口已被其他程序占用或无权使用；"
            "请用 --port 换一个端口，例如 --port 8001",
            file=sys.stderr,
        )
        return 1
    with server:
        code = _build(args)
        if code:
            return code
        gc.enable()  # a long-running server: the build's garbage should go
        print(f"预览地址：http://127.0.0.1:{args.port}/（按 Ctrl+C 停止）")
        server.serve_forever()
    return 0


# --- office: new-month, import, preview --------------------------------------


def _add_office(sub) -> None:
    p = sub.add_parser("new-month", help="生成某月的空白评分表和事件表")
    p.add_argument("month", metavar="YYYY-MM", help="评比月份，例如 2024-03")
    p.add_argument(
        "--with",
        dest="optional",
        action="append",
        default=[],
        metavar="项目",
        help="加入可选评比项目（可重复），例如 --with 创业承诺践行",
    )
    _scores_arg(p)
    p.set_defaults(func=_new_month, format="text")

    p = sub.add_parser("new-annual", help="生成某年的空白年度评分表")
    p.add_argument("year", metavar="YYYY", help="评比年份，例如 2024")
    _scores_arg(p)
    p.set_defaults(func=_new_annual, format="text")

    p = sub.add_parser("import", help="把 Excel/WPS 表格导入为某月的评分文件并校验")
    p.add_argument("file", type=Path, metavar="文件", help=".xlsx、.xls、.ods 或 .csv 文件")
    period = p.add_mutually_exclusive_group(required=True)
    period.add_argument("--month", metavar="YYYY-MM", help="评比月份，例如 2024-03")
    period.add_argument("--annual", metavar="YYYY", help="导入某年的年度评分表，例如 2024")
    p.add_argument(
        "--sheet", metavar="工作表", help="工作表名称或序号（默认第一个有表头的可见工作表）"
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="覆盖已有的该月评分文件（复议更正时用；还没填分数的空白表不用加）",
    )
    _scores_arg(p)
    p.set_defaults(func=_import, format="text")

    p = sub.add_parser("preview", help="预览某月（或某年年度项目）的红黄旗、奖罚和处理措施")
    p.add_argument(
        "months",
        nargs="*",
        metavar="YYYY-MM",
        help="评比月份（默认最近一个月）；写年份 YYYY 预览这一年的年度项目红黄旗和年度处理",
    )
    p.add_argument(
        "--format",
        choices=("text", "markdown"),
        default="text",
        help="text（默认，终端表格）或 markdown（用于 GitHub 运行摘要）",
    )
    p.add_argument(
        "--full", action="store_true", help="列出每个村的评分、加减分、得分、名次和未参评"
    )
    p.add_argument(
        "--against",
        metavar="版本",
        help="与以前的版本（分支、标签或提交号，例如 origin/main）比较："
        "列出这次改动使哪些分数、红黄旗、奖罚和处理措施发生变化",
    )
    _scores_arg(p)
    p.set_defaults(func=_preview)


def _command(args, *words: str) -> str:
    """A command line the clerk can run as written, with this command's --scores."""
    from generator.catalogue import command

    return command(*words, scores=Path(args.scores).as_posix())


def _new_month(args) -> int:
    from generator.office.month import new_month

    made = new_month(args.scores, args.month, args.optional)
    print(
        f"已生成 {made.scores_file.as_posix()}（{made.villages} 个{made.member}；"
        f"评比项目：{'、'.join(made.categories)}）"
    )
    print(
        f"和空白事件表 {made.events_file.as_posix()}。请用 Excel 或 WPS 填好分数（满分见表头）后"
        f"仍保存为 CSV，再用 {_command(args, 'preview', args.month)} 核对本月结果。"
    )
    return 0


def _new_annual(args) -> int:
    from generator.office.month import new_annual

    made = new_annual(args.scores, args.year)
    print(
        f"已生成 {made.scores_file.as_posix()}（{made.villages} 个{made.member}；"
        f"年度评比项目：{'、'.join(made.categories)}）。"
        f"请用 Excel 或 WPS 填好分数（满分见表头）后仍保存为 CSV，"
        f"再用 {_command(args, 'preview', args.year)} 核对年度结果。"
    )
    return 0


def _import(args) -> int:
    from generator.office.importer import import_workbook

    annual = args.annual is not None
    period = args.annual if annual else args.month
    done = import_workbook(args.file, period, args.scores, args.sheet, args.force, annual)
    member = done.data.words.member
    print(
        f"已从 {done.sheet}（表头在第{done.header_row}行）导入 {done.villages} 个{member}、"
        f"{len(done.categories)} 个评比项目，写入 {done.path.as_posix()}"
        + ("（替换了还没有填分数的空白表）" if done.replaced_blank else "")
    )
    if done.ignored:
        print(f"已忽略的列：{'、'.join(done.ignored)}")
    if done.skipped:
        print(f"已跳过不是{member}的行：{'、'.join(done.skipped)}")
    if done.renamed:
        print(f"村名已按 villages.csv 对应：{'、'.join(done.renamed)}")
    if done.warnings:  # hidden sheets; validate's own warnings about the new file
        _print_problems(list(done.warnings), "text")
    print(f"校验通过：{done.data.summary()}")
    if annual:  # the year's last step: its annual flags, as preview YYYY shows them
        _print_previews(args, [_annual_preview(done.data, period)])
        print(f"请核对以上 {period} 年度结果，再提交 {done.path.as_posix()}。")
    else:
        print(f"请用 {_command(args, 'preview', period)} 核对本月结果，再提交。")
    return 0


def _annual_preview(data, year: str):
    from generator.office.preview import year_preview
    from generator.rules import compute

    return year_preview(data, compute(data), year)


def _print_previews(args, previews) -> None:
    """Markdown (for a run's summary) or rich tables for the terminal."""
    from generator.office.preview import print_rich, to_markdown

    if getattr(args, "format", "text") == "markdown":
        sys.stdout.write(to_markdown(previews))
        return
    from rich.console import Console

    print_rich(previews, Console())


def _preview(args) -> int:
    from generator.office.preview import preview

    previews = []
    if args.against is not None:
        from generator.office.against import against

        previews.append(against(args.scores, args.against, args.months))
    if args.against is None or args.full:
        previews += preview(args.scores, args.months, args.full)
    _print_previews(args, previews)
    return 0


# --- init: a new town's skeleton ------------------------------------------------


def _add_init(sub) -> None:
    p = sub.add_parser("init", help="为新的乡镇（街道）生成 scores/ 和关于本站页面的初始文件")
    p.add_argument(
        "--town",
        required=True,
        type=_town_name,
        metavar="名称",
        help="乡、镇或街道的名称，例如 某某乡、某某镇、某某街道",
    )
    p.add_argument(
        "--kind",
        choices=LEVELS,
        metavar="级别",
        help="镇、乡或街道（默认按名称的最后一个字，都不是时为镇）",
    )
    p.add_argument(
        "--villages",
        type=Path,
        metavar="文件",
        help="村名单（.xlsx、.xls、.ods 或 .csv，要有「村名」列，可有「网格」「编号」列）",
    )
    p.add_argument(
        "--dir", type=Path, default=Path("."), metavar="DIR", help="项目文件夹（默认当前文件夹）"
    )
    p.add_argument(
        "--from",
        dest="first",
        type=_month,
        default="2023-01",
        metavar="YYYY-MM",
        help="规则开始执行的月份（默认 2023-01），应不晚于第一次评比的月份",
    )
    p.set_defaults(func=_init, format="text")


def _town_name(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("名称不能为空")
    return text.strip()


def _month(text: str) -> str:
    from generator.periods import is_month

    if not is_month(text):
        raise argparse.ArgumentTypeError(f"应为 YYYY-MM 格式的月份，例如 2025-01，而不是「{text}」")
    return text


def _init(args) -> int:
    from generator.catalogue import command
    from generator.office.init import init
    from generator.periods import label as period_label

    made = init(args.dir, args.town, args.villages, args.first, args.kind)
    for relative in made.files:
        print(f"已生成 {(args.dir / relative).as_posix()}")
    words = made.words
    print(
        f"{args.town}（{words.level}）：{made.villages} 个{words.member}，网格：{'、'.join(made.grids)}；"
        f"规则自{period_label(args.first)}起执行（每个网格每项前三名红旗、末三名黄旗）。"
    )
    scores = (args.dir / "scores").as_posix()
    build = command("build", scores=scores)
    if args.dir != Path("."):
        build += f" --content {(args.dir / 'content').as_posix()}"
    print(
        f"请按{words.own}实施方案核对 {scores}/town.toml，再运行 {command('validate', scores=scores)}；"
        f"然后用 {build} 生成网站，网站的「数据下载」页有{period_label(args.first)}"
        f"的空白评分表和事件表（也可以用 {command('new-month', args.first, scores=scores)} 生成）。"
    )
    return 0


# --- publish: a built site to a folder, a zip, a server or a bucket ----------------------------

PUBLISH_HELP = """\
发布目标（--to，或环境变量 FLAGBOARD_PUBLISH_TO）：
  PATH 或 dir:PATH
      发布到文件夹（交给县政府门户网站）
  zip:FILE.zip
      打包成一个压缩包
  ssh://USER@HOST[:PORT]/PATH
      经 SSH 用 rsync 发布到服务器上的绝对路径 PATH：每次发布一个新版本
      releases/<版本>，再一次切换 current 链接；
      保留最近 --keep 个版本，可用 --rollback 回退
  s3://BUCKET[/PREFIX]
      发布到兼容 S3 的对象存储的存储桶 BUCKET
      （阿里云 OSS、腾讯云 COS、华为云 OBS 等）

环境变量（密钥只从环境读取，不会出现在任何输出里）：
  FLAGBOARD_S3_ENDPOINT
      对象存储地址，按原样使用，例如 https://oss-cn-hangzhou.aliyuncs.com
  FLAGBOARD_S3_REGION
      区域，例如 cn-hangzhou
  FLAGBOARD_S3_ACCESS_KEY_ID，FLAGBOARD_S3_SECRET_ACCESS_KEY
      只能写这个存储桶的密钥
  FLAGBOARD_S3_ADDRESSING
      virtual（默认，存储桶名在域名里）、path（在路径里）
      或 domain（地址就是存储桶自己的域名）
  FLAGBOARD_SSH_KEY，FLAGBOARD_SSH_KNOWN_HOSTS
      SSH 私钥的内容；服务器的主机密钥（known_hosts 的内容）
  FLAGBOARD_SITEURL
      网站地址：发布到服务器或对象存储后，从这里取回首页和一个改动的网页核对

只发送内容有变化的文件；网页先于首页、年度页、订阅、网站地图
和记录 data/record.json，清单最后写入，删除在最后。
中途失败时目标上没有半个文件，也没有指向缺失文件的链接；重新运行即可补齐。
退出码：0 已发布，1 发布失败（上一次发布的网站保持可用），2 命令或设置有误。
"""


class _RawFormatter(_Formatter, argparse.RawDescriptionHelpFormatter):
    """The publish command's list of targets and settings, kept as written."""


def _add_publish(sub) -> None:
    p = sub.add_parser(
        "publish",
        help="把生成好的网站发布到文件夹、压缩包、服务器（SSH）或对象存储",
        description="把 flagboard build 生成的网站发布出去。",
        epilog=PUBLISH_HELP,
        formatter_class=_RawFormatter,
    )
    p.add_argument(
        "--site",
        type=Path,
        default=Path("output"),
        metavar="DIR",
        help="要发布的网站文件夹（默认 output）",
    )
    p.add_argument(
        "--to",
        default=None,
        metavar="目标",
        help="发布目标（默认取环境变量 FLAGBOARD_PUBLISH_TO），写法见下",
    )
    what = p.add_mutually_exclusive_group()
    what.add_argument("--dry-run", action="store_true", help="只列出将发送和删除的文件，不改动目标")
    what.add_argument(
        "--rollback",
        action="store_true",
        help="把服务器上的 current 切换回上一次发布的版本（只用于 ssh:// 目标）",
    )
    p.add_argument(
        "--keep",
        type=_positive,
        default=5,
        metavar="N",
        help="服务器上保留最近 N 次发布的版本（默认 5，用于回退）",
    )
    p.add_argument(
        "--check-url",
        default=None,
        metavar="URL",
        help="发布后从这个网址取回首页和一个改动的网页核对（默认 FLAGBOARD_SITEURL）",
    )
    p.add_argument("--verbose", "-v", action="store_true", help="逐个列出发送的文件")
    p.set_defaults(func=_publish, format="text")


def _publish(args) -> int:
    """Publish; every line printed, errors and tracebacks included, has the secrets hidden."""
    from generator.deploy.secrets import redact

    env = dict(os.environ)

    def say(line: str, stream=sys.stdout) -> None:
        print(redact(line, env), file=stream, flush=True)

    try:
        return _publish_with(args, env, say)
    except Exception:  # a flaw of flagboard's own: said, with the secrets hidden
        import traceback

        say(traceback.format_exc(), sys.stderr)
        say(
            "发布时程序出错（上面是出错的位置，请报告给开发者）；目标上的网站保持可用。", sys.stderr
        )
        return 1


def _publish_with(args, env: dict, say) -> int:
    from generator.deploy.errors import PublishFailed
    from generator.deploy.publish import publish, rollback

    to = args.to if args.to is not None else env.get("FLAGBOARD_PUBLISH_TO", "")
    try:
        if args.rollback:
            report = rollback(to, env, check_url=args.check_url)
        else:
            counter = _SentCounter(say, args.verbose)
            report = publish(
                args.site,
                to,
                env,
                dry_run=args.dry_run,
                keep=args.keep,
                check_url=args.check_url,
                sent=counter,
                step=say,
            )
    except PublishFailed as error:
        say(f"发布失败：{error.problem.text()}", sys.stderr)
        # after the check, the publish itself is done; a rollback changes nothing when it fails
        if not (error.usage or args.rollback or error.problem.code == "publish_check"):
            say(
                "这次发布没有完成：目标上没有半个文件，也没有指向缺失文件的链接，"
                f"上一次发布的网站仍可访问；排除问题后重新运行 {COMMAND} publish 即可补齐。",
                sys.stderr,
            )
        return 2 if error.usage else 1
    _say_report(report, say)
    return 0


class _SentCounter:
    """Progress as files go: each file with --verbose, else a line every EVERY files."""

    EVERY = 1000

    def __init__(self, say, verbose: bool):
        self.say, self.verbose, self.done = say, verbose, 0

    def __call__(self, paths) -> None:
        before, self.done = self.done, self.done + len(paths)
        if self.verbose:
            for path in paths:
                self.say(f"已发送 {path}")
        elif before // self.EVERY != self.done // self.EVERY:
            self.say(f"已发送 {self.done} 个文件……")


def _say_report(report, say) -> None:
    plan = report.plan
    if report.rolled_back_to:
        say(f"已回退：{report.where} 的 current 现在指向 releases/{report.rolled_back_to}")
    elif report.dry_run:
        for path in plan.send:
            say(f"将发送 {path}")
        for path in plan.delete:
            say(f"将删除 {path}")
        say(
            f"试运行：将发送 {len(plan.send)} 个文件、删除 {len(plan.delete)} 个，"
            f"{plan.unchanged} 个不变；目标没有改动。"
        )
    else:
        say(
            f"已发布到 {report.where}：发送 {len(plan.send)} 个文件（{_size(report.bytes)}），"
            f"删除 {len(plan.delete)} 个，{plan.unchanged} 个不变；版本 {report.release}，"
            f"用时 {report.seconds:.1f} 秒"
        )
    for url in report.checked:
        say(f"已核对：{url} 与发布的版本一致")


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / 1024 / 1024:.1f} MB"
    return f"{count / 1024:.1f} KB"


if __name__ == "__main__":
    run()

"""The `flagboard` command: a thin layer over the library; the only module that prints or exits."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .problems import InvalidData, render_github, render_json, render_text


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except InvalidData as error:
        _print_problems(error.problems, getattr(args, "format", "text"))
        return 1
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="flagboard", description="红黄旗评比:校验评分数据、计算结果、生成网站。"
    )
    sub = parser.add_subparsers(title="命令", metavar="命令")
    _add_validate(sub)
    _add_compute(sub)
    # --- commands: site ---
    # --- commands: office ---
    return parser


def _print_problems(problems, fmt: str) -> None:
    if fmt == "github":
        print(render_github(problems))
        print(render_text(problems), file=sys.stderr)
    elif fmt == "json":
        print(render_json(problems))
    else:
        print(render_text(problems), file=sys.stderr)


def _scores_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--scores", type=Path, default=Path("scores"), help="评分数据文件夹(默认 scores)"
    )


# --- validate ---------------------------------------------------------------


def _add_validate(sub) -> None:
    p = sub.add_parser("validate", help="校验 scores/ 中的评分数据")
    _scores_arg(p)
    p.add_argument(
        "--format",
        choices=("text", "github", "json"),
        default="text",
        help="问题的输出格式:text(默认)、github(工作流注释)、json",
    )
    p.set_defaults(func=_validate)


def _validate(args) -> int:
    from .load import load

    data = load(args.scores)
    if args.format == "json":
        print(render_json([]))
    else:
        print(f"校验通过:{data.summary()}")
    return 0


# --- compute ----------------------------------------------------------------


def _add_compute(sub) -> None:
    p = sub.add_parser("compute", help="校验并计算红黄旗、奖罚、处理措施和网格平均分")
    _scores_arg(p)
    p.add_argument("--out", type=Path, default=Path("results"), help="结果文件夹(默认 results)")
    p.set_defaults(func=_compute, format="text")


def _compute(args) -> int:
    from .load import load
    from .results import write_results
    from .rules import compute

    started = time.perf_counter()
    data = load(args.scores)
    results = compute(data)
    written = write_results(data, results, args.out)
    seconds = time.perf_counter() - started
    print(
        f"已计算:{data.summary()};写入 {args.out}/ 共 {len(written)} 个文件,用时 {seconds:.1f} 秒"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

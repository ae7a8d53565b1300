"""town.toml → Town, with pydantic's errors turned into Chinese problems with line numbers."""

from __future__ import annotations

import re
import tomllib

from pydantic import ValidationError

from generator import catalogue
from generator.load.cells import decode, too_large
from generator.model import Town
from generator.names import ALLOWED_TEXT
from generator.problems import PER_FILE, Problem, more_problems, quote
from generator.routes import SHOWN_NAMES
from generator.townwords import LEVELS

MAX_TOWN_BYTES = 1024 * 1024

_FIELD_NAMES = {
    "town": "名称 town",
    "grids": "网格 [[grids]]",
    "categories": "评比项目 [[categories]]",
    "rules": "规则版本 [[rules]]",
    "id": "id",
    "name": "name",
    "kind": "kind",
    "full_marks": "full_marks",
    "from": "from",
    "until": "until",
    "red_count": "red_count",
    "yellow_count": "yellow_count",
    "reward_tiers": "reward_tiers",
    "penalty_tiers": "penalty_tiers",
    "notice": "公示信息 [notice]",
    "issuer": "发布单位 issuer",
    "contact": "联系方式 contact",
    "review_days": "复议期限 review_days",
    "icp": "ICP备案号 icp",
}
_HINTS = {
    "missing": "缺少必填项，请补上",
    "extra_forbidden": "是不认识的设置项，请检查拼写或删除",
    "string_too_short": "不能为空",
    "too_short": "不能为空，至少要有一项",
    "literal_error": "只能是 monthly（每月）、optional（可选）或 annual（年度）",
    "string_pattern_mismatch": "只能用英文字母、数字、- 和 _",
    "greater_than": "必须大于 {gt}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than_equal": "不能大于 {le}",
    "finite_number": "必须是有限的数字（不能是 inf 或 nan）",
    "too_long": "太多了：最多 {max_length} 项",
    "string_too_long": "太长了：最多 {max_length} 个字",
    "int_parsing": "必须是整数",
    "int_from_float": "必须是整数",
    "int_type": "必须是整数",
    "float_parsing": "必须是数字",
    "float_type": "必须是数字",
    "string_type": "必须是用英文引号括起来的文字",
    "tuple_type": "必须是用方括号括起来的列表",
    "list_type": "必须是用方括号括起来的列表",
    "model_type": "必须是一个表，例如 [notice]",
    "dataclass_type": "必须是一个表，例如 [notice]",
}


def parse_town(data: bytes, name: str) -> tuple[Town | None, list[Problem]]:
    problem = too_large(data, name, MAX_TOWN_BYTES)
    if problem:
        return None, [problem]
    text, problem = decode(data, name)
    if problem:
        return None, [problem]
    try:
        raw = tomllib.loads(text)
    except RecursionError:
        return None, [catalogue.BAD_TOML_NESTING.at(name)]
    except tomllib.TOMLDecodeError as error:
        line = re.search(r"line (\d+)", str(error))
        return None, [
            catalogue.BAD_TOML.at(name, int(line.group(1)) if line else None, error=error)
        ]
    try:
        return Town.model_validate(raw), []
    except ValidationError as error:
        return None, _problems(name, text, error.errors())


def _problems(name: str, text: str, items: list[dict]) -> list[Problem]:
    # pydantic also flags a container whose element failed; report the element only.
    parents = {tuple(item["loc"])[:i] for item in items for i in range(len(item["loc"]))}
    specific = [item for item in items if tuple(item["loc"]) not in parents]
    found = [_problem(name, text, item) for item in specific[:PER_FILE]]
    if len(specific) > PER_FILE:
        found.append(more_problems(name, len(specific) - PER_FILE))
    return found


def _problem(name: str, text: str, item: dict) -> Problem:
    loc = tuple(item["loc"])
    where = ".".join(str(part) for part in loc) or "town.toml"
    if item["type"] == "value_error":
        message = _value_error(item["msg"], where)
    elif item["type"] == "missing" and loc == ("rules",):
        message = '缺少规则版本 [[rules]]（至少一个，写明 from = "YYYY-MM"）'
    else:
        field = _FIELD_NAMES.get(str(loc[-1]), where) if loc else "town.toml"
        hint = _HINTS.get(item["type"], f"不符合要求（{quote(item['msg'])}）")
        if loc == ("kind",):  # the town's level, not a category's kind
            field, hint = (
                "级别 kind",
                f"只能是 {'、'.join(LEVELS[:-1])} 或 {LEVELS[-1]}（不写时按名称的最后一个字）",
            )
        context = {
            k: f"{v:g}" if isinstance(v, float) else v for k, v in item.get("ctx", {}).items()
        }
        message = f"{where}：{field} {hint.format(**context)}"
    return catalogue.BAD_TOWN.at(name, _line_of(text, loc), where, message=message)


def _value_error(msg: str, where: str) -> str:
    if "unsafe characters" in msg:
        codes = msg.rsplit(":", 1)[1].strip()
        return f"{where}：含有控制字符或看不见的字符（{codes}），请删除后重新输入"
    if "name characters" in msg:
        codes = msg.rsplit(":", 1)[1].strip()
        return f"{where}：名称里有不能用的字符（{codes}），名称只能用{ALLOWED_TEXT}，请删除或改正"
    reserved = re.search(r"reserved grids\.id: (\S+)", msg)
    if reserved:
        return (
            f"grids.id「{quote(reserved.group(1))}」是网站自己的页面或文件夹名，网址会冲突，"
            f"请换一个 id（不能用：{SHOWN_NAMES}，不分大小写）"
        )
    other = re.search(r"grid id is name: (\S+)", msg)
    if other:
        return (
            f"grids.id「{quote(other.group(1))}」是另一个网格的名称，"
            "villages.csv 的「网格」列写它时分不清是哪个网格，请换一个 id"
        )
    if "full_marks decimals" in msg:
        return f"{where}：满分最多两位小数"
    if "month" in msg:
        return f'{where}：月份必须写成 "YYYY-MM"（2000-01 至 2099-12），例如 "2024-03"'
    duplicate = re.search(r"duplicate (\S+): (.*)", msg)
    if duplicate:
        return f"{duplicate.group(1)} 有重复：{duplicate.group(2)}，每一项必须不同"
    return f"{where}：{msg}"


def _line_of(text: str, loc: tuple) -> int | None:
    """The line of town.toml that a pydantic location points at, when it can be found."""
    if not loc:
        return None
    lines = text.splitlines()
    table, index = loc[0], loc[1] if len(loc) > 1 and isinstance(loc[1], int) else None
    key = loc[2] if index is not None and len(loc) > 2 else (loc[0] if index is None else None)
    seen, start = -1, 0
    if index is not None:
        header = re.compile(rf"^\s*\[\[\s*{re.escape(str(table))}\s*\]\]")
        for number, line in enumerate(lines, start=1):
            if header.match(line):
                seen += 1
                if seen == index:
                    start = number
                    break
        else:
            return None
    if key is None:
        return start or None
    key_re = re.compile(rf"^\s*{re.escape(str(key))}\s*=")
    for number, line in enumerate(lines[start:], start=start + 1):
        if index is not None and number > start and line.lstrip().startswith("["):
            break
        if key_re.match(line):
            return number
    return start or None

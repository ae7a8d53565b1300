"""What every column of the files under /data/ means: the one place for each column's name,
type and Chinese description, read by the data package (datapackage.py), the data page's
data dictionary and the Excel files' headers (xlsx.py). No I/O.

Types are Frictionless Data's (string, integer, number). Raw scores files are described from
their own header, since the office names the columns: a category's column is a score.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator import labels
from generator.load.cells import format_points
from generator.load.tablecheck import split_marks


@dataclass(frozen=True)
class Column:
    name: str  # the CSV header
    type: str  # a Frictionless field type
    title: str  # the Chinese header of the Excel files and the data page
    description: str  # what it holds, in Chinese
    codes: dict[str, str] = field(default_factory=dict)  # code → Chinese name
    sheet: str = ""  # the Excel header, where the sheet shows names instead of the codes

    @property
    def sheet_title(self) -> str:
        return self.sheet or self.title


@dataclass(frozen=True)
class Table:
    name: str  # the file's name without .csv
    title: str  # the Excel sheet's name
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]


PERIOD = Column(
    "period", "string", "期别", "评比月份（如 2024-05），年度项目和年度措施为年份（如 2024）"
)
GRID = Column(
    "grid", "string", "网格编号", "网格的编号，中文名称见 results.json 的 grids", sheet="网格"
)
VILLAGE = Column(
    "village_id",
    "string",
    "村编号",
    "村的编号，与村名单 villages.csv 的「编号」列对应",
    sheet="村名",
)
CATEGORY = Column(
    "category",
    "string",
    "项目编号",
    "评比项目的编号，中文名称见 results.json 的 categories",
    sheet="评比项目",
)

RESULT_TABLES: dict[str, Table] = {
    "flags": Table(
        "flags",
        "红黄旗",
        "每个村每期每个项目的得分、名次和红黄旗",
        (
            PERIOD,
            GRID,
            VILLAGE,
            CATEGORY,
            Column("score", "number", "得分", "计入加减分后的得分，空为不参评"),
            Column("rank", "integer", "名次", "在本网格本项目中的名次，得分相同的并列"),
            Column("flag", "string", "红黄旗", "评出的旗，空为无", dict(labels.FLAG_NAMES)),
            Column("basis", "string", "依据", "得旗的依据", dict(labels.BASIS_NAMES)),
        ),
        ("period", "village_id", "category"),
    ),
    "rewards": Table(
        "rewards",
        "奖罚",
        "每个村每期的红旗数、黄旗数、嘉奖、扣罚和合计",
        (
            PERIOD,
            VILLAGE,
            Column("red", "integer", "红旗（面）", "本期得红旗的面数"),
            Column("yellow", "integer", "黄旗（面）", "本期得黄旗的面数"),
            Column("reward", "integer", "嘉奖（元）", "本期嘉奖金额，单位元"),
            Column("penalty", "integer", "扣罚（元）", "本期扣罚金额，单位元"),
            Column("net", "integer", "合计（元）", "嘉奖减扣罚，单位元，负数为净扣罚"),
        ),
        ("period", "village_id"),
    ),
    "actions": Table(
        "actions",
        "处理措施",
        "约谈、警告、停职、年度降档、降星和优先评优，及其原因",
        (
            PERIOD,
            VILLAGE,
            Column("action", "string", "措施", "处理措施", dict(labels.ACTION_LONG_NAMES)),
            Column("reason", "string", "原因", "规则给出的原因"),
        ),
        ("period", "village_id", "action"),
    ),
    "grid_averages": Table(
        "grid_averages",
        "网格平均分",
        "各网格每期每个项目的平均分和参评村数",
        (
            PERIOD,
            GRID,
            CATEGORY,
            Column("average", "number", "平均分", "本网格参评村得分的平均数，保留两位小数"),
            Column("count", "integer", "参评村数", "本网格本项目参评的村数"),
        ),
        ("period", "grid", "category"),
    ),
}

TYPE_NAMES = {"string": "文字", "integer": "整数", "number": "数字"}

# Columns of the office's files (docs/data-format.md §2) by their header.
RAW_COLUMNS: dict[str, Column] = {
    c.name: c
    for c in (
        Column(labels.ID_COLUMN, "string", "编号", "村的编号（如行政区划代码），每村唯一、不变"),
        Column(labels.NAME_COLUMN, "string", "村名", "村（社区）的名称"),
        Column(labels.GRID_COLUMN, "string", "网格", "村所在的网格"),
        Column(
            labels.START_COLUMN, "string", "起始月份", "从这个月起参评（如 2024-01），空为一直参评"
        ),
        Column(labels.END_COLUMN, "string", "终止月份", "参评到这个月为止，空为仍在参评"),
        Column(labels.FORMER_COLUMN, "string", "曾用名", "村改名前的名称，多个用「、」隔开"),
        Column("事件", "string", "事件", "现场会、一票否决、加分或扣分"),
        Column("类别", "string", "类别", "事件所属的评比项目"),
        Column("分值", "number", "分值", "加分或扣分的分数"),
        Column("说明", "string", "说明", "事件的说明"),
    )
}
# Score cells the rules read as empty (not evaluated); "'-" is "-" made formula-safe.
NOT_EVALUATED = ["", "未参评", "缺考", "/", "-", "'-", "—"]


def raw_column(header: str, marks: dict[str, float] | None = None) -> Column:
    """A column of a scores, events or villages file by its header: any other header is a
    category's score, `marks` its full marks by category name (the header may carry them,
    「党建引领发展（30分）」, as the blank forms write it)."""
    found = RAW_COLUMNS.get(header)
    if found is not None:
        return found
    name = split_marks(header)[0] if header not in (marks or {}) else header
    full = (marks or {}).get(name)
    scale = f"0到{format_points(round(full * 100))}分" if full is not None else "0到该项目的满分"
    return Column(header, "number", header, f"「{name}」项目的得分（{scale}），空为不参评")


def score_range(categories: list[dict]) -> str:
    """What a score may be, for the data page: 0到100分, or each category's range."""
    marks = [(c["name"], format_points(round(c["full_marks"] * 100))) for c in categories]
    if len({full for _, full in marks}) <= 1:
        return f"0到{marks[0][1] if marks else 100}分"
    return "0到该项目的满分（" + "、".join(f"{name}{full}分" for name, full in marks) + "）"


def code_name(column: Column, code: str) -> str:
    return column.codes.get(code, code)

"""Every kind of problem flagboard reports: code, 说明, message template, 怎么改, severity.

As frictionless-py's `errors/`: each kind is one `ProblemType`, and every place that reports a
problem makes it from here (`UNKNOWN_VILLAGE.at(file, row, column, value=...)`). A code with
several wordings has one entry and `variant()`s of it. `python -m generator.catalogue` prints
the table of docs/problems.md (`make docs`). Imports: problems only.
"""

from __future__ import annotations

import errno

from generator.problems import MORE_IN_ALL, MORE_PROBLEMS, ProblemType

T = ProblemType
# How a message names a command: the README's full path, run from the project folder.
COMMAND = ".venv/bin/flagboard"


def command(*words: str, scores: str = "scores") -> str:
    """A command line the clerk can run as written: `.venv/bin/flagboard new-month 2025-08`,
    with `--scores DIR` when the scores folder is not the default one."""
    line = " ".join([COMMAND, *words])  # words already quoted() where they need it
    return line if scores in ("scores", "scores/") else f"{line} --scores {scores}"


def quoted(word: str) -> str:
    """A word of a command line as the shell reads it: quoted only when it must be."""
    if word and not any(c.isspace() or c in "'\"$`\\;&|<>()*?[]{}!#~" for c in word):
        return word
    return "'" + word.replace("'", "'\\''") + "'"


_SAVE_AS_CSV = "在 Excel 或 WPS 中「另存为」CSV UTF-8（逗号分隔）"

# -- the folder and its files ------------------------------------------------------------

MISSING_FOLDER = T(
    "missing_folder",
    "找不到评分数据文件夹",
    "检查 --scores 参数指向的文件夹",
    "找不到评分数据文件夹，请检查 --scores 参数",
)
MISSING_FILE = T(
    "missing_file",
    "缺少必需的文件",
    "补上 town.toml 或 villages.csv，或检查要导入的文件名",
    "缺少 town.toml（名称、网格、评比项目、规则）",
)
MISSING_VILLAGES_FILE = MISSING_FILE.variant("缺少 villages.csv（编号、村名、网格）")
MISSING_SOURCE_FILE = MISSING_FILE.variant("找不到这个文件，请检查文件名和所在文件夹")
NOT_REGULAR_FILE = T(
    "not_regular_file",
    "符号链接或其他非普通文件",
    "换成普通文件，或把它移出文件夹；它不会被读取",
    "这是{what}，为安全起见不予读取：请换成普通文件，或把它移出文件夹",
)
NOT_REGULAR_CONTENT = NOT_REGULAR_FILE.variant(
    "这是符号链接（或不是普通文件），为安全起见不予读取，请换成普通文件"
)
UNREADABLE_FOLDER = T(
    "unreadable_folder",
    "无法读取的文件夹",
    "检查文件夹的权限",
    "无法读取这个文件夹，请检查它的权限",
)
UNEXPECTED_FILE = T(
    "unexpected_file",
    "不认识的文件",
    "按 YYYY/YYYY-MM.csv 等规则命名，或另存为 CSV，或移出文件夹",
    "不认识的文件，{hint}",
)
UNEXPECTED_NAME = UNEXPECTED_FILE.variant(
    "文件名「{name}」不合规定：请把它改名为 {prefix}/{meant}（{why}）"
)
BAD_FILE_NAME = T(
    "bad_file_name",
    "文件名中的月份或年份无效",
    "改为 2000 至 2099 年间的真实月份，例如 2024/2024-03.csv",
    "文件名中的{what} {key} 不是 2000 至 2099 年间的有效{what}，"
    "请命名为 YYYY-MM.csv，例如 2024-03.csv",
)
MONTH_MISMATCH = T(
    "month_mismatch",
    "文件不在它的年份文件夹中",
    "把文件移到与文件名年份相同的文件夹",
    "文件名的年份是 {year}，但它在「{folder}」文件夹中，请移到 {prefix}/{year}/ 文件夹"
    "（{prefix}/{meant}）",
)
EVENTS_WITHOUT_SCORES = T(
    "events_without_scores",
    "有事件文件但没有当月的评分文件",
    "补上当月的评分文件，或删除事件文件",
    "有事件文件但没有 {month} 的评分文件 {month}.csv，请补上评分文件或删除事件文件",
)
FILE_EXISTS = T(
    "file_exists",
    "文件已存在",
    "先删除或改名已有的文件；导入时可加 --force 替换",
    "文件已存在，不会覆盖。如要重新生成，请先删除或改名这个文件",
)
FILE_EXISTS_IMPORT = FILE_EXISTS.variant(
    "文件已存在，不会覆盖。如确要用表格替换它（例如复议后更正），请加 --force"
)

# -- the machine's files: a folder that cannot be made, a full disk, no permission ----------------

IO_ERROR = T(
    "io_error",
    "读写文件时出错",
    "检查这个路径：要的文件夹是不是被同名文件占了，磁盘空间和权限够不够；或换一个位置",
    "读写时出错：{reason}；请检查这个路径、磁盘空间和权限，或换一个位置",
)
# What an OSError's errno means, said beside the path it names (os_reason).
OS_REASONS = {
    errno.EACCES: "没有权限",
    errno.EPERM: "操作不被允许（没有权限，或文件被设为不可修改）",
    errno.EROFS: "所在磁盘是只读的",
    errno.ENOSPC: "磁盘空间不足",
    getattr(errno, "EDQUOT", -1): "超出磁盘配额",
    errno.EIO: "磁盘读写错误",
    errno.ENOTDIR: "路径中有一段是文件，不是文件夹",
    errno.EISDIR: "应是文件，却是文件夹",
    errno.ENOENT: "找不到文件或文件夹",
    errno.EEXIST: "已经存在（例如要建文件夹的地方已有同名文件）",
    errno.ENOTEMPTY: "文件夹不是空的",
    errno.EBUSY: "正被其他程序使用，或是挂载点",
    errno.EXDEV: "不在同一个磁盘上",
    errno.ENAMETOOLONG: "路径太长",
    errno.ELOOP: "符号链接太多层",
}


def os_reason(error: OSError) -> str:
    """Why the system refused, in the user's words: the errno's reason, or its name."""
    return (
        OS_REASONS.get(error.errno) or f"系统错误 {errno.errorcode.get(error.errno, error.errno)}"
    )


# -- content pages (content/): docs/data-format.md §2.1「页面只发布自己」 -----------------------

CONTENT_FORMAT = T(
    "content_format",
    "不能读取的页面",
    "页面和新闻用 UTF-8 编码的 Markdown（.md）或 HTML（.html）写；其他格式的文件请移出 content 文件夹",
    "这是 .{what} 文件：网站只读取 Markdown（.md）和 HTML（.html）页面，"
    "其他格式可能带入别的文件，为安全起见不予读取；请改写为 Markdown，或移出 content 文件夹",
)
CONTENT_ENCODING = CONTENT_FORMAT.variant(
    "页面不是 UTF-8 编码的文本，无法读取：请用编辑器另存为 UTF-8"
)
CONTENT_TOO_LARGE = CONTENT_FORMAT.variant(
    "页面大于 {limit} MB 的上限，不予读取：请检查是否误存了别的文件"
)
CONTENT_SETTING = T(
    "content_setting",
    "页面设置不能使用",
    "删除这一行或改正它的值；页面的地址只由 Slug 决定",
    "页面设置「{key}」不能使用（{why}）：请删除这一行；页面能用的设置只有 {allowed}",
)
CONTENT_SETTING_VALUE = CONTENT_SETTING.variant("页面设置「{key}」的值「{value}」不能使用：{why}")
CONTENT_ADDRESS = T(
    "content_address",
    "页面的地址已被占用",
    "写一行「Slug: 英文名」换一个地址，不要用年份、village、grid、data 等网站自己的名称",
    "页面的地址「{address}」{why}：请写一行「Slug: 英文名」换一个地址"
    "（小写英文字母、数字、- 和 _）",
)
CONTENT_OUTPUT = CONTENT_ADDRESS.variant(
    "会写出文件「{address}」，{why}：请改正网站设置文件（pelicanconf.py）或这个页面，"
    "评比结果和别的页面不能被替换"
)
CONTENT_LINK = T(
    "content_link",
    "页面的链接指向 content 文件夹以外或找不到的文件",
    "链接只能指向 content 文件夹里的页面（{filename}）或图片、PDF（{static}、{attach}）",
    "链接「{link}」{why}：页面只能链接或附带 content 文件夹里的页面、图片和 PDF",
)

# -- reading a CSV file ----------------------------------------------------------------------

FILE_TOO_LARGE = T(
    "file_too_large",
    "文件太大",
    "检查是否误存了别的文件或多余的内容",
    "文件大于 {limit} MB 的上限，不予读取：请检查是否误存了别的文件或多余的内容",
)
WORKBOOK = T(
    "workbook",
    "工作簿改名成了 .csv",
    _SAVE_AS_CSV + "，或改名为 .xlsx 后用 flagboard import 导入",
    "这是 Excel/WPS 工作簿，不是 CSV 文件：请在 Excel 或 WPS 中「另存为」CSV UTF-8（逗号分隔），"
    "或把它移出 scores/、改名为 .xlsx 后用 .venv/bin/flagboard import 导入",
)
ENCODING = T(
    "encoding",
    "文件编码无法识别",
    _SAVE_AS_CSV,
    "文件编码无法识别（既不是 UTF-8 也不是 GBK/GB18030），"
    "请在 Excel 或 WPS 中另存为「CSV UTF-8（逗号分隔）」",
)
ENCODING_UTF16 = ENCODING.variant(
    "文件是 UTF-16（Unicode 文本）编码，请在 Excel 中另存为「CSV UTF-8（逗号分隔）」"
)
ENCODING_NUL = ENCODING.variant("文件含有空字符，不是文本文件，请另存为 CSV 文件")
CSV_UNCLOSED_QUOTE = T(
    "csv_unclosed_quote",
    "引号没有配对",
    "用 Excel 或 WPS 打开检查这一行，改好后重新另存为 CSV",
    "{reason}；请用 Excel 或 WPS 打开检查这一行，改好后重新另存为 CSV",
)
CSV = T(
    "csv",
    "CSV 格式有误",
    "用 Excel 或 WPS 打开检查这一行，改好后重新另存为 CSV",
    "CSV 格式有误（{error}）；请用 Excel 或 WPS 打开检查这一行，改好后重新另存为 CSV",
)
TOO_MANY_CELLS = T(
    "too_many_cells",
    "行数或列数超过上限",
    "检查是否误存了别的表格或多余的内容",
    "文件{what}，超过上限（最多 {rows} 行数据、{columns} 列），不再往下读："
    "请检查是否误存了别的表格或多余的内容",
)
NOT_CSV = T(
    "not_csv",
    "制表符分隔的文本",
    _SAVE_AS_CSV,
    "文件是用制表符分隔的文本，不是逗号分隔的 CSV：请另存为「CSV UTF-8（逗号分隔）」",
)
EMPTY_FILE = T("empty_file", "空文件", "填写表头和数据", "文件是空的，请填写表头和数据")

# -- town.toml -------------------------------------------------------------------------------

BAD_TOML = T(
    "bad_toml",
    "town.toml 格式有误",
    "检查引号、方括号和等号",
    "town.toml 格式有误（{error}），请检查引号、方括号和等号",
)
BAD_TOML_NESTING = BAD_TOML.variant("town.toml 的括号嵌套太深，请检查格式")
BAD_TOWN = T(
    "bad_town",
    "town.toml 的设置不符合要求",
    "按消息改正这一项设置（见仓库里的 docs/data-format.md 第 2 节「town.toml」）",
    "{message}",
)
NO_RULE_VERSION = T(
    "no_rule_version",
    "没有适用的规则版本",
    "在 town.toml 中添加 from 不晚于该月的 [[rules]]",
    "{month} 早于所有规则版本（最早从 {first} 起），请在 town.toml 中添加适用的 [[rules]]",
)
NO_RULE_VERSION_YEAR = NO_RULE_VERSION.variant(
    "{year} 年12月没有适用的规则版本，请在 town.toml 中添加 [[rules]]"
)
NO_RULE_VERSION_NEW = NO_RULE_VERSION.variant(
    "{month} 早于所有规则版本（最早从 {first} 起），请先在 town.toml 中添加适用的 [[rules]]"
)

# -- villages.csv ------------------------------------------------------------------------------

BAD_ID = T(
    "bad_id",
    "编号无效",
    "只用英文字母、数字和 -",
    "编号「{value}」无效，只能用英文字母、数字和 -，最多 {limit} 个字符（例如 330110101201）",
)
DUPLICATE_ID = T(
    "duplicate_id",
    "编号重复",
    "给每个村不同的编号",
    "编号 {value} 重复，每个村的编号必须不同",
)
DUPLICATE_ID_CASE = DUPLICATE_ID.variant(
    "编号 {value} 与 {other} 只差大小写，网址会冲突（Windows 等不分大小写），每个村的编号必须不同"
)
MISSING_NAME = T("missing_name", "村名为空", "填写村名", "村名不能为空")
NAME_TOO_LONG = T(
    "name_too_long",
    "名称太长",
    "缩短村名或曾用名",
    "村名太长（最多 {limit} 个字），请检查",
)
FORMER_NAME_TOO_LONG = NAME_TOO_LONG.variant("曾用名太长（最多 {limit} 个字）")
DUPLICATE_NAME = T(
    "duplicate_name",
    "名称重复",
    "每个村的村名和曾用名都必须不同（只差空格或全角/半角也算相同）",
    "村名「{value}」重复{same}，每个村的名称必须不同",
)
DUPLICATE_FORMER_NAME = DUPLICATE_NAME.variant(
    "曾用名「{value}」与「{other}」的{what}相同，一个名称只能属于一个村，请核对"
)
UNSAFE_CHARACTERS = T(
    "unsafe_characters",
    "含有控制字符或看不见的字符",
    "删除这些字符后重新输入",
    "含有控制字符或看不见的字符（{codes}），请删除后重新输入",
)
NAME_CHARACTERS = T(
    "name_characters",
    "名称里有不能用的字符",
    "名称只能用汉字、英文字母、数字、空格和 · （ ） ( ) - — 、 这几个标点；删除或改正问题里指出的字符",
    "「{value}」里有名称不能用的字符（{codes}）：名称只能用{allowed}，请删除或改正",
)
RESERVED_ID = T(
    "reserved_id",
    "编号是网站自己用的名称",
    "换一个编号（不能用 village、grid、data、poster 等网站自己的页面和文件夹名）",
    "编号「{value}」是网站自己的页面或文件夹名，网址会冲突，请换一个编号（不能用：{names}，不分大小写）",
)
UNKNOWN_GRID = T(
    "unknown_grid",
    "网格不在 town.toml 中",
    "填写 town.toml 中网格的 id 或名称",
    "网格「{value}」不在 town.toml 中，请填写：{known}{more}",
)
BAD_SUCCESSOR = T(
    "bad_successor",
    "「并入」写的村不对",
    "「并入」写撤并后并入的村的编号或村名（villages.csv 里没有问题的一行），本行还要写终止月份",
    "并入的村「{value}」不在 villages.csv 中（或那一行有错），请填写并入的村的编号或村名",
)
SUCCESSOR_ITSELF = BAD_SUCCESSOR.variant("「并入」写的是本村自己，请填写撤并后并入的村")
SUCCESSOR_WITHOUT_END = BAD_SUCCESSOR.variant(
    "写了并入「{value}」，但没有写终止月份：请在「终止月份」写本村最后参评的月份"
)
SUCCESSOR_ENDED = BAD_SUCCESSOR.variant(
    "并入的村「{value}」参评至 {other_end}，不晚于本村的终止月份 {end}，请核对"
)
BAD_MONTH = T(
    "bad_month",
    "月份无效",
    "写成 YYYY-MM（2000-01 至 2099-12），例如 2024-03",
    "「{value}」不是有效月份，请写成 YYYY-MM（2000-01 至 2099-12），例如 2024-03",
)
BAD_MONTH_ORDER = BAD_MONTH.variant("终止月份 {end} 早于起始月份 {start}，请检查")
BAD_MONTH_ARGUMENT = BAD_MONTH.variant(
    "「{value}」不是有效月份，月份要写成 YYYY-MM，例如 {example}"
)
ANNUAL_NOT_MONTH = BAD_MONTH.variant(
    "「{value}」是年度评分，不是月份：年度评分表请用 {new} 生成，导入年度表格请用 {imported}"
)
BAD_YEAR_ARGUMENT = T(
    "bad_year",
    "年份无效",
    "写成四位数的年份（2000 至 2099），例如 2024",
    "「{value}」不是有效年份，请写成四位数的年份（2000 至 2099），例如 2024",
)

# -- columns of the scores and events files ----------------------------------------------------

BAD_FIRST_COLUMN = T(
    "bad_first_column",
    "第一列不是村名或编号",
    "把第一列的表头改为「村名」或「编号」",
    "第一列的表头必须是「村名」或「编号」",
)
UNKNOWN_COLUMN = T(
    "unknown_column",
    "不认识的列",
    "删除这一列，或把表头改为评比项目名称",
    "不认识的列，{expected}",
)
UNKNOWN_CATEGORY_COLUMN = UNKNOWN_COLUMN.variant("这一列{what}，请删除或改为评比项目名称：{names}")
# A misspelt category: the one it stands for (its own column missing is not said again).
UNKNOWN_CATEGORY_NEAR = UNKNOWN_COLUMN.variant(
    "「{value}」不是评比项目，是不是「{near}」？{lacks}是的话请把表头改为「{near}」"
)
MISSING_COLUMN = T(
    "missing_column",
    "缺少必需的列",
    "补上这一列（未参评的村留空）",
    "缺少「{header}」列，{expected}",
)
MISSING_MONTHLY_COLUMN = MISSING_COLUMN.variant(
    "缺少「{name}」列，每月必评项目都要有一列（未参评的村留空）"
)
MISSING_ANNUAL_COLUMN = MISSING_COLUMN.variant("年度评分文件至少要有一个年度评比项目列")
DUPLICATE_COLUMN = T(
    "duplicate_column",
    "列重复",
    "删除多余的一列",
    "这一列重复出现，请删除多余的一列",
)
DUPLICATE_SHEET_COLUMN = DUPLICATE_COLUMN.variant(
    "「{name}」有两列（{first}和{second}），请删除多余的一列"
)
COLUMN_NOT_ALLOWED = T(
    "column_not_allowed",
    "这个评比项目不能填在这个文件里",
    "把这一列移到它所属的文件（每月或年度），或删除",
    "{reason}",
)

MARKS_MISMATCH = T(
    "marks_mismatch",
    "表头写的满分与 town.toml 不一致",
    "核对这一项按几分制打分；表头改为 town.toml 的满分，或只写项目名称",
    "表头写的满分是 {written} 分，town.toml 里「{name}」的满分是 {full} 分：请核对分数是按几分制打的，"
    "再把表头改为「{header}」（或只写「{name}」）",
)

# -- rows and cells of the scores files ----------------------------------------------------------

MISSING_VILLAGE = T(
    "missing_village",
    "缺少村或村名为空",
    "补上这个村的一行（未参评的项目留空），或填写村名",
    "缺少「{label}」这一行：该村在 {when} 参加评比，请补上（未参评的项目留空）",
)
EMPTY_VILLAGE = MISSING_VILLAGE.variant("{key}为空，请填写")
UNKNOWN_VILLAGE = T(
    "unknown_village",
    "村不在 villages.csv 中",
    "改正村名或编号（消息里有最接近的名称时多半就是它）；新设的村先加入 villages.csv",
    "「{value}」不是{own}的{member}（villages.csv 里没有这个{key}）：请检查是否写错；"
    "新设的{member}请先加入 villages.csv",
)
# A misspelt name: the one village it stands for, whose row the file lacks.
UNKNOWN_VILLAGE_NEAR = UNKNOWN_VILLAGE.variant(
    "「{value}」不是{own}的{member}，是不是「{near}」？{lacks}是的话请把{key}改为「{near}」"
)
DUPLICATE_VILLAGE = T(
    "duplicate_village",
    "村重复出现",
    "删除多余的一行",
    "「{value}」重复出现（第{first}行已有），请删除多余的一行",
)
INACTIVE_VILLAGE = T(
    "inactive_village",
    "村在这一期不参加评比",
    "删除这一行，或改正 villages.csv 的起始/终止月份",
    "「{value}」{inactive}，请删除这一行",
)
INACTIVE_EVENT_VILLAGE = INACTIVE_VILLAGE.variant(
    "「{value}」在 {month} 不在评比范围内，不能登记事件"
)
GRID_MISMATCH = T(
    "grid_mismatch",
    "网格与 villages.csv 不一致",
    "核对这一格，或删除这一列",
    "「{value}」与 villages.csv 中该村的网格不一致，请核对",
)
ID_NAME_MISMATCH = T(
    "id_name_mismatch",
    "编号或村名与 villages.csv 不一致",
    "核对这一格，或删除这一列",
    "「{value}」与 villages.csv 中该村的{header}「{expected}」不一致，请核对",
)
NOT_A_NUMBER = T(
    "not_a_number",
    "分数不是数字",
    "填写 0 到满分之间的数字，最多两位小数；不参评请留空或写未参评",
    "「{value}」不是数字，请填写0到{full}之间的分数；不参评请留空或写未参评",
)
TOO_MANY_DECIMALS = T(
    "too_many_decimals",
    "超过两位小数",
    "四舍五入到两位小数",
    "「{value}」超过两位小数，请四舍五入到两位小数",
)
OUT_OF_RANGE = T(
    "out_of_range",
    "分数超出范围",
    "填写 0 到满分之间的分数",
    "「{value}」超出范围，请填写0到{full}之间的分数",
)
BLANK_PERIOD = T(
    "blank_period",
    "文件里没有任何分数",
    "填好分数再提交；本期确实不评比则删除这个文件",
    "这个文件里没有任何分数（像是误提交的空白表）：请填好分数再提交；如果本期确实不评比，请删除这个文件",
)
BLANK_ANNUAL = BLANK_PERIOD.variant(severity="warning")
BLANK_CATEGORY = T(
    "blank_category",
    "某一项没有任何村有分数（提醒）",
    "核对这一列是否漏填；本期确实不评比这一项可以不理会",
    "「{category}」这一列没有任何村有分数（全部未参评），本期这一项不评红黄旗：是否漏填了，"
    "或者分数在表格里没有读出来？请核对；如果本期确实不评比这一项，可以不理会这条提醒",
    severity="warning",
)
SAME_AS_PREVIOUS = T(
    "same_as_previous",
    "分数与上一期完全相同（提醒）",
    "核对是否复制了上一期的文件；确实相同可以不理会",
    "本期的分数与上一期 {previous} 完全相同：是否复制了上一期的文件却忘了改分数？"
    "请核对；如果确实相同，可以不理会这条提醒",
    severity="warning",
)

# -- events files ------------------------------------------------------------------------------

BAD_EVENT_TYPE = T(
    "bad_event_type",
    "事件无效",
    "只填 现场会、一票否决、加分 或 扣分",
    "「{value}」不是有效的事件，只能填：{known}",
)
MISSING_NOTE = T("missing_note", "说明为空", "写明事件的依据", "说明不能为空，请写明事件的依据")
NOTE_TOO_LONG = T(
    "note_too_long",
    "说明太长",
    "简写说明",
    "说明有 {length} 个字，太长了（最多 {limit} 个字），请简写",
)
UNEXPECTED_CATEGORY = T(
    "unexpected_category",
    "一票否决填了类别",
    "一票否决的「类别」留空",
    "一票否决针对整个村，「类别」请留空",
)
MISSING_CATEGORY = T(
    "missing_category",
    "缺少类别",
    "填写评比项目名称",
    "{event}必须填写「类别」（评比项目名称）",
)
UNKNOWN_CATEGORY = T(
    "unknown_category",
    "类别不是本月的评比项目",
    "填写本月评分文件中的评比项目名称",
    "「{value}」不是本月评分文件中的评比项目，请填写：{scored}",
)
UNEXPECTED_VALUE = T(
    "unexpected_value",
    "现场会或一票否决填了分值",
    "「分值」留空",
    "{event}不加减分，「分值」请留空",
)
MISSING_VALUE = T(
    "missing_value",
    "缺少分值",
    "填写大于 0 的分值",
    "{event}必须填写「分值」（大于0的数）",
)
BAD_VALUE = T(
    "bad_value",
    "分值不是大于 0 的数",
    "填写大于 0 的数，如 2 或 0.5",
    "「{value}」不是大于0的数，请填写要{event}的分数（如 2 或 0.5）",
)
VALUE_OVER_FULL_MARKS = T(
    "value_over_full_marks",
    "分值超过满分",
    "加分或扣分不超过该项目的满分",
    "「{value}」超过该项目的满分 {full} 分，{event}不能超过满分，请核对",
)
ADJUST_EMPTY_SCORE = T(
    "adjust_empty_score",
    "给未参评的分数加减分",
    "先填写分数，或删除这条事件",
    "「{value}」的「{category}」没有分数（未参评），不能{event}；请先填写分数或删除这条事件",
)

# -- office tools: new-month, import, preview ----------------------------------------------------

NO_ANNUAL_CATEGORY = T(
    "no_annual_category",
    "这一年没有年度评比项目",
    '在 town.toml 的 [[categories]] 中添加 kind = "annual" 的项目，或确认年份',
    '{year} 年没有在评的年度评比项目（town.toml 中 kind = "annual" 的项目），'
    "不需要年度评分表；如要评比，请先在 town.toml 中添加",
)
NOT_OPTIONAL = T(
    "not_optional",
    "不是可选的评比项目",
    "--with 只用当月可选的评比项目",
    "「{key}」不是 {month} 可选的评比项目，--with 只能用：{names}",
)
BAD_REF = T(
    "bad_ref",
    "无法与以前的版本比较",
    "--against 写分支名、标签或提交号（例如 origin/main），并确认它有评分数据",
    "无法与版本「{ref}」比较：{reason}",
)
NO_PERIOD = T(
    "no_period",
    "没有这个月（这一年）的评分文件",
    "先用 flagboard new-month（new-annual）生成空白表填好，或用 flagboard import 导入",
    "没有 {month} 的评分文件：请先用 {new} 生成空白表并填好分数，或用 {imported} 把表格导入",
)
UNSUPPORTED_FILE = T(
    "unsupported_file",
    "不能导入的文件格式",
    "在 Excel/WPS 里另存为 .xlsx 后再导入",
    "只能导入 .xlsx、.xls、.ods 表格或 .csv 文件；"
    "其他格式（如 .xlsb）请在 Excel/WPS 里另存为 .xlsx 后再导入",
)
UNSUPPORTED_ET = UNSUPPORTED_FILE.variant(
    "这是 WPS 表格（.et）文件，不能直接导入：请在 WPS 中另存为 .xlsx 后再导入"
)
NO_HEADER = T(
    "no_header",
    "找不到表头行",
    "表头要有「村名」（或「编号」）列和评比项目列；检查 --sheet",
    "找不到表头行：表头要有「村名」（或「编号」；也可写作村庄名称、行政村、村（社区）、单位名称）"
    "列和评比项目列，例如 {examples}。{closest}{sheets}请检查是否选对了工作表（--sheet）",
)
IGNORED_COLUMNS = T(
    "ignored_columns",
    "导入时忽略的列（提醒）",
    "核对这些列里有没有评比项目；有的话把表头改为 town.toml 里的项目名称",
    "导入时忽略了这些列（不是评比项目）：{columns}；如果其中有评比项目，请把表头改为 town.toml 里的名称",
    severity="warning",
)
MERGED_CELLS = T(
    "merged_cells",
    "分数格是合并单元格",
    "取消合并后逐格填写",
    "{where} 是合并单元格，每个村的每一项要各填一个分数，请取消合并后逐格填写",
)
DATE_CELL = T(
    "date_cell",
    "分数格设成了日期格式",
    "把单元格格式改为「常规」或「数值」后重新填写",
    "单元格 {cell} 设成了日期格式，显示为 {shown}，"
    "不是分数；请把这一格的格式改为「常规」或「数值」，重新填写后再导入",
)
UNKNOWN_SHEET = T(
    "unknown_sheet",
    "找不到工作表",
    "用 --sheet 指定工作表的名称或序号",
    "找不到工作表「{sheet}」，这个文件的工作表有：{listed}，请用 --sheet 指定",
)
WORKBOOK_TOO_LARGE = T(
    "workbook_too_large",
    "表格太大或部件太多",
    "把评分表复制到一个新表格里再导入",
    "{reason}",
)
SHEET_TOO_LARGE = T(
    "sheet_too_large",
    "工作表超出能导入的范围",
    "删除评分表以外的内容，或复制到新表格再导入",
    "工作表「{sheet}」的单元格 {cell} 有内容，"
    "超出了能导入的范围（最多 {rows} 行、{columns} 列，即 A1:{last}）；"
    "请删除评分表以外的内容，或把评分表复制到一个新表格里再导入",
)
UNREADABLE_WORKBOOK = T(
    "unreadable_workbook",
    "无法读取的表格",
    "确认它是 Excel/WPS 表格、未加密、已保存关闭；或另存为 .xlsx",
    "{reason}",
)
ZIP_BOMB = T(
    "zip_bomb",
    "像是恶意构造的压缩文件",
    "不要导入来历不明的文件；请对方重新保存",
    "{reason}",
)
ENCRYPTED_WORKBOOK = T(
    "encrypted_workbook",
    "表格已加密",
    "取消密码保护后另存再导入",
    "表格已加密，请在 Excel/WPS 里取消密码保护后另存再导入",
)
FORMULA_WITHOUT_RESULT = T(
    "formula_without_result",
    "公式没有保存计算结果",
    "用 Excel 或 WPS 打开表格，保存后再导入",
    "单元格 {cell} 是公式，但表格里没有保存它的计算结果"
    "（表格不是用 Excel/WPS 保存的）；请用 Excel 或 WPS 打开这个表格，保存后再导入",
)
FORMULA_IN_HEADER = FORMULA_WITHOUT_RESULT.variant(
    "表头单元格 {cell} 是公式，但表格里没有保存它的计算结果，看不出这一列是什么；"
    "请用 Excel 或 WPS 打开这个表格，保存后再导入"
)
ERROR_VALUE = T(
    "error_value",
    "单元格显示错误值",
    "在 Excel/WPS 里改正这一格的公式或数值；不参评请留空或写未参评",
    "单元格 {cell} 显示错误值 {shown}（公式或引用出错），导入不能把它当作空白"
    "（空白的分数表示未参评）；请在 Excel/WPS 里改正这一格，保存后再导入",
)
PERCENT_CELL = T(
    "percent_cell",
    "分数格设成了百分比格式",
    "把单元格格式改为「常规」或「数值」，填写分数",
    "单元格 {cell} 设成了百分比格式，显示为 {shown}，表格里存的是 {value}；"
    "导入不猜分数是哪一个：请把这一格的格式改为「常规」或「数值」，填写分数后再导入",
)
SHOWN_DIFFERS = T(
    "shown_differs",
    "单元格显示的数与存的数不同",
    "把这一格改为要公布的分数（最多两位小数），格式改为「常规」",
    "单元格 {cell} 显示为 {shown}，表格里存的却是 {value}（数字格式{format}改变了显示的数）；"
    "导入不猜哪一个是分数：请把这一格改为要公布的分数（最多两位小数），格式改为「常规」后再导入",
)
HIDDEN_VALUE = T(
    "hidden_value",
    "单元格的内容被格式或颜色隐藏",
    "把单元格格式改为「常规」、字体改为看得见的颜色，核对后再导入",
    "单元格 {cell} 的数字格式{format}把内容隐藏了（显示为空白），表格里存的是 {value}；"
    "请把格式改为「常规」，核对这一格后再导入",
)
FORMAT_TEXT = HIDDEN_VALUE.variant(
    "单元格 {cell} 的数字格式{format}让它显示为「{shown}」，表格里存的是 {value}；"
    "分数格只能显示分数：请把格式改为「常规」，核对这一格后再导入"
)
INVISIBLE_TEXT = HIDDEN_VALUE.variant(
    "单元格 {cell} 的字体颜色和底色相同（例如白字白底），看不见它的内容 {value}；"
    "请把字体改为看得见的颜色，核对这一格后再导入"
)
ZERO_HIDDEN = HIDDEN_VALUE.variant(
    "单元格 {cell} 存的是 0，但这个工作表设置了不显示零值，在 Excel 里显示为空白"
    "（空白的分数表示未参评）；请在 Excel 选项里勾选「在具有零值的单元格中显示零」"
    "（WPS：视图里勾选「零值」），核对这一格后再导入"
)
UNKNOWN_FORMAT = T(
    "unknown_format",
    "导入无法核对的数字格式",
    "把单元格格式改为「常规」或「数值」",
    "单元格 {cell} 用了导入无法核对的数字格式{format}（表格里存的是 {value}），"
    "不知道 Excel 显示的是什么；请把格式改为「常规」或「数值」后再导入",
)
HIDDEN_ROW = T(
    "hidden_row",
    "隐藏的行里有要导入的内容",
    "在 Excel 里取消隐藏（或清除筛选、展开分组），核对后再导入；不该导入的行请删除",
    "第{line}行{what}{how}，在 Excel 里看不到，导入不会悄悄读入看不到的行；"
    "请在 Excel 里{undo}，核对这一行后再导入；不该导入的行请删除",
)
HIDDEN_COLUMN = T(
    "hidden_column",
    "隐藏的列里有要导入的内容",
    "在 Excel 里取消隐藏（或展开分组），核对后再导入；不该导入的列请删除",
    "{letter}列「{header}」{how}，在 Excel 里看不到，导入不会悄悄读入看不到的列；"
    "请在 Excel 里{undo}，核对这一列后再导入；不该导入的列请删除",
)
HIDDEN_SHEET = T(
    "hidden_sheet",
    "隐藏的工作表里也有评分表（提醒）",
    "核对导入的是不是该导入的工作表；要导入隐藏的那个，用 --sheet 指定",
    "{how}的工作表「{sheet}」里也有评分表（表头在第{header_row}行），在 Excel 里看不到，没有导入；"
    "导入的是「{chosen}」。如果要导入的是它，请用 --sheet 指定",
    severity="warning",
)
HIDDEN_SHEET_ONLY = HIDDEN_SHEET.variant(
    "评分表只在{how}的工作表「{sheet}」里（表头在第{header_row}行），在 Excel 里看不到；"
    "请在 Excel 里取消隐藏并核对后再导入，或用 --sheet 指定它",
    severity="error",
)
SEVERAL_SHEETS = T(
    "several_score_sheets",
    "表格里有几个工作表像评分表",
    "用 --sheet 指定要导入的工作表（名称或序号）",
    "这个表格有 {count} 个工作表像评分表：{listed}；导入不替你挑选，"
    "请用 --sheet 指定要导入哪一个{hint}",
)
TOO_MANY_SHEETS = SEVERAL_SHEETS.variant(
    "这个表格有 {count} 个工作表，超过自动查找评分表的上限（{limit} 个）；"
    "请用 --sheet 指定要导入的工作表（名称或序号）"
)
TOO_LARGE_TO_SEARCH = SEVERAL_SHEETS.variant(
    "这个表格的工作表合计超过 {cells} 个单元格，不自动查找评分表；"
    "请用 --sheet 指定要导入的工作表（名称或序号）"
)
WORKBOOK_PERIOD = T(
    "workbook_period",
    "表格自己写的月份与要导入的不一致",
    "核对月份：改正表格的标题、工作表名或文件名，或改 --month",
    "{where}写的是「{found}」，与要导入的 {period} 不一致；请核对：如果这确实是 {period} 的评分，"
    "请改正{what}后再导入，否则请改 {option}",
)
INIT_NOT_EMPTY = T(
    "init_not_empty",
    "项目文件夹里已有数据",
    "flagboard init 不覆盖任何文件：换一个 --dir，或先把原有的 scores/ 和关于页移走",
    "这个文件夹里已经有文件，flagboard init 不会覆盖：请先把它移走（示范数据可以整个删除），"
    "或用 --dir 指定另一个项目文件夹",
)
INIT_ABOUT_EXISTS = INIT_NOT_EMPTY.variant(
    "关于本站的页面已经存在，flagboard init 不会覆盖：请先把它移走（示范数据的页面可以删除），"
    "或用 --dir 指定另一个项目文件夹"
)
INIT_NO_NAME_COLUMN = T(
    "init_no_name_column",
    "村名单里找不到村名列",
    "村名单的表头要有「村名」列（也可写作村庄名称、行政村等），可再加「网格」和「编号」列",
    "前 {rows} 行里找不到表头：村名单要有「村名」列（也可写作村庄名称、行政村、村（社区）、单位名称），"
    "可再加「网格」和「编号」列",
)

# -- publishing a built site (flagboard publish; the file is the target) -------------------------

_TARGETS = "文件夹路径、zip:FILE.zip、ssh://USER@HOST/PATH 或 s3://BUCKET/PREFIX"
PUBLISH_NO_TARGET = T(
    "publish_no_target",
    "没有指定发布目标",
    "用 --to 指定发布目标，或设置环境变量 FLAGBOARD_PUBLISH_TO",
    f"没有指定发布目标：请用 --to 指定（{_TARGETS}），或设置环境变量 FLAGBOARD_PUBLISH_TO",
)
PUBLISH_BAD_TARGET = T(
    "publish_bad_target",
    "发布目标的写法不对",
    f"按 {COMMAND} publish -h 的说明写发布目标",
    f"不支持「{{scheme}}://」这种发布目标：发布目标可以是{_TARGETS}",
)
PUBLISH_ZIP_NAME = PUBLISH_BAD_TARGET.variant(
    "压缩包的文件名要以 .zip 结尾，例如 zip:huamu-site.zip"
)
PUBLISH_ZIP_PREFIX = PUBLISH_BAD_TARGET.variant(
    "要发布为压缩包，请写成 zip:FILE.zip（例如 zip:huamu-site.zip）；"
    "要发布到名字以 .zip 结尾的文件夹，请写成 dir:PATH"
)
PUBLISH_SSH_FORM = PUBLISH_BAD_TARGET.variant(
    "SSH 目标要写成 ssh://USER@HOST[:PORT]/PATH（PATH 是服务器上的绝对路径），例如 "
    "ssh://deploy@web.county.gov.cn:2222/srv/www/huamu（不能写密码，密钥放在 FLAGBOARD_SSH_KEY）"
)
PUBLISH_SSH_PATH = PUBLISH_BAD_TARGET.variant(
    "服务器上的路径要写成绝对路径，只含字母、数字、汉字和 . _ + - /，不能是 / 本身，也不能含 ..，"
    "例如 ssh://deploy@web.county.gov.cn/srv/www/huamu"
)
PUBLISH_BUCKET_NAME = PUBLISH_BAD_TARGET.variant(
    "存储桶名称应为 3 到 63 个小写字母、数字、点或连字符，例如 s3://huamu-site"
)
PUBLISH_BUCKET_PREFIX = PUBLISH_BAD_TARGET.variant(
    "存储桶里的前缀只能含字母、数字、汉字和 . _ + -，用 / 分隔，例如 s3://county-sites/huamu"
)
PUBLISH_SETTING = T(
    "publish_setting",
    "发布设置缺失或有误",
    "在 CI 的密钥和变量里设置所说的环境变量（见 docs/publish.md）",
    "发布到对象存储还需要设置环境变量 {names}（在 CI 的密钥和变量里设置）",
)
PUBLISH_S3_ENDPOINT = PUBLISH_SETTING.variant(
    "FLAGBOARD_S3_ENDPOINT「{endpoint}」应是 http:// 或 https:// 开头、不带路径的地址，"
    "例如 https://oss-cn-hangzhou.aliyuncs.com"
)
PUBLISH_S3_ADDRESSING = PUBLISH_SETTING.variant(
    "FLAGBOARD_S3_ADDRESSING 应为 virtual（默认，存储桶名在域名里）、path（存储桶名在路径里）"
    "或 domain（FLAGBOARD_S3_ENDPOINT 就是存储桶自己的域名），而不是「{value}」"
)
PUBLISH_SITEURL = PUBLISH_SETTING.variant(
    "网站地址「{url}」不是 http:// 或 https:// 开头的完整地址，无法取回核对："
    "请检查 FLAGBOARD_SITEURL 或 --check-url"
)
PUBLISH_NOT_A_SITE = T(
    "publish_not_a_site",
    "要发布的不是 flagboard 生成的网站",
    f"先运行 {COMMAND} build，或用 --site 指向它生成的文件夹",
    "这里没有 flagboard build 生成的网站（缺少标记文件 .flagboard-site），不予发布："
    f"请先运行 {COMMAND} build，或用 --site 指向它生成的文件夹（默认 output）",
)
PUBLISH_UNSAFE_FILE = T(
    "publish_unsafe_file",
    "网站里有不能发布的文件",
    "删除它，或改名后重新生成网站",
    "这是符号链接或特殊文件，为安全起见不予发布：请删除它后重新生成网站",
)
PUBLISH_UNSAFE_NAME = PUBLISH_UNSAFE_FILE.variant(
    "文件名含有控制字符或反斜杠，或用了 flagboard 自用的 .flagboard 文件夹，不予发布：请改名后重新生成网站"
)
PUBLISH_NOT_OURS = T(
    "publish_not_ours",
    "发布目标里有不是 flagboard 发布的文件",
    "换一个空的文件夹、存储桶前缀或服务器路径；flagboard 不覆盖也不删除不是它发布的文件",
    "目标里已有 {count} 个不是 flagboard 发布的文件（{files}），不会覆盖或删除："
    "请换一个空的文件夹或存储桶前缀，或确认这些文件不再需要、移走后再发布",
)
PUBLISH_NOT_OURS_ZIP = PUBLISH_NOT_OURS.variant(
    "这个文件已经存在，但不是 flagboard 生成的网站压缩包，不会覆盖：请换一个文件名，或先移走它"
)
PUBLISH_NOT_OURS_SERVER = PUBLISH_NOT_OURS.variant(
    "服务器上这个路径里已有 releases 或 current，但不是 flagboard 建的，不会改动：请换一个路径"
)
PUBLISH_INSIDE_SITE = PUBLISH_NOT_OURS.variant(
    "发布目标与要发布的网站文件夹 {site} 重叠（是它、在它里面或包含它），不予发布：请换一个目标"
)
PUBLISH_LINK_OUT = PUBLISH_NOT_OURS.variant(
    "{path} 所在的文件夹是指向目标以外的符号链接，不会写入：请删除这个链接后再发布"
)
PUBLISH_BAD_MANIFEST = T(
    "publish_bad_manifest",
    "发布目标里的清单文件无法读取",
    "检查目标里 .flagboard/ 下的文件是否被改动；无法确认时换一个空目标重新发布",
    "目标里 flagboard 的清单文件已损坏或不是本程序写的，无法知道哪些文件是它发布的，"
    "为安全起见不予发布：请检查它，或换一个空的目标重新发布",
)
PUBLISH_LOCKED = T(
    "publish_locked",
    "另一次发布正在进行",
    "等它结束后再发布；CI 里让同一时间只运行一次发布",
    "另一次发布正在向这个文件夹发布，请等它结束后再试",
)
PUBLISH_LOCKED_SERVER = PUBLISH_LOCKED.variant(
    "另一次发布正在向服务器上的这个路径发布，请等它结束后再试"
)
PUBLISH_LOCKED_BUCKET = PUBLISH_LOCKED.variant(
    "另一次发布（{holder}，{started} 开始）正在向这个存储桶发布，请等它结束后再试；"
    "如果它已被中断，锁最迟 2 分钟后失效"
)
PUBLISH_CONNECT = T(
    "publish_connect",
    "连接不上发布目标",
    "检查地址、端口、网络，以及密钥和 known_hosts",
    "连接不上对象存储 {host}：请检查 FLAGBOARD_S3_ENDPOINT 和网络",
)
PUBLISH_SSH = PUBLISH_CONNECT.variant("{reason}")
PUBLISH_SSH_LOST = PUBLISH_CONNECT.variant(
    "与服务器的连接中断（退出码 {code}）：{last}；请检查网络后重新发布"
)
PUBLISH_REFUSED = T(
    "publish_refused",
    "发布目标拒绝了请求或出错",
    "按提示检查密钥的权限、存储桶名称、区域和地址；服务器出错时稍后重试",
    "对象存储拒绝了请求（HTTP {status}）{hint}",
)
PUBLISH_STORE = PUBLISH_REFUSED.variant("对象存储出错（{kind}），请稍后重试")
PUBLISH_SSH_COMMAND = PUBLISH_REFUSED.variant("{program}出错（退出码 {code}）：{last}")
PUBLISH_IO = T(
    "publish_io",
    "读写文件出错",
    "检查磁盘空间和文件夹的权限",
    "读写文件出错（{error}）：请检查磁盘空间和文件夹的权限",
)
PUBLISH_CHECK = T(
    "publish_check",
    "发布后从网站取回的网页与本次发布的不同",
    "检查网站地址是否指向这个目标，CDN 是否回源验证网页（见 docs/publish.md），稍后再核对",
    "已发布到目标，但从 {url} 取回的网页{reason}：请检查网站地址是否指向这个目标，"
    "CDN 是否对网页回源验证（Cache-Control: no-cache），稍后再核对",
)
PUBLISH_ROLLBACK = T(
    "publish_rollback",
    "无法回退",
    "对象存储、文件夹和压缩包：重新发布上一次的网站（在 CI 里重新运行上一次成功的发布）",
    "只有发布到服务器（ssh://）时才能回退：那里保留着最近几次发布的版本。"
    "对象存储、文件夹和压缩包不保留旧版本，请重新发布上一次的网站（在 CI 里重新运行上一次成功的发布）",
)
PUBLISH_NO_EARLIER = PUBLISH_ROLLBACK.variant(
    "服务器上没有比当前版本（{current}）更早的版本可以回退"
)

# Why ssh failed (ssh.failure), and what an S3 error code means (s3.failure).
SSH_REASONS = {
    "host_key": "服务器的主机密钥不在 FLAGBOARD_SSH_KNOWN_HOSTS（known_hosts）中，拒绝连接："
    "请向服务器管理员核实主机密钥后加入",
    "host_key_changed": "服务器的主机密钥与 known_hosts 中记录的不同，可能有人冒充服务器，拒绝连接："
    "请向服务器管理员核实",
    "auth": "服务器不接受这个 SSH 密钥：请检查 FLAGBOARD_SSH_KEY 和服务器上的 authorized_keys",
    "resolve": "找不到这台服务器（主机名无法解析）：请检查主机名",
    "refused": "服务器拒绝连接：请检查主机和端口",
    "timeout": "连接服务器超时：请检查主机、端口和网络",
    "closed": "与服务器的连接中断：请检查网络后重新发布",
    "tools": "服务器上缺少需要的命令（sh、flock、rsync、gzip、find、GNU coreutils）：请服务器管理员安装",
}
PUBLISH_HINTS = {
    "AccessDenied": "：密钥没有写这个存储桶（或前缀）的权限",
    "InvalidAccessKeyId": "：FLAGBOARD_S3_ACCESS_KEY_ID 不对",
    "SignatureDoesNotMatch": "：FLAGBOARD_S3_SECRET_ACCESS_KEY 不对，或区域 FLAGBOARD_S3_REGION 不对",
    "AuthorizationHeaderMalformed": "：区域 FLAGBOARD_S3_REGION 不对",
    "NoSuchBucket": "：存储桶不存在，请检查名称和地址",
    "PermanentRedirect": "：地址或区域与存储桶不符",
    "403": "：请检查密钥的权限",
    "404": "：请检查存储桶名称和地址",
    "500": "：对象存储出错，请稍后重试",
    "503": "：对象存储暂时不可用，请稍后重试",
}

# -- git history as evidence (flagboard build) -----------------------------------------------

DOUBTFUL_TIME = T(
    "doubtful_commit_time",
    "提交时间存疑",
    "检查提交者电脑的时钟和时区；已发布的提交不要改写，网站会注明时间存疑、不计算复议期限",
    "提交 {short} 的时间存疑（{reason}），网站不把它作为首次公布或更正的时间",
    severity="warning",
)
HISTORY_REWRITTEN = T(
    "history_rewritten",
    "上次发布所依据的提交已不在 Git 历史中",
    "核对历史为什么被改写、改了什么；确认无误后加 --accept-rewrite 重新生成，网站会写明",
    "上次发布的网站（{where}）依据的数据提交 {old} 已不在现在的 Git 历史中："
    "历史被改写过（修改了已发布的提交、变基或强制推送）。现在的数据提交是 {new}。"
    "请先核对改写的原因和改动（例如与上次发布的网站 /data/ 下的文件比较）；确认无误后加 "
    "--accept-rewrite 重新生成，网站会写明此前公布的数据被改写过、涉及哪些月份",
)
HISTORY_UNCHECKED = HISTORY_REWRITTEN.variant(
    "上次发布的网站（{where}）依据的数据提交是 {old}，但评分数据文件夹不在 Git 仓库中，"
    "无法核对它是否还在历史里；确认无误后加 --accept-rewrite 重新生成"
)
RECORD_UNREADABLE = T(
    "published_record_unreadable",
    "读不到上次发布的网站的记录",
    "检查 --published（或环境变量 FLAGBOARD_PUBLISHED）的网址或路径，以及网络",
    "{reason}；请检查 --published（或环境变量 FLAGBOARD_PUBLISHED）",
)

# more_problems and its variant live in problems.py (rendering makes them); listed here too.
__all__ = ["MORE_IN_ALL", "MORE_PROBLEMS", "TYPES", "markdown"]


def _types() -> dict[str, ProblemType]:
    """Each code's main entry (the first defined), in the order of this module."""
    found: dict[str, ProblemType] = {}
    for value in [*globals().values(), MORE_PROBLEMS]:
        if isinstance(value, ProblemType) and value.code != MORE_PROBLEMS.code:
            found.setdefault(value.code, value)
    found[MORE_PROBLEMS.code] = MORE_PROBLEMS
    return found


TYPES = _types()


def markdown() -> str:
    """docs/problems.md: the catalogue as a table (code, 说明, 怎么改)."""
    lines = [
        "# 问题代码一览",
        "",
        "由 generator/catalogue.py 生成（`python -m generator.catalogue docs/problems.md`），",
        "请勿手改。标有「提醒」的不影响使用，其余问题须改正后重新提交。",
        "",
        "| 代码 | 说明 | 怎么改 |",
        "|---|---|---|",
    ]
    for kind in TYPES.values():
        title = kind.title
        if kind.severity == "warning" and "提醒" not in title:
            title += "（提醒）"
        lines.append(f"| `{kind.code}` | {_cell(title)} | {_cell(kind.fix)} |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


if __name__ == "__main__":  # python -m generator.catalogue docs/problems.md
    import sys
    from pathlib import Path

    Path(sys.argv[1]).write_text(markdown(), encoding="utf-8")

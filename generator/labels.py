"""Chinese words the tool reads and writes: the one place for each label."""

# Event types as the office writes them in *.events.csv → internal ids.
EVENT_IDS = {"现场会": "meeting", "一票否决": "veto", "加分": "bonus", "扣分": "deduction"}
EVENT_NAMES = {v: k for k, v in EVENT_IDS.items()}

# The signs of money and of 加分/扣分 in text for people: full-width, as the Chinese around them.
PLUS, MINUS = "＋", "－"

FLAG_NAMES = {"red": "红旗", "yellow": "黄旗"}
FLAG_TITLES = {"red": "先进村", "yellow": "促进村"}
BASIS_NAMES = {"rank": "排名", "meeting": "现场会"}

ACTION_NAMES = {
    "interview": "约谈",
    "warning": "警告",
    "suspension": "停职",
    "downgrade": "年度考核降一档",
    "star_loss": "五星评定降一星",
    "priority": "优先评优",
}
ACTION_LONG_NAMES = {
    **ACTION_NAMES,
    "downgrade": "年度考核降一档，保洁费及垃圾分类补贴按最低档",
    "star_loss": "党组织五星评定降一星",
}
MONTHLY_ACTIONS = ("interview", "warning", "suspension")
# Whom 约谈, 警告 and 停职 concern (plan §5.4): the village's cadres, never the village itself.
CADRES = "村主职干部"
# What the site calls each action: who it concerns, in the plan's words (§5.4, §5.5); the
# results files keep the codes and the office's tools ACTION_NAMES.
ACTION_TITLES = {
    "interview": "村主职干部约谈",
    "warning": "村主职干部警告",
    "suspension": "村主职干部停职",
    "downgrade": "年度考核降一档",
    "star_loss": "党组织五星评定降一星",
    "priority": "优先评优",
}
# What each action means for the village, as the plan says it (§5.4, §5.5); {镇…} is in the
# town's words (generator.townwords: TownWords.action_meanings fills them in).
ACTION_MEANINGS = {
    "interview": "{镇主要领导}约谈村主职干部，组团帮扶，由联系该村的{镇班子成员}牵头整改",
    "warning": "对村主职干部进行警告",
    "suspension": "村主职干部停职处理",
    "downgrade": "年度考核降一档，保洁费及垃圾分类补贴按最低档次发放",
    "star_loss": "村党组织五星评定降一颗星",
    "priority": (
        "优先列入年度考核优秀等次，在基础设施投入、「一事一议」项目补助等上级各项政策方面予以倾斜"
    ),
}

# Column headers of the office's files.
ID_COLUMN = "编号"
NAME_COLUMN = "村名"
GRID_COLUMN = "网格"
START_COLUMN = "起始月份"
END_COLUMN = "终止月份"
FORMER_COLUMN = "曾用名"  # former names, separated by FORMER_SEPARATOR
FORMER_SEPARATOR = "、"
SUCCESSOR_COLUMN = "并入"  # a merged village: the id or name of the village it joined
VILLAGE_COLUMNS = (
    ID_COLUMN,
    NAME_COLUMN,
    GRID_COLUMN,
    START_COLUMN,
    END_COLUMN,
    FORMER_COLUMN,
    SUCCESSOR_COLUMN,
)
EVENT_COLUMNS = ("事件", "类别", "分值", "说明")

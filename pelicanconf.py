"""Pelican settings for the town's results site; `flagboard build` reads this file.

`flagboard build` fills FLAGBOARD_RESULTS and FLAGBOARD_SCORES itself. Plain Pelican works
too, after `flagboard compute`: `pelican -s pelicanconf.py --fatal errors`.
"""

SITENAME = "红黄旗评比"
SITEURL = ""  # development: links start at the site root; publishconf.py sets the real address
RELATIVE_URLS = False
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh-CN"
DEFAULT_DATE_FORMAT = "%Y年%-m月%-d日"

PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
THEME_STATIC_PATHS = []  # the stylesheet is inlined in every page
STATIC_PATHS = []
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
SLUGIFY_SOURCE = "basename"  # rules.md → /rules/, whatever its Chinese title

# Clean URLs; the results pages (/, /2024/05/, /village/…) come from the plugin.
ARTICLE_URL = "news/{slug}/"
ARTICLE_SAVE_AS = "news/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
INDEX_URL = "news/"
INDEX_SAVE_AS = "news/index.html"
DIRECT_TEMPLATES = ["index"]
DEFAULT_PAGINATION = False
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
TAG_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
FEED_ALL_ATOM = None  # the plugin writes /feed.xml with one entry per period
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None

# Pelican's default adds codehilite, which guesses a language for every unmarked code block
# (scanning all of Pygments' lexers, ~0.2 s) and colours Chinese messages as if they were Python.
MARKDOWN = {
    "extension_configs": {"markdown.extensions.extra": {}, "markdown.extensions.meta": {}},
    "output_format": "html5",
}
JINJA_ENVIRONMENT = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True}
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False

PLUGINS = ["generator.site.plugin"]
FLAGBOARD_RESULTS = "results/results.json"
FLAGBOARD_SCORES = "scores"
FLAGBOARD_NAV = [("rules", "规则"), ("about", "关于")]
FLAGBOARD_SCREEN_SECONDS = 20
FLAGBOARD_REPO_URL = ""
FLAGBOARD_LICENSE = "CC-BY-4.0"  # the published data's licence (an SPDX name), in /data/datapackage.json
FLAGBOARD_PUBLISH = False  # a local preview; publishconf.py sets True (no shallow clones)

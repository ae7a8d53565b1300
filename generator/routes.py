"""The names the site gives its own pages and folders, in one place (docs/data-format.md §2.1).

The page routes (site/format.py, pages.py, poster.py, wechat.py, screen.py, revisions.py) take
their folder names from here, and so do the checks that keep other things off them: a content
page may not take a URL that results own (site/pagecheck.py), and a village or grid id may not
be a name the site uses (load/villages.py, model.py). tests/test_hostile_content.py checks,
on a built site, that every path the results write is covered. Imports nothing.
"""

from __future__ import annotations

# Folders at the site's root that the results write (pages.py's KINDS, publish.py, the theme).
VILLAGE = "village"
GRID = "grid"
DATA = "data"
SCREEN = "screen"
HISTORY = "history"
IMAGES = "images"  # theme/static/images: the share picture
RESULT_FOLDERS = frozenset({VILLAGE, GRID, DATA, SCREEN, HISTORY, IMAGES})
# Files at the site's root that the results write.
HOME = "index.html"
NOT_FOUND = "404.html"
FEED = "feed.xml"
SITEMAP = "sitemap.xml"
RESULT_FILES = frozenset({HOME, NOT_FOUND, FEED, SITEMAP})
# Every year is a folder named by its number (/2024/), every month one inside it (/2024/03/);
# inside a month's folder, beside the grids' pages (/2024/03/<grid>/), are these:
POSTER = "poster"
WECHAT = "wechat"
PERIOD_FOLDERS = frozenset({POSTER, WECHAT})
# ... and inside a year's folder the grids' pages go under /2024/grid/<grid>/.
YEAR_FOLDERS = frozenset({GRID})
# Pelican's own: the articles and their list (pelicanconf.py ARTICLE_SAVE_AS, INDEX_SAVE_AS),
# the theme's static folder, the content folders.
NEWS = "news"
PELICAN_FOLDERS = frozenset({NEWS, "theme", "static", "pages", "articles"})
# The pages this project ships in content/pages/ (the navigation links two of them; guide links setup).
SHIPPED_PAGES = frozenset({"rules", "about", "guide", "adopt", "setup"})
# Folders inside /data/.
DATA_FOLDERS = frozenset({"scores", "xlsx", "template"})

# Every name the site uses for its own pages and folders: no id may be one of them.
SITE_NAMES = (
    RESULT_FOLDERS
    | {name.rsplit(".", 1)[0] for name in RESULT_FILES}
    | PERIOD_FOLDERS
    | YEAR_FOLDERS
    | PELICAN_FOLDERS
    | SHIPPED_PAGES
    | DATA_FOLDERS
)

SHOWN_NAMES = "、".join(sorted(SITE_NAMES))  # for messages


def is_site_name(name: str) -> bool:
    """Whether an id would take a name the site uses (compared without case: a site copied to
    Windows or macOS, or served from them, does not tell `Poster` from `poster`)."""
    return name.lower() in SITE_NAMES


def is_year_folder(name: str) -> bool:
    """A folder name the periods may take: digits only (the years are 2000-2099; any number
    is kept for them)."""
    return name.isascii() and name.isdigit()


def results_own(path: str) -> bool:
    """Whether the results (not Pelican) write at `path` (relative to the site's root, `/`
    separated) or below it: the root's result files, the result folders and the years."""
    top, _, rest = path.strip("/").partition("/")
    top = top.lower()
    if not rest:
        return top in RESULT_FILES or top in RESULT_FOLDERS or is_year_folder(top)
    return top in RESULT_FOLDERS or is_year_folder(top)

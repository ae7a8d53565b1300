"""The site's address (SITEURL, from FLAGBOARD_SITEURL in publishconf.py) and the data
repository's (FLAGBOARD_REPO_URL), checked as URLs before they reach any page, feed, QR code or
data package, where they are written into attributes, XML and JSON.

An address is `http://` or `https://`, a host of ASCII letters, digits, dots and hyphens
(a Chinese domain in its xn-- form) or an IPv4 address, an optional port, and a path of
segments of letters, digits and `-._~%` (percent-encoding only of a byte, never `.` or `/`):
no quotes, angle brackets, spaces, backslashes, control or invisible characters, no
`user:password@`, no query or fragment, no `..`, no trailing slash. An allow-list, checked in
one pass; a refusal quotes at most 40 characters, invisible ones by their code.
"""

from __future__ import annotations

import re

from generator.problems import quote

_LABEL = r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)"
_HOST = rf"{_LABEL}(?:\.{_LABEL})*"
_SEGMENT = r"(?:[A-Za-z0-9\-_~.]|%(?!2[eEfF])[0-9A-Fa-f]{2})+"
SITE_URL = re.compile(rf"(https?)://({_HOST})(?::([0-9]{{1,5}}))?((?:/{_SEGMENT})*)")
FIX = (
    "请设置环境变量 FLAGBOARD_SITEURL 为网站地址（末尾不加 /），例如 "
    "FLAGBOARD_SITEURL=https://hhq.example.gov.cn make site SETTINGS=publishconf.py；"
    "GitHub 工作流在「构建网站」一步按仓库变量 FLAGBOARD_SITEURL 或 GitHub Pages 的地址设置它"
    "（本机预览请用 pelicanconf.py，不需要网站地址）"
)
REPO_FIX = "FLAGBOARD_REPO_URL 应是数据仓库的网址，例如 https://github.com/账号/仓库名"


def site_url_problem(url) -> str | None:
    """Why `url` is no address for the site (None when it is one)."""
    if not isinstance(url, str):
        return "网站地址不是文字"
    found = SITE_URL.fullmatch(url)
    if found is None:
        return (
            f"网站地址「{quote(url)}」不是 http:// 或 https:// 开头、只含字母数字和 -._~ 的完整地址"
        )
    port = found[3]
    if port is not None and not 1 <= int(port) <= 65535:
        return f"网站地址「{quote(url)}」的端口 {port} 不在 1 至 65535 之间"
    if any(segment in (".", "..") for segment in found[4].split("/")):
        return f"网站地址「{quote(url)}」的路径里有 . 或 .."
    return None


def settings_problem(settings: dict) -> str | None:
    """The build's refusal (a Chinese sentence with the fix) when SITEURL or FLAGBOARD_REPO_URL
    is set and is not an address, or when publishing has no address at all."""
    url = settings.get("SITEURL")
    if url:
        problem = site_url_problem(url)
        if problem:
            refused = "不能发布" if settings.get("FLAGBOARD_PUBLISH") else "不能用来生成网站"
            return f"{problem}，{refused}；{FIX}"
    elif settings.get("FLAGBOARD_PUBLISH"):
        return f"没有设置网站地址，不能发布；{FIX}"
    repo = settings.get("FLAGBOARD_REPO_URL")
    if repo and (problem := site_url_problem(repo)):
        return f"{problem.replace('网站地址', 'FLAGBOARD_REPO_URL', 1)}；{REPO_FIX}"
    return None

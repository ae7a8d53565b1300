"""Markdown in content/ is sanitised: OWASP's XSS filter-evasion vectors come out harmless, the
Markdown the office writes comes out whole, and a real Pelican build publishes no script."""

from __future__ import annotations

import html
import re
from pathlib import Path

import html5lib
import markdown
import pytest
from _site_helpers import ROOT, build_site
from towns import Town

from generator.problems import InvalidData
from generator.site.sanitize import (
    ATTRIBUTES,
    SCROLL_BOX,
    TAGS,
    boxed_tables,
    clean_html,
    is_site_path,
    sectioned,
)

# The OWASP XSS Filter Evasion Cheat Sheet's vectors (cheatsheetseries.owasp.org), plus the
# mutation-XSS and HTML5 ones that sanitisers are usually tested with.
OWASP_VECTORS = [
    "<SCRIPT SRC=https://cdn.jsdelivr.net/gh/Moksh45/host-xss.rocks/index.js></SCRIPT>",
    "javascript:/*--></title></style></textarea></script></xmp>"
    "<svg/onload='+/\"`/+/onmouseover=1/+/[*/[]/+alert(42);//'>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=javascript:alert('XSS')>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=javascript:alert(&quot;XSS&quot;)>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    '<a onmouseover="alert(document.cookie)">xxs link</a>',
    "<a onmouseover=alert(document.cookie)>xxs link</a>",
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>',
    "<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>",
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    "<IMG SRC= onmouseover=\"alert('xxs')\">",
    "<IMG onmouseover=\"alert('xxs')\">",
    '<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>',
    '<img src=x onerror="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114'
    "&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116"
    '&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041">',
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;"
    "&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
    "<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105"
    "&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040"
    "&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041>",
    "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65"
    "&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>",
    "<IMG SRC=\"jav\tascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x0D;ascript:alert('XSS');\">",
    '<IMG SRC=java\0script:alert("XSS")>',
    "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
    '<SCRIPT/XSS SRC="http://xss.rocks/xss.js"></SCRIPT>',
    '<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")>',
    '<SCRIPT/SRC="http://xss.rocks/xss.js"></SCRIPT>',
    '<<SCRIPT>alert("XSS");//\\<</SCRIPT>',
    "<SCRIPT SRC=http://xss.rocks/xss.js?< B >",
    "<SCRIPT SRC=//xss.rocks/.j>",
    "<IMG SRC=\"`<javascript:alert>`('XSS')\"",
    "<iframe src=http://xss.rocks/scriptlet.html <",
    "\\\";alert('XSS');//",
    '</TITLE><SCRIPT>alert("XSS");</SCRIPT>',
    '<INPUT TYPE="IMAGE" SRC="javascript:alert(\'XSS\');">',
    "<BODY BACKGROUND=\"javascript:alert('XSS')\">",
    "<IMG DYNSRC=\"javascript:alert('XSS')\">",
    "<IMG LOWSRC=\"javascript:alert('XSS')\">",
    "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br>",
    "<IMG SRC='vbscript:msgbox(\"XSS\")'>",
    "<svg/onload=alert('XSS')>",
    "<BODY ONLOAD=alert('XSS')>",
    "<BGSOUND SRC=\"javascript:alert('XSS');\">",
    "<BR SIZE=\"&{alert('XSS')}\">",
    '<LINK REL="stylesheet" HREF="javascript:alert(\'XSS\');">',
    '<LINK REL="stylesheet" HREF="http://xss.rocks/xss.css">',
    "<STYLE>@import'http://xss.rocks/xss.css';</STYLE>",
    '<META HTTP-EQUIV="Link" Content="<http://xss.rocks/xss.css>; REL=stylesheet">',
    '<STYLE>BODY{-moz-binding:url("http://xss.rocks/xssmoz.xml#xss")}</STYLE>',
    "<STYLE>@im\\port'\\ja\\vasc\\ript:alert(\"XSS\")';</STYLE>",
    "<IMG STYLE=\"xss:expr/*XSS*/ession(alert('XSS'))\">",
    "<STYLE TYPE=\"text/javascript\">alert('XSS');</STYLE>",
    "<STYLE>.XSS{background-image:url(\"javascript:alert('XSS')\");}</STYLE><A CLASS=XSS></A>",
    '<STYLE type="text/css">BODY{background:url("javascript:alert(\'XSS\')")}</STYLE>',
    "<XSS STYLE=\"xss:expression(alert('XSS'))\">",
    '<XSS STYLE="behavior: url(xss.htc);">',
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(\'XSS\');">',
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html '
    'base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K">',
    '<META HTTP-EQUIV="refresh" CONTENT="0; URL=http://;URL=javascript:alert(\'XSS\');">',
    "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
    '<IFRAME SRC=# onmouseover="alert(document.cookie)"></IFRAME>',
    "<FRAMESET><FRAME SRC=\"javascript:alert('XSS');\"></FRAMESET>",
    "<TABLE BACKGROUND=\"javascript:alert('XSS')\">",
    "<TABLE><TD BACKGROUND=\"javascript:alert('XSS')\">",
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
    "<DIV STYLE=\"background-image:\\0075\\0072\\006C\\0028'\\006a\\0061\\0076\\0061\\0073"
    "\\0063\\0072\\0069\\0070\\0074\\003a\\0061\\006c\\0065\\0072\\0074\\0028.1027\\0058"
    ".1053\\0053\\0027\\0029'\\0029\">",
    "<DIV STYLE=\"background-image: url(&#1;javascript:alert('XSS'))\">",
    "<DIV STYLE=\"width: expression(alert('XSS'));\">",
    "<BASE HREF=\"javascript:alert('XSS');//\">",
    '<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.rocks/scriptlet.html"></OBJECT>',
    '<EMBED SRC="data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH A6Ly93d3cudzMub3JnLzIwMDA'
    "vc3ZnIiB4bWxucz0iaHR0cDovL3d3dy53My5vcmcv MjAwMC9zdmciIHhtbG5zOnhsaW5rPSJodHRwOi8vd3d3Ln"
    "czLm9yZy8xOTk5L3hs aW5rIiB2ZXJzaW9uPSIxLjAiIHg9IjAiIHk9IjAiIHdpZHRoPSIxOTQiIGhlaWdodD0iM"
    "jAw IiBpZD0ieHNzIj48c2NyaXB0IHR5cGU9InRleHQvZWNtYXNjcmlwdCI+YWxlcnQoIlh TUyIpOzwvc2NyaXB0"
    'Pjwvc3ZnPg==" type="image/svg+xml" AllowScriptAccess="always"></EMBED>',
    '<SCRIPT a=">" SRC="httx://xss.rocks/xss.js"></SCRIPT>',
    '<SCRIPT =">" SRC="httx://xss.rocks/xss.js"></SCRIPT>',
    '<SCRIPT a=">" \'\' SRC="httx://xss.rocks/xss.js"></SCRIPT>',
    '<SCRIPT "a=\'>\'" SRC="httx://xss.rocks/xss.js"></SCRIPT>',
    '<SCRIPT a=`>` SRC="httx://xss.rocks/xss.js"></SCRIPT>',
    '<SCRIPT a=">\'>" SRC="httx://xss.rocks/xss.js"></SCRIPT>',
    '<SCRIPT>document.write("<SCRI");</SCRIPT>PT SRC="httx://xss.rocks/xss.js"></SCRIPT>',
    "<A HREF=\"javascript:document.location='http://www.google.com/'\">XSS</A>",
    '<XML ID="xss"><I><B><IMG SRC="javas<!-- -->cript:alert(\'XSS\')"></B></I></XML>',
    '<HEAD><META HTTP-EQUIV="CONTENT-TYPE" CONTENT="text/html; charset=UTF-7"> </HEAD>'
    "+ADw-SCRIPT+AD4-alert('XSS');+ADw-/SCRIPT+AD4-",
    # Entities, white space and case inside the scheme of a link.
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt&colon;alert(1)">x</a>',
    '<a href="javascript&#58;alert(1)">x</a>',
    '<a href="java&#x0A;script:alert(1)">x</a>',
    '<a href="&#x01;javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    # Forms, frames, HTML5 event handlers and mutation XSS.
    '<form action="javascript:alert(1)"><input type=submit></form>',
    "<form><button formaction=javascript:alert(1)>x</button></form>",
    '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    "<details open ontoggle=alert(1)>x</details>",
    '<video><source onerror="alert(1)"></video>',
    "<audio src=x onerror=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>',
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    "<![CDATA[<script>alert(1)</script>]]>",
    "<template><script>alert(1)</script></template>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<h2 id="x" onclick="alert(1)">x</h2>',
    "<marquee onstart=alert(1)>x</marquee>",
    "<isindex type=image src=1 onerror=alert(1)>",
    '<a href="https://example.com/" target="_blank" rel="opener">x</a>',
]
# The same attacks written as Markdown, as the office's pages would carry them.
MARKDOWN_VECTORS = [
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](java&#x09;script:alert(1))",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "<javascript:alert(1)>",
    "[x][evil]\n\n[evil]: javascript:alert(1)",
    "[x](vbscript:msgbox(1))",
    '# Heading {: onclick="alert(1)" style="color:red" }',
    "Text\n{: onmouseover=alert(1) }",
    "[x](https://example.com/){: onclick=alert(1) }",
    "<div markdown=1 onclick=alert(1)>*x*</div>",
]
FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "meta", "base", "style", "form", "link"}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
C0_OR_SPACE = "".join(map(chr, range(0x21)))
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "background", "data", "srcdoc"}


def render(text: str) -> str:
    """Markdown as Pelican renders it with our settings (extra), then cleaned."""
    converter = markdown.Markdown(extensions=["markdown.extensions.extra"], output_format="html5")
    return clean_html(converter.convert(text))


def elements(fragment: str):
    tree = html5lib.parseFragment(fragment, namespaceHTMLElements=False)
    return [e for e in tree.iter() if isinstance(e.tag, str)]


def scheme_of(url: str) -> str | None:
    """The scheme a browser sees (WHATWG URL parsing): entities decoded, leading and trailing
    control characters and spaces stripped, tabs and newlines anywhere removed."""
    url = html.unescape(url).strip(C0_OR_SPACE)
    url = re.sub(r"[\t\n\r]", "", url).lower()
    match = re.match(r"([a-z][a-z0-9+.\-]*):", url)
    return match[1] if match else None


def boxed(element) -> bool:
    """A table's box that scrolls sideways, as boxed_tables() writes it (not the page's)."""
    return re.fullmatch(re.escape(SCROLL_BOX).replace(r"\{\}", r"\d+"), html5lib_serialise(element))


def html5lib_serialise(element) -> str:
    attributes = "".join(f' {k}="{v}"' for k, v in element.attrib.items())
    return f"<{element.tag.split('}')[-1]}{attributes}>"


def assert_harmless(output: str) -> None:
    lowered = output.lower()
    assert "<script" not in lowered
    assert not re.search(r"<(iframe|object|embed|meta|base|style|form|svg|math)\b", lowered)
    for element in elements(output):
        tag = element.tag.split("}")[-1]
        assert tag in TAGS | {"section", "DOCUMENT_FRAGMENT"}, tag  # sections: sectioned()
        assert tag not in FORBIDDEN_TAGS
        for name, value in element.attrib.items():
            name = name if isinstance(name, str) else name[1]
            assert not name.lower().startswith("on"), (tag, name)
            assert name in ATTRIBUTES.get(tag, set()) | {"class"} or boxed(element), (tag, name)
            if name in URL_ATTRIBUTES:
                assert scheme_of(value) in ALLOWED_SCHEMES | {None}, (tag, name, value)
            if name == "style":
                assert re.fullmatch(r"text-align:(left|right|center)", value), value


def test_there_are_enough_vectors():
    assert len(OWASP_VECTORS) >= 40
    assert len(set(OWASP_VECTORS)) == len(OWASP_VECTORS)


@pytest.mark.parametrize("vector", OWASP_VECTORS)
def test_an_owasp_vector_comes_out_harmless(vector: str):
    assert_harmless(clean_html(vector))
    assert_harmless(render(vector))  # raw HTML inside a Markdown page


@pytest.mark.parametrize("vector", MARKDOWN_VECTORS)
def test_a_markdown_attack_comes_out_harmless(vector: str):
    output = render(vector)
    assert_harmless(output)
    assert "alert" not in "".join(str(e.attrib) for e in elements(output))


def test_the_assertions_catch_what_markdown_lets_through():
    """Without the cleaner the same vectors are live: the checks above can fail."""
    raw = markdown.Markdown(extensions=["markdown.extensions.extra"]).convert
    for vector in ["[x](javascript:alert(1))", "<script>alert(1)</script>", "# T {: onclick=x }"]:
        with pytest.raises(AssertionError):
            assert_harmless(raw(vector))


def test_markdown_extra_comes_out_whole():
    text = """# 标题 {: #top }

| 项目 | 分数 |
|:--|--:|
| 甲 | 90 |

见[规则](../rules/)、[网站](https://example.com/a?b=1&c=2)、<mailto:ban@example.com>、
[本页](#top)和脚注[^1]。*[HTML]: 超文本

术语
: 解释

```
<b>代码</b> & 符号
```

![图](/images/share.png "标题") ~~删~~ <del>删</del> H<sub>2</sub>O x<sup>2</sup>

> 引用

---

[^1]: 注释。
"""
    output = render(text)
    assert '<h1 id="top">标题</h1>' in output
    assert '<th style="text-align:left">项目</th>' in output
    assert '<td style="text-align:right">90</td>' in output
    assert '<a href="../rules/">规则</a>' in output
    assert '<a href="https://example.com/a?b=1&amp;c=2">网站</a>' in output
    assert 'href="mailto:' in output
    assert '<a href="#top">本页</a>' in output
    assert '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>' in output
    assert '<div class="footnote">' in output and '<li id="fn:1">' in output
    assert "<dl>\n<dt>术语</dt>\n<dd>解释</dd>\n</dl>" in output
    assert "<pre><code>&lt;b&gt;代码&lt;/b&gt; &amp; 符号\n</code></pre>" in output
    assert '<img alt="图" src="/images/share.png" title="标题">' in output
    assert "<del>删</del>" in output and "<sub>2</sub>" in output and "<sup>2</sup>" in output
    assert "<blockquote>" in output and "<hr>" in output


def test_pelicans_intrasite_links_survive_for_pelican_to_resolve():
    assert '<a href="{filename}rules.md">规则</a>' in render("[规则]({filename}rules.md)")


def test_classes_ids_and_styles_are_limited():
    output = clean_html(
        '<p class="red flag">x</p><h2 id="a b">y</h2><h3 id="ok-1">z</h3>'
        '<table><tr><td style="text-align: expression(alert(1))" align="javascript:x">1</td>'
        '<td style="color:red;text-align:right">2</td></tr></table><ol start="x"><li>a</li></ol>'
    )
    assert "<p>x</p>" in output  # the theme's flag classes cannot be borrowed
    assert "<h2>y</h2>" in output and '<h3 id="ok-1">z</h3>' in output
    assert "<td>1</td>" in output and "<td>2</td>" in output
    assert "<ol><li>a</li></ol>" in output


def test_the_real_content_pages_lose_nothing():
    """The office's own pages render the same with and without the cleaner (tags, attributes,
    text), so the allow-list covers what they use."""
    converter = markdown.Markdown(
        extensions=["markdown.extensions.extra", "markdown.extensions.meta"], output_format="html5"
    )
    files = sorted((ROOT / "content").rglob("*.md"))
    assert files
    for path in files:
        raw = converter.reset().convert(path.read_text(encoding="utf-8"))
        assert shape(clean_html(raw)) == shape(raw), path


def shape(fragment: str) -> list:
    """Each element's tag, attributes and text, in document order."""
    return [
        (e.tag, sorted(e.attrib.items()), (e.text or "").strip(), (e.tail or "").strip())
        for e in elements(fragment)
    ]


# -- a real build ----------------------------------------------------------------------------

# What content/ put on the page: the prose after the title (and an article's date).
PROSE = r'<article class="prose">\n<h1>[^<]*</h1>\n(?:<p class="meta">.*?</p>\n)?(.*)</article>'
HOSTILE_PAGE = """Title: 测试页
Slug: hostile
Summary: 摘要<img src=x onerror=alert(3)>

## 小标题 {: #sub }

<script>alert(1)</script>

[点我](javascript:alert(2)) [规则]({filename}/pages/plain.md) <a href="jav&#x09;ascript:alert(4)">a</a>

| 项目 | 分数 |
|---|--:|
| 甲 | 90 |

<iframe src="https://example.com/"></iframe><p onclick="alert(5)">段落</p>
"""


def test_a_built_site_publishes_no_script_and_keeps_the_markdown(tmp_path: Path):
    scores = Town().month("2024-01", {"A1": 90, "A2": 80, "A3": 70}).write(tmp_path / "scores")
    content = tmp_path / "content"
    (content / "pages").mkdir(parents=True)
    (content / "articles").mkdir()
    (content / "pages" / "hostile.md").write_text(HOSTILE_PAGE, encoding="utf-8")
    (content / "pages" / "plain.md").write_text("Title: 规则\nSlug: plain\n\n正文。\n", "utf-8")
    article = HOSTILE_PAGE.replace("Slug: hostile", "Slug: news-1\nDate: 2024-01-05 09:00")
    (content / "articles" / "news.md").write_text(article, encoding="utf-8")
    out = tmp_path / "out"
    build_site(scores, out, content=content)
    for page in [out / "hostile" / "index.html", out / "news" / "news-1" / "index.html"]:
        body = page.read_text(encoding="utf-8")
        main = re.search(PROSE, body, re.S)[1]
        assert_harmless(main)
        assert "alert(" not in body and "javascript" not in body.lower() and "<iframe" not in body
        assert '<h2 id="sub">小标题</h2>' in main
        assert '<td style="text-align:right">90</td>' in main
        assert '<a href="/plain/">规则</a>' in main
        assert "<p>段落</p>" in main
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml"}:
            text = path.read_text(encoding="utf-8")
            assert "alert(" not in text and "onerror" not in text, path


@pytest.mark.parametrize("setting", ["URL: javascript:alert(1)//", "Slug: JavaScript:alert(1)//"])
def test_a_page_whose_own_address_is_a_script_fails_the_build(tmp_path: Path, setting: str):
    """`{filename}` links become the linked page's URL after cleaning; its metadata sets it."""
    scores = Town().month("2024-01", {"A1": 90, "A2": 80, "A3": 70}).write(tmp_path / "scores")
    pages = tmp_path / "content" / "pages"
    pages.mkdir(parents=True)
    (pages / "evil.md").write_text(f"Title: 坏\n{setting}\nSave_as: evil.html\n\n正文。\n", "utf-8")
    (pages / "link.md").write_text("Title: 链接\nSlug: link\n\n[去]({filename}evil.md)\n", "utf-8")
    # refused before Pelican reads the page: tests/test_hostile_content.py
    with pytest.raises(InvalidData) as error:
        build_site(scores, tmp_path / "out", content=tmp_path / "content")
    assert [(p.file, p.row) for p in error.value.problems] == [
        ("content/pages/evil.md", 2),
        ("content/pages/evil.md", 3),
    ]
    assert not (tmp_path / "out").exists()


def test_the_site_path_check():
    for url in ["news/a/", "rules/", "/a", "#x", "news/java:x/", "?a=b:c"]:
        assert is_site_path(url), url
    for url in ["javascript:x", "java\tscript:x", "\x01 JavaScript:x", "data:x", "//evil"]:
        assert not is_site_path(url), url
    for url in ["/\\evil", "\\\\evil", "\x0c//x", "https://example.com/"]:
        assert not is_site_path(url), url


def test_each_top_level_heading_starts_a_section_and_nothing_else_moves():
    """A long page's blocks go into a section per <h2> (a guide of 77 blocks in one element
    was more than a cheap phone lays out well); a heading inside a quote or a list is left."""
    html = clean_html(
        '<p>引言</p>\n<h2 id="a">一</h2>\n<p>甲<br>乙</p><blockquote><h2>引</h2></blockquote>\n'
        "<h2>二</h2><ul><li><h2>项</h2></li></ul><hr><p>丙</p>"
    )
    assert sectioned(html) == (
        '<p>引言</p>\n<section><h2 id="a">一</h2>\n<p>甲<br>乙</p><blockquote><h2>引</h2>'
        "</blockquote>\n</section><section><h2>二</h2><ul><li><h2>项</h2></li></ul><hr><p>丙</p>"
        "</section>"
    )
    assert sectioned("<p>没有标题</p>") == "<p>没有标题</p>"
    assert (
        sectioned("<blockquote><h2>引</h2></blockquote>") == "<blockquote><h2>引</h2></blockquote>"
    )


def test_a_page_s_tables_scroll_in_a_box_the_keyboard_reaches():
    html = clean_html(
        "<p>甲</p><table><tr><td>1</td></tr></table><table><tr><td>2</td></tr></table>"
    )
    boxed = boxed_tables(html)
    assert SCROLL_BOX.format(1) + "<table>" in boxed and SCROLL_BOX.format(2) + "<table>" in boxed
    assert boxed.count("</table></div>") == 2
    assert 'tabindex="0"' in SCROLL_BOX and 'role="region"' in SCROLL_BOX

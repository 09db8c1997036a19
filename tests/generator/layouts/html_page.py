"""A whole web page as a government CMS publishes a report: the report's HTML (:mod:`.html`) inside a
content ``div`` (sometimes inside a page-layout table), around it the site's chrome — top links,
navigation, breadcrumbs (当前位置：首页 > 政务公开 > 年度报告), the article's details line and
sometimes its 索引号 table, print and share links, a footer with 主办单位, 网站标识码, ICP 备案 and the
site's own phone number and address, scripts and styles with text in them. The charset is declared in
a ``<meta>`` tag and the bytes are in it: GB2312/GBK (written with the gb18030 codec, as browsers read
such pages) on most pages, UTF-8 on some. Some pages are one physical line from start to end.

The chrome is no part of the report: what a reader must find is exactly what the fragment holds, so no
row is unreadable here. The chrome's wording is data (``chrome.yaml``).
"""
from __future__ import annotations

import random
from functools import cache
from html import escape
from pathlib import Path

import yaml

from ..document import Document, Prose
from ..spec import wording
from . import html
from .files import RenderedFile

BLANK_RATE = html.BLANK_RATE
#: How pages declare their charset, and the codec their bytes are written in.
CHARSETS = (('<meta charset="gb2312">', "gb18030"),
            ('<meta http-equiv="Content-Type" content="text/html; charset=gbk" />', "gb18030"),
            ('<meta http-equiv="Content-Type" content="text/html; charset=GB2312">', "gb18030"),
            ('<meta charset="utf-8">', "utf-8"))


@cache
def chrome() -> dict:
    return yaml.safe_load((Path(__file__).parent.parent / "chrome.yaml").read_text(encoding="utf-8"))


#: The page-layout table some sites still centre their pages with.
LAYOUT_TABLE = '<table width="1000" align="center" border="0" cellpadding="0" cellspacing="0">'
DOCTYPES = ("<!DOCTYPE html>", '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">')


def _links(items: list[str], rng: random.Random) -> str:
    return "".join(f'<li><a href="/{rng.randint(1, 999)}/index.html">{escape(item)}</a></li>' for item in items)


def _fill(text: str, facts: dict[str, str]) -> str:
    return escape(text.format(**facts))


def _facts(document: Document, rng: random.Random) -> dict[str, str]:
    """The site's own details: its place (the agency's), date of publication, codes, phone, address."""
    spec, places = document.spec, wording()["places"]
    place = next((p for p in places if spec.body.startswith(p)), rng.choice(places))
    published = f"{spec.year + 1}-0{rng.randint(1, 3)}-{rng.randint(10, 28)}"
    return {"place": place, "source": spec.body, "date": published,
            "index": f"11{rng.randint(10**14, 10**15)}/{spec.year + 1}-{rng.randint(10000, 99999)}",
            "code": str(rng.randint(10**9, 10**10 - 1)), "icp": str(rng.randint(10**7, 10**8 - 1)),
            "beian": str(rng.randint(10**13, 10**14 - 1)),
            "phone": f"0{rng.randint(10, 999)}-{rng.randint(2000000, 89999999)}",
            "road": rng.choice(wording()["roads"]), "number": str(rng.randint(1, 999))}


def _title(document: Document) -> str:
    return "".join(b.text for b in document.blocks if isinstance(b, Prose) and b.kind == "title")


def _head(document: Document, charset: str, facts: dict[str, str], rng: random.Random) -> str:
    title = _title(document)
    site = _fill(rng.choice(chrome()["sites"]), facts)
    scripts = "\n".join(f'<script type="text/javascript">{script.format(**facts)}</script>'
                        for script in rng.sample(chrome()["scripts"], rng.randint(1, len(chrome()["scripts"]))))
    return (f"<head>\n{charset}\n<title>{escape(title)}_{site}</title>\n"
            f'<meta name="SiteName" content="{site}">\n<meta name="ArticleTitle" content="{escape(title)}">\n'
            '<link rel="stylesheet" type="text/css" href="/images/style.css">\n'
            "<style>.content p { text-indent: 2em; } /* 正文 */</style>\n"
            f'<script src="/js/jquery.min.js"></script>\n{scripts}\n</head>')


def _article(document: Document, fragment: str, facts: dict[str, str], rng: random.Random) -> str:
    """The report with what the CMS prints above and below it."""
    words = chrome()
    parts = []
    if rng.random() < 0.3:
        rows = "".join(f"<tr><td>{escape(label)}：</td><td>{_fill(value, facts)}</td></tr>"
                       for label, value in words["index_table"])
        parts.append(f'<table class="xxgk_table" border="0">{rows}</table>')
    if rng.random() < 0.5:
        parts.append(f'<h1 class="article-title">{escape(_title(document))}</h1>')
    details = "&nbsp;&nbsp;".join(_fill(d, facts) for d in words["details"])
    parts.append(f'<div class="info">{details}<span id="views"></span></div>')
    container = rng.choice(['<div id="zoom" class="content">', '<div class="article-content">',
                            '<div class="view TRS_UEDITOR trs_paper_default trs_web">'])
    parts.append(f"<!-- 正文开始 -->\n{container}\n{fragment}</div>\n<!-- 正文结束 -->")
    parts.append('<div class="print">' + "".join(f'<a href="javascript:void(0)">{escape(a)}</a>'
                                                  for a in words["after"]) + "</div>")
    article = '<div class="article">\n' + "\n".join(parts) + "\n</div>"
    if rng.random() < 0.4:
        return f"{LAYOUT_TABLE}<tr><td>\n{article}\n</td></tr></table>"
    return article


def _body(document: Document, fragment: str, facts: dict[str, str], rng: random.Random) -> str:
    words = chrome()
    crumbs = " &gt; ".join(f'<a href="/{rng.randint(1, 99)}/">{escape(crumb)}</a>'
                           for crumb in rng.choice(words["breadcrumbs"]))
    footer = "<br>".join(_fill(line, facts) for line in words["footer"] if rng.random() < 0.8)
    return (f'<body>\n<div class="top"><ul>{_links(rng.sample(words["top"], 3), rng)}</ul></div>\n'
            f'<div class="nav"><ul>{_links([n.format(**facts) for n in words["nav"]], rng)}</ul></div>\n'
            f'<div class="position">{escape(rng.choice(words["breadcrumb_label"]))}{crumbs}</div>\n'
            f"{_article(document, fragment, facts, rng)}\n"
            f'<div class="footer"><p>{footer}</p></div>\n'
            '<script type="text/javascript">$(function () { $(".nav li").hover(function () {}); });</script>\n</body>')


def render(document: Document, rng: random.Random) -> RenderedFile:
    fragment = html.render(document, rng)
    charset, codec = rng.choices(CHARSETS, weights=(3, 3, 1, 2))[0]
    facts = _facts(document, rng)
    head, body = _head(document, charset, facts, rng), _body(document, fragment.text, facts, rng)
    page = f'{rng.choice(DOCTYPES)}\n<html lang="zh-CN">\n{head}\n{body}\n</html>\n'
    if rng.random() < 0.3:
        page = page.replace("\n", "")
    return RenderedFile(page.encode(codec), rng.choice([".html", ".htm"]), fragment.unreadable)

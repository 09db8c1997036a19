"""Where in a web page the report is, and the site chrome around it that is not the report.

A page as a government site publishes it wraps the report in navigation, breadcrumbs (当前位置：首页 >
…), the article's publication data (发布时间、来源、索引号), share and print buttons (分享到、打印本页、
关闭窗口), lists of related links, and a footer with the site's owner, its 网站标识码 and ICP number,
and a telephone number. Read as text, all of that would become paragraphs of the report: a footer's
telephone taken for the office's contact telephone, a related link to last year's report taken for the
title. One general rule instead of a list of sites:

1. The report's *body* is the smallest element holding its section headings (一、… 二、…); without
   headings, the element holding its tables, and without those, the element with the most running
   text. Its *title* is the title-like block (……政府信息公开工作年度报告) nearest before the body. The
   *container* read is the smallest element holding both: what lies outside it (menus, side bars,
   the page header and footer) is not read at all.
2. Inside the container, chrome is dropped where the markup or the text says what it is: ``<nav>``,
   ``<header>``, ``<footer>``, ``<aside>``; class and id names of CMS templates (nav, menu,
   breadcrumb, share, print, footer, related …); lists that are mostly links; and blocks whose text
   is chrome (当前位置：, 打印本页, 主办单位：…). Outside the body such a block is dropped with the
   largest element around it that holds nothing of the report.
3. Never dropped: an element holding the title, a section heading, a table of figures, or the body.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement

from .html_tree import BLOCKS, collapse, holds_figures, is_frame

#: Never part of the text a reader sees.
_INVISIBLE = ("head", "title", "script", "style", "noscript", "template", "iframe", "object", "embed", "svg",
              "canvas", "select", "button", "input", "textarea", "map", "audio", "video")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_CHROME_TAGS = frozenset({"nav", "header", "footer", "aside", "menu"})
#: Class and id names that CMS templates give their chrome, as whole words of the name.
_CHROME_NAMES = re.compile(
    r"(?:^|[^a-z])(?:nav\w*|menu\w*|breadcrumbs?|crumbs?|location|position|share\w*|bdshare\w*|jiathis\w*"
    r"|print|tools?|toolbar|footer|foot|bottom|copyright|related|relate|sidebar|banner|logo|search"
    r"|header|topbar|login|xgxx|xglj|dqwz|wzdt)(?:$|[^a-z])")
_TOOL_WORDS = ("打印本页|打印此页|打印|关闭窗口|关闭本页|关闭|分享到|分享|字号|字体|大|中|小|默认|收藏本页|加入收藏|返回顶部"
               "|扫一扫在手机打开当前页|扫一扫|微信|微博|QQ空间|QQ|保存|纠错|网站地图|联系我们|网站声明|隐私声明|免责声明"
               "|相关链接|上一篇|下一篇")
_SEPARATORS = r"[\s【】\[\]|｜:：/·、]*"
#: Blocks whose text is chrome, with the longest such a block is: the page's own words only, never a
#: sentence of the report that happens to begin with 关闭 or 主办 or mention an ICP 备案.
_CHROME_TEXT = (
    (re.compile(r"^(?:当前位置|您的位置|你的位置|您现在的位置|你现在的位置|您当前的位置|您所在的位置|所在位置)\s*[:：>＞»]"
                r"|^首页\s*[>»›＞/→]"), 300),
    (re.compile(rf"^(?:{_SEPARATORS}(?:{_TOOL_WORDS}))+{_SEPARATORS}$"), 120),
    (re.compile(r"^(?:上一篇|下一篇|上一条|下一条|发布时间|发布日期|发文日期|信息来源|来源|浏览次数|阅读次数|访问次数|点击数"
                r"|作者|索引号|发布机构|生成日期|成文日期|主题分类|主办单位|主办|承办单位|承办|维护单位|技术支持"
                r"|网站标识码|政府网站标识码)\s*[:：]|^版权所有|^Copyright|^©|ICP[备证]\s*\d|公网安备\s*\d"), 400),
    (re.compile(r"^(?:相关链接|相关文章|相关信息|相关阅读|相关新闻|相关文件|相关政策|友情链接|推荐阅读|热点推荐)\s*[:：]?$"), 20),
)
_CHROME_STRIP = re.compile(r"^[\s【\[〔（(|·•>»\-]+")
#: A block of this many links, that are most of its text, is a menu or a list of related pages.
_LINKS, _LINK_SHARE = 3, 0.7

#: 某局2022年政府信息公开工作年度报告, 某局2022年度政府信息公开工作报告, …年度报告（2022年度）
_TITLE = re.compile(r"政府信息公开.{0,12}报告\s*[》〉]?\s*(?:[（(].{1,12}[)）])?$")
_TITLE_LENGTH = 80
_NOT_TITLE = re.compile(r"[>»›＞。；]")
_YEAR_FIRST = re.compile(r"^\s*(?:19|20)\d{2}\s*年")
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]{1,3}\s*[、.．]|第[一二三四五六七八九十]{1,3}部分)\s*\S")


def prepare(root: HtmlElement) -> None:
    """Drop what a browser never shows as text: the page head, scripts, styles, form controls."""
    for element in root.xpath(" | ".join(f"//{tag}" for tag in _INVISIBLE)):
        element.drop_tree()


class _Texts(dict):
    """Each element's text, worked out once while the tree stands still (no element dropped)."""

    def __missing__(self, element: HtmlElement) -> str:
        text = self[element] = collapse(element.text_content())
        return text


@dataclass(frozen=True)
class Content:
    """Where the report is: the container (its chrome dropped), the title element, and whether any
    section heading or table of figures was seen (a page that only links to its report has none)."""

    container: HtmlElement
    title: HtmlElement | None
    report_seen: bool


def locate(root: HtmlElement) -> Content:
    """The container the report is in, with its chrome dropped, and the report's title element."""
    _drop_hidden(root)
    text = _Texts()
    order = {element: n for n, element in enumerate(root.iter())}
    blocks = [e for e in root.iter() if e.tag in BLOCKS and e.tag not in ("table", "tbody", "thead", "tfoot", "tr")]
    headings = _deepest([e for e in blocks if _HEADING.match(text[e]) and not _in_link(e, text)])
    figures = [t for t in root.iter("table") if not is_frame(t) and holds_figures(t)]
    if len(headings) >= 2:
        body = _common(headings)
    elif headings or figures:
        body = _common(headings + figures)
    else:
        body = _densest(root, blocks, text)
    titles = _deepest([e for e in blocks if _is_title(e, text)])
    start = min((order[h] for h in headings), default=order[body])
    before = [t for t in titles if order[t] <= start]
    title = before[-1] if before else (titles[0] if titles else None)
    container = _common([title, body]) if title is not None else root
    report = [*headings, *figures, *([title] if title is not None else [])]
    if title is not None and order[title] <= start:
        _drop_before(_opening(title, text), container)
    _drop_chrome(container, body, _holders([body, *report]), {d for e in report for d in e.iter()})
    return Content(container, title, bool(headings or figures))


def _hidden(element: HtmlElement) -> bool:
    return element.get("hidden") is not None or bool(_HIDDEN.search(element.get("style", "")))


def _drop_hidden(root: HtmlElement) -> None:
    """What the page hides is not shown to its readers (a second copy of the article for printing,
    a closed menu); it goes unless the report is only there (a tab that a script opens)."""
    hidden = [e for e in root.iter() if _hidden(e)]
    if not hidden:
        return
    under = {d for e in hidden for d in e.iter()}
    shown = [e for e in root.iter() if e.tag in BLOCKS and e not in under and _leaf(e)
             and _HEADING.match(collapse(e.text_content()))]
    if len(shown) >= 2:
        outermost = set(hidden)
        for element in hidden:
            if not any(a in outermost for a in element.iterancestors()):
                element.drop_tree()


def _opening(title: HtmlElement, text: _Texts) -> HtmlElement:
    """Where the report begins: its title, or the line above it that names the body where the title
    itself starts with the year (临川市民政局 / 2022年政府信息公开工作年度报告)."""
    if not _YEAR_FIRST.match(text[title]):
        return title
    for node in (title, *title.iterancestors()):
        above = next((s for s in node.itersiblings(preceding=True) if text[s]), None)
        if above is not None:
            return above if len(text[above]) <= 40 and not re.search(r"[。，；：:>]", text[above]) else title
    return title


def _drop_before(opening: HtmlElement, container: HtmlElement) -> None:
    """A report begins with its title: what the container holds before it is the page's (a site
    header, a hotline, a logo), not the report's."""
    node = opening
    while node is not container and node.getparent() is not None:
        parent = node.getparent()
        for sibling in list(node.itersiblings(preceding=True)):
            sibling.tail = None
            parent.remove(sibling)
        parent.text = None
        node = parent


def _in_link(element: HtmlElement, text: dict[HtmlElement, str]) -> bool:
    """A link, or mostly links: a menu entry or a related page, not the report's own text."""
    return any(a.tag == "a" for a in element.iterancestors()) or _link_share(element, text) >= _LINK_SHARE


def _link_share(element: HtmlElement, text: dict[HtmlElement, str]) -> float:
    links = list(element.iter("a"))
    if not links or not text[element]:
        return 0.0
    return len(collapse("".join(a.text_content() for a in links))) / len(text[element])


def _is_title(element: HtmlElement, text: _Texts) -> bool:
    words = text[element]
    return (len(words) <= _TITLE_LENGTH and bool(_TITLE.search(words)) and not _NOT_TITLE.search(words)
            and not _chrome_text(words) and not _in_link(element, text))


def _deepest(elements: list[HtmlElement]) -> list[HtmlElement]:
    """Of nested matches, the innermost: a heading is its <p>, not the <div> that starts with it."""
    chosen = set(elements)
    return [e for e in elements if not any(d in chosen for d in e.iterdescendants())]


def _common(elements: list[HtmlElement]) -> HtmlElement:
    """The smallest element holding all of them."""
    paths = [[*reversed(list(e.iterancestors())), e] for e in elements]
    common = paths[0][0]
    for level in zip(*paths):
        if any(e is not level[0] for e in level):
            break
        common = level[0]
    return common


def _densest(root: HtmlElement, blocks: list[HtmlElement], text: _Texts) -> HtmlElement:
    """The element whose own blocks hold the most text that is not links."""
    score: dict[HtmlElement, int] = {}
    for block in blocks:
        parent = block.getparent()
        if block is not root and parent is not None and _leaf(block):
            links = sum(len(a.text_content()) for a in block.iter("a"))
            score[parent] = score.get(parent, 0) + max(0, len(text[block]) - links)
    return max(score, key=score.__getitem__) if score else root


def _holders(elements: list[HtmlElement]) -> set[HtmlElement]:
    """Every element holding one of ``elements`` (themselves included)."""
    held: set[HtmlElement] = set()
    for element in elements:
        held.add(element)
        held.update(element.iterancestors())
    return held


def _chrome_text(text: str) -> bool:
    text = _CHROME_STRIP.sub("", text)
    return any(len(text) <= longest and pattern.search(text) for pattern, longest in _CHROME_TEXT)


def _chrome_markup(element: HtmlElement) -> bool:
    """Chrome by its tag, its class or id, or hidden from view."""
    names = f"{element.get('class', '')} {element.get('id', '')}".lower()
    return element.tag in _CHROME_TAGS or bool(names.strip() and _CHROME_NAMES.search(names)) or _hidden(element)


def _drop_chrome(container: HtmlElement, body: HtmlElement, kept: set[HtmlElement],
                 untouched: set[HtmlElement]) -> None:
    """Drop the chrome inside ``container``; ``kept`` hold the report, ``untouched`` are in its title,
    headings and tables (a header row of class "header" is the table's, not the page's). Chrome by
    markup goes first, so that the text of what is left is the text a reader sees."""
    inside = set(body.iterdescendants())

    def by_markup(element: HtmlElement, text: _Texts) -> HtmlElement | None:
        listed = element not in inside and element.tag in BLOCKS and len(element.xpath(".//a")) >= _LINKS \
            and _link_share(element, text) >= _LINK_SHARE
        return element if _chrome_markup(element) or listed else None

    def by_text(element: HtmlElement, text: _Texts) -> HtmlElement | None:
        if element.tag not in BLOCKS or not _leaf(element) or not _chrome_text(text[element]):
            return None
        target = element
        while element not in inside and target.getparent() is not None and target.getparent() not in kept:
            target = target.getparent()
        return target

    for chrome in (by_markup, by_text):
        gone: set[HtmlElement] = set()
        text = _Texts()
        for element in list(container.iterdescendants()):
            if element in gone or element in kept or element in untouched:
                continue
            target = chrome(element, text)
            if target is not None:
                gone.update(target.iter())
                target.drop_tree()


def _leaf(element: HtmlElement) -> bool:
    return not any(child.tag in BLOCKS for child in element.iterdescendants())

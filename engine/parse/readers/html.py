"""Web pages and HTML fragments: a report as a government site publishes it, or pasted from one.

The page is parsed with lxml.html (libxml2's HTML parser): it repairs the broken markup CMS editors
leave (unclosed ``<p>`` and ``<td>``, ``<table>`` inside ``<p>``, stray end tags) the way browsers do,
and gives a tree in which nested layout tables, rowspan/colspan and the site's chrome can be told
apart; a hand-written tokenizer gets all three wrong on real pages. The charset comes from the BOM
or the page's ``<meta>`` (:mod:`.html_charset`); the container of the report is found and site
chrome dropped by :mod:`.html_chrome`.

Each row of a data table becomes one source line of fields in the table's true grid (:mod:`.grid`):
one merged cell is one cell, ``<br>`` and ``<p>`` inside a cell join its pieces, ``&nbsp;`` cells are
blank. Each paragraph-like element (``p``, ``div``, ``h1``–``h6``, ``li``, a ``<br>``-separated run,
a cell of a layout table) is one line of running text. Lines are numbered in reading order (第5段,
表格2第4行), never by the page source's physical lines: a page whose whole text is one line still has
one place per row and paragraph.

A page that shows no section heading and no table of figures is refused with the reason where its
report is an attachment (a PDF or Word file it links to or embeds) or its text is next to nothing
(an article the site loads by script): auditing it would accuse the agency of leaving out everything.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from ..decode import NotText
from .base import Document, NotReadable, SourceLine, row_text
from .grid import Span, resolve
from .html_charset import page_text
from .html_chrome import locate, prepare
from .html_kind import KIND, HtmlReader
from .html_tree import Preformatted, blocks, is_frame, row_cells, table_rows, text_of

#: HtmlReader lives in :mod:`.html_kind` (the registry sniffs without lxml) and is named here too,
#: beside what it reads pages with.
__all__ = ["HtmlReader", "html_document", "page_document"]

_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
#: Files a page links to or embeds: where a site publishes the report itself as an attachment.
_LINKED = etree.XPath("//a/@href | //iframe/@src | //embed/@src | //object/@data")
_ATTACHMENT = re.compile(r"([^/?#=&]+\.(?:pdf|docx?|wps|ofd))(?:[?#&]|$)", re.IGNORECASE)
#: A report runs to thousands of characters; a page with fewer than this and no heading has none.
_SCANT = 300


def _span(cell: HtmlElement, name: str) -> int:
    value = cell.get(name)
    if value is None:
        return 1
    digits = re.match(r"\s*(\d+)", value)
    return max(1, min(int(digits.group(1)), 1000)) if digits else 1


@dataclass
class _Table:
    """One data table: its caption (read as a paragraph before it) and its rows in the true grid."""

    caption: list[str]
    rows: list[tuple[str, ...]]


def _reader(title: HtmlElement | None) -> Callable[[HtmlElement], _Table | None]:
    """Reads a data table into its grid; a page frame (or the table the title sits in) is None, so
    that its cells are read as text."""
    framing = set(title.iterancestors()) if title is not None else set()

    def read(table: HtmlElement) -> _Table | None:
        if table in framing or is_frame(table):
            return None
        rows = [[Span(text_of(cell), _span(cell, "rowspan"), _span(cell, "colspan")) for cell in row_cells(row)]
                for row in table_rows(table)]
        return _Table([text_of(c) for c in table.xpath("./caption")], resolve([row for row in rows if row]))
    return read


def _lines(container: HtmlElement, title: HtmlElement | None) -> list[SourceLine]:
    lines: list[SourceLine] = []
    paragraph = table = 0
    for block in blocks(container, _reader(title)):
        if isinstance(block, str):
            if block.strip():
                paragraph += 1
                lines.append(SourceLine(str(block), f"第{paragraph}段", wrapped=isinstance(block, Preformatted)))
            continue
        for caption in filter(None, block.caption):
            paragraph += 1
            lines.append(SourceLine(caption, f"第{paragraph}段"))
        if block.rows:
            table += 1
            lines.extend(SourceLine(row_text(cells), f"表格{table}第{number}行", cells)
                         for number, cells in enumerate(block.rows, start=1))
    return lines


def _page(text: str) -> tuple[list[SourceLine], bool, list[str]]:
    """The lines of a page, whether any section heading or table of figures was seen, and the PDF
    and Word files it links to or embeds."""
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8", errors="replace"), parser=_PARSER)
    except (etree.ParserError, ValueError):
        return [], False, []  # nothing but white space or comments
    linked = (_ATTACHMENT.search(link) for link in _LINKED(root))
    attachments = list(dict.fromkeys(unquote(found[1]) for found in linked if found))
    frames = root.xpath("//frame/@src")
    if root.find("frameset") is not None:
        raise NotReadable(f"网页由框架（frameset）组成，正文在框架页面中（{'、'.join(frames[:3]) or '未注明地址'}），"
                          "请打开框架页面另存后审核")
    prepare(root)
    content = locate(root.body if root.find("body") is not None else root)
    return _lines(content.container, content.title), content.report_seen, attachments


def html_document(text: str, notes: list[str] | None = None) -> Document:
    """The Document of a page or fragment already decoded to text."""
    return Document(KIND, _page(text)[0], list(notes or []))


def _refusal(lines: list[SourceLine], attachments: list[str]) -> str | None:
    """Why a page that shows no section heading and no table of figures is no report to audit: its
    report is an attachment, or its text is next to nothing (the site loads the article by script).
    Auditing it would accuse the agency of leaving out everything."""
    if attachments:
        return f"网页正文中没有报告的章节和表格，报告在附件中（{'、'.join(attachments[:3])}），请下载附件后审核"
    length = sum(len(line.text) for line in lines)
    if 0 < length < _SCANT:
        return (f"网页中没有找到报告正文（没有章节标题和统计表格，正文只有 {length} 个字，可能由网页脚本加载），"
                "请在浏览器中打开后另存为完整网页，或提供报告的 Word、PDF 文件")
    return None


def page_document(data: bytes) -> Document:
    """The Document of a page's bytes (charset from its BOM or ``<meta>``), or :class:`NotReadable`
    where it holds no report of its own."""
    try:
        text, notes = page_text(data)
    except NotText as error:
        raise NotReadable(str(error)) from None
    lines, report_seen, attachments = _page(text)
    reason = None if report_seen else _refusal(lines, attachments)
    if reason:
        raise NotReadable(reason)
    return Document(KIND, lines, notes)

"""What a web page's markup means for reading a report out of it.

Three things the reader (:mod:`.html`) and the chrome filter (:mod:`.html_chrome`) must agree on:
which elements stand as a block of their own (a paragraph, a heading, a cell), the text a browser
shows for a piece of markup (white space collapsed; a source line break between two Chinese
characters is no space at all, as browsers render it), and which tables hold data rather than lay
out the page. Government sites put the whole article inside layout tables; a table whose cells hold
other tables, headings, lists or whole paragraphs is such a frame, and its cells are read as text
containers, not as one giant row.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TypeVar

from lxml import etree
from lxml.html import HtmlElement

from ...text import display_width, fold

#: Elements that begin and end a paragraph of their own (and, inside a cell, a line of the cell).
BLOCKS = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section",
    "article", "main", "aside", "header", "footer", "nav", "blockquote", "address", "center", "form",
    "fieldset", "figure", "figcaption", "caption", "hr", "table", "thead", "tbody", "tfoot", "tr",
    "td", "th", "pre", "menu", "body",
})
#: Whether an element's text is in more than one piece (a <br>, a block inside it).
_BROKEN = etree.XPath("boolean(" + " | ".join(f".//{tag}" for tag in ("br", *sorted(BLOCKS))) + ")")
#: Inside a cell, any of these makes the table a page frame rather than a data table.
_FRAME_CONTENT = etree.XPath(" | ".join(f".//{tag}" for tag in ("h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
                                                                 "form", "iframe", "table")))
#: A cell this long holds an article, not a value or a row label.
_FRAME_TEXT = 200
#: Chinese characters and punctuation, full-width forms: where a browser drops a source line break
#: rather than showing it as a space (CSS Text, segment break transformation).
_CHINESE = "\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_CHINESE_BREAK = re.compile(f"(?<=[{_CHINESE}])[ \t\r]*\n\\s*(?=[{_CHINESE}])")
_NUMBER = re.compile(r"[+\-]?\d[\d,]*(?:\.\d+)?")
T = TypeVar("T")


def _wide(char: str) -> bool:
    return display_width(char) == 2


def collapse(text: str) -> str:
    """Text as a browser shows it: runs of white space (``&nbsp;`` included) are one space, a source
    line break between two Chinese characters none."""
    if "\n" in text:
        text = _CHINESE_BREAK.sub("", text)
    return " ".join(text.split())


def join(pieces: list[str]) -> str:
    """Pieces a ``<br>`` or ``<p>`` separated inside one cell, as one text: Chinese pieces run on
    (本年<br>收费金额 → 本年收费金额), others keep a space between them."""
    out = ""
    for piece in pieces:
        if not piece:
            continue
        glue = "" if not out or (_wide(out[-1]) and _wide(piece[0])) else " "
        out += glue + piece
    return out


class Preformatted(str):
    """A line of a ``<pre>`` block: laid out by its author, so it may be a piece of a paragraph that
    the author's line width broke, as in a text file."""


def blocks(root: HtmlElement, read_table: Callable[[HtmlElement], T | None] | None = None) -> Iterator[str | T]:
    """The text of ``root`` in reading order, one piece per block and per ``<br>``-separated run
    (empty pieces included: the caller drops them). A table that ``read_table`` reads (it returns
    None for a page frame) is given in its place instead of its text; a ``<pre>`` block gives its
    lines as they stand (:class:`Preformatted`), tabs and all: a text export pasted into a page."""
    buffer: list[str] = []
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        tag = element.tag
        if tag == "br" or tag in BLOCKS:
            yield collapse("".join(buffer))
            buffer = []
        if event == "start":
            if tag == "pre":
                yield from map(Preformatted, element.text_content().splitlines())
                walker.skip_subtree()
                continue
            if tag == "table" and read_table is not None and (table := read_table(element)) is not None:
                yield table
                walker.skip_subtree()
                continue
            if element.text:
                buffer.append(element.text)
        elif element.tail and element is not root:
            buffer.append(element.tail)
    yield collapse("".join(buffer))


def text_of(element: HtmlElement) -> str:
    """The whole text of an element as one string, its blocks joined like a cell's lines."""
    if not _BROKEN(element):
        return collapse(element.text_content())
    return join([piece for piece in blocks(element) if isinstance(piece, str)])


def table_rows(table: HtmlElement) -> list[HtmlElement]:
    """The table's own rows, header first and footer last as a browser draws them."""
    parts: dict[str, list[HtmlElement]] = {"thead": [], "tbody": [], "tfoot": []}
    for child in table:
        if child.tag == "tr":
            parts["tbody"].append(child)
        elif child.tag in parts:
            parts[child.tag].extend(row for row in child if row.tag == "tr")
    return parts["thead"] + parts["tbody"] + parts["tfoot"]


def row_cells(row: HtmlElement) -> list[HtmlElement]:
    return [cell for cell in row if cell.tag in ("td", "th")]


def is_frame(table: HtmlElement) -> bool:
    """Whether a table lays out the page (or boxes an article) rather than holding data: it holds
    another table, a heading or a list, a cell as long as an article, or no row of two cells."""
    rows = [row_cells(row) for row in table_rows(table)]
    if not any(len(cells) >= 2 for cells in rows):
        return True
    if _FRAME_CONTENT(table):
        return True
    return any(len(cell.text_content()) > _FRAME_TEXT and len(text_of(cell)) > _FRAME_TEXT
               for cells in rows for cell in cells)


def holds_figures(table: HtmlElement) -> bool:
    """A data table with figures in it: at least two rows, one cell that is a number."""
    rows = table_rows(table)
    return len(rows) >= 2 and any(_NUMBER.fullmatch(fold(collapse(cell.text_content())))
                                  for row in rows for cell in row_cells(row))

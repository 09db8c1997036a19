"""Web pages and HTML fragments (a report as a site publishes it, or pasted from one).

Each table row becomes one source line of fields in the table's true grid (:mod:`.grid`), each
paragraph-like element one line of running text; ``<br />`` inside a cell joins the pieces (a header
broken over lines is still one label), ``&nbsp;`` cells are blank. Lines are numbered in reading
order, never by the HTML source's physical lines: a page whose whole text is one line still has one
place per row and paragraph.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import ClassVar

from ..decode import NotText, decode
from .base import Document, NotReadable, SourceLine, row_text
from .grid import Span, resolve

_TAG = re.compile(r"<\s*(table|tr|td|th|p|div|br|span|h[1-6])\b", re.IGNORECASE)
_TAG_BYTES = re.compile(_TAG.pattern.encode(), re.IGNORECASE)
_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "title", "section", "article"}


def looks_like_html(text: str) -> bool:
    return len(_TAG.findall(text[:20000])) >= 3


def _span(attrs: list[tuple[str, str | None]], name: str) -> int:
    value = dict(attrs).get(name) or "1"
    digits = re.match(r"\s*(\d+)", value)
    return max(1, min(int(digits.group(1)), 1000)) if digits else 1


class _Reader(HTMLParser):
    """Collects blocks in reading order: ("text", str) and ("table", rows of spans)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, object]] = []
        self.text: list[str] = []
        self.rows: list[list[Span]] | None = None
        self.row: list[Span] | None = None
        self.cell: list[str] | None = None
        self.cell_span = (1, 1)
        self.skip = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag == "table" and self.rows is None:
            self._flush_text()
            self.rows = []
        elif tag == "tr":
            if self.rows is None:
                self._flush_text()
                self.rows = []
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell, self.cell_span = [], (_span(attrs, "rowspan"), _span(attrs, "colspan"))
        elif tag in _BLOCKS or tag == "br":
            if self.cell is None:
                self._flush_text()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in ("td", "th") and self.row is not None and self.cell is not None:
            text = "".join(self.cell).replace("\xa0", " ").strip()
            self.row.append(Span(text, *self.cell_span))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if self.row and self.rows is not None:
                self.rows.append(self.row)
            self.row = None
        elif tag == "table":
            self._flush_table()
        elif tag in _BLOCKS and self.cell is None:
            self._flush_text()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.cell is not None:
            self.cell.append(data.replace("\n", ""))
        elif self.row is None:
            self.text.append(data)

    def _flush_text(self) -> None:
        joined = " ".join("".join(self.text).split())
        if joined:
            self.blocks.append(("text", joined))
        self.text = []

    def _flush_table(self) -> None:
        if self.rows:
            self.blocks.append(("table", self.rows))
        self.rows = None

    def close(self) -> None:
        super().close()
        self._flush_text()
        self._flush_table()


def html_document(text: str) -> Document:
    reader = _Reader()
    reader.feed(text)
    reader.close()
    lines: list[SourceLine] = []
    paragraph = table = 0
    for kind, content in reader.blocks:
        if kind == "text":
            paragraph += 1
            lines.append(SourceLine(content, f"第{paragraph}段"))
        else:
            table += 1
            for number, cells in enumerate(resolve(content), start=1):
                lines.append(SourceLine(row_text(cells), f"表格{table}第{number}行", cells))
    return Document("网页", lines)


class HtmlReader:
    kind: ClassVar[str] = "网页"
    suffixes: ClassVar[tuple[str, ...]] = (".html", ".htm")

    def sniff(self, data: bytes, name: str) -> bool:
        """Tags are ASCII, so they are the same bytes in UTF-8 and GB18030: no need to decode first;
        UTF-16 (NUL bytes between the letters) is decoded."""
        head = data[:20000]
        if b"\x00" not in head:
            return len(_TAG_BYTES.findall(head)) >= 3
        try:
            return looks_like_html(decode(data)[0])
        except NotText:
            return False

    def read(self, data: bytes, name: str) -> Document:
        try:
            text, _encoding = decode(data)
        except NotText as error:
            raise NotReadable(str(error)) from None
        return html_document(text)

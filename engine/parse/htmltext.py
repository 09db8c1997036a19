"""HTML fragments (a report pasted from a web page) → the same lines as a text report.

Each table row becomes one line of fields, each paragraph-like element one plain line; ``<br />`` inside a
cell joins the pieces (a header broken over lines is still one label), ``&nbsp;`` cells are blank.
Line numbers are those of the HTML source, so quotes point at the submitted file.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .lines import Line

_TAG = re.compile(r"<\s*(table|tr|td|th|p|div|br|span|h[1-6])\b", re.IGNORECASE)
_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "title", "section", "article"}


def looks_like_html(text: str) -> bool:
    return len(_TAG.findall(text[:20000])) >= 3


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[tuple[int, str, list[str] | None]] = []
        self.text: list[str] = []
        self.text_line = 1
        self.row: list[str] | None = None
        self.row_line = 1
        self.cell: list[str] | None = None
        self.skip = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag == "tr":
            self._flush_text()
            self.row, self.row_line = [], self.getpos()[0]
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
        elif tag in _BLOCKS or tag == "br":
            if self.cell is None:
                self._flush_text()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in ("td", "th") and self.row is not None and self.cell is not None:
            self.row.append("".join(self.cell).replace("\xa0", " ").strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if self.row:
                self.out.append((self.row_line, "\t".join(self.row), list(self.row)))
            self.row = None
        elif tag in _BLOCKS and self.cell is None:
            self._flush_text()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.cell is not None:
            self.cell.append(data.replace("\n", ""))
        elif self.row is None:
            if not self.text:
                self.text_line = self.getpos()[0]
            self.text.append(data)

    def _flush_text(self) -> None:
        joined = " ".join("".join(self.text).split())
        if joined:
            self.out.append((self.text_line, joined, None))
        self.text = []

    def close(self) -> None:
        super().close()
        self._flush_text()


def html_lines(text: str) -> list["Line"]:
    from .lines import Line, split_lines

    reader = _Reader()
    reader.feed(text)
    reader.close()
    lines: list[Line] = []
    for no, content, fields in reader.out:
        if fields is None:
            # Paragraph text goes through the plain-text cleaning (markers, page numbers) too.
            # Each HTML paragraph is one line of its own: no page wrapped it.
            lines.extend(Line(no, line.text, line.kind, line.fields, 0) for line in split_lines(content))
        else:
            lines.append(Line(no, content, "html", fields))
    return lines

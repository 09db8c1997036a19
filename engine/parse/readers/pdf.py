"""PDF (.pdf): the text layer, read with the position of every character (:mod:`.pdf_pages`: PDFium's
reading of the pages in pdfplumber's terms, once :mod:`.pdf_check` found the file whole).

Reports reach the office as PDFs exported from Word: prose, and ruled tables with merged cells and
labels wrapped inside their cells. Reading characters by position, not in a converter's line order,
keeps what a text export loses:

- a ruled table (``find_tables``: the grid its ruling lines draw) becomes one source line per row, its
  cells in the true grid (:mod:`.grid`); a label wrapped inside its cell is one cell again;
- Word draws frames around prose too, which look like tables of one cell per row: a row with a single
  cell is running text, read line by line like the rest of the page;
- prose lines and table rows are put in the order they stand on the page, so a heading stays before
  its table; a table broken across pages simply continues with the next page's rows;
- page numbers and headers or footers repeated at the same place on most pages are dropped;
- between characters, a small gap is nothing (justified Chinese text spreads its characters), a gap
  of about a space is one space, a wide one several (columns of a table drawn without lines, for the
  parser's space-aligned reading).

A place is ``第3页第12行`` for prose (the line's position among the page's lines, a table row counting
as one line) and ``第3页表格2第4行`` for a table row (the page's second table, its fourth row).
A PDF without text (a scan), an encrypted or a damaged one is refused with the reason
(:class:`~.base.NotReadable`); pages without text among pages with text are named in a note.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from typing import ClassVar

from ...text import display_width
from .base import Document, NotReadable, SourceLine, row_text
from .grid import Span, resolve
from .pdf_reasons import BROKEN_PAGE, DAMAGED, ENCRYPTED, UNKNOWN

__all__ = ["BROKEN_PAGE", "DAMAGED", "ENCRYPTED", "GARBLED", "SCANNED", "UNKNOWN", "PdfReader", "pdf_document"]

SCANNED = "扫描件，没有可复制的文字，请提供带文字的 PDF 或 Word 版本"
GARBLED = "PDF 中的文字无法识别（字体缺少文字编码），请提供 Word 版本或重新导出的 PDF"

#: Gaps between characters, in ems of their font size: below TOUCH nothing; between two wide (CJK)
#: characters below WIDE nothing either (justified text spreads them); below WIDE one space; wider,
#: as many spaces as half-ems (a table's columns drawn without lines).
TOUCH, WIDE = 0.12, 1.0
#: Lines in the top and bottom tenth of a page may be headers, footers or page numbers.
MARGIN = 0.1
#: Points by which a running head or footer may stand higher or lower from page to page.
SAME_HEIGHT = 3.0


@dataclass
class _Line:
    """A printed line of prose, or one table row (``cells``), at its height on the page."""

    top: float
    bottom: float
    text: str
    cells: tuple[str, ...] | None = None
    table: int = 0  # for a row, the table's number among the page's tables


@dataclass
class _Page:
    number: int
    height: float
    chars: list[dict]
    tables: list[list[tuple[float, float, float, float]]]  # each table's cell boxes (x0, top, x1, bottom)
    lines: list[_Line] = field(default_factory=list)


def _wide(char: str) -> bool:
    return display_width(char) == 2


def _text(chars: list[dict], left: float | None = None) -> str:
    """One printed line: characters left to right, gaps turned into spaces as the module says. Given
    ``left`` (the page's left edge of text), a line of columns (it has a wide gap) that starts right of
    it is indented by as many spaces, so that the columns of a table without ruling lines line up from
    line to line; prose keeps no indent."""
    out: list[str] = []
    previous = None
    columns = spaced = False
    for char in sorted(chars, key=lambda c: c["x0"]):
        if not char["text"].strip():
            spaced = previous is not None  # a space the PDF writes: at least one space
            continue
        if previous is not None:
            em = max(previous["size"], char["size"], 1.0)
            gap = (char["x0"] - previous["x1"]) / em
            if char["text"] == previous["text"] and abs(char["x0"] - previous["x0"]) <= 1 \
                    and abs(char["top"] - previous["top"]) <= 1:
                continue  # drawn twice over itself (fake bold)
            if gap >= WIDE:
                out.append(" " * max(2, round(gap * 2)))
                columns = True
            elif spaced or gap >= TOUCH and not (_wide(previous["text"]) and _wide(char["text"])):
                out.append(" ")
        out.append(char["text"])
        previous, spaced = char, False
    if columns and left is not None:
        first = min((c for c in chars if c["text"].strip()), key=lambda c: c["x0"])
        out.insert(0, " " * round((first["x0"] - left) / max(first["size"], 1.0) * 2))
    return "".join(out)


def _rows_of_text(chars: list[dict]) -> list[list[dict]]:
    """Characters grouped into printed lines, top to bottom: a character whose middle lies within
    half its size of the line's first one is on that line."""
    lines: list[list[dict]] = []
    middle = None
    for char in sorted(chars, key=lambda c: c["top"] + c["bottom"]):
        centre = (char["top"] + char["bottom"]) / 2
        if middle is None or centre - middle > char["size"] / 2:
            lines.append([])
            middle = centre
        lines[-1].append(char)
    return lines


def _join(pieces: list[str]) -> str:
    """The lines of one cell as one text: no space between Chinese pieces, one between ASCII words, none
    inside a number the cell's width wrapped (``1055`` / ``9``, ``11,09`` / ``7``): a cell of the format's
    tables holds one figure, and two numbers read out of it would shift every cell after it."""
    text = ""
    for piece in (p.strip() for p in pieces):
        wrapped_number = text[-1:].isdigit() or text[-1:] == ","
        if text and piece and text[-1].isascii() and text[-1].isalnum() and piece[0].isascii() and piece[0].isalnum() \
                and not (wrapped_number and piece[0].isdigit()):
            text += " "
        text += piece
    return text


class _Grid:
    """One ruled table: its cells on the grid of their left and top edges.

    pdfplumber gives each cell's box; a position no cell starts at is covered by a merged cell, from
    the left or from above, or (where a ruling line is missing, at a page break) by nothing: then it
    is a cell of its own, as drawn by the lines around it."""

    def __init__(self, boxes: list[tuple[float, float, float, float]]) -> None:
        self.xs = sorted({b[0] for b in boxes})
        self.ys = sorted({b[1] for b in boxes})
        self.right = max(b[2] for b in boxes)
        self.bottom = max(b[3] for b in boxes)
        self.owner: dict[tuple[int, int], int] = {}
        self.cells: list[tuple[int, int, int, int]] = []  # first row, first column, rows, columns
        for x0, top, x1, bottom in sorted(boxes, key=lambda b: (b[1], b[0])):
            row, column = self.ys.index(top), self.xs.index(x0)
            if (row, column) not in self.owner:
                self._add(row, column, _count(self.ys, top, bottom), _count(self.xs, x0, x1))
        for row in range(len(self.ys)):
            for column in range(len(self.xs)):
                if (row, column) not in self.owner:
                    self._add(row, column, 1, 1)
        self.chars: list[list[dict]] = [[] for _ in self.cells]
        #: Rows drawn as a frame around running text: one cell, starting in the row, fills it.
        self.prose = {row for row in range(len(self.ys))
                      if len({self.owner[row, c] for c in range(len(self.xs))}) == 1
                      and self.cells[self.owner[row, 0]][0] == row}

    def _add(self, row: int, column: int, rows: int, columns: int) -> None:
        index = len(self.cells)
        self.cells.append((row, column, max(1, rows), max(1, columns)))
        for r in range(row, row + max(1, rows)):
            for c in range(column, column + max(1, columns)):
                self.owner.setdefault((r, c), index)

    def take(self, char: dict) -> bool:
        """Keep a character that lies in one of the table's rows (not in a frame around prose)."""
        x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
        if not (self.xs[0] <= x <= self.right and self.ys[0] <= y <= self.bottom):
            return False
        row, column = bisect_right(self.ys, y) - 1, bisect_right(self.xs, x) - 1
        if row in self.prose:
            return False
        self.chars[self.owner[row, column]].append(char)
        return True

    def lines(self) -> list[_Line]:
        """The table's rows (frames around prose left out), each a line of cells in the true grid."""
        spans: list[list[Span]] = [[] for _ in self.ys]
        for index, (row, _column, rows, columns) in sorted(enumerate(self.cells), key=lambda c: c[1][:2]):
            text = _join([_text(line) for line in _rows_of_text(self.chars[index])])
            spans[row].append(Span(text, rows, columns))
        ends = [*self.ys[1:], self.bottom]
        return [_Line(self.ys[row], ends[row], row_text(fields), fields)
                for row, fields in enumerate(resolve(spans)) if row not in self.prose]


def _count(edges: list[float], start: float, end: float) -> int:
    """How many grid rows (or columns) a cell from ``start`` to ``end`` covers."""
    return bisect_right(edges, end - 1.0) - edges.index(start)


def _load(data: bytes) -> list[_Page]:
    from .pdf_pages import load  # pdfminer and PDFium: imported when a PDF is read, not to parse text

    return [_Page(p.number, p.height, p.chars, p.tables) for p in load(data)]


def _lay_out(page: _Page) -> None:
    """The page's prose lines and table rows, top to bottom."""
    grids = [_Grid(boxes) for boxes in page.tables if boxes]
    prose = [c for c in page.chars if not any(grid.take(c) for grid in grids)]
    left = min((c["x0"] for c in prose if c["text"].strip()), default=0.0)
    lines = [_Line(min(c["top"] for c in row), max(c["bottom"] for c in row), text)
             for row in _rows_of_text(prose) if (text := _text(row, left))]
    tables = [rows for rows in (grid.lines() for grid in grids) if rows]
    for number, rows in enumerate(tables, start=1):
        for row in rows:
            row.table = number
        lines += rows
    page.lines = sorted(lines, key=lambda line: line.top)


def _drop_running_heads(pages: list[_Page]) -> None:
    """Page numbers, headers and footers: prose lines in a page's top or bottom margin whose text,
    digits aside (``- 3 -``, ``第 3 页``), stands at the same height (within :data:`SAME_HEIGHT`) on at
    least two pages and on at least half of them."""
    margins: list[tuple[str, float, int, _Line]] = []  # (text shape, top, page, line)
    for page in pages:
        for line in page.lines:
            if line.cells is None and (line.bottom < page.height * MARGIN or line.top > page.height * (1 - MARGIN)):
                margins.append((re.sub(r"\d+", "#", "".join(line.text.split())), line.top, page.number, line))
    running = set()
    for shape, top, _page, line in margins:
        pages_with = {p for s, t, p, _ in margins if s == shape and abs(t - top) <= SAME_HEIGHT}
        if len(pages_with) >= 2 and len(pages_with) * 2 >= len(pages):
            running.add(id(line))
    for page in pages:
        page.lines = [line for line in page.lines if id(line) not in running]


def _unmapped_notes(pages: list[_Page]) -> list[str]:
    """Where glyphs their fonts map to no character (read as :data:`UNKNOWN`) are."""
    notes = []
    for page in pages:
        unmapped = [c for c in page.chars if c["text"] == UNKNOWN]
        if unmapped:
            notes.append(f"第{page.number}页有 {len(unmapped)} 个字符无法识别（字体缺少文字编码），"
                         f"含这些字符的内容未能读取，请人工核对")
    return notes


def pdf_document(data: bytes) -> Document:
    pages = _load(data)
    with_text = [p for p in pages if p.chars]
    if not with_text:
        raise NotReadable(SCANNED)
    if all(all(c["text"] == UNKNOWN for c in p.chars if c["text"].strip()) for p in with_text):
        raise NotReadable(GARBLED)
    notes = _unmapped_notes(pages)
    without = [str(p.number) for p in pages if not p.chars]
    if without:
        notes.insert(0, f"第{'、'.join(without)}页没有可复制的文字（可能是扫描页或空白页），这些页的内容未读取，请人工核对")
    for page in with_text:
        _lay_out(page)
    _drop_running_heads(with_text)
    lines = []
    for page in with_text:
        rows: Counter[int] = Counter()
        for number, line in enumerate(page.lines, start=1):
            if line.cells is None:
                lines.append(SourceLine(line.text, f"第{page.number}页第{number}行", wrapped=True))
            else:
                rows[line.table] += 1
                place = f"第{page.number}页表格{line.table}第{rows[line.table]}行"
                lines.append(SourceLine(line.text, place, line.cells))
    return Document(PdfReader.kind, lines, notes)


class PdfReader:
    kind: ClassVar[str] = "PDF"
    suffixes: ClassVar[tuple[str, ...]] = (".pdf",)

    def sniff(self, data: bytes, name: str) -> bool:
        """The ``%PDF`` signature, where PDF readers look for it: within the first kilobyte (some
        files have a few bytes before it)."""
        return b"%PDF" in data[:1024]

    def read(self, data: bytes, name: str) -> Document:
        return pdf_document(data)

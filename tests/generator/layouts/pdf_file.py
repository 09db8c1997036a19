"""A PDF as agencies publish their reports (淮安市 2024): A4 pages of CJK text, tables with ruling lines
round every cell, merged header and group cells, long labels wrapped inside their cell, a narrow group
column that prints its label one character a line (三 / 、/ 本 / 年 …), tables that run on over a page
break (the header is not repeated), and ``- N -`` page numbers in the footer.

Written with reportlab's platypus in the Adobe CID font STSong-Light, which needs no font file and
whose text pdfplumber extracts as Unicode. Every cell is ruled, so even a blank cell has a place a
reader can see: no row is unreadable here.
"""
from __future__ import annotations

import io
import random
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..document import Document, Prose
from ..grid import GridTable, Placed, captioned, placed
from .files import RenderedFile, column_shares

BLANK_RATE = 0.3
FONT = "STSong-Light"


@cache
def _font() -> str:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


class _Styles:
    """The paragraph styles of one report: sizes and indents vary from report to report."""

    def __init__(self, rng: random.Random) -> None:
        size = rng.choice([10.5, 12, 14])
        base = dict(fontName=_font(), wordWrap="CJK")
        self.title = ParagraphStyle("title", **base, fontSize=size + 6, leading=(size + 6) * 1.5, alignment=TA_CENTER,
                                    spaceAfter=size)
        self.heading = ParagraphStyle("heading", **base, fontSize=size + 1, leading=(size + 1) * 1.6,
                                      spaceBefore=size / 2, firstLineIndent=rng.choice([0, 2 * size]))
        self.body = ParagraphStyle("body", **base, fontSize=size, leading=size * rng.choice([1.5, 1.75, 2.0]),
                                   firstLineIndent=2 * size, alignment=rng.choice([TA_JUSTIFY, TA_LEFT]))
        cell = rng.choice([8, 9, 10])
        self.label = ParagraphStyle("label", **base, fontSize=cell, leading=cell * 1.3,
                                    alignment=rng.choice([TA_LEFT, TA_CENTER]))
        self.centred = ParagraphStyle("centred", parent=self.label, alignment=TA_CENTER)


class _RuledTable(Table):
    """A table with every cell ruled that breaks between any two rows, even inside a merged cell: the
    merged cell's text fills its part above the break and runs on below it, as Word and WPS print it
    (reportlab itself will not break inside a merged cell, and in-row splitting cuts rows in two)."""

    def __init__(self, cells: list[Placed], widths: list[float], styles: _Styles, shaded: bool) -> None:
        self.cells, self.styles, self.shaded = cells, styles, shaded
        rows = max(c.row + c.rows for c in cells)
        data: list[list[object]] = [[""] * len(widths) for _ in range(rows)]
        commands: list[tuple] = [("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                 ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
        for cell in cells:
            data[cell.row][cell.col] = self._paragraph(cell, cell.text) if cell.text else ""
            if cell.rows > 1 or cell.cols > 1:
                commands.append(("SPAN", (cell.col, cell.row), (cell.col + cell.cols - 1, cell.row + cell.rows - 1)))
        if shaded:
            commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dbe5f1")))
        super().__init__(data, colWidths=widths, repeatRows=0, style=TableStyle(commands))

    def _paragraph(self, cell: Placed, text: str) -> Paragraph:
        return Paragraph(escape(text), self.styles.label if cell.part == "label" else self.styles.centred)

    def _head(self, cell: Placed, height: float) -> int:
        """How many characters of ``cell``'s text fit in ``height`` points of its width (less reportlab's
        cell padding: 6 pt left and right, 3 pt above and below)."""
        width = sum(self._colWidths[cell.col:cell.col + cell.cols]) - 12
        room = height - 6
        fits = [n for n in range(len(cell.text), 0, -1)
                if self._paragraph(cell, cell.text[:n]).wrap(width, room)[1] <= room]
        return fits[0] if fits else 0

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)  # works out _rowHeights, which platypus has no public name for
        heights = self._rowHeights
        cut = next((n for n in range(len(heights)) if sum(heights[:n + 1]) > availHeight), len(heights))
        if cut == len(heights):
            return [self]
        # The part above is laid out anew and may come out taller than the rows it took (a merged cell's
        # share of text needs its own height): break a row earlier until it fits, or not at all here.
        while cut > 0:
            parts = self._parts(cut, heights)
            if parts[0].wrap(availWidth, availHeight)[1] <= availHeight:
                return parts
            cut -= 1
        return []

    def _parts(self, cut: int, heights: list[float]) -> list[Flowable]:
        above, below = [], []
        for cell in self.cells:
            if cell.row + cell.rows <= cut:
                above.append(cell)
            elif cell.row >= cut:
                below.append(replace(cell, row=cell.row - cut))
            else:
                head = self._head(cell, sum(heights[cell.row:cut]))
                above.append(replace(cell, rows=cut - cell.row, text=cell.text[:head]))
                below.append(replace(cell, row=0, rows=cell.row + cell.rows - cut, text=cell.text[head:]))
        return [_RuledTable(above, self._colWidths, self.styles, self.shaded),
                _RuledTable(below, self._colWidths, self.styles, False)]


def _table(grid: GridTable, width: float, styles: _Styles, rng: random.Random) -> Table:
    cells = [cell for line in placed(grid) for cell in line]
    shaded = captioned(grid.spec) and bool(grid.header) and rng.random() < 0.7
    return _RuledTable(cells, [width * share for share in column_shares(grid, rng)], styles, shaded)


def _page_number(rng: random.Random) -> Callable[[Canvas, SimpleDocTemplate], None]:
    """The footer: ``- N -`` centred, or at the outer edge of each page as books print it."""
    outer = rng.random() < 0.4

    def draw(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(_font(), 10.5)
        number = f"- {canvas.getPageNumber()} -"
        if not outer:
            canvas.drawCentredString(A4[0] / 2, 36, number)
        elif canvas.getPageNumber() % 2:
            canvas.drawRightString(A4[0] - doc.rightMargin, 36, number)
        else:
            canvas.drawString(doc.leftMargin, 36, number)
        canvas.restoreState()
    return draw


def _prose(block: Prose, styles: _Styles) -> Paragraph:
    style = {"title": styles.title, "heading": styles.heading}.get(block.kind, styles.body)
    return Paragraph(escape(block.text), style)


def render(document: Document, rng: random.Random) -> RenderedFile:
    styles = _Styles(rng)
    margin = rng.uniform(60, 90)
    out = io.BytesIO()
    pdf = SimpleDocTemplate(out, pagesize=A4, leftMargin=margin, rightMargin=margin, topMargin=rng.uniform(60, 80),
                            bottomMargin=rng.uniform(60, 80), invariant=True, title="政府信息公开工作年度报告")
    story: list[Flowable] = []
    for block in document.blocks:
        if isinstance(block, GridTable):
            story += [Spacer(1, 6), _table(block, pdf.width, styles, rng), Spacer(1, 6)]
        else:
            story.append(_prose(block, styles))
    footer = _page_number(rng)
    pdf.build(story, onFirstPage=footer, onLaterPages=footer)
    return RenderedFile(out.getvalue(), ".pdf")

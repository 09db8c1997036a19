"""The tables of the Word layout (:mod:`.docx`), written as WordprocessingML rows from the grid.

A cell merged across is one ``w:tc`` with ``w:gridSpan``; a cell merged down starts with
``w:vMerge w:val="restart"`` and has an empty ``w:tc`` with ``w:vMerge`` in each row below, as Word
writes them. With track changes on, a few values were typed wrong first (the deleted figure stays in
the file as ``w:delText``, the right one is a ``w:ins``), and a row may have been deleted whole: it
stays in the file, marked deleted, with figures that are not the report's.

Rows are written directly because python-docx's ``cell.merge`` re-walks the whole table for every cell
(about 2 s for table 三), and so the file says exactly what the grid says.
"""
from __future__ import annotations

import itertools
import random
from xml.sax.saxutils import escape

from docx.document import Document as WordDocument
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Twips

from ..grid import GridTable, Placed, placed
from .files import column_shares

#: Text width of an A4 page with python-docx's default margins, in twentieths of a point.
WIDTH = 8845
W = nsdecls("w")
_RESTART, _CONTINUE = '<w:vMerge w:val="restart"/>', "<w:vMerge/>"


class Revisions:
    """Track changes, when the writer had them on: each change needs an id of its own."""

    STAMP = 'w:author="user" w:date="2022-01-10T09:00:00Z"'

    def __init__(self) -> None:
        self._ids = itertools.count(1)

    def deleted(self, text: str) -> str:
        return f'<w:del w:id="{next(self._ids)}" {self.STAMP}><w:r><w:delText>{escape(text)}</w:delText></w:r></w:del>'

    def inserted(self, inner: str) -> str:
        return f'<w:ins w:id="{next(self._ids)}" {self.STAMP}>{inner}</w:ins>'

    def row_mark(self) -> str:
        return f'<w:trPr><w:del w:id="{next(self._ids)}" {self.STAMP}/></w:trPr>'


def run_xml(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def runs(text: str, rng: random.Random) -> list[str]:
    """``text`` in one to three runs, cut where Word's editing history happened to cut it."""
    count = rng.choice([1, 1, 2, 3]) if len(text) > 6 else 1
    cuts = sorted(rng.sample(range(1, len(text)), count - 1))
    return [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)])]


def _cell_text(cell: Placed, rng: random.Random, revisions: Revisions | None) -> str:
    """The runs of one cell: a label perhaps broken by hand (Shift+Enter), a value perhaps typed wrong
    first with track changes on."""
    if not cell.text:
        return ""
    if cell.part == "value" and revisions and rng.random() < 0.01:
        return revisions.deleted(str(rng.randint(1, 99))) + revisions.inserted(run_xml(cell.text))
    if cell.part != "value" and len(cell.text) >= 4 and rng.random() < 0.15:
        cut = rng.randint(2, len(cell.text) - 2)
        return f"{run_xml(cell.text[:cut])}<w:r><w:br/></w:r>{run_xml(cell.text[cut:])}"
    return "".join(run_xml(part) for part in runs(cell.text, rng))


def _tc(cell: Placed, widths: list[int], merge: str, inner: str) -> str:
    """One ``w:tc``: its width, its span across (``gridSpan``) and its part of a span down (``vMerge``)."""
    span = f'<w:gridSpan w:val="{cell.cols}"/>' if cell.cols > 1 else ""
    width = sum(widths[cell.col:cell.col + cell.cols])
    align = "left" if cell.part == "label" else "center"
    return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span}{merge}<w:vAlign w:val="center"/></w:tcPr>'
            f'<w:p><w:pPr><w:jc w:val="{align}"/></w:pPr>{inner}</w:p></w:tc>')


def _tr(tcs: list[tuple[int, str]], mark: str = "") -> str:
    return f"<w:tr {W}>{mark}" + "".join(xml for _, xml in sorted(tcs)) + "</w:tr>"


def _deleted_row(line: int, covering: list[Placed], widths: list[int], rng: random.Random,
                 revisions: Revisions) -> str:
    """A copy of grid line ``line`` placed under it and deleted with track changes on: the cells
    merged down past it run through it, its own cells hold struck-out text and other figures."""
    tcs = []
    for cell in covering:
        if cell.row + cell.rows > line + 1:
            tcs.append((cell.col, _tc(cell, widths, _CONTINUE, "")))
        elif cell.rows == 1:
            text = str(rng.randint(0, 99)) if cell.part == "value" else cell.text
            tcs.append((cell.col, _tc(cell, widths, "", revisions.deleted(text))))
        else:  # a cell merged down that ends on this line: the copy's part of the column is empty
            tcs.append((cell.col, _tc(Placed(line, cell.col, "", cell.part, 1, cell.cols), widths, "", "")))
    return _tr(tcs, revisions.row_mark())


def _rows(grid: GridTable, widths: list[int], rng: random.Random, revisions: Revisions | None) -> list[str]:
    """The ``w:tr`` of every grid line: each cell that starts there, and a ``vMerge`` continuation for
    each cell merged down from a line above; perhaps one body line followed by a deleted copy."""
    lines = placed(grid)
    covering: list[list[Placed]] = [list(line) for line in lines]
    for line in lines:
        for cell in line:
            for below in range(cell.row + 1, cell.row + cell.rows):
                covering[below].append(cell)
    copied = (rng.randrange(len(grid.header), len(lines) - 1)
              if revisions and len(lines) - len(grid.header) > 1 and rng.random() < 0.1 else None)
    rows = []
    for index, cells in enumerate(covering):
        tcs = [(c.col, _tc(c, widths, _CONTINUE, "")) if c.row < index else
               (c.col, _tc(c, widths, _RESTART if c.rows > 1 else "", _cell_text(c, rng, revisions))) for c in cells]
        rows.append(_tr(tcs))
        if index == copied:
            rows.append(_deleted_row(index, cells, widths, rng, revisions))
    return rows


def write_table(word: WordDocument, grid: GridTable, rng: random.Random, revisions: Revisions | None) -> None:
    widths = [round(WIDTH * share) for share in column_shares(grid, rng)]
    table = word.add_table(rows=0, cols=grid.width, style="Table Grid")
    for column, width in zip(table.columns, widths):
        column.width = Twips(width)
    for row in _rows(grid, widths, rng, revisions):
        table._tbl.append(parse_xml(row))  # python-docx has no public way to add a ready-made w:tr

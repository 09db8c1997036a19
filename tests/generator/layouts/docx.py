"""A Word document as agencies fill in the official template: a title (sometimes two lines joined by a
manual line break), paragraphs split into several runs as Word saves them, section headings in a
heading style or in bold, and tables whose merged cells are Word's own: ``gridSpan`` for cells merged
across (申请人情况, 法人或其他组织, a caption row), ``vMerge`` for cells merged down (三、本年度办理结果,
（三）不予公开, the header stub). Blank cells are empty; some labels carry a manual line break; some
values were edited with track changes on (the deleted figure is still in the file); a footer may
hold a PAGE field; Word's ``_GoBack`` bookmark sits where the writer stopped.

python-docx writes the document; table rows are written as WordprocessingML directly, because
python-docx's ``cell.merge`` re-walks the whole table for every cell (about 2 s per table 三) and this
way the file says exactly what the grid says. Every cell is a cell of its own: no row is unreadable.
"""
from __future__ import annotations

import io
import itertools
import random
import zipfile
from collections.abc import Iterator
from xml.sax.saxutils import escape

from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt, Twips
from docx.text.paragraph import Paragraph

from ..document import Document, Prose
from ..grid import GridTable, Placed, placed
from .files import RenderedFile, column_shares

BLANK_RATE = 0.3
#: Text width of an A4 page with the template's margins, in twentieths of a point.
WIDTH = 8845
_W = nsdecls("w")


def restamped(data: bytes) -> bytes:
    """A zip package with every member dated 1980-01-01, in the same order: libraries stamp members with
    the time of writing, and the same spec must always give the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(zipfile.ZipInfo(member.filename), source.read(member), zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _runs(text: str, rng: random.Random) -> list[str]:
    """``text`` in one to three runs, cut where Word's editing history happened to cut it."""
    count = rng.choice([1, 1, 2, 3]) if len(text) > 6 else 1
    cuts = sorted(rng.sample(range(1, len(text)), count - 1))
    return [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)])]


def _run_xml(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _cell_text(cell: Placed, rng: random.Random, revisions: Iterator[int] | None) -> str:
    """The runs of one cell: a label perhaps broken by hand (Shift+Enter), a value perhaps edited with
    track changes on (the figure first typed deleted, the right one inserted)."""
    if not cell.text:
        return ""
    if cell.part == "value" and revisions and rng.random() < 0.01:
        stamp = 'w:author="user" w:date="2022-01-10T09:00:00Z"'
        return (f'<w:del w:id="{next(revisions)}" {stamp}><w:r><w:delText>{rng.randint(1, 99)}</w:delText></w:r>'
                f'</w:del><w:ins w:id="{next(revisions)}" {stamp}>{_run_xml(cell.text)}</w:ins>')
    if cell.part != "value" and len(cell.text) >= 4 and rng.random() < 0.15:
        cut = rng.randint(2, len(cell.text) - 2)
        return f'{_run_xml(cell.text[:cut])}<w:r><w:br/></w:r>{_run_xml(cell.text[cut:])}'
    return "".join(_run_xml(part) for part in _runs(cell.text, rng))


def _tc(cell: Placed, widths: list[int], merge: str, inner: str) -> str:
    """One ``w:tc``: its width, its span across (``gridSpan``) and its part of a span down (``vMerge``)."""
    span = f'<w:gridSpan w:val="{cell.cols}"/>' if cell.cols > 1 else ""
    width = sum(widths[cell.col:cell.col + cell.cols])
    align = "left" if cell.part == "label" else "center"
    return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span}{merge}<w:vAlign w:val="center"/></w:tcPr>'
            f'<w:p><w:pPr><w:jc w:val="{align}"/></w:pPr>{inner}</w:p></w:tc>')


def _rows(grid: GridTable, widths: list[int], rng: random.Random, revisions: Iterator[int] | None) -> list[str]:
    """The ``w:tr`` of every grid line: each cell that starts there, and a ``vMerge`` continuation
    for each cell merged down from a line above."""
    lines = placed(grid)
    continued: list[list[Placed]] = [[] for _ in lines]
    for line in lines:
        for cell in line:
            for below in range(cell.row + 1, cell.row + cell.rows):
                continued[below].append(cell)
    rows = []
    for line, from_above in zip(lines, continued):
        starts = '<w:vMerge w:val="restart"/>'
        tcs = [(c.col, _tc(c, widths, starts if c.rows > 1 else "", _cell_text(c, rng, revisions))) for c in line]
        tcs += [(c.col, _tc(c, widths, "<w:vMerge/>", "")) for c in from_above]
        rows.append(f"<w:tr {_W}>" + "".join(xml for _, xml in sorted(tcs)) + "</w:tr>")
    return rows


def _table(word: WordDocument, grid: GridTable, rng: random.Random, revisions: Iterator[int] | None) -> None:
    widths = [round(WIDTH * share) for share in column_shares(grid, rng)]
    table = word.add_table(rows=0, cols=grid.width, style="Table Grid")
    for column, width in zip(table.columns, widths):
        column.width = Twips(width)
    for row in _rows(grid, widths, rng, revisions):
        table._tbl.append(parse_xml(row))  # python-docx has no public way to add a ready-made w:tr


def _add_runs(paragraph: Paragraph, text: str, rng: random.Random, *, bold: bool = False,
              size: float | None = None) -> None:
    for part in _runs(text, rng):
        run = paragraph.add_run(part)
        run.bold = bold or None
        if size:
            run.font.size = Pt(size)


def _title(word: WordDocument, lines: list[str], rng: random.Random) -> None:
    """The title centred in large type; a two-line title is two paragraphs or one broken by hand."""
    groups = [lines] if len(lines) > 1 and rng.random() < 0.5 else [[line] for line in lines]
    for group in groups:
        paragraph = word.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for index, line in enumerate(group):
            if index:
                paragraph.add_run().add_break()
            _add_runs(paragraph, line, rng, bold=True, size=22)


def _prose(word: WordDocument, block: Prose, rng: random.Random, heading_style: bool) -> None:
    if block.kind == "heading" and heading_style:
        word.add_heading(block.text, level=2)
        return
    paragraph = word.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(32)
    _add_runs(paragraph, block.text, rng, bold=block.kind == "heading", size=16)


def _go_back(word: WordDocument, rng: random.Random) -> None:
    """Word's bookmark at the last edit, inside some paragraph."""
    paragraph = rng.choice(word.paragraphs)
    paragraph._p.append(parse_xml(f'<w:bookmarkStart {_W} w:id="0" w:name="_GoBack"/>'))
    paragraph._p.append(parse_xml(f'<w:bookmarkEnd {_W} w:id="0"/>'))


_PAGE = {"- {} -": ["- ", None, " -"], "第{}页": ["第", None, "页"], "{}": [None]}


def _page_numbers(word: WordDocument, rng: random.Random) -> None:
    """A footer with the page number as a PAGE field (complex or simple, as Word and WPS write it)."""
    paragraph = word.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    simple = rng.random() < 0.5
    for part in rng.choice(list(_PAGE.values())):
        if part is not None:
            paragraph.add_run(part)
        elif simple:
            paragraph._p.append(parse_xml(f'<w:fldSimple {_W} w:instr=" PAGE ">{_run_xml("1")}</w:fldSimple>'))
        else:
            for xml in ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
                        '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>',
                        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>', _run_xml("1"),
                        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'):
                paragraph._p.append(parse_xml(xml.replace("<w:r>", f"<w:r {_W}>", 1)))


def render(document: Document, rng: random.Random) -> RenderedFile:
    word = WordDocument()
    heading_style = rng.random() < 0.4
    revisions = itertools.count(1) if rng.random() < 0.3 else None
    blocks = list(document.blocks)
    titles = [b.text for b in blocks if isinstance(b, Prose) and b.kind == "title"]
    _title(word, titles, rng)
    for block in blocks:
        if isinstance(block, GridTable):
            _table(word, block, rng, revisions)
        elif block.kind != "title":
            _prose(word, block, rng, heading_style)
    if document.spec.style.markers:
        _go_back(word, rng)
    if rng.random() < 0.6:
        _page_numbers(word, rng)
    out = io.BytesIO()
    word.save(out)
    return RenderedFile(restamped(out.getvalue()), ".docx")

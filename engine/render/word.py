"""The rectification notice as a Word document (python-docx), from the same view as the HTML one.

The office sends notices as Word files, laid out after GB/T 9704 (党政机关公文格式): A4 with its
margins, body text in 三号 (16 pt) 仿宋, the title in 二号 (22 pt), and a findings table whose header
row repeats on every page. Fonts are named, not embedded: Word on the
office's machines supplies them (and substitutes its own where one is missing). A draft says so in red
above the title and in the page header, so that no page of it can pass for a notice to send.

The layout is made once per process (:func:`_layout`), since a document built from nothing costs
python-docx about 45 ms: opening its default template parses some 800 KB of styles, and saving writes
them out again, the same for every notice. The python-docx calls below make, once, the package (styles,
fonts, page set-up and, for a draft, the page header) and one pattern of each kind of paragraph, of the
table with its header row and of a table row, all with empty text. A notice copies the patterns, fills
in their text and adds its ``word/document.xml`` to a copy of the package's zip, so its XML is what the
same calls made when they built every notice, in about a millisecond.
"""
from __future__ import annotations

import io
import re
from copy import deepcopy
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement
from docx.oxml.document import CT_Document
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row, CT_Tbl
from docx.oxml.text.paragraph import CT_P
from docx.oxml.text.run import CT_R
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.table import _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from .notice import NoticeView

BODY_FONT = "仿宋"
TITLE_FONT = "黑体"
BODY_SIZE = 16  # 三号
TITLE_SIZE = 22  # 二号
TABLE_SIZE = 10.5  # 五号: five columns must fit the 15.6 cm text width
#: Widths of 序号, 问题, 位置, 依据, 整改要求 on the 15.6 cm text width.
COLUMN_WIDTHS = (Cm(1.2), Cm(4.4), Cm(3.2), Cm(3.2), Cm(3.6))
DRAFT_COLOUR = RGBColor(0xCC, 0x00, 0x00)
DRAFT_HEADER = "草稿，不得发出"
#: The part a notice writes; every other part of the package is the same for all notices.
DOCUMENT_PART = "word/document.xml"
#: What python-docx writes into a run as elements of their own (w:tab, w:br), not as text.
TAB_OR_BREAK = re.compile(r"[\t\r\n]")
RUN, ROW = qn("w:r"), qn("w:tr")


def _font(run: Run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    # Word takes Chinese text's font from eastAsia, which font.name does not set.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _paragraph(document, *, align=None, indent: bool = False, size: float = BODY_SIZE,
               font: str = BODY_FONT) -> CT_P:
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    _font(paragraph.add_run(), font, size)
    return paragraph._p


def _draft(paragraph: Paragraph, text: str = "") -> CT_P:
    run = paragraph.add_run(text)
    _font(run, TITLE_FONT, BODY_SIZE, bold=True)
    run.font.color.rgb = DRAFT_COLOUR
    return paragraph._p


def _repeat_header(row: _Row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _cell_runs(row: _Row, bold: bool = False) -> None:
    """Each cell of ``row`` at its column's width, with one empty run in the table's font."""
    for cell, width in zip(row.cells, COLUMN_WIDTHS, strict=True):
        cell.width = width
        _font(cell.paragraphs[0].add_run(), BODY_FONT, TABLE_SIZE, bold)


@dataclass(frozen=True)
class _Layout:
    """What every notice shares, and the patterns it is filled in from (see the module docstring)."""

    package: bytes  #: the zip of every part but :data:`DOCUMENT_PART`
    document: CT_Document  #: the document element, its body holding only the page set-up (``w:sectPr``)
    paragraphs: dict[str, CT_P]  #: by kind, each with one empty run, but ``blank`` with none
    table: CT_Tbl  #: the findings table with its header row, the cells' runs empty
    row: CT_Row  #: a row of the table, the cells' runs empty


@cache
def _layout(draft: bool) -> _Layout:
    """The layout of a notice, of a draft (with the page header) or not; made once per process."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    if draft:
        _draft(section.header.paragraphs[0], DRAFT_HEADER)

    paragraphs = {
        "draft": _draft(document.add_paragraph()),
        "title": _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER, size=TITLE_SIZE, font=TITLE_FONT),
        "right": _paragraph(document, align=WD_ALIGN_PARAGRAPH.RIGHT),
        "plain": _paragraph(document),
        "indent": _paragraph(document, indent=True),
        "blank": document.add_paragraph()._p,
    }
    table = document.add_table(rows=1, cols=len(COLUMN_WIDTHS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _repeat_header(table.rows[0])
    _cell_runs(table.rows[0], bold=True)
    for cell in table.rows[0].cells:
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    row = table.add_row()
    _cell_runs(row)
    row.cells[0].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    table._tbl.remove(row._tr)
    body = document.element.body
    for pattern in (*paragraphs.values(), table._tbl):
        body.remove(pattern)

    saved = io.BytesIO()
    document.save(saved)
    package = io.BytesIO()
    with ZipFile(saved) as whole, ZipFile(package, "w", compression=ZIP_DEFLATED) as shared:
        for part in whole.infolist():
            if part.filename != DOCUMENT_PART:
                shared.writestr(part, whole.read(part))
    return _Layout(package.getvalue(), document.element, paragraphs, table._tbl, row._tr)


def _write(run: CT_R, text: str) -> None:
    """``run.text = text`` for a pattern's empty run, as python-docx writes it. Its setter goes through
    the text a character at a time (half the time of a notice); a text with no tab or line break is one
    ``w:t``, made here directly as python-docx's ``CT_R.add_t`` makes it."""
    if TAB_OR_BREAK.search(text):
        run.text = text
    elif text:
        t = run.makeelement(qn("w:t"))
        t.text = text
        if len(text.strip()) < len(text):
            t.set(qn("xml:space"), "preserve")
        run.append(t)


def _filled(pattern: CT_P, text: str) -> CT_P:
    paragraph = deepcopy(pattern)
    _write(paragraph.find(RUN), text)
    return paragraph


def _table(layout: _Layout, notice: NoticeView) -> CT_Tbl:
    table = deepcopy(layout.table)
    _fill_row(table.find(ROW), notice.header)
    for row in notice.rows:
        tr = deepcopy(layout.row)
        _fill_row(tr, (str(row.number), row.problem, row.place, row.basis, row.remedy))
        table.append(tr)
    return table


def _fill_row(tr: CT_Row, values: tuple[str, ...]) -> None:
    """A pattern row has one run in each cell: ``values`` go into them in order."""
    for run, value in zip(tr.iter(RUN), values, strict=True):
        _write(run, value)


def write_notice_docx(notice: NoticeView, path: Path) -> None:
    path.write_bytes(notice_docx(notice))


def notice_docx(notice: NoticeView) -> bytes:
    """The Word file of ``notice``, for a caller that writes it itself (a worker process hands back bytes)."""
    layout = _layout(bool(notice.drafts))
    kinds = layout.paragraphs
    blocks = [_filled(kinds["draft"], line) for line in notice.drafts]
    blocks += [_filled(kinds["title"], notice.title), _filled(kinds["right"], notice.number),
               _filled(kinds["plain"], notice.addressee)]
    blocks += [_filled(kinds["indent"], text)
               for text in (notice.opening, notice.also_received, notice.follow_up) if text]
    blocks += [_table(layout, notice), _filled(kinds["indent"], notice.closing),
               _filled(kinds["indent"], notice.contact), deepcopy(kinds["blank"])]
    blocks += [_filled(kinds["right"], line) for line in (*notice.signature, notice.date)]

    document = deepcopy(layout.document)
    page_setup = document.body.sectPr
    for block in blocks:
        page_setup.addprevious(block)
    package = io.BytesIO(layout.package)
    with ZipFile(package, "a", compression=ZIP_DEFLATED) as word:
        word.writestr(DOCUMENT_PART, serialize_part_xml(document))
    return package.getvalue()

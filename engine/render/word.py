"""The rectification notice as a Word document (python-docx), from the same view as the HTML one.

The office sends notices as Word files: A4, 仿宋 body text and a 黑体 title as official letters use,
a findings table whose header row repeats on every page. Fonts are named, not embedded: Word on the
office's machines supplies them (and substitutes its own where one is missing).
"""
from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.text.run import Run

from .notice import NoticeView

BODY_FONT = "仿宋"
TITLE_FONT = "黑体"
#: Widths of 序号, 问题, 位置, 依据, 整改要求 on a 16 cm text line.
COLUMN_WIDTHS = (Cm(1.2), Cm(4.6), Cm(3.2), Cm(3.2), Cm(3.8))


def _font(run: Run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    # Word takes Chinese text's font from eastAsia, which font.name does not set.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _paragraph(document, text: str, *, align=None, indent: bool = False, size: float = 15,
               font: str = BODY_FONT, bold: bool = False):
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    _font(paragraph.add_run(text), font, size, bold)
    return paragraph


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def write_notice_docx(notice: NoticeView, path: Path) -> None:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(25), Mm(22)
    section.left_margin, section.right_margin = Mm(26), Mm(24)

    _paragraph(document, notice.title, align=WD_ALIGN_PARAGRAPH.CENTER, size=21, font=TITLE_FONT, bold=True)
    _paragraph(document, notice.number, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(document, notice.addressee)
    _paragraph(document, notice.opening, indent=True)

    table = document.add_table(rows=1, cols=len(notice.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _repeat_header(table.rows[0])
    for cell, label, width in zip(table.rows[0].cells, notice.header, COLUMN_WIDTHS, strict=True):
        cell.width = width
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(cell.paragraphs[0].add_run(label), BODY_FONT, 11, bold=True)
    for row in notice.rows:
        cells = table.add_row().cells
        values = (str(row.number), row.problem, row.place, row.basis, row.remedy)
        for cell, value, width in zip(cells, values, COLUMN_WIDTHS, strict=True):
            cell.width = width
            _font(cell.paragraphs[0].add_run(value), BODY_FONT, 11)
        cells[0].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER

    _paragraph(document, notice.closing, indent=True)
    _paragraph(document, notice.contact, indent=True)
    document.add_paragraph()
    for line in (*notice.signature, notice.date):
        _paragraph(document, line, align=WD_ALIGN_PARAGRAPH.RIGHT)
    document.save(str(path))

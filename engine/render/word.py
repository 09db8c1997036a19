"""The rectification notice as a Word document (python-docx), from the same view as the HTML one.

The office sends notices as Word files, laid out after GB/T 9704 (党政机关公文格式): A4 with its
margins, body text in 三号 (16 pt) 仿宋, the title in 二号 (22 pt), and a findings table whose header
row repeats on every page. Fonts are named, not embedded: Word on the
office's machines supplies them (and substitutes its own where one is missing). A draft says so in red
above the title and in the page header, so that no page of it can pass for a notice to send.
"""
from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
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


def _font(run: Run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    # Word takes Chinese text's font from eastAsia, which font.name does not set.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _paragraph(document, text: str, *, align=None, indent: bool = False, size: float = BODY_SIZE,
               font: str = BODY_FONT):
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    _font(paragraph.add_run(text), font, size)
    return paragraph


def _draft(paragraph, text: str) -> None:
    run = paragraph.add_run(text)
    _font(run, TITLE_FONT, BODY_SIZE, bold=True)
    run.font.color.rgb = DRAFT_COLOUR


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def write_notice_docx(notice: NoticeView, path: Path) -> None:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)

    for line in notice.drafts:
        _draft(document.add_paragraph(), line)
    if notice.drafts:
        _draft(section.header.paragraphs[0], "草稿，不得发出")
    _paragraph(document, notice.title, align=WD_ALIGN_PARAGRAPH.CENTER, size=TITLE_SIZE, font=TITLE_FONT)
    _paragraph(document, notice.number, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(document, notice.addressee)
    _paragraph(document, notice.opening, indent=True)
    if notice.also_received:
        _paragraph(document, notice.also_received, indent=True)
    if notice.follow_up:
        _paragraph(document, notice.follow_up, indent=True)

    table = document.add_table(rows=1, cols=len(notice.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _repeat_header(table.rows[0])
    for cell, label, width in zip(table.rows[0].cells, notice.header, COLUMN_WIDTHS, strict=True):
        cell.width = width
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(cell.paragraphs[0].add_run(label), BODY_FONT, TABLE_SIZE, bold=True)
    for row in notice.rows:
        cells = table.add_row().cells
        values = (str(row.number), row.problem, row.place, row.basis, row.remedy)
        for cell, value, width in zip(cells, values, COLUMN_WIDTHS, strict=True):
            cell.width = width
            _font(cell.paragraphs[0].add_run(value), BODY_FONT, TABLE_SIZE)
        cells[0].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER

    _paragraph(document, notice.closing, indent=True)
    _paragraph(document, notice.contact, indent=True)
    document.add_paragraph()
    for line in (*notice.signature, notice.date):
        _paragraph(document, line, align=WD_ALIGN_PARAGRAPH.RIGHT)
    document.save(str(path))

"""A Word document as agencies fill in the official template: a title (sometimes two lines joined by a
manual line break), paragraphs split into several runs as Word saves them, section headings in a
heading style or in bold, and sometimes numbered by a Word list (the ``一、`` is Word's, not in the
text), tables with Word's own merged cells (:mod:`.docx_table`). With track changes on, some words
were deleted or inserted (the deleted ones are still in the file). A footer may hold a PAGE field;
Word's ``_GoBack`` bookmark sits where the writer stopped.

Every cell is a cell of its own: no row is unreadable.
"""
from __future__ import annotations

import io
import random
import zipfile

from docx import Document as new_word_document
from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from ..document import Document, Prose
from ..grid import GridTable
from .docx_table import W, Revisions, run_xml, runs, write_table
from .files import RenderedFile

BLANK_RATE = 0.3
#: Section numbers as Word's "chineseCounting" list format draws them.
_COUNTING = "一二三四五六七八九十"
#: The list the headings are numbered with (ids clear of the template's own lists).
_HEADING_LIST = 90
#: Footer texts around the PAGE field (None).
_PAGE = (["- ", None, " -"], ["第", None, "页"], [None])


def restamped(data: bytes) -> bytes:
    """A zip package with every member dated 1980-01-01, in the same order: python-docx stamps members
    with the time of writing, and the same spec must always give the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(zipfile.ZipInfo(member.filename), source.read(member), zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _elements(xml: str) -> list:
    """WordprocessingML written as text (runs, changes, fields, bookmarks), as elements to place."""
    return list(parse_xml(f"<w:p {W}>{xml}</w:p>"))


def _append(paragraph: Paragraph, xml: str) -> None:
    for element in _elements(xml):
        paragraph._p.append(element)


def _add_runs(paragraph: Paragraph, text: str, rng: random.Random, revisions: Revisions | None = None, *,
              bold: bool = False, size: float | None = None) -> None:
    """``text`` as a few runs; with track changes on, perhaps one of them inserted and a few words
    deleted after another."""
    for part in runs(text, rng):
        run = paragraph.add_run(part)
        run.bold = bold or None
        if size:
            run.font.size = Pt(size)
        if revisions and rng.random() < 0.15:
            start = rng.randrange(len(text))
            run._r.addnext(_elements(revisions.deleted(text[start:start + rng.randint(2, 6)]))[0])
        elif revisions and rng.random() < 0.1:
            inserted = _elements(revisions.inserted(""))[0]
            run._r.addprevious(inserted)
            inserted.append(run._r)


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


def _numbered_headings(word: WordDocument, document: Document, rng: random.Random) -> bool:
    """Whether the headings are numbered by a Word list, as Word makes of headings typed ``一、…``: only
    where the written numbers run 一, 二, 三 … without a gap, since Word counts on regardless. The list
    puts a tab after the number (Word's default) or nothing."""
    headings = [b.text for b in document.blocks if isinstance(b, Prose) and b.kind == "heading"]
    if [h.partition("、")[0] for h in headings] != list(_COUNTING[:len(headings)]) or rng.random() < 0.6:
        return False
    suffix = rng.choice(['<w:suff w:val="nothing"/>', ""])
    numbering = word.part.numbering_part.element
    abstract = parse_xml(f'<w:abstractNum {W} w:abstractNumId="{_HEADING_LIST}"><w:multiLevelType w:val="singleLevel"/>'
                         f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>{suffix}'
                         '<w:lvlText w:val="%1、"/><w:lvlJc w:val="left"/></w:lvl></w:abstractNum>')
    lists = numbering.findall(qn("w:num"))
    if lists:
        lists[0].addprevious(abstract)  # every w:abstractNum comes before the first w:num
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num {W} w:numId="{_HEADING_LIST}"><w:abstractNumId w:val="{_HEADING_LIST}"/>'
                               '</w:num>'))
    return True


def _heading(word: WordDocument, text: str, rng: random.Random, style: bool, numbered: bool) -> None:
    if numbered:
        text = text.partition("、")[2]
    paragraph = word.add_heading("", level=2) if style else word.add_paragraph()
    _add_runs(paragraph, text, rng, bold=not style, size=None if style else 16)
    if numbered:
        numbers = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        numbers.get_or_add_ilvl().val = 0
        numbers.get_or_add_numId().val = _HEADING_LIST


def _paragraph(word: WordDocument, text: str, rng: random.Random, revisions: Revisions | None) -> None:
    paragraph = word.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(32)
    _add_runs(paragraph, text, rng, revisions, size=16)


def _go_back(word: WordDocument, rng: random.Random) -> None:
    """Word's bookmark at the last edit, inside some paragraph."""
    _append(rng.choice(word.paragraphs), '<w:bookmarkStart w:id="0" w:name="_GoBack"/><w:bookmarkEnd w:id="0"/>')


def _page_numbers(word: WordDocument, rng: random.Random) -> None:
    """A footer with the page number as a PAGE field (complex or simple, as Word and WPS write it)."""
    paragraph = word.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    simple = rng.random() < 0.5
    for part in rng.choice(_PAGE):
        if part is not None:
            paragraph.add_run(part)
        elif simple:
            _append(paragraph, f'<w:fldSimple w:instr=" PAGE ">{run_xml("1")}</w:fldSimple>')
        else:
            _append(paragraph, '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                               '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
                               f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>{run_xml("1")}'
                               '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def render(document: Document, rng: random.Random) -> RenderedFile:
    word = new_word_document()
    heading_style = rng.random() < 0.4
    revisions = Revisions() if rng.random() < 0.3 else None
    numbered = _numbered_headings(word, document, rng)
    _title(word, [b.text for b in document.blocks if isinstance(b, Prose) and b.kind == "title"], rng)
    for block in document.blocks:
        if isinstance(block, GridTable):
            write_table(word, block, rng, revisions)
        elif block.kind == "heading":
            _heading(word, block.text, rng, heading_style, numbered)
        elif block.kind != "title":
            _paragraph(word, block.text, rng, revisions)
    if document.spec.style.markers:
        _go_back(word, rng)
    if rng.random() < 0.6:
        _page_numbers(word, rng)
    out = io.BytesIO()
    word.save(out)
    return RenderedFile(restamped(out.getvalue()), ".docx")

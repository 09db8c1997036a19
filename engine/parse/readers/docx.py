"""Word (.docx): paragraphs and tables in document order, as Word shows them with changes accepted.

The document's XML is read directly (lxml) rather than through python-docx's table API, because
python-docx gives a merged cell's text in every grid position it covers (``row.cells`` repeats a
``gridSpan`` or ``vMerge`` cell), which would write one value into several cells of 表三. Here a merged
cell is one :class:`~.grid.Span`, and :func:`~.grid.resolve` makes the true grid of it.

What counts as the text:

- The list numbers Word draws (``一、``, ``1.``: :mod:`.docx_numbering`), then ``w:t`` of runs;
  ``w:tab`` is a tab where a paragraph is a table row typed with tab stops (its fields after the first
  are numbers: the tab layout, as Word's own text export writes it), else a space (联系电话：→0517-…
  stays a sentence), and a space inside a cell;
  ``w:br``/``w:cr`` end a line of a paragraph (a title or one contact detail per line), while inside a
  cell the pieces of a wrapped label are joined; ``w:sym`` is its character, ``w:noBreakHyphen`` a hyphen.
- Fields: the result Word shows, never the instruction; page numbers (PAGE, NUMPAGES) are no content.
- Tracked changes accepted: insertions kept, deletions and text moved away dropped, a deleted table row
  gone, a paragraph whose mark was deleted joined to the next.
- Text boxes are read once, as paragraphs after the one they are anchored in: of an
  ``mc:AlternateContent`` only the first choice is read, since its fallback holds the same text again.
- A table of one column is a frame around content (a page laid out in one cell): its content is read as
  if it stood outside. A table inside a cell is a table of its own, read after the table holding it.
- Headers come before the body and footers after it, each distinct paragraph once (first-page, odd and
  even headers repeat each other); a paragraph holding a page-number field is left out.
- Pictures and embedded objects in the body cannot be read: the Document notes where they are, so that
  a 表三 pasted as a picture is reported as unread, not taken for a report without 表三 (a logo in a
  header is not worth a note).

Places: ``第5段`` counts the paragraphs with content, ``表格2第4行`` the tables from the top and the rows of
each, as an agency counts them in Word; headers and footers are ``页眉第1段`` and ``页脚第1段``.
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from ..values import is_blank, parse_number
from .base import Document, NotReadable, SourceLine, row_text
from .docx_kind import DAMAGED, MAIN_PART
from .docx_numbering import Numbering
from .grid import Span, resolve
from .wordml import MC, R, W, child, value

TOO_LARGE = "Word 文件中的正文过大（超过 64 MB），无法读取，请检查文件后再提交"
#: The largest XML part read: real reports are well under 5 MB, a zip bomb is not.
MAX_PART = 64 << 20

_PICTURES = {"{http://schemas.openxmlformats.org/drawingml/2006/main}blip",
             "{urn:schemas-microsoft-com:vml}imagedata", "{urn:schemas-microsoft-com:office:office}OLEObject"}
#: Elements that wrap paragraphs, rows or cells without changing what they hold (content controls).
_WRAPPERS = {W + "sdt", W + "sdtContent", W + "customXml"}
#: Elements whose content is not text Word shows: properties, deleted or moved-away text, ruby
#: annotations over the base text.
_HIDDEN = {W + "pPr", W + "rPr", W + "del", W + "moveFrom", W + "rt", W + "instrText", W + "delText",
           W + "sdtPr", W + "sdtEndPr"}
_PAGE_FIELDS = {"PAGE", "NUMPAGES", "SECTIONPAGES"}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True)
#: Two pieces of a wrapped cell are joined without a space, unless both sides are Latin letters or
#: digits (``12`` and ``34`` are two numbers, never ``1234``).
_ASCII_WORD = re.compile(r"[0-9A-Za-z]")


@dataclass
class _Field:
    instruction: str = ""
    result: bool = False

    @property
    def page_number(self) -> bool:
        words = self.instruction.split()
        return bool(words) and words[0].upper() in _PAGE_FIELDS


@dataclass
class _Paragraph:
    lines: list[str]
    pictures: int = 0
    page_number: bool = False


@dataclass
class _Table:
    number: int
    rows: list[list[Span]]
    pictures: list[int]


@dataclass
class _Cell:
    column: int
    columns: int
    text: str
    continues: bool = False  # vMerge continue: this cell is covered by the cell above
    rows: int = 1


@dataclass
class _Runs:
    """What one paragraph's runs give: its lines so far, text boxes, pictures, page-number fields."""

    lines: list[list[str]] = field(default_factory=lambda: [[]])
    boxes: list[etree._Element] = field(default_factory=list)
    pictures: int = 0
    page_number: bool = False


class _Part:
    """One XML part (the body, a header, a footer), walked in document order. Fields can open in one
    paragraph and close in another, and tables are numbered from the top, so both are counted here."""

    def __init__(self, numbering: Numbering) -> None:
        self.numbering = numbering
        self.fields: list[_Field] = []
        self.tables = 0

    def blocks(self, container: etree._Element) -> Iterator[_Paragraph | _Table]:
        carried: _Paragraph | None = None  # a paragraph whose mark was deleted: it runs on into the next
        for node in container:
            if node.tag == W + "p":
                paragraph, boxes = self._paragraph(node)
                if carried is not None:
                    paragraph = _joined(carried, paragraph)
                    carried = None
                if _mark_deleted(node):
                    carried = paragraph
                else:
                    yield paragraph
                for box in boxes:
                    yield from self.blocks(box)
                continue
            if carried is not None:
                yield carried
                carried = None
            if node.tag == W + "tbl":
                yield from self._table(node)
            elif node.tag in _WRAPPERS:
                yield from self.blocks(node)
            elif node.tag == MC + "AlternateContent":
                yield from self.blocks(_branch(node))
        if carried is not None:
            yield carried

    def _paragraph(self, element: etree._Element) -> tuple[_Paragraph, list[etree._Element]]:
        runs = _Runs()
        runs.lines[0].append(self.numbering.label(element))
        self._inline(element, runs)
        lines = [_tabs(text) for text in ("".join(pieces).strip() for pieces in runs.lines) if text]
        return _Paragraph(lines, runs.pictures, runs.page_number), runs.boxes

    def _visible(self) -> bool:
        return all(f.result and not f.page_number for f in self.fields)

    def _inline(self, element: etree._Element, runs: _Runs) -> None:
        for node in element:
            tag = node.tag
            if tag in _HIDDEN:
                if tag == W + "instrText" and self.fields:
                    self.fields[-1].instruction += node.text or ""
            elif tag == W + "t":
                if self._visible():
                    runs.lines[-1].append(node.text or "")
            elif tag in (W + "tab", W + "br", W + "cr", W + "sym", W + "noBreakHyphen"):
                if self._visible():
                    _special(node, runs)
            elif tag == W + "fldChar":
                self._field_char(node.get(W + "fldCharType"), runs)
            elif tag == W + "fldSimple":
                self.fields.append(_Field(node.get(W + "instr") or "", result=True))
                self._inline(node, runs)
                runs.page_number |= self.fields.pop().page_number
            elif tag == MC + "AlternateContent":
                self._inline(_branch(node), runs)
            elif tag == W + "txbxContent":
                runs.boxes.append(node)
            elif tag in _PICTURES:
                runs.pictures += 1
            else:
                self._inline(node, runs)

    def _field_char(self, kind: str | None, runs: _Runs) -> None:
        if kind == "begin":
            self.fields.append(_Field())
        elif kind == "separate" and self.fields:
            self.fields[-1].result = True
        elif kind == "end" and self.fields:
            runs.page_number |= self.fields.pop().page_number

    def _table(self, element: etree._Element) -> Iterator[_Paragraph | _Table]:
        trs = [tr for tr in _children(element, W + "tr") if child(tr, W + "trPr", W + "del") is None]
        rows = [list(_children(tr, W + "tc")) for tr in trs]
        if all(len(cells) <= 1 for cells in rows):  # a frame: its content as if it stood outside
            for cells in rows:
                for cell in cells:
                    yield from self.blocks(cell)
            return
        self.tables += 1
        number = self.tables
        grid: list[list[_Cell]] = []
        pictures: list[int] = []
        inner: list[_Paragraph | _Table] = []
        for tr, cells in zip(trs, rows):
            row, count = self._row(tr, cells, inner)
            grid.append(row)
            pictures.append(count)
        yield _Table(number, _spans(grid), pictures)
        yield from inner

    def _row(self, tr: etree._Element, cells: list[etree._Element],
             inner: list[_Paragraph | _Table]) -> tuple[list[_Cell], int]:
        column = _number(value(tr, W + "trPr", W + "gridBefore"), 0)
        row: list[_Cell] = [_Cell(0, column, "")] if column else []
        pictures = 0
        for tc in cells:
            lines: list[str] = []
            for block in self.blocks(tc):
                if isinstance(block, _Paragraph):
                    lines += block.lines
                    pictures += block.pictures
                else:
                    inner.append(block)
            text = _join_wrapped(line.replace("\t", " ") for line in lines)
            properties = child(tc, W + "tcPr")
            found = {node.tag: node for node in properties} if properties is not None else {}
            width = max(1, _number(value(found.get(W + "gridSpan")), 1))
            merge = found.get(W + "vMerge")
            across = found.get(W + "hMerge")  # Word 97's horizontal merge, kept by some converters
            if across is not None and across.get(W + "val") != "restart" and row:
                row[-1].columns += width
                row[-1].text = _join_wrapped([row[-1].text, text])
            else:
                row.append(_Cell(column, width, text, merge is not None and merge.get(W + "val") != "restart"))
            column += width
        return row, pictures


def _tabs(line: str) -> str:
    """A paragraph's line as the parser should see its tabs. Where every field after the first is a
    number or a blank mark, the tabs separate the cells of a table typed with tab stops, kept as Word's
    text export writes them (the tab layout); elsewhere they only aligned text (联系电话：→0517-…, a
    signature and its date) and are a space, so the line stays prose."""
    if "\t" not in line:
        return line
    fields = [field.strip() for field in line.split("\t")]
    values = [field for field in fields[1:] if field]
    numbers = [field for field in values if parse_number(field) is not None]
    if numbers and all(parse_number(field) is not None or is_blank(field) for field in values):
        return line
    return " ".join(field for field in fields if field)


def _special(element: etree._Element, runs: _Runs) -> None:
    """A tab, line break, symbol or non-breaking hyphen in a run."""
    tag = element.tag
    if tag == W + "tab":
        runs.lines[-1].append("\t")
    elif tag in (W + "br", W + "cr"):
        runs.lines.append([])
    elif tag == W + "sym":
        code = element.get(W + "char") or ""
        if re.fullmatch(r"[0-9A-Fa-f]{1,6}", code) and int(code, 16) <= 0x10FFFF:
            runs.lines[-1].append(chr(int(code, 16)))
    else:
        runs.lines[-1].append("-")


def _mark_deleted(paragraph: etree._Element) -> bool:
    """Whether the paragraph's mark is a tracked deletion (``w:pPr/w:rPr/w:del``; ``w:pPr`` is the first
    child when there is one, as the schema orders it)."""
    properties = next(iter(paragraph), None)
    if properties is None or properties.tag != W + "pPr":
        return False
    return child(properties, W + "rPr", W + "del") is not None


def _branch(alternate: etree._Element) -> etree._Element:
    """The one branch of an ``mc:AlternateContent`` that is read: the first choice, else the fallback."""
    choice = child(alternate, MC + "Choice")
    if choice is None:
        choice = child(alternate, MC + "Fallback")
    return choice if choice is not None else etree.Element("none")


def _joined(first: _Paragraph, second: _Paragraph) -> _Paragraph:
    """Two paragraphs as one, where the mark between them was deleted."""
    if first.lines and second.lines:
        lines = [*first.lines[:-1], first.lines[-1] + second.lines[0], *second.lines[1:]]
    else:
        lines = first.lines + second.lines
    return _Paragraph(lines, first.pictures + second.pictures, first.page_number or second.page_number)


def _join_wrapped(pieces) -> str:
    text = ""
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        if text and _ASCII_WORD.match(text[-1]) and _ASCII_WORD.match(piece[0]):
            text += " "
        text += piece
    return text


def _children(element: etree._Element, tag: str) -> Iterator[etree._Element]:
    """``tag`` children of ``element``, also those inside content controls."""
    for node in element:
        if node.tag == tag:
            yield node
        elif node.tag in _WRAPPERS:
            yield from _children(node, tag)


def _number(text: str | None, default: int) -> int:
    """A count of grid columns as written (at most 1000: a damaged file cannot ask for a million)."""
    return min(int(text), 1000) if text and text.isdigit() else default


def _spans(grid: list[list[_Cell]]) -> list[list[Span]]:
    """Rows of cells → rows of spans. A vMerge continuation adds a row to the cell above it in the same
    grid column (its text, if any, joins that cell's); one that has nothing above it is a cell."""
    above: dict[int, _Cell] = {}
    kept: list[list[_Cell]] = []
    for row in grid:
        here: dict[int, _Cell] = {}
        out = []
        for cell in row:
            start = above.get(cell.column)
            if cell.continues and start is not None and start.columns == cell.columns:
                start.rows += 1
                start.text = _join_wrapped([start.text, cell.text])
                here[cell.column] = start
                continue
            out.append(cell)
            here[cell.column] = cell
        above = here
        kept.append(out)
    return [[Span(c.text, c.rows, c.columns) for c in row] for row in kept]


def _xml(archive: zipfile.ZipFile, name: str) -> etree._Element:
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise NotReadable(DAMAGED) from None
    if info.file_size > MAX_PART:
        raise NotReadable(TOO_LARGE)
    try:
        return etree.fromstring(archive.read(info), _PARSER)
    except (etree.XMLSyntaxError, zipfile.BadZipFile, EOFError, ValueError, OSError, RuntimeError,
            NotImplementedError):
        raise NotReadable(DAMAGED) from None


def _relations(archive: zipfile.ZipFile) -> dict[str, tuple[str, str]]:
    """The main part's relationships inside the package: id → (type, part name)."""
    name = "word/_rels/document.xml.rels"
    if name not in archive.namelist():
        return {}
    out = {}
    for relation in _xml(archive, name):
        target = relation.get("Target") or ""
        if target and relation.get("TargetMode") != "External":
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"word/{target}")
            out[relation.get("Id") or ""] = ((relation.get("Type") or "").rsplit("/", 1)[-1], part)
    return out


def _related(archive: zipfile.ZipFile, relations: dict[str, tuple[str, str]], kind: str) -> etree._Element | None:
    """The part of one kind (numbering, styles) the document relates to, if it has one."""
    name = next((part for k, part in relations.values() if k == kind and part in archive.namelist()), None)
    return _xml(archive, name) if name else None


def _referenced(archive: zipfile.ZipFile, relations: dict[str, tuple[str, str]], root: etree._Element,
                reference: str) -> list[str]:
    """The header (or footer) parts the sections refer to, in the order they are referred to."""
    found: list[str] = []
    for element in root.iter(W + reference):
        part = relations.get(element.get(R + "id") or "", ("", ""))[1]
        if part and part not in found and part in archive.namelist():
            found.append(part)
    return found


@dataclass
class _Lines:
    """Source lines as they are numbered, and the places of pictures found on the way."""

    lines: list[SourceLine] = field(default_factory=list)
    pictures: list[str] = field(default_factory=list)

    def add(self, blocks: Iterator[_Paragraph | _Table], prefix: str = "", once: bool = False) -> None:
        """``once``: a header or footer, where a repeated paragraph and page numbers are left out."""
        paragraph = 0
        seen = {line.text for line in self.lines} if once else set()
        for block in blocks:
            if isinstance(block, _Table):
                for number, cells in enumerate(resolve(block.rows), start=1):
                    place = f"{prefix}表格{block.number}第{number}行"
                    self.lines.append(SourceLine(row_text(cells), place, cells))
                    if block.pictures[number - 1]:
                        self.pictures.append(place)
                continue
            if once and (block.page_number or all(line in seen for line in block.lines)):
                continue
            if block.lines or block.pictures:
                paragraph += 1
                place = f"{prefix}第{paragraph}段"
                self.lines += [SourceLine(text, place) for text in block.lines]
                seen.update(block.lines)
                if block.pictures and not once:
                    self.pictures.append(place)


def docx_document(data: bytes, kind: str = "Word") -> Document:
    """The Document of a .docx file; :class:`NotReadable` when it is damaged."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, ValueError, OSError):
        raise NotReadable(DAMAGED) from None
    with archive:
        root = _xml(archive, MAIN_PART)
        body = child(root, W + "body")
        if body is None:
            raise NotReadable(DAMAGED)
        relations = _relations(archive)
        numbering = _related(archive, relations, "numbering")  # styles matter only to numbered lists
        lists = (numbering, _related(archive, relations, "styles") if numbering is not None else None)
        out, footers = _Lines(), _Lines()
        for name in _referenced(archive, relations, root, "headerReference"):
            out.add(_Part(Numbering(*lists)).blocks(_xml(archive, name)), "页眉", once=True)
        out.add(_Part(Numbering(*lists)).blocks(body))
        for name in _referenced(archive, relations, root, "footerReference"):
            footers.add(_Part(Numbering(*lists)).blocks(_xml(archive, name)), "页脚", once=True)
    notes = []
    if out.pictures:
        notes.append(f"{'、'.join(out.pictures)}有图片或嵌入对象，其中的文字未能读取；"
                     "如有统计表格或文字以图片形式插入，请人工核对")
    return Document(kind, out.lines + footers.lines, notes)


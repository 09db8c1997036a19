"""Each page of a PDF as the layout in :mod:`.pdf` reads it: its characters and its ruled tables' cells.

PDFium (pypdfium2, already installed with pdfplumber) interprets the pages: it is C++, where pdfminer's
pure-Python interpretation cost 120 ms a page against a target of 150 ms for a 6-page report. What it
gives is put in pdfplumber's terms, which the layout was written and checked against:

- a character: ``text``, ``size`` and pdfminer's box ``x0``, ``x1``, ``top``, ``bottom`` (points from
  the page's top left): from the pen's position the advance of the character's code wide, from the
  font's descent its size high; in the order the page draws them (PDFium moves some text objects of
  a line ahead of others; they are put back). PDFium's own boxes are not pdfminer's (its "loose" box
  also takes in the glyph's ink, and falls back to the ink alone for fonts it has no metrics of);
  where the loose box shows the advance, it must agree. A glyph its font maps to no character
  becomes :data:`UNKNOWN`. A character of vertical writing (a vertical CMap, as Word writes a table
  cell's text top to bottom) is put in pdfminer's box of it likewise (:func:`_in_column`);
- the table cells: the page's painted paths turned into pdfplumber's edges as pdfminer and
  pdfplumber turn them (a path split at each move; one segment is a line, four closing on a square a
  rectangle with four edges, anything else a curve whose segments are edges), then pdfplumber's own
  table finder on those edges (its cell search made faster, see :func:`_cells`).

PDFium is called through bare ctypes prototypes (:func:`_bare`): a 6-page report makes some 25,000
calls, and ctypes' checking of each argument cost as much as the call.

A page whose positions were not checked against pdfplumber's — turned by /Rotate, a media box not at
the origin, a crop box, text turned, mirrored, raised, or written vertically and stretched, a
character whose width cannot be found, a text object of which PDFium's text page gives no character
— is read with pdfplumber instead: slower, and the same. (PDFium's text page leaves out a text object
whose box it finds zero wide, as it finds the second line of a cell written ``T*`` then ``Td`` in one
text block, which reportlab writes; pdfminer reads its characters: such a page is pdfminer's to read,
not one with words silently gone.) The file's structure is checked first (:mod:`.pdf_check`), as
PDFium repairs damage silently.
"""
from __future__ import annotations

import ctypes
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as raw
from pdfplumber.table import TableFinder, TableSettings, cells_to_tables, edges_to_intersections
from pdfplumber.utils import obj_to_bbox
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from .base import NotReadable
from .pdf_check import PageBox, check
from .pdf_reasons import DAMAGED, ENCRYPTED, UNKNOWN

#: What pdfminer gives for a glyph its font does not map to a character.
_UNMAPPED = re.compile(r"\(cid:\d+\)")
#: Points within which two positions PDFium gives for one character are the same.
_SAME = 0.01
#: Line breaks, and nothing: PDFium's, never a character drawn.
_BREAKS = frozenset({0, 0x0A, 0x0D})
#: The objects whose own transformation is read: paths are turned into edges, forms hold objects.
_PLACED = frozenset({raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM})
Box = tuple[float, float, float, float]


@dataclass
class PageContent:
    """One page read: its number from 1, its height, its characters and tables (empty without text)."""

    number: int
    height: float
    chars: list[dict]
    tables: list[list[Box]]  # each table's cell boxes (x0, top, x1, bottom)


class _Unchecked(Exception):
    """The page holds what PDFium's positions were not checked against: pdfplumber reads it."""


class _Handle(ctypes.c_void_p):
    """A PDFium object as its functions give it: passed back as it is, its address its ``value``."""


def _bare(function: ctypes._CFuncPtr, restype: type = ctypes.c_int) -> ctypes._CFuncPtr:
    """``function`` of pypdfium2.raw without its argument types: ctypes checking and converting every
    argument costs as much as the call, and the reading makes some seven calls a character. Arguments
    are passed as they are: handles, ints, ``ctypes.byref`` of a value reused call after call."""
    bare = type(function)(ctypes.cast(function, ctypes.c_void_p).value)
    bare.restype = restype
    return bare


_unicode, _generated = _bare(raw.FPDFText_GetUnicode, ctypes.c_uint), _bare(raw.FPDFText_IsGenerated)
_unmapped, _char_matrix = _bare(raw.FPDFText_HasUnicodeMapError), _bare(raw.FPDFText_GetMatrix)
_origin, _font_size = _bare(raw.FPDFText_GetCharOrigin), _bare(raw.FPDFText_GetFontSize, ctypes.c_double)
_text_object, _font_of = _bare(raw.FPDFText_GetTextObject, ctypes.c_void_p), _bare(raw.FPDFTextObj_GetFont, _Handle)
_width_of, _descent_of = _bare(raw.FPDFFont_GetGlyphWidth), _bare(raw.FPDFFont_GetDescent)
_loose_box, _ink_box = _bare(raw.FPDFText_GetLooseCharBox), _bare(raw.FPDFText_GetCharBox)
_object_at, _form_object_at = _bare(raw.FPDFPage_GetObject, _Handle), _bare(raw.FPDFFormObj_GetObject, _Handle)
_object_type, _object_matrix = _bare(raw.FPDFPageObj_GetType), _bare(raw.FPDFPageObj_GetMatrix)
_draw_mode, _segments = _bare(raw.FPDFPath_GetDrawMode), _bare(raw.FPDFPath_CountSegments)
_segment_at, _point = _bare(raw.FPDFPath_GetPathSegment, _Handle), _bare(raw.FPDFPathSegment_GetPoint)
_segment_type, _closes = _bare(raw.FPDFPathSegment_GetType), _bare(raw.FPDFPathSegment_GetClose)
_form_objects = _bare(raw.FPDFFormObj_CountObjects)


def _chars(page: ctypes.c_void_p, height: float, drawn: dict[int, int]) -> list[dict]:
    """The page's characters, as the module says. PDFium puts some text objects of a line before
    others; ``drawn`` (each text object's rank in the page's drawing order) puts them back. A text
    object's font, a font's descent at a size and a code's width are asked for once."""
    x, y, ink_left, ink_right, ink_bottom, ink_top = (ctypes.c_double() for _ in range(6))
    advance, descent, matrix, loose = ctypes.c_float(), ctypes.c_float(), raw.FS_MATRIX(), raw.FS_RECTF()
    at_x, at_y, at_advance, at_descent, at_matrix, at_loose = map(ctypes.byref, (x, y, advance, descent, matrix, loose))
    at_ink = tuple(map(ctypes.byref, (ink_left, ink_right, ink_bottom, ink_top)))
    fonts: dict[int, _Handle] = {}
    widths: dict[tuple[int, int, float], float | None] = {}
    descents: dict[tuple[int, float], float | None] = {}
    chars, order = [], []
    for index in range(raw.FPDFText_CountChars(page)):
        code = _unicode(page, index)
        if code in _BREAKS or code == 0x20 and _generated(page, index):
            continue  # what PDFium adds between what it takes for words and lines, or nothing
        _char_matrix(page, index, at_matrix)
        if matrix.b or matrix.c or matrix.a <= 0 or matrix.d <= 0:
            raise _Unchecked  # turned or mirrored
        _origin(page, index, at_x, at_y)
        size = _font_size(page, index)
        obj = _text_object(page, index)
        font = fonts[obj] if obj in fonts else fonts.setdefault(obj, _font_of(_Handle(obj)))
        key, glyph = (font.value, size), (font.value, code, size)
        if glyph not in widths:
            widths[glyph] = advance.value if _width_of(font, code, ctypes.c_float(size), at_advance) else None
        if (width := widths[glyph]) is None:
            raise _Unchecked  # no width for the character
        _loose_box(page, index, at_loose)
        if width < 0:  # written vertically: the width is the advance down the column
            char = _in_column(x.value, y.value, size, width, matrix, loose, height)
        else:
            if abs(y.value - matrix.f) > _SAME:
                raise _Unchecked  # off the baseline PDFium gives
            if key not in descents:
                descents[key] = descent.value if _descent_of(font, ctypes.c_float(size), at_descent) else None
            if descents[key] is None:
                raise _Unchecked  # no descent for the font
            left, right = x.value, x.value + width * matrix.a
            if abs(loose.right - right) > _SAME:  # not the advance: allowed where it is the ink box alone
                _ink_box(page, index, *at_ink)
                if loose.right > ink_right.value + _SAME:
                    raise _Unchecked  # the width found by the character is not the one its code has
            baseline = height - y.value - descents[key] * matrix.d
            char = {"size": size * matrix.d, "x0": left, "x1": right,
                    "top": baseline - size * matrix.d, "bottom": baseline}
        char["text"] = UNKNOWN if _unmapped(page, index) == 1 else chr(code)
        chars.append(char)
        order.append(drawn[obj])
    if len(set(order)) < len(drawn):
        raise _Unchecked  # a text object PDFium's text page left out (see the module docstring)
    return [char for _rank, _index, char in sorted(zip(order, range(len(chars)), chars))]


def _in_column(x: float, y: float, size: float, advance: float, matrix: raw.FS_MATRIX, loose: raw.FS_RECTF,
               height: float) -> dict:
    """A character of vertical writing (a table cell's text written top to bottom: a CJK font's
    vertical CMap, each character upright below the last) in pdfminer's box: ``size`` wide, centred on the pen
    (pdfminer takes the glyph's position vector at half the size across, where the font gives none),
    from the top of the position vector down by the vertical ``advance`` (negative), its size the width.

    PDFium's loose box of such a character is in font units times the font size, the page's scale
    left out: from the pen less the position vector, less 500 across (nothing where it is pdfminer's
    half) and one size wide, down by the advance of the character's own code. Where it or the pen
    PDFium gives disagree with that (a position vector not at half, an advance not the one the width
    lookup found, the pen not the matrix's less the position vector) or the text is stretched (``Tz``,
    which pdfminer applies to the advance and PDFium to the matrix), :class:`_Unchecked`. Raised text
    (``Ts``) is raised alike in PDFium's matrix and pen, as pdfminer raises it."""
    vy = loose.top - y
    if abs(loose.left - x) > _SAME or abs(loose.bottom - loose.top - advance) > _SAME \
            or abs(matrix.a - matrix.d) > _SAME * matrix.d or abs(matrix.e - x - size * matrix.a / 2) > _SAME \
            or abs(matrix.f - y - vy * matrix.d) > _SAME:
        raise _Unchecked
    top = height - matrix.f - (size - vy) * matrix.d
    return {"size": size * matrix.a, "x0": x, "x1": x + size * matrix.a, "top": top, "bottom": top - advance * matrix.d}


def _matrix(obj: _Handle) -> tuple[float, ...]:
    matrix = raw.FS_MATRIX()
    _object_matrix(obj, ctypes.byref(matrix))
    return (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)


def _then(first: tuple[float, ...], second: tuple[float, ...]) -> tuple[float, ...]:
    """The transformation ``first`` followed by ``second``."""
    a, b, c, d, e, f = first
    a2, b2, c2, d2, e2, f2 = second
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _drawn(page: ctypes.c_void_p) -> Iterator[tuple[_Handle, int, tuple[float, ...]]]:
    """The page's objects in the order it draws them, a form's own in its place, each with its type
    and, for a path or a form, its transformation to page space (a form's objects are in its own)."""
    def walk(container: ctypes.c_void_p, form: bool, outer: tuple[float, ...]) -> Iterator:
        count = _form_objects(container) if form else raw.FPDFPage_CountObjects(container)
        for index in range(count):
            obj = _form_object_at(container, index) if form else _object_at(container, index)
            kind = _object_type(obj)
            matrix = _then(_matrix(obj), outer) if kind in _PLACED else outer
            yield obj, kind, matrix
            if kind == raw.FPDF_PAGEOBJ_FORM:
                yield from walk(obj, True, matrix)
    yield from walk(page, False, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))


def _painted(path: _Handle) -> bool:
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    _draw_mode(path, ctypes.byref(fill), ctypes.byref(stroke))
    return bool(fill.value or stroke.value)


def _subpaths(path: _Handle, matrix: tuple[float, ...]) -> Iterator[tuple[str, list]]:
    """The path's pieces as pdfminer paints them: each from a move, its shape (``m``, ``l``, ``c``,
    ``h`` for a close) and one point per operation (a curve's end, a close's start), in page space."""
    a, b, c, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    at_x, at_y = ctypes.byref(x), ctypes.byref(y)
    shape, points, bezier = "", [], 0
    for index in range(_segments(path)):
        segment = _segment_at(path, index)
        _point(segment, at_x, at_y)
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        kind = _segment_type(segment)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            if shape:
                yield shape, points
            shape, points = "m", [point]
        elif kind == raw.FPDF_SEGMENT_BEZIERTO:
            bezier = (bezier + 1) % 3
            if bezier == 0:  # control points first, the curve's end third
                shape, points = shape + "c", [*points, point]
        else:
            shape, points = shape + "l", [*points, point]
        if _closes(segment) and shape:
            shape, points = shape + "h", [*points, points[0]]
    if shape:
        yield shape, points


def _edges(paths: list[tuple[_Handle, tuple[float, ...]]], height: float) -> list[dict]:
    """pdfplumber's ``page.edges``: those of lines, then of rectangles, then of curves."""
    lines, rects, curves = [], [], []
    for path, matrix in paths:
        for shape, points in _subpaths(path, matrix):
            if len(shape) > 3 and shape[-2:] == "lh" and points[-2] == points[0]:
                shape, points = shape[:-2] + "h", points[:-2] + points[-1:]
            flipped = [(px, height - py) for px, py in points]
            if shape in ("ml", "mlh"):
                edge = _box(flipped[:2])
                lines.append({**edge, "orientation": "h" if edge["top"] == edge["bottom"] else "v",
                              "object_type": "line"})
            elif shape in ("mlllh", "mllll") and points[0] == points[4] and _square(points):
                rects += _rect_edges(_box([flipped[0], flipped[2]]))
            elif shape[:1] == "m":
                curves += [{**_box([p0, p1]), "object_type": "curve_edge",
                            "orientation": "v" if p0[0] == p1[0] else "h" if p0[1] == p1[1] else None}
                           for p0, p1 in zip(flipped, flipped[1:])]
    return lines + rects + curves


def _square(points: list[tuple[float, float]]) -> bool:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points[:4]
    return (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)


def _box(points: list[tuple[float, float]]) -> dict:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return {"x0": min(xs), "x1": max(xs), "top": min(ys), "bottom": max(ys),
            "width": max(xs) - min(xs), "height": max(ys) - min(ys)}


def _rect_edges(rect: dict) -> list[dict]:
    """pdfplumber's four edges of a rectangle: top, bottom, left, right."""
    edge = {**rect, "object_type": "rect_edge"}
    return [{**edge, "height": 0, "bottom": rect["top"], "orientation": "h"},
            {**edge, "height": 0, "top": rect["bottom"], "orientation": "h"},
            {**edge, "width": 0, "x1": rect["x0"], "orientation": "v"},
            {**edge, "width": 0, "x0": rect["x1"], "orientation": "v"}]


@dataclass
class _Finder:
    """What pdfplumber's table finder reads of itself and a page to find its edges: its default settings
    (ruling lines) and the page's edges."""

    page: _Edges
    settings: TableSettings


@dataclass
class _Edges:
    edges: list[dict]


def _tables(edges: list[dict]) -> list[list[Box]]:
    """pdfplumber's tables of a page with these edges (``TableFinder(page).tables``' cells): its own
    edges, intersections and grouping of cells into tables; the cells found as it finds them, faster."""
    finder = _Finder(_Edges(edges), TableSettings.resolve(None))
    settings = finder.settings
    intersections = edges_to_intersections(TableFinder.get_edges(finder),  # type: ignore[arg-type]
                                           settings.intersection_x_tolerance, settings.intersection_y_tolerance)
    return cells_to_tables(_cells(intersections))


def _cells(intersections: dict[tuple[float, float], dict[str, list[dict]]]) -> list[Box]:
    """pdfplumber's ``intersections_to_cells``: from each point in order, the first point below and the
    first to its right, each joined to it by an edge, whose corner point is joined to both. pdfplumber
    makes two sets of edge boxes each time it asks whether two points are joined (two thirds of its
    time); here each point's are made once, and the points below and right are found by column and row."""
    vertical = {point: set(map(obj_to_bbox, edges["v"])) for point, edges in intersections.items()}
    horizontal = {point: set(map(obj_to_bbox, edges["h"])) for point, edges in intersections.items()}
    points = sorted(intersections)
    columns: dict[float, list[tuple[float, float]]] = {}
    rows: dict[float, list[tuple[float, float]]] = {}
    for point in points:
        columns.setdefault(point[0], []).append(point)
        rows.setdefault(point[1], []).append(point)
    cells = []
    for x, y in points:
        below = [p for p in columns[x] if p[1] > y if not vertical[x, y].isdisjoint(vertical[p])]
        right = [p for p in rows[y] if p[0] > x if not horizontal[x, y].isdisjoint(horizontal[p])]
        cell = next(((x, y, r[0], b[1]) for b in below for r in right
                     if (r[0], b[1]) in intersections and not vertical[r[0], b[1]].isdisjoint(vertical[r])
                     and not horizontal[r[0], b[1]].isdisjoint(horizontal[b])), None)
        if cell:
            cells.append(cell)
    return cells


def _read(number: int, page: pdfium.PdfPage, box: PageBox) -> PageContent:
    """The page read with PDFium, as the module says; :class:`_Unchecked` where it cannot be."""
    if box.rotate or box.mediabox[:2] != (0.0, 0.0) or box.cropbox != box.mediabox:
        raise _Unchecked
    height = box.mediabox[3]
    paths, texts = [], {}
    for obj, kind, matrix in _drawn(page.raw):
        if kind == raw.FPDF_PAGEOBJ_PATH and _painted(obj):
            paths.append((obj, matrix))
        elif kind == raw.FPDF_PAGEOBJ_TEXT:
            texts[obj.value] = len(texts)
    textpage = page.get_textpage()
    try:
        chars = _chars(textpage.raw, height, texts)
    finally:
        textpage.close()
    if not any(c["text"].strip() for c in chars):
        return PageContent(number, height, [], [])
    edges = _edges(paths, height)
    return PageContent(number, height, chars, _tables(edges) if edges else [])


def pdfplumber_pages(data: bytes, numbers: list[int]) -> Iterator[PageContent]:
    """Pages read with pdfplumber (pdfminer): those whose PDFium positions were not checked (and, in
    benchmarks/read_pdf.py, every page, for what PDFium saves)."""
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for number in numbers:
                page = pdf.pages[number - 1]
                chars = [{"text": UNKNOWN if _UNMAPPED.fullmatch(c["text"]) else c["text"], "size": c["size"],
                          "x0": c["x0"], "x1": c["x1"], "top": c["top"], "bottom": c["bottom"]} for c in page.chars]
                if not any(c["text"].strip() for c in chars):
                    chars = []
                tables = [t.cells for t in page.find_tables()] if chars and page.edges else []
                yield PageContent(number, float(page.height), chars, tables)
    except (PdfminerException, MalformedPDFException):
        raise NotReadable(DAMAGED) from None


def load(data: bytes) -> list[PageContent]:
    """Every page's characters and table cells, once the file's structure was checked whole."""
    boxes = check(data)
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise NotReadable(ENCRYPTED if error.err_code == raw.FPDF_ERR_PASSWORD else DAMAGED) from None
    read: dict[int, PageContent] = {}
    try:
        if len(document) != len(boxes):
            raise NotReadable(DAMAGED)
        for number, box in enumerate(boxes, start=1):
            page = document[number - 1]
            try:
                read[number] = _read(number, page, box)
            except _Unchecked:
                pass
            finally:
                page.close()
    finally:
        document.close()
    unchecked = [n for n in range(1, len(boxes) + 1) if n not in read]
    read |= {page.number: page for page in pdfplumber_pages(data, unchecked)} if unchecked else {}
    return [read[n] for n in range(1, len(boxes) + 1)]

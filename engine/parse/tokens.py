"""Lines → a stream of items: label text, cell values (numbers or blanks), and row breaks.

Whatever the layout, a table row ends up as label text followed by a run of values. The stream keeps
what the table reader needs to stay honest: the source line of every item, whether a value was glued to
its neighbour without a separator (text crawled from web pages), and for free-text lines the display
columns of each item (space-aligned tables place a blank cell by where the other rows put their numbers)
and where in the line it starts (a heading inside a crawled page's one long line is cut out by offset).
A crawled word may hold a label, its cells and the next label (``…总计23 0 00 0 023四、结转…``): it is cut
into text and values, a text item also ending where a sentence ends or a label starts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..text import display_width, key
from .lines import Line
from ..memo import short_texts
from .values import BLANK_MARKS, UNITS, is_blank, normalise, parse_number

_WORD = re.compile(r"\S+")
#: A number inside a word of mixed text and digits (a crawled page runs a row's label and cells, and the
#: next row's label, together): a sign only where no digit or ASCII word stands before it.
_DIGIT = re.compile(r"\d")
#: A cell written as a figure but in no form a number takes (``11,09 7``: a number wrapped in its cell and
#: joined back with a space; ``1.2.3``): a value that cannot be read, not text, or it would join the
#: next row's label and its row would be read without it. A sub-row's number alone (``7.``, its label
#: wrapped into the next line) is label text.
_FIGURE_LIKE = re.compile(r"(?!\d+\s*[.．、]\s*$)[\d,，.．\s]*\d[\d,，.．\s]*")
_PIECE = re.compile(r"(?<![\dA-Za-z])[+\-]?\d+(?:\.\d+)?|\d+(?:\.\d+)?")
#: Digits that are part of the text around them, not a cell: an ordinal (第3), a date or address
#: (2024年, 1号), a share, or anything inside an ASCII word (a phone number, an e-mail or web address).
_ASCII_WORD = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz@_-—–~/:")
_TEXT_BEFORE = _ASCII_WORD | frozenset("第.")
_TEXT_AFTER = _ASCII_WORD | frozenset("年月日时分号%‰")
#: A sub-row's numbering (1. 2、 3．) in front of its label: the formats number sub-rows with one digit,
#: so where digits run into it (``00005.属于三类内部事务信息``) only the last one is the label's.
_NUMBERING = frozenset(".．、")
#: Where a text item ends inside a word: after a sentence or a colon that introduces what follows
#: (``表格如下：第二十条第（一）项…``; not one inside brackets, ``（单位：万元）``), and before what starts a
#: row or group label (（一）, 三、, 2.), so that a label run into the text before it still starts an item.
_SENTENCE_END = frozenset("。！？；!?;")
_OPEN, _CLOSE = frozenset("(（[【《"), frozenset(")）]】》")
_MARKS = re.compile(r"[。！？；!?;:：(（\[【《)）\]】》]")
_LABEL_START = re.compile(r"(?<![第一二三四五六七八九十])(?:[(（][一二三四五六七八九十]{1,2}[)）]|[一二三四五六七八九十]{1,2}、)"
                          r"|(?<!\d)\d[.．、](?!\d)")


@dataclass(slots=True)
class Item:
    kind: str  # "text", "value" or "break"
    line: int
    raw: str = ""
    key: str = ""
    value: int | Decimal | None = None  # None for a blank cell
    glued: bool = False  # written against the previous item with no separator
    wide_gap: bool = False  # preceded by 2+ spaces (space-aligned columns)
    span: tuple[int, int] | None = None  # display columns on a free-text line
    plain: bool = False  # comes from a free-text line (cells separated by spaces only)
    field: int | None = None  # index of its field in a delimited line (tab, pipe, html)
    fields: int | None = None  # how many fields that line has
    offset: int = 0  # where it starts in its line (free text), so a heading inside a line can be cut out
    malformed: bool = False  # a field written as a figure that is no number (see ``_FIGURE_LIKE``)

    @property
    def blank(self) -> bool:
        return self.kind == "value" and self.value is None and not self.malformed

    @property
    def leading_zero(self) -> bool:
        """``000023`` cannot be one cell: digits of several cells ran together."""
        return _leading_zero(self.raw)


@short_texts
def _leading_zero(raw: str) -> bool:
    digits = normalise(raw).lstrip("+-")
    return digits.isdigit() and len(digits) > 1 and digits.startswith("0")


#: A piece of a free-text word: kind, its text, where it starts in the word as written (0 where folding
#: changed the word's length: offsets would not fit), its key, its number, whether it starts a label.
Piece = tuple[str, str, int, str, int | Decimal | None, bool]


@short_texts
def _word(word: str) -> tuple[str, bool, int | Decimal | None, tuple[Piece, ...]]:
    """What a free-text word is, by itself: folded, blank, its number, and its pieces where it is no
    number (see :func:`_pieces`). Cached, since the same words recur in every report."""
    folded = normalise(word)
    blank = bool(folded) and folded in BLANK_MARKS
    number = parse_number(word)
    if blank or number is not None:
        return folded, blank, number, ()
    kept = len(folded) == len(word)
    pieces = []
    for kind, a, b in _pieces(folded):
        # As written where folding kept the word's length, so that quotes show the report's text.
        piece = word[a:b] if kept else folded[a:b]
        if kind == "value":
            pieces.append((kind, piece, a if kept else 0, "", parse_number(piece), False))
        else:
            pieces.append((kind, piece, a if kept else 0, key(piece), None, bool(_LABEL_START.match(piece))))
    return folded, blank, number, tuple(pieces)


#: Display columns of the gaps and words of free-text lines (see :func:`.text.display_width`), cached.
_width = short_texts(display_width)


@short_texts
def _field(field: str) -> tuple[tuple[str, str, str, int | Decimal | None, bool], ...]:
    """What a delimited field holds, as (kind, raw, key, value, malformed) per item: a blank, a number,
    several numbers written apart, a figure that is no number, or text. Cached: the same fields recur."""
    text = field.strip()
    if is_blank(text):
        return (("value", text, "", None, False),)
    number = parse_number(text)
    if number is not None:
        return (("value", text, "", number, False),)
    words = text.split()
    if len(words) > 1 and all(parse_number(w) is not None for w in words):
        return tuple(("value", w, "", parse_number(w), False) for w in words)
    if _FIGURE_LIKE.fullmatch(text):
        return (("value", text, "", None, True),)
    return (("text", text, key(text), None, False),)


def _pieces(word: str) -> list[tuple[str, int, int]]:
    """A word of mixed text and digits cut into ("text" | "value", start, end) pieces: the cells run into
    their labels, text split where a sentence ends or a label starts."""
    pieces: list[tuple[str, int, int]] = []
    at = 0
    if not _DIGIT.search(word):
        return _text_pieces(word, 0, len(word))
    for match in _PIECE.finditer(word):
        start, end = match.span()
        if word[end:end + 1] in _NUMBERING and not word[end + 1:end + 2].isdigit():
            end -= 1  # the last digit numbers the label that follows
        before = word[start - 1:start] if start else ""
        if end <= start or before in _TEXT_BEFORE or word[end:end + 1] in _TEXT_AFTER:
            continue
        unit = next((u for u in UNITS if word.startswith(u, end)), "")
        if start > at:
            pieces.extend(_text_pieces(word, at, start))
        pieces.append(("value", start, end + len(unit)))
        at = end + len(unit)
    if at < len(word):
        pieces.extend(_text_pieces(word, at, len(word)))
    return pieces


def _text_pieces(word: str, start: int, end: int) -> list[tuple[str, int, int]]:
    cuts = {m.start() for m in _LABEL_START.finditer(word, start, end)}
    depth = 0
    for mark in _MARKS.finditer(word, start, end - 1):
        char, at = mark.group(), mark.start()
        depth += (char in _OPEN) - (char in _CLOSE)
        if char in _SENTENCE_END or (_introduces(word, at) and depth <= 0):
            cuts.add(at + 1)
    if not cuts:
        return [("text", start, end)]
    bounds = sorted(cuts | {start, end})
    return [("text", a, b) for a, b in zip(bounds, bounds[1:]) if a < b]


def _introduces(text: str, at: int) -> bool:
    """A colon that introduces what follows (not one of a web address or a time of day)."""
    return text[at] in ":：" and text[at + 1:at + 2] not in ("/", *"0123456789")


def _continues(previous: Item | None, opens_label: bool, line: Line, wide: bool) -> bool:
    """Whether a word is more of the label before it: single spaces inside a label (``结 果 维 持``) do
    not separate cells, but a finished sentence or the start of a new label does."""
    return (previous is not None and previous.kind == "text" and not wide and previous.plain
            and previous.line == line.no and previous.raw[-1:] not in _SENTENCE_END
            and not _introduces(previous.raw, len(previous.raw) - 1) and not opens_label)


def _plain_items(line: Line) -> list[Item]:
    items: list[Item] = []
    text = line.text
    last_end = 0
    column = 0
    for match in _WORD.finditer(text):
        word = match.group()
        gap = text[last_end:match.start()]
        wide = len(gap) >= 2 and last_end > 0
        start = column + _width(gap)
        column = start + _width(word)
        span = (start, column)
        last_end = match.end()
        folded, blank, number, pieces = _word(word)
        previous = items[-1] if items else None
        if folded in UNITS and previous is not None and previous.kind == "value" and previous.value is not None:
            previous.raw += " " + word
            continue
        if blank:
            items.append(Item("value", line.no, raw=word, wide_gap=wide, span=span, plain=True,
                              offset=match.start()))
            continue
        if number is not None:
            items.append(Item("value", line.no, raw=word, value=number, wide_gap=wide, span=span, plain=True,
                              offset=match.start()))
            continue
        for n, (kind, piece, at, piece_key, value, opens_label) in enumerate(pieces):
            offset = match.start() + at
            if kind == "value":
                items.append(Item("value", line.no, raw=piece, value=value, glued=n > 0,
                                  wide_gap=wide and n == 0, span=span, plain=True, offset=offset))
            elif n == 0 and _continues(previous, opens_label, line, wide):
                previous.raw += " " + piece
                previous.key += piece_key
                previous.span = (previous.span[0], span[1])
            else:
                items.append(Item("text", line.no, raw=piece, key=piece_key, wide_gap=wide and n == 0,
                                  span=span, plain=True, offset=offset))
    return items


def tokenize(lines: list[Line]) -> list[Item]:
    """The item stream of a whole report. A break ends every line except one-cell-per-line cells (a
    tab-led cell, or a line holding one number only), whose rows are separated by empty lines or text."""
    items: list[Item] = []
    for line in lines:
        if line.kind == "empty":
            items.append(Item("break", line.no, offset=len(line.text)))
        elif line.kind == "plain":
            found = _plain_items(line)
            items.extend(found)
            # A line holding one number only is one cell of a table pasted one cell per line: the row
            # goes on until text or an empty line, as with tab-led cells.
            if not (len(found) == 1 and found[0].kind == "value" and found[0].value is not None):
                items.append(Item("break", line.no, offset=len(line.text)))
        else:
            fields = line.fields or []
            count = None if line.kind == "cell" else len(fields)  # a one-cell line's field is no column
            for index, field in enumerate(fields):
                items.extend(Item(kind, line.no, raw=raw, key=text_key, value=value, malformed=malformed,
                                  field=None if count is None else index, fields=count)
                             for kind, raw, text_key, value, malformed in _field(field))
            if line.kind != "cell":
                items.append(Item("break", line.no, offset=len(line.text)))
    return items

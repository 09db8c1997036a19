"""Lines → a stream of items: label text, cell values (numbers or blanks), and row breaks.

Whatever the layout, a table row ends up as label text followed by a run of values. The stream keeps
what the table reader needs to stay honest: the source line of every item, whether a value was glued to
its neighbour without a separator (text crawled from web pages), and for free-text lines the display
columns of each item (space-aligned tables place a blank cell by where the other rows put their numbers).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..text import display_width, key
from .lines import Line
from .values import UNITS, is_blank, normalise, parse_number

_WORD = re.compile(r"\S+")
_GLUED = re.compile(r"^(?P<text>.*?[^\d+\-.,])(?P<tail>(?:[+\-]?\d+(?:\.\d+)?)+)$")
_SIGNED_PIECE = re.compile(r"[+\-]?\d+(?:\.\d+)?")


@dataclass
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

    @property
    def blank(self) -> bool:
        return self.kind == "value" and self.value is None

    @property
    def leading_zero(self) -> bool:
        """``000023`` cannot be one cell: digits of several cells ran together."""
        digits = normalise(self.raw).lstrip("+-")
        return digits.isdigit() and len(digits) > 1 and digits.startswith("0")


def _field_items(line: Line, field: str) -> list[Item]:
    text = field.strip()
    if is_blank(text):
        return [Item("value", line.no, raw=text)]
    number = parse_number(text)
    if number is not None:
        return [Item("value", line.no, raw=text, value=number)]
    words = text.split()
    if len(words) > 1 and all(parse_number(w) is not None for w in words):
        return [Item("value", line.no, raw=w, value=parse_number(w)) for w in words]
    return [Item("text", line.no, raw=text, key=key(text))]


def _plain_items(line: Line) -> list[Item]:
    items: list[Item] = []
    text = line.text
    last_end = 0
    column = 0
    for match in _WORD.finditer(text):
        word = match.group()
        gap = text[last_end:match.start()]
        wide = len(gap) >= 2 and last_end > 0
        start = column + display_width(gap)
        column = start + display_width(word)
        span = (start, column)
        last_end = match.end()
        folded = normalise(word)
        previous = items[-1] if items else None
        if folded in UNITS and previous is not None and previous.kind == "value" and previous.value is not None:
            previous.raw += " " + word
            continue
        if is_blank(word) and folded:
            items.append(Item("value", line.no, raw=word, wide_gap=wide, span=span, plain=True))
            continue
        number = parse_number(word)
        if number is not None:
            items.append(Item("value", line.no, raw=word, value=number, wide_gap=wide, span=span, plain=True))
            continue
        glued = _GLUED.match(folded)
        if glued and key(glued["text"]):
            items.append(Item("text", line.no, raw=glued["text"], key=key(glued["text"]), wide_gap=wide,
                              span=span, plain=True))
            for piece in _SIGNED_PIECE.findall(glued["tail"]):
                items.append(Item("value", line.no, raw=piece, value=parse_number(piece), glued=True,
                                  span=span, plain=True))
            continue
        if previous is not None and previous.kind == "text" and not wide and previous.plain and \
                previous.line == line.no:
            # Single spaces inside a label (``结 果 维 持``) do not separate cells.
            previous.raw += " " + word
            previous.key += key(word)
            previous.span = (previous.span[0], span[1])
            continue
        items.append(Item("text", line.no, raw=word, key=key(word), wide_gap=wide, span=span, plain=True))
    return items


def tokenize(lines: list[Line]) -> list[Item]:
    """The item stream of a whole report. A break ends every line except one-cell-per-line cells (a
    tab-led cell, or a line holding one number only), whose rows are separated by empty lines or text."""
    items: list[Item] = []
    for line in lines:
        if line.kind == "empty":
            items.append(Item("break", line.no))
        elif line.kind == "plain":
            found = _plain_items(line)
            items.extend(found)
            # A line holding one number only is one cell of a table pasted one cell per line: the row
            # goes on until text or an empty line, as with tab-led cells.
            if not (len(found) == 1 and found[0].kind == "value" and found[0].value is not None):
                items.append(Item("break", line.no))
        else:
            fields = line.fields or []
            for index, field in enumerate(fields):
                for item in _field_items(line, field):
                    if line.kind != "cell":
                        item.field, item.fields = index, len(fields)
                    items.append(item)
            if line.kind != "cell":
                items.append(Item("break", line.no))
    return items

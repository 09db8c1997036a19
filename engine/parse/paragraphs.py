"""Free text joined into paragraphs, with a map back to source lines.

Contact details and the statistical period are often broken over lines (``电\\n子邮箱``, ``2024 年 1 月
1 日``) by PDF extraction and narrow Word columns, or sit in a line a Word export indented with a
tab. Searching joined, width-folded paragraphs finds them; :meth:`Paragraph.line_at` tells which source
line a match came from.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from ..text import fold
from .lines import Line
from ..memo import short_texts

#: Justified PDF lines spread characters apart (``邮 编 ： 223100``): a space next to a Chinese character
#: or to punctuation separates nothing.
_SPREAD = re.compile(r"\s+(?=[^\x00-\x7f,.:;()])|(?<=[^\x00-\x7f,.:;()])\s+|(?<=[,:;(])\s+|\s+(?=[,:;)])")


_SPACE = re.compile(r"\s")


@short_texts
def _tidy(text: str) -> str:
    """A line's text folded, without the spaces that separate nothing (cached: each line is tidied for
    its paragraph and for the whole text, and boilerplate lines recur in every report)."""
    folded = fold(text.strip())
    return _SPREAD.sub("", folded) if _SPACE.search(folded) else folded  # most lines have no space to look at


def _prose(line: Line) -> str | None:
    """A line's running text: a free-text line, or a delimited line with one field of text only (a
    paragraph a Word export indented with a tab, or put in a one-cell table); None for table rows."""
    if line.kind == "plain":
        return line.text
    filled = [f for f in line.fields or () if f.strip()]
    if len(filled) == 1 and not filled[0].strip().replace(".", "").isdigit():
        return filled[0]
    return None


@dataclass
class Paragraph:
    text: str
    starts: list[int]  # offset in text where each source line begins
    numbers: list[int]  # the source line numbers

    def line_at(self, offset: int) -> int:
        return self.numbers[max(0, bisect_right(self.starts, offset) - 1)]


#: A line ending like this continues on the next line whatever its width (a wrap before a long URL).
_UNFINISHED = (":", "：", "，", ",", "、", "(", "（", "《")
#: A line at least this share of the page width was wrapped by the page, not ended by its author.
FULL_LINE = 0.8


def _page_width(lines: list[Line]) -> float:
    widths = sorted(line.width for line in lines if line.kind == "plain")
    return widths[int(len(widths) * 0.9)] if widths else 0


def paragraphs(lines: list[Line]) -> list[Paragraph]:
    """Runs of free-text lines that the page wrapped (each but the last nearly as wide as the page, or
    ending mid-sentence), each joined without the line breaks. Other short lines end a paragraph: one
    contact detail per line stays apart."""
    out: list[Paragraph] = []
    text, starts, numbers = "", [], []
    full = _page_width(lines) * FULL_LINE or 1  # HTML paragraphs (width 0) never continue
    for line in lines:
        prose = _prose(line)
        if prose is None:
            if text:
                out.append(Paragraph(text, starts, numbers))
            text, starts, numbers = "", [], []
            continue
        starts.append(len(text))
        numbers.append(line.no)
        text += _tidy(prose)
        if line.width < full and not text.endswith(_UNFINISHED):
            out.append(Paragraph(text, starts, numbers))
            text, starts, numbers = "", [], []
    if text:
        out.append(Paragraph(text, starts, numbers))
    return out


def whole_text(lines: list[Line]) -> Paragraph:
    """All free text as one paragraph: the last resort for a statement that a marker or an odd wrap
    split over two paragraphs (``统计期`` / ``限自2020年1月1日…``)."""
    text, starts, numbers = "", [], []
    for line in lines:
        prose = _prose(line)
        if prose is not None:
            starts.append(len(text))
            numbers.append(line.no)
            text += _tidy(prose)
    return Paragraph(text, starts, numbers)

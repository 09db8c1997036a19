"""Free text joined into paragraphs, with a map back to source lines.

Contact details and the statistical period are often broken over lines (``电\\n子邮箱``, ``2024 年 1 月
1 日``) by PDF extraction and narrow Word columns. Searching joined, width-folded paragraphs finds them;
:meth:`Paragraph.line_at` tells which source line a match came from.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from ..text import fold
from .lines import Line


@dataclass
class Paragraph:
    text: str
    starts: list[int]  # offset in text where each source line begins
    numbers: list[int]  # the source line numbers

    def line_at(self, offset: int) -> int:
        return self.numbers[max(0, bisect_right(self.starts, offset) - 1)]


def paragraphs(lines: list[Line]) -> list[Paragraph]:
    """Runs of consecutive free-text lines, each joined without the line breaks."""
    out: list[Paragraph] = []
    text, starts, numbers = "", [], []
    for line in lines:
        if line.kind not in ("plain", "html") or (line.kind == "html" and line.fields):
            if text:
                out.append(Paragraph(text, starts, numbers))
            text, starts, numbers = "", [], []
            continue
        starts.append(len(text))
        numbers.append(line.no)
        text += fold(line.text.strip())
    if text:
        out.append(Paragraph(text, starts, numbers))
    return out

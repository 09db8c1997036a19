"""One cell per line (周村区科技局 2020): each cell line starts with a tab, a blank line ends a row,
header labels are broken over several lines (自 / 然 / 人), the part of a cell merged from above is a
line holding only a tab (as is a blank cell); the part merged from the left is not written."""
from __future__ import annotations

import random

from ..document import Document
from ..grid import Covered, GridTable, Span
from .plain import Rendered, write

BLANK_RATE = 0.3


def _broken(text: str, rng: random.Random) -> str:
    """A header label as a narrow Word cell wraps it: a few characters per line."""
    if len(text) < 3 or rng.random() < 0.4:
        return text
    size = rng.randint(1, max(1, len(text) // 2))
    return "\n".join(text[i:i + size] for i in range(0, len(text), size))


def table(grid: GridTable, rng: random.Random) -> tuple[list[str], set[str]]:
    lines: list[str] = []
    for index, row in enumerate(grid.header):
        caption = index == 0 and row.slots and isinstance(row.slots[0], Span) and row.slots[0].cols == grid.width
        for position, slot in enumerate(row.slots):
            if isinstance(slot, Covered):
                if slot.by == "row":
                    lines.append("\t")
                continue
            label = position < grid.label_width or caption
            lines.append("\t" + (slot.text if label else _broken(slot.text, rng)))
        lines.append("")
    for row in grid.body:
        lines.extend("\t" + (s.text if isinstance(s, Span) else "") for s in row.slots
                     if not (isinstance(s, Covered) and s.by == "col"))
        lines.extend("\t" + (v or "") for v in row.values)
        lines.append("")
    return lines, set()


def render(document: Document, rng: random.Random) -> Rendered:
    return write(document, rng, table)

"""One cell per line without tabs, as a Word table pasted as plain text: each label and each value on a
line of its own, header labels broken over lines, rows sometimes separated by an empty line. A blank
cell leaves nothing at all, so a row with some (not all) cells blank cannot be placed: it is expected
unreadable; a row with every cell blank is its label alone, read as blank."""
from __future__ import annotations

import random

from ..document import Document
from ..grid import GridTable, Span
from .cells import _broken
from .plain import Rendered, write

BLANK_RATE = 0.1


def table(grid: GridTable, rng: random.Random) -> tuple[list[str], set[str]]:
    lines: list[str] = []
    for index, row in enumerate(grid.header):
        # As Word pastes it: the caption spanning the whole table stays whole, other headers wrap.
        caption = index == 0 and row.slots and isinstance(row.slots[0], Span) and row.slots[0].cols == grid.width
        lines.extend(s.text if caption else _broken(s.text, rng)
                     for s in row.slots if isinstance(s, Span) and s.text)
    gap = rng.random() < 0.5
    lost = set()
    for row in grid.body:
        lines.extend(s.text for s in row.slots if isinstance(s, Span) and s.text)
        lines.extend(v for v in row.values if v)
        if any(v is None for v in row.values) and not all(v is None for v in row.values):
            lost.update(row.rows)
        if gap:
            lines.append("")
    return lines, lost


def render(document: Document, rng: random.Random) -> Rendered:
    return write(document, rng, table)

"""Tab-separated rows, as Word tables pasted into text (金凤区 2020): merged label cells leave empty
leading fields, some rows end with a tab, headers spread over two or three lines, a blank cell is an
empty field.

A row whose first or last value is blank is written with neither the empty fields of a label merged
from the left nor a trailing tab: otherwise an empty field at either end could be a blank cell or
padding, and the text would not say which. Table 四 comes with or without its header lines. A long
row label sometimes wraps in its cell: its head stays with the numbers, its tail goes to the next
line under it (``\t\t2. 其他法律行政法\t0\t0…`` / ``\t\t规禁止公开``), as Word's text export writes it.
"""
from __future__ import annotations

import random

from ..document import Document
from ..grid import GridTable
from .plain import Rendered, fields, write

BLANK_RATE = 0.3
#: A label at least this long may wrap in its cell (characters), in this share of the reports.
WRAP_LENGTH, WRAP_RATE = 8, 0.5


def table(grid: GridTable, rng: random.Random) -> tuple[list[str], set[str]]:
    fillers = rng.random() < 0.5
    wraps = rng.random() < WRAP_RATE
    # Table 四 is sometimes pasted as its one line of 15 cells without the header lines.
    header = [] if grid.spec.layout == "wide" and rng.random() < 0.3 else grid.header
    lines = ["\t".join(fields(row)) for row in header]
    for row in grid.body:
        edge_blank = row.values[0] is None or row.values[-1] is None
        cells = fields(row, fillers and not edge_blank)
        leaf = len(cells) - len(row.values) - 1
        while leaf > 0 and not cells[leaf]:
            leaf -= 1
        tail = ""
        if wraps and len(cells[leaf]) >= WRAP_LENGTH and rng.random() < 0.5:
            cut = rng.randint(3, len(cells[leaf]) - 2)
            cells[leaf], tail = cells[leaf][:cut], cells[leaf][cut:]
        line = "\t".join(cells)
        if not edge_blank and rng.random() < 0.3:
            line += "\t"
        lines.append(line)
        if tail:
            lines.append("\t" * leaf + tail)
    return lines, set()


def render(document: Document, rng: random.Random) -> Rendered:
    return write(document, rng, table)

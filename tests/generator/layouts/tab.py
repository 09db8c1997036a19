"""Tab-separated rows, as Word tables pasted into text (金凤区 2020): merged label cells leave empty
leading fields, some rows end with a tab, headers spread over two or three lines, a blank cell is an
empty field.

A row whose first or last value is blank is written with neither the empty fields of a label merged
from the left nor a trailing tab: otherwise an empty field at either end could be a blank cell or
padding, and the text would not say which. Table 四 comes with or without its header lines.
"""
from __future__ import annotations

import random

from ..document import Document
from ..grid import GridTable
from .plain import Rendered, fields, write

BLANK_RATE = 0.3


def table(grid: GridTable, rng: random.Random) -> tuple[list[str], set[str]]:
    fillers = rng.random() < 0.5
    # Table 四 is sometimes pasted as its one line of 15 cells without the header lines.
    header = [] if grid.spec.layout == "wide" and rng.random() < 0.3 else grid.header
    lines = ["\t".join(fields(row)) for row in header]
    for row in grid.body:
        edge_blank = row.values[0] is None or row.values[-1] is None
        line = "\t".join(fields(row, fillers and not edge_blank))
        if not edge_blank and rng.random() < 0.3:
            line += "\t"
        lines.append(line)
    return lines, set()


def render(document: Document, rng: random.Random) -> Rendered:
    return write(document, rng, table)

"""Pipe tables, as Markdown converters write them: ``| label | 1 | 2 |``, every merged cell an empty
field, optionally a ``|---|`` line under the header; a blank cell is empty between pipes."""
from __future__ import annotations

import random

from ..document import Document
from ..grid import GridTable
from .plain import Rendered, fields, write

BLANK_RATE = 0.3


def table(grid: GridTable, rng: random.Random) -> tuple[list[str], set[str]]:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cells) + " |"
    lines = [line(fields(row)) for row in grid.header]
    if grid.header and rng.random() < 0.6:
        lines.append("|" + "---|" * grid.width)
    lines.extend(line(fields(row)) for row in grid.body)
    return lines, set()


def render(document: Document, rng: random.Random) -> Rendered:
    return write(document, rng, table)

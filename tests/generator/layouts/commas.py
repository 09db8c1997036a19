"""Comma-separated rows, as a spreadsheet exports a table to text: the tab layout's fields joined by
commas, a field holding a comma ("1,284") quoted; a blank cell is an empty field."""
from __future__ import annotations

import csv
import io
import random

from ..document import Document
from ..grid import GridTable
from .plain import Rendered, fields, write

BLANK_RATE = 0.3


def _row(cells: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


def table(grid: GridTable, rng: random.Random) -> tuple[list[str], set[str]]:
    lines = [_row(fields(row)) for row in grid.header]
    for row in grid.body:
        # As in the tab layout: no empty filler field beside a blank first or last value.
        edge_blank = row.values[0] is None or row.values[-1] is None
        lines.append(_row(fields(row, not edge_blank)))
    return lines, set()


def render(document: Document, rng: random.Random) -> Rendered:
    return write(document, rng, table)

"""Merged cells → the true grid: what Word, HTML and PDF tables have in common.

Each of them writes a merged cell once, where it starts, with how many rows and columns it covers.
The parser wants one list of fields per grid row in which a merged cell is one cell, never a value
repeated: a cell covered from above becomes :data:`~.base.COVERED` (an empty field, as in Word's
text export, so the columns of the row below stay where they are), a cell covered from the left
is no field at all.
"""
from __future__ import annotations

from dataclasses import dataclass

from .base import COVERED


@dataclass(frozen=True)
class Span:
    """A cell as the markup writes it: its text and the rows and columns it covers."""

    text: str
    rows: int = 1
    cols: int = 1


def resolve(rows: list[list[Span]]) -> list[tuple[str, ...]]:
    """The fields of each row. A span that runs past the last row is cut there."""
    below: dict[int, tuple[int, int]] = {}  # grid column → (rows still covered, columns the cell covers)
    out = []
    for row in rows:
        fields: list[str] = []
        column = 0
        cells = iter(row)
        pending = next(cells, None)
        while pending is not None or any(c >= column for c in below):
            if column in below:
                left, width = below[column]
                fields.append(COVERED)
                if left > 1:
                    below[column] = (left - 1, width)
                else:
                    del below[column]
                column += width
                continue
            if pending is None:
                column = min(c for c in below if c >= column)
                continue
            fields.append(pending.text)
            if pending.rows > 1:
                below[column] = (pending.rows - 1, max(1, pending.cols))
            column += max(1, pending.cols)
            pending = next(cells, None)
        out.append(tuple(fields))
    return out

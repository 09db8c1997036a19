"""What the plain-text layouts share: prose one paragraph per line, tables from a layout's writer,
blank lines between blocks or not, and the fields of a grid row."""
from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from ..document import Document, Prose
from ..grid import Covered, GridRow, GridTable, Span


@dataclass
class Rendered:
    text: str
    unreadable: dict[str, set[str]] = field(default_factory=dict)


#: A table writer: the lines of one grid, and the rows in it no reader could place.
TableWriter = Callable[[GridTable, random.Random], tuple[list[str], set[str]]]
ProseWriter = Callable[[Prose, random.Random], list[str]]


def one_line(block: Prose, rng: random.Random) -> list[str]:
    return [block.text]


def write(document: Document, rng: random.Random, table: TableWriter,
          prose: ProseWriter = one_line) -> Rendered:
    """The whole text: blocks in order, with a blank line after each in about half the reports."""
    gap = rng.random() < 0.5
    lines: list[str] = []
    unreadable: dict[str, set[str]] = {}
    for block in document.blocks:
        if isinstance(block, GridTable):
            written, lost = table(block, rng)
            lines.extend(written)
            unreadable.setdefault(block.key, set()).update(lost)
        else:
            lines.extend(prose(block, rng))
        if gap:
            lines.append("")
    return Rendered("\n".join(lines) + "\n", unreadable)


def fields(row: GridRow, col_fillers: bool = True) -> list[str]:
    """A row's cells left to right: a span's text, "" for the rest of a merged cell (the part merged
    from the left only when ``col_fillers``), "" for a blank value."""
    out = [s.text if isinstance(s, Span) else "" for s in row.slots
           if col_fillers or not (isinstance(s, Covered) and s.by == "col")]
    return out + [v or "" for v in row.values]

"""Columns separated by runs of spaces and padded to fixed display widths (CJK counts two), as text
exported from a spreadsheet or a fixed-width viewer: the labels of a row share one label column
(``三、本年度办理结果 （一）予以公开``, sub-rows indented under their group), numbers are right-aligned
under their headers, and a blank cell is spaces only: alignment alone says which column it was (so
where nothing shows a column's place, in a cut table without header, such rows cannot be read). In
some tables a long row label wraps in the label column: its head on the line with the numbers, its
tail on the next line, indented like it.
"""
from __future__ import annotations

import random

from engine.text import display_width

from ..document import Document
from ..grid import Covered, GridRow, GridTable, Span
from .plain import Rendered, write

BLANK_RATE = 0.3
GAP = 2
#: A leaf label at least this long may wrap in the label column (characters), in this share of tables.
WRAP_LENGTH, WRAP_RATE = 8, 0.5


def _label(row: GridRow) -> str:
    """The label column of a data row: covered group cells become indentation."""
    indent = sum(2 for s in row.slots if isinstance(s, Covered) and s.by == "row")
    return " " * indent + " ".join(s.text for s in row.slots if isinstance(s, Span))


def _spans(row: GridRow, label_width: int) -> list[tuple[int, Span]]:
    """(first value column, span) of the header spans over value columns (index -1: the label area)."""
    out = []
    for position, slot in enumerate(row.slots):
        if isinstance(slot, Span):
            out.append((position - label_width if position >= label_width else -1, slot))
    return out


def _widths(grid: GridTable) -> tuple[int, list[int]]:
    columns = grid.width - grid.label_width
    widths = [1] * columns
    label = max([display_width(_label(r)) for r in grid.body if grid.label_width] + [0])
    for row in grid.body:
        for index, value in enumerate(row.values):
            widths[index] = max(widths[index], display_width(value or ""))
    for row in grid.header:
        for first, span in sorted(_spans(row, grid.label_width), key=lambda p: p[1].cols):
            if first < 0:
                if span.cols < grid.width:
                    label = max(label, display_width(span.text))
                continue
            cover = range(first, first + min(span.cols, columns - first))
            room = sum(widths[i] for i in cover) + GAP * (len(cover) - 1)
            widths[cover[-1]] += max(0, display_width(span.text) - room)
    return label, widths


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


def _line(stub: str, spans: list[tuple[int, int, str]], label: int, widths: list[int]) -> str:
    """One header line: the stub in the label column, each (first column, columns, text) placed over
    its columns: a column label right-aligned like the numbers under it, a group label centred."""
    line = _pad(stub, label, False) if label else ""
    column = 0
    for first, cols, text in spans:
        while column < first:
            line += " " * (GAP + widths[column])
            column += 1
        room = sum(widths[first:first + cols]) + GAP * (cols - 1)
        placed = _pad(text, room, right=True) if cols == 1 else \
            _pad(" " * ((room - display_width(text)) // 2) + text, room, right=False)
        line += " " * GAP + placed
        column = first + cols
    return line.rstrip()


def _header(grid: GridTable, label: int, widths: list[int], rng: random.Random) -> list[str]:
    """Header lines; in some tables long column labels are stacked over two lines (结果 / 维持)."""
    stack = rng.random() < 0.4
    lines = []
    for row in grid.header:
        spans = _spans(row, grid.label_width)
        if len(spans) == 1 and spans[0][1].cols == grid.width:
            lines.append(spans[0][1].text)  # the caption, 第二十条第（一）项
            continue
        stub = next((s.text for f, s in spans if f < 0), "")
        placed = [(f, s.cols, s.text) for f, s in spans if f >= 0]
        if stack and any(cols == 1 and len(text) >= 4 for _, cols, text in placed):
            cut = [len(text) // 2 if cols == 1 and len(text) >= 4 else 0 for _, cols, text in placed]
            lines.append(_line("", [(f, c, t[:k]) for (f, c, t), k in zip(placed, cut) if k], label, widths))
            placed = [(f, c, t[k:]) for (f, c, t), k in zip(placed, cut)]
        lines.append(_line(stub, placed, label if grid.label_width else 0, widths))
    return lines


def table(grid: GridTable, rng: random.Random) -> tuple[list[str], set[str]]:
    label, widths = _widths(grid)
    lines = _header(grid, label, widths, rng)
    wraps = rng.random() < WRAP_RATE
    for row in grid.body:
        text, tail = _label(row), ""
        leaf = row.labels[-1] if row.labels else ""
        if wraps and len(leaf) >= WRAP_LENGTH and rng.random() < 0.5:
            cut = len(text) - len(leaf) + rng.randint(3, len(leaf) - 2)
            text, tail = text[:cut], " " * (len(text) - len(text.lstrip()) + 2) + text[cut:]
        line = _pad(text, label, False) if grid.label_width else ""
        for value, width in zip(row.values, widths):
            line += " " * GAP + _pad(value or "", width, right=True)
        lines.append(line.rstrip())
        if tail:
            lines.append(tail)
    return lines, _unplaceable(grid)


def _unplaceable(grid: GridTable) -> set[str]:
    """Rows whose blanks nothing can place: in a cut table without its header, a column that no row
    fills leaves no trace of where it was, so any row with a blank could have it anywhere."""
    if grid.header:
        return set()
    empty = [all(row.values[i] is None for row in grid.body) for i in range(grid.width - grid.label_width)]
    if not any(empty):
        return set()
    return {r for row in grid.body if None in row.values for r in row.rows}


def render(document: Document, rng: random.Random) -> Rendered:
    return write(document, rng, table)

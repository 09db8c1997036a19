"""What the layouts that write a whole file (Word, PDF, a web page) give back, and how their tables
share the page width."""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from ..grid import GridTable


@dataclass
class RenderedFile:
    """The bytes of one file, the suffix it is saved with (".docx"), and the rows no reader could place
    (none where every cell is a cell of its own in the file)."""

    data: bytes
    suffix: str
    unreadable: dict[str, set[str]] = field(default_factory=dict)


def column_shares(grid: GridTable, rng: random.Random) -> list[float]:
    """Each column's share of the table width: label columns first (a narrow group column, a middle
    one, a wide leaf column, as the template has them), the value columns sharing what is left; a
    table without label columns shares the width evenly."""
    values = grid.width - grid.label_width
    if grid.label_width == 0:
        return [1 / values] * values
    if grid.label_width == 1:
        share = rng.uniform(0.3, 0.45) if values > 1 else 0.5
        return [share] + [(1 - share) / values] * values
    labels = [rng.uniform(0.035, 0.05)] + [rng.uniform(0.09, 0.12)] * (grid.label_width - 2) + [rng.uniform(0.24, 0.32)]
    return labels + [(1 - sum(labels)) / values] * values

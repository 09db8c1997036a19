"""Sections and tables of a report read with one format: the unit format detection compares.

Where the labels alone do not tell which format a report used, the parser reads it with each and keeps
the reading its numbers fit best (:attr:`Reading.fit`).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..formats import Format
from ..model import Section, Table, Warning
from .cells import build_table
from .lines import Line
from .sections import find_headings, find_sections
from .tables import TableReader
from .tokens import Item


@dataclass
class Reading:
    """The sections and tables of a report as read with one format."""

    sections: list[Section]
    tables: dict[str, Table]
    warnings: list[Warning]

    @property
    def fit(self) -> int:
        """How well the text fits the format's tables: cells placed, less rows seen but not placeable."""
        placed = sum(sum(1 for c in t.each_cell() if c is not None) for t in self.tables.values())
        refused = sum(len(t.unreadable_rows) * len(t.columns) for t in self.tables.values())
        unplaced = sum(1 for w in self.warnings if w.code == "unplaced")
        return placed - refused - unplaced


def read_tables(lines: list[Line], items: list[Item], fmt: Format) -> Reading:
    headings = find_headings(lines, fmt)
    sections = find_sections(lines, headings)
    reader = TableReader(fmt)
    reads = reader.read(items, headings)
    tables, warnings = {}, list(reader.warnings)
    for spec in fmt.tables.values():
        tables[spec.key], notes = build_table(spec, [r for r in reads if r.table == spec.key])
        warnings.extend(notes)
    return Reading(sections, tables, warnings)

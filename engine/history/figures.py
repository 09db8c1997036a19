"""A report's tables as the store keeps them: what the prior-year rules read of a report, so that next
year's audit can check its carry-over when this year's report is not among its inputs.

Each table keeps its official row and column labels, its cells row by row as read (the number exactly
as printed and its source line; not the raw text, which only the report's own page shows), its missing
and unreadable rows, and whether its words were there but its figures unreadable (``Report.unread``),
since a rule must tell "not in the report" from "could not be read" there too.

JSON, read back into :class:`engine.model.Table`: a count is a JSON integer, an amount the string of
its digits (``"9114.72"``, so that it comes back the exact Decimal it was), a blank cell ``""`` and a
cell not read ``null``. Values and lines are two flat lists per table, written by the standard json
module's C encoder: a list per cell, or a Decimal written as a number, cost more than all the rest of
recording a report.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from ..model import Cell, Report, Table, Unread

_TABLE = "table:"


def figures_json(report: Report) -> str:
    """The figures of ``report`` as text; a report that keeps them as this text already (a batch's
    summary: engine.batch.summary) gives it as it is."""
    kept = getattr(report, "figures", None)
    if isinstance(kept, str):
        return kept
    tables = {key: _table(table) for key, table in report.tables.items()}
    unread = {subject: item.reason for subject, item in report.unread.items() if subject.startswith(_TABLE)}
    return json.dumps({"tables": tables, "unread": unread}, ensure_ascii=False, separators=(",", ":"))


def _table(table: Table) -> dict[str, Any]:
    cells = table.each_cell()
    return {"title": table.title, "line": table.line, "rows": table.rows, "columns": table.columns,
            "values": [_written(cell) for cell in cells],
            "lines": [None if cell is None else cell.line for cell in cells],
            "missing_rows": table.missing_rows, "unreadable_rows": table.unreadable_rows}


def _written(cell: Cell | None) -> int | str | None:
    if cell is None:
        return None
    value = cell.value
    return "" if value is None else value if type(value) is int else str(value)


@dataclass(frozen=True)
class Figures:
    """The tables of a report read back from the store, and the tables whose figures were unreadable."""

    tables: dict[str, Table]
    unread: dict[str, Unread]


def read_heads(text: str) -> tuple[dict[str, str | None], dict[str, Unread]]:
    """Of :func:`figures_json`'s text, without making its cells: each table's title, and the tables
    whose figures were unreadable."""
    data = json.loads(text)
    return ({key: table["title"] for key, table in data["tables"].items()},
            {subject: Unread(subject, reason) for subject, reason in data["unread"].items()})


def read_figures(text: str) -> Figures:
    data = json.loads(text)
    tables = {}
    for key, table in data["tables"].items():
        width = len(table["columns"])
        flat = [_cell(value, line) for value, line in zip(table["values"], table["lines"])]
        cells = [flat[i:i + width] for i in range(0, len(flat), max(width, 1))]
        tables[key] = Table(key, table["title"], tuple(table["rows"]), tuple(table["columns"]), cells,
                            list(table["missing_rows"]), list(table["unreadable_rows"]), table["line"])
    return Figures(tables, {subject: Unread(subject, reason) for subject, reason in data["unread"].items()})


@lru_cache(maxsize=1 << 12)
def _cell(value: int | str | None, line: int | None) -> Cell | None:
    # Cells are frozen, so one may stand in every report for its value at its line: the same few
    # hundred (value, line) pairs recur in the reports of a format, and making a cell cost two thirds
    # of reading a prior report's figures back (0.39 -> 0.14 ms a report). Bounded to what recurs
    # (under 1 MB): at 65,536 pairs, most of them a figure seen once, it held 13 MB once full.
    if value is None:
        return None
    return Cell(None if value == "" else Decimal(value) if isinstance(value, str) else value, line)

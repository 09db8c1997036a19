"""The report's tables redrawn from the parsed cells, with each finding linked where it points.

A finding names a table and, as far as its check can, a row and a column. It is linked from the cell
it names (by row and column, or by row and the line it quotes), else from its row, else from its
column heading, else from the table caption; a table absent from the text is one line whose caption
takes every link. Blank cells and cells not read are drawn as such, never as 0.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from ..formats import ColumnSpec, RowSpec, load_formats
from ..model import SEVERITIES, Finding, Report, Table
from ..text import key
from .wording import table_caption


@dataclass(frozen=True)
class Link:
    """A pointer from a table cell or source line to a finding on the same page."""

    anchor: str
    number: int
    severity: str


@dataclass(slots=True)
class CellView:
    """Not frozen: a page makes one for every cell of every table (some 200), and a frozen dataclass
    is made eight times slower (each field set through ``object.__setattr__``)."""

    text: str
    state: str  # "value", "blank" (the report left it empty) or "missing" (not read)
    anchor: str
    links: tuple[Link, ...]
    severity: str | None
    line: int | None


@dataclass(frozen=True)
class RowView:
    label: str
    state: str  # "read", "missing" (row not in the text) or "unreadable"
    anchor: str
    links: tuple[Link, ...]
    severity: str | None
    cells: tuple[CellView, ...]


@dataclass(frozen=True)
class HeaderView:
    """A column heading; a finding about a whole column (``table`` + ``column``) is marked here."""

    label: str
    anchor: str
    links: tuple[Link, ...]
    severity: str | None


@dataclass(frozen=True)
class TableView:
    caption: str
    anchor: str
    columns: tuple[HeaderView, ...]
    rows: tuple[RowView, ...]
    links: tuple[Link, ...]
    severity: str | None
    present: bool  # False when no row of the table was found in the text
    #: Why a table that is not present is not missing either: its words are in the text but its figures
    #: could not be read (engine/parse/evidence.py); None when it is simply not there.
    unread: str | None = None


def display_value(value: int | Decimal | None) -> str:
    return "" if value is None else str(value)


def worst(links: tuple[Link, ...]) -> str | None:
    return min((link.severity for link in links), key=SEVERITIES.index) if links else None


#: Row index standing for the column headings in a place ``(table, row, column)``.
HEADING = -1


class Anchors:
    """Where each finding points in the redrawn tables: the cell it names (by row and column, or by
    row and the line it quotes), else its row, else its column heading, else the table caption."""

    def __init__(self, findings: list[tuple[Finding, Link]], report: Report) -> None:
        self.by_place: dict[tuple, list[Link]] = {}
        self.target: dict[int, str] = {}
        tables = report.tables
        positions = {t: i for i, t in enumerate(tables)}
        specs = load_formats()[report.format].tables if report.format in load_formats() else {}
        for finding, link in findings:
            where = finding.location
            if where.table not in tables:
                continue
            t = positions[where.table]
            table = tables[where.table]
            spec = specs.get(where.table)
            r = _index(table.rows, where.row, spec.row if spec else None)
            c = _index(table.columns, where.column, spec.column if spec else None)
            if r is not None and c is None:
                c = _cell_on_line(table, r, where.line)
            if not table.present:
                spot = (t,)  # the table is drawn as a note only: its caption takes every link
            elif r is not None:
                spot = (t, r, c) if c is not None else (t, r)
            else:
                spot = (t, HEADING, c) if c is not None else (t,)
            self.by_place.setdefault(spot, []).append(link)
            self.target[link.number] = _anchor(*spot)

    def links(self, *spot: int) -> tuple[Link, ...]:
        return tuple(self.by_place.get(spot, ()))


def _index(labels: list[str], name: str | None,
           lookup: Callable[[str], RowSpec | ColumnSpec | None] | None) -> int | None:
    """Position of the row or column a finding names: by its official label, or by a short name or
    alias of the format (a rule may name ``本年新收`` for ``一、本年新收政府信息公开申请数量``)."""
    if name is None:
        return None
    spec = lookup(name) if lookup else None
    wanted = key(spec.label if spec else name)
    return next((i for i, candidate in enumerate(labels) if key(candidate) == wanted), None)


def _cell_on_line(table: Table, r: int, line: int | None) -> int | None:
    """The column of the one cell of row ``r`` read from ``line``: a check along a row (its total
    against its parts) names the row and quotes the line of the cell it found wrong."""
    if line is None:
        return None
    found = [c for c, cell in enumerate(table.cells[r]) if cell is not None and cell.line == line]
    return found[0] if len(found) == 1 else None


@cache
def _anchor(*spot: int) -> str:
    """``t0-3-2``; cached, since the pages of one format have the same few hundred places."""
    return "t" + "-".join("h" if n == HEADING else str(n) for n in spot)


def _cell(table: Table, spot: tuple[int, int, int], anchors: Anchors) -> CellView:
    cell = table.cells[spot[1]][spot[2]]
    links = anchors.links(*spot)
    if cell is None:
        return CellView("未读到", "missing", _anchor(*spot), links, worst(links), None)
    if cell.blank:
        # Show what the report wrote ("-", "/") so the auditor sees the blank as the agency typed it.
        return CellView(cell.raw.strip() or "空", "blank", _anchor(*spot), links, worst(links), cell.line)
    return CellView(display_value(cell.value), "value", _anchor(*spot), links, worst(links), cell.line)


def _row_state(table: Table, label: str) -> str:
    if label in table.missing_rows:
        return "missing"
    return "unreadable" if label in table.unreadable_rows else "read"


def _row(table: Table, t: int, r: int, label: str, anchors: Anchors) -> RowView:
    links = anchors.links(t, r)
    return RowView(label, _row_state(table, label), _anchor(t, r), links, worst(links),
                   tuple(_cell(table, (t, r, c), anchors) for c in range(len(table.column_labels))))


def build_tables(report: Report, anchors: Anchors) -> tuple[TableView, ...]:
    views = []
    for t, (name, table) in enumerate(report.tables.items()):
        rows = tuple(_row(table, t, r, label, anchors) for r, label in enumerate(table.row_labels))
        headings = tuple(HeaderView(label, _anchor(t, HEADING, c), anchors.links(t, HEADING, c),
                                    worst(anchors.links(t, HEADING, c)))
                         for c, label in enumerate(table.columns))
        unread = report.unread.get(f"table:{name}")
        views.append(TableView(table_caption(report, name), _anchor(t), headings, rows, anchors.links(t),
                               worst(anchors.links(t)), table.present, unread.reason if unread else None))
    return tuple(views)

"""The view model of one report's page: findings by category, the tables redrawn, source lines.

Built from a :class:`~engine.model.ReportAudit`; the template only loops over it. Every finding gets a
number and an anchor, and a link from the place it concerns: the cell (table + row + column), else the
row, else the table caption. Findings whose table is not in the parsed report stay in their category
list, so nothing is lost. Blank cells and cells that could not be read are drawn differently from
numbers, never as 0.
"""
from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from ..formats import ColumnSpec, RowSpec, load_formats
from ..model import SEVERITIES, Finding, Report, ReportAudit, RuleInfo, Table
from ..text import key
from .settings import Settings
from .wording import UNKNOWN, body, ordered, place, report_title, table_caption, year

#: Source lines shown around each quoted line, so that a line reads in its context.
CONTEXT_LINES = 1


@dataclass(frozen=True)
class Link:
    """A pointer from a table cell or source line to a finding on the same page."""

    anchor: str
    number: int
    severity: str


@dataclass(frozen=True)
class FindingView:
    number: int
    anchor: str
    rule: str
    rule_title: str
    severity: str
    severity_label: str
    message: str
    place: str
    line_anchor: str | None
    quote: str
    expected: str | None
    actual: str | None
    basis: str
    remedy: str
    cell_anchor: str | None


@dataclass(frozen=True)
class CategoryView:
    label: str
    findings: tuple[FindingView, ...]


@dataclass(frozen=True)
class CountView:
    code: str
    label: str
    value: int


@dataclass(frozen=True)
class CellView:
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


@dataclass(frozen=True)
class SourceLine:
    number: int
    text: str
    anchor: str
    links: tuple[Link, ...]


@dataclass(frozen=True)
class SkippedView:
    rule: str
    title: str
    reason: str


@dataclass(frozen=True)
class ReportPage:
    name: str
    title: str
    body: str
    year: str
    format: str
    source: str
    prior: str | None
    counts: tuple[CountView, ...]
    total: int
    rules_run: int
    categories: tuple[CategoryView, ...]
    tables: tuple[TableView, ...]
    excerpts: tuple[tuple[SourceLine, ...], ...]
    skipped: tuple[SkippedView, ...]
    warnings: tuple[str, ...]
    notice: str | None


def display_value(value: int | Decimal | None) -> str:
    return "" if value is None else str(value)


def _worst(links: tuple[Link, ...]) -> str | None:
    return min((link.severity for link in links), key=SEVERITIES.index, default=None)


#: Row index standing for the column headings in a place ``(table, row, column)``.
HEADING = -1


class _Anchors:
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
    found = [c for c, cell in enumerate(table.cells.iloc[r]) if cell is not None and cell.line == line]
    return found[0] if len(found) == 1 else None


def _anchor(*spot: int) -> str:
    return "t" + "-".join("h" if n == HEADING else str(n) for n in spot)


def _cell(table: Table, spot: tuple[int, int, int], anchors: _Anchors) -> CellView:
    cell = table.cells.iat[spot[1], spot[2]]
    links = anchors.links(*spot)
    if cell is None:
        return CellView("未读到", "missing", _anchor(*spot), links, _worst(links), None)
    if cell.blank:
        # Show what the report wrote ("-", "/") so the auditor sees the blank as the agency typed it.
        return CellView(cell.raw.strip() or "空", "blank", _anchor(*spot), links, _worst(links), cell.line)
    return CellView(display_value(cell.value), "value", _anchor(*spot), links, _worst(links), cell.line)


def _row_state(table: Table, label: str) -> str:
    if label in table.missing_rows:
        return "missing"
    return "unreadable" if label in table.unreadable_rows else "read"


def _tables(audit: ReportAudit, anchors: _Anchors) -> tuple[TableView, ...]:
    views = []
    for t, (name, table) in enumerate(audit.report.tables.items()):
        rows = tuple(
            RowView(label, _row_state(table, label), _anchor(t, r), anchors.links(t, r),
                    _worst(anchors.links(t, r)),
                    tuple(_cell(table, (t, r, c), anchors) for c in range(len(table.columns))))
            for r, label in enumerate(table.rows))
        headings = tuple(HeaderView(label, _anchor(t, HEADING, c), anchors.links(t, HEADING, c),
                                    _worst(anchors.links(t, HEADING, c)))
                         for c, label in enumerate(table.columns))
        views.append(TableView(table_caption(audit.report, name), _anchor(t), headings,
                               rows, anchors.links(t), _worst(anchors.links(t)), table.present))
    return tuple(views)


def _excerpts(audit: ReportAudit, numbered: list[tuple[Finding, Link]]) -> tuple[tuple[SourceLine, ...], ...]:
    """The quoted lines with their neighbours, merged into runs of consecutive lines."""
    report = audit.report
    by_line: dict[int, list[Link]] = {}
    for finding, link in numbered:
        line = finding.location.line
        if line is not None and 1 <= line <= len(report.lines):
            by_line.setdefault(line, []).append(link)
    shown = sorted({n for line in by_line
                    for n in range(max(1, line - CONTEXT_LINES), min(len(report.lines), line + CONTEXT_LINES) + 1)})
    runs: list[list[SourceLine]] = []
    for n in shown:
        if not runs or runs[-1][-1].number != n - 1:
            runs.append([])
        runs[-1].append(SourceLine(n, report.lines[n - 1].rstrip(), f"L{n}", tuple(by_line.get(n, ()))))
    return tuple(tuple(run) for run in runs)


def _counts(audit: ReportAudit, settings: Settings) -> tuple[CountView, ...]:
    return tuple(CountView(s, settings.severity(s), audit.count(s)) for s in SEVERITIES)


def category_order(codes: set[str], settings: Settings) -> list[str]:
    """Categories in the order the settings list them, then any others alphabetically."""
    known = [c for c in settings.category_labels if c in codes]
    return known + sorted(codes - set(known))


def _finding_view(finding: Finding, link: Link, audit: ReportAudit, anchors: _Anchors,
                  rules: dict[str, RuleInfo], settings: Settings) -> FindingView:
    report, where = audit.report, finding.location
    quoted = where.line is not None and 1 <= where.line <= len(report.lines)
    return FindingView(
        number=link.number, anchor=link.anchor, rule=finding.rule,
        rule_title=rules[finding.rule].title if finding.rule in rules else "",
        severity=finding.severity, severity_label=settings.severity(finding.severity),
        message=finding.message, place=place(where, report),
        line_anchor=f"L{where.line}" if quoted else None,
        quote=where.quote or report.line_text(where.line),
        expected=finding.expected, actual=finding.actual, basis=finding.basis, remedy=finding.remedy,
        cell_anchor=anchors.target.get(link.number))


def _format_name(name: str | None) -> str:
    """``2019年格式（国办公开办函〔2019〕60号）``: the format the tables were read in, with its notice."""
    fmt = load_formats().get(name) if name else None
    if fmt is None:
        return name or UNKNOWN
    return f"{fmt.name}年格式（{fmt.notice}）"


def build_report_page(audit: ReportAudit, name: str, notice: str | None, rules: dict[str, RuleInfo],
                      settings: Settings) -> ReportPage:
    """The page of one report. ``notice`` is the link to its notice, None when it needs none."""
    report = audit.report
    counter = itertools.count(1)
    groups = [(code, [(f, Link(f"f{n}", n, f.severity))
                      for f, n in zip(ordered([f for f in audit.findings if f.category == code]), counter)])
              for code in category_order({f.category for f in audit.findings}, settings)]
    numbered = [pair for _, pairs in groups for pair in pairs]
    anchors = _Anchors(numbered, report)
    categories = tuple(
        CategoryView(settings.category(code),
                     tuple(_finding_view(f, link, audit, anchors, rules, settings) for f, link in pairs))
        for code, pairs in groups)
    return ReportPage(
        name=name, title=report_title(report), body=body(report), year=year(report), format=_format_name(report.format),
        source=report.source, prior=audit.prior, counts=_counts(audit, settings),
        total=len(audit.findings), rules_run=len(audit.rules_run), categories=categories,
        tables=_tables(audit, anchors), excerpts=_excerpts(audit, numbered),
        skipped=tuple(SkippedView(s.rule, rules[s.rule].title if s.rule in rules else "", s.reason)
                      for s in audit.skipped),
        warnings=tuple(f"第{w.line}行：{w.message}" if w.line else w.message for w in report.warnings),
        notice=notice)

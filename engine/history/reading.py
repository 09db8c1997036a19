"""Read-back queries of the store, each on an open connection: the runs with their counts, and one
report's recorded audit with its findings as :class:`engine.model.Finding` (fingerprints as stored).

These are what resubmission statuses, review, prior years from history and ``ogi-audit history`` are
built on; :class:`engine.history.store.HistoryStore` gives them a transaction and its error messages.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property

from sqlalchemy import Connection, Select, Table, func, select

from ..model import Finding, Skipped
from .figures import Figures, read_figures
from .rows import finding_from_row

Tables = dict[str, Table]


@dataclass(frozen=True)
class RunSummary:
    """One recorded run and how much it holds."""

    id: int
    at: datetime
    by: str | None
    tool_version: str
    rules_version: str
    formats_version: str
    inputs: int
    reports: int
    findings: int
    unreadable: int


@dataclass(frozen=True)
class StoredAudit:
    """One report's audit as recorded: its input (``number`` in the run, source, sha256), body, year
    and format, its findings and the checks not run, in the order the audit gave them, and its tables'
    figures (read on first use)."""

    run: RunSummary
    number: int
    source: str
    sha256: str | None
    body: str | None
    year: int | None
    format: str | None
    findings: list[Finding]
    skipped: list[Skipped]
    figures_json: str

    @cached_property
    def figures(self) -> Figures:
        return read_figures(self.figures_json)


def run_summaries(connection: Connection, t: Tables, only: int | None = None) -> list[RunSummary]:
    """Every run oldest first, or the run ``only``."""
    inputs = t["inputs"]
    counts = {"inputs": _count(inputs, only), "reports": _count(t["reports"], only),
              "findings": _count(t["findings"], only),
              "unreadable": _count(inputs, only).where(inputs.c.unreadable.is_not(None))}
    runs = select(t["runs"]).order_by(t["runs"].c.id)
    if only is not None:
        runs = runs.where(t["runs"].c.id == only)
    found = {key: dict(connection.execute(query).all()) for key, query in counts.items()}
    return [RunSummary(id=row.id, at=as_utc(row.at), by=row.by, tool_version=row.tool_version,
                       rules_version=row.rules_version, formats_version=row.formats_version,
                       **{key: found[key].get(row.id, 0) for key in counts})
            for row in connection.execute(runs)]


def _count(table: Table, only: int | None) -> Select:
    query = select(table.c.run, func.count()).group_by(table.c.run)
    return query if only is None else query.where(table.c.run == only)


def latest_of(connection: Connection, t: Tables, names: list[str], year: int) -> tuple[int, int] | None:
    """The (run, input number) of the latest report of ``year`` recorded under one of ``names`` (the
    body's names, most specific first: the first name found decides), first input of its run."""
    reports, by_name = t["reports"], t["report_names"]
    query = (select(by_name.c.run, by_name.c.number, by_name.c.name)
             .join(reports, (reports.c.run == by_name.c.run) & (reports.c.number == by_name.c.number))
             .where(by_name.c.name.in_(names), reports.c.year == year))
    found = connection.execute(query).all()
    if not found:
        return None
    best = min(found, key=lambda row: (names.index(row.name), -row.run, row.number))
    return best.run, best.number


def stored_audit(connection: Connection, t: Tables, run: int, number: int) -> StoredAudit:
    reports, inputs = t["reports"], t["inputs"]
    report = connection.execute(
        select(reports, inputs.c.source, inputs.c.sha256)
        .join(inputs, (inputs.c.run == reports.c.run) & (inputs.c.number == reports.c.number))
        .where(reports.c.run == run, reports.c.number == number)).one()

    def of_report(table: Table) -> Select:
        return select(table).where(table.c.run == run, table.c.number == number).order_by(table.c.position)

    findings = [finding_from_row(row, report.body, report.year) for row in connection.execute(of_report(t["findings"]))]
    skipped = [Skipped(row.rule, row.reason) for row in connection.execute(of_report(t["skipped"]))]
    return StoredAudit(run=run_summaries(connection, t, run)[0], number=number, source=report.source,
                       sha256=report.sha256, body=report.body, year=report.year, format=report.format,
                       findings=findings, skipped=skipped, figures_json=report.figures)


def as_utc(at: datetime) -> datetime:
    """SQLite gives back the UTC time it was given without its zone; PostgreSQL, in the session's."""
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)

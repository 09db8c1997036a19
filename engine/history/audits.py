"""The recorded audits of one body, or of all, with their counts: what ``ogi-audit history`` lists.

A body is found as pairing finds it (:func:`engine.pairing.body_names`): by any of its names, and,
as :meth:`engine.history.store.HistoryStore.last_audit` does for each year, the most specific name
found decides, so that 乙区科学技术局 asked for by its city's full name does not bring in another
city's office of the same short name when the full one is recorded for that year. The counts are of the
findings as recorded (a later review does not change what a run found) and of the checks not run.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Select, Table, func, select

from .reading import Tables, as_utc

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class AuditSummary:
    """One report's recorded audit: its run, when, which input, and how much it found."""

    run: int
    at: datetime
    number: int
    source: str
    sha256: str | None
    body: str | None
    year: int | None
    format: str | None
    errors: int
    warnings: int
    info: int
    skipped: int


def audit_summaries(connection: Connection, t: Tables, names: list[str] | None = None) -> list[AuditSummary]:
    """Every recorded audit oldest first, or those of the body going by ``names`` (most specific
    first; see the module docstring)."""
    reports, inputs, runs = t["reports"], t["inputs"], t["runs"]
    query = (select(reports.c.run, reports.c.number, reports.c.body, reports.c.year, reports.c.format,
                    inputs.c.source, inputs.c.sha256, runs.c.at)
             .join(inputs, (inputs.c.run == reports.c.run) & (inputs.c.number == reports.c.number))
             .join(runs, runs.c.id == reports.c.run)
             .order_by(reports.c.run, reports.c.number))
    rows = connection.execute(query).all()
    if names is not None:
        chosen = _of_body(connection, t, names)
        rows = [row for row in rows if (row.run, row.number) in chosen]
    findings = _counts(connection, t["findings"], t["findings"].c.severity)
    skipped = _counts(connection, t["skipped"])
    return [AuditSummary(row.run, as_utc(row.at), row.number, row.source, row.sha256, row.body, row.year, row.format,
                         *(findings.get((row.run, row.number, s), 0) for s in SEVERITIES),
                         skipped.get((row.run, row.number), 0))
            for row in rows]


def _of_body(connection: Connection, t: Tables, names: list[str]) -> set[tuple[int, int]]:
    """The (run, input) of the reports recorded under ``names``: per year, those under the most
    specific name found for that year."""
    by_name = t["report_names"]
    query = (select(by_name.c.run, by_name.c.number, by_name.c.name, t["reports"].c.year)
             .join(t["reports"], (t["reports"].c.run == by_name.c.run) & (t["reports"].c.number == by_name.c.number))
             .where(by_name.c.name.in_(names)))
    found = connection.execute(query).all()
    best: dict[int | None, int] = {}
    for row in found:
        best[row.year] = min(best.get(row.year, len(names)), names.index(row.name))
    return {(row.run, row.number) for row in found if names.index(row.name) == best[row.year]}


def _counts(connection: Connection, table: Table, *by) -> dict[tuple, int]:
    query: Select = select(table.c.run, table.c.number, *by, func.count()).group_by(table.c.run, table.c.number, *by)
    return {tuple(row[:-1]): row[-1] for row in connection.execute(query)}

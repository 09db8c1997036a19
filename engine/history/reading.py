"""Read-back queries of the store, each on an open connection: the runs with their counts, the latest
report of each of many bodies and years, and recorded audits with their findings as
:class:`engine.model.Finding` (fingerprints as stored).

These are what resubmission statuses, review, prior years from history, incremental runs and
``ogi-audit history`` are built on; :class:`engine.history.store.HistoryStore` gives them a
transaction and its error messages. A batch asks about all its reports at once: each query takes up to
:data:`CHUNK` keys in an IN list, so that the cost per report is a share of a few queries, not a few
queries of its own (a batch of 400 reports a second has about 2 ms per report for everything).
"""
from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Connection, Select, Table, func, literal, or_, select

from ..model import Finding, Report, Skipped
from .figures import Figures, read_figures
from .rows import finding_from_row

Tables = dict[str, Table]
T = TypeVar("T")

#: Keys asked for in one query (well under the bound parameters SQLite and PostgreSQL take).
CHUNK = 500


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
    """One report's audit as recorded: its input (``number`` in the run, source, sha256), body, year,
    format and kind of file, its findings and the checks not run, in the order the audit gave them, its
    tables' figures (read on first use), the rules run, and the prior-year report it was audited with
    (``prior``, its source; ``prior_digest``, :func:`engine.history.reuse.prior_digest` of it)."""

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
    kind: str = "文本"
    rules_run: list[str] = field(default_factory=list)
    prior: str | None = None
    prior_digest: str | None = None
    #: Where each line its findings name is in the submitted file (JSON; None: recorded before version 5).
    places_json: str | None = None

    @cached_property
    def figures(self) -> Figures:
        return read_figures(self.figures_json)

    def report(self) -> Report:
        """The report as the store keeps it: what the prior-year rules read of it (its tables and
        what of them could not be read, format, body, year) and its kind of file; no text."""
        figures = self.figures
        return Report(source=self.source, body=self.body, year=self.year, format=self.format, kind=self.kind,
                      tables=figures.tables, unread=figures.unread)


def run_summaries(connection: Connection, t: Tables, only: Collection[int] | None = None) -> list[RunSummary]:
    """Every run oldest first, or the runs ``only``."""
    if only is None:
        return _summaries(connection, t, None)
    return [summary for chunk in chunks(sorted(only)) for summary in _summaries(connection, t, chunk)]


def _summaries(connection: Connection, t: Tables, only: Sequence[int] | None) -> list[RunSummary]:
    inputs = t["inputs"]
    counts = {"inputs": _count(inputs, only), "reports": _count(t["reports"], only),
              "findings": _count(t["findings"], only),
              "unreadable": _count(inputs, only).where(inputs.c.unreadable.is_not(None))}
    runs = select(t["runs"]).order_by(t["runs"].c.id)
    if only is not None:
        runs = runs.where(t["runs"].c.id.in_(only))
    found = {key: dict(connection.execute(query).all()) for key, query in counts.items()}
    return [RunSummary(id=row.id, at=as_utc(row.at), by=row.by, tool_version=row.tool_version,
                       rules_version=row.rules_version, formats_version=row.formats_version,
                       **{key: found[key].get(row.id, 0) for key in counts})
            for row in connection.execute(runs)]


def _count(table: Table, only: Sequence[int] | None) -> Select:
    query = select(table.c.run, func.count()).group_by(table.c.run)
    return query if only is None else query.where(table.c.run.in_(only))


def chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    """``items`` in slices of at most :data:`CHUNK`, one query's IN list each."""
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


@dataclass(frozen=True)
class Recorded:
    """A report recorded under a name for a year: where (run, input number), and the sha256 of the
    file it was read from (None: not a file)."""

    run: int
    number: int
    sha256: str | None


@dataclass(frozen=True)
class Latest:
    """Where the latest report of a body and year is recorded (run, input number), and the other
    inputs of that run recorded under the same name for that year (``rivals``): a run that holds
    several reports of one body and year does not say which was published."""

    run: int
    number: int
    rivals: tuple[int, ...]

    @classmethod
    def of(cls, recorded: Sequence[Recorded], run: int) -> Latest:
        """The first report of ``run`` among ``recorded``, the others of that run its rivals."""
        numbers = sorted(r.number for r in recorded if r.run == run)
        return cls(run, numbers[0], tuple(numbers[1:]))


def latest_of_each(connection: Connection, t: Tables, wanted: Sequence[tuple[list[str], int]]) -> list[Latest | None]:
    """For each (names, year) of ``wanted`` (a body's names, most specific first), the latest report
    of that year recorded under one of the names: the first name found decides, then the latest run,
    then its first input."""
    return [None if found is None else Latest.of(found, max(r.run for r in found))
            for found in recorded_under(connection, t, wanted)]


def recorded_under(connection: Connection, t: Tables, wanted: Sequence[tuple[list[str], int]],
                   files: bool = False) -> list[list[Recorded] | None]:
    """For each (names, year) of ``wanted`` (a body's names, most specific first), the reports of that
    year recorded under the first of the names that has any, None where none has; with ``files``, each
    with the sha256 of its file (else None: the join costs as much as the rest of the query). One
    query per :data:`CHUNK` names, whatever the number of bodies."""
    reports, by_name, inputs = t["reports"], t["report_names"], t["inputs"]
    asked = {(name, year) for names, year in wanted for name in names}
    years = sorted({year for _, year in asked})
    found: dict[tuple[str, int], list[Recorded]] = {}
    for names in chunks(sorted({name for name, _ in asked})):
        # ``year + 0``: given ``year IN`` itself, SQLite's planner walks reports_by_year, every report of
        # those years (the whole store, a hundred times slower), not the names' index; the sum it
        # cannot look up, so it filters the names' rows, and a name's other years are not fetched.
        query = (select(by_name.c.name, reports.c.year, by_name.c.run, by_name.c.number,
                        inputs.c.sha256 if files else literal(None).label("sha256"))
                 .join(reports, (reports.c.run == by_name.c.run) & (reports.c.number == by_name.c.number))
                 .where(by_name.c.name.in_(names), (reports.c.year + 0).in_(years)))
        if files:
            query = query.join(inputs, (inputs.c.run == by_name.c.run) & (inputs.c.number == by_name.c.number))
        for row in connection.execute(query):
            if (row.name, row.year) in asked:
                found.setdefault((row.name, row.year), []).append(Recorded(row.run, row.number, row.sha256))
    return [next((found[name, year] for name in names if (name, year) in found), None) for names, year in wanted]


def stored_audits(connection: Connection, t: Tables, places: Iterable[tuple[int, int]], *, findings: bool = True,
                  summaries: dict[int, RunSummary] | None = None) -> dict[tuple[int, int], StoredAudit]:
    """The recorded audits at ``places`` (run, input number), by place, in a few queries per
    :data:`CHUNK` places. ``findings=False`` leaves their findings and skipped checks empty, for a
    reader of the figures alone (prior years), which would otherwise pay for rows it never reads.
    ``summaries``, where given, holds the summaries of the runs read so far and is added to: a caller
    that reads many chunks of one run's audits counts that run's rows once (counting a 20,000-report
    run's rows took 15 ms, once for every chunk read)."""
    reports, inputs = t["reports"], t["inputs"]
    rows: dict[tuple[int, int], Any] = {}
    found: dict[tuple[int, int], list[Finding]] = {}
    skipped: dict[tuple[int, int], list[Skipped]] = {}
    for chunk in chunks(sorted(set(places))):
        query = (select(reports, inputs.c.source, inputs.c.sha256)
                 .join(inputs, (inputs.c.run == reports.c.run) & (inputs.c.number == reports.c.number))
                 .where(at_places(reports.c.run, reports.c.number, chunk)))
        rows.update(((row.run, row.number), row) for row in connection.execute(query))
        if not findings:
            continue
        for row in connection.execute(_of_places(t["findings"], chunk)):
            report = rows[row.run, row.number]
            found.setdefault((row.run, row.number), []).append(finding_from_row(row, report.body, report.year))
        for row in connection.execute(_of_places(t["skipped"], chunk)):
            skipped.setdefault((row.run, row.number), []).append(Skipped(row.rule, row.reason))
    summaries = {} if summaries is None else summaries
    summaries.update((summary.id, summary) for summary in run_summaries(
        connection, t, {run for run, _ in rows if run not in summaries}))
    return {place: StoredAudit(run=summaries[row.run], number=row.number, source=row.source, sha256=row.sha256,
                               body=row.body, year=row.year, format=row.format, findings=found.get(place, []),
                               skipped=skipped.get(place, []), figures_json=row.figures, kind=row.kind,
                               rules_run=json.loads(row.rules_run), prior=row.prior, prior_digest=row.prior_digest,
                               places_json=row.places)
            for place, row in rows.items()}


def at_places(run: ColumnElement[int], key: ColumnElement[Any], places: Sequence[tuple[int, Any]]) -> ColumnElement[bool]:
    """The rows at ``places`` (a run and a ``key`` in it: an input's number, its source), as one
    condition per run: SQLite finds each on the run's index where it scans the whole table for a
    tuple IN list, and PostgreSQL alike."""
    by_run: dict[int, list[Any]] = {}
    for at, value in places:
        by_run.setdefault(at, []).append(value)
    return or_(*((run == at) & key.in_(values) for at, values in by_run.items()))


def _of_places(table: Table, places: Sequence[tuple[int, int]]) -> Select:
    return (select(table).where(at_places(table.c.run, table.c.number, places))
            .order_by(table.c.run, table.c.number, table.c.position))


def as_utc(at: datetime) -> datetime:
    """SQLite gives back the UTC time it was given without its zone; PostgreSQL, in the session's."""
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)

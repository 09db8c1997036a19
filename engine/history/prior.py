"""Last year's report from the history store, for the prior-year rules, when it is not among the inputs.

Next January an office audits this year's reports alone; last year's were audited, and recorded, a
year before. The prior-year rules (rules/prior_year.yaml) read of a prior report its tables, format,
body and year (:class:`engine.facts.Facts`), which the store keeps (:mod:`engine.history.figures`), so
a report is made of them and the rules run as with the file. The pairing within the batch still comes
first, and a body that the batch holds a report of the year before for is never paired from the store
instead (a name several of them go by pairs with none, as :func:`engine.pairing.pair_prior` says):
the store is asked only about bodies the batch has nothing of the year before for. Likewise a recorded
run that holds several reports of the body's year before, with other figures, gives none: which of
them was last year's report is not known, and the wrong one would accuse the agency with figures it
did not publish.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Connection, select

from ..model import PriorRecord, Report
from ..pairing import body_names
from ..wording import BodyWording
from .reading import StoredAudit, Tables

if TYPE_CHECKING:
    from .store import HistoryStore


def stored_report(stored: StoredAudit) -> Report:
    """The report as the prior-year rules read it: its tables and what of them could not be read."""
    figures = stored.figures
    return Report(source=stored.source, body=stored.body, year=stored.year, format=stored.format,
                  tables=figures.tables, unread=figures.unread)


def stored_priors(reports: list[Report], paired: dict[int, Report], history: HistoryStore,
                  bodies: BodyWording) -> dict[int, tuple[Report, PriorRecord]]:
    """For each report (by position) that the batch gave no prior for and that has none of the year
    before in the batch by any of its names, its body's last recorded report of the year before, with
    the record it came from."""
    in_batch = {(name, report.year) for report in reports if report.year
                for name in body_names(report.body, bodies)}
    found = {}
    for i, report in enumerate(reports):
        if i in paired or not report.year:
            continue
        names = body_names(report.body, bodies)
        if not names or any((name, report.year - 1) in in_batch for name in names):
            continue
        stored = history.last_audit(report.body, report.year - 1)
        if stored is not None and history.read(lambda connection: _alone(connection, history.tables, stored, names)):
            found[i] = stored_report(stored), PriorRecord(stored.run.id, stored.run.at)
    return found


def _alone(connection: Connection, tables: Tables, stored: StoredAudit, names: list[str]) -> bool:
    """Whether the reports of ``stored``'s run and year under the name that found it (the most
    specific of ``names`` found, as last_audit takes it) all have its figures."""
    by_name, reports = tables["report_names"], tables["reports"]
    rows = connection.execute(
        select(by_name.c.name, reports.c.figures)
        .join(reports, (reports.c.run == by_name.c.run) & (reports.c.number == by_name.c.number))
        .where(by_name.c.run == stored.run.id, reports.c.year == stored.year, by_name.c.name.in_(names))).all()
    first = min(names.index(row.name) for row in rows)
    return {row.figures for row in rows if names.index(row.name) == first} == {stored.figures_json}

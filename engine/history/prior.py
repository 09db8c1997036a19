"""Last year's report from the history store, for the prior-year rules, when it is not among the inputs.

Next January an office audits this year's reports alone; last year's were audited, and recorded, a
year before. The prior-year rules (rules/prior_year.yaml) read of a prior report its tables, format,
body and year (:class:`engine.facts.Facts`), which the store keeps (:mod:`engine.history.figures`), so
a report is made of them and the rules run as with the file. The pairing within the batch still comes
first, and a body that the batch holds a report of the year before for is never paired from the store
instead (a name several of them go by pairs with none, as :func:`engine.pairing.pair_prior` says):
the store is asked only about bodies the batch has nothing of the year before for.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import PriorRecord, Report
from ..pairing import body_names
from ..wording import BodyWording
from .reading import StoredAudit

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
        if stored is not None:
            found[i] = stored_report(stored), PriorRecord(stored.run.id, stored.run.at)
    return found

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

from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING, Protocol, TypeVar

from sqlalchemy import Connection, select

from ..model import PriorRecord, Report
from ..pairing import body_names
from ..wording import BodyWording
from .reading import Latest, RunSummary, StoredAudit, Tables, at_places, chunks, latest_of_each, stored_audits

if TYPE_CHECKING:
    from .store import HistoryStore


Kept = TypeVar("Kept")

#: Reports whose priors are read and handed to the batch at a time. A chunk's recorded audits are held
#: together while their priors are made (each with its figures' JSON, then a report of about 24 KB):
#: at the store's 500 (reading.CHUNK) the batch's own process held 12 MB for them beside the rest.
ASKED = 64


def _itself(report: Report) -> Report:
    return report


class Dated(Protocol):
    """What the pairing reads of a report: a :class:`engine.model.Report`, or the batch's summary of one."""

    body: str | None
    year: int | None


def stored_priors(reports: Sequence[Dated], paired: Collection[int], history: HistoryStore,
                  bodies: BodyWording, kept: Callable[[Report], Kept] = _itself) -> dict[int, tuple[Kept, PriorRecord]]:
    """For each report (by position) that the batch gave no prior for (``paired``: the positions it
    gave one) and that has none of the year before in the batch by any of its names, its body's last
    recorded report of the year before, as ``kept`` keeps it, with the record it came from. One read
    transaction, the (names, year) asked :data:`ASKED` at a time, each chunk's
    priors given to ``kept`` before the next is read: a batch keeps them on disk
    (engine.batch.pipeline), since a report made of its recorded figures takes about 24 KB, and next
    year's batch of a province has one for nearly every report. The reports that ask for the same
    names and year (one report given several times) are asked for once and share the prior kept."""
    names = [body_names(report.body, bodies) if report.year else [] for report in reports]
    in_batch = {(name, report.year) for report, own in zip(reports, names) for name in own}
    asking: dict[tuple[tuple[str, ...], int], list[int]] = {}  # each (names, year) asked once, for all who ask
    for i, report in enumerate(reports):
        if i not in paired and names[i] and not any((name, report.year - 1) in in_batch for name in names[i]):
            asking.setdefault((tuple(names[i]), report.year - 1), []).append(i)
    wanted = list(asking)

    def query(connection: Connection) -> dict[int, tuple[Kept, PriorRecord]]:
        found, summaries = {}, {}
        for start in range(0, len(wanted), ASKED):
            part = wanted[start:start + ASKED]
            for key, stored in zip(part, _alone_audits(connection, history.tables, part, summaries), strict=True):
                if stored is not None:
                    prior = kept(stored.report()), PriorRecord(stored.run.id, stored.run.at)
                    found.update((i, prior) for i in asking[key])
        return found
    return history.read(query)


def _alone_audits(connection: Connection, t: Tables, wanted: Sequence[tuple[Sequence[str], int]],
                  summaries: dict[int, RunSummary]) -> list[StoredAudit | None]:
    """The latest recorded report of each (names, year), where its run holds no other report of that
    year under the name that found it with other figures (see the module docstring); ``summaries``
    as :func:`~engine.history.reading.stored_audits` takes them."""
    latest = latest_of_each(connection, t, wanted)
    places = {(found.run, found.number) for found in latest if found is not None}
    audits = stored_audits(connection, t, places, findings=False, summaries=summaries)
    rivals = _figures(connection, t, [(found.run, rival) for found in latest if found is not None
                                      for rival in found.rivals])
    return [None if found is None or not _alone(found, audits[found.run, found.number], rivals)
            else audits[found.run, found.number] for found in latest]


def _alone(found: Latest, stored: StoredAudit, rivals: dict[tuple[int, int], str]) -> bool:
    return all(rivals[found.run, rival] == stored.figures_json for rival in found.rivals)


def _figures(connection: Connection, t: Tables, places: list[tuple[int, int]]) -> dict[tuple[int, int], str]:
    reports, found = t["reports"], {}
    for chunk in chunks(sorted(set(places))):
        query = select(reports.c.run, reports.c.number, reports.c.figures).where(
            at_places(reports.c.run, reports.c.number, chunk))
        found.update(((row.run, row.number), row.figures) for row in connection.execute(query))
    return found

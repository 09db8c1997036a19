"""Incremental runs (issue 10, point 5): an input audited before is given its recorded results again
instead of being read and audited, when nothing its results depend on has changed.

A report's findings depend on its bytes (the input's sha256), on the rules and the formats (their
versions hash every file they are read from: :mod:`engine.history.versions`), on the tool's code (its
version) and on the prior-year report the prior-year rules read: its body, year, format and figures,
all that :class:`engine.facts.Facts` reads of a prior (:func:`prior_digest`). Statuses and reviews are
not among them: they come from the store as it is now, so the pipeline sets them on a reused audit as
on any other (:func:`engine.resubmission.follow_up`).

The contract, for the batch pipeline:

1. Ask :meth:`engine.history.store.HistoryStore.reusable` about every input's sha256 with
   ``Versions.of(rules_dir)`` (a few queries per :data:`engine.history.reading.CHUNK` inputs): for
   each sha256 it knows, the latest audit of those bytes recorded under the same three versions. An
   audit recorded with a prior but no digest of it (before schema version 3), or without the places
   of its findings' lines in the file (before version 5) unless it was read from a text file (whose
   places are its line numbers, :meth:`engine.model.Report.place` without places), is never given.
2. Pair the batch as usual, taking a reused input's body and year from the store, and find each
   report's prior (in the batch, else from the store: :func:`engine.history.prior.stored_priors`).
3. Give an input its recorded results only when ``prior_digest(its prior now)`` equals the stored
   :attr:`~engine.history.reading.StoredAudit.prior_digest` (both None when it has no prior);
   otherwise read and audit it as if new.
4. :func:`reused_audit` is its audit: a report without text (no lines, sections, contact, period or
   warnings; what the rules found in them is in the findings), its tables from the figures, and the
   findings, checks not run, rules run and prior as recorded, and where its findings' lines are in
   the submitted file. The caller sets ``report.source`` to the path given now (the bytes may have
   been recorded under another name), and ``prior_record`` where
   the prior came from the store. Having no text, it is found a duplicate of another input only by
   its body and year (:func:`engine.audit.report_identity`), not by the same text.
5. Record the run whole as any other (:meth:`~engine.history.store.HistoryStore.recording`): each audit's
   prior digest is worked out there from the prior it names, the store's audit that ``prior_record``
   names (:func:`stored_prior_digests`) or the batch's own report by its source, from its row once the
   run is written (:func:`record_batch_prior_digests`), so the next run can reuse it in turn. A prior
   named by neither is recorded without a digest, and its audit is never reused.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from sqlalchemy import Connection, bindparam, or_, select, update

from ..model import TEXT_KIND, Report, ReportAudit
from .figures import figures_json
from .reading import RunSummary, StoredAudit, Tables, at_places, chunks, stored_audits
from .versions import Versions


def prior_digest(report: Report | None) -> str | None:
    """The digest of a prior-year report as the prior-year rules read it, None for no prior. A report
    read back from the store (:meth:`~engine.history.reading.StoredAudit.report`) has the digest of the
    report it was recorded from, since its figures are written back as they were read."""
    return None if report is None else figures_digest(report.body, report.year, report.format, figures_json(report))


def figures_digest(body: str | None, year: int | None, format: str | None, figures: str) -> str:
    """:func:`prior_digest` of a report from what the store keeps of it (``figures``: its figures_json)."""
    head = json.dumps([body, year, format], ensure_ascii=False)
    return hashlib.sha256(f"{head}\n{figures}".encode("utf-8")).hexdigest()


def reused_audit(stored: StoredAudit, report: Report | None = None) -> ReportAudit:
    """The audit ``stored`` recorded, given again (see step 4 of the module docstring), with ``report``
    as its report where given (a batch's summary of the same: engine.batch.summary.stored_summary), else
    :meth:`StoredAudit.report`."""
    return ReportAudit(report=stored.report() if report is None else report, findings=list(stored.findings),
                       skipped=list(stored.skipped), rules_run=list(stored.rules_run), prior=stored.prior,
                       reused_from=(stored.run.id, stored.number))


def reusable_audits(connection: Connection, t: Tables, sha256s: Sequence[str], versions: Versions,
                    summaries: dict[int, RunSummary] | None = None) -> dict[str, StoredAudit]:
    """For each of ``sha256s`` recorded, the latest audit of those bytes under ``versions`` (the
    first input of its run where the run had the bytes twice) whose prior digest is known;
    ``summaries`` as :func:`~engine.history.reading.stored_audits` takes them."""
    inputs, reports, runs = t["inputs"], t["reports"], t["runs"]
    latest: dict[str, tuple[int, int]] = {}
    for chunk in chunks(sorted(set(sha256s))):
        query = (select(inputs.c.sha256, inputs.c.run, inputs.c.number)
                 .join(reports, (reports.c.run == inputs.c.run) & (reports.c.number == inputs.c.number))
                 .join(runs, runs.c.id == inputs.c.run)
                 .where(inputs.c.sha256.in_(chunk), runs.c.tool_version == versions.tool,
                        runs.c.rules_version == versions.rules, runs.c.formats_version == versions.formats,
                        or_(reports.c.prior.is_(None), reports.c.prior_digest.is_not(None)),
                        or_(reports.c.places.is_not(None), reports.c.kind == TEXT_KIND)))
        for row in connection.execute(query):
            best = latest.get(row.sha256)
            if best is None or (-row.run, row.number) < (-best[0], best[1]):
                latest[row.sha256] = row.run, row.number
    audits = stored_audits(connection, t, latest.values(), summaries=summaries)
    return {sha256: audits[place] for sha256, place in latest.items()}


def stored_prior_digests(connection: Connection, t: Tables, audits: Sequence[ReportAudit]) -> list[str | None]:
    """For each of ``audits`` (a chunk of a run being recorded), the digest of the prior it took from
    the store (``prior_record``); None for the others, and where the store no longer holds it."""
    wanted = sorted({(audit.prior_record.run, audit.prior) for audit in audits
                     if audit.prior is not None and audit.prior_record is not None})
    stored = _stored_priors(connection, t, wanted) if wanted else {}
    return [None if audit.prior is None or audit.prior_record is None
            else stored.get((audit.prior_record.run, audit.prior)) for audit in audits]


def record_batch_prior_digests(connection: Connection, t: Tables, run: int, numbers: Sequence[int]) -> None:
    """Once a run's rows are written: the digest of each prior of the batch itself, for the audits of
    ``numbers`` (those that name a prior of their own run), made from the prior's row as written, so
    that the audits are read once to record a run (a large batch's are on disk, engine.batch.spool),
    whichever comes first of a report and its prior. A prior the run does not hold leaves none."""
    reports, inputs = t["reports"], t["inputs"]
    named: dict[int, str] = {}
    for chunk in chunks(sorted(numbers)):
        query = select(reports.c.number, reports.c.prior).where(reports.c.run == run, reports.c.number.in_(chunk))
        named.update((row.number, row.prior) for row in connection.execute(query))
    digests: dict[str, str] = {}
    for chunk in chunks(sorted(set(named.values()))):
        query = (select(inputs.c.source, reports.c.body, reports.c.year, reports.c.format, reports.c.figures)
                 .join(reports, (reports.c.run == inputs.c.run) & (reports.c.number == inputs.c.number))
                 .where(inputs.c.run == run, inputs.c.source.in_(chunk)).order_by(inputs.c.number))
        digests.update((row.source, figures_digest(row.body, row.year, row.format, row.figures))
                       for row in connection.execute(query))
    rows = [{"at": number, "digest": digests[source]} for number, source in named.items() if source in digests]
    if rows:
        connection.execute(update(reports).where(reports.c.run == run, reports.c.number == bindparam("at"))
                           .values(prior_digest=bindparam("digest")), rows)


def _stored_priors(connection: Connection, t: Tables, wanted: list[tuple[int, str]]) -> dict[tuple[int, str], str]:
    """The digest of each prior taken from the store, by (run recorded in, source)."""
    reports, inputs = t["reports"], t["inputs"]
    found = {}
    for chunk in chunks(wanted):
        query = (select(reports.c.run, inputs.c.source, reports.c.body, reports.c.year, reports.c.format,
                        reports.c.figures)
                 .join(inputs, (inputs.c.run == reports.c.run) & (inputs.c.number == reports.c.number))
                 .where(at_places(reports.c.run, inputs.c.source, chunk)))
        for row in connection.execute(query):
            found[row.run, row.source] = figures_digest(row.body, row.year, row.format, row.figures)
    return found

"""Audit a batch: files and folders in, one :class:`engine.model.AuditRun` out.

Each input is parsed (where: engine.batch) (an input that cannot be read becomes :class:`~engine.model.Unreadable` with the
reason, never a traceback), each report is paired with the prior-year report of the same body among
the inputs (names compared in normalised form), and the rules run on every report. Inputs that are one
report twice (the same body and year, or the same text) are marked as duplicates of each other, so that
one agency gets one notice for them. The run is recorded in the history store when one is given
(:mod:`engine.history`). :func:`audit_json` is the findings file of ``ogi-audit audit`` (issue 3,
point 6).
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .batch.pipeline import Batch, not_read
from .batch.pool import Failure
from .batch.summary import text_digest
from .inputs import input_files
from .model import AuditRun, Report, ReportAudit, Unreadable
from .pairing import body_names, pair_prior
from .resubmission import follow_up, run_versions
from .rules import load_rules
from .wording import BodyWording, load_wording

if TYPE_CHECKING:
    from .history.store import HistoryStore


def run_audit(paths: Iterable[Path], rules_dir: Path, out_dir: Path | None = None,
              history: HistoryStore | None = None, batch: Batch | None = None) -> AuditRun:
    """Audit every input (``out_dir``, where the results go, is never read as one) and record the run
    in ``history`` when given; raises :class:`engine.rules.RuleFileError` before reading any input when
    a rule file is invalid (:class:`engine.history.errors.HistoryError` when the run cannot be recorded).
    A report whose prior-year report is not among the inputs gets its figures from ``history``'s last
    audit of it (:mod:`engine.history.prior`). ``batch`` says where the per-report work runs and whether
    the reports are kept on disk meanwhile (engine.batch.pipeline); by default here, in memory."""
    if history is not None:
        from .history.prior import stored_priors  # the store's modules import SQLAlchemy: only with a store
    rules = load_rules(rules_dir)
    wording = load_wording()  # before any input: a bad wording file is one clear error, not every input unread
    run = AuditRun(rules=[rule.info() for rule in rules])
    batch = batch or Batch()
    walked = list(input_files(paths, out_dir))
    files = [item for item in walked if not isinstance(item, Unreadable)]
    read = iter(batch.read(files, rules_dir))
    audits = []
    for item in walked:
        result = item if isinstance(item, Unreadable) else next(read)[1]
        if isinstance(result, Failure):
            run.unreadable.append(not_read(item, result))
        elif isinstance(result, Unreadable) or result.unreadable is not None:
            run.unreadable.append(result if isinstance(result, Unreadable) else result.unreadable)
        else:
            audits.append(result.audit)
    reports = [audit.report for audit in audits]
    priors = pair_prior(reports, wording.bodies)
    from_history = {} if history is None else stored_priors(reports, priors, history, wording.bodies)
    priors.update({i: prior for i, (prior, _) in from_history.items()})
    again = sorted(priors)
    for i, redone in zip(again, batch.audit_again([(audits[i], priors[i]) for i in again], rules_dir), strict=True):
        audits[i] = redone
    for i, (_, record) in from_history.items():
        if not isinstance(audits[i], Failure):
            audits[i].prior_record = record
    run.unreadable += [not_read(reports[i].source, audit) for i, audit in enumerate(audits) if isinstance(audit, Failure)]
    run.audits = [audit for audit in audits if not isinstance(audit, Failure)]
    mark_duplicates(run.audits, wording.bodies)
    run.versions = run_versions(rules_dir)
    if history is not None:
        follow_up(run, history)  # statuses against the last audit, and decisions, before recording this one
        history.record(run, rules_dir)
    return run


def report_identity(report: Report, bodies: BodyWording) -> tuple[str, ...] | None:
    """What makes two inputs one report: the same body and year, the body by its most specific name
    as pairing compares them (科技局 and 科学技术局 of one place are one; a name cut down, which two
    bodies may share, is not used); where the year or a name with a place was not read, nothing but the
    same text as read. None for a report with no text to compare."""
    names = body_names(report.body, bodies) if report.year else []
    if names:
        return ("body", names[0], str(report.year))
    digest = text_digest(report)
    return None if digest is None else ("text", digest)


def mark_duplicates(audits: list[ReportAudit], bodies: BodyWording) -> None:
    """Set each audit's ``duplicate_of`` to the other inputs that are the same report (input order)."""
    groups: dict[tuple[str, ...], list[ReportAudit]] = {}
    for audit in audits:
        if (same := report_identity(audit.report, bodies)) is not None:
            groups.setdefault(same, []).append(audit)
    for same, group in groups.items():
        for audit in group if len(group) > 1 else ():
            audit.duplicate_of = tuple(other.report.source for other in group if other is not audit)
            audit.duplicate_by = same[0]


def audit_json(run: AuditRun) -> list[dict[str, Any]]:
    """One object per report, then one per input that could not be read (with ``unreadable``)."""
    out = [_audit(audit) for audit in run.audits]
    out += [{"source": item.source, "body": None, "year": None, "format": None, "findings": [], "fixed": [],
             "skipped": [], "duplicate_of": [], "unreadable": item.reason, "excluded": item.excluded}
            for item in run.unreadable]
    return [{**item, "versions": run.versions} for item in out]


def _audit(audit: ReportAudit) -> dict[str, Any]:
    report = audit.report
    return {"source": report.source, "body": report.body, "year": report.year, "format": report.format,
            "prior": audit.prior, "prior_from_run": audit.prior_record.run if audit.prior_record else None,
            "duplicate_of": list(audit.duplicate_of),
            "findings": [f.to_dict() for f in audit.findings], "fixed": [f.to_dict() for f in audit.fixed],
            "compared_with_run": audit.compared_with, "skipped": [s.to_dict() for s in audit.skipped],
            "rules_run": audit.rules_run}

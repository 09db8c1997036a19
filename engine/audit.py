"""Audit a batch: files and folders in, one :class:`engine.model.AuditRun` out.

Each input is parsed (an input that cannot be read becomes :class:`~engine.model.Unreadable` with the
reason, never a traceback) and audited where the batch runs its work (engine.batch), each report is paired with the prior-year report of the same body among
the inputs (names compared in normalised form), and the rules run on every report. Inputs that are one
report twice (the same body and year, or the same text) are marked as duplicates of each other, so that
one agency gets one notice for them. The run is recorded in the history store when one is given
(:mod:`engine.history`). :func:`audit_json` is the findings file of ``ogi-audit audit`` (issue 3,
point 6).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .batch.pipeline import Batch, not_read
from .batch.pool import Failure
from .batch.spool import Brief
from .batch.summary import text_digest
from .batch.tasks import Spot
from .inputs import input_files
from .model import AuditRun, Report, ReportAudit, Unreadable
from .pairing import body_names, pair_prior
from .resubmission import follow_up, run_versions
from .rules import load_rules
from .wording import BodyWording, load_wording

if TYPE_CHECKING:
    from .history.store import HistoryStore


#: Audits loaded from the spool at a time, where a stage changes them.
CHUNK = 256


def run_audit(paths: Iterable[Path], rules_dir: Path, out_dir: Path | None = None,
              history: HistoryStore | None = None, batch: Batch | None = None) -> AuditRun:
    """Audit every input (``out_dir``, where the results go, is never read as one) and record the run
    in ``history`` when given; raises :class:`engine.rules.RuleFileError` before reading any input when
    a rule file is invalid (:class:`engine.history.errors.HistoryError` when the run cannot be recorded).
    A report whose prior-year report is not among the inputs gets its figures from ``history``'s last
    audit of it (:mod:`engine.history.prior`). ``batch`` says where the per-report work runs and whether
    the audits are kept on disk meanwhile (engine.batch.pipeline); by default here, in memory."""
    if history is not None:
        from .history.prior import stored_priors  # the store's modules import SQLAlchemy: only with a store
    rules = load_rules(rules_dir)
    wording = load_wording()  # before any input: a bad wording file is one clear error, not every input unread
    run = AuditRun(rules=[rule.info() for rule in rules])
    batch = batch or Batch()
    walked = list(input_files(paths, out_dir))
    files = [item for item in walked if not isinstance(item, Unreadable)]
    read = iter(enumerate(batch.read(files, rules_dir)))
    slots, kept = [], []  # each audit's input index, and the audit (or its brief in the spool)
    for item in walked:
        if isinstance(item, Unreadable):
            run.unreadable.append(item)
            continue
        index, result = next(read)
        if isinstance(result, Failure):
            run.unreadable.append(not_read(item, result))
        elif result.unreadable is not None:
            run.unreadable.append(result.unreadable)
        else:
            slots.append(index)
            kept.append(result.audit)
    reports = [item.report if isinstance(item, ReportAudit) else item for item in kept]
    position = {id(report): i for i, report in enumerate(reports)}
    priors = {i: position[id(prior)] for i, prior in pair_prior(reports, wording.bodies).items()}
    from_history = {} if history is None else stored_priors(reports, priors, history, wording.bodies)
    again = sorted([*priors, *from_history])

    def given(i: int) -> Report | Spot:
        return batch.spot(slots[i]) or reports[i]
    pairs = [(given(i), given(priors[i]) if i in priors else from_history[i][0]) for i in again]
    failed = set()
    for i, redone in zip(again, batch.audit_again(pairs, rules_dir), strict=True):
        if isinstance(redone, Failure):
            run.unreadable.append(not_read(reports[i].source, redone))
            failed.add(i)
        else:
            kept[i] = redone
    keep = [i for i in range(len(kept)) if i not in failed]
    run.audits = batch.audits([slots[i] for i in keep], [kept[i] for i in keep])
    records = {keep.index(i): record for i, (_, record) in from_history.items() if i not in failed}
    groups = duplicate_groups([reports[i] for i in keep], wording.bodies)
    run.versions = run_versions(rules_dir)
    for start in range(0, len(run.audits), CHUNK):
        positions = range(start, min(start + CHUNK, len(run.audits)))
        chunk = AuditRun([run.audits[i] for i in positions], rules=run.rules)
        for i, audit in zip(positions, chunk.audits, strict=True):
            audit.prior_record = records.get(i)
            audit.duplicate_of, audit.duplicate_by = groups.get(i, ((), None))
        if history is not None:
            follow_up(chunk, history)  # statuses against the last audit, and decisions, before recording
        if isinstance(run.audits, list):
            run.audits[start:start + len(chunk.audits)] = chunk.audits
        else:
            for i, audit in zip(positions, chunk.audits, strict=True):
                run.audits[i] = audit
    if history is not None:
        history.record(run, rules_dir)
    return run


def report_identity(report: Report | Brief, bodies: BodyWording) -> tuple[str, ...] | None:
    """What makes two inputs one report: the same body and year, the body by its most specific name
    as pairing compares them (科技局 and 科学技术局 of one place are one; a name cut down, which two
    bodies may share, is not used); where the year or a name with a place was not read, nothing but the
    same text as read. None for a report with no text to compare."""
    names = body_names(report.body, bodies) if report.year else []
    if names:
        return ("body", names[0], str(report.year))
    digest = text_digest(report)
    return None if digest is None else ("text", digest)


def duplicate_groups(reports: Sequence[Report | Brief], bodies: BodyWording) -> dict[int, tuple[tuple[str, ...], str]]:
    """For each report (by position) that another input is the same report as, the other inputs (input
    order) and how they were found to be the same: "body" (the same body and year) or "text"."""
    groups: dict[tuple[str, ...], list[int]] = {}
    for i, report in enumerate(reports):
        if (same := report_identity(report, bodies)) is not None:
            groups.setdefault(same, []).append(i)
    return {i: (tuple(reports[j].source for j in group if j != i), same[0])
            for same, group in groups.items() if len(group) > 1 for i in group}


def audit_json(run: AuditRun) -> list[dict[str, Any]]:
    """One object per report, then one per input that could not be read (with ``unreadable``)."""
    out = [audit_item(audit) for audit in run.audits] + [unaudited_item(item) for item in run.unreadable]
    return [{**item, "versions": run.versions} for item in out]


def unaudited_item(item: Unreadable) -> dict[str, Any]:
    return {"source": item.source, "body": None, "year": None, "format": None, "findings": [], "fixed": [],
            "skipped": [], "duplicate_of": [], "unreadable": item.reason, "excluded": item.excluded}


def audit_item(audit: ReportAudit) -> dict[str, Any]:
    report = audit.report
    return {"source": report.source, "body": report.body, "year": report.year, "format": report.format,
            "prior": audit.prior, "prior_from_run": audit.prior_record.run if audit.prior_record else None,
            "duplicate_of": list(audit.duplicate_of),
            "findings": [f.to_dict() for f in audit.findings], "fixed": [f.to_dict() for f in audit.fixed],
            "compared_with_run": audit.compared_with, "skipped": [s.to_dict() for s in audit.skipped],
            "rules_run": audit.rules_run}

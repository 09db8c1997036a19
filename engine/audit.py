"""Audit a batch: files and folders in, one :class:`engine.model.AuditRun` out.

Each input is parsed (an input that cannot be read becomes :class:`~engine.model.Unreadable` with the
reason, never a traceback) and audited where the batch runs its work (engine.batch); each report is
paired with the prior-year report of the same body among the inputs (names compared in normalised
form) or in the history store, and audited again with it. Inputs that are one
report twice (the same body and year, or the same text) are marked as duplicates of each other, so that
one agency gets one notice for them. The run is recorded in the history store when one is given
(:mod:`engine.history`). :func:`audit_json` is the findings file of ``ogi-audit audit`` (issue 3,
point 6).
"""
from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .batch.pipeline import Batch, not_read
from .batch.pool import Failure
from .batch.spool import Brief
from .batch.summary import text_digest
from .batch.tasks import Read
from .inputs import input_files
from .model import AuditRun, PriorRecord, Report, ReportAudit, Unreadable
from .pairing import body_names, pair_prior
from .resubmission import follow_up, run_versions
from .rules import load_rules
from .wording import BodyWording, load_wording

if TYPE_CHECKING:
    from .batch.tasks import Spot
    from .history.store import HistoryStore


#: Audits loaded from the spool at a time, where a stage changes them, and recorded at a time (the
#: store's own chunk, engine.history.store.RECORDED, for the same reason: the memory of a chunk).
CHUNK = 64


def run_audit(paths: Iterable[Path], rules_dir: Path, out_dir: Path | None = None,
              history: HistoryStore | None = None, batch: Batch | None = None, record: bool = True) -> AuditRun:
    """Audit every input (``out_dir``, where the results go, is never read as one) and record the run
    in ``history`` when given; raises :class:`engine.rules.RuleFileError` before reading any input when
    a rule file is invalid (:class:`engine.history.errors.HistoryError` when the run cannot be recorded).
    A report whose prior-year report is not among the inputs gets its figures from ``history``'s last
    audit of it (:mod:`engine.history.prior`). ``batch`` says where the per-report work runs, whether
    the audits are kept on disk meanwhile and whether an input audited before may be given its recorded
    results (engine.batch.pipeline); by default here, in memory, every input read. With
    ``record=False`` the store is read as in any run (prior years, statuses, decisions) and nothing is
    written to it: an audit that is not the office's (the rule editor's preview)."""
    if history is not None:
        from .history.prior import stored_priors  # the store's modules import SQLAlchemy: only with a store
    rules = load_rules(rules_dir)
    wording = load_wording()  # before any input: a bad wording file is one clear error, not every input unread
    run = AuditRun(rules=[rule.info() for rule in rules], versions=run_versions(rules_dir))
    batch = batch or Batch()
    files, slots, kept = _read_inputs(paths, out_dir, rules_dir, history, batch, run)
    reports = [_report(item) for item in kept]
    priors = _paired(reports, wording.bodies)
    from_history = {} if history is None else stored_priors(reports, priors, history, wording.bodies, batch.spooled)

    def given(i: int) -> Report | Spot:
        return batch.given(slots[i], reports[i])
    prior_of = {i: given(priors[i]) for i in priors} | {i: prior for i, (prior, _) in from_history.items()}
    stale = [i for i in range(len(kept)) if batch.stale(slots[i], prior_of.get(i))]
    for i, result in zip(stale, batch.read([Path(files[slots[i]]) for i in stale], rules_dir,
                                           [slots[i] for i in stale]), strict=True):
        kept[i] = _again(result, files[slots[i]], run)
        if kept[i] is not None:
            reports[i] = _report(kept[i])
    again = sorted(i for i in prior_of if not batch.is_reused(slots[i]) and kept[i] is not None)
    for i, redone in zip(again, batch.audit_again([(given(i), prior_of[i]) for i in again], rules_dir), strict=True):
        kept[i] = _again(redone, reports[i].source, run)
    del prior_of, files  # held no further: the rest of the run holds only what it needs per report
    keep = [i for i in range(len(kept)) if kept[i] is not None]
    run.audits = batch.audits([slots[i] for i in keep], [kept[i] for i in keep])
    records = _records(from_history, keep)
    del from_history
    reports = [reports[i] for i in keep]
    groups = duplicate_groups(reports, wording.bodies)
    places = None if history is None else history.last_places(
        (report.body, report.year, batch.made_from(report.source)) for report in reports if report.year)
    recording = history.recording(run, rules_dir, batch.input) if history is not None and record else nullcontext()
    summaries = {}  # of the runs the audits are compared with, counted once for the chunks
    with recording as recorder:  # each chunk recorded as it is finished: the run is not loaded again for it
        for start in range(0, len(run.audits), CHUNK):
            positions = range(start, min(start + CHUNK, len(run.audits)))
            chunk = AuditRun([run.audits[i] for i in positions], rules=run.rules)
            for i, audit in zip(positions, chunk.audits, strict=True):
                audit.prior_record = records.get(i)
                group, audit.duplicate_by = groups.get(i, ((), None))
                audit.duplicate_of = tuple(reports[j].source for j in group if j != i)
            if history is not None:
                # statuses against the audit each is compared with (the store as it was before this run:
                # engine.history.recording), and decisions
                follow_up(chunk, history, places, batch.made_from, summaries)
            if isinstance(run.audits, list):
                run.audits[start:start + len(chunk.audits)] = chunk.audits
            else:
                for i, audit in zip(positions, chunk.audits, strict=True):
                    run.audits[i] = audit
            if recorder is not None:
                recorder.add(start, chunk.audits)
    return run


def _read_inputs(paths: Iterable[Path], out_dir: Path | None, rules_dir: Path, history: HistoryStore | None,
                 batch: Batch, run: AuditRun) -> tuple[list[str], list[int], list[Any]]:
    """Stage 1: every input found, read and audited, or given its recorded results (engine.batch):
    the inputs' files (as interned strings, the ones their briefs and sha256s are kept by: the batch
    holds them for the whole run), and :func:`_taken` of the results. What it takes to get there (the
    paths walked, the tasks' results) is let go here, not held to the end of the run."""
    walked = list(input_files(paths, out_dir))
    files = [item for item in walked if not isinstance(item, Unreadable)]
    if history is not None or batch.reuse:
        batch.hash(files)  # once, for the store and for the pages kept (engine.batch.pipeline)
    reused = batch.reusable(files, history, rules_dir) if history is not None else {}
    fresh = [i for i in range(len(files)) if i not in reused]
    results = reused | dict(zip(fresh, batch.read([files[i] for i in fresh], rules_dir, fresh), strict=True))
    return [sys.intern(str(path)) for path in files], *_taken(walked, results, run)


def _paired(reports: list[Report | Brief], bodies: BodyWording) -> dict[int, int]:
    """For each report (by position) paired with a prior-year report of the batch, the prior's position."""
    position = {id(report): i for i, report in enumerate(reports)}
    return {i: position[id(prior)] for i, prior in pair_prior(reports, bodies).items()}


def _records(from_history: dict[int, tuple[Report | Spot, PriorRecord]], keep: list[int]) -> dict[int, PriorRecord]:
    """The record of each prior taken from the store, by the position of its audit among those kept."""
    kept_at = {i: position for position, i in enumerate(keep)}
    return {kept_at[i]: record for i, (_, record) in from_history.items() if i in kept_at}


def _taken(walked: list[Path | Unreadable], results: dict[int, Any], run: AuditRun) -> tuple[list[int], list[Any]]:
    """Each input read as a report (its index among the files, its audit or the audit's brief), in
    input order; the others listed in ``run.unreadable`` with why."""
    slots, kept, index = [], [], 0
    for item in walked:
        if isinstance(item, Unreadable):
            run.unreadable.append(item)
            continue
        if (audit := _again(results[index], item, run)) is not None:
            slots.append(index)
            kept.append(audit)
        index += 1
    return slots, kept


def _again(result: Any, source: str | Path, run: AuditRun) -> ReportAudit | Brief | None:
    """The audit (or brief) a task gave, or None with the input listed in ``run.unreadable`` where the
    task failed or the input could not be read."""
    if isinstance(result, Failure):
        run.unreadable.append(not_read(source, result))
        return None
    if isinstance(result, Read):
        if result.unreadable is not None:
            run.unreadable.append(result.unreadable)
            return None
        return result.audit
    return result


def _report(item: ReportAudit | Brief) -> Report | Brief:
    return item.report if isinstance(item, ReportAudit) else item


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


def duplicate_groups(reports: Sequence[Report | Brief], bodies: BodyWording) -> dict[int, tuple[tuple[int, ...], str]]:
    """For each report (by position) that another input is the same report as, the positions of all
    the inputs that are that report (itself among them, input order), and how they were found to be
    the same: "body" (the same body and year) or "text". The members of a group share one tuple:
    a batch holding one report many times (the generated corpus: about 30 times each at 20,000) held
    a tuple of the others' sources for each, a share that grew with the square of the batch."""
    groups: dict[tuple[str, ...], list[int]] = {}
    for i, report in enumerate(reports):
        if (same := report_identity(report, bodies)) is not None:
            groups.setdefault(same, []).append(i)
    found = {}
    for same, group in groups.items():
        if len(group) > 1:
            members = tuple(group)
            found.update((i, (members, same[0])) for i in group)
    return found


def audit_json(run: AuditRun) -> list[dict[str, Any]]:
    """One object per report, then one per input that could not be read (with ``unreadable``)."""
    out = [audit_item(audit) for audit in run.audits] + [unaudited_item(item) for item in run.unreadable]
    return [{**item, "versions": run.versions} for item in out]


def unaudited_item(item: Unreadable) -> dict[str, Any]:
    return {"source": item.source, "body": None, "year": None, "format": None, "findings": [], "fixed": [],
            "unchecked": [], "skipped": [], "duplicate_of": [], "unreadable": item.reason, "excluded": item.excluded}


def audit_item(audit: ReportAudit) -> dict[str, Any]:
    report = audit.report
    return {"source": report.source, "body": report.body, "year": report.year, "format": report.format,
            "prior": audit.prior, "prior_from_run": audit.prior_record.run if audit.prior_record else None,
            "duplicate_of": list(audit.duplicate_of),
            "findings": [f.to_dict() for f in audit.findings], "fixed": [f.to_dict() for f in audit.fixed],
            "unchecked": [f.to_dict() for f in audit.unchecked], "compared_with_run": audit.compared_with,
            "skipped": [s.to_dict() for s in audit.skipped], "rules_run": audit.rules_run}

"""A report audited before, against its last audit in the history store: what is still open, new,
back again or fixed, and the auditors' decisions that hold on it.

Agencies resubmit after a notice; the office must see at a glance what the agency did. Each finding
is ``open`` (its fingerprint was in the last audit of this body and year), ``reappeared`` (found in an
earlier audit, not the last) or ``new``. A finding of the last audit that is gone is ``fixed`` only
where its rule ran again on this report and was not left unchecked anywhere in it: a finding whose
rule did not run, or could not check some place this time, is listed as ``unchecked``, never as fixed
(not checked is never passed). A decision an auditor recorded (engine.history.reviews) is set on the
finding with the same fingerprint, and says so when the rule's text has changed since. A file audited
before as it is (the same sha256) is no resubmission: it is compared as it was when first audited
(engine.history.compared).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .history.versions import Versions, rule_digest
from .model import AuditRun, Finding, ReportAudit, Review

if TYPE_CHECKING:
    from .history.compared import Basis
    from .history.reading import RunSummary, StoredAudit
    from .history.reviews import Decision
    from .history.store import HistoryStore, Place

NEW, OPEN, REAPPEARED = "new", "open", "reappeared"


def run_versions(rules_dir: Path) -> dict[str, str]:
    """The versions a run is made under, as the findings file gives them."""
    return asdict(Versions.of(rules_dir))


def follow_up(run: AuditRun, store: HistoryStore, places: Mapping[Place, Basis] | None = None,
              sha256_of: Callable[[str], str | None] | None = None,
              summaries: dict[int, RunSummary] | None = None) -> None:
    """Set each finding's status and review, and each audit's ``fixed`` and ``unchecked``, from ``store``
    as it was before this run (committed to it only after). Each audit is compared with the store alone,
    never with the run's other audits, so a batch may be followed up in parts, one after another, with
    the results of one call on the whole; each part costs a few queries per
    :data:`~engine.history.reading.CHUNK` reports or fingerprints, and takes what each report is
    compared with from ``places`` (:meth:`~engine.history.store.HistoryStore.last_places` of the whole
    batch) where given. ``sha256_of`` gives the sha256 of the file at a report's source, as the batch
    took it: a file audited before as it is has the follow-up it had then (engine.history.compared);
    without it, every report is compared with the latest audit of its body and year. ``summaries``
    holds the summaries of the runs compared with so far, for the parts of one batch
    (:func:`~engine.history.reading.stored_audits`)."""
    from .history.reviews import standing  # the store's modules import SQLAlchemy: only with a store
    from .history.statuses import seen_fingerprints
    keys = [[f.fingerprint for f in audit.findings] for audit in run.audits]  # each a hash: made once here
    found = [key for own in keys for key in own]
    decided = store.read(lambda connection: standing(connection, store.tables, found))
    digests = {rule.id: rule_digest(rule) for rule in run.rules}
    wanted = {id(audit): (audit.report.body, audit.report.year,
                          sha256_of(audit.report.source) if sha256_of else None)
              for audit in run.audits if audit.report.year}
    dated = list(wanted.values())
    places = store.known_places(dated, places)
    last = dict(zip(wanted, store.last_audits(dated, places, summaries), strict=True))
    before = {id(audit): places[wanted[id(audit)]].before if id(audit) in wanted else None
              for audit in run.audits}
    asked: dict[int | None, list[str]] = {}
    for audit, own in zip(run.audits, keys, strict=True):
        asked.setdefault(before[id(audit)], []).extend(own)
    seen = {run_from: store.read(lambda connection: seen_fingerprints(connection, store.tables, own, run_from))
            for run_from, own in asked.items()}
    for audit, own in zip(run.audits, keys, strict=True):
        compare(audit, last.get(id(audit)), seen[before[id(audit)]], own)
        if decided:
            audit.findings = [_reviewed(f, decided.get(f.fingerprint), digests) for f in audit.findings]


def compare(audit: ReportAudit, last: StoredAudit | None, seen: set[str], keys: list[str] | None = None) -> None:
    """Statuses, ``fixed`` and ``unchecked`` of ``audit`` against ``last``. The last audit may name the
    body otherwise (科学技术局 then, 科技局 now: found as pairing finds it), and a fingerprint hashes the
    name as written, so its findings are compared as if found under this report's name: otherwise every
    one of them would pass for fixed. ``keys``: the fingerprints of its findings, where made already."""
    body = audit.report.body
    before = {(f if f.body == body else replace(f, body=body)).fingerprint: f
              for f in ([] if last is None else last.findings)}
    audit.compared_with = None if last is None else last.run.id
    if keys is None:
        keys = [f.fingerprint for f in audit.findings]  # a fingerprint is a hash: made once per finding here
    audit.findings = [replace(f, status=OPEN if key in before else REAPPEARED if key in seen else NEW)
                      for f, key in zip(audit.findings, keys)]
    now = set(keys)
    unchecked = {item.rule for item in audit.skipped}
    gone = [f for key, f in before.items() if key not in now]
    audit.fixed = [f for f in gone if f.rule in audit.rules_run and f.rule not in unchecked]
    audit.unchecked = [f for f in gone if f not in audit.fixed]


def _reviewed(finding: Finding, decision: Decision | None, digests: dict[str, str]) -> Finding:
    if decision is None:
        return finding
    changed = decision.rule_digest is not None and digests.get(finding.rule) != decision.rule_digest
    return replace(finding, review=Review(decision=decision.decision, reason=decision.reason or "", by=decision.by,
                                          at=decision.at, rule_changed=changed))

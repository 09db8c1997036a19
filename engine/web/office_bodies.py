"""A body's history (``/office/bodies?name=…``; the route is in engine.web.office): its audits across
runs, as ``ogi-audit history BODY`` lists them (engine.history.audits), and for each report audited
again, what changed since the audit before it of the same year.

The body is found as pairing finds it (engine.pairing.body_names: 科技局 and 科学技术局 of one place are
one body); a name without a place is answered so, never with "no record", which might be false. What
was fixed is worked out by the engine's own comparison (engine.resubmission.compare, the one an audit
makes against the store), each audit against the one before it: a finding gone is fixed only where its
rule ran again and checked everything, otherwise it is listed as not checked again.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import render_template, request, url_for
from sqlalchemy import select

from ..history.audits import AuditSummary, audit_summaries
from ..history.reading import StoredAudit, stored_audits
from ..history.reviews import DISMISSED, standing
from ..history.reuse import reused_audit
from ..model import Finding
from ..pairing import body_names
from ..resubmission import NEW, OPEN, REAPPEARED, compare
from ..wording import load_wording
from .batches import BatchFolder
from .state import state

#: The longest name looked up.
LONGEST_NAME = 100


@dataclass(frozen=True)
class AuditEntry:
    summary: AuditSummary
    name: str  #: the file as uploaded (for a batch of the web app) or as the CLI was given it
    batch_url: str | None  #: the web batch the run was, if it was one
    #: Against the audit before it of the same year: None for the first; else the counts and what was fixed.
    fixed: tuple[Finding, ...] | None
    unchecked: tuple[Finding, ...]
    still_open: int
    new: int
    reappeared: int
    dismissed: int = 0  #: its findings dismissed now (not counted as open, new or back)
    #: The run whose audit before it was of the same file: the same submission, nothing sent again.
    same_file_as: int | None = None


def body() -> Any:
    name = " ".join(request.args.get("name", "").split())[:LONGEST_NAME]
    if not name:
        return render_template("office_body.html", name="", entries=None, problem=None)
    names = body_names(name, load_wording().bodies)
    if not names:
        problem = f"无法按“{name}”查找：名称中没有地名（如 某市、某县），不能确定是哪个机关。请写出机关全称。"
        return render_template("office_body.html", name=name, entries=None, problem=problem)
    store = state().store

    def read(connection: Any) -> list[AuditEntry]:
        summaries = audit_summaries(connection, store.tables, names)
        audits = stored_audits(connection, store.tables, {(s.run, s.number) for s in summaries})
        batches = store.tables["batches"]
        runs = {s.run for s in summaries}
        of_run = dict(connection.execute(select(batches.c.run, batches.c.id).where(batches.c.run.in_(runs))).all())
        found = [f.fingerprint for audit in audits.values() for f in audit.findings]
        dismissed = {key for key, d in standing(connection, store.tables, found).items() if d.decision == DISMISSED}
        return _entries(summaries, audits, of_run, dismissed)
    return render_template("office_body.html", name=name, problem=None, entries=store.read(read))


def _entries(summaries: list[AuditSummary], audits: dict[tuple[int, int], StoredAudit], of_run: dict[int, int],
             dismissed: set[str]) -> list[AuditEntry]:
    """Each audit, newest first, compared with the one before it of the same year; a finding dismissed
    now is not counted as open, new or back (as engine.render.follow_up counts on the report page). An
    audit of the same file as the one before it (the same sha256) is the same submission audited again,
    not a resubmission: it says so, with nothing counted as still open (engine.history.compared)."""
    before: dict[int | None, StoredAudit] = {}
    seen: dict[int | None, set[str]] = {}
    entries = []
    data_dir = state().config.data_dir
    for summary in summaries:  # oldest first
        stored = audits[summary.run, summary.number]
        batch = of_run.get(summary.run)
        name = BatchFolder.of(data_dir, batch).name_of(summary.source) if batch is not None else summary.source
        url = url_for("office.batch_page", batch=batch) if batch is not None else None
        last = before.get(summary.year)
        off = sum(1 for f in stored.findings if f.fingerprint in dismissed)
        if last is not None and stored.sha256 is not None and stored.sha256 == last.sha256:
            entries.append(AuditEntry(summary, name, url, None, (), 0, 0, 0, off, same_file_as=last.run.id))
        elif last is None:
            entries.append(AuditEntry(summary, name, url, None, (), 0, 0, 0, off))
        else:
            audit = reused_audit(stored)
            compare(audit, last, seen[summary.year])
            statuses = [f.status for f in audit.findings if f.fingerprint not in dismissed]
            entries.append(AuditEntry(summary, name, url, tuple(audit.fixed), tuple(audit.unchecked),
                                      statuses.count(OPEN), statuses.count(NEW), statuses.count(REAPPEARED), off))
        before[summary.year] = stored
        seen.setdefault(summary.year, set()).update(f.fingerprint for f in stored.findings)
    return entries[::-1]

"""The auditors' decisions on findings (``ogi-audit review``), in the store's ``reviews`` table.

Every decision is a new row, never an update: an undo is a row too (``undone``), so the table is the
whole record of who decided what and when, and a fingerprint's decision is its latest row. A decision
keeps the rule and the rule's digest as they were in the latest audit that found the fingerprint, so
that a later run can say the rule has changed since (the decision still holds: the fingerprint, the same
rule at the same place of the same body and year, has not).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select

from .reading import Tables, as_utc, chunks

DISMISSED, CONFIRMED, UNDONE = "dismissed", "confirmed", "undone"


@dataclass(frozen=True)
class Decision:
    """One row of ``reviews``."""

    fingerprint: str
    decision: str
    reason: str | None
    by: str | None
    at: datetime
    rule: str | None
    rule_digest: str | None
    body: str | None
    year: int | None
    run: int | None


@dataclass(frozen=True)
class Found:
    """Where the store last found a fingerprint: the run, the rule and its digest then, body and year."""

    run: int
    rule: str
    rule_digest: str | None
    body: str | None
    year: int | None
    message: str


def last_found(connection: Connection, t: Tables, fingerprint: str) -> Found | None:
    """The latest recorded finding with ``fingerprint``, or None when no audit found it."""
    findings, reports, rules = t["findings"], t["reports"], t["run_rules"]
    query = (select(findings.c.run, findings.c.rule, findings.c.message, rules.c.digest, reports.c.body,
                    reports.c.year)
             .join(reports, (reports.c.run == findings.c.run) & (reports.c.number == findings.c.number))
             .outerjoin(rules, (rules.c.run == findings.c.run) & (rules.c.rule == findings.c.rule))
             .where(findings.c.fingerprint == fingerprint)
             .order_by(findings.c.run.desc()).limit(1))
    row = connection.execute(query).first()
    return None if row is None else Found(run=row.run, rule=row.rule, rule_digest=row.digest, body=row.body,
                                          year=row.year, message=row.message)


def add_decision(connection: Connection, t: Tables, decision: Decision) -> None:
    connection.execute(insert(t["reviews"]).values(**decision.__dict__))


def decisions(connection: Connection, t: Tables) -> list[Decision]:
    """Every decision ever recorded, oldest first (undos included)."""
    reviews = t["reviews"]
    return [_decision(row) for row in connection.execute(select(reviews).order_by(reviews.c.id))]


def standing(connection: Connection, t: Tables, fingerprints: list[str]) -> dict[str, Decision]:
    """The decision in force on each of ``fingerprints`` that has one: its latest, unless an undo."""
    reviews, latest = t["reviews"], {}
    for chunk in chunks(sorted(set(fingerprints))):
        query = select(reviews).where(reviews.c.fingerprint.in_(chunk)).order_by(reviews.c.id)
        latest.update((row.fingerprint, _decision(row)) for row in connection.execute(query))
    return {key: decision for key, decision in latest.items() if decision.decision != UNDONE}


def _decision(row) -> Decision:
    return Decision(fingerprint=row.fingerprint, decision=row.decision, reason=row.reason, by=row.by,
                    at=as_utc(row.at), rule=row.rule, rule_digest=row.rule_digest, body=row.body, year=row.year,
                    run=row.run)

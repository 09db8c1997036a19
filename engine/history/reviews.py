"""The auditors' decisions on findings (``ogi-audit review``), in the store's ``reviews`` table.

Every decision is a new row, never an update: an undo is a row too (``undone``), so the table is the
whole record of who decided what and when, and a fingerprint's decision is its latest row. A decision
keeps the rule and the rule's digest as they were in the latest audit that found the fingerprint, so
that a later run can say the rule has changed since (the decision still holds: the fingerprint, the same
rule at the same place of the same body and year, has not).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Connection, insert, select

from .reading import Tables, as_utc, chunks

if TYPE_CHECKING:
    from .store import HistoryStore

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


class UnknownFingerprint(LookupError):
    """No recorded audit found the fingerprint: nothing is recorded (a mistyped fingerprint is never a
    decision on nothing)."""


class NothingToUndo(LookupError):
    """An undo of a fingerprint that has no standing decision."""


def decide(store: HistoryStore, fingerprint: str, decision: str, reason: str | None, by: str) -> Found:
    """Record ``decision`` (DISMISSED, CONFIRMED or UNDONE) on ``fingerprint`` by ``by``, with the rule,
    its digest, body and year of the latest audit that found it; that finding. The one way a decision
    is made, for ``ogi-audit review`` and the office's pages alike (the caller says why a dismissal
    needs a reason, in its own words)."""
    found = store.read(lambda connection: last_found(connection, store.tables, fingerprint))
    if found is None:
        raise UnknownFingerprint(fingerprint)
    if decision == UNDONE and not store.read(lambda connection: standing(connection, store.tables, [fingerprint])):
        raise NothingToUndo(fingerprint)
    made = Decision(fingerprint=fingerprint, decision=decision, reason=reason or None, by=by, at=datetime.now(UTC),
                    rule=found.rule, rule_digest=found.rule_digest, body=found.body, year=found.year, run=found.run)
    store.write(lambda connection: add_decision(connection, store.tables, made))
    return found


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

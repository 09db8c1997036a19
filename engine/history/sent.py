"""Notices the office marked as sent (the web app's notices page), in the store's ``notices_sent`` table.

A notice is named by its batch and its file's stem in the batch's ``notices`` folder (the name the
office sees); the body and year are kept beside it, so that the record still says to whom it went
once the batch's files are gone. Marking is a new row each time, never an update: the table is the
record of who sent what and when, and a notice's standing mark is its first.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, insert, select

from .reading import Tables, as_utc


@dataclass(frozen=True)
class Sent:
    notice: str
    body: str | None
    year: int | None
    by: str
    at: datetime


def mark_sent(connection: Connection, t: Tables, batch: int, notice: str, body: str | None, year: int | None,
              by: str) -> Sent:
    """Record that ``notice`` of ``batch`` was sent by ``by``, now."""
    at = datetime.now(UTC)
    connection.execute(insert(t["notices_sent"]).values(batch=batch, notice=notice, body=body, year=year,
                                                       sent_by=by, sent_at=at))
    return Sent(notice, body, year, by, at)


def sent_of_batch(connection: Connection, t: Tables, batch: int) -> dict[str, Sent]:
    """Each notice of ``batch`` marked as sent, by its name: when it was first marked, and by whom."""
    table = t["notices_sent"]
    found: dict[str, Sent] = {}
    for row in connection.execute(select(table).where(table.c.batch == batch).order_by(table.c.id)):
        found.setdefault(row.notice, Sent(row.notice, row.body, row.year, row.sent_by, as_utc(row.sent_at)))
    return found

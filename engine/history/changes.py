"""Rule files saved from the rule editor (engine.web.rules_editor), in the store's ``rule_changes`` table.

A change is a new row, never an update: who saved which file when, its whole text before and after,
and a short summary (the rules added, removed and changed, and the admin's note). What the office
checks is then traceable to a person and a day, and a change can be undone by hand from the text
before. The file is the rule file's name within the rules folder (``totals.yaml``), as the editor
lists it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, insert, select

from .reading import Tables, as_utc


@dataclass(frozen=True)
class RuleChange:
    """One row of ``rule_changes``."""

    id: int
    at: datetime
    by: str
    file: str
    before: str
    after: str
    summary: str | None


def record_change(connection: Connection, t: Tables, by: str, file: str, before: str, after: str,
                  summary: str | None) -> int:
    """Record a save of ``file`` by ``by``; the new row's id."""
    row = {"at": datetime.now(UTC), "by": by, "file": file, "before": before, "after": after, "summary": summary}
    return connection.execute(insert(t["rule_changes"]).values(row)).inserted_primary_key[0]


def recent_changes(connection: Connection, t: Tables, limit: int = 20, file: str | None = None) -> list[RuleChange]:
    """The latest ``limit`` changes, newest first; of ``file`` only when given."""
    changes = t["rule_changes"]
    query = select(changes).order_by(changes.c.id.desc()).limit(limit)
    if file is not None:
        query = query.where(changes.c.file == file)
    return [_change(row) for row in connection.execute(query)]


def find_change(connection: Connection, t: Tables, change_id: int) -> RuleChange | None:
    """The change of id ``change_id``, or None."""
    changes = t["rule_changes"]
    row = connection.execute(select(changes).where(changes.c.id == change_id)).first()
    return None if row is None else _change(row)


def _change(row) -> RuleChange:
    return RuleChange(id=row.id, at=as_utc(row.at), by=row.by, file=row.file, before=row.before, after=row.after,
                      summary=row.summary)

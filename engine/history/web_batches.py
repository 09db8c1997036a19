"""The batches uploaded in the web app (engine.web.batches), in the store's ``batches`` table.

A batch is a row from the moment its files are saved: ``queued`` (``total``: its files) until the
runner takes it, ``running`` while it is audited (``done`` of ``total`` counts the current stage's
reports, ``message`` names the stage), then ``done`` with the run it was recorded as (``done`` of
``total``: the reports audited of its files), or ``failed`` with the reason. The row is what every
page and the progress API read, so that a page never says more than the store holds: a batch is
shown as done only once its run is recorded and its results written.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, insert, select, update

from .reading import Tables, as_utc

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
#: How each state is said on the pages.
STATES = {QUEUED: "排队等待", RUNNING: "正在审核", DONE: "审核完成", FAILED: "审核失败"}


@dataclass(frozen=True)
class BatchRow:
    """One row of ``batches``."""

    id: int
    created_at: datetime
    created_by: str
    title: str
    state: str
    total: int
    done: int
    message: str | None
    finished_at: datetime | None
    run: int | None

    @property
    def state_label(self) -> str:
        return STATES[self.state]

    @property
    def finished(self) -> bool:
        return self.state in (DONE, FAILED)


def add_batch(connection: Connection, t: Tables, title: str, by: str, total: int) -> int:
    """A new batch of ``total`` files, queued; its id."""
    row = dict(created_at=datetime.now(UTC), created_by=by, title=title, state=QUEUED, total=total, done=0)
    return connection.execute(insert(t["batches"]).values(**row)).inserted_primary_key[0]


def started(connection: Connection, t: Tables, batch: int) -> None:
    _set(connection, t, batch, state=RUNNING, done=0, message=None)


def progressed(connection: Connection, t: Tables, batch: int, stage: str, done: int, total: int) -> None:
    """``done`` of the ``total`` reports of the stage ``stage`` (engine.batch's stage names)."""
    _set(connection, t, batch, message=stage, done=done, total=total)


def finished(connection: Connection, t: Tables, batch: int, run: int, message: str, reports: int, files: int) -> None:
    """Audited, recorded as ``run`` and written: ``reports`` audited of the batch's ``files``."""
    _set(connection, t, batch, state=DONE, run=run, message=message, done=reports, total=files,
         finished_at=datetime.now(UTC))


def failed(connection: Connection, t: Tables, batch: int, message: str) -> None:
    _set(connection, t, batch, state=FAILED, message=message, finished_at=datetime.now(UTC))


def fail_interrupted(connection: Connection, t: Tables, message: str) -> list[int]:
    """Mark every batch left ``running`` (by a server that stopped) as failed with ``message``; their ids.
    Its results may be half-written, so it is never shown as done."""
    batches = t["batches"]
    ids = list(connection.execute(select(batches.c.id).where(batches.c.state == RUNNING)).scalars())
    if ids:
        connection.execute(update(batches).where(batches.c.id.in_(ids))
                           .values(state=FAILED, message=message, finished_at=datetime.now(UTC)))
    return ids


def queued(connection: Connection, t: Tables) -> list[int]:
    """The batches waiting to be audited, oldest first."""
    batches = t["batches"]
    return list(connection.execute(select(batches.c.id).where(batches.c.state == QUEUED)
                                   .order_by(batches.c.id)).scalars())


def batch_row(connection: Connection, t: Tables, batch: int) -> BatchRow | None:
    row = connection.execute(select(t["batches"]).where(t["batches"].c.id == batch)).first()
    return None if row is None else _row(row)


def all_batches(connection: Connection, t: Tables) -> list[BatchRow]:
    """Every batch, the latest first."""
    batches = t["batches"]
    return [_row(row) for row in connection.execute(select(batches).order_by(batches.c.id.desc()))]


def _set(connection: Connection, t: Tables, batch: int, **values: object) -> None:
    connection.execute(update(t["batches"]).where(t["batches"].c.id == batch).values(**values))


def _row(row) -> BatchRow:
    return BatchRow(id=row.id, created_at=as_utc(row.created_at), created_by=row.created_by, title=row.title,
                    state=row.state, total=row.total, done=row.done, message=row.message,
                    finished_at=None if row.finished_at is None else as_utc(row.finished_at), run=row.run)

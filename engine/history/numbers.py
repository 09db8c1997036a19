"""Notice numbers that continue from the store (issue 9 point 5): 〔2026〕1号, 2号 … over every run of
the year, never given twice.

A number belongs to a series, the settings' number format with everything but the sequence filled in
(``×政公开整改〔2026〕{seq}号``), and to the notice's year: each series and year counts on from the
highest number given, or from the settings' ``first_seq`` when that is higher (an office that numbered
by hand before). The numbers of a run's notices are taken in one write transaction when the notices are
written, after the run is recorded: which reports get a notice and under which series depends on the
settings and on ``--outputs``, and a run that writes no notice must use no number. Each number given is
kept with its run and input, so that the office can trace it.

The same file of the same body audited again (its sha256 unchanged) keeps the number its notice had
in that series: the notice is the same letter made again (a run repeated after fixing the settings'
deadline, say), and numbers burnt on every rerun would leave gaps in the office's register. A
resubmission is another file, and its notice a new letter with a new number.

Two audits taking numbers at once: SQLite's write transactions are serial (``BEGIN IMMEDIATE``); on
PostgreSQL the table's primary key refuses a number taken twice, and the loser takes its numbers again.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, Connection, and_, func, insert, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from ..model import AuditRun
from ..render.notice import Numbering, number_series
from ..render.settings import Settings
from .connect import explained, writing
from .errors import HistoryError
from .reading import chunks
from .store import HistoryStore

#: How often a PostgreSQL transaction that lost a number to another audit takes its numbers again.
ATTEMPTS = 5


@dataclass(frozen=True)
class Wanted:
    """A notice to number: the input it is for in the recorded run, and its body."""

    input: int
    body: str | None


def take_numbers(store: HistoryStore, series: str, year: int, first: int, wanted: list[Wanted]) -> list[int]:
    """One number per notice ``wanted`` of the run ``store`` recorded last, in order."""
    run = store.recorded
    if run is None:
        raise ValueError("take_numbers needs the run recorded first")
    for _ in range(ATTEMPTS):
        try:
            with writing(store.engine) as connection:
                return _take(connection, store, run, series, year, first, wanted)
        except IntegrityError:
            continue  # another audit took one of these numbers first: take them again
        except SQLAlchemyError as error:
            raise explained(error, store.url, "写入") from None
    raise HistoryError(f"无法为整改通知书编号：另一个审核同时在编号，{ATTEMPTS} 次都冲突（审核历史库 {store.name}）；请重新审核")


def _take(connection: Connection, store: HistoryStore, run: int, series: str, year: int, first: int,
          wanted: list[Wanted]) -> list[int]:
    numbers = store.tables["notice_numbers"]
    in_series = and_(numbers.c.prefix == series, numbers.c.year == year)
    highest = connection.execute(select(func.max(numbers.c.number)).where(in_series)).scalar()
    following = max(first, (highest or 0) + 1)
    earlier = _given_before(connection, store, run, [notice.input for notice in wanted if notice.body], in_series)
    given, rows = [], []
    for notice in wanted:
        before = earlier.get((notice.input, notice.body)) if notice.body else None
        if before is None:
            before, following = following, following + 1
            rows.append({"prefix": series, "year": year, "number": before, "run": run, "input": notice.input,
                         "body": notice.body, "at": datetime.now(UTC)})
        given.append(before)
    if rows:
        connection.execute(insert(numbers), rows)
    return given


def _given_before(connection: Connection, store: HistoryStore, run: int, wanted: list[int],
                  in_series: ColumnElement[bool]) -> dict[tuple[int, str], int]:
    """The number the same file of the same body had in this series in an earlier run, by the input
    of ``run`` (among ``wanted``) and the body it had it for: a few queries per
    :data:`~engine.history.reading.CHUNK` notices, not one a notice."""
    numbers, inputs = store.tables["notice_numbers"], store.tables["inputs"]
    of_input: dict[str, list[int]] = {}
    for chunk in chunks(sorted(set(wanted))):
        query = select(inputs.c.number, inputs.c.sha256).where(inputs.c.run == run, inputs.c.number.in_(chunk),
                                                                inputs.c.sha256.is_not(None))
        for row in connection.execute(query):
            of_input.setdefault(row.sha256, []).append(row.number)
    found: dict[tuple[int, str], int] = {}
    for chunk in chunks(sorted(of_input)):
        query = (select(inputs.c.sha256, numbers.c.body, func.min(numbers.c.number).label("number"))
                 .join(inputs, (inputs.c.run == numbers.c.run) & (inputs.c.number == numbers.c.input))
                 .where(in_series, inputs.c.sha256.in_(chunk), inputs.c.run != run)
                 .group_by(inputs.c.sha256, numbers.c.body))
        for row in connection.execute(query):
            found.update(((number, row.body), row.number) for number in of_input[row.sha256])
    return found


def store_numbering(store: HistoryStore) -> Numbering:
    """The notices' numbers taken from ``store`` (after the run is recorded there)."""
    def numbering(run: AuditRun, positions: list[int], settings: Settings) -> list[int]:
        notice = settings.notice
        wanted = [Wanted(i, run.audits[i].report.body) for i in positions]
        return take_numbers(store, number_series(settings), notice.date.year, notice.first_seq, wanted)
    return numbering

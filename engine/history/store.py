"""The history store: every audit run recorded in one transaction, and read back for the work that
builds on it (the last audit of each body and year, the audits to give again, the runs).

A run is written whole or not at all: its rows are made first (:mod:`engine.history.rows`), then
inserted in one write transaction, so an audit killed while it records leaves the store as it was. The
tables are read back from the database once it is upgraded (:mod:`engine.history.migrations`), so the
schema's steps stay their only definition.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection, Engine, MetaData
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from ..model import AuditRun
from ..pairing import body_names
from ..wording import load_wording
from .connect import explained, store_engine, use_write_ahead_log, writing
from .errors import HistoryError
from .location import described, store_url
from .migrations import upgrade
from .compared import Basis, bases_of_each
from .reading import RunSummary, StoredAudit, run_summaries, stored_audits
from .recording import Recorder
from .reuse import reusable_audits
from .rows import Inputs
from .versions import Versions

T = TypeVar("T")
#: A body, a year and the sha256 of the file a report of theirs was read from (None: not known).
Place = tuple[str | None, int, str | None]

#: Audits whose rows are made and inserted at a time. Each is loaded from the spool with its report's
#: tables, and its findings become rows of about twenty fields each, held twice over while the driver's
#: parameters are made from them: 500 at a time (as the store is read) raised the command's resident
#: memory by 27 MB while it recorded 2,000 generated reports, the largest it was in the whole run
#: (--outputs json); 64 at a time, not at all, in the same time.
RECORDED = 64


class HistoryStore:
    """An open store. :meth:`open` connects and upgrades; a database error met afterwards is a
    :class:`HistoryError` naming the store, as at opening."""

    def __init__(self, engine: Engine, url: URL) -> None:
        self.engine, self.url, self.name = engine, url, described(url)
        #: The id of the run :meth:`record` wrote last, for the command to say.
        self.recorded: int | None = None
        meta = MetaData()
        meta.reflect(engine)
        self.tables = dict(meta.tables)

    @classmethod
    def open(cls, given: str | None = None) -> HistoryStore:
        """The store ``given`` names (a URL or a path), else the one ``$OGI_AUDIT_DB`` names, else the
        default (:func:`engine.history.location.default_path`), upgraded to the current schema."""
        url, default = store_url(given)
        engine = store_engine(url, default)
        try:
            upgrade(engine, described(url))
            use_write_ahead_log(engine)
            return cls(engine, url)
        except SQLAlchemyError as error:
            engine.dispose()
            raise explained(error, url, "打开") from None
        except HistoryError:
            engine.dispose()
            raise

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def recording(self, run: AuditRun, rules_dir: Path, inputs: Inputs | None = None) -> Iterator[Recorder]:
        """Record ``run`` (audited with the rules of ``rules_dir``) in one write transaction, its audits
        given to the :class:`~engine.history.recording.Recorder` yielded, a chunk at a time in run
        order, by the block (the batch's last pass over them: engine.audit), the batch's reports that
        are others' priors among them; committed when the block ends, nothing written if it raises.
        ``inputs`` gives the size and sha256 of an input the batch hashed already (engine.history.rows)."""
        try:
            with writing(self.engine) as connection:
                recorder = Recorder(connection, self.tables, self.name, run, Versions.of(rules_dir), inputs)
                yield recorder
                recorder.finish()
        except SQLAlchemyError as error:
            raise explained(error, self.url, "写入") from None
        self.recorded = recorder.run_id

    def record(self, run: AuditRun, rules_dir: Path, inputs: Inputs | None = None) -> int:
        """Record ``run`` whole (:meth:`recording`), its audits :data:`RECORDED` at a time (a large
        batch's are on disk: engine.batch.spool); the new run's id."""
        with self.recording(run, rules_dir, inputs) as recorder:
            for start in range(0, len(run.audits), RECORDED):
                recorder.add(start, run.audits[start:start + RECORDED])
        return recorder.run_id

    def runs(self) -> list[RunSummary]:
        """Every run recorded, oldest first, with its counts."""
        return self.read(lambda connection: run_summaries(connection, self.tables))

    def last_audit(self, body: str | None, year: int) -> StoredAudit | None:
        """The latest recorded audit of ``body``'s report of ``year``, found by the body's names as
        pairing compares them (科技局 and 科学技术局 of one place are one body). None when there is
        none, or when the name has no place (科学技术局), which pairing matches with nothing either."""
        return self.last_audits([(body, year, None)])[0]

    def last_places(self, keys: Iterable[Place]) -> dict[Place, Basis]:
        """What a report of each (body, year) read from the file of each sha256 of ``keys`` is compared
        with (engine.history.compared; a sha256 of None: the latest audit, as :meth:`last_audit` finds
        it), each key asked once. A batch is followed up in parts (engine.audit), and most bodies
        recur in every part: asked per part, a name's every recorded report was fetched again for each
        (a rerun of 5,000 generated reports: 8.6 s of 79 parts' lookups against 0.36 s once)."""
        bodies = load_wording().bodies
        distinct = list(dict.fromkeys(keys))
        wanted = [(body_names(body, bodies), year, sha256) for body, year, sha256 in distinct]

        def query(connection: Connection) -> dict[Place, Basis]:
            found = iter(bases_of_each(connection, self.tables, [key for key in wanted if key[0]]))
            return {key: next(found) if names else Basis(None)
                    for key, (names, _, _) in zip(distinct, wanted, strict=True)}
        return self.read(query)

    def known_places(self, keys: Iterable[Place],
                     places: Mapping[Place, Basis] | None = None) -> Mapping[Place, Basis]:
        """``places`` (:meth:`last_places` asked beforehand, or None), with the keys of ``keys`` it
        lacks looked up (only those, and only when there are any)."""
        places = places or {}
        missing = [key for key in keys if key not in places]
        return {**self.last_places(missing), **places} if missing else places

    def last_audits(self, keys: Sequence[Place], places: Mapping[Place, Basis] | None = None,
                    summaries: dict[int, RunSummary] | None = None) -> list[StoredAudit | None]:
        """The recorded audit each of ``keys`` is compared with (:meth:`last_places`), in a few queries
        per :data:`~engine.history.reading.CHUNK` keys; where they are is taken from ``places``
        (:meth:`last_places`, asked beforehand for a whole batch) for the keys it holds; ``summaries``
        as :func:`~engine.history.reading.stored_audits` takes them, for a batch asking a chunk at a time."""
        known = self.known_places(keys, places)

        def query(connection: Connection) -> list[StoredAudit | None]:
            found = [known[key].latest for key in keys]
            audits = stored_audits(connection, self.tables, {(f.run, f.number) for f in found if f is not None},
                                   summaries=summaries)
            return [None if f is None else audits[f.run, f.number] for f in found]
        return self.read(query)

    def reusable(self, sha256s: Sequence[str], versions: Versions,
                 summaries: dict[int, RunSummary] | None = None) -> dict[str, StoredAudit]:
        """For each of ``sha256s`` whose bytes were audited under ``versions``, the latest such audit,
        to be given again instead of auditing the input (:mod:`engine.history.reuse` says when);
        ``summaries`` as :func:`~engine.history.reading.stored_audits` takes them, for a caller that
        asks a batch's inputs a chunk at a time."""
        return self.read(lambda connection: reusable_audits(connection, self.tables, sha256s, versions, summaries))

    def read(self, query: Callable[[Connection], T]) -> T:
        """``query`` in one read transaction, so that it sees one state of the store."""
        try:
            with self.engine.connect() as connection, connection.begin():
                return query(connection)
        except SQLAlchemyError as error:
            raise explained(error, self.url, "读取") from None

    def write(self, change: Callable[[Connection], T]) -> T:
        """``change`` in one write transaction (a review's decision)."""
        try:
            with writing(self.engine) as connection:
                return change(connection)
        except SQLAlchemyError as error:
            raise explained(error, self.url, "写入") from None

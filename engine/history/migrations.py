"""Bring a store to the schema this version of ogi-audit writes, on open: a store written by an earlier
version is upgraded by the steps it lacks (:data:`engine.history.schema.STEPS`), never lost or
recreated.

``schema_version`` holds one row per step applied (its version, what it did, when); the store is at the
highest. The steps a store lacks are applied in one transaction with their rows, so an upgrade is whole
or not at all, and under a lock (SQLite's write lock, a PostgreSQL advisory lock) so that two audits
opening a store at once upgrade it once. A database that holds tables but no ``schema_version`` is
another program's, and a store newer than this version of ogi-audit cannot be read safely: both are
refused with the reason, and nothing is written to them.

Hand-written steps rather than Alembic: the store is created and upgraded by the tool itself at the
office's desk, in process, on SQLite or PostgreSQL, with no configuration or script folder to ship and
no one to run ``alembic upgrade``; the schema is small, and each step is a few SQLAlchemy Core tables.
"""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Column, Connection, DateTime, Engine, Integer, MetaData, Table, Text, func, inspect, select

from .connect import writing
from .errors import HistoryError
from .schema import LATEST, STEPS

#: The key of the PostgreSQL advisory lock held while a store is upgraded ("ogi-audi" in ASCII).
_LOCK = 0x6F67692D61756469

_META = MetaData()
SCHEMA_VERSION = Table("schema_version", _META,
                       Column("version", Integer, primary_key=True),
                       Column("summary", Text, nullable=False),
                       Column("applied_at", DateTime(timezone=True), nullable=False))


def upgrade(engine: Engine, where: str) -> int:
    """The store's version after bringing it to :data:`LATEST` (``where`` names it in messages)."""
    with engine.connect() as connection:
        found = version(connection, where)
    if found == LATEST:
        return found
    with writing(engine) as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(select(func.pg_advisory_xact_lock(_LOCK)))
        found = version(connection, where)  # another audit may have upgraded it while we waited
        if found == 0:
            SCHEMA_VERSION.create(connection)
        for step in STEPS:
            if step.version > found:
                step.apply(connection)
                connection.execute(SCHEMA_VERSION.insert().values(version=step.version, summary=step.summary,
                                                                  applied_at=datetime.now(UTC)))
    return LATEST


def version(connection: Connection, where: str) -> int:
    """The store's schema version, 0 for an empty database; :class:`HistoryError` for a database that
    is not a store or is newer than this program."""
    tables = inspect(connection).get_table_names()
    if SCHEMA_VERSION.name not in tables:
        if tables:
            raise HistoryError(f"{where} 中已有其他数据表（{'、'.join(sorted(tables)[:5])}），不是 ogi-audit 的审核历史库，"
                               "未写入任何内容；请为审核历史另建一个空的数据库或文件")
        return 0
    found = connection.execute(select(func.max(SCHEMA_VERSION.c.version))).scalar() or 0
    if found > LATEST:
        raise HistoryError(f"审核历史库 {where} 的结构版本为 {found}，比本程序支持的版本 {LATEST} 新，"
                           "是用更新版本的 ogi-audit 写入的；请升级 ogi-audit 后再审核")
    return found

"""A SQLAlchemy engine on the store, set up so that two audits writing at once never corrupt it, and
the database's errors said in Chinese.

SQLite: write-ahead logging (readers never block the writer, and a process killed in a write leaves
only uncommitted frames that the next open discards), switched on only once the file is known to be a
store (:func:`use_write_ahead_log`: it rewrites the file's header, and another program's file is left
as it was); a busy timeout (a second writer waits instead of failing), foreign keys enforced, and write
transactions begun with ``BEGIN IMMEDIATE``: Python's
sqlite3 begins a transaction only at its first write, and in WAL mode a transaction that read before
it wrote cannot wait for the lock and fails at once with "database is locked". PostgreSQL needs none of
this (psycopg 3, the driver installed with ogi-audit).
"""
from __future__ import annotations

import sqlite3
import time
from contextlib import contextmanager
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError

from ..os_reasons import os_reason
from . import ENVIRONMENT
from .errors import HistoryError
from .location import described

#: How long a writer waits for another audit's transaction to end, in seconds.
BUSY_SECONDS = 60
#: How often a store held by another process is asked again to take the write-ahead log.
_AGAIN = 0.05
_WRITE = "history_write"


def store_engine(url: URL, default: bool) -> Engine:
    """An engine on ``url`` (nothing is connected yet). The folder of the default SQLite store is made
    on first use; a folder the user named must exist, so that a mistyped path is said, not created."""
    if url.get_backend_name() != "sqlite":
        return create_engine(url, connect_args={"connect_timeout": 10, "application_name": "ogi-audit"})
    if url.database and "uri" not in url.query:  # an SQLite URI (file:…?mode=ro) is SQLite's to check
        _check_file(Path(url.database), url, default)
    engine = create_engine(url, connect_args={"timeout": BUSY_SECONDS})
    event.listen(engine, "connect", _sqlite_connected)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _check_file(path: Path, url: URL, default: bool) -> None:
    if default:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise HistoryError(f"无法创建审核历史库的文件夹 {path.parent}（{os_reason(error)}）；"
                               f"请用 --db 或环境变量 {ENVIRONMENT} 指定审核历史库") from None
    if path.is_dir():
        raise HistoryError(f"审核历史库 {described(url)} 是一个文件夹；请指定文件夹中的一个文件，如 {path / 'history.sqlite'}")
    if not path.parent.is_dir():
        raise HistoryError(f"审核历史库所在的文件夹 {path.parent} 不存在；请先创建该文件夹，或指定另一个位置")


def _sqlite_connected(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy's begin event below emits BEGIN
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_SECONDS * 1000}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def use_write_ahead_log(engine: Engine) -> None:
    """Put an SQLite store in WAL mode (kept in the file; a no-op when it is already). Outside any
    transaction, as SQLite requires: on the driver's connection, which the begin event does not see.
    The change takes the file whole, and SQLite answers "locked" at once, without waiting out its busy
    timeout, while another process holds it (two audits opening a new store at once, one of them
    still making its tables): asked again every :data:`_AGAIN` seconds for :data:`BUSY_SECONDS`."""
    if engine.dialect.name != "sqlite":
        return
    raw = engine.raw_connection()
    try:
        waited = 0.0
        while True:
            try:
                raw.driver_connection.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or waited >= BUSY_SECONDS:
                    raise OperationalError("PRAGMA journal_mode = WAL", None, error) from None  # explained as any
            time.sleep(_AGAIN)
            waited += _AGAIN
    finally:
        raw.close()


def _sqlite_begin(connection: Connection) -> None:
    writing = connection.get_execution_options().get(_WRITE)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """One write transaction: committed whole when the block ends, rolled back whole on any error."""
    with engine.connect().execution_options(**{_WRITE: True}) as connection, connection.begin():
        yield connection


def explained(error: SQLAlchemyError | OSError, url: URL, doing: str) -> HistoryError:
    """The error met while ``doing`` something with the store (打开, 写入), in words to act on; the
    database's own message follows for whoever maintains the server."""
    where = described(url)
    original = error.orig if isinstance(error, DBAPIError) else error
    text = str(original).strip().splitlines()[0] if str(original).strip() else type(original).__name__
    low = text.lower()
    if "file is not a database" in low or "not a database" in low:
        reason = "该文件不是 ogi-audit 的审核历史库（不是 SQLite 数据库）；请指定另一个文件，或删除/移走它"
    elif "readonly" in low or "read-only" in low or "permission denied" in low:
        reason = "没有写入权限；请检查文件和文件夹的权限，或指定另一个位置"
    elif "unable to open database file" in low:
        reason = "无法打开该文件（文件夹不存在或没有权限）"
    elif "database is locked" in low:
        reason = f"另一个审核正在写入，等待 {BUSY_SECONDS} 秒后仍未结束"
    elif "does not exist" in low and "database" in low:
        reason = "数据库服务器上没有这个数据库；请先创建（createdb），或检查地址中的数据库名"
    elif "authentication failed" in low or "password" in low:
        reason = "用户名或密码不对，数据库服务器拒绝连接"
    elif "connection" in low or "could not" in low or "timeout" in low:
        reason = "无法连接数据库服务器；请检查服务器是否已启动、地址和端口是否正确"
    else:
        reason = "数据库出错"
    return HistoryError(f"无法{doing}审核历史库 {where}：{reason}。（数据库的原话：{text}）")

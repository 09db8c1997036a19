"""Which history store a run uses: ``--db``, else the environment variable, else a file in the user's
data folder (:func:`engine.history.default_path`).

The default does not depend on ``-o``: an office audits into a new output folder each time, and the
history must still be the one history. It follows the XDG base directories
(``$XDG_DATA_HOME/ogi-audit/history.sqlite``, ``~/.local/share/…`` when unset), where Linux desktop
tools keep their data. A plain path is taken for an SQLite file, so ``--db history.sqlite`` works as a
person would type it; only SQLite and PostgreSQL are stores (:mod:`engine.history.connect`).
"""
from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from . import ENVIRONMENT, default_path
from .errors import HistoryError

#: The SQLAlchemy driver of each backend a store may be on.
DRIVERS = {"sqlite": "sqlite", "postgresql": "postgresql+psycopg"}


def store_url(given: str | None = None) -> tuple[URL, bool]:
    """The store's URL, and whether it is the default one (whose folder is then made on first use).
    Raises :class:`HistoryError` for a URL that names no store we can use."""
    text = given or os.environ.get(ENVIRONMENT)
    if not text:
        return make_url(f"sqlite:///{default_path()}"), True
    if "://" not in text:
        return make_url(f"sqlite:///{Path(text).expanduser()}"), False
    try:
        url = make_url(text)
    except ArgumentError:
        raise HistoryError(f"审核历史库地址“{text}”无法识别；应为 sqlite:///文件路径、"
                           "postgresql://用户@主机/数据库 或一个文件路径") from None
    backend = url.get_backend_name()
    if backend not in DRIVERS:
        raise HistoryError(f"审核历史库地址“{url.render_as_string(hide_password=True)}”使用的是 {backend}；"
                           "审核历史库只能是 SQLite（sqlite:///文件路径）或 PostgreSQL（postgresql://…）")
    if url.drivername == backend:  # psycopg (v3) is the PostgreSQL driver installed with ogi-audit
        url = url.set(drivername=DRIVERS[backend])
    return url, False


def described(url: URL) -> str:
    """The store as messages name it: the file of an SQLite store, the URL without its password."""
    if url.get_backend_name() == "sqlite" and url.database:
        return url.database
    return url.render_as_string(hide_password=True)

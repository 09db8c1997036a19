"""A real PostgreSQL server for the history store tests, started once per test session.

Debian's ``postgresql`` is installed when missing and we are root (tests/apt_packages.py); a cluster is
made with ``initdb`` in a temporary folder and started by ``pg_ctl`` on a unix socket in that folder
only (no TCP port, so it can meet no other server), as the ``postgres`` user when we are root, since
PostgreSQL refuses to run as root. Durability settings are off: the server is thrown away at the end,
and a killed *client* (what the store tests kill) is unaffected by them. Each test gets a database of
its own. Where PostgreSQL cannot be had, the tests fail naming the package: a skipped backend would
pass for a tested one.

Test modules import the fixtures: ``from tests.postgres import postgres_server, postgres_url``
(:func:`new_database` for a second database in one test).
"""
from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.apt_packages import apt_install

PACKAGE = "postgresql"
_databases = itertools.count(1)


@dataclass(frozen=True)
class Server:
    socket: Path
    user: str = "postgres"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{self.user}@/{database}?host={self.socket}"


def _binaries() -> Path | None:
    """The newest installed server's bin folder (Debian keeps each major version apart)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    return found[-1].parent if found else None


def _as_server_user() -> list[str]:
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def _run(command: list[str]) -> None:
    done = subprocess.run([*_as_server_user(), *command], capture_output=True, text=True)
    if done.returncode:
        pytest.fail(f"{' '.join(command)} 失败（{done.returncode}）：{done.stderr or done.stdout}")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Server]:
    binaries = _binaries()
    if binaries is None:
        try:
            apt_install([PACKAGE])
        except (RuntimeError, subprocess.CalledProcessError) as error:
            pytest.fail(f"PostgreSQL 测试需要 Debian 软件包 {PACKAGE}，无法安装：{error}")
        binaries = _binaries()
        if binaries is None:
            pytest.fail(f"安装 Debian 软件包 {PACKAGE} 后仍找不到 /usr/lib/postgresql/*/bin/initdb")
    root = Path(tempfile.mkdtemp(prefix="ogi-pg-"))  # under /tmp: pytest's own folder is closed to postgres
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    data = root / "data"
    _run([str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
          "--no-locale", "--no-sync"])
    options = f"-k {root} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    _run([str(binaries / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-w", "-o", options, "start"])
    try:
        yield Server(root)
    finally:
        _run([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"])
        shutil.rmtree(root, ignore_errors=True)


def new_database(server: Server) -> str:
    """A new, empty database on ``server``, as a store URL."""
    import psycopg

    name = f"history_{os.getpid()}_{next(_databases)}"
    with psycopg.connect(host=str(server.socket), user=server.user, dbname="postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return server.url(name)


@pytest.fixture
def postgres_url(postgres_server: Server) -> str:
    """A database of the test's own on the session's server."""
    return new_database(postgres_server)

"""An export written in a process of its own, beside the batch's own process: :class:`Apart`.

The batch's own process is what the pages stage waits on (it loads each audit, hands the pages out to
the workers and writes every export), and it is all there is of an unchanged rerun, whose pages are
kept. The xlsx costs the most of the exports there: XlsxWriter makes each cell's XML in Python, about
1.2 ms a generated report, a quarter of an unchanged rerun writing every output. Written apart, on the
core this process does not use, it costs this process the pickling of each audit instead (tens of µs).

The process is given the run without its audits (an export written apart reads the run's rules,
versions and inputs not audited, never ``run.audits``: they may be on disk, engine.batch.spool), then
the audits as they come, :data:`CHUNK` at a time, then an end. What it raised is raised here when it
is closed; an OSError as itself, so that the command says which file could not be written and why.
"""
from __future__ import annotations

import errno
import multiprocessing
from collections.abc import Callable
from dataclasses import replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import AuditRun, ReportAudit
from ..os_reasons import process_end
from .settings import Settings

if TYPE_CHECKING:
    from .outputs import ExportWriter

#: Audits sent to the process at a time.
CHUNK = 64
#: The fewest audits a batch has for an export to be written apart: starting the process (a Python
#: that imports the export's modules) costs about as much as the xlsx of a few hundred reports.
APART_FROM = 500


def _serve(connection: Connection, opened: Callable[[Path, AuditRun, Settings], ExportWriter], path: Path,
           run: AuditRun, settings: Settings) -> None:
    """The process: the export opened, given each chunk, closed at the end; then what failed (an
    OSError as itself, which pickles whole; anything else as its text, which always does), or None.
    After a failure the rest is read and dropped, so that the batch's process is never kept waiting."""
    failed: OSError | str | None = None
    writer = None
    try:
        writer = opened(path, run, settings)
    except Exception as error:  # noqa: BLE001 - said to the batch's process at the end
        failed = _failure(error)
    while (chunk := connection.recv()) is not None:
        if failed is None:
            try:
                for audit in chunk:
                    writer.add(audit)
            except Exception as error:  # noqa: BLE001
                failed = _failure(error)
    if writer is not None:
        try:
            writer.close()
        except Exception as error:  # noqa: BLE001
            failed = failed or _failure(error)
    connection.send(failed)


def _failure(error: Exception) -> OSError | str:
    return error if isinstance(error, OSError) else f"{type(error).__name__}: {error}"


class Apart:
    """An export writer (engine.render.outputs.ExportWriter) whose writing is done by ``opened``'s
    writer in a process of its own, started with ``spawn`` (no threads or connections shared)."""

    def __init__(self, opened: Callable[[Path, AuditRun, Settings], ExportWriter], path: Path, run: AuditRun,
                 settings: Settings) -> None:
        context = multiprocessing.get_context("spawn")
        self.path = path
        self._connection, theirs = context.Pipe()
        self._process = context.Process(target=_serve, args=(theirs, opened, path, replace(run, audits=[]), settings),
                                        daemon=True)
        self._process.start()
        theirs.close()
        self._chunk: list[ReportAudit] = []

    def add(self, audit: ReportAudit) -> None:
        self._chunk.append(audit)
        if len(self._chunk) >= CHUNK:
            self._send(self._chunk)
            self._chunk = []

    def _send(self, message: list[ReportAudit] | None) -> None:
        try:
            self._connection.send(message)
        except OSError:
            raise self._ended() from None

    def _ended(self) -> OSError:
        self._process.join(timeout=5)
        return OSError(errno.EPIPE, f"写出它的进程意外终止（{process_end(self._process.exitcode)}）", str(self.path))

    def close(self) -> None:
        try:
            if self._chunk:
                self._send(self._chunk)
            self._send(None)
            try:
                failed = self._connection.recv()
            except (EOFError, OSError):
                raise self._ended() from None
        finally:
            self._connection.close()
            self._process.join(timeout=5)
            if self._process.is_alive():
                self._process.kill()
                self._process.join()
        if isinstance(failed, OSError):
            raise failed
        if failed is not None:
            raise RuntimeError(failed)

"""The exports written in a thread of their own (:class:`Exports`), while the batch's workers render
the pages.

write_outputs goes through the audits a chunk at a time: each chunk is handed to the exports
(findings.json, .csv, .xlsx, .sarif: engine.render.outputs) and its pages to the workers. Written in
this process's main thread, the exports of a chunk kept the workers waiting (xlsx and SARIF about
3 ms a report); in a thread of their own they are written while the workers render, the main thread
waiting on the workers with the interpreter's lock released. One thread writes every export, the
chunks in the order given, so that each file is the same byte for byte; at most :data:`AHEAD` chunks
wait for it, so that memory stays that of a few chunks.
"""
from __future__ import annotations

import queue
import threading
from collections.abc import Sequence

from ..model import ReportAudit
from .outputs import ExportWriter

#: Chunks handed over and not yet written, at most.
AHEAD = 2


class Exports:
    """``writers`` given the audits chunk by chunk (:meth:`add`) in a thread; :meth:`finish` waits
    for them and raises what a writer raised (an OSError of a full disk, as it would have here);
    :meth:`stop` ends the thread whatever happened (idempotent). The writers are closed by the caller."""

    def __init__(self, writers: Sequence[ExportWriter]) -> None:
        self.writers = writers
        self._chunks: queue.Queue[list[ReportAudit] | None] = queue.Queue(AHEAD)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._write, name="ogi-audit-exports", daemon=True)
        self._thread.start()

    def add(self, chunk: list[ReportAudit]) -> None:
        if self._error is not None:
            raise self._error
        if self.writers:
            self._chunks.put(chunk)

    def finish(self) -> None:
        self.stop()
        if self._error is not None:
            raise self._error

    def stop(self) -> None:
        if self._thread.is_alive():
            self._chunks.put(None)
            self._thread.join()

    def _write(self) -> None:
        while (chunk := self._chunks.get()) is not None:
            if self._error is not None:
                continue  # a writer failed: the rest is taken and dropped, finish() raises the error
            try:
                for audit in chunk:
                    for writer in self.writers:
                        writer.add(audit)
            except BaseException as error:  # noqa: BLE001 - handed to the caller by finish()
                self._error = error

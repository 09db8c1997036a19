"""Batches uploaded in the office's pages, audited in the background: one runner thread per app, one
batch at a time, in the order they were uploaded.

Each batch has a folder of its own, ``<data_dir>/batches/<id>/`` (:class:`BatchFolder`), named by the
id the store gave its row (engine.history.web_batches), never by anything from the request: the
uploaded files under ``inputs/`` (saved by engine.web.uploads under names it makes; ``names.json``
maps each to the name it was sent under, for display only), a copy of the rules taken when the audit
starts (``rules/``, so that a rule saved in the rule editor meanwhile does not change a batch
half-way), the results under ``out/`` exactly as ``ogi-audit audit -o out`` writes them
(engine.render.write_outputs: pages, notices, findings.json, …) and ``notes.json``, every file that
was not audited with the reason (refused by the upload, unreadable, or whose page could not be made),
so that nothing is dropped silently.

The audit is the CLI's: engine.audit.run_audit on the engine's Batch (LocalPool of ``config.jobs``
worker processes at a lower priority than the self-checks', or this thread with 0) recording the run
into the app's history store, so that the auditors' decisions hold and the statuses follow on
(engine.resubmission), and the notices numbered from the store (engine.history.numbers).
:class:`RowProgress` writes each stage's progress into the batch's row, which the batch page polls.

A batch left ``running`` when the server stopped is marked failed when the next one starts (its
results may be half-written); batches still queued are audited then.
"""
from __future__ import annotations

import json
import logging
import os
import queue
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path
from typing import Any

from ..audit import run_audit
from ..batch.pipeline import Batch
from ..batch.pool import TIME_LIMIT, InProcess, LocalPool
from ..batch.progress import Progress
from ..batch.tasks import rule_engine
from ..history import web_batches
from ..history.errors import HistoryError
from ..history.numbers import store_numbering
from ..history.store import HistoryStore
from ..render import OUTPUTS, load_settings, write_outputs
from ..rules import RuleFileError
from ..yamlsource import SourceError
from .config import WebConfig

log = logging.getLogger(__name__)

#: The service's name in WebState.services.
SERVICE = "batches"
#: What a batch left running by a server that stopped is marked with.
INTERRUPTED = "服务器在审核过程中停止，本批次未完成，结果不完整，不能使用。请重新上传这批文件。"
#: Seconds the server's stop waits for the batch being audited.
CLOSE_WAIT = 10.0
#: Seconds between two writes of a stage's progress into the store.
PROGRESS_EVERY = 0.5
#: How much lower than the server's the batches' worker processes run (nice(2)): an agency waits on
#: its self-check while it runs, and nobody on a batch second by second, so on a busy machine the
#: self-checks' workers (engine.web.checker) get the processors first and the batch the rest.
BATCH_NICENESS = 10


@dataclass(frozen=True)
class NotAudited:
    """A file of a batch that was not audited, and why (shown on the batch page)."""

    name: str
    reason: str


@dataclass(frozen=True)
class BatchFolder:
    """Where one batch keeps its files (see the module docstring)."""

    root: Path

    @classmethod
    def of(cls, data_dir: Path, batch: int) -> BatchFolder:
        return cls(data_dir / "batches" / str(int(batch)))

    @property
    def inputs(self) -> Path:
        return self.root / "inputs"

    @property
    def out(self) -> Path:
        return self.root / "out"

    @property
    def rules(self) -> Path:
        return self.root / "rules"

    @property
    def notes_file(self) -> Path:
        return self.root / "notes.json"

    @property
    def names_file(self) -> Path:
        return self.root / "names.json"

    @cached_property
    def shown_names(self) -> dict[str, str]:
        """Each input's name under ``inputs/`` (one engine.web.uploads made) → the name it was sent under."""
        try:
            return json.loads(self.names_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}

    def name_of(self, source: str) -> str:
        """A source as the office knows it: an input of this batch by the name it was uploaded under
        (a zip's member as ``归档.zip/子文件夹/报告.docx``); any other source as it is (one shown so
        already, in the results the batch wrote)."""
        try:
            relative = Path(source).relative_to(self.inputs).as_posix()
        except ValueError:
            return source
        return self.shown_names.get(relative, relative)

    def source_of(self, shown: str) -> str:
        """The input of this batch shown as ``shown`` (:meth:`name_of` the other way: the names shown
        are distinct within a batch, see engine.web.office_uploads); anything else as it is."""
        relative = self._saved_as.get(shown)
        return shown if relative is None else str(self.inputs / relative)

    @cached_property
    def _saved_as(self) -> dict[str, str]:
        return {name: saved for saved, name in self.shown_names.items()}

    def notes(self) -> list[NotAudited]:
        """Every file not audited, with the reason; empty when none (or before the upload noted any)."""
        try:
            return [NotAudited(**item) for item in json.loads(self.notes_file.read_text(encoding="utf-8"))]
        except FileNotFoundError:
            return []

    def note(self, items: list[NotAudited]) -> None:
        """Add ``items`` to the files not audited."""
        every = self.notes() + items
        self.notes_file.write_text(json.dumps([item.__dict__ for item in every], ensure_ascii=False, indent=1),
                                   encoding="utf-8")


def shown_name(data_dir: Path) -> Callable[[str], str]:
    """A source → the name the office knows it by: an input of any batch under ``data_dir`` by the
    name it was sent under (a prior-year report may be of an earlier batch), a file of a batch's copy
    of the rules by its place among the rules (``totals.yaml:3:3``, as the rule editor lists
    them), anything else as it is."""
    batches, folders = data_dir / "batches", {}

    def name(source: str) -> str:
        try:
            batch, where, *within = Path(source).relative_to(batches).parts
        except ValueError:
            return source
        if not batch.isdigit() or not within:
            return source
        if where == "rules":
            return "/".join(within)
        if where != "inputs":
            return source
        return folders.setdefault(batch, BatchFolder.of(data_dir, int(batch))).name_of(source)
    return name


class RowProgress(Progress):
    """A stage's progress written into the batch's row (at most every :data:`PROGRESS_EVERY` seconds,
    and at the stage's start and end), where the batch page reads it."""

    def __init__(self, what: str, total: int, report: Callable[[str, int, int], None]) -> None:
        super().__init__(what, total, None)
        self._report = report
        self._written = 0.0

    def __enter__(self) -> RowProgress:
        self._report(self.what, 0, self.total)
        return self

    def advance(self) -> None:
        super().advance()
        now = time.monotonic()
        if now - self._written >= PROGRESS_EVERY or self.done == self.total:
            self._written = now
            self._report(self.what, self.done, self.total)


@dataclass(frozen=True)
class Outcome:
    """How a batch's audit ended: what its row is to say."""

    done: bool  #: audited, recorded and written
    message: str
    run: int | None = None
    reports: int = 0  #: reports audited
    files: int = 0  #: files of the batch, audited or not


def audit_batch(config: WebConfig, store: HistoryStore, batch: int) -> None:
    """Audit batch ``batch`` (its files saved, its row queued) and write its results; its row says how
    it went. A bad rule or settings file, a store that cannot be written, or no file that could be
    read fails the batch with the reason; nothing is shown as done that was not recorded and written."""
    folder = BatchFolder.of(config.data_dir, batch)
    store.write(lambda c: web_batches.started(c, store.tables, batch))
    try:
        outcome = _audit(config, store, folder, batch)
    except RuleFileError as error:
        outcome = Outcome(False, f"规则文件有误，未进行审核：\n{error}")
    except SourceError as error:
        outcome = Outcome(False, f"整改通知书的设置文件有误，未进行审核：\n{error}")
    except HistoryError as error:
        outcome = Outcome(False, f"{error}\n本批次未完成。")
    except Exception:
        log.exception("batch %s failed", batch)
        outcome = Outcome(False, "审核过程中服务器出错，本批次未完成。请联系管理员查看服务器日志。")
    if outcome.done:
        store.write(lambda c: web_batches.finished(c, store.tables, batch, outcome.run, outcome.message,
                                                   outcome.reports, outcome.files))
    else:
        store.write(lambda c: web_batches.failed(c, store.tables, batch, outcome.message))


def _audit(config: WebConfig, store: HistoryStore, folder: BatchFolder, batch: int) -> Outcome:
    settings = load_settings(config.settings)
    shutil.rmtree(folder.rules, ignore_errors=True)
    shutil.copytree(config.rules_dir, folder.rules)

    def report(stage: str, done: int, total: int) -> None:
        store.write(lambda c: web_batches.progressed(c, store.tables, batch, stage, done, total))
    executor = InProcess() if config.jobs == 0 else LocalPool(config.jobs, TIME_LIMIT,
                                                             partial(in_background, str(folder.rules)))
    with Batch(executor, folder.root, lambda what, total: RowProgress(what, total, report), reuse=True) as engine:
        result = run_audit([folder.inputs], folder.rules, folder.out, store, engine)
        unreadable = [NotAudited(folder.name_of(item.source), item.reason) for item in result.unreadable]
        if not result.audits:
            folder.note(unreadable)
            return Outcome(False, f"没有读取到任何年度报告（{len(unreadable)} 个文件均未能审核，原因见下方列表），未进行审核。")
        folder.out.mkdir(parents=True, exist_ok=True)
        write_outputs(result, folder.out, settings, OUTPUTS, store_numbering(store), engine.render,
                      shown=shown_name(config.data_dir))
        failures = [NotAudited(folder.name_of(item.source), item.reason) for item in engine.render_failures]
        folder.note(unreadable + failures)
    not_read = sum(1 for item in result.unreadable if not item.excluded) + len(failures)
    also = f"；{not_read} 个文件未能审核（见下方列表），不能视为合格" if not_read else ""
    return Outcome(True, f"审核了 {len(result.audits)} 份报告{also}。", store.recorded, len(result.audits),
                   len(result.audits) + len(result.unreadable))


def in_background(rules_dir: str) -> None:
    """A batch worker's set-up: lower its priority by :data:`BATCH_NICENESS` (what it starts, a
    LibreOffice conversion, inherits it), then compile the batch's rules."""
    os.nice(BATCH_NICENESS)
    rule_engine(rules_dir)


class BatchRunner:
    """The app's one background thread that audits the queued batches in turn (a WebState service)."""

    def __init__(self, config: WebConfig, store: HistoryStore) -> None:
        self.config, self.store = config, store
        self._queue: queue.Queue[int | None] = queue.Queue()
        #: The batches a stopped server left running, marked failed at this start.
        self.interrupted = store.write(lambda c: web_batches.fail_interrupted(c, store.tables, INTERRUPTED))
        for batch in store.read(lambda c: web_batches.queued(c, store.tables)):
            self._queue.put(batch)
        self._thread = threading.Thread(target=self._loop, name="ogi-audit-batches", daemon=True)
        self._thread.start()

    def submit(self, batch: int) -> None:
        """Audit ``batch`` (its row queued, its files saved) after those before it."""
        self._queue.put(batch)

    def close(self) -> None:
        """Stop taking batches; wait up to :data:`CLOSE_WAIT` seconds for the one being audited. One
        still running then is left to end with the process, and is marked failed at the next start
        (never shown as done); the queued ones are audited then."""
        self._queue.put(None)
        self._thread.join(CLOSE_WAIT)

    def _loop(self) -> None:
        while (batch := self._queue.get()) is not None:
            try:
                audit_batch(self.config, self.store, batch)
            except Exception:  # the store itself failing: the thread lives on for the next batch
                log.exception("batch %s could not be marked", batch)


def runner(state: Any) -> BatchRunner:
    """The app's batch runner (made by engine.web.office's install)."""
    return state.services[SERVICE]

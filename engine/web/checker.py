"""The agencies' self-check as a service (``WebState.services["checker"]``): one uploaded report audited
in a worker process, for many request threads at once.

**What a check is.** A draft is checked alone, against no history store, and nothing is recorded: for
one input, ``ogi-audit audit FILE --no-db`` (engine.audit.run_audit) comes down to its first stage,
engine.batch.tasks.read_and_audit (read, then audit without a prior-year report: pairing and duplicates
need other inputs, statuses and reviews a store), and its findings file to engine.audit.audit_item (or
unaudited_item for an input it could not read) with the run's versions. :func:`check_report` does
exactly that in the worker, and renders there the report's page as the CLI writes it
(engine.render.pages.render_job) and a preview of its notice (engine.render.notice.build_notice, marked
as a preview and given no number: numbers are the office's, taken from its store when it sends one). The
server's threads only save the upload and answer: run_audit itself would load and check every rule file
again on each call (0.2–0.4 s measured) in the server's own process.

**Why slots.** ``LocalPool.run`` takes a whole batch and may not be called from two threads at once. A
dispatcher thread feeding one pool would have to gather the checks waiting into batches, and each new
check would wait for the slowest of the batch before it (a hostile file runs to the time limit). So
the service keeps ``jobs`` slots (at least one: a check never runs in the server's own process, where
durable-rules may not be shared between threads and a hostile file could take the server down), each a
LocalPool of one worker process warmed with the rules (the worker compiles them once, when it starts); a request thread takes a free slot, runs its one task and
gives the slot back. A file that hangs or crashes its worker holds up or loses that slot's worker only:
the pool stops it at the time limit or sees it end, tries the file once more in a fresh worker, and
gives back a Failure, which the agency is shown as the reason its file was not audited (never a
traceback, never "passed"). Each of the two tries gets half of ``check_seconds``, so that a check ends
within it (and the start of a fresh worker). A request that finds no slot free waits for one as long as
a check may hold it, ``check_seconds`` and a worker's start (engine.batch.pool.SET_UP_LIMIT), and is
then told the service is busy (:class:`Busy`); so is one that would be more than :data:`WAITING` in
line, at once: each waiting check holds one of the server's threads, and the office's pages need some.

Workers start on the first check, or before it when :meth:`Checker.warm` is called (the self-check
form calls it, so that an agency's first check does not wait for a worker to compile the rules).
:meth:`Checker.reload` (the rule editor calls it after saving a rule file) retires every slot's worker:
an idle one at once, a busy one when its check ends, so that no check after a reload runs on the old
rules and none running is cut short.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache, partial
from pathlib import Path
from typing import Any

from ..audit import audit_item, unaudited_item
from ..batch.pipeline import not_read
from ..batch.pool import SET_UP_LIMIT, Failure, LocalPool
from ..batch.tasks import ReadTask, StopBatch, read_and_audit, rule_engine
from ..model import ReportAudit, RuleInfo
from ..render import Settings, load_settings
from ..render.html import render
from ..render.notice import build_notice, needs_notice
from ..render.pages import PageJob, render_job
from ..resubmission import run_versions
from ..wording import load_wording
from .config import WebConfig
from .uploads import Upload

#: The most checks waiting for a worker at once: ``ogi-audit serve`` answers with 32 threads
#: (engine.commands.serve), each waiting check holds one, and the office's pages must keep some while
#: agencies queue (20 at once is the load the app is built for).
WAITING = 24
#: The name the report's page is rendered under (it is shown, never written anywhere).
PAGE = "report"
#: What a notice preview says at its top, above any reason it would be a draft.
PREVIEW = "预览：这是本报告按公开办现行规则将会收到的整改通知书的样式，不是正式通知书"
#: Where a notice's number goes: a preview has none.
PREVIEW_NUMBER = "（预览，不编号）"


class Busy(Exception):
    """No worker became free in time, or too many checks are waiting already: every slot is checking
    someone's file."""


class RulesBroken(Exception):
    """The office's rules, not the file, failed (a rule's pattern past its time limit): ``str()`` says
    how, for the office's log."""


@dataclass(frozen=True)
class CheckTask:
    """One upload to check: our file, the name it was sent under, the rules and the notice settings;
    ``pages``: render its page and notice preview too (the API answers with the findings alone)."""

    path: str
    name: str
    rules_dir: str
    settings: str | None
    pages: bool = True


@dataclass(frozen=True)
class Checked:
    """What a check gives: the report's object as ``findings.json`` gives it (``item``), its page and
    notice preview as HTML (``notice`` None where it would get no notice), or, where it was not
    audited, ``reason`` (and ``item`` the findings file's object for an input not read)."""

    item: dict[str, Any]
    page: str | None = None
    notice: str | None = None
    reason: str | None = None


@cache
def _versions(rules_dir: str) -> dict[str, str]:
    """The run's versions as findings.json gives them: a worker's rules never change (reload starts
    fresh workers), so once per worker."""
    return run_versions(Path(rules_dir))


@cache
def _settings(path: str | None) -> Settings:
    return load_settings(Path(path) if path else None)


@cache
def _rules(rules_dir: str) -> dict[str, RuleInfo]:
    return {rule.id: rule.info() for rule in rule_engine(rules_dir).rules}


def check_report(task: CheckTask) -> Checked | StopBatch:
    """The check of one file, as it runs in a worker (see the module docstring)."""
    read = read_and_audit(ReadTask(task.path, task.rules_dir, None))
    if isinstance(read, StopBatch):
        return read
    versions = _versions(task.rules_dir)
    if read.unreadable is not None:
        unread = replace(read.unreadable, source=task.name)
        return Checked({**unaudited_item(unread), "versions": versions}, reason=unread.reason)
    audit: ReportAudit = read.audit
    audit.report.source = task.name  # the agency knows its file by the name it sent, not by ours
    item = {**audit_item(audit), "versions": versions}
    return Checked(item, *_pages(audit, task)) if task.pages else Checked(item)


def _pages(audit: ReportAudit, task: CheckTask) -> tuple[str, str | None]:
    """The report's page as the CLI writes it, and its notice's preview (None: it would get none)."""
    settings, rules = _settings(task.settings), _rules(task.rules_dir)
    common = {"generated": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M"), "office": settings.notice.office}
    [(_, page)] = render_job(PageJob(audit, rules, settings, common, page=PAGE, link=None))
    if not needs_notice(audit):
        return page.decode("utf-8"), None
    view = build_notice(audit, settings.notice.first_seq, rules, settings)
    view = replace(view, number=PREVIEW_NUMBER, drafts=(PREVIEW, *view.drafts))
    return page.decode("utf-8"), render("notice.html", notice=view, **common)


def _set_up(rules_dir: str) -> None:
    """A worker's start: the rules compiled (and the formats loaded with them), the parser and the PDF
    reader imported (pdfplumber, pypdfium2: 70-80 ms) and the wording loaded: a first check would
    otherwise spend its time limit on them, and an agency wait for it."""
    rule_engine(rules_dir)
    from ..parse import parse_file  # noqa: F401 - imported for what it imports
    from ..parse.readers import pdf_pages  # noqa: F401 - the same: PDF readers are imported when first used
    load_wording()


def _nothing(_: object) -> None:
    """A task that does nothing: run once on a slot, it starts (and so warms) the slot's worker."""


class _Slot:
    """One worker process's pool, and the rules generation it was started for."""

    def __init__(self, config: WebConfig, generation: int) -> None:
        self.pool = LocalPool(1, config.check_seconds / 2, partial(_set_up, str(config.rules_dir)))
        self.generation = generation
        self.started = False  #: its worker has run a task (and is so far alive)


class Checker:
    """The self-check's workers (see the module docstring); safe to call from any number of threads."""

    def __init__(self, config: WebConfig) -> None:
        self.config = config
        self._lock = threading.Condition()
        self._generation = 0
        self._idle = [_Slot(config, 0) for _ in range(max(1, config.jobs))]
        self._closed = False
        self._waiting = 0
        self._warming: list[threading.Thread] = []

    def check(self, upload: Upload, pages: bool = True) -> Checked:
        """The check of ``upload``, with its page and notice preview unless not ``pages`` (raises
        :class:`Busy` when no worker is free in time, :class:`RulesBroken` when the rules failed)."""
        task = CheckTask(str(upload.path), upload.name, str(self.config.rules_dir),
                         None if self.config.settings is None else str(self.config.settings), pages)
        slot = self._take()
        try:
            [(_, result)] = list(slot.pool.run(check_report, [task]))
            slot.started = not isinstance(result, Failure)
        finally:
            self._give_back(slot)
        if isinstance(result, StopBatch):
            raise RulesBroken(f"{result.kind.__name__}: {result.text}")
        if isinstance(result, Failure):
            unread = not_read(upload.name, result)
            return Checked({**unaudited_item(unread), "versions": _versions(task.rules_dir)}, reason=unread.reason)
        return result

    def _take(self) -> _Slot:
        with self._lock:
            if not self._idle and self._waiting >= WAITING:
                raise Busy
            self._waiting += 1
            try:
                free = self._lock.wait_for(lambda: self._idle or self._closed,
                                           timeout=self.config.check_seconds + SET_UP_LIMIT)
            finally:
                self._waiting -= 1
            if not free or self._closed:
                raise Busy
            return self._idle.pop()

    def _give_back(self, slot: _Slot) -> None:
        with self._lock:
            current = not self._closed and slot.generation == self._generation
            if current:
                self._idle.append(slot)
            elif not self._closed:
                self._idle.append(_Slot(self.config, self._generation))
            self._lock.notify()
        if not current:
            slot.pool.close()

    def warm(self) -> None:
        """Start, in the background, each idle worker not yet started."""
        with self._lock:
            cold = [slot for slot in self._idle if not slot.started]
            self._idle = [slot for slot in self._idle if slot.started]
        for slot in cold:
            thread = threading.Thread(target=self._warm, args=(slot,), daemon=True, name="ogi-audit-warm")
            self._warming.append(thread)
            thread.start()

    def _warm(self, slot: _Slot) -> None:
        try:
            for _, result in slot.pool.run(_nothing, [None]):
                slot.started = not isinstance(result, Failure)
        finally:
            self._give_back(slot)

    def reload(self) -> None:
        """The rules changed: every check from now on runs on workers started with the new ones."""
        with self._lock:
            self._generation += 1
            old, self._idle = self._idle, [_Slot(self.config, self._generation) for _ in self._idle]
        for slot in old:
            slot.pool.close()

    def close(self) -> None:
        """Stop the idle workers now, those starting once started (a worker's start is not cut off
        halfway), the busy ones as their checks end."""
        with self._lock:
            self._closed = True
            old, self._idle = self._idle, []
            self._lock.notify_all()
        for slot in old:
            slot.pool.close()
        for thread in self._warming:
            thread.join(timeout=SET_UP_LIMIT)

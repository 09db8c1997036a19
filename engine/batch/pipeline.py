"""A batch audit, stage by stage, on an executor (engine.batch.pool, engine.batch.cluster).

1. Every input is read and audited where the executor runs its tasks (engine.batch.tasks), without a
   prior-year report: which report is whose prior is known only once every report is read.
2. Reports are paired with the prior-year report of the same body among the inputs, or from the
   history store, and those that have one are audited again with it.
3. Duplicates are marked, statuses and decisions taken from the store, and the run recorded (all in
   this process: engine.audit).
4. The pages and notices are rendered and written into the output folder where the tasks run
   (:meth:`Batch.render`, given to engine.render.write_outputs), and entered here in its manifest.

With a spool, each report read and its audit are kept on disk between the stages and this process holds
only a brief of each (engine.batch.spool); without one (``run_audit`` called as a library, whose
callers look into the reports) they stay in memory. With ``reuse`` and a history store, an input audited
before is given its recorded results instead of being read (engine.history.reuse). Results come back in
any order and are put in input order, so that the findings, pages and JSON are the same whatever the
executor and the number of workers.
"""
from __future__ import annotations

import hashlib
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model import Report, ReportAudit, RuleInfo, Unreadable
from .pool import Executor, Failure, InProcess
from .progress import Progress
from . import spool
from .spool import Brief, SpooledAudits
from .summary import stored_summary
from .tasks import (AuditTask, NotWritten, Read, ReadTask, RenderTask, Spot, StopBatch, audit_with_prior,
                    read_and_audit, render_pages, report_of)

if TYPE_CHECKING:
    from ..history.store import HistoryStore
    from ..render.manifest import Written
    from ..render.pages import PageJob

#: Inputs whose recorded audits are looked up and taken from the history store at a time (reuse).
REUSE_CHUNK = 256
#: What is added to a task's failure when it is listed as an input not audited.
_FOR_MAINTAINERS = "，重试一次仍未成功，未审核；请把此文件提供给软件维护人员"


class BatchError(Exception):
    """A batch that cannot start (a bad --jobs, a Dask scheduler that cannot be reached): ``str()``
    says why and what to give instead."""


@dataclass
class Batch:
    """The executor, the spool and the progress shown, for the stages of one run."""

    executor: Executor = field(default_factory=InProcess)
    #: Keep reports on disk between the stages, in a folder made under this one; None: in memory.
    spool_in: Path | None = None
    progress: Callable[[str, int], Progress] = Progress.quiet
    #: Give an input audited before its recorded results (``run_audit`` with a history store).
    reuse: bool = False
    #: Inputs whose pages could not be rendered, and why (listed by the command, never dropped).
    render_failures: list[Unreadable] = field(default_factory=list)
    _spool: Path | None = None
    _slots: list[int] = field(default_factory=list)  # the input index of each audit of the run
    _rendering: Progress | None = None  # stage 4's progress, over the calls for each chunk
    _rules_kept: tuple[dict[str, RuleInfo], spool.Ref] | None = None  # the page jobs' rules, where spooled
    _reused: dict[int, str | None] = field(default_factory=dict)  # input index → its prior's digest then
    _inputs: dict[str, tuple[int, bytes]] = field(default_factory=dict)  # source → size, sha256 (:meth:`hash`)
    _audited: list[ReportAudit | Brief] = field(default_factory=list)  # the run's audits or briefs (:meth:`audits`)

    def __enter__(self) -> Batch:
        if self.spool_in is not None:
            self.spool_in.mkdir(parents=True, exist_ok=True)
            self._spool = Path(tempfile.mkdtemp(prefix=".ogi-audit-spool-", dir=self.spool_in))
        return self

    def __exit__(self, *exc: object) -> None:
        if self._rendering is not None:
            self._rendering.__exit__(*exc)
        self.executor.close()
        if self._spool is not None:
            shutil.rmtree(self._spool, ignore_errors=True)

    def each(self, what: str, function: Callable[[Any], Any], tasks: Sequence[Any]) -> list[Any]:
        """``function`` over ``tasks`` on the executor, results in task order, with the progress of
        ``what`` shown."""
        results: list[Any] = [None] * len(tasks)
        with self.progress(what, len(tasks)) as progress:
            for index, result in self.executor.run(function, tasks):
                if isinstance(result, StopBatch):
                    raise result.error()
                results[index] = result
                progress.advance()
        return results

    def read(self, files: Sequence[Path], rules_dir: Path, indexes: Sequence[int]) -> list[Read | Failure]:
        """Stage 1: each file's :class:`~engine.batch.tasks.Read`, or its Failure, in input order;
        ``indexes`` are the files' indexes among the batch's inputs; each brief says where its report
        and audit are kept."""
        folder = None if self._spool is None else str(self._spool)
        tasks = [ReadTask(str(path), str(rules_dir), folder) for path in files]
        return self.each("读取并审核", read_and_audit, tasks) if tasks else []

    def hash(self, files: Sequence[Path]) -> None:
        """Take the size and sha256 of each file's bytes, once: what the history store finds an input
        audited before by (:meth:`reusable`), records it by (:meth:`input`), and a page is kept by
        (:meth:`made_from`). A file that cannot be read is left out: the reader says why."""
        for path in files:
            try:
                data = path.read_bytes()
            except OSError:
                continue
            self._inputs[sys.intern(str(path))] = len(data), hashlib.sha256(data).digest()

    def input(self, source: str) -> tuple[int, str] | None:
        """The size and sha256 (hex) of the input at ``source`` as :meth:`hash` took them, or None."""
        found = self._inputs.get(source)
        return None if found is None else (found[0], found[1].hex())

    def made_from(self, source: str) -> str | None:
        """The sha256 of the input a report's page and notice are made from (engine.render.recipe)."""
        found = self._inputs.get(source)
        return None if found is None else found[1].hex()

    def reusable(self, files: Sequence[Path], history: HistoryStore, rules_dir: Path) -> dict[int, ReportAudit | Brief]:
        """Incremental runs (engine.history.reuse): the recorded audit of each input (by its index)
        whose bytes were audited before under the same tool, rules and formats (as :meth:`hash` took
        them); none without ``reuse``. Whether its prior-year report is unchanged too is known only
        once the batch is paired (:meth:`stale`)."""
        if not self.reuse:
            return {}
        from ..history.reuse import reused_audit
        from ..history.versions import Versions
        inputs_of: dict[str, list[int]] = {}
        for i, path in enumerate(files):
            if (digest := self.made_from(str(path))) is not None:
                inputs_of.setdefault(digest, []).append(i)
        versions, digests, found, summaries = Versions.of(rules_dir), sorted(inputs_of), {}, {}
        for start in range(0, len(digests), REUSE_CHUNK):  # a chunk's stored audits at a time: flat memory
            known = history.reusable(digests[start:start + REUSE_CHUNK], versions, summaries)
            for digest, stored in known.items():
                for i in inputs_of[digest]:
                    audit = reused_audit(stored, stored_summary(stored))
                    audit.report.source = str(files[i])
                    self._reused[i] = stored.prior_digest
                    found[i] = self._kept(i, audit)
        return found

    def _kept(self, index: int, audit: ReportAudit) -> ReportAudit | Brief:
        if self._spool is None:
            return audit
        report = audit.report
        return Brief(report.source, report.body, report.year, None, spool.put(self._spool, audit))

    @property
    def reused(self) -> int:
        """How many inputs were given their recorded results."""
        return len(self._reused)

    def is_reused(self, index: int) -> bool:
        return index in self._reused

    def given(self, index: int, report: Report | Brief) -> Report | Spot:
        """The report of input ``index`` (itself, or its brief where the batch is spooled) as a task
        takes it: where it is spooled, else itself (a reused one from its recorded audit, which holds
        its figures)."""
        if not isinstance(report, Brief):
            return report
        if index in self._reused:
            return spool.get(self._spool, report.audit).report
        return Spot(str(self._spool), report.report)

    def spooled(self, report: Report) -> Report | Spot:
        """A report the batch holds until stage 2 (a prior-year report from the history store): its
        spot where the batch is spooled, else itself."""
        return report if self._spool is None else Spot(str(self._spool), spool.put(self._spool, report))

    def stale(self, index: int, prior: Report | Spot | None) -> bool:
        """Whether input ``index``, reused, was audited with another prior-year report than ``prior``
        (the one it has now): then it is read and audited again, and no longer counts as reused."""
        if index not in self._reused:
            return False
        from ..history.reuse import prior_digest
        now = prior_digest(report_of(prior) if prior is not None else None)
        if now == self._reused[index]:
            return False
        del self._reused[index]
        return True

    def audit_again(self, pairs: Sequence[tuple[Report | Spot, Report | Spot]],
                    rules_dir: Path) -> list[ReportAudit | Brief | Failure]:
        """Stage 2: each (report, prior-year report) audited again, each given as itself or its spot."""
        tasks = [AuditTask(report, prior, str(rules_dir)) for report, prior in pairs]
        return self.each("与上一年度报告比对", audit_with_prior, tasks)

    def audits(self, slots: list[int], kept: list[ReportAudit | Brief]) -> Sequence[ReportAudit]:
        """The batch's audits, by the index of each one's input (``slots``): in the spool, or ``kept``."""
        self._slots, self._audited = slots, kept
        return kept if self._spool is None else SpooledAudits(self._spool, kept)

    def _rendered(self, job: PageJob) -> Report | Spot | str:
        """What a page is rendered from: the report as read (spooled, or in the job), or for a
        reused audit, whose report the store keeps without its text, the file to read again."""
        kept = self._audited[job.position]  # as read: the job's audit shows its source (engine.render.shown)
        if self._slots[job.position] in self._reused:
            return kept.source if isinstance(kept, Brief) else kept.report.source
        return kept.report if self._spool is None else Spot(str(self._spool), kept.report)

    def _kept_rules(self, rules: dict[str, RuleInfo]) -> tuple[str, spool.Ref] | None:
        """Where ``rules`` (a page job's) are kept in the spool, put there the first time they are
        asked about (they are the same object for every job of a run); None without a spool."""
        if self._spool is None:
            return None
        if self._rules_kept is None or self._rules_kept[0] is not rules:
            self._rules_kept = rules, spool.put(self._spool, rules)
        return str(self._spool), self._rules_kept[1]

    def render(self, jobs: Sequence[PageJob], root: Path) -> Iterator[tuple[int, list[tuple[str, Written]]]]:
        """Stage 4, as engine.render.write_outputs takes a renderer (called for a chunk of the run's
        audits at a time): each job with its report as read, from the spool where it was spooled,
        rendered and written under ``root`` where the tasks run, and what was written given back as
        soon as it is, so that no more than the jobs in flight are held."""
        tasks = [RenderTask.of(job, self._rendered(job), root, self._kept_rules(job.rules)) for job in jobs]
        if self._rendering is None:
            self._rendering = self.progress("写出报告页面和整改通知书", len(self._slots)).__enter__()
        for index, result in self.executor.run(render_pages, tasks):
            if isinstance(result, (StopBatch, NotWritten)):
                raise result.error()
            if isinstance(result, Failure):
                self.render_failures.append(Unreadable(jobs[index].audit.report.source,
                                                       f"审核结果页面或整改通知书未能生成：{result.reason}"))
                result = []
            self._rendering.advance()
            yield index, result


def not_read(source: str | Path, failure: Failure) -> Unreadable:
    """An input whose task failed twice, listed with why (a failed audit against the prior-year report
    too: its audit without that report would say none was found, which is not so)."""
    return Unreadable(str(source), f"{failure.reason}{_FOR_MAINTAINERS}")

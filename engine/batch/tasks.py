"""The per-report work, as it runs in a worker (engine.batch.pool): read an input and audit it, audit
it again with its prior-year report, render its page and notice.

Each task is a small picklable record and each function takes one and returns one, so that the same
work runs in this process, in a worker process or on a Dask worker alike. A worker keeps one rule
engine per rules folder, loaded on its first task (durable-rules is set up once per process; on a Dask
worker with several threads, once per thread, since the engine is not safe to share between threads).

A report read is kept in the *spool* (a folder of this batch's, engine.batch.pipeline) until its pages
are written, so that the batch's own process holds only the summary of each report
(engine.batch.summary) and not the text and tables of a whole province's year.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import Report, ReportAudit, RuleInfo, Unreadable
from . import spool
from .spool import Brief, Ref
from .summary import summarise

if TYPE_CHECKING:
    from ..render.manifest import Written
    from ..render.pages import PageJob
    from ..rules.run import RuleEngine

_local = threading.local()


def rule_engine(rules_dir: str) -> RuleEngine:
    """This thread's engine for ``rules_dir``, compiled on first use."""
    engines = getattr(_local, "engines", None)
    if engines is None:
        engines = _local.engines = {}
    if rules_dir not in engines:
        from ..rules import load_engine
        engines[rules_dir] = load_engine(Path(rules_dir))
    return engines[rules_dir]


@dataclass(frozen=True)
class StopBatch:
    """A task's result when the rules, not the report, failed (a rule's regex that runs past its time
    limit, a rule file that cannot be used): the batch stops with the error, as an audit of that one
    report would, instead of listing every report as unreadable. The error travels as its type and
    text, since not every error type can be rebuilt from its pickle."""

    kind: type
    text: str

    def error(self) -> Exception:
        error = self.kind.__new__(self.kind)
        error.args = (self.text,)
        return error


def _audited(rules_dir: str, report: Report, prior: Report | None) -> ReportAudit | StopBatch:
    from ..rules.errors import RuleFileError, RulesFolderError
    from ..yamlsource import SourceError
    try:
        return rule_engine(rules_dir).audit(report, prior)
    except (SourceError, RuleFileError, RulesFolderError) as error:
        return StopBatch(type(error), str(error))


def read(path: Path) -> Report | Unreadable:
    """The report in ``path``, or why it could not be read. A fault of our own in reading one file is
    listed as that file's reason instead of ending the batch: the other reports are still audited and
    the run reports itself incomplete."""
    from ..parse import ReportError, parse_file
    try:
        report = parse_file(path)
    except ReportError as error:
        return Unreadable(str(path), error.reason)
    except Exception as error:  # noqa: BLE001 - any fault reading one input, named for the maintainers
        return Unreadable(str(path), f"读取时程序出错（{type(error).__name__}: {error}），未审核；请把此文件提供给软件维护人员")
    if not report.readable:
        return Unreadable(str(path), "；".join(map(report.placed, report.warnings)) or "无法读取为年度报告")
    return _not_a_report(report) or report


def _not_a_report(report: Report) -> Unreadable | None:
    """Why a readable file is no annual report to audit, or None. Since files are taken by their bytes,
    a README or a blank template in a folder of submissions would otherwise be audited and accused of
    every missing part or blank cell. A file with a title, or with a heading but no table, is audited."""
    if report.year is not None:
        return None
    present = [table for table in report.tables.values() if table.present]
    if not present and not report.sections:
        return Unreadable(report.source, "不是政府信息公开工作年度报告：没有年度报告的标题、各部分标题和统计表，未审核")
    if present and all(cell is None or cell.value is None for table in present for cell in table.each_cell()):
        return Unreadable(report.source, "没有“××年政府信息公开工作年度报告”式的标题，表格中也没有任何数字"
                                         "（可能是未填写的模板），未审核")
    return None


@dataclass(frozen=True)
class Spot:
    """A report as read, kept in the spool: the batch's spool folder and where in it (engine.batch.spool)."""

    spool: str
    report: Ref


@dataclass(frozen=True)
class ReadTask:
    """Read and audit the input at ``path`` (without a prior-year report: pairing needs every report of
    the batch read first); with a ``spool`` folder, keep the report and the audit in it."""

    path: str
    rules_dir: str
    spool: str | None


@dataclass
class Read:
    """What the batch learns of one input: why it was not read, or its audit (without a spool) or the
    brief of the audit kept in the spool. (Its size and sha256 are taken when the run is recorded:
    engine.history.rows.)"""

    unreadable: Unreadable | None
    audit: ReportAudit | Brief | None


def read_and_audit(task: ReadTask) -> Read | StopBatch:
    path = Path(task.path)
    report = read(path)
    if isinstance(report, Unreadable):
        return Read(report, None)
    spot = None if task.spool is None else Spot(task.spool, spool.put(Path(task.spool), report))
    audit = _audited(task.rules_dir, report, None)
    if isinstance(audit, StopBatch):
        return audit
    return Read(None, _kept(audit, spot))


def _kept(audit: ReportAudit, spot: Spot | None) -> ReportAudit | Brief:
    """``audit`` itself without a spool, else its brief, the audit kept beside the report as read
    (``spot``) with its report summarised."""
    if spot is None:
        return audit
    report = audit.report
    summary = summarise(report, audit.findings)
    kept = spool.put(Path(spot.spool), replace(audit, report=summary))
    return Brief(report.source, report.body, report.year, summary.text_sha256, kept, spot.report)


@dataclass(frozen=True)
class AuditTask:
    """Audit the report of ``spot`` again with its prior-year report (the one of ``prior``'s spot, or
    one given: from the history store); without a spool, both are given."""

    report: Report | Spot
    prior: Report | Spot
    rules_dir: str


def report_of(item: Report | Spot | str) -> Report:
    """A report given as itself, as its spot in the spool, or as the path of its file to read again
    (an audit given again from the history store: the store keeps no text for its pages)."""
    if isinstance(item, Spot):
        return spool.get(Path(item.spool), item.report)
    if isinstance(item, str):
        report = read(Path(item))
        if isinstance(report, Unreadable):
            raise ValueError(f"重新读取 {item} 以生成页面时未能读取：{report.reason}")
        return report
    return item


def audit_with_prior(task: AuditTask) -> ReportAudit | Brief | StopBatch:
    audit = _audited(task.rules_dir, report_of(task.report), report_of(task.prior))
    if isinstance(audit, StopBatch):
        return audit
    return _kept(audit, task.report if isinstance(task.report, Spot) else None)


@dataclass(frozen=True)
class RenderTask:
    """Render one report's page and notice (engine.render.pages.PageJob) with its report as read, and
    write them under the output folder ``root``."""

    job: PageJob
    report: Report | Spot | str
    root: str
    #: Where the job's rules are kept (its spool folder, and where in it), the job sent without them;
    #: None: the job holds them.
    rules: tuple[str, Ref] | None = None

    @classmethod
    def of(cls, job: PageJob, report: Report | Spot | str, root: Path,
           rules: tuple[str, Ref] | None = None) -> RenderTask:
        """The task of ``job`` with ``report`` (its report as read): the job's audit goes without its
        own report but for the source it is shown by, since the worker renders with ``report``
        instead. Pickled with it, the report was half of every task sent (25 of 50 KB for a
        generated report), written by the batch's own process while it writes the pages. Likewise
        the rules, where ``rules`` says where they are kept: the same for every job of a run, and
        20 of the 25 KB left, pickled by that process for every task and read by a worker for every
        task; a worker reads them once (:func:`_rules`)."""
        audit = replace(job.audit, report=Report(job.audit.report.source))
        return cls(replace(job, audit=audit, rules={} if rules else job.rules), report, str(root), rules)


def _rules(task: RenderTask) -> dict[str, RuleInfo]:
    """The rules of ``task``'s job: its own, or those kept where it says, read once by this thread."""
    if task.rules is None:
        return task.job.rules
    kept = getattr(_local, "rules", None)
    if kept is None or kept[0] != task.rules:
        kept = _local.rules = task.rules, spool.get(Path(task.rules[0]), task.rules[1])
    return kept[1]


@dataclass(frozen=True)
class NotWritten:
    """A task's result when its files could not be written into the output folder (a full disk, no
    permission): the batch stops with the error, as it did when its own process wrote them, instead
    of listing every report's pages as not made. The OSError travels as itself: it pickles whole, its
    number and file with it."""

    cause: OSError

    def error(self) -> OSError:
        return self.cause


def render_pages(task: RenderTask) -> list[tuple[str, Written]] | NotWritten:
    from ..render.pages import write_job
    job = task.job  # the report as read, shown by the name its job's audit gives it (engine.render.shown)
    report = replace(report_of(task.report), source=job.audit.report.source)
    try:
        return write_job(replace(job, audit=replace(job.audit, report=report), rules=_rules(task)), Path(task.root))
    except OSError as error:
        return NotWritten(error)

"""Audit a batch: files and folders in, one :class:`engine.model.AuditRun` out.

Each input is parsed (an input that cannot be read becomes :class:`~engine.model.Unreadable` with the
reason, never a traceback), each report is paired with the prior-year report of the same body among
the inputs (names compared in normalised form), and the rules run on every report. Inputs that are one
report twice (the same body and year, or the same text) are marked as duplicates of each other, so that
one agency gets one notice for them. The run is recorded in the history store when one is given
(:mod:`engine.history`). :func:`audit_json` is the findings file of ``ogi-audit audit`` (issue 3,
point 6).
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .inputs import input_files
from .model import AuditRun, Report, ReportAudit, Unreadable
from .pairing import body_names, pair_prior
from .parse import ReportError, parse_file
from .resubmission import follow_up, run_versions
from .rules import load_engine
from .wording import BodyWording, load_wording

if TYPE_CHECKING:
    from .history.store import HistoryStore


def read(path: Path) -> Report | Unreadable:
    """The report in ``path``, or why it could not be read. A fault of our own in reading one file is
    listed as that file's reason instead of ending the batch: the other reports are still audited and
    the run reports itself incomplete."""
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


def run_audit(paths: Iterable[Path], rules_dir: Path, out_dir: Path | None = None,
              history: HistoryStore | None = None) -> AuditRun:
    """Audit every input (``out_dir``, where the results go, is never read as one) and record the run
    in ``history`` when given; raises :class:`engine.rules.RuleFileError` before reading any input when
    a rule file is invalid (:class:`engine.history.errors.HistoryError` when the run cannot be recorded).
    A report whose prior-year report is not among the inputs gets its figures from ``history``'s last
    audit of it (:mod:`engine.history.prior`)."""
    if history is not None:
        from .history.prior import stored_priors  # the store's modules import SQLAlchemy: only with a store
    engine = load_engine(rules_dir)
    wording = load_wording()  # before any input: a bad wording file is one clear error, not every input unread
    run = AuditRun(rules=[rule.info() for rule in engine.rules])
    reports = []
    for item in input_files(paths, out_dir):
        result = item if isinstance(item, Unreadable) else read(item)
        (run.unreadable if isinstance(result, Unreadable) else reports).append(result)
    priors = pair_prior(reports, wording.bodies)
    from_history = {} if history is None else stored_priors(reports, priors, history, wording.bodies)
    priors.update({i: prior for i, (prior, _) in from_history.items()})
    run.audits = [engine.audit(report, priors.get(i)) for i, report in enumerate(reports)]
    for i, (_, record) in from_history.items():
        run.audits[i].prior_record = record
    mark_duplicates(run.audits, wording.bodies)
    run.versions = run_versions(rules_dir)
    if history is not None:
        follow_up(run, history)  # statuses against the last audit, and decisions, before recording this one
        history.record(run, rules_dir)
    return run


def report_identity(report: Report, bodies: BodyWording) -> tuple[str, ...] | None:
    """What makes two inputs one report: the same body and year, the body by its most specific name
    as pairing compares them (科技局 and 科学技术局 of one place are one; a name cut down, which two
    bodies may share, is not used); where the year or a name with a place was not read, nothing but the
    same text as read. None for a report with no text to compare."""
    names = body_names(report.body, bodies) if report.year else []
    if names:
        return ("body", names[0], str(report.year))
    if not report.lines:
        return None
    return ("text", hashlib.sha256("\n".join(report.lines).encode("utf-8")).hexdigest())


def mark_duplicates(audits: list[ReportAudit], bodies: BodyWording) -> None:
    """Set each audit's ``duplicate_of`` to the other inputs that are the same report (input order)."""
    groups: dict[tuple[str, ...], list[ReportAudit]] = {}
    for audit in audits:
        if (same := report_identity(audit.report, bodies)) is not None:
            groups.setdefault(same, []).append(audit)
    for same, group in groups.items():
        for audit in group if len(group) > 1 else ():
            audit.duplicate_of = tuple(other.report.source for other in group if other is not audit)
            audit.duplicate_by = same[0]


def audit_json(run: AuditRun) -> list[dict[str, Any]]:
    """One object per report, then one per input that could not be read (with ``unreadable``)."""
    out = [_audit(audit) for audit in run.audits]
    out += [{"source": item.source, "body": None, "year": None, "format": None, "findings": [], "fixed": [],
             "skipped": [], "duplicate_of": [], "unreadable": item.reason, "excluded": item.excluded}
            for item in run.unreadable]
    return [{**item, "versions": run.versions} for item in out]


def _audit(audit: ReportAudit) -> dict[str, Any]:
    report = audit.report
    return {"source": report.source, "body": report.body, "year": report.year, "format": report.format,
            "prior": audit.prior, "prior_from_run": audit.prior_record.run if audit.prior_record else None,
            "duplicate_of": list(audit.duplicate_of),
            "findings": [f.to_dict() for f in audit.findings], "fixed": [f.to_dict() for f in audit.fixed],
            "compared_with_run": audit.compared_with, "skipped": [s.to_dict() for s in audit.skipped],
            "rules_run": audit.rules_run}

"""The batch as the rows of a spreadsheet (``findings.csv``, ``findings.xlsx``): one per finding; one
for a report that another input of the batch is too (the same body and year) where it has no finding,
so that the duplicate is seen; then one per input that was not audited (无法读取 or 未审核, with the
reason), so that a spreadsheet of the batch misses no input.

Each row keeps the model's objects; each writer chooses its columns and writes its cells its own way.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..model import AuditRun, Finding, Report, ReportAudit, Review, Unreadable
from .notice import duplicate_note

#: What a row without a finding is, written where a finding's severity goes.
DUPLICATE, UNREADABLE, EXCLUDED = "重复报告", "无法读取", "未审核"
#: A finding's status against the store's last audit of the same report (Finding.status).
STATUS_LABELS = {"new": "新发现", "open": "仍未整改", "reappeared": "再次出现"}
REVIEW_LABELS = {"dismissed": "已驳回", "confirmed": "已确认"}


@dataclass(frozen=True)
class SheetRow:
    source: str
    report: Report | None = None  #: None for an input that was not audited
    finding: Finding | None = None
    state: str = ""  #: for a row without a finding: DUPLICATE, UNREADABLE or EXCLUDED
    note: str = ""  #: what such a row says where a finding's message goes
    duplicates: str = ""  #: the other files of the batch that are this report too, joined by "；"


def sheet_rows(run: AuditRun) -> Iterator[SheetRow]:
    for audit in run.audits:
        yield from audit_rows(audit)
    for item in run.unreadable:
        yield unaudited_row(item)


def audit_rows(audit: ReportAudit) -> Iterator[SheetRow]:
    """The rows of one report: its findings in order, or the row that says it is a duplicate."""
    report = audit.report
    others = "；".join(audit.duplicate_of)
    if others and not audit.findings:
        yield SheetRow(report.source, report, state=DUPLICATE, note=f"未发现问题；{duplicate_note(audit)}",
                       duplicates=others)
    for finding in sorted(audit.findings, key=lambda f: f.sort_key()):
        yield SheetRow(report.source, report, finding, duplicates=others)


def unaudited_row(item: Unreadable) -> SheetRow:
    return SheetRow(item.source, state=not_audited(item), note=f"{not_audited(item)}：{item.reason}")


def not_audited(item: Unreadable) -> str:
    """无法读取, or 未审核 for an input left out on purpose."""
    return EXCLUDED if item.excluded else UNREADABLE


def status_text(finding: Finding) -> str:
    return STATUS_LABELS.get(finding.status, finding.status) if finding.status else ""


def review_text(review: Review | None) -> str:
    """``已驳回：理由（张三，2026-03-01 10:00）``; empty where nobody has decided."""
    if review is None:
        return ""
    who = "，".join(part for part in (review.by, review.at.strftime("%Y-%m-%d %H:%M")) if part)
    return f"{REVIEW_LABELS.get(review.decision, review.decision)}：{review.reason}（{who}）"

"""The view model of a rectification notice (整改通知书), shared by the HTML and the Word version.

A notice lists the findings the agency must act on (errors and warnings; notes of severity info are
for the office only) with the basis and the remedy of each, and carries the office's numbering, date,
deadline and signature from the settings. Both renderings are made from this one view.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..model import ReportAudit, RuleInfo
from .settings import Settings, chinese_date, fill
from .wording import NOTICE_SEVERITIES, body, ordered, place

HEADER = ("序号", "问题", "位置", "依据", "整改要求")


@dataclass(frozen=True)
class NoticeRow:
    number: int
    problem: str
    place: str
    basis: str
    remedy: str


@dataclass(frozen=True)
class NoticeView:
    title: str
    number: str
    addressee: str
    opening: str
    header: tuple[str, ...]
    rows: tuple[NoticeRow, ...]
    closing: str
    contact: str
    signature: tuple[str, ...]
    date: str


def needs_notice(audit: ReportAudit) -> bool:
    return any(f.severity in NOTICE_SEVERITIES for f in audit.findings)


def build_notice(audit: ReportAudit, seq: int, rules: dict[str, RuleInfo], settings: Settings) -> NoticeView:
    """The notice for one report; ``seq`` is its number in this batch (from ``first_seq``)."""
    notice = settings.notice
    report = audit.report
    findings = ordered([f for f in audit.findings if f.severity in NOTICE_SEVERITIES])
    addressee = body(report)
    values = {"body": addressee, "year": report.year or "", "deadline": chinese_date(notice.deadline),
              "errors": audit.count("error"), "warnings": audit.count("warning"),
              "short": notice.short, "seq": seq}
    rows = []
    for n, f in enumerate(findings, start=1):
        rule = rules.get(f.rule)
        rows.append(NoticeRow(
            number=n, problem=f"【{settings.severity(f.severity)}】{f.message}",
            place=place(f.location, report),
            basis=f.basis or (rule.basis if rule else ""),
            remedy=f.remedy or (rule.remedy if rule else "")))
    return NoticeView(
        title=notice.title, number=fill(notice.number, {**values, "year": notice.date.year}),
        addressee=f"{addressee}：", opening=fill(notice.opening, values), header=HEADER, rows=tuple(rows),
        closing=fill(notice.closing, values), contact=notice.contact, signature=notice.signature,
        date=chinese_date(notice.date))

"""What the batch keeps of a report while the rest of the batch is read: a :class:`ReportSummary`.

A batch of a province's or a nation's year must not hold every report's text in memory. Once a report
is audited, the batch's process needs of it only what the dashboard, the exports, pairing, duplicates and
the history store read: its source, body, year, format and kind, its figures (the prior-year rules and
the store read them), its parser warnings, and the place in the file of each line a finding names (the
CSV and SARIF give it). Its lines and sections stay in the spool (engine.batch.tasks) for its pages.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields

from ..model import Finding, Report
from .spool import Brief

#: The fields of a Report a summary leaves out: the text, which only the report's own pages quote.
_LEFT_OUT = {"lines", "places", "sections"}


@dataclass
class ReportSummary(Report):
    #: The place (第3页第12行) of each line a finding of the report names.
    at: dict[int, str] = field(default_factory=dict)
    #: The sha256 of the text as read, which tells two inputs of one text (engine.audit.report_identity).
    text_sha256: str | None = None

    def place(self, line: int | None) -> str:
        if line in self.at:
            return self.at[line]
        return super().place(line)


def summarise(report: Report, findings: list[Finding]) -> ReportSummary:
    kept = {f.name: getattr(report, f.name) for f in fields(Report) if f.name not in _LEFT_OUT}
    lines = {f.location.line for f in findings if f.location.line} | {w.line for w in report.warnings if w.line}
    return ReportSummary(**kept, at={line: report.place(line) for line in lines}, text_sha256=text_digest(report))


def text_digest(report: Report | Brief) -> str | None:
    """The sha256 of a report's text as read; None for a report with no text. A summary and a brief
    carry it, the text being gone."""
    if isinstance(report, ReportSummary | Brief):
        return report.text_sha256
    return hashlib.sha256("\n".join(report.lines).encode("utf-8")).hexdigest() if report.lines else None

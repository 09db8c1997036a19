"""What the batch keeps of a report while the rest of the batch is read: a :class:`ReportSummary`.

A batch of a province's or a nation's year must not hold every report's text in memory. Once a report
is audited, the batch's process needs of it only what the dashboard, the exports, pairing, duplicates and
the history store read: its source, body, year, format and kind, its figures (the prior-year rules and
the store read them), its parser warnings, and the place in the file of each line a finding names (the
CSV and SARIF give it). Its lines and sections stay in the spool (engine.batch.tasks) for its pages.

Its tables are kept as the text the history store keeps them in (engine.history.figures), with their
titles apart (which every place a finding is named by reads: engine.render.wording.table_caption), and
made again only when read: this process reads them to record the run (as that text) and hardly
otherwise, while unpickling a summary's cells was about 70 % of loading its audit from the spool, which
every stage of the batch does.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from ..history.figures import figures_json, read_figures, read_heads
from ..model import Finding, Report, Table
from .spool import Brief

if TYPE_CHECKING:
    from ..history.reading import StoredAudit

#: The fields of a Report a summary leaves out: the text, which only the report's own pages quote.
_LEFT_OUT = {"lines", "places", "sections", "tables"}


@dataclass
class ReportSummary(Report):
    #: The place (第3页第12行) of each line a finding of the report names.
    at: dict[int, str] = field(default_factory=dict)
    #: The sha256 of the text as read, which tells two inputs of one text (engine.audit.report_identity).
    text_sha256: str | None = None
    #: The tables as the store keeps them (engine.history.figures.figures_json), which ``tables`` reads.
    figures: str = ""
    #: Each table's title, by its key.
    titles: dict[str, str | None] = field(default_factory=dict)

    @property  # type: ignore[override]
    def tables(self) -> dict[str, Table]:
        made = self.__dict__.get("_tables")
        if made is None:
            made = self.__dict__["_tables"] = read_figures(self.figures).tables
        return made

    @tables.setter
    def tables(self, tables: dict[str, Table]) -> None:
        if tables:
            raise ValueError("a summary's tables are given as their figures' text")

    def __getstate__(self) -> dict[str, Any]:
        return {name: value for name, value in self.__dict__.items() if name != "_tables"}

    def place(self, line: int | None) -> str:
        if line in self.at:
            return self.at[line]
        return super().place(line)


def summarise(report: Report, findings: list[Finding]) -> ReportSummary:
    kept = {f.name: getattr(report, f.name) for f in fields(Report) if f.name not in _LEFT_OUT}
    lines = {f.location.line for f in findings if f.location.line} | {w.line for w in report.warnings if w.line}
    return ReportSummary(**kept, at={line: report.place(line) for line in lines}, text_sha256=text_digest(report),
                         figures=figures_json(report), titles={key: t.title for key, t in report.tables.items()})


def stored_summary(stored: StoredAudit) -> ReportSummary:
    """The report of a recorded audit (engine.history.reuse), as :meth:`StoredAudit.report` gives it
    but with its tables read only when used."""
    titles, unread = read_heads(stored.figures_json)
    at = {int(line): place for line, place in json.loads(stored.places_json or "{}").items()}
    return ReportSummary(source=stored.source, body=stored.body, year=stored.year, format=stored.format,
                         kind=stored.kind, unread=unread, figures=stored.figures_json, titles=titles, at=at)


def text_digest(report: Report | Brief) -> str | None:
    """The sha256 of a report's text as read; None for a report with no text. A summary and a brief
    carry it, the text being gone."""
    if isinstance(report, ReportSummary | Brief):
        return report.text_sha256
    return hashlib.sha256("\n".join(report.lines).encode("utf-8")).hexdigest() if report.lines else None

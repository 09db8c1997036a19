"""The view model of one report's page: findings by category, the tables redrawn, source lines.

Built from a :class:`~engine.model.ReportAudit`; the template only loops over it. Every finding gets a
number and an anchor, and the tables (:mod:`.table_view`) and quoted lines link back to it. Findings
whose table is not in the parsed report stay in their category list, so nothing is lost.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass

from ..formats import load_formats
from ..model import SEVERITIES, Finding, ReportAudit, RuleInfo
from .follow_up import FixedView, fixed_views, resubmission_line, review_label, status_label
from .notice import NoticeLink, duplicate_note
from .settings import Settings
from .table_view import Anchors, Link, TableView, build_tables
from .wording import UNKNOWN, body, ordered, place, report_title, year

#: Source lines shown around each quoted line, so that a line reads in its context.
CONTEXT_LINES = 1


@dataclass(frozen=True)
class FindingView:
    number: int
    anchor: str
    rule: str
    rule_title: str
    severity: str
    severity_label: str
    message: str
    place: str
    line_anchor: str | None
    quote: str
    expected: str | None
    actual: str | None
    basis: str
    remedy: str
    cell_anchor: str | None
    #: Against the last audit (新发现, 仍未整改, 整改后又出现) and the auditor's decision, in words, or None.
    status: str | None = None
    review: str | None = None
    dismissed: bool = False
    fingerprint: str = ""  #: what ``ogi-audit review`` takes


@dataclass(frozen=True)
class CategoryView:
    label: str
    findings: tuple[FindingView, ...]


@dataclass(frozen=True)
class CountView:
    code: str
    label: str
    value: int


@dataclass(frozen=True)
class SourceLine:
    number: int
    place: str  # as the reader names it: 第12行, 第3页第12行, 表格2第4行
    text: str
    anchor: str
    links: tuple[Link, ...]


@dataclass(frozen=True)
class SkippedView:
    rule: str
    title: str
    reason: str


@dataclass(frozen=True)
class ReportPage:
    title: str
    body: str
    year: str
    format: str
    source: str
    prior: str | None
    counts: tuple[CountView, ...]
    total: int
    rules_run: int
    categories: tuple[CategoryView, ...]
    tables: tuple[TableView, ...]
    excerpts: tuple[tuple[SourceLine, ...], ...]
    skipped: tuple[SkippedView, ...]
    warnings: tuple[str, ...]
    notice: NoticeLink | None
    #: Which other inputs of the batch are this report too ("与 b.pdf 是同一单位同一年度的报告"), or None.
    duplicates: str | None = None
    #: Which recorded audit the prior-year figures came from, when not from an input of the batch.
    prior_record: str | None = None
    #: For a report audited before: the counts against its last audit, and what was fixed since.
    resubmission: str | None = None
    fixed: tuple[FixedView, ...] = ()


def _excerpts(audit: ReportAudit, numbered: list[tuple[Finding, Link]]) -> tuple[tuple[SourceLine, ...], ...]:
    """The quoted lines with their neighbours, merged into runs of consecutive lines."""
    report = audit.report
    by_line: dict[int, list[Link]] = {}
    for finding, link in numbered:
        line = finding.location.line
        if line is not None and 1 <= line <= len(report.lines):
            by_line.setdefault(line, []).append(link)
    shown = sorted({n for line in by_line
                    for n in range(max(1, line - CONTEXT_LINES), min(len(report.lines), line + CONTEXT_LINES) + 1)})
    runs: list[list[SourceLine]] = []
    for n in shown:
        if not runs or runs[-1][-1].number != n - 1:
            runs.append([])
        runs[-1].append(SourceLine(n, report.place(n), report.lines[n - 1].rstrip(), f"L{n}", tuple(by_line.get(n, ()))))
    return tuple(tuple(run) for run in runs)


def _counts(audit: ReportAudit, settings: Settings) -> tuple[CountView, ...]:
    return tuple(CountView(s, settings.severity(s), audit.count(s)) for s in SEVERITIES)


def _finding_view(finding: Finding, link: Link, audit: ReportAudit, anchors: Anchors,
                  rules: dict[str, RuleInfo], settings: Settings) -> FindingView:
    report, where = audit.report, finding.location
    quoted = where.line is not None and 1 <= where.line <= len(report.lines)
    return FindingView(
        number=link.number, anchor=link.anchor, rule=finding.rule,
        rule_title=rules[finding.rule].title if finding.rule in rules else "",
        severity=finding.severity, severity_label=settings.severity(finding.severity),
        message=finding.message, place=place(where, report),
        line_anchor=f"L{where.line}" if quoted else None,
        quote=where.quote or report.line_text(where.line),
        expected=finding.expected, actual=finding.actual, basis=finding.basis, remedy=finding.remedy,
        cell_anchor=anchors.target.get(link.number), review=review_label(finding), dismissed=finding.dismissed,
        status=status_label(finding) if audit.compared_with is not None else None,  # a first audit: all new
        fingerprint=finding.fingerprint)


def _format_name(name: str | None) -> str:
    """``2019年格式（国办公开办函〔2019〕60号）``: the format the tables were read in, with its notice."""
    fmt = load_formats().get(name) if name else None
    if fmt is None:
        return name or UNKNOWN
    return f"{fmt.name}年格式（{fmt.notice}）"


def prior_record(audit: ReportAudit) -> str | None:
    """``上年数据取自 2026-12-01 的审核记录（记录编号 7）`` (the date where the office is), or None."""
    record = audit.prior_record
    if record is None:
        return None
    return f"上年数据取自 {record.at.astimezone():%Y-%m-%d} 的审核记录（记录编号 {record.run}）"


def build_report_page(audit: ReportAudit, notice: NoticeLink | None, rules: dict[str, RuleInfo],
                      settings: Settings) -> ReportPage:
    """The page of one report. ``notice`` is the link to the notice that covers it (its own, or another
    file's of the same report), None when none does."""
    report = audit.report
    counter = itertools.count(1)
    groups = [(code, [(f, Link(f"f{n}", n, f.severity))
                      for f, n in zip(ordered([f for f in audit.findings if f.category == code]), counter)])
              for code in settings.category_order({f.category for f in audit.findings})]
    numbered = [pair for _, pairs in groups for pair in pairs]
    anchors = Anchors(numbered, report)
    categories = tuple(
        CategoryView(settings.category(code),
                     tuple(_finding_view(f, link, audit, anchors, rules, settings) for f, link in pairs))
        for code, pairs in groups)
    return ReportPage(
        title=report_title(report), body=body(report), year=year(report), format=_format_name(report.format),
        source=report.source, prior=audit.prior, counts=_counts(audit, settings),
        total=len(audit.findings), rules_run=len(audit.rules_run), categories=categories,
        tables=build_tables(report, anchors), excerpts=_excerpts(audit, numbered),
        skipped=tuple(SkippedView(s.rule, rules[s.rule].title if s.rule in rules else "", s.reason)
                      for s in audit.skipped),
        warnings=tuple(map(report.placed, report.warnings)),
        notice=notice, duplicates=duplicate_note(audit), prior_record=prior_record(audit),
        resubmission=resubmission_line(audit), fixed=fixed_views(audit))

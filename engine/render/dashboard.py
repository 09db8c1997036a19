"""View models of the batch pages: the dashboard (``index.html``) and the rule catalogue.

Every count the dashboard shows is computed here, including the totals at the foot, so the template
only prints numbers and the test can compare them with the findings JSON. The rows of a batch are kept
on disk as they are made (:class:`DashboardRows`), so that its dashboard is written in the memory of a row.
"""
from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass

from ..model import SEVERITIES, AuditRun, ReportAudit, RuleInfo
from .follow_up import resubmission_line
from .notice import NoticeLink, duplicate_note
from .settings import Settings
from .wording import UNKNOWN, body, year

#: Status of a report with no finding and every check run.
CLEAN = "clean"
#: Status of a report with no finding but some checks not run: never shown as clean.
UNCHECKED = "unchecked"


@dataclass(frozen=True)
class Column:
    code: str
    label: str


@dataclass(frozen=True)
class DashboardRow:
    href: str
    body: str
    year: str
    format: str
    source: str
    status: str  # the worst severity found, else UNCHECKED or CLEAN
    status_label: str
    rank: int  # for sorting by status: the worst first
    levels: str  # the severities found, space-separated ("clean" when none), for the filter
    by_severity: tuple[int, ...]
    by_category: tuple[int, ...]
    skipped: int
    notice: NoticeLink | None
    #: Which other inputs of the batch are this report too ("与 b.pdf 是同一单位同一年度的报告"), or None.
    duplicates: str | None
    #: For a report audited before: 已整改 3 项，仍未整改 1 项，新发现 1 项 (engine.render.follow_up), or None.
    resubmission: str | None = None


@dataclass(frozen=True)
class UnreadableView:
    source: str
    reason: str


@dataclass(frozen=True)
class Dashboard:
    severities: tuple[Column, ...]
    categories: tuple[Column, ...]
    rows: DashboardRows
    total_by_severity: tuple[int, ...]
    total_by_category: tuple[int, ...]
    total_skipped: int
    reports: int
    notices: int
    unreadable: tuple[UnreadableView, ...]
    #: Files left out on purpose (hidden, lock files, a second path to one file), with the reason.
    excluded: tuple[UnreadableView, ...]
    #: The settings still holding "××" (every notice is then a draft), by key.
    unfilled: tuple[str, ...]


@dataclass(frozen=True)
class RuleView:
    id: str
    title: str
    severity: str
    severity_label: str
    description: str
    basis: str
    remedy: str
    source: str


@dataclass(frozen=True)
class RuleGroup:
    label: str
    rules: tuple[RuleView, ...]


def _status(audit: ReportAudit, by_severity: tuple[int, ...], settings: Settings) -> tuple[str, str, int, str]:
    """A report's status, its label, its rank when sorting (worst first) and its filter levels."""
    found = [s for s, n in zip(SEVERITIES, by_severity, strict=True) if n]
    if found:
        return found[0], f"有{settings.severity(found[0])}", SEVERITIES.index(found[0]), " ".join(found)
    if audit.skipped:
        return UNCHECKED, f"未发现问题，{len(audit.skipped)}项未检查", len(SEVERITIES), UNCHECKED
    return CLEAN, "未发现问题", len(SEVERITIES) + 1, CLEAN


def dashboard_row(audit: ReportAudit, href: str, notice: NoticeLink | None, codes: tuple[str, ...],
                  settings: Settings) -> DashboardRow:
    """One report's row; ``codes`` are the categories the dashboard has columns for (:func:`category_codes`)."""
    report = audit.report
    by_severity = tuple(audit.count(s) for s in SEVERITIES)
    status, label, rank, levels = _status(audit, by_severity, settings)
    return DashboardRow(
        href=href, body=body(report), year=year(report), format=report.format or UNKNOWN,
        source=report.source, status=status, status_label=label, rank=rank, levels=levels,
        by_severity=by_severity,
        by_category=tuple(sum(1 for f in audit.findings if f.category == c and not f.dismissed) for c in codes),
        skipped=len(audit.skipped), notice=notice, duplicates=duplicate_note(audit),
        resubmission=resubmission_line(audit))


def category_codes(categories: set[str], settings: Settings) -> tuple[str, ...]:
    """The dashboard's category columns: the categories of the run's findings, in the settings' order."""
    return tuple(settings.category_order(categories))


class DashboardRows:
    """The rows of a dashboard in run order, added as each chunk of the batch is written, kept in a
    temporary file and counted as they come: the rows of 20,000 generated reports held in memory, with
    their strings, took about 4 KB a report (282 MB against 195 MB at the dashboard). Read back once,
    in order, as the page is written (engine.render.html.write_page); a context manager that removes
    the file."""

    def __init__(self, codes: tuple[str, ...]) -> None:
        self._file = tempfile.TemporaryFile(prefix="ogi-audit-dashboard-")
        self.count = self.skipped = self.notices = 0
        self.by_severity, self.by_category = [0] * len(SEVERITIES), [0] * len(codes)

    def add(self, row: DashboardRow) -> None:
        pickle.dump(row, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1
        self.skipped += row.skipped
        self.notices += bool(row.notice and not row.notice.other)
        for totals, counts in ((self.by_severity, row.by_severity), (self.by_category, row.by_category)):
            for i, n in enumerate(counts):
                totals[i] += n

    def __iter__(self) -> Iterator[DashboardRow]:
        self._file.seek(0)
        for _ in range(self.count):
            yield pickle.load(self._file)

    def __enter__(self) -> DashboardRows:
        return self

    def __exit__(self, *exc: object) -> None:
        self._file.close()


def build_dashboard(run: AuditRun, rows: DashboardRows, codes: tuple[str, ...], settings: Settings) -> Dashboard:
    """The dashboard of ``run`` from its rows (:func:`dashboard_row`, in run order), with the totals."""
    return Dashboard(
        severities=tuple(Column(s, settings.severity(s)) for s in SEVERITIES),
        categories=tuple(Column(c, settings.category(c)) for c in codes),
        rows=rows,
        total_by_severity=tuple(rows.by_severity), total_by_category=tuple(rows.by_category),
        total_skipped=rows.skipped, reports=rows.count, notices=rows.notices,
        unreadable=tuple(UnreadableView(u.source, u.reason) for u in run.unreadable if not u.excluded),
        excluded=tuple(UnreadableView(u.source, u.reason) for u in run.unreadable if u.excluded),
        unfilled=settings.unfilled)


def build_catalogue(rules: list[RuleInfo], settings: Settings) -> tuple[RuleGroup, ...]:
    """The rules by category, in the settings' order, each sorted by id."""
    return tuple(
        RuleGroup(settings.category(code), tuple(
            RuleView(r.id, r.title, r.severity, settings.severity(r.severity), r.description, r.basis,
                     r.remedy, r.source)
            for r in sorted(rules, key=lambda r: r.id) if r.category == code))
        for code in settings.category_order({r.category for r in rules}))

"""The view model of a rectification notice (整改通知书), shared by the HTML and the Word version.

A notice lists the findings the agency must act on (errors and warnings; notes of severity info are
for the office only) with the basis and the remedy of each, and carries the office's numbering, date,
deadline and signature from the settings. Both renderings are made from this one view.

A notice that cannot go out as it is says so at its top, as a draft: while the settings hold the
defaults' "××" (the office has not written its name, signature and contact), or where the report's body
or year was not read (the addressee or the year would be a guess). One report given twice in a batch
(``duplicate_of``: the same body and year) gets one notice, which names the other files.
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..model import AuditRun, Finding, ReportAudit, RuleInfo
from ..resubmission import OPEN, REAPPEARED
from .follow_up import notice_follow_up, noticed
from .settings import Settings, chinese_date, fill
from .wording import body, ordered, place

HEADER = ("序号", "问题", "位置", "依据", "整改要求")
#: The first line of every notice while the settings hold "××" (issue 8, point 4).
UNFILLED_DRAFT = "草稿：发文机关等信息未填写"


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
    #: Why the notice may not be sent as it is, one line each, shown at its top; empty when it may.
    drafts: tuple[str, ...] = ()
    #: The other files of this report in the batch, said to the agency, or None.
    also_received: str | None = None
    #: For a resubmission: what was fixed since the last audit and what the table still lists, or None.
    follow_up: str | None = None


@dataclass(frozen=True)
class NoticeLink:
    """The notice a report's page and dashboard row link to: its own, or that of another file of the
    same report (``other``, its source)."""

    href: str
    draft: bool
    other: str | None = None


def needs_notice(audit: ReportAudit) -> bool:
    return bool(noticed(audit.findings))


@dataclass(frozen=True, slots=True)
class NoticeOutline:
    """What deciding a batch's notices needs of one report, taken in one pass over the batch (whose
    audits may be on disk: engine.batch.spool) and held for the whole of it. ``same`` are the sources
    of every file of the batch that is this report (itself among them, sorted; none when it is given
    once), one tuple shared by all of them (:meth:`of`'s ``groups``), its sources interned: each audit
    loaded from disk brings its own copy of the sources of the other files of its report, and a batch
    that holds one report many times (20,000 generated reports: about 30 times each) kept those copies
    for each, a share that grows with the square of the batch."""

    source: str
    same: tuple[str, ...]
    needed: bool  #: needs_notice
    draft: bool  #: its notice would be a draft (drafts)

    @classmethod
    def of(cls, audit: ReportAudit, settings: Settings, groups: dict[tuple[str, ...], tuple[str, ...]]) -> NoticeOutline:
        """The outline of ``audit``; ``groups`` holds the ``same`` tuples of the outlines made so far."""
        source = sys.intern(audit.report.source)
        same: tuple[str, ...] = ()
        if audit.duplicate_of:
            key = tuple(sorted({source, *map(sys.intern, audit.duplicate_of)}))
            same = groups.setdefault(key, key)
        return cls(source, same, needs_notice(audit), bool(drafts(audit, settings)))


def notice_holders(outlines: Sequence[NoticeOutline]) -> list[int | None]:
    """For each report (by position), the report whose notice covers it, None when none does. Of one
    report given several times, the first in input order that needs a notice gets it, so that a rerun
    gives the same notice to the same file and the agency gets one notice, not one per copy."""
    position = {outline.source: i for i, outline in enumerate(outlines)}
    return [next((j for j in sorted({i, *(position[s] for s in outline.same)}) if outlines[j].needed), None)
            for i, outline in enumerate(outlines)]


def drafts(audit: ReportAudit, settings: Settings) -> tuple[str, ...]:
    """Why the notice of ``audit`` is a draft (see the module docstring)."""
    reasons = []
    if settings.unfilled:
        reasons.append(f"{UNFILLED_DRAFT}（设置项 {'、'.join(settings.unfilled)} 仍是“××”），填写后重新生成方可发出")
    if not audit.report.body:
        reasons.append("草稿：未识别出报告的发布机关，请核实收文单位并填写后方可发出")
    if not audit.report.year:
        reasons.append("草稿：未识别出报告年度，请核实并填写后方可发出")
    return tuple(reasons)


def duplicate_note(audit: ReportAudit) -> str | None:
    """For the office's pages: which other files of the batch are this report too, or None."""
    if not audit.duplicate_of:
        return None
    others = "、".join(audit.duplicate_of)
    return f"与 {others} 是同一单位同一年度的报告" if audit.duplicate_by == "body" else f"与 {others} 内容相同"


def _also_received(audit: ReportAudit) -> str | None:
    if not audit.duplicate_of:
        return None
    names = "、".join(Path(source).name for source in audit.duplicate_of)
    what = "你单位同一年度的年度报告" if audit.duplicate_by == "body" else "与本报告内容相同的文件"
    return (f"本批另收到{what} {len(audit.duplicate_of)} 份（{names}），未另发通知书；本通知书依据 "
            f"{Path(audit.report.source).name} 审核。请核实哪一份是正式公开的版本，并按本通知书整改。")


#: What gives a run's notices their sequence numbers: (the run, the positions of the audits that get a
#: notice, in input order, the settings) → one number each. :func:`batch_numbering` without a history
#: store; engine.history.numbers.store_numbering continues the numbers of the store.
Numbering = Callable[[AuditRun, list[int], Settings], list[int]]


def batch_numbering(run: AuditRun, positions: list[int], settings: Settings) -> list[int]:
    """This batch's notices numbered from the settings' ``first_seq``."""
    first = settings.notice.first_seq
    return list(range(first, first + len(positions)))


def number_series(settings: Settings) -> str:
    """The notice number with its sequence left to fill (``×政公开整改〔2026〕{seq}号``): the series in
    which numbers continue."""
    notice = settings.notice
    return fill(notice.number, {"short": notice.short, "year": notice.date.year, "seq": "{seq}"})


def build_notice(audit: ReportAudit, seq: int, rules: dict[str, RuleInfo], settings: Settings) -> NoticeView:
    """The notice for one report; ``seq`` is its number in its series (see :data:`Numbering`)."""
    notice = settings.notice
    report = audit.report
    findings = ordered(noticed(audit.findings))
    addressee = body(report)
    values = {"body": addressee, "year": report.year or "", "deadline": chinese_date(notice.deadline),
              "errors": audit.count("error"), "warnings": audit.count("warning"),
              "short": notice.short, "seq": seq}
    rows = []
    for n, f in enumerate(findings, start=1):
        rule = rules.get(f.rule)
        rows.append(NoticeRow(
            number=n, problem=f"【{settings.severity(f.severity)}】{f.message}{_still(f)}",
            place=place(f.location, report),
            basis=f.basis or (rule.basis if rule else ""),
            remedy=f.remedy or (rule.remedy if rule else "")))
    return NoticeView(
        title=notice.title, number=fill(notice.number, {**values, "year": notice.date.year}),
        addressee=f"{addressee}：", opening=fill(notice.opening, values), header=HEADER, rows=tuple(rows),
        closing=fill(notice.closing, values), contact=notice.contact, signature=notice.signature,
        date=chinese_date(notice.date), drafts=drafts(audit, settings), also_received=_also_received(audit),
        follow_up=notice_follow_up(audit, findings))


def _still(finding: Finding) -> str:
    """Said of a problem a resubmission still has: the agency was told before."""
    return "（上次审核已指出，仍未整改）" if finding.status in (OPEN, REAPPEARED) else ""

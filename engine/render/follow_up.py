"""What the pages and notices say of a resubmission and of the auditors' decisions (engine.resubmission):
one line of counts (已整改 3 项，仍未整改 1 项，新发现 1 项), each finding's status and decision in
words, and the findings fixed since the last audit, placed without the old report's line numbers
(which need not be the new report's).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from ..model import Finding, ReportAudit
from ..resubmission import NEW, OPEN, REAPPEARED
from .wording import NOTICE_SEVERITIES, place

STATUS_LABELS = {NEW: "新发现", OPEN: "仍未整改", REAPPEARED: "整改后又出现"}
DECISION_LABELS = {"dismissed": "已排除", "confirmed": "已确认"}
RULE_CHANGED = "规则已修改，此决定沿用"


@dataclass(frozen=True)
class FixedView:
    rule: str
    message: str
    place: str


def resubmission_line(audit: ReportAudit) -> str | None:
    """``与记录编号 7 的审核相比：已整改 3 项，仍未整改 1 项，新发现 1 项`` (dismissed findings not
    counted), with what was not checked again; None when the report was not audited before."""
    if audit.compared_with is None:
        return None
    standing = [f for f in audit.findings if not f.dismissed]
    counts = {status: sum(1 for f in standing if f.status == status) for status in STATUS_LABELS}
    parts = [f"已整改 {len(audit.fixed)} 项", f"仍未整改 {counts[OPEN]} 项", f"新发现 {counts[NEW]} 项"]
    if counts[REAPPEARED]:
        parts.append(f"整改后又出现 {counts[REAPPEARED]} 项")
    line = f"与上次审核（审核记录编号 {audit.compared_with}）相比：{'，'.join(parts)}"
    if audit.unchecked:
        line += f"；另有上次的 {len(audit.unchecked)} 项问题本次未能检查，不能视为已整改"
    return line


def status_label(finding: Finding) -> str | None:
    return STATUS_LABELS.get(finding.status or "")


def noticed(findings: list[Finding]) -> list[Finding]:
    """The findings a notice lists: errors and warnings that no auditor dismissed."""
    return [f for f in findings if f.severity in NOTICE_SEVERITIES and not f.dismissed]


def review_label(finding: Finding) -> str | None:
    """``已排除：理由（张三，2026-12-01）；规则已修改，此决定沿用``, or None with no decision."""
    review = finding.review
    if review is None:
        return None
    who = "，".join(part for part in (review.by, f"{review.at.astimezone():%Y-%m-%d}") if part)
    text = f"{DECISION_LABELS.get(review.decision, review.decision)}：{review.reason or '未写理由'}（{who}）"
    return f"{text}；{RULE_CHANGED}" if review.rule_changed else text


def notice_follow_up(audit: ReportAudit, listed: list[Finding]) -> str | None:
    """What a notice for a resubmission says above its table: what of the last notice's problems was
    fixed, and that the table lists what is still open and what is new; None for a first audit."""
    if audit.compared_with is None:
        return None
    fixed = [f for f in audit.fixed if f.severity in NOTICE_SEVERITIES]
    still = sum(1 for f in listed if f.status in (OPEN, REAPPEARED))
    what = "；".join(f"{f.message}" for f in fixed)
    done = f"上次审核指出的问题已整改 {len(fixed)} 项（{what}）" if fixed else "上次审核指出的问题尚无已整改的"
    rest = f"仍未整改 {still} 项，新发现 {len(listed) - still} 项，均列于下表，请继续整改。" if listed else "未发现需要整改的问题。"
    return f"经对你单位重新报送的报告复核，{done}；{rest}"


def fixed_views(audit: ReportAudit) -> tuple[FixedView, ...]:
    return tuple(FixedView(f.rule, f.message, place(replace(f.location, line=None), audit.report))
                 for f in audit.fixed)

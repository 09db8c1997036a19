"""``findings.sarif``: the run in SARIF 2.1.0 (OASIS), for IT tools that collect results of checkers.

One run whose driver is ogi-audit with its version and the rules (title, description, the remedy and
basis as help, the severity as the default level: error → error, warning → warning, info → note).
Each finding is a result at its input file (``artifactLocation.uri``, relative as given, or a
``file:`` URI for an absolute path) with the finding's fingerprint in ``partialFingerprints``, and its
body, year, section, table, row, column, status and review in ``properties``.

Places. ``region.startLine`` is given only for text inputs, whose lines are the file's own lines. In a
PDF, Word file or web page the parser's line is a line of the text it drew from the file, not of the
file, so a viewer would mark the wrong place: there the location's ``message`` says the place as the
pages do (table, row and column in the format's words, then the reader's place: 第3页第12行,
表格2第4行), and ``properties`` hold the reader's place (``place``) and the parser's line (``line``),
for text inputs too.

What SARIF has words for is said in them: a finding the history store knows carries ``baselineState``
(``new``: new or reappeared since the last audit of that report; ``unchanged``: still open), and a
finding an auditor dismissed a ``suppression`` with the reason, so that a tool hides it as reviewed.
A rule that could not be checked on a report (the audit's "未检查") is a result of ``kind: open``, which
SARIF defines as "could not tell whether the condition holds", so no tool takes it for a pass. An input
that was not audited is no result of a rule but a condition of the run, so it is a
``toolExecutionNotification`` of the one invocation (``error`` where it could not be read, ``note`` where
it was left out on purpose), and ``executionSuccessful`` is false while any input could not be read.
Every input is also listed in ``artifacts`` with its body, year and the files it duplicates.
"""
from __future__ import annotations

import json
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

from .. import __version__
from ..model import AuditRun, Finding, Report, ReportAudit, RuleInfo, Skipped
from ..parse.readers.text import TextReader
from .settings import Settings
from .sheet_rows import not_audited
from .wording import place

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
#: Finding.status → SARIF's baselineState (a finding back after it was gone is new against the last audit).
BASELINE = {"new": "new", "reappeared": "new", "open": "unchanged"}
#: The notification (toolComponent.notifications) for an input not audited, by Unreadable.excluded:
#: its id, level and description.
NOT_AUDITED = {False: ("input-unreadable", "error", "无法读取的文件：没有审核，不能视为合格"),
               True: ("input-excluded", "note", "按规定未审核的文件（隐藏文件、锁文件、重复路径、输出文件夹）")}


def _uri(source: str) -> str:
    path = PurePath(source)
    return Path(path).as_uri() if path.is_absolute() else quote(path.as_posix())


def _text(text: str) -> dict[str, str]:
    return {"text": text}


def _rule(rule: RuleInfo, settings: Settings) -> dict[str, Any]:
    help_text = "\n".join(f"{label}：{value}" for label, value in (("整改要求", rule.remedy), ("依据", rule.basis))
                          if value)
    descriptor: dict[str, Any] = {
        "id": rule.id, "name": rule.title, "shortDescription": _text(rule.title),
        "fullDescription": _text(rule.description or rule.title),
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"category": rule.category, "categoryLabel": settings.category(rule.category),
                       "severityLabel": settings.severity(rule.severity), "source": rule.source,
                       "tags": [rule.category]}}
    if help_text:
        descriptor["help"] = _text(help_text)
    return descriptor


def _artifact(index: int, source: str) -> dict[str, Any]:
    return {"uri": _uri(source), "index": index}


def _location(report: Report, index: int, finding: Finding | None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": _artifact(index, report.source)}
    if finding is None:
        return {"physicalLocation": physical}
    line = finding.location.line
    if line and report.kind == TextReader.kind:
        physical["region"] = {"startLine": line}
    return {"physicalLocation": physical, "message": _text(place(finding.location, report))}


def _result(audit: ReportAudit, index: int, finding: Finding, rules: dict[str, int]) -> dict[str, Any]:
    report, where = audit.report, finding.location
    result: dict[str, Any] = {
        "ruleId": finding.rule, "level": LEVELS[finding.severity], "message": _text(finding.message),
        "locations": [_location(report, index, finding)],
        "partialFingerprints": {"ogiAuditFinding/v1": finding.fingerprint},
        "properties": {"body": report.body, "year": report.year, "category": finding.category,
                       "section": where.section, "table": where.table, "row": where.row, "column": where.column,
                       "line": where.line, "place": report.place(where.line) or None, "quote": where.quote,
                       "expected": finding.expected, "actual": finding.actual, "status": finding.status,
                       "review": finding.review.to_dict() if finding.review else None,
                       "duplicateOf": list(audit.duplicate_of)}}
    if finding.rule in rules:
        result["ruleIndex"] = rules[finding.rule]
    if finding.status in BASELINE:
        result["baselineState"] = BASELINE[finding.status]
    if finding.review and finding.review.decision == "dismissed":
        result["suppressions"] = [{"kind": "external", "status": "accepted", "justification": finding.review.reason,
                                   "properties": finding.review.to_dict()}]
    return result


def _not_checked(audit: ReportAudit, index: int, skipped: Skipped, rules: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": skipped.rule, "kind": "open", "level": "none", "message": _text(f"未检查：{skipped.reason}"),
        "locations": [_location(audit.report, index, None)],
        "properties": {"body": audit.report.body, "year": audit.report.year}}
    if skipped.rule in rules:
        result["ruleIndex"] = rules[skipped.rule]
    return result


def sarif_log(run: AuditRun, settings: Settings) -> dict[str, Any]:
    rules = {rule.id: i for i, rule in enumerate(run.rules)}
    results: list[dict[str, Any]] = []
    for index, audit in enumerate(run.audits):
        results += [_result(audit, index, f, rules) for f in sorted(audit.findings, key=lambda f: f.sort_key())]
        results += [_not_checked(audit, index, s, rules) for s in audit.skipped]
    artifacts = [{"location": {"uri": _uri(a.report.source)}, "roles": ["analysisTarget"],
                  "properties": {"body": a.report.body, "year": a.report.year, "format": a.report.format,
                                 "kind": a.report.kind, "duplicateOf": list(a.duplicate_of)}} for a in run.audits]
    notifications = []
    for item in run.unreadable:
        descriptor, level, _ = NOT_AUDITED[item.excluded]
        artifacts.append({"location": {"uri": _uri(item.source)}, "properties": {"notAudited": item.reason}})
        notifications.append({
            "descriptor": {"id": descriptor}, "level": level, "message": _text(f"{not_audited(item)}：{item.reason}"),
            "locations": [{"physicalLocation": {"artifactLocation": _artifact(len(artifacts) - 1, item.source)}}]})
    driver = {"name": "ogi-audit", "version": __version__, "semanticVersion": __version__,
              "rules": [_rule(rule, settings) for rule in run.rules],
              "notifications": [{"id": name, "shortDescription": _text(text), "defaultConfiguration": {"level": level}}
                                for name, level, text in NOT_AUDITED.values()]}
    invocation = {"executionSuccessful": not any(not item.excluded for item in run.unreadable),
                  "toolExecutionNotifications": notifications}
    return {"$schema": SCHEMA, "version": "2.1.0",
            "runs": [{"tool": {"driver": driver}, "language": "zh-CN", "invocations": [invocation],
                      "artifacts": artifacts, "results": results}]}


def write_findings_sarif(run: AuditRun, path: Path, settings: Settings) -> None:
    path.write_text(json.dumps(sarif_log(run, settings), ensure_ascii=False, indent=1), encoding="utf-8")

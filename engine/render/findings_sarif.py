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
import shutil
import tempfile
from functools import lru_cache
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


@lru_cache(maxsize=256)
def _uri(source: str) -> str:
    """The artifact URI of ``source``: asked for each of a report's results, so remembered."""
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


def _artifact_of(audit: ReportAudit) -> dict[str, Any]:
    report = audit.report
    return {"location": {"uri": _uri(report.source)}, "roles": ["analysisTarget"],
            "properties": {"body": report.body, "year": report.year, "format": report.format,
                           "kind": report.kind, "duplicateOf": list(audit.duplicate_of)}}


def _nested(item: Any, depth: int) -> str:
    """``item`` as JSON indented by one space a level, for its place ``depth`` levels down: the
    run's head (the driver and its rules, the invocation), written once."""
    return json.dumps(item, ensure_ascii=False, indent=1).replace("\n", "\n" + " " * depth)


def _line(item: Any) -> str:
    """An artifact or a result as JSON on one line: there is one of each per input and per finding,
    and the standard library indents only in Python, not in its C encoder (measured on 200 generated
    reports, benchmarks/export_speed.py: the log took 0.51 ms of CPU a report indented)."""
    return json.dumps(item, ensure_ascii=False)


class FindingsSarif:
    """The log written as the audits come (engine.render.outputs.ExportWriter): the artifacts into the
    file, the results beside it until the file is closed, since SARIF lists every artifact of the run
    before the results that point at them (by their index, their position in the run)."""

    def __init__(self, path: Path, run: AuditRun, settings: Settings) -> None:
        self.run, self.count = run, 0
        self.rules = {rule.id: i for i, rule in enumerate(run.rules)}
        self.stream = path.open("w", encoding="utf-8")
        self.results = tempfile.TemporaryFile("w+", encoding="utf-8")
        driver = {"name": "ogi-audit", "version": __version__, "semanticVersion": __version__,
                  "rules": [_rule(rule, settings) for rule in run.rules],
                  "notifications": [{"id": name, "shortDescription": _text(text), "defaultConfiguration": {"level": level}}
                                    for name, level, text in NOT_AUDITED.values()]}
        notifications = []
        audited = len(run.audits)
        for i, item in enumerate(run.unreadable):
            descriptor, level, _ = NOT_AUDITED[item.excluded]
            notifications.append({
                "descriptor": {"id": descriptor}, "level": level, "message": _text(f"{not_audited(item)}：{item.reason}"),
                "locations": [{"physicalLocation": {"artifactLocation": _artifact(audited + i, item.source)}}]})
        invocation = {"executionSuccessful": not any(not item.excluded for item in run.unreadable),
                      "toolExecutionNotifications": notifications}
        head = {"tool": {"driver": driver}, "language": "zh-CN", "invocations": [invocation]}
        self.stream.write(f'{{\n "$schema": {json.dumps(SCHEMA)},\n "version": "2.1.0",\n "runs": [\n  {{\n')
        self.stream.write("".join(f"   {json.dumps(key)}: {_nested(value, 3)},\n" for key, value in head.items()))
        self.stream.write('   "artifacts": [')
        self.artifacts = self.found = 0

    def _artifact(self, artifact: dict[str, Any]) -> None:
        self.stream.write(f"{',' if self.artifacts else ''}\n    {_line(artifact)}")
        self.artifacts += 1

    def add(self, audit: ReportAudit) -> None:
        index = self.count
        self.count += 1
        self._artifact(_artifact_of(audit))
        results = [_result(audit, index, f, self.rules) for f in sorted(audit.findings, key=lambda f: f.sort_key())]
        results += [_not_checked(audit, index, s, self.rules) for s in audit.skipped]
        for result in results:
            self.results.write(f"{',' if self.found else ''}\n    {_line(result)}")
            self.found += 1

    def close(self) -> None:
        try:
            for item in self.run.unreadable:
                self._artifact({"location": {"uri": _uri(item.source)}, "properties": {"notAudited": item.reason}})
            self.stream.write(f"{chr(10) + '   ' if self.artifacts else ''}],\n   \"results\": [")
            self.results.seek(0)
            shutil.copyfileobj(self.results, self.stream)
            self.stream.write(f"{chr(10) + '   ' if self.found else ''}]\n  }}\n ]\n}}")
        finally:
            self.results.close()
            self.stream.close()

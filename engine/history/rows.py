"""An audit run as the store's rows, and a stored finding back as a :class:`engine.model.Finding`.

The rows are made before the write transaction begins, so that the store is locked only while they are
written. An input's sha256 and size are taken from the file as it is when the run is recorded (the same
bytes the audit read, unless the file was replaced in between); an input that is not a file (a folder
with nothing in it, a path that does not exist) has neither.
"""
from __future__ import annotations

import getpass
import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..model import AuditRun, Finding, Location, ReportAudit, Unreadable
from ..pairing import body_names
from ..wording import load_wording
from .versions import Versions, rule_digest

Row = dict[str, Any]

#: Location field → column of ``findings`` (``table``, ``row`` and ``column`` are words SQL reserves).
LOCATION_COLUMNS = {"section": "section", "table": "table_key", "row": "row_label", "column": "column_label",
                    "line": "line", "quote": "quote"}
#: Finding fields stored as they are.
FINDING_FIELDS = ("rule", "category", "severity", "message", "expected", "actual", "basis", "remedy", "subject")


@dataclass
class RunRows:
    """The rows of one run, by table, parents before children; ``run`` is filled in when written."""

    run: Row
    children: dict[str, list[Row]] = field(default_factory=dict)


def run_rows(run: AuditRun, versions: Versions, figures: list[str], prior_digests: list[str | None]) -> RunRows:
    """The rows of ``run``, given each audit's figures_json and the digest of its prior
    (:mod:`engine.history.reuse`), which the store works out before."""
    rows = RunRows({"at": datetime.now(UTC), "by": system_user(), "tool_version": versions.tool,
                    "rules_version": versions.rules, "formats_version": versions.formats},
                   {name: [] for name in ("run_rules", "inputs", "reports", "report_names", "findings", "skipped")})
    children = rows.children
    children["run_rules"] = [{"rule": rule.id, "title": rule.title, "severity": rule.severity,
                              "digest": rule_digest(rule)} for rule in run.rules]
    bodies = load_wording().bodies
    for number, audit in enumerate(run.audits):
        children["inputs"].append(_input(number, audit.report.source))
        children["reports"].append(_report(number, audit, figures[number], prior_digests[number]))
        names = dict.fromkeys(body_names(audit.report.body, bodies))
        children["report_names"] += [{"number": number, "name": name} for name in names]
        children["findings"] += [finding_row(number, position, finding)
                                 for position, finding in enumerate(audit.findings)]
        children["skipped"] += [{"number": number, "position": position, "rule": item.rule, "reason": item.reason}
                                for position, item in enumerate(audit.skipped)]
    first = len(run.audits)
    children["inputs"] += [_unreadable(first + i, item) for i, item in enumerate(run.unreadable)]
    return rows


def system_user() -> str | None:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        return None


def _input(number: int, source: str) -> Row:
    size = sha256 = None
    path = Path(source)
    try:
        if path.is_file():
            data = path.read_bytes()
            size, sha256 = len(data), hashlib.sha256(data).hexdigest()
    except OSError:
        pass  # gone or unreadable since it was audited: recorded without them
    return {"number": number, "source": source, "name": path.name, "size": size, "sha256": sha256,
            "unreadable": None, "excluded": False}


def _unreadable(number: int, item: Unreadable) -> Row:
    return {**_input(number, item.source), "unreadable": item.reason, "excluded": item.excluded}


def _report(number: int, audit: ReportAudit, figures: str, prior_digest: str | None) -> Row:
    report = audit.report
    return {"number": number, "body": report.body, "year": report.year, "format": report.format,
            "kind": report.kind, "prior": audit.prior, "prior_digest": prior_digest,
            "duplicate_of": json.dumps(list(audit.duplicate_of), ensure_ascii=False),
            "rules_run": json.dumps(audit.rules_run), "figures": figures}


def finding_row(number: int, position: int, finding: Finding) -> Row:
    where = finding.location
    return {"number": number, "position": position, "fingerprint": finding.fingerprint,
            **{name: getattr(finding, name) for name in FINDING_FIELDS},
            **{column: getattr(where, name) for name, column in LOCATION_COLUMNS.items()}}


def finding_from_row(row: Any, body: str | None, year: int | None) -> Finding:
    """The finding a row of ``findings`` was made from (its report's body and year given), whose
    fingerprint is the stored one while the fingerprint's recipe is unchanged."""
    where = Location(**{name: getattr(row, column) for name, column in LOCATION_COLUMNS.items()})
    return Finding(location=where, body=body, year=year, **{name: getattr(row, name) for name in FINDING_FIELDS})

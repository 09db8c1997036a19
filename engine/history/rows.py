"""An audit run as the store's rows, and a stored finding back as a :class:`engine.model.Finding`.

The rows of a run's audits are made a chunk at a time as they are written, inside the run's one write
transaction, so that recording a batch of any size takes the memory of a chunk. An input's sha256 and
size are those the batch took of its bytes before reading it (engine.batch.pipeline.Batch.hash), given
as ``inputs``; an input they were not taken of is hashed from the file as it is when the run is
recorded (the same bytes the audit read, unless the file was replaced in between). An input that is
not a file (a folder with nothing in it, a path that does not exist) has neither.
"""
from __future__ import annotations

import getpass
import hashlib
import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..model import AuditRun, Finding, Location, ReportAudit, RuleInfo, Unreadable
from ..pairing import body_names
from ..wording import load_wording
from .figures import figures_json
from .versions import Versions, rule_digest

Row = dict[str, Any]
#: The size and sha256 (hex) of the input at a source, where the batch took them; None where it did not.
Inputs = Callable[[str], tuple[int, str] | None]

#: Location field → column of ``findings`` (``table``, ``row`` and ``column`` are words SQL reserves).
LOCATION_COLUMNS = {"section": "section", "table": "table_key", "row": "row_label", "column": "column_label",
                    "line": "line", "quote": "quote"}
#: Finding fields stored as they are.
FINDING_FIELDS = ("rule", "category", "severity", "message", "expected", "actual", "basis", "remedy", "subject")


def run_row(versions: Versions) -> Row:
    """The run's own row; ``id`` is given by the store."""
    return {"at": datetime.now(UTC), "by": system_user(), "tool_version": versions.tool,
            "rules_version": versions.rules, "formats_version": versions.formats}


def rule_rows(rules: Sequence[RuleInfo]) -> list[Row]:
    return [{"rule": rule.id, "title": rule.title, "severity": rule.severity, "digest": rule_digest(rule)}
            for rule in rules]


#: The tables a run's audits are written into, parents before children.
AUDIT_TABLES = ("inputs", "reports", "report_names", "findings", "skipped")


def audit_rows(audits: Sequence[ReportAudit], first: int, prior_digests: Sequence[str | None],
               inputs: Inputs | None = None) -> dict[str, list[Row]]:
    """The rows of ``audits``, the run's audits from number ``first`` on, by table (``run`` is filled in
    when written), given the digest of each one's prior (:mod:`engine.history.reuse`); but the rows of
    :data:`COPIED_TABLES` of an audit given again from the store (:func:`copied_rows`). A run is written
    a chunk of audits at a time, so that a batch of any size is recorded in the memory of a chunk."""
    children: dict[str, list[Row]] = {name: [] for name in AUDIT_TABLES}
    bodies = load_wording().bodies
    for number, audit, digest in zip(range(first, first + len(audits)), audits, prior_digests, strict=True):
        children["inputs"].append(_input(number, audit.report.source, inputs))
        children["reports"].append(_report(number, audit, figures_json(audit.report), digest))
        names = dict.fromkeys(body_names(audit.report.body, bodies))
        children["report_names"] += [{"number": number, "name": name} for name in names]
        if audit.reused_from is not None:
            continue  # its findings and checks not run are the rows it was given from: copied (copied_rows)
        children["findings"] += [finding_row(number, position, finding)
                                 for position, finding in enumerate(audit.findings)]
        children["skipped"] += [{"number": number, "position": position, "rule": item.rule, "reason": item.reason}
                                for position, item in enumerate(audit.skipped)]
    return children


#: The tables whose rows of an audit given again from the store are copied from the audit it was given
#: from (engine.history.reuse): its findings are those rows read back, with the same fields and order.
COPIED_TABLES = ("findings", "skipped")


def copied_rows(audits: Sequence[ReportAudit], first: int) -> tuple[list[Row], dict[str, int]]:
    """For each of ``audits`` (from number ``first`` on) given again from the store, its number in this
    run and where its rows are to be copied from; and how many rows of each of :data:`COPIED_TABLES`
    that makes (its findings and checks not run as it holds them)."""
    copies, counts = [], dict.fromkeys(COPIED_TABLES, 0)
    for number, audit in enumerate(audits, first):
        if audit.reused_from is not None:
            copies.append({"number": number, "from_run": audit.reused_from[0], "from_number": audit.reused_from[1]})
            counts["findings"] += len(audit.findings)
            counts["skipped"] += len(audit.skipped)
    return copies, counts


def unreadable_rows(run: AuditRun, inputs: Inputs | None = None) -> list[Row]:
    """The inputs not audited, numbered after the audits."""
    first = len(run.audits)
    return [_unreadable(first + i, item, inputs) for i, item in enumerate(run.unreadable)]


def system_user() -> str | None:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        return None


def _input(number: int, source: str, inputs: Inputs | None) -> Row:
    path = Path(source)
    size, sha256 = (inputs and inputs(source)) or _taken(path)
    return {"number": number, "source": source, "name": path.name, "size": size, "sha256": sha256,
            "unreadable": None, "excluded": False}


def _taken(path: Path) -> tuple[int | None, str | None]:
    try:
        if path.is_file():
            data = path.read_bytes()
            return len(data), hashlib.sha256(data).hexdigest()
    except OSError:
        pass  # gone or unreadable since it was audited: recorded without them
    return None, None


def _unreadable(number: int, item: Unreadable, inputs: Inputs | None) -> Row:
    return {**_input(number, item.source, inputs), "unreadable": item.reason, "excluded": item.excluded}


def _report(number: int, audit: ReportAudit, figures: str, prior_digest: str | None) -> Row:
    report = audit.report
    return {"number": number, "body": report.body, "year": report.year, "format": report.format,
            "kind": report.kind, "prior": audit.prior, "prior_digest": prior_digest,
            "duplicate_of": json.dumps(list(audit.duplicate_of), ensure_ascii=False),
            "rules_run": json.dumps(audit.rules_run), "figures": figures, "places": places_json(audit)}


def places_json(audit: ReportAudit) -> str:
    """Where each line a finding of ``audit`` names is in the submitted file, as its reader said
    (``{"57": "第3页表格2第4行"}``): what the exports say of a finding given again from the store."""
    lines = sorted({f.location.line for f in audit.findings if f.location.line})
    return json.dumps({str(line): audit.report.place(line) for line in lines}, ensure_ascii=False)


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

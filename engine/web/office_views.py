"""View models of the office's pages, built from a batch's results and the history store; the
templates (``office*.html``) only loop and print.

A batch's reports are read from its ``out/findings.json`` (what the CLI writes), in run order: report
``n`` of a batch is the ``n``-th audited entry there. Its page and notice are the files write_outputs
made for it, named as write_outputs names them (engine.render.names.unique_names over the sources in
run order: the files saved, which ``findings.json`` shows by the names they were sent under, found
again by BatchFolder.source_of) and served only when the folder's manifest lists them
(engine.render.manifest), so that no name from a request ever reaches the file system. Each finding
is shown with the decision that stands on its fingerprint now (engine.history.reviews.standing), not
the one of the run's time: a dismissal made a minute ago shows at once, and counts drop by it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import abort

from ..commands.audit import SEVERITY_NAMES
from ..history import web_batches
from ..history.reviews import DISMISSED, Decision, standing
from ..history.sent import Sent
from ..history.store import HistoryStore
from ..history.web_batches import DONE, BatchRow
from ..model import SEVERITIES
from ..render.follow_up import DECISION_LABELS, STATUS_LABELS
from ..render.manifest import MANIFEST
from ..render.names import unique_names
from ..render.pages import NOTICES_FOLDER, REPORTS_FOLDER
from .batches import BatchFolder, NotAudited
from .state import state

#: The files at the top of a batch's output folder that may be served beside the manifest's.
TOP_FILES = ("index.html", "rules.html")


@dataclass(frozen=True)
class FindingView:
    fingerprint: str
    rule: str
    severity: str
    severity_label: str
    message: str
    place: str
    quote: str | None  #: the words of the report it is about, as the engine quotes them
    status_label: str | None
    basis: str
    remedy: str
    decision: Decision | None  #: the decision standing on its fingerprint now
    #: Dismissed when the batch was audited (so left out of its notice and counts then).
    dismissed_then: bool = False

    @property
    def dismissed(self) -> bool:
        return self.decision is not None and self.decision.decision == DISMISSED

    @property
    def decided_since(self) -> bool:
        """Dismissed, or no longer, since the batch's notice was written: the notice says otherwise."""
        return self.dismissed != self.dismissed_then

    @property
    def decision_label(self) -> str | None:
        return None if self.decision is None else DECISION_LABELS.get(self.decision.decision)


@dataclass(frozen=True)
class ReportView:
    number: int  #: 1-based, in run order
    name: str  #: the file as uploaded
    body: str | None
    year: int | None
    page: str | None  #: its page under out/, listed in the manifest, or None
    notice: str | None  #: its own notice's stem under out/ (``notices/<name>``), or None
    duplicate_of: tuple[str, ...]
    findings: tuple[FindingView, ...]
    skipped: int
    fixed: int
    resubmission: bool  #: compared with an earlier audit of the same body and year

    def count(self, severity: str) -> int:
        """Findings of ``severity`` that stand (a dismissed one does not)."""
        return sum(1 for f in self.findings if f.severity == severity and not f.dismissed)

    @property
    def counts(self) -> tuple[int, ...]:
        return tuple(self.count(s) for s in SEVERITIES)

    @property
    def dismissed(self) -> int:
        return sum(1 for f in self.findings if f.dismissed)

    @property
    def noticed(self) -> bool:
        """Some error or warning stands: what a notice is for."""
        return bool(self.count("error") or self.count("warning"))

    @property
    def notice_outdated(self) -> bool:
        """A finding was dismissed (or its dismissal undone) since the notice was written, which lists
        the findings as they stood then: the office must audit again before sending it."""
        return any(f.decided_since for f in self.findings)

    @property
    def label(self) -> str:
        return f"{self.body or '（未识别的机关）'} {self.year or ''}".strip()


@dataclass(frozen=True)
class BatchResults:
    reports: tuple[ReportView, ...]
    not_audited: tuple[NotAudited, ...]
    files: frozenset[str]  #: what may be served from out/: the manifest's files and TOP_FILES written
    #: The results file is there (a batch folder removed by hand leaves a done row with nothing to show).
    available: bool = True

    def report(self, number: int) -> ReportView | None:
        return self.reports[number - 1] if 1 <= number <= len(self.reports) else None

    @property
    def notices(self) -> tuple[ReportView, ...]:
        return tuple(r for r in self.reports if r.notice is not None)


SEVERITY_COLUMNS = tuple((s, SEVERITY_NAMES[s]) for s in SEVERITIES)


def batch_of(batch: int) -> BatchRow:
    """The batch's row, or 404."""
    store = state().store
    row = store.read(lambda c: web_batches.batch_row(c, store.tables, batch))
    if row is None:
        abort(404, description="没有这个批次。")
    return row


def done_batch(batch: int) -> tuple[BatchRow, BatchFolder, BatchResults]:
    """The batch's row, folder and results when it is done, else 404."""
    row = batch_of(batch)
    if row.state != DONE:
        abort(404, description=f"批次 {row.id}{row.state_label}，还没有审核结果。")
    folder = BatchFolder.of(state().config.data_dir, row.id)
    return row, folder, batch_results(folder, state().store)


def manifest_files(folder: BatchFolder) -> frozenset[str]:
    """The files of ``folder``'s results that may be served (see the module docstring)."""
    try:
        listed = json.loads((folder.out / MANIFEST).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError):
        listed = {}
    top = {name for name in TOP_FILES if (folder.out / name).is_file()}
    return frozenset(name for name in listed if isinstance(name, str)) | top


@lru_cache(maxsize=4)
def _findings_file(path: str, stamp: tuple[int, int]) -> list[dict[str, Any]]:
    """A findings.json parsed, kept while its file is unchanged (``stamp``: its mtime and size): a large
    batch's file is megabytes, and every page of the batch reads it. Read only, never changed."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def batch_results(folder: BatchFolder, store: HistoryStore) -> BatchResults:
    """The results of a batch that is done, with the decisions standing now."""
    path = folder.out / "findings.json"
    try:
        stat = path.stat()
    except FileNotFoundError:
        return BatchResults((), tuple(folder.notes()), frozenset(), available=False)
    items = _findings_file(str(path), (stat.st_mtime_ns, stat.st_size))
    audited = [item for item in items if item.get("unreadable") is None]
    files = manifest_files(folder)
    fingerprints = [f["fingerprint"] for item in audited for f in item["findings"]]
    decided = store.read(lambda c: standing(c, store.tables, fingerprints)) if fingerprints else {}
    names = unique_names(folder.source_of(item["source"]) for item in audited)
    reports = tuple(_report(n, item, name, folder, files, decided)
                    for n, (item, name) in enumerate(zip(audited, names, strict=True), 1))
    return BatchResults(reports, tuple(folder.notes()), files)


def _report(number: int, item: dict[str, Any], name: str, folder: BatchFolder, files: frozenset[str],
            decided: dict[str, Decision]) -> ReportView:
    page = f"{REPORTS_FOLDER}/{name}.html"
    notice = f"{NOTICES_FOLDER}/{name}"
    return ReportView(
        number=number, name=folder.name_of(item["source"]), body=item["body"], year=item["year"],
        page=page if page in files else None, notice=notice if f"{notice}.docx" in files else None,
        duplicate_of=tuple(folder.name_of(source) for source in item["duplicate_of"]),
        findings=tuple(_finding(f, decided.get(f["fingerprint"])) for f in item["findings"]),
        skipped=len(item["skipped"]), fixed=len(item["fixed"]), resubmission=item["compared_with_run"] is not None)


def _finding(item: dict[str, Any], decision: Decision | None) -> FindingView:
    return FindingView(fingerprint=item["fingerprint"], rule=item["rule"], severity=item["severity"],
                       severity_label=SEVERITY_NAMES.get(item["severity"], item["severity"]),
                       message=item["message"], place=_place(item["location"]), quote=item["location"].get("quote"),
                       status_label=STATUS_LABELS.get(item["status"] or ""), basis=item["basis"],
                       remedy=item["remedy"], decision=decision,
                       dismissed_then=(item["review"] or {}).get("decision") == DISMISSED)


def _place(location: dict[str, Any]) -> str:
    """Where a finding is, in short: its table (or part), row and column; the report page beside the
    list says it in the format's words, with the line of the file, which only the report knows."""
    parts = [f"表{location['table']}" if location.get("table") else
             f"第{location['section']}部分" if location.get("section") else None, location.get("row")]
    if column := location.get("column"):
        parts.append(column if location.get("row") else f"{column}列")
    found = " · ".join(part for part in parts if part)
    return found or ("见报告页面所引原文" if location.get("line") else "全文")


@dataclass(frozen=True)
class NoticeView:
    report: ReportView
    sent: Sent | None


def notice_views(results: BatchResults, sent: dict[str, Sent]) -> tuple[NoticeView, ...]:
    return tuple(NoticeView(r, sent.get(r.notice)) for r in results.notices)

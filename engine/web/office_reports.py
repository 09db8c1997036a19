"""A done batch's report pages with review, its result files, and its notices (routes in engine.web.office).

A review is recorded exactly as ``ogi-audit review`` records it: both call
engine.history.reviews.decide (the same actions, and a decision carrying the rule, its digest, the
body and year of the latest recorded audit that found the fingerprint), and both refuse a dismissal
without a reason; ``by`` is the logged-in account. Only a fingerprint
of the report on the page is taken, so that a forged form cannot decide on another body's finding
from this page.

Result files are served only when the batch's manifest lists them (engine.web.office_views), under a
policy of their own: no script but the dashboard's own sorting script (the engine's ``table.js``,
allowed by its hash, so that nothing else written into the page could run), and framed by the
office's own pages only (the report page shows the CLI's page in an iframe): ``frame-ancestors
'self'``, and X-Frame-Options SAMEORIGIN for a browser that knows only that header.
"""
from __future__ import annotations

import base64
import hashlib
from functools import cache
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from flask import abort, flash, redirect, render_template, request, send_file, url_for

from ..commands.review import ACTIONS
from ..history import sent as sent_notices
from ..history.reviews import NothingToUndo, UnknownFingerprint, decide
from ..history.store import HistoryStore
from ..history.web_batches import BatchRow
from ..render.html import static
from .batches import BatchFolder
from .office_views import SEVERITY_COLUMNS, BatchResults, ReportView, done_batch, notice_views
from .security import current_account
from .state import state

#: The policy a result file is served under (see the module docstring).
FRAMED_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; "
                 "base-uri 'none'; form-action 'none'")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#: The result file that carries a script of the engine's own (engine/render/templates/index.html).
DASHBOARD = "index.html"


@cache
def _dashboard_script() -> str:
    """The CSP source that allows the dashboard's inline script, as the template writes it, and no other."""
    digest = hashlib.sha256(f"\n{static('table.js')}\n".encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _report_of(batch: int, number: int) -> tuple[BatchRow, BatchFolder, BatchResults, ReportView]:
    row, folder, results = done_batch(batch)
    report = results.report(number)
    if report is None:
        abort(404, description=f"批次 {row.id} 中没有第 {number} 份报告。")
    return row, folder, results, report


def report(batch: int, number: int) -> Any:
    row, _, results, found = _report_of(batch, number)
    page = None if found.page is None else url_for("office.file", batch=row.id, name=found.page)
    return render_template("office_report.html", batch=row, report=found, page=page, severities=SEVERITY_COLUMNS,
                           previous=number - 1 if number > 1 else None,
                           following=number + 1 if number < len(results.reports) else None)


def record_decision(store: HistoryStore, fingerprint: str, action: str, reason: str, by: str) -> str:
    """Record ``action`` (a key of engine.commands.review.ACTIONS) on ``fingerprint`` as ``ogi-audit
    review`` does (engine.history.reviews.decide); what was done, or raises ValueError with why nothing was."""
    decision, name = ACTIONS[action]
    if action == "dismiss" and not reason:
        raise ValueError("排除问题须写明理由（例如：该单位本年度确无此类申请，数值0属实）。")
    try:
        found = decide(store, fingerprint, decision, reason, by)
    except UnknownFingerprint:
        raise ValueError(f"审核历史库中没有指纹为 {fingerprint} 的问题，未记录任何决定。") from None
    except NothingToUndo:
        raise ValueError("这个问题目前没有决定，无可撤销。") from None
    return f"已{name}：{found.message}"


def review(batch: int, number: int) -> Any:
    row, _, _, found = _report_of(batch, number)
    fingerprint = request.form.get("fingerprint", "")
    action = request.form.get("action", "")
    if action not in ACTIONS or fingerprint not in {f.fingerprint for f in found.findings}:
        abort(400, description="复核请求有误：这份报告中没有这个问题，或操作不存在。")
    try:
        done = record_decision(state().store, fingerprint, action, request.form.get("reason", "").strip(),
                               current_account().name)
    except ValueError as refused:
        flash(str(refused), "error")
    else:
        flash(done, "ok")
    return redirect(url_for("office.report", batch=row.id, number=number, _anchor=f"finding-{fingerprint}"))


def served_file(batch: int, name: str) -> Any:
    """A file of the batch's results that its manifest lists (never another path)."""
    _, folder, results = done_batch(batch)
    if name not in results.files:
        abort(404, description="没有这个文件。")
    path = folder.out / PurePosixPath(name)
    if not path.resolve().is_relative_to(folder.out.resolve()) or not path.is_file():
        abort(404, description="没有这个文件。")
    if path.suffix == ".docx":  # a notice's Word file, linked from the framed report page
        found = next(r for r in results.reports if r.notice is not None and f"{r.notice}.docx" == name)
        return _notice_download(batch, folder, found)
    answer = send_file(path, mimetype="text/html")
    answer.headers["Content-Security-Policy"] = FRAMED_POLICY + (
        f"; script-src {_dashboard_script()}" if name == DASHBOARD else "")
    answer.headers["X-Frame-Options"] = "SAMEORIGIN"
    return answer


def _notice_download(batch: int, folder: BatchFolder, report: ReportView) -> Any:
    """A report's notice as a Word download, named after the file the office uploaded
    (``2020-某局-整改通知书.docx``, RFC 5987) with a plain ASCII name for old clients."""
    stem = PurePosixPath(report.name).stem
    answer = send_file(folder.out / f"{report.notice}.docx", mimetype=DOCX, as_attachment=True)
    answer.headers["Content-Disposition"] = (f"attachment; filename=\"notice-{batch}-{report.number}.docx\"; "
                                             f"filename*=UTF-8''{quote(f'{stem}-整改通知书.docx')}")
    return answer


def notices(batch: int) -> Any:
    row, _, results = done_batch(batch)
    store = state().store
    marked = store.read(lambda c: sent_notices.sent_of_batch(c, store.tables, row.id))
    return render_template("office_notices.html", batch=row, notices=notice_views(results, marked))


def _notice_of(batch: int, number: int) -> tuple[BatchRow, BatchFolder, ReportView]:
    row, folder, _, found = _report_of(batch, number)
    if found.notice is None:
        abort(404, description=f"第 {number} 份报告没有整改通知书。")
    return row, folder, found


def notice_word(batch: int, number: int) -> Any:
    row, folder, found = _notice_of(batch, number)
    return _notice_download(row.id, folder, found)


def notice_sent(batch: int, number: int) -> Any:
    row, _, found = _notice_of(batch, number)
    store = state().store
    by = current_account().name
    store.write(lambda c: sent_notices.mark_sent(c, store.tables, row.id, found.notice, found.body, found.year, by))
    flash(f"已标记为已发送：{found.label} 的整改通知书。", "ok")
    return redirect(url_for("office.notices", batch=row.id, _anchor=f"notice-{number}"))

"""The office's pages under ``/office/`` and its API under ``/api/office/``, every one behind a login
(engine.web.security decides by the path): batches uploaded and audited in the background
(engine.web.batches), the dashboard, each report's page with review, the notices, a body's history.

URLs (every id is an int looked up in the store; a report is its number in the batch's run):

- ``/office/`` (``office.dashboard``): the batches, the latest first, and the latest done batch's results;
- ``/office/batches`` (``office.batches``): the batches and the upload form (POST: a new batch);
- ``/office/batches/<id>``: its progress while queued or running, then its results;
- ``/office/batches/<id>/reports/<n>``: the report's page as the CLI wrote it (an iframe of
  ``/office/batches/<id>/files/reports/….html``, served only when the batch's manifest lists it) beside
  its findings with review (POST ``…/review``, recorded as ``ogi-audit review`` records it);
- ``/office/batches/<id>/notices``: each notice with its preview, its Word file (``…/notices/<n>/word``)
  and "mark as sent" (POST ``…/notices/<n>/sent``);
- ``/office/bodies?name=…``: a body's audits across runs, resubmissions and what was fixed;
- ``/api/office/batches`` and ``/api/office/batches/<id>``: the batches' state and progress as JSON.

Ids and labels a browser test may use (tests/test_web_browser.py):

- upload form ``id="batch-upload"``: ``<input type=file id="batch-files" multiple>`` (its label starts
  报告文件), the title ``id="batch-title"`` (its label starts 批次名称), the button 上传并审核;
- batch page: ``<progress id="batch-progress">`` and ``id="batch-state"``, which reads 审核完成 when done
  (审核失败 when failed); the results table ``id="batch-reports"``, a row per report ``id="report-<n>"``
  whose link text is the body's name as read (某县科技局); the files not audited ``id="not-audited"``;
- report page: the iframe ``id="report-page"``; each finding's item ``<li id="finding-<fingerprint>">``
  (class ``finding dismissed`` once dismissed) holding its decision (an element of class ``decision``:
  已排除 / 已确认), a textarea labelled 理由 (``id="reason-<fingerprint>"``) and the buttons 排除, 确认 and
  (when a decision stands) 撤销; after a decision the page reloads at ``#finding-<fingerprint>``;
- notices page: a row per notice ``id="notice-<n>"`` with links 预览 and 下载 Word and the button 标记为已发送
  (then 已发送 with who and when);
- body's history: the search field ``id="body-name"`` (label 机关名称), the table ``id="body-audits"``.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, Flask, jsonify, render_template, url_for

from ..history import web_batches
from ..history.web_batches import DONE, BatchRow
from . import office_bodies, office_reports, office_uploads
from .batches import SERVICE, BatchFolder, BatchRunner
from .office_views import SEVERITY_COLUMNS, batch_of, batch_results
from .state import WebState, state

blueprint = Blueprint("office", __name__, url_prefix="/office")
api = Blueprint("api_office", __name__, url_prefix="/api/office")


def install(app: Flask, web: WebState) -> None:
    app.register_blueprint(blueprint)
    app.register_blueprint(api)
    web.services[SERVICE] = BatchRunner(web.config, web.store)


def _batches() -> list[BatchRow]:
    store = state().store
    return store.read(lambda c: web_batches.all_batches(c, store.tables))


@blueprint.app_template_filter("when")
def when(at: datetime) -> str:
    """A time as the office reads it: local, to the minute."""
    return f"{at.astimezone():%Y-%m-%d %H:%M}"


@blueprint.get("/")
def dashboard() -> Any:
    batches = _batches()
    latest = next((row for row in batches if row.state == DONE), None)
    folder = None if latest is None else BatchFolder.of(state().config.data_dir, latest.id)
    results = None if folder is None else batch_results(folder, state().store)
    return render_template("office.html", batches=batches, latest=latest, results=results, severities=SEVERITY_COLUMNS)


@blueprint.get("/batches")
def batches() -> Any:
    return office_uploads.form()


@blueprint.get("/batches/<int:batch>")
def batch_page(batch: int) -> Any:
    row = batch_of(batch)
    folder = BatchFolder.of(state().config.data_dir, row.id)
    results = batch_results(folder, state().store) if row.state == DONE else None
    return render_template("office_batch.html", batch=row, results=results, notes=folder.notes(),
                           severities=SEVERITY_COLUMNS)


def progress_json(row: BatchRow) -> dict[str, Any]:
    return {"id": row.id, "title": row.title, "state": row.state, "state_label": row.state_label,
            "stage": row.message if row.state == web_batches.RUNNING else None, "done": row.done, "total": row.total,
            "message": None if row.state == web_batches.RUNNING else row.message, "run": row.run,
            "url": url_for("office.batch_page", batch=row.id)}


@api.get("/batches")
def api_batches() -> Any:
    return jsonify([progress_json(row) for row in _batches()])


@api.get("/batches/<int:batch>")
def api_batch(batch: int) -> Any:
    return jsonify(progress_json(batch_of(batch)))


blueprint.add_url_rule("/batches", "upload", office_uploads.upload, methods=["POST"])
blueprint.add_url_rule("/batches/<int:batch>/reports/<int:number>", "report", office_reports.report)
blueprint.add_url_rule("/batches/<int:batch>/reports/<int:number>/review", "review", office_reports.review,
                       methods=["POST"])
blueprint.add_url_rule("/batches/<int:batch>/files/<path:name>", "file", office_reports.served_file)
blueprint.add_url_rule("/batches/<int:batch>/notices", "notices", office_reports.notices)
blueprint.add_url_rule("/batches/<int:batch>/notices/<int:number>/word", "notice_word", office_reports.notice_word)
blueprint.add_url_rule("/batches/<int:batch>/notices/<int:number>/sent", "notice_sent", office_reports.notice_sent,
                       methods=["POST"])
blueprint.add_url_rule("/bodies", "body", office_bodies.body)

"""The agencies' self-check (``/check``) and ``POST /api/check``: no login, nothing stored.

An agency uploads one draft, in any kind the audit reads; it is saved under a name of ours in a folder
of its own under ``<data>/check/`` (engine.web.uploads), audited by the checker's workers
(engine.web.checker) and the folder removed when the answer is made, whatever happens (and, should the
server be killed mid-check, when a server next starts). The page shows
the report's page as ``ogi-audit audit`` writes it and a preview of the notice it would get, each in a
sandboxed frame (a page of ours, whose text from the report is escaped; the frame runs no script
whatever it holds); a file that could not be audited is shown with the reason and never as passed.

``POST /api/check`` (multipart field ``file``) answers:

- 200 with the report's object exactly as ``ogi-audit audit FILE --no-db --json`` gives it (a
  self-check consults no history store), ``source`` being the name the file was sent under;
- 422 with the object ``findings.json`` gives for an input it could not read (``unreadable``: the
  reason; body, year and findings empty), and ``error`` saying the same: the CLI audits nothing then and
  exits 2, so the answer is not a success, but it carries what the CLI would list for that input;
- 400 ``{"error": …}`` without a file (or with more than one), 413 for a file over ``check_bytes``,
  503 when no worker became free in the time a check may hold one (engine.web.checker), 500 when the
  office's rules themselves failed.
"""
from __future__ import annotations

import re
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, Response, abort, current_app, render_template, request
from werkzeug.exceptions import RequestEntityTooLarge

from ..commands.audit import SEVERITY_NAMES
from ..model import SEVERITIES
from ..parse.readers import READERS, accepted
from ..serialize import dumps
from .checker import Busy, Checked, Checker, RulesBroken
from .state import WebState, state
from .uploads import TOO_LARGE, Limits, save_uploads, size_text

blueprint = Blueprint("check", __name__)
#: The multipart field that carries the file, in the form and in the API.
FIELD = "file"
#: Under the data folder: one folder per check in progress, removed when it ends.
CHECK_FOLDER = "check"
#: A check's folder older than this is left by a server that stopped mid-check (no check waits and runs
#: this long: engine.web.checker), and is removed when a server starts.
ABANDONED_SECONDS = 3600
#: Room in a request for the form's other fields and the multipart framing around the file.
FRAMING = 64 * 1024
NO_FILE = "请选择要自查的年度报告文件。"
ONE_FILE = "一次只能自查一份报告：请只上传一个文件。"
BUSY = "自查的人较多，暂时没有空闲的审核进程，请稍后再试。"
RULES_BROKEN = "公开办的审核规则暂时无法使用，自查未能进行，请稍后再试或联系公开办。"


def install(app: Flask, web: WebState) -> None:
    folder = web.config.data_dir / CHECK_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    _sweep(folder)
    web.services["checker"] = Checker(web.config)
    app.register_blueprint(blueprint)


def _sweep(folder: Path) -> None:
    """Remove what a server killed mid-check left (its checks' folders, by their age: another server
    on the same data folder may be checking in the newer ones)."""
    abandoned = time.time() - ABANDONED_SECONDS
    for left in folder.iterdir():
        if left.lstat().st_mtime < abandoned:
            if left.is_dir() and not left.is_symlink():
                shutil.rmtree(left, ignore_errors=True)
            else:
                left.unlink(missing_ok=True)


#: A link within the page (``#f3``, a finding's place in a table) and one to another file of the CLI's
#: output folder (``../rules.html#TAB-001``, ``../index.html``). The page is the engine's template with
#: every value escaped (a ``"`` in a report's text is ``&#34;``), so ``href="`` is only ever an attribute.
_WITHIN = re.compile(r'href="#')
_OUTPUT_FILE = re.compile(r'\shref="\.\./[^"]*"')


def framed(page: str) -> str:
    """The CLI's page as a frame of the result page shows it. A frame's ``srcdoc`` page resolves
    ``#f3`` against the page around it (``/check#f3``: another page, which may not be framed), so links
    within the page are made ``about:srcdoc#f3``, which scrolls the frame; links to the dashboard or
    the rule catalogue, files a self-check does not make, are left as text."""
    return _OUTPUT_FILE.sub("", _WITHIN.sub('href="about:srcdoc#', page))


@dataclass(frozen=True)
class ResultView:
    """What the result page shows beside the report's own page: plain values, no arithmetic left."""

    name: str
    checked: Checked
    page: str | None  #: the report's page, framed
    notice: str | None  #: the notice preview, framed
    body: str | None
    year: int | None
    counts: tuple[tuple[str, str, int], ...]  #: (severity, its name, how many), every severity
    total: int
    skipped: int


def _view(checked: Checked) -> ResultView:
    item = checked.item
    found = Counter(finding["severity"] for finding in item["findings"])
    return ResultView(item["source"], checked, checked.page and framed(checked.page),
                      checked.notice and framed(checked.notice), item["body"], item["year"],
                      tuple((s, SEVERITY_NAMES[s], found.get(s, 0)) for s in SEVERITIES),
                      len(item["findings"]), len(item["skipped"]))


def _limits() -> Limits:
    return Limits.check(state().config)


def _form(**context: Any) -> str:
    """The upload form: the kinds the audit reads (for the file picker too) and the size limit."""
    suffixes = ",".join(suffix for reader in READERS for suffix in reader.suffixes)
    return render_template("check.html", kinds=accepted(), limit=size_text(_limits().total_bytes),
                           accept=suffixes, **context)


@blueprint.url_value_preprocessor
def _request_limit(endpoint: str | None, _: dict[str, Any] | None) -> None:
    """Each self-check request is held to its own limit, not the batches' 500 MB, before the app reads
    any of its body (Werkzeug refuses it on its Content-Length; waitress in front holds any request to
    ``request_bytes``). Set here because a blueprint's URL value preprocessors run before the app's
    before_request functions, of which the CSRF check parses the form: an anonymous sender's body must
    not be parsed into temporary files under the larger limit first."""
    request.max_content_length = _limits().total_bytes + FRAMING


@blueprint.get("/check")
def page() -> Any:
    state().services["checker"].warm()
    return _form()


@blueprint.post("/check")
def check_page() -> Any:
    checked = _checked(pages=True)
    if checked is None:
        return _form(error=NO_FILE), 400
    return render_template("check_result.html", view=_view(checked))


@blueprint.post("/api/check")
def api_check() -> Any:
    checked = _checked(pages=False)
    if checked is None:
        abort(400, description=f"缺少文件：请用 multipart/form-data 的 {FIELD} 字段上传一份年度报告。")
    if checked.reason is not None:
        return _json({**checked.item, "error": f"未能审核：{checked.reason}"}, 422)
    return _json(checked.item, 200)


def _json(item: dict[str, Any], status: int) -> Response:
    """As findings.json writes it (engine.serialize: Chinese as is, amounts with their digits)."""
    return Response(dumps(item), status=status, mimetype="application/json")


def _checked(pages: bool) -> Checked | None:
    """The check of the request's file (with its page and notice preview where ``pages``), None when
    it has none; aborts with 413, 503 or 500. The upload's folder is removed before this returns,
    whatever happened."""
    limits = _limits()
    too_large = TOO_LARGE.format(limit=size_text(limits.total_bytes))
    try:
        uploads = [upload for upload in request.files.getlist(FIELD) if upload.filename]
    except RequestEntityTooLarge:
        abort(413, description=too_large)
    if not uploads:
        return None
    if len(uploads) > 1:
        abort(400, description=ONE_FILE)
    [upload] = uploads
    web = state()
    folder = Path(tempfile.mkdtemp(prefix="", dir=web.config.data_dir / CHECK_FOLDER))
    try:
        saved = save_uploads([upload], folder, limits)
        if saved.oversized:
            abort(413, description=too_large)
        [taken] = saved.taken
        return web.services["checker"].check(taken, pages)
    except Busy:
        abort(503, description=BUSY)
    except RulesBroken as error:
        current_app.logger.error("自查时规则出错：%s", error)
        abort(500, description=RULES_BROKEN)
    finally:
        shutil.rmtree(folder, ignore_errors=True)

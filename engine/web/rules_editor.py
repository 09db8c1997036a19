"""The rule editor (admin role only, issue 11 point 3): browse the rules and formats, edit a rule file
with the problems ``ogi-audit rules check`` would print shown as you type, run its test cases, preview
its effect on the last batch, and save it: refused while the folder has a problem or a case fails,
recorded in ``rule_changes`` (engine.history.changes) when done. Every attempt works on a copy of the
rules folder (engine.web.rule_drafts); only a save writes into the real one (engine.web.rule_saving).
The preview audits the last batch again, in the background (engine.web.rule_jobs): it is started,
then asked for until it is finished.

Pages (``/office/rules``) and API (``/api/office/rules``), every one behind :func:`admin_only`:

- ``GET /office/rules/``: the rule files with their rules (id, title, severity), the format files, the
  recent changes;
- ``GET /office/rules/files/<n>``: the editor of the n-th rule file; ``POST`` the same URL with
  ``action`` = ``test``, ``preview`` or ``save`` (the form's three buttons: works without script too);
  a save refused is the page again with why: 409 (the file changed since it was opened), 422 (a problem
  or a failing case), 503 (the change could not be recorded: the file is put back); a preview started
  is a redirect (303) to its page, a preview refused the editor again with why (409, 503, as below);
- ``GET /office/rules/previews/<id>``: a preview's page without script: its progress with a link to
  reload it, then its result;
- ``GET /office/rules/formats/<n>``, ``/wording/<n>``, ``/changes/<id>``: a format file, a vocabulary
  file (both to read only), one change with its text before and after;
- ``POST /api/office/rules/check``, ``/test``: JSON ``{"file": name or n, "text": …}``, header
  ``X-CSRF-Token``; each answers its findings as data and the page's fragment as ``html``;
- ``POST /api/office/rules/preview``, the same JSON: 202 with the preview's ``job`` id and ``url``, or
  409 (this account's last preview is still running) or 503 (too many running) with ``error``;
- ``GET /api/office/rules/previews/<id>``: its ``state``: ``running`` with ``stage``, ``done`` and
  ``total`` (reports), ``done`` with the result, ``failed`` with the ``reason`` (the result's fields
  too, empty); each with the fragment the page shows as ``html``. 404 for an id that is not this
  account's, or forgotten (engine.web.rule_jobs).

The file is looked up in the list the app made of the rules folder (by its place or its exact name),
never taken as a path from the request.

A case's ``sample:`` is a report named relative to the rule file (totals.yaml: ``samples/…``, in
the rules folder, so that the office's copy of the folder carries them), as ``ogi-audit rules test``
reads it; a case whose sample is not there fails, saying so, and the file cannot be saved.

Element ids for the browser test: the form ``rule-form``; the textarea ``rule-text`` (label 规则文件内容);
the problems list ``rule-problems`` (each problem an ``li.problem``); the buttons ``run-tests`` (运行测试),
``preview`` (预览), ``save`` (保存); the test results ``test-results``; the preview result
``preview-result`` (its summary ``preview-summary``: 会新增 N 项问题，涉及 M 份报告；减少 K 项); the
outcome of a save ``save-result`` (已保存 / 未保存); the index's recent changes ``rule-changes``; a
preview's progress while it runs ``preview-progress``.
"""
from __future__ import annotations

import difflib
import hashlib
import threading
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, abort, flash, jsonify, redirect, render_template, request, url_for

from ..commands.audit import SEVERITY_NAMES
from ..history.changes import find_change, record_change, recent_changes
from ..history.errors import HistoryError
from ..rules.rule import Rule
from . import rule_drafts, rule_saving
from .rule_drafts import ProblemView, RuleFile, Tested
from .rule_jobs import RUNNING, SERVICE, PreviewJob, PreviewJobs, Refused, jobs
from .rule_preview import Preview
from .security import admin_only, current_account
from .state import WebState, state

blueprint = Blueprint("rules_editor", __name__, url_prefix="/office/rules")
api = Blueprint("rules_editor_api", __name__, url_prefix="/api/office/rules")

#: The longest rule file taken from the browser (the largest shipped one is a few tens of kilobytes).
LONGEST_TEXT = 1_000_000
#: The longest note taken with a save (the form's field says so too).
LONGEST_NOTE = 500
#: Saves one at a time, so that "unchanged since it was opened" and the write are one step.
_SAVING = threading.Lock()


def install(app: Flask, web: WebState) -> None:
    app.register_blueprint(blueprint)
    app.register_blueprint(api)
    web.services[SERVICE] = PreviewJobs(web)


@api.after_request
def _not_cached(response: Any) -> Any:
    response.headers["Cache-Control"] = "no-store"
    return response


def _files() -> list[RuleFile]:
    return rule_drafts.rule_file_list(state().config.rules_dir)


def _file(wanted: Any) -> RuleFile:
    """The rule file the request means, by its place in the list or its exact name; 404 otherwise."""
    files = _files()
    if isinstance(wanted, int) and not isinstance(wanted, bool) and 0 <= wanted < len(files):
        return files[wanted]
    found = next((f for f in files if isinstance(wanted, str) and f.name == wanted), None)
    if found is None:
        abort(404, description="没有这个规则文件。")
    return found


def _text(given: Any) -> str:
    """The edited text as the editor sent it, with the browser's CRLF line ends made LF as on disk."""
    if not isinstance(given, str):
        abort(400, description="缺少规则文件的内容（text）。")
    if len(given) > LONGEST_TEXT:
        abort(413, description=f"规则文件太长：最多 {LONGEST_TEXT:,} 个字符。")
    return given.replace("\r\n", "\n").replace("\r", "\n")


def _saved(file: RuleFile) -> str:
    """The file's text as saved; 422 for one that is not UTF-8 text (the loader says the same of it)."""
    try:
        return file.path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        abort(422, description=f"{file.name} 不是 UTF-8 编码的文本，不能在网页中编辑；请在服务器上另存为 UTF-8。")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class RuleRow:
    id: str
    title: str
    severity: str
    severity_name: str


def _rows(rules: list[Rule]) -> list[RuleRow]:
    return [RuleRow(r.id, r.title, r.severity, SEVERITY_NAMES.get(r.severity, r.severity)) for r in rules]


@blueprint.get("/")
@admin_only
def index() -> Any:
    config, store = state().config, state().store
    folder = rule_drafts.checked(config.rules_dir) if config.rules_dir.is_dir() else None
    files = [(f, _rows(folder.of(f)) if folder else []) for f in _files()]
    changes = store.read(lambda c: recent_changes(c, store.tables))
    return render_template("rules.html", files=files, problems=folder.problems if folder else [],
                           folder=config.rules_dir, formats=list(enumerate(rule_drafts.format_file_list())),
                           wording=list(enumerate(rule_drafts.wording_file_list(config.rules_dir))),
                           changes=changes)


def _editor(file: RuleFile, text: str, base: str, *, status: int = 200, **results: Any) -> Any:
    """The editor page over ``text``, with its problems and whatever ``results`` the form asked for."""
    checked = rule_drafts.check(state().config.rules_dir, file, text)
    store = state().store
    changes = store.read(lambda c: recent_changes(c, store.tables, 10, file.name))
    return render_template("rules_file.html", file=file, text=text, base=base, problems=checked.problems,
                           rules=_rows(checked.of(file)), changes=changes, longest_note=LONGEST_NOTE,
                           **results), status


@blueprint.get("/files/<int:index>")
@admin_only
def edit(index: int) -> Any:
    """The editor, with the file as saved; after a save (``?saved=<change id>``) what was saved."""
    file = _file(index)
    text = _saved(file)
    saved = request.args.get("saved", type=int)
    store = state().store
    change = None if saved is None else store.read(lambda c: find_change(c, store.tables, saved))
    return _editor(file, text, _digest(text), saved=change if change and change.file == file.name else None)


@blueprint.post("/files/<int:index>")
@admin_only
def act(index: int) -> Any:
    """The form's buttons: run the tests, preview, or save (the page again with the outcome)."""
    file, text = _file(index), _text(request.form.get("text"))
    base, action = request.form.get("base", ""), request.form.get("action")
    config = state().config
    if action == "test":
        return _editor(file, text, base, tested=rule_drafts.run_tests(config.rules_dir, file, text,
                                                                        config.check_seconds))
    if action == "preview":
        try:
            job = _start_preview(file, text)
        except Refused as refused:
            return _editor(file, text, base, status=refused.status, previewed=Preview(reason=str(refused)))
        return redirect(url_for(".preview_page", job_id=job.id), 303)
    if action == "save":
        return _save(file, text, base, " ".join(request.form.get("note", "").split())[:LONGEST_NOTE])
    abort(400, description="未知的操作。")


def _start_preview(file: RuleFile, text: str) -> PreviewJob:
    return jobs(state()).start(current_account().name, file, text)


def _job(job_id: str) -> PreviewJob:
    """This account's preview ``job_id`` (a key of the service's table, never a path); 404 otherwise."""
    job = jobs(state()).find(job_id, current_account().name)
    if job is None:
        abort(404, description="没有这次预览（预览结果只保留一段时间，也只给发起预览的账号看）。请回到编辑页重新预览。")
    return job


@blueprint.get("/previews/<job_id>")
@admin_only
def preview_page(job_id: str) -> Any:
    """A preview's page for a browser without script: its progress and a link to reload, then its result."""
    job = _job(job_id)
    return render_template("rules_preview_page.html", job=job, **_shown_job(job))


def _shown_job(job: PreviewJob) -> dict[str, Any]:
    """What the templates show of ``job``: its progress while it runs (whole seconds), its result after."""
    stage, done, total = job.progress
    return {"previewed": job.result, "editing": job.file.name, "running": {
        "stage": stage, "done": done, "total": total, "seconds": int(job.seconds), "limit": f"{job.limit:g}",
        "over": job.seconds > job.limit}}


def _save(file: RuleFile, text: str, base: str, note: str) -> Any:
    """Save ``text`` into ``file`` unless the folder then has a problem, a case fails, or the file was
    changed by someone else since the editor opened it (``base``, the digest of the text it opened)."""
    config, store = state().config, state().store
    with _SAVING, rule_drafts.draft(config.rules_dir, file, text) as copy:
        before = _saved(file)
        if _digest(before) != base:
            return _editor(file, text, base, status=409, refused=(
                "未保存：此文件在您打开之后已被修改（可能是其他管理员保存的）。请复制您的修改，重新打开此文件后再改。"))
        tested = rule_drafts.tested(copy, file, config.rules_dir, config.check_seconds)
        if not tested.passed:
            return _editor(file, text, base, status=422, tested=tested, refused=_refusal(tested))
        if text == before:
            flash("内容没有改动，未保存。", "info")
            return redirect(url_for(".edit", index=file.index))
        summary = rule_saving.change_summary(file.path, copy / file.name)
        rule_saving.write_rule_file(file, text)
        who = current_account().name
        try:
            change_id = store.write(lambda c: record_change(c, store.tables, who, file.name, before, text,
                                                            f"{summary}；说明：{note}" if note else summary))
        except HistoryError as error:  # no change goes unrecorded: the file is put back as it was
            rule_saving.write_rule_file(file, before)
            return _editor(file, text, base, status=503, refused=f"未保存：修改记录无法写入审核历史库，文件已恢复原样。{error}")
    checker = state().services.get("checker")
    if checker is not None:  # the self-check workers keep compiled rules: they must take the new ones
        checker.reload()
    return redirect(url_for(".edit", index=file.index, saved=change_id))


def _refusal(tested: Tested) -> str:
    if tested.problems:
        return f"未保存：规则文件有 {len(tested.problems)} 处写法问题，见“检查结果”。"
    if tested.failure:
        return f"未保存：{tested.failure}"
    names = "、".join(f"{case.rule}“{case.name}”" for case in tested.failed)
    return f"未保存：{len(tested.failed)} 个测试用例未通过：{names}。"


@blueprint.get("/formats/<int:index>")
@admin_only
def format_file(index: int) -> Any:
    return _shown(rule_drafts.format_file_list(), index, "格式文件",
                  "官方格式的数据字典，只供查看：规则中写的表名、行名、列名须是这里的名称或简称。")


@blueprint.get("/wording/<int:index>")
@admin_only
def wording_file(index: int) -> Any:
    return _shown(rule_drafts.wording_file_list(state().config.rules_dir), index, "词汇文件",
                  "规则的正则表达式中 {{ 名称 }} 所指的各组说法，以及读取报告用的写法；只供查看。")


def _shown(paths: list[Any], index: int, kind: str, hint: str) -> Any:
    """A file of ``paths`` (a list the app made) by its place in it, to read."""
    if not 0 <= index < len(paths):
        abort(404, description=f"没有这个{kind}。")
    return render_template("rules_view.html", kind=kind, hint=hint, name=paths[index].name,
                           text=paths[index].read_text(encoding="utf-8", errors="replace"))


@blueprint.get("/changes/<int:change_id>")
@admin_only
def change(change_id: int) -> Any:
    store = state().store
    found = store.read(lambda c: find_change(c, store.tables, change_id))
    if found is None:
        abort(404, description="没有这条修改记录。")
    diff = difflib.unified_diff(found.before.splitlines(), found.after.splitlines(), "修改前", "修改后", lineterm="")
    return render_template("rules_change.html", change=found, diff=list(diff))


def _asked() -> tuple[RuleFile, str]:
    given = request.get_json(silent=True)
    if not isinstance(given, dict):
        abort(400, description="请求应为 JSON：{\"file\": 文件名, \"text\": 内容}。")
    return _file(given.get("file")), _text(given.get("text"))


def _problems(problems: list[ProblemView]) -> list[dict[str, Any]]:
    return [problem.to_dict() for problem in problems]


@api.post("/check")
@admin_only
def api_check() -> Any:
    file, text = _asked()
    checked = rule_drafts.check(state().config.rules_dir, file, text)
    return jsonify(file=file.name, problems=_problems(checked.problems), rules=len(checked.of(file)),
                   html=render_template("rules_problems.html", problems=checked.problems,
                                        rules=_rows(checked.of(file)), editing=file.name))


@api.post("/test")
@admin_only
def api_test() -> Any:
    file, text = _asked()
    config = state().config
    tested = rule_drafts.run_tests(config.rules_dir, file, text, config.check_seconds)
    cases = [{"rule": c.rule, "name": c.name, "passed": c.passed, "problems": c.problems} for c in tested.cases]
    return jsonify(file=file.name, passed=tested.passed, failure=tested.failure, cases=cases,
                   problems=_problems(tested.problems), html=render_template("rules_tests.html", tested=tested))


@api.post("/preview")
@admin_only
def api_preview() -> Any:
    file, text = _asked()
    try:
        job = _start_preview(file, text)
    except Refused as refused:
        answer = jsonify(error=str(refused))
        if refused.status == 503:
            answer.headers["Retry-After"] = "10"
        return answer, refused.status
    return jsonify(job=job.id, url=url_for(".api_preview_state", job_id=job.id), **_job_state(job)), 202


@api.get("/previews/<job_id>")
@admin_only
def api_preview_state(job_id: str) -> Any:
    return jsonify(_job_state(_job(job_id)))


def _job_state(job: PreviewJob) -> dict[str, Any]:
    """The API's answer on ``job`` (PreviewJob.to_dict), with the fragment the page shows of it."""
    answer = job.to_dict()  # first: once it says finished, the result the fragment shows is there
    shown = "rules_preview_running.html" if answer["state"] == RUNNING else "rules_preview.html"
    return {**answer, "html": render_template(shown, **_shown_job(job))}

"""The rule editor (issue 11, point 3): admins only; the problems of an edited file as ``ogi-audit rules
check`` prints them; a file whose test case fails, or that has a problem, is never saved; the preview
on the last batch counts what the batch's own recorded findings say, and runs in the background (started,
then polled: its progress, its result, only for the account that started it); a save writes the file and
records who changed what.

Every test edits a copy of rules/ in its tmp_path (whole: the sample cases read rules/samples/), never
the real one.
"""
from __future__ import annotations

import html
import io
import shutil
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert, select, update

from engine import RULES_DIR
from engine.audit import run_audit
from engine.cli import main
from engine.history import accounts
from engine.history.changes import recent_changes
from engine.rules import RuleFileError, load_rules
from engine.web import rule_jobs, rule_preview
from engine.web.config import WebConfig
from engine.web.rule_drafts import rule_file_list
from engine.web.rule_jobs import PreviewJob
from engine.web.rule_preview import Limits
from engine.web.state import KEY
from web_support import ADMIN, AUDITOR, log_in, web_app  # noqa: F401 (fixture)

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "reports"
#: The batch the preview is tried on: 周村区科技局's report has two TOT-001 findings (its sample cases say so).
BATCH_REPORTS = ("2020-周村区科技局.txt", "2020-金凤区科学技术局.txt", "2021-灵武市科学技术局.txt")
TOTALS = "totals.yaml"
#: A row label misspelt in TOT-002's formula (its rows are named by their short names: 本年新收).
MISSPELT = ("      收到: 本年新收 + 上年结转", "      收到: 本年新收申请 + 上年结转")
#: TOT-001 made to treat a blank total as 0: its case "总计为空时不检查，记为未检查" then fails.
BLANK_AS_ZERO = ("  when_missing: skip\n  message: 表三「{{ row }}」行的总计为",
                 "  when_missing: zero\n  message: 表三「{{ row }}」行的总计为")


@pytest.fixture
def web_config(tmp_path: Path) -> WebConfig:
    shutil.copytree(RULES_DIR, tmp_path / "rules")
    return WebConfig(db=str(tmp_path / "history.sqlite"), data_dir=tmp_path / "web", jobs=1,
                     rules_dir=tmp_path / "rules", check_seconds=180)


@pytest.fixture
def admin(web_app):
    client = web_app.test_client()
    return client, log_in(client, ADMIN)


def _index_of(config: WebConfig, name: str) -> int:
    return sorted(p.name for p in config.rules_dir.iterdir() if p.suffix == ".yaml").index(name)


def _totals(config: WebConfig) -> str:
    return (config.rules_dir / TOTALS).read_text(encoding="utf-8")


def _api(client, token: str, call: str, text: str, file: object = TOTALS):
    return client.post(f"/api/office/rules/{call}", json={"file": file, "text": text},
                       headers={"X-CSRF-Token": token})


def _page_when_finished(client, url: str, seconds: float = 300) -> str:
    """A preview's page without script, reloaded by its link until it shows no progress: its text."""
    deadline = time.monotonic() + seconds
    while 'id="preview-progress"' in (page := client.get(url).get_data(as_text=True)):
        assert 'id="preview-reload"' in page and f'href="{url}"' in page
        assert time.monotonic() < deadline, "the preview did not finish in time"
        time.sleep(0.2)
    return page


def _polled(client, url: str, seconds: float = 300):
    """The answer on a preview once it is no longer running, from its API url."""
    deadline = time.monotonic() + seconds
    while (answer := client.get(url)).status_code == 200 and answer.get_json()["state"] == "running":
        assert time.monotonic() < deadline, "the preview did not finish in time"
        time.sleep(0.2)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.get_json()


def _previewed(client, token: str, text: str, file: object = TOTALS) -> dict:
    """A preview started through the API (202 and its job), polled until it is finished: its answer."""
    started = _api(client, token, "preview", text, file)
    assert started.status_code == 202, started.get_data(as_text=True)
    body = started.get_json()
    # As it is at the answer: a preview with no batch to audit may have ended already.
    assert body["state"] in ("running", "done", "failed") and body["url"] == f"/api/office/rules/previews/{body['job']}"
    return _polled(client, body["url"])


def _form(client, token: str, index: int, action: str, text: str, base: str | None = None, note: str = ""):
    page = client.get(f"/office/rules/files/{index}").get_data(as_text=True)
    if base is None:
        base = page.split('name="base" value="', 1)[1].split('"', 1)[0]
    return client.post(f"/office/rules/files/{index}", data={"csrf_token": token, "action": action, "text": text,
                                                            "base": base, "note": note})


class Spy:
    """The self-check service as the editor sees it: was reload() called after a save?"""

    def __init__(self, real) -> None:
        self.real, self.reloads = real, 0

    def reload(self) -> None:
        self.reloads += 1

    def close(self) -> None:
        if self.real is not None:
            self.real.close()


def test_an_auditor_gets_403_on_every_editor_url(web_app):
    client = web_app.test_client()
    token = log_in(client, AUDITOR)
    pages = ["/office/rules/", "/office/rules/files/0", "/office/rules/formats/0", "/office/rules/wording/0",
             "/office/rules/changes/1"]
    for url in pages:
        assert client.get(url).status_code == 403, url
    assert client.post("/office/rules/files/0", data={"csrf_token": token, "action": "save", "text": "",
                                                      "base": ""}).status_code == 403
    for call in ("check", "test", "preview"):
        answer = _api(client, token, call, "")
        assert answer.status_code == 403, call
        assert "管理员" in answer.get_json()["error"]
    assert client.get("/api/office/rules/previews/any").status_code == 403
    assert client.get("/office/rules/previews/any").status_code == 403


def test_every_editor_url_without_a_session_is_refused(web_app):
    client = web_app.test_client()
    for url in ("/office/rules/", "/office/rules/files/0", "/office/rules/formats/0", "/office/rules/wording/0",
                "/office/rules/changes/1"):
        answer = client.get(url)
        assert answer.status_code == 302 and answer.headers["Location"].startswith("/login"), url
    for call in ("check", "test", "preview"):
        assert client.post(f"/api/office/rules/{call}", json={"file": TOTALS, "text": ""}).status_code == 401
    assert client.get("/api/office/rules/previews/any").status_code == 401
    assert client.get("/office/rules/previews/any").headers["Location"].startswith("/login")


def test_the_index_lists_every_rule_file_with_its_rules_and_the_format_files(admin, web_config):
    client, _ = admin
    page = client.get("/office/rules/").get_data(as_text=True)
    rules = load_rules(web_config.rules_dir)
    for path in sorted(web_config.rules_dir.glob("*.yaml")):
        assert f">{path.name}</a>" in page
    for rule in rules:
        assert f"<code>{rule.id}</code> {rule.title}" in page
    for path in (RULES_DIR / "formats").glob("*.yaml"):
        assert f">{path.name}</a>" in page
    for path in (web_config.rules_dir / "wording").glob("*.yaml"):
        assert f">wording/{path.name}</a>" in page
    assert "还没有通过网页修改过规则" in page
    formats = sorted((RULES_DIR / "formats").glob("*.yaml"))
    assert formats[0].read_text(encoding="utf-8").splitlines()[0] in _unescaped(client, "/office/rules/formats/0")
    wording = sorted((web_config.rules_dir / "wording").glob("*.yaml"))
    assert wording[0].read_text(encoding="utf-8").splitlines()[0] in _unescaped(client, "/office/rules/wording/0")
    assert client.get(f"/office/rules/formats/{len(formats)}").status_code == 404


def _unescaped(client, url: str) -> str:
    return html.unescape(client.get(url).get_data(as_text=True))


def test_the_index_shows_the_problems_of_the_rules_folder_as_it_is(admin, web_config):
    client, _ = admin
    (web_config.rules_dir / TOTALS).write_text(_totals(web_config).replace(*MISSPELT), encoding="utf-8")
    page = client.get("/office/rules/").get_data(as_text=True)
    assert "规则文件夹现有 1 处问题" in page and "本年新收申请" in page and "totals.yaml 第" in page


def test_a_misspelt_row_label_is_answered_as_rules_check_prints_it(admin, web_config, tmp_path, capsys):
    client, token = admin
    original = _totals(web_config)
    broken = original.replace(*MISSPELT)
    assert broken != original
    answer = _api(client, token, "check", broken)
    assert answer.status_code == 200
    problems = answer.get_json()["problems"]
    # The loader's own error on a folder with the same file broken, and the command's own words.
    folder = tmp_path / "broken"
    shutil.copytree(web_config.rules_dir, folder)
    (folder / TOTALS).write_text(broken, encoding="utf-8")
    with pytest.raises(RuleFileError) as raised:
        load_rules(folder)
    expected = raised.value.problems
    assert [(p["line"], p["column"], p["rule"], p["message"], p["suggestion"]) for p in problems] == \
        [(e.position.line, e.position.column, e.rule, e.message, e.suggestion) for e in expected]
    assert {p["file"] for p in problems} == {TOTALS}
    assert problems[0]["rule"] == "TOT-002"
    assert "本年新收申请" in problems[0]["message"] and problems[0]["suggestion"] == "本年新收"
    capsys.readouterr()
    assert main(["rules", "check", str(folder)]) == 2
    printed = capsys.readouterr().out.splitlines()
    assert [p["text"] for p in problems] == [text.replace(str(folder / TOTALS), TOTALS) for text in printed]
    assert "应写作" in answer.get_json()["html"] and "本年新收" in answer.get_json()["html"]
    # Nothing of the attempt is in the real folder.
    assert _totals(web_config) == original
    assert sorted(p.name for p in web_config.rules_dir.iterdir()) == sorted(p.name for p in RULES_DIR.iterdir())
    fixed = _api(client, token, "check", original).get_json()
    assert fixed["problems"] == [] and fixed["rules"] == len([r for r in load_rules(web_config.rules_dir)
                                                               if r.file.name == TOTALS])


def test_a_file_is_named_from_the_list_never_as_a_path(admin, web_config):
    client, token = admin
    for name in ("../rules/totals.yaml", "/etc/passwd", "settings/notice.yaml", "TOTALS.YAML", True, 99, None):
        assert _api(client, token, "check", "- id: X", file=name).status_code == 404, name
    assert client.get("/office/rules/files/99").status_code == 404
    index = _index_of(web_config, TOTALS)
    assert _api(client, token, "check", _totals(web_config), file=index).get_json()["file"] == TOTALS


def test_a_rule_whose_test_case_fails_cannot_be_saved(admin, web_app, web_config):
    client, token = admin
    original = _totals(web_config)
    failing = original.replace(*BLANK_AS_ZERO)
    assert failing != original
    tested = _api(client, token, "test", failing).get_json()
    assert tested["passed"] is False and tested["problems"] == []
    failed = [(c["rule"], c["name"]) for c in tested["cases"] if not c["passed"]]
    assert failed == [("TOT-001", "总计为空时不检查，记为未检查")]
    assert all(c["passed"] for c in tested["cases"] if c["rule"] != "TOT-001")
    on_the_form = _form(client, token, _index_of(web_config, TOTALS), "test", failing)  # without script
    assert on_the_form.status_code == 200
    assert f"{len(tested['cases'])} 个测试用例，{len(tested['cases']) - 1} 个通过，1 个未通过" in \
        on_the_form.get_data(as_text=True)
    answer = _form(client, token, _index_of(web_config, TOTALS), "save", failing)
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "未保存" in page and "TOT-001“总计为空时不检查，记为未检查”" in page
    assert _totals(web_config) == original
    store = web_app.extensions[KEY].store
    assert store.read(lambda c: recent_changes(c, store.tables)) == []


def test_a_rule_file_with_a_problem_cannot_be_saved(admin, web_config):
    client, token = admin
    original = _totals(web_config)
    answer = _form(client, token, _index_of(web_config, TOTALS), "save", original.replace(*MISSPELT))
    assert answer.status_code == 422
    assert "写法问题" in answer.get_data(as_text=True)
    assert _totals(web_config) == original


def test_the_preview_says_so_when_there_is_no_batch(admin, web_config):
    client, token = admin
    answer = _previewed(client, token, _totals(web_config))
    assert answer["summary"] is None and "还没有审核完成的批次" in answer["reason"]
    assert answer["state"] == "failed"


def _batch(web_app, config: WebConfig):
    """A batch as the office's runner leaves it: its inputs under data_dir/batches/<id>/inputs/, its
    run recorded in the store, its row done. The audit's findings, as the CLI's findings.json has them."""
    store = web_app.extensions[KEY].store
    batches = store.tables["batches"]
    batch_id = store.write(lambda c: c.execute(insert(batches).values(
        created_at=datetime.now(UTC), created_by=ADMIN[0], title="测试批次", state="running", total=len(BATCH_REPORTS),
        done=0)).inserted_primary_key[0])
    inputs = config.data_dir / "batches" / str(batch_id) / "inputs"
    inputs.mkdir(parents=True)
    for name in BATCH_REPORTS:
        shutil.copy(REPORTS / name, inputs / name)
    run = run_audit([inputs], config.rules_dir, None, store)
    store.write(lambda c: c.execute(update(batches).where(batches.c.id == batch_id).values(
        state="done", run=store.recorded, finished_at=datetime.now(UTC))))
    return batch_id, run


def test_fix_preview_and_save(admin, web_app, web_config):
    client, token = admin
    batch_id, run = _batch(web_app, web_config)
    original = _totals(web_config)
    index = _index_of(web_config, TOTALS)
    # Broken, then fixed: the check answers the problem, then none.
    assert _api(client, token, "check", original.replace(*MISSPELT)).get_json()["problems"]
    # The fix: TOT-001 under a new id. Every one of its findings in the batch is removed under the
    # old id and added under the new, and no other rule's finding moves.
    edited = original.replace("TOT-001", "TOT-901")
    assert _api(client, token, "check", edited).get_json()["problems"] == []
    tested = _api(client, token, "test", edited).get_json()
    assert tested["passed"] is True, (tested["failure"], [c for c in tested["cases"] if not c["passed"]])
    found = [(audit.report.source, f) for audit in run.audits for f in audit.findings if f.rule == "TOT-001"]
    assert found, "the batch must have TOT-001 findings for the preview to show something"
    reports = len({source for source, _ in found})
    preview = _previewed(client, token, edited)
    assert preview["state"] == "done" and preview["reason"] is None and preview["batch"] == batch_id
    assert preview["summary"] == f"会新增 {len(found)} 项问题，涉及 {reports} 份报告；减少 {len(found)} 项"
    assert preview["compared"] == len(BATCH_REPORTS) and preview["not_compared"] == []
    assert sorted((a["source"], a["message"]) for a in preview["removed"]) == \
        sorted((Path(source).name, f.message) for source, f in found)
    assert {a["rule"] for a in preview["added"]} == {"TOT-901"}
    assert {r["rule"] for r in preview["removed"]} == {"TOT-001"}
    assert preview["summary"] in preview["html"]
    # What TOT-001 could not check in the batch, TOT-901 cannot either: a new rule's checks not run.
    assert sorted((u["source"], u["rule"], u["what"]) for u in preview["unchecked"]) == \
        sorted((Path(audit.report.source).name, "TOT-901", s.reason) for audit in run.audits for s in audit.skipped
               if s.rule == "TOT-001")
    # A formula made to read the prior year's report, which no report of the batch has: its checks are
    # listed as not checked, never as findings gone.
    prior = _previewed(client, token, original.replace("      收到: 本年新收 + 上年结转",
                                                       "      收到: 本年新收 + 上年.结转下年度"))
    assert {(u["source"], u["rule"]) for u in prior["unchecked"]} == {(name, "TOT-002") for name in BATCH_REPORTS}, \
        (prior["reason"], prior["not_compared"], prior["unchecked"])
    assert all("上一年度" in u["what"] for u in prior["unchecked"])
    assert "改后无法运行" in prior["html"]
    # The same on the form (no script), then saved.
    started = _form(client, token, index, "preview", edited)
    assert started.status_code == 303, started.get_data(as_text=True)
    page = _page_when_finished(client, started.headers["Location"])
    assert preview["summary"] in page
    checker = web_app.extensions[KEY].services
    spy = checker["checker"] = Spy(checker.get("checker"))
    answer = _form(client, token, index, "save", edited, note="测试改名")
    assert answer.status_code == 302, answer.get_data(as_text=True)
    assert _totals(web_config) == edited
    assert spy.reloads == 1
    store = web_app.extensions[KEY].store
    [change] = store.read(lambda c: recent_changes(c, store.tables))
    assert (change.by, change.file, change.before, change.after) == (ADMIN[0], TOTALS, original, edited)
    assert change.summary == "新增 TOT-901；删除 TOT-001；说明：测试改名"
    saved = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert 'id="save-result"' in saved and "已保存 totals.yaml" in saved
    index_page = client.get("/office/rules/").get_data(as_text=True)
    assert "新增 TOT-901；删除 TOT-001" in index_page and ADMIN[0] in index_page
    diff = client.get(f"/office/rules/changes/{change.id}").get_data(as_text=True)
    assert "+- id: TOT-901" in diff and "-- id: TOT-001" in diff
    assert not [p for p in web_config.rules_dir.iterdir() if p.suffix == ".saving"]
    assert load_rules(web_config.rules_dir)  # the folder saved is one the audit can use


def test_a_save_over_a_change_made_since_the_file_was_opened_is_refused(admin, web_config):
    client, token = admin
    index = _index_of(web_config, TOTALS)
    original = _totals(web_config)
    page = client.get(f"/office/rules/files/{index}").get_data(as_text=True)
    base = page.split('name="base" value="', 1)[1].split('"', 1)[0]
    (web_config.rules_dir / TOTALS).write_text(original + "\n# 另一位管理员的修改\n", encoding="utf-8")
    answer = _form(client, token, index, "save", original.replace("TOT-001", "TOT-901"), base=base)
    assert answer.status_code == 409
    assert "已被修改" in answer.get_data(as_text=True)
    assert _totals(web_config).endswith("# 另一位管理员的修改\n")


def test_a_post_without_the_csrf_token_is_refused(admin, web_config):
    client, _ = admin
    assert client.post("/api/office/rules/check", json={"file": TOTALS, "text": ""}).status_code == 400
    assert client.post(f"/office/rules/files/{_index_of(web_config, TOTALS)}",
                       data={"action": "save", "text": "", "base": ""}).status_code == 400


def test_a_save_that_cannot_be_recorded_leaves_the_file_as_it_was(admin, web_app, web_config, monkeypatch):
    from engine.history.errors import HistoryError
    from engine.web import rules_editor

    def unwritable(*_):
        raise HistoryError("审核历史库无法写入（测试）")
    monkeypatch.setattr(rules_editor, "record_change", unwritable)
    client, token = admin
    name = "blank_cells.yaml"
    original = (web_config.rules_dir / name).read_text(encoding="utf-8")
    answer = _form(client, token, _index_of(web_config, name), "save", original + "# 一行注释\n")
    assert answer.status_code == 503
    assert "文件已恢复原样" in answer.get_data(as_text=True)
    assert (web_config.rules_dir / name).read_text(encoding="utf-8") == original


def test_the_preview_on_a_batch_uploaded_in_the_office(admin, web_app, web_config):
    """The office's own batch (uploaded, audited by the runner, recorded): each report shown by the name
    it was uploaded under, and the counts those of the run recorded for the batch."""
    client, token = admin
    answer = client.post("/office/batches", content_type="multipart/form-data", data={
        "csrf_token": token, "title": "预览用",
        "files": [(io.BytesIO((REPORTS / name).read_bytes()), name) for name in BATCH_REPORTS]})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    batch_id = int(answer.headers["Location"].rsplit("/", 1)[1])
    deadline = time.monotonic() + 300
    while (state := client.get(f"/api/office/batches/{batch_id}").get_json()["state"]) not in ("done", "failed"):
        assert time.monotonic() < deadline, "the batch was not audited in time"
        time.sleep(0.5)
    assert state == "done"
    store = web_app.extensions[KEY].store
    findings, inputs = store.tables["findings"], store.tables["inputs"]
    run = store.read(lambda c: c.execute(select(store.tables["batches"].c.run)
                                         .where(store.tables["batches"].c.id == batch_id)).scalar_one())
    recorded = store.read(lambda c: c.execute(
        select(inputs.c.source).join(findings, (findings.c.run == inputs.c.run) & (findings.c.number == inputs.c.number))
        .where((findings.c.run == run) & (findings.c.rule == "TOT-001"))).scalars().all())
    assert recorded and all(web_config.data_dir.resolve() in Path(s).resolve().parents for s in recorded)
    runs = [found.id for found in store.runs()]
    preview = _previewed(client, token, _totals(web_config).replace("TOT-001", "TOT-901"))
    assert [found.id for found in store.runs()] == runs  # a preview is no audit of the office's: not recorded
    assert preview["batch"] == batch_id and preview["compared"] == len(BATCH_REPORTS)
    assert preview["summary"] == \
        f"会新增 {len(recorded)} 项问题，涉及 {len(set(recorded))} 份报告；减少 {len(recorded)} 项"
    assert {r["source"] for r in preview["removed"]} <= set(BATCH_REPORTS)
    assert "2020-周村区科技局.txt" in {r["source"] for r in preview["removed"]}


def test_a_preview_past_its_time_stops_and_says_so(admin, web_app, web_config):
    client, token = admin
    _batch(web_app, web_config)
    web_app.extensions[KEY].config = replace(web_config, preview_seconds=0.0)
    answer = _previewed(client, token, _totals(web_config))
    assert answer["state"] == "failed" and answer["limit"] == 0.0
    assert answer["summary"] is None and answer["added"] == [] and answer["removed"] == []
    assert "预览超过 0 秒" in answer["reason"] and "没有结果" in answer["html"]


#: Another admin, who must not see the first one's previews.
OTHER_ADMIN = ("管理员丙", "admin-password-3")


class Held:
    """A preview's progress held at its first report done, until released: the job is then surely running."""

    def __init__(self, monkeypatch) -> None:
        self.reached, self.released = threading.Event(), threading.Event()
        reported = PreviewJob.progressed

        def progressed(job, stage: str, done: int, total: int) -> None:
            reported(job, stage, done, total)
            if done == 1:
                self.reached.set()
                assert self.released.wait(300)
        monkeypatch.setattr(PreviewJob, "progressed", progressed)


def _other_admin(web_app):
    store = web_app.extensions[KEY].store
    store.write(lambda c: accounts.add_account(c, store.tables, OTHER_ADMIN[0], accounts.ADMIN, OTHER_ADMIN[1]))
    client = web_app.test_client()
    return client, log_in(client, OTHER_ADMIN)


def test_a_preview_is_polled_for_its_progress_then_gives_what_the_preview_gives(admin, web_app, web_config,
                                                                                 monkeypatch):
    client, token = admin
    _batch(web_app, web_config)
    held = Held(monkeypatch)
    edited = _totals(web_config).replace("TOT-001", "TOT-901")
    started = _api(client, token, "preview", edited)
    assert started.status_code == 202
    job = started.get_json()
    assert job["state"] == "running" and len(job["job"]) >= 32  # an unguessable token
    assert held.reached.wait(300), "the preview's audit did not start"
    running = client.get(job["url"]).get_json()
    assert (running["state"], running["stage"], running["done"], running["total"]) == \
        ("running", "读取并审核", 1, len(BATCH_REPORTS))
    assert running["limit"] == web_config.preview_seconds and "summary" not in running
    assert f"读取并审核 1/{len(BATCH_REPORTS)} 份" in running["html"] and 'id="preview-summary"' not in running["html"]
    page = client.get(f"/office/rules/previews/{job['job']}").get_data(as_text=True)
    assert f"1/{len(BATCH_REPORTS)} 份" in page and 'id="preview-reload"' in page
    # One at a time for an account; another admin neither sees it nor passes the overall bound.
    again = _api(client, token, "preview", edited)
    assert again.status_code == 409 and "上一次预览还在进行" in again.get_json()["error"]
    other, other_token = _other_admin(web_app)
    assert other.get(job["url"]).status_code == 404
    assert other.get(f"/office/rules/previews/{job['job']}").status_code == 404
    monkeypatch.setattr(rule_jobs, "RUNNING_AT_ONCE", 1)
    busy = _api(other, other_token, "preview", edited)
    assert busy.status_code == 503 and "已有 1 次预览正在进行" in busy.get_json()["error"]
    assert busy.headers["Retry-After"]
    held.released.set()
    answer = _polled(client, job["url"])
    assert answer["state"] == "done" and other.get(job["url"]).status_code == 404
    # What the preview itself gives for the same text, run here.
    config = web_app.extensions[KEY].config
    file = next(f for f in rule_file_list(config.rules_dir) if f.name == TOTALS)
    direct = rule_preview.preview(web_app.extensions[KEY].store, config.data_dir, config.rules_dir, file, edited,
                                  Limits(config.jobs, config.check_seconds, config.preview_seconds),
                                  lambda *_: None)
    assert direct.reason is None and direct.added
    assert answer["summary"] == direct.summary and answer["compared"] == direct.compared == len(BATCH_REPORTS)

    def listed(differences) -> list[tuple]:
        return [(d.source, d.body, d.rule, d.place, d.what) for d in differences]
    for key in ("added", "removed", "unchecked"):
        assert [(d["source"], d["body"], d["rule"], d["place"], d["what"]) for d in answer[key]] == \
            listed(getattr(direct, key)), key
    assert answer["not_compared"] == [] and direct.not_compared == []


def test_a_finished_preview_is_forgotten_after_a_while_or_when_the_next_starts(admin, web_app, monkeypatch):
    client, token = admin
    first = _api(client, token, "preview", "").get_json()
    assert _polled(client, first["url"])["state"] == "failed"  # no batch yet
    second = _api(client, token, "preview", "").get_json()
    assert client.get(first["url"]).status_code == 404  # an account keeps its last preview only
    assert _polled(client, second["url"])["state"] == "failed"
    monkeypatch.setattr(rule_jobs, "KEEP_SECONDS", 0.0)
    gone = client.get(second["url"])
    assert gone.status_code == 404 and "重新预览" in gone.get_json()["error"]
    assert client.get("/api/office/rules/previews/not-a-job").status_code == 404


def test_a_preview_running_when_the_server_stops_says_so(admin, web_app, web_config, monkeypatch):
    client, token = admin
    _batch(web_app, web_config)
    held = Held(monkeypatch)
    job = _api(client, token, "preview", _totals(web_config)).get_json()
    assert held.reached.wait(300), "the preview's audit did not start"
    closing = threading.Thread(target=rule_jobs.jobs(web_app.extensions[KEY]).close)
    closing.start()
    deadline = time.monotonic() + 30
    while (refused := _api(client, token, "preview", _totals(web_config))).status_code == 409:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert refused.status_code == 503 and "服务器正在停止" in refused.get_json()["error"]
    held.released.set()
    closing.join(60)
    answer = _polled(client, job["url"])
    assert answer["state"] == "failed" and answer["summary"] is None and answer["added"] == []
    assert "服务器正在停止，预览已中止" in answer["reason"]

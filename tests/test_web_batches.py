"""Batches in the office's pages (issue 11, point 2): uploaded as files or a zip, audited in the
background by the app's runner as ``ogi-audit audit`` audits them, progress in the store, every file
not audited listed with its reason, and a batch a stopped server left running never shown as done."""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import time
import zipfile
from functools import partial
from pathlib import Path
from urllib.parse import quote

import pytest

import engine.web.batches
from engine import RULES_DIR
from engine.audit import run_audit
from engine.batch.pipeline import Batch
from engine.batch.pool import LocalPool
from engine.history import web_batches
from engine.history.store import HistoryStore
from engine.web.app import close_app, create_app
from engine.web.batches import BATCH_NICENESS, INTERRUPTED, BatchFolder, RowProgress, audit_batch, in_background
from engine.web.config import WebConfig
from web_support import add_accounts, log_in, web_app, web_config  # noqa: F401 (fixtures)

SAMPLES = sorted((Path(__file__).resolve().parent.parent / "reports").iterdir())
#: Long enough for the 8 samples on a loaded machine, with one worker process.
PATIENCE = 240.0


def upload(client, token: str, files: list[tuple[str, bytes]], title: str = "样本") -> int:
    """Upload ``files`` (name, bytes) as one batch; its id (the upload redirects to its page)."""
    answer = client.post("/office/batches", content_type="multipart/form-data",
                         data={"csrf_token": token, "title": title,
                               "files": [(io.BytesIO(data), name) for name, data in files]})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    found = re.fullmatch(r"/office/batches/(\d+)", answer.headers["Location"])
    assert found, answer.headers["Location"]
    return int(found.group(1))


def wait_finished(client, batch: int) -> dict:
    """The batch's progress once it is done or failed (polling the API as the batch page does)."""
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        answer = client.get(f"/api/office/batches/{batch}")
        assert answer.status_code == 200
        progress = answer.get_json()
        if progress["state"] in (web_batches.DONE, web_batches.FAILED):
            return progress
        time.sleep(0.2)
    raise AssertionError(f"batch {batch} not finished in {PATIENCE:g} s: {progress}")


def samples() -> list[tuple[str, bytes]]:
    return [(path.name, path.read_bytes()) for path in SAMPLES]


def zipped(files: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            archive.writestr(name, data)
    return buffer.getvalue()


def store_of(app) -> HistoryStore:
    return app.extensions["ogi-audit"].store


@pytest.fixture
def in_process(tmp_path):
    """An app that audits its batches in the runner's own thread (``jobs=0``): for the tests whose
    subject is not the worker processes, which the others use (``jobs=1``) as the office's server does."""
    config = WebConfig(db=str(tmp_path / "history.sqlite"), data_dir=tmp_path / "web", jobs=0)
    store = HistoryStore.open(config.db)
    add_accounts(store)
    app = create_app(config, store)
    yield app, config
    close_app(app)


def test_a_batch_of_files_is_audited_in_the_background_and_recorded(web_app, web_config):
    client = web_app.test_client()
    token = log_in(client)
    batch = upload(client, token, samples())
    progress = wait_finished(client, batch)
    assert progress["state"] == "done", progress
    assert progress["message"] == f"审核了 {len(SAMPLES)} 份报告。"
    store = store_of(web_app)
    runs = store.runs()
    assert [run.id for run in runs] == [progress["run"]]
    assert runs[0].reports == len(SAMPLES) and runs[0].unreadable == 0
    page = client.get(f"/office/batches/{batch}").get_data(as_text=True)
    assert 'id="batch-state" class="state-done">审核完成' in page
    for path in SAMPLES:
        assert f"<td>{path.name}</td>" in page  # each file under the name it was sent as
    folder = BatchFolder.of(web_config.data_dir, batch)
    assert sorted(p.relative_to(folder.rules) for p in folder.rules.rglob("*.yaml")) == \
        sorted(p.relative_to(RULES_DIR) for p in RULES_DIR.rglob("*.yaml"))  # the rules as they were at the start
    row = store.read(lambda c: web_batches.batch_row(c, store.tables, batch))
    assert (row.state, row.total, row.created_by, row.title, row.run) == ("done", len(SAMPLES), "管理员甲", "样本",
                                                                          progress["run"])


def test_a_zip_is_one_batch_and_every_file_not_audited_is_listed_with_why(web_app):
    client = web_app.test_client()
    token = log_in(client)
    archive = zipped(samples()[:2] + [("__MACOSX/._2020-周村区科技局.txt", b"\x00\x05\x16\x07"),
                                      ("说明.bin", bytes(range(256)) * 4)])
    batch = upload(client, token, [("样本.zip", archive)])
    assert wait_finished(client, batch)["state"] == "done"
    page = client.get(f"/office/batches/{batch}").get_data(as_text=True)
    assert f"<td>样本.zip/{SAMPLES[0].name}</td>" in page and f"<td>样本.zip/{SAMPLES[1].name}</td>" in page
    listed = re.search(r'<section id="not-audited".*?</section>', page, re.S).group(0)
    assert "未审核的文件（2 个）" in listed
    assert "样本.zip/__MACOSX/._2020-周村区科技局.txt" in listed and "隐藏文件或临时文件" in listed  # refused by the upload
    assert "样本.zip/说明.bin" in listed  # saved, and found unreadable by the audit
    assert "1 个文件未能审核" in page
    store = store_of(web_app)
    row = store.read(lambda c: web_batches.batch_row(c, store.tables, batch))
    assert (row.done, row.total) == (2, 3)  # reports audited of the files saved


def test_a_batch_with_nothing_readable_fails_and_says_why(in_process):
    client = in_process[0].test_client()
    token = log_in(client)
    batch = upload(client, token, [("乱码.dat", bytes(range(256)) * 8)])
    progress = wait_finished(client, batch)
    assert progress["state"] == "failed"
    assert "没有读取到任何年度报告" in progress["message"]
    page = client.get(f"/office/batches/{batch}").get_data(as_text=True)
    assert "审核失败" in page and "审核完成" not in page
    assert "<td>乱码.dat</td>" in page
    assert client.get(f"/office/batches/{batch}/notices").status_code == 404  # no results to show


def test_an_upload_past_the_size_limit_is_refused_whole(tmp_path):
    config = WebConfig(db=str(tmp_path / "history.sqlite"), data_dir=tmp_path / "web", jobs=1, batch_bytes=20_000)
    store = HistoryStore.open(config.db)
    add_accounts(store)
    app = create_app(config, store)
    try:
        client = app.test_client()
        token = log_in(client)
        answer = client.post("/office/batches", content_type="multipart/form-data",
                             data={"csrf_token": token,
                                   "files": [(io.BytesIO(data), name) for name, data in samples()]})
        assert answer.status_code == 413
        text = answer.get_data(as_text=True)
        assert "本批次未保存" in text and 'id="refused"' in text
        assert store.read(lambda c: web_batches.all_batches(c, store.tables)) == []
        assert not list((config.data_dir / "uploads").iterdir())  # nothing left behind
    finally:
        close_app(app)


def test_an_upload_without_files_is_refused(web_app):
    client = web_app.test_client()
    token = log_in(client)
    answer = client.post("/office/batches", data={"csrf_token": token, "title": "空"})
    assert answer.status_code == 400
    assert "请选择要审核的报告文件" in answer.get_data(as_text=True)


def test_a_batch_left_running_by_a_stopped_server_is_failed_at_the_next_start(tmp_path):
    config = WebConfig(db=str(tmp_path / "history.sqlite"), data_dir=tmp_path / "web", jobs=1)
    store = HistoryStore.open(config.db)
    add_accounts(store)
    batch = store.write(lambda c: web_batches.add_batch(c, store.tables, "中断的批次", "管理员甲", 8))
    store.write(lambda c: web_batches.started(c, store.tables, batch))
    app = create_app(config, store)  # the next start of the server
    try:
        row = store.read(lambda c: web_batches.batch_row(c, store.tables, batch))
        assert (row.state, row.message) == ("failed", INTERRUPTED)
        client = app.test_client()
        log_in(client)
        page = client.get(f"/office/batches/{batch}").get_data(as_text=True)
        assert "审核失败" in page and INTERRUPTED in page and "审核完成" not in page
    finally:
        close_app(app)


def test_a_queued_batch_shows_its_progress_and_a_reload_link(web_app):
    store = store_of(web_app)
    batch = store.write(lambda c: web_batches.add_batch(c, store.tables, "排队的批次", "管理员甲", 8))
    client = web_app.test_client()
    log_in(client)
    page = client.get(f"/office/batches/{batch}").get_data(as_text=True)
    assert '<progress id="batch-progress" max="8" value="0"' in page
    assert 'id="batch-reload"' in page and f'href="/office/batches/{batch}"' in page
    assert 'src="/static/office.js"' in page and "<script>" not in page
    assert client.get(f"/api/office/batches/{batch}").get_json() == {
        "id": batch, "title": "排队的批次", "state": "queued", "state_label": "排队等待", "stage": None, "done": 0,
        "total": 8, "message": None, "run": None, "url": f"/office/batches/{batch}"}


def test_progress_is_written_into_the_batchs_row(web_app):
    store = store_of(web_app)
    batch = store.write(lambda c: web_batches.add_batch(c, store.tables, "进度", "管理员甲", 3))
    store.write(lambda c: web_batches.started(c, store.tables, batch))

    def report(stage: str, done: int, total: int) -> None:
        store.write(lambda c: web_batches.progressed(c, store.tables, batch, stage, done, total))
    seen = []
    with RowProgress("读取并审核", 3, report) as progress:
        for _ in range(3):
            progress.advance()
            row = store.read(lambda c: web_batches.batch_row(c, store.tables, batch))
            seen.append((row.message, row.done, row.total))
    assert seen[0] == ("读取并审核", 1, 3) and seen[-1] == ("读取并审核", 3, 3)  # the first and the last always
    client = web_app.test_client()
    log_in(client)
    assert client.get(f"/api/office/batches/{batch}").get_json()["stage"] == "读取并审核"
    assert "读取并审核：3/3" in client.get(f"/office/batches/{batch}").get_data(as_text=True)


def test_names_of_uploads_are_data_never_paths(in_process):
    web_app, web_config = in_process
    client = web_app.test_client()
    token = log_in(client)
    sample = SAMPLES[0].read_bytes()
    batch = upload(client, token, [("../../../etc/2020-周村区科技局.txt", sample)])
    assert wait_finished(client, batch)["state"] == "done"
    folder = BatchFolder.of(web_config.data_dir, batch)
    assert [p.name for p in folder.inputs.iterdir()] == ["0001.txt"]
    assert json.loads(folder.names_file.read_text(encoding="utf-8")) == {"0001.txt": "2020-周村区科技局.txt"}
    assert "<td>2020-周村区科技局.txt</td>" in client.get(f"/office/batches/{batch}").get_data(as_text=True)


def test_a_rule_saved_while_a_batch_runs_does_not_change_it(tmp_path, monkeypatch):
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    config = WebConfig(db=str(tmp_path / "history.sqlite"), rules_dir=rules, data_dir=tmp_path / "web", jobs=0)
    store = HistoryStore.open(config.db)
    batch = store.write(lambda c: web_batches.add_batch(c, store.tables, "规则快照", "管理员甲", 1))
    folder = BatchFolder.of(config.data_dir, batch)
    folder.inputs.mkdir(parents=True)
    shutil.copy(SAMPLES[0], folder.inputs / "0001.txt")

    def audit_after_a_save(*args, **kwargs):
        (rules / "contact.yaml").write_text("rules: [这不是规则\n", encoding="utf-8")  # the editor saves, mid-batch
        return run_audit(*args, **kwargs)
    monkeypatch.setattr(engine.web.batches, "run_audit", audit_after_a_save)
    try:
        audit_batch(config, store, batch)
        row = store.read(lambda c: web_batches.batch_row(c, store.tables, batch))
        assert (row.state, row.message) == ("done", "审核了 1 份报告。")
        audited = json.loads((folder.out / "findings.json").read_text(encoding="utf-8"))[0]
        assert any(f["rule"].startswith("CON-") for f in audited["findings"])  # the contact rules as they were
    finally:
        store.close()


def test_a_done_batch_whose_results_are_gone_says_so(in_process):
    web_app, web_config = in_process
    client = web_app.test_client()
    token = log_in(client)
    batch = upload(client, token, samples()[:1])
    assert wait_finished(client, batch)["state"] == "done"
    shutil.rmtree(BatchFolder.of(web_config.data_dir, batch).out)
    for url in (f"/office/batches/{batch}", "/office/"):
        page = client.get(url).get_data(as_text=True)
        assert "审核结果文件已不在服务器上" in page and 'id="batch-reports"' not in page, url
    assert client.get(f"/office/batches/{batch}/reports/1").status_code == 404


def test_a_batch_under_a_broken_rule_file_fails_with_the_problem(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    (rules / "contact.yaml").write_text("rules: [这不是规则\n", encoding="utf-8")
    config = WebConfig(db=str(tmp_path / "history.sqlite"), rules_dir=rules, data_dir=tmp_path / "web", jobs=0)
    store = HistoryStore.open(config.db)
    add_accounts(store)
    app = create_app(config, store)
    try:
        client = app.test_client()
        batch = upload(client, log_in(client), samples()[:1])
        progress = wait_finished(client, batch)
        assert progress["state"] == "failed"
        assert progress["message"].startswith("规则文件有误，未进行审核：\n") and "contact.yaml" in progress["message"]
        assert store.runs() == []  # nothing recorded
        page = client.get(f"/office/batches/{batch}").get_data(as_text=True)
        assert "审核失败" in page and "contact.yaml" in page and "审核完成" not in page
    finally:
        close_app(app)


def _text_of(path: Path) -> str:
    """What a person reads in a result file: its text, a Word file's document part."""
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as document:
            return document.read("word/document.xml").decode("utf-8")
    return path.read_text(encoding="utf-8") if path.suffix in (".html", ".json", ".csv", ".sarif") else ""


def test_results_show_each_file_by_the_name_it_was_sent_under_never_the_servers_path(web_app, web_config,
                                                                                      monkeypatch):
    """And the rules by their files' places among the rules, not the path of the batch's copy."""
    reused = []
    given = Batch.reusable
    monkeypatch.setattr(Batch, "reusable", lambda self, *a: reused.append(given(self, *a)) or reused[-1])
    client = web_app.test_client()
    token = log_in(client)
    first, again = SAMPLES[0], SAMPLES[1]
    files = [("样本.zip", zipped(samples())), (again.name, again.read_bytes()),
             (again.name, SAMPLES[2].read_bytes())]  # two files sent under one name
    batches = [upload(client, token, files), upload(client, token, files)]  # the second reuses the first's audits
    for batch in batches:
        assert wait_finished(client, batch)["state"] == "done"
        out = BatchFolder.of(web_config.data_dir, batch).out
        written = {path: _text_of(path) for path in out.rglob("*") if path.is_file()}
        assert any(path.suffix == ".docx" for path in written)
        for path, text in written.items():
            assert "inputs/" not in text and "/batches/" not in text, path
        shown = [item["source"] for item in json.loads((out / "findings.json").read_text(encoding="utf-8"))]
        assert shown == [f"样本.zip/{path.name}" for path in SAMPLES] + [again.name, f"{again.name}（同名第2个）"]
        page = client.get(f"/office/batches/{batch}").get_data(as_text=True)
        assert f"<td>样本.zip/{first.name}</td>" in page and f"<td>{again.name}（同名第2个）</td>" in page
        report = (out / "reports" / "0002.html").read_text(encoding="utf-8")  # the zip is 0001
        assert f"<dt>来源文件</dt><dd>样本.zip/{first.name}</dd>" in report
        catalogue = (out / "rules.html").read_text(encoding="utf-8")
        assert re.search(r'<span class="muted">blank_cells\.yaml:\d+:\d+</span>', catalogue)  # as the editor lists it
        frames = set()
        for number in range(1, len(shown) + 1):  # each report's own page, framed and served
            view = client.get(f"/office/batches/{batch}/reports/{number}").get_data(as_text=True)
            frames.add(re.search(r'<iframe id="report-page" class="report" src="([^"]+)"', view).group(1))
        assert len(frames) == len(shown) and all(client.get(frame).status_code == 200 for frame in frames)
        notice = client.get(f"/office/batches/{batch}/notices/1/word")  # 周村区's, as the browser test has it
        assert notice.status_code == 200 and quote(first.stem) in notice.headers["Content-Disposition"]
    assert [len(found) for found in reused] == [0, len(SAMPLES) + 2]  # pages of reused audits: the files read again


def test_a_batchs_workers_run_at_a_lower_priority_than_the_server():
    """So that on a busy machine an agency's self-check, which someone waits on, gets the processor."""
    pool = LocalPool(1, warm=partial(in_background, str(RULES_DIR)))
    try:
        [(_, niceness)] = list(pool.run(os.nice, [0]))  # nice(0) gives the worker's niceness
    finally:
        pool.close()
    assert niceness == min(19, os.nice(0) + BATCH_NICENESS)

"""The agencies' self-check over HTTP (issue 11, point 1; the upload parts of point 4): the findings are
the CLI's for the same file, nothing is kept, and a hostile upload is handled safely.

The answers are compared with ``ogi-audit audit FILE --no-db --json`` run on the same file (a
self-check consults no history store), ``source`` aside: the CLI names the path it was given, the
self-check the name the file was sent under.
"""
from __future__ import annotations

import html
import io
import json
import multiprocessing
import os
import re
import threading
import time
import zipfile
from pathlib import Path

import pytest

from engine.cli import main
from engine.history.store import HistoryStore
from engine.web import checker as checker_module
from engine.web.app import close_app, create_app
from engine.web.config import WebConfig
from web_support import token_of

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "reports"
TEXT = REPORTS / "2020-周村区科技局.txt"
PDF = REPORTS / "2024-淮安市人民政府.pdf"
PAGE = ROOT / "tests" / "samples" / "fixtures" / "html" / "linchuan-2022-page.html"
SCRIPT = "<script>alert(1)</script>"
WORD_TEMPLATE = ROOT / "tests" / "samples" / "fixtures" / "template-2021.docx"


def _app(folder: Path, **settings):
    config = WebConfig(**{"db": str(folder / "history.sqlite"), "data_dir": folder / "web", "jobs": 1, **settings})
    app = create_app(config, HistoryStore.open(config.db))
    app.testing = True
    return app


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """One app for the module: its worker, once started, serves every test's checks."""
    made = _app(tmp_path_factory.mktemp("check"))
    yield made
    close_app(made)


def leftovers(app) -> list[object]:
    """What the self-checks left: files under the data folder, runs or notice numbers in the store.
    Must be nothing."""
    web = app.extensions["ogi-audit"]
    store = web.store

    def rows(connection) -> list[object]:
        return [row for name in ("runs", "notice_numbers") for row in connection.execute(store.tables[name].select())]
    return list((web.config.data_dir / "check").rglob("*")) + store.read(rows)


def cli_items(tmp_path: Path, *paths: Path) -> list[dict]:
    out = tmp_path / "cli.json"
    main(["audit", *map(str, paths), "--no-db", "--quiet", "--json", str(out), "-o", str(tmp_path / "cli"),
          "--outputs", "json"])
    return json.loads(out.read_text(encoding="utf-8"))


def as_sent(item: dict, name: str) -> dict:
    return {**item, "source": name}


def post_api(app, data: bytes, name: str):
    return app.test_client().post("/api/check", data={"file": (io.BytesIO(data), name)})


@pytest.mark.parametrize("path", [TEXT, PDF, PAGE], ids=["text", "pdf", "web page"])
def test_the_api_gives_the_clis_findings_for_the_report(app, tmp_path, path):
    answer = post_api(app, path.read_bytes(), path.name)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.mimetype == "application/json"
    [expected] = cli_items(tmp_path, path)
    assert answer.get_json() == as_sent(expected, path.name)
    assert answer.get_json()["findings"] or answer.get_json()["skipped"], "a blank answer would prove nothing"
    assert leftovers(app) == []


def test_the_page_shows_the_report_page_and_a_notice_preview(app, tmp_path):
    client = app.test_client()
    form = client.get("/check").get_data(as_text=True)
    assert "文本（.txt）" in form and "20 MB" in form and 'type="file"' in form
    answer = client.post("/check", data={"file": (io.BytesIO(TEXT.read_bytes()), TEXT.name),
                                         "csrf_token": token_of(form)})
    assert answer.status_code == 200
    text = answer.get_data(as_text=True)
    [expected] = cli_items(tmp_path, TEXT)
    frames = [html.unescape(frame) for frame in re.findall(r'<iframe [^>]*srcdoc="([^"]*)"', text)]
    page, notice = frames
    for finding in expected["findings"]:
        assert html.escape(finding["message"], quote=False) in page
    errors = sum(1 for finding in expected["findings"] if finding["severity"] == "error")
    assert f"错误 {errors} 项" in text
    assert "整改通知书预览" in text and "预览：" in notice
    assert re.findall(r'<p class="number">([^<]*)</p>', notice) == ["（预览，不编号）"], "a preview takes no number"
    assert 'sandbox srcdoc=' in text
    # Links within the page scroll its frame; those to the CLI's other files (none here) are text.
    assert 'href="about:srcdoc#skipped"' in page and 'href="#' not in page and 'href="../' not in page
    assert leftovers(app) == []


def test_the_form_needs_its_csrf_token_and_the_api_does_not(app):
    client = app.test_client()
    refused = client.post("/check", data={"file": (io.BytesIO(TEXT.read_bytes()), TEXT.name)})
    assert refused.status_code == 400 and "安全校验码" in refused.get_data(as_text=True)
    assert post_api(app, TEXT.read_bytes(), TEXT.name).status_code == 200
    assert leftovers(app) == []


def test_a_request_without_a_file_is_told_what_to_send(app):
    answer = app.test_client().post("/api/check", data={})
    assert answer.status_code == 400 and "file" in answer.get_json()["error"]
    client = app.test_client()
    token = token_of(client.get("/check").get_data(as_text=True))
    page = client.post("/check", data={"csrf_token": token})
    assert page.status_code == 400 and "请选择要自查的年度报告文件" in page.get_data(as_text=True)


@pytest.mark.parametrize("name", ["../../etc/passwd", "..\\x.txt", "/tmp/evil\x00.txt"])
def test_a_name_with_a_path_is_saved_under_ours_inside_the_check_folder(app, monkeypatch, name):
    checker = app.extensions["ogi-audit"].services["checker"]
    seen = []
    real = checker.check

    def spy(upload, pages):
        seen.append((upload.path, upload.path.exists(), upload.name))
        return real(upload, pages)
    monkeypatch.setattr(checker, "check", spy)
    answer = post_api(app, TEXT.read_bytes(), name)
    assert answer.status_code == 200
    [(path, existed, shown)] = seen
    check_folder = app.extensions["ogi-audit"].config.data_dir / "check"
    assert existed and path.parent.parent == check_folder and re.fullmatch(r"\d{4}\.txt", path.name)
    assert shown == answer.get_json()["source"] and "/" not in shown and "\\" not in shown and "\x00" not in shown
    assert leftovers(app) == []


def test_an_oversized_upload_is_answered_413_and_nothing_is_kept(tmp_path):
    small = _app(tmp_path, check_bytes=10_000)
    try:
        client = small.test_client()
        just_over = post_api(small, b"x" * 10_001, "大.txt")  # the request fits, the file does not
        assert just_over.status_code == 413 and "10,000 字节" in just_over.get_json()["error"]
        far_over = post_api(small, b"x" * 200_000, "更大.txt")  # refused before the body is read
        assert far_over.status_code == 413 and "10,000 字节" in far_over.get_json()["error"]
        token = token_of(client.get("/check").get_data(as_text=True))
        page = client.post("/check", data={"file": (io.BytesIO(b"x" * 10_001), "大.txt"), "csrf_token": token})
        assert page.status_code == 413 and "大小上限" in page.get_data(as_text=True)
        # Far over: cut off before the CSRF check reads the form, so no token is needed to be refused.
        unread = client.post("/check", data={"file": (io.BytesIO(b"x" * 200_000), "更大.txt")})
        assert unread.status_code == 413
        assert leftovers(small) == []
    finally:
        close_app(small)


def test_a_web_page_with_a_script_is_read_as_text_and_the_script_only_shown_escaped(app, tmp_path):
    hostile = PAGE.read_bytes().replace(b"<body", SCRIPT.encode() + b"<body", 1)
    name = "<b onmouseover=alert(1)>报告.html"
    client = app.test_client()
    token = token_of(client.get("/check").get_data(as_text=True))
    page = client.post("/check", data={"file": (io.BytesIO(hostile), name), "csrf_token": token})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert SCRIPT not in text and "alert(1)</script>" not in text
    assert name not in text and html.escape(name, quote=False) in text  # the name, shown as text
    answer = post_api(app, hostile, name)
    assert answer.status_code == 200 and answer.get_json()["format"] is not None
    copy = tmp_path / "page.html"
    copy.write_bytes(hostile)
    [expected] = cli_items(tmp_path, copy)
    assert answer.get_json() == as_sent(expected, name)
    assert leftovers(app) == []


#: Files that are no report to audit, each of a kind the readers refuse for its own reason.
NOT_REPORTS = {"random bytes": ("噪声.txt", bytes((i * 7919 + 13) % 256 for i in range(5000))),
               "blank Word template": ("模板.docx", WORD_TEMPLATE.read_bytes()),
               "picture": ("扫描件.pdf", b"\x89PNG\r\n\x1a\n" + bytes(200)),
               "empty file": ("空.txt", b"")}


@pytest.mark.parametrize("name, data", NOT_REPORTS.values(), ids=NOT_REPORTS.keys())
def test_a_file_that_is_no_report_gets_the_clis_reason_and_never_a_pass(app, tmp_path, name, data):
    not_audited_as_the_cli_says(app, tmp_path, name, data)


def test_a_word_file_whose_text_unpacks_to_100_mb_is_refused_as_the_cli_refuses_it(app, tmp_path):
    bomb = io.BytesIO()
    with zipfile.ZipFile(WORD_TEMPLATE) as template, \
            zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info in template.infolist():
            if info.filename != "word/document.xml":
                out.writestr(info, template.read(info))
        with out.open("word/document.xml", "w") as document:
            for _ in range(100):
                document.write(b" " * (1 << 20))
    assert len(bomb.getvalue()) < 1 << 20
    assert "过大" in not_audited_as_the_cli_says(app, tmp_path, "炸弹.docx", bomb.getvalue())["unreadable"]


def not_audited_as_the_cli_says(app, tmp_path: Path, name: str, data: bytes) -> dict:
    """``data`` sent as ``name``: not audited, with the reason the CLI's findings.json gives, from the
    API (422) and on the page, never shown as passed; nothing left behind. The API's answer."""
    answer = post_api(app, data, name)
    assert answer.status_code == 422
    item = answer.get_json()
    copy = tmp_path / name
    copy.write_bytes(data)
    unread = next(i for i in cli_items(tmp_path, TEXT, copy) if i.get("unreadable"))  # the CLI lists it so
    assert {k: v for k, v in item.items() if k != "error"} == as_sent(unread, name)
    assert item["error"] == f"未能审核：{unread['unreadable']}"
    client = app.test_client()
    token = token_of(client.get("/check").get_data(as_text=True))
    page = client.post("/check", data={"file": (io.BytesIO(data), name), "csrf_token": token})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "此文件未能审核" in text and html.escape(unread["unreadable"]) in text
    assert "不能视为合格" in text and "<iframe" not in text and "Traceback" not in text
    assert leftovers(app) == []
    return item


def test_a_zip_is_not_opened_by_a_self_check_but_refused_with_the_reason(app):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("报告.txt", TEXT.read_bytes())
    answer = post_api(app, data.getvalue(), "报告.zip")
    assert answer.status_code == 422 and "压缩包" in answer.get_json()["unreadable"]
    assert leftovers(app) == []


def test_checks_from_many_threads_at_once_each_get_their_own_answer(app, tmp_path):
    [expected] = cli_items(tmp_path, TEXT)
    answers: dict[int, object] = {}

    def check(n: int) -> None:
        data = TEXT.read_bytes() if n % 2 else b"\x00\xff" * 999
        answers[n] = post_api(app, data, f"{n}.txt")
    threads = [threading.Thread(target=check, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for n, answer in answers.items():
        if n % 2:
            assert answer.status_code == 200 and answer.get_json() == as_sent(expected, f"{n}.txt")
        else:
            assert answer.status_code == 422 and answer.get_json()["source"] == f"{n}.txt"
    assert leftovers(app) == []


def test_after_a_reload_checks_run_on_fresh_workers_with_the_same_answer(app, tmp_path):
    checker = app.extensions["ogi-audit"].services["checker"]
    before = post_api(app, TEXT.read_bytes(), TEXT.name).get_json()
    checker.reload()
    after = post_api(app, TEXT.read_bytes(), TEXT.name)
    assert after.status_code == 200 and after.get_json() == before


def test_a_file_that_runs_past_the_time_limit_holds_up_its_own_worker_only(tmp_path):
    """A report 1,000 times the sample's length (5.6 MB) takes about 6 s of CPU to parse on this machine:
    past a limit of 2 × 2 s it is stopped, tried once more in a fresh worker and answered as not
    audited, while another agency's check is answered meanwhile by the other worker, and the stopped
    slot checks again afterwards."""
    slow = _app(tmp_path, check_seconds=4.0, jobs=2)
    try:
        client = slow.test_client()
        client.get("/check")  # starts the workers
        answers: dict[str, object] = {}
        finished: list[str] = []

        def post(key: str, data: bytes) -> None:
            answers[key] = post_api(slow, data, f"{key}.txt")
            finished.append(key)
        hanging = threading.Thread(target=post, args=("slow", TEXT.read_bytes() * 1000))
        hanging.start()
        post("quick", TEXT.read_bytes())
        hanging.join()
        assert finished == ["quick", "slow"]
        assert answers["quick"].status_code == 200
        assert answers["slow"].status_code == 422
        assert "处理时间超过 2 秒，已停止" in answers["slow"].get_json()["unreadable"]
        assert post_api(slow, TEXT.read_bytes(), "again.txt").status_code == 200
        assert leftovers(slow) == []
    finally:
        close_app(slow)


def test_a_worker_that_dies_under_a_file_costs_that_check_only(tmp_path):
    """The worker checking a file is killed, then the fresh one that tries the file again: the agency
    is told its file was not audited and why, and the next check is answered as before."""
    dying = _app(tmp_path)
    try:
        before = {child.pid for child in multiprocessing.active_children()}
        answers = []
        check = threading.Thread(target=lambda: answers.append(post_api(dying, TEXT.read_bytes() * 200, "崩溃.txt")))
        check.start()
        for _ in range(2):
            worker = _new_worker(before)
            before.add(worker.pid)
            worker.kill()
        check.join()
        [answer] = answers
        assert answer.status_code == 422
        assert answer.get_json()["unreadable"].startswith("处理它的工作进程意外终止（信号 9）")
        assert post_api(dying, TEXT.read_bytes(), TEXT.name).status_code == 200
        assert leftovers(dying) == []
    finally:
        close_app(dying)


def _new_worker(known: set[int]) -> multiprocessing.Process:
    """The first worker process of this one not in ``known``, once there is one."""
    for _ in range(600):
        fresh = [child for child in multiprocessing.active_children() if child.pid not in known]
        if fresh:
            return fresh[0]
        threading.Event().wait(0.05)
    raise AssertionError("no worker was started")


def test_a_check_past_the_queue_limit_is_told_at_once_to_come_back(tmp_path, monkeypatch):
    """With the one worker busy and no room to wait (WAITING 0 here, 24 in the app), a check is answered
    503 at once with the reason, instead of holding a server thread."""
    monkeypatch.setattr(checker_module, "WAITING", 0)
    busy = _app(tmp_path, check_seconds=4.0)
    try:
        answers = []
        holding = threading.Thread(target=lambda: answers.append(post_api(busy, TEXT.read_bytes() * 400, "慢.txt")))
        holding.start()
        checker = busy.extensions["ogi-audit"].services["checker"]
        while checker._idle:  # noqa: SLF001 - until the slow check has taken the one worker
            threading.Event().wait(0.01)
        refused = post_api(busy, TEXT.read_bytes(), TEXT.name)
        assert refused.status_code == 503 and "请稍后再试" in refused.get_json()["error"]
        holding.join()
        assert answers[0].status_code == 422
        assert post_api(busy, TEXT.read_bytes(), TEXT.name).status_code == 200
        assert leftovers(busy) == []
    finally:
        close_app(busy)


def test_what_a_server_killed_mid_check_left_is_removed_when_one_starts(tmp_path):
    folder = tmp_path / "web" / "check"
    for name in ("old", "new"):
        (folder / name).mkdir(parents=True)
        (folder / name / "0001.txt").write_bytes(b"draft")
    two_hours_ago = time.time() - 7200
    os.utime(folder / "old", (two_hours_ago, two_hours_ago))
    started = _app(tmp_path)
    try:
        assert sorted(path.name for path in folder.iterdir()) == ["new"]  # another server's check, maybe
    finally:
        close_app(started)

"""The office's pages (issue 11, point 2) over a batch of the samples: the dashboard and the report
pages give what ``ogi-audit audit`` gives for the same files, a review is recorded as ``ogi-audit
review`` records it and holds in a later batch, the notices download as Word files that open, and a
body's history says what changed. One batch is uploaded for the module (an audit takes seconds); the
tests that change what it shows come after those that read it, in file order."""
from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import docx
import pytest

from engine.history.audits import AuditSummary
from engine.history.reading import RunSummary, StoredAudit
from engine.history.store import HistoryStore
from engine.history.figures import figures_json
from engine.model import Finding, Location, Report
from engine.web.app import close_app, create_app
from engine.web.config import WebConfig
from test_web_batches import SAMPLES, samples, upload, wait_finished
from web_support import ADMIN, add_accounts, log_in

BODY = "周村区科技局"
SEVERITIES = ("error", "warning", "info")


@dataclass
class Office:
    app: object
    config: WebConfig
    client: object
    token: str
    batch: int

    @property
    def store(self) -> HistoryStore:
        return self.app.extensions["ogi-audit"].store

    def page(self, url: str) -> str:
        answer = self.client.get(url)
        assert answer.status_code == 200, (url, answer.status_code)
        return answer.get_data(as_text=True)

    def number_of(self, body: str, batch: int | None = None) -> int:
        """The number of ``body``'s report in the batch, from the batch page's link to it."""
        batch = batch or self.batch
        page = self.page(f"/office/batches/{batch}")
        return int(re.search(rf'<a href="/office/batches/{batch}/reports/(\d+)">{body}</a>', page).group(1))


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> Office:
    folder = tmp_path_factory.mktemp("office")
    config = WebConfig(db=str(folder / "history.sqlite"), data_dir=folder / "web", jobs=1)
    store = HistoryStore.open(config.db)
    add_accounts(store)
    app = create_app(config, store)
    app.testing = True
    client = app.test_client()
    token = log_in(client)
    batch = upload(client, token, samples())
    progress = wait_finished(client, batch)
    assert progress["state"] == "done", progress
    yield Office(app, config, client, token, batch)
    close_app(app)


@pytest.fixture(scope="module")
def cli(tmp_path_factory) -> dict[str, dict]:
    """What ``ogi-audit audit`` gives for the samples: each file's report in findings.json, by file name."""
    out = tmp_path_factory.mktemp("cli")
    done = subprocess.run([sys.executable, "-m", "engine.cli", "audit", *map(str, SAMPLES), "-o", str(out), "--no-db",
                           "--jobs", "0", "--outputs", "json", "--quiet"], capture_output=True, text=True)
    assert done.returncode in (0, 1), done.stderr
    return {Path(item["source"]).name: item for item in json.loads((out / "findings.json").read_text(encoding="utf-8"))}


def _cells(row: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_the_dashboard_lists_every_sample_with_the_clis_counts(office, cli):
    page = office.page("/office/")
    assert "最近完成的批次：样本" in page
    rows = re.findall(r'<tr id="report-\d+">(.*?)</tr>', page, re.S)
    assert len(rows) == len(SAMPLES)
    for row in rows:
        cells = _cells(row)
        item = cli[cells[3]]
        counts = Counter(f["severity"] for f in item["findings"])
        assert cells[1].startswith(item["body"]) and cells[2] == str(item["year"])
        assert [int(n) for n in cells[4:7]] == [counts[s] for s in SEVERITIES], cells
        assert int(cells[8]) == len(item["skipped"])
    assert f'<a href="/office/batches/{office.batch}">样本</a>' in page  # the batch list, linked


def test_a_report_page_shows_the_clis_page_beside_the_findings(office, cli):
    number = office.number_of(BODY)
    page = office.page(f"/office/batches/{office.batch}/reports/{number}")
    frame = re.search(r'<iframe id="report-page" class="report" src="([^"]+)"', page).group(1)
    assert frame == f"/office/batches/{office.batch}/files/reports/{number:04d}.html"
    shown = re.findall(r'<li id="finding-([0-9a-f]{16})"', page)
    assert shown == [f["fingerprint"] for f in cli[f"2020-{BODY}.txt"]["findings"]]
    served = office.client.get(frame)
    assert served.status_code == 200 and served.mimetype == "text/html"
    policy = served.headers["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy and "script-src" not in policy and "default-src 'none'" in policy
    assert served.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert BODY in served.get_data(as_text=True)
    assert page.count('<label for="reason-') == len(shown) and page.count(">排除</button>") == len(shown)
    for finding in cli[f"2020-{BODY}.txt"]["findings"]:
        item = re.search(rf'<li id="finding-{finding["fingerprint"]}".*?</li>', page, re.S).group(0)
        assert html.escape(finding["message"], quote=False) in item
        if finding["location"]["quote"]:
            assert f'原文：{html.escape(finding["location"]["quote"])}' in item


def test_the_engines_dashboard_may_run_its_own_script_and_no_other(office):
    served = office.client.get(f"/office/batches/{office.batch}/files/index.html")
    assert served.status_code == 200
    scripts = re.findall(r"<script>(.*?)</script>", served.get_data(as_text=True), re.S)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode("utf-8")).digest()).decode("ascii")
    assert served.headers["Content-Security-Policy"].endswith(f"script-src 'sha256-{digest}'")
    report = office.client.get(f"/office/batches/{office.batch}/files/reports/0001.html")
    assert "script-src" not in report.headers["Content-Security-Policy"]


@pytest.mark.parametrize("name", ["findings.json", "names.json", "../names.json", "reports/../../names.json",
                                  "inputs/0001.txt", "../inputs/0001.txt", "/etc/passwd", ".ogi-audit-manifest.json",
                                  "reports/0099.html"])
def test_only_the_files_the_batchs_manifest_lists_are_served(office, name):
    # (a doubled slash is first redirected to the merged path by Werkzeug, which is then not found)
    assert office.client.get(f"/office/batches/{office.batch}/files/{name}", follow_redirects=True).status_code == 404


def test_an_unknown_batch_or_report_is_not_found(office):
    for url in ("/office/batches/999", f"/office/batches/{office.batch}/reports/99",
                f"/office/batches/{office.batch}/reports/0", "/api/office/batches/999",
                f"/office/batches/{office.batch}/notices/99/word"):
        assert office.client.get(url).status_code == 404, url


def test_the_notice_downloads_as_a_word_file_that_opens(office):
    number = office.number_of(BODY)
    notices = office.page(f"/office/batches/{office.batch}/notices")
    row = re.search(rf'<tr id="notice-{number}">(.*?)</tr>', notices, re.S).group(1)
    assert ">下载 Word</a>" in row and ">预览</a>" in row and "标记为已发送" in row
    answer = office.client.get(f"/office/batches/{office.batch}/notices/{number}/word")
    assert answer.status_code == 200
    disposition = answer.headers["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="notice-{office.batch}-{number}.docx"; filename*=UTF-8\'\'')
    assert disposition.isascii()
    assert disposition.endswith("filename*=UTF-8''" + quote(f"2020-{BODY}-整改通知书.docx"))  # the name uploaded
    framed = office.client.get(f"/office/batches/{office.batch}/files/notices/{number:04d}.docx")  # the page's link
    assert framed.headers["Content-Disposition"] == disposition and framed.data == answer.data
    document = docx.Document(io.BytesIO(answer.data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "整改通知书" in text and BODY in text
    preview = re.search(r'href="([^"]+notices/[^"]+\.html)"', row).group(1)
    assert BODY in office.client.get(preview).get_data(as_text=True)


def test_marking_a_notice_sent_records_who_and_when(office):
    number = office.number_of(BODY)
    url = f"/office/batches/{office.batch}/notices/{number}/sent"
    assert office.client.post(url).status_code == 400  # no CSRF token
    answer = office.client.post(url, data={"csrf_token": office.token})
    assert answer.status_code == 302
    store = office.store
    rows = store.read(lambda c: c.exec_driver_sql("SELECT batch, notice, body, year, sent_by FROM notices_sent").all())
    assert [tuple(row) for row in rows] == [(office.batch, f"notices/{number:04d}", BODY, 2020, ADMIN[0])]
    notices = office.page(f"/office/batches/{office.batch}/notices")
    row = re.search(rf'<tr id="notice-{number}">(.*?)</tr>', notices, re.S).group(1)
    assert "已发送" in row and ADMIN[0] in row and "标记为已发送" not in row


def _dismiss(office: Office, number: int, fingerprint: str, reason: str):
    return office.client.post(f"/office/batches/{office.batch}/reports/{number}/review",
                              data={"csrf_token": office.token, "fingerprint": fingerprint, "action": "dismiss",
                                    "reason": reason})


def test_a_dismissal_needs_a_reason_a_token_and_a_finding_of_that_report(office, cli):
    number = office.number_of(BODY)
    mine = cli[f"2020-{BODY}.txt"]["findings"][0]["fingerprint"]
    other = next(f["fingerprint"] for name, item in cli.items() if BODY not in name for f in item["findings"])
    assert _dismiss(office, number, other, "不是这份报告的问题").status_code == 400
    answer = _dismiss(office, number, mine, "  ")
    assert answer.status_code == 302
    assert "排除问题须写明理由" in office.page(answer.headers["Location"])
    forged = office.client.post(f"/office/batches/{office.batch}/reports/{number}/review",
                                data={"fingerprint": mine, "action": "dismiss", "reason": "无令牌"})
    assert forged.status_code == 400
    assert _review_list(office) == []


def _review_list(office: Office) -> list[dict]:
    """``ogi-audit review --list --json`` over the app's store."""
    done = subprocess.run([sys.executable, "-m", "engine.cli", "review", "--list", "--json", "--db", office.config.db],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def reviewed(office, cli) -> dict:
    """One of 周村区科技局's findings dismissed with a reason in the first batch, then the same files
    uploaded again as a second batch."""
    number = office.number_of(BODY)
    finding = cli[f"2020-{BODY}.txt"]["findings"][0]
    answer = _dismiss(office, number, finding["fingerprint"], "该单位本年度确无此类申请")
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"/reports/{number}#finding-{finding['fingerprint']}")
    second = upload(office.client, office.token, samples(), title="样本（再次审核）")
    progress = wait_finished(office.client, second)
    assert progress["state"] == "done", progress
    return {"number": number, "finding": finding, "second": second}


def test_a_dismissal_is_recorded_as_ogi_audit_review_records_it(office, reviewed):
    finding = reviewed["finding"]
    decisions = _review_list(office)
    assert len(decisions) == 1
    decision = decisions[0]
    assert set(decision) == {"fingerprint", "decision", "reason", "by", "at", "rule", "rule_digest", "body", "year",
                             "run"}
    first_run = office.client.get(f"/api/office/batches/{office.batch}").get_json()["run"]
    assert {k: decision[k] for k in ("fingerprint", "decision", "reason", "by", "rule", "body", "year", "run")} == {
        "fingerprint": finding["fingerprint"], "decision": "dismissed", "reason": "该单位本年度确无此类申请",
        "by": ADMIN[0], "rule": finding["rule"], "body": BODY, "year": 2020, "run": first_run}
    assert len(decision["rule_digest"]) == 64


def _finding_item(page: str, fingerprint: str) -> str:
    return re.search(rf'<li id="finding-{fingerprint}" class="([^"]*)">(.*?)</li>', page, re.S).group(0)


def test_after_reload_the_finding_shows_dismissed_and_is_not_counted(office, reviewed):
    fingerprint = reviewed["finding"]["fingerprint"]
    page = office.page(f"/office/batches/{office.batch}/reports/{reviewed['number']}")
    item = _finding_item(page, fingerprint)
    assert 'class="finding dismissed"' in item and ">已排除</span>" in item
    assert "该单位本年度确无此类申请" in item and ADMIN[0] in item and ">撤销</button>" in item
    assert "已排除 1 项" in page
    assert 'id="notice-outdated"' in page  # its notice was written before: the office is told to audit again
    notices = office.page(f"/office/batches/{office.batch}/notices")
    row = re.search(rf'<tr id="notice-{reviewed["number"]}">(.*?)</tr>', notices, re.S).group(1)
    assert "须重新审核后再发" in row


def test_a_later_batch_of_the_same_files_still_shows_it_dismissed(office, reviewed, cli):
    second, fingerprint = reviewed["second"], reviewed["finding"]["fingerprint"]
    number = office.number_of(BODY, second)
    page = office.page(f"/office/batches/{second}/reports/{number}")
    assert 'class="finding dismissed"' in _finding_item(page, fingerprint)
    frame = re.search(r'<iframe id="report-page" class="report" src="([^"]+)"', page).group(1)
    assert "已排除" in office.client.get(frame).get_data(as_text=True)  # the engine's own page says so too
    assert 'id="notice-outdated"' not in page
    message = reviewed["finding"]["message"]
    assert message in _notice_text(office, office.batch, reviewed["number"])  # written before the dismissal
    assert message not in _notice_text(office, second, number)  # the dismissed finding left the notice
    dashboard = office.page("/office/")
    row = re.search(rf'<tr id="report-{number}">(.*?)</tr>', dashboard, re.S).group(1)
    cells = _cells(row)
    counts = Counter(f["severity"] for f in cli[f"2020-{BODY}.txt"]["findings"])
    counts[reviewed["finding"]["severity"]] -= 1
    assert [int(n) for n in cells[4:8]] == [counts[s] for s in SEVERITIES] + [1]


def _notice_text(office: Office, batch: int, number: int) -> str:
    document = docx.Document(io.BytesIO(office.client.get(f"/office/batches/{batch}/notices/{number}/word").data))
    return "\n".join([p.text for p in document.paragraphs]
                     + [cell.text for table in document.tables for row in table.rows for cell in row.cells])


def test_a_bodys_history_lists_its_audits_and_what_changed(office, reviewed, cli):
    page = office.page("/office/bodies?name=周村区科学技术局")  # the long name finds the short one
    rows = re.findall(r'<tr id="audit-\d+-\d+">(.*?)</tr>', page, re.S)
    assert len(rows) == 2
    newest, oldest = (_cells(row) for row in rows)
    total = len(cli[f"2020-{BODY}.txt"]["findings"])
    assert "首次审核" in oldest[-1] and "其中 1 项已人工排除" in oldest[-1] and "其中 1 项已人工排除" in newest[-1]
    # The second batch is of the same files: the same submission, not a resubmission (engine.history.compared).
    first_run = office.client.get(f"/api/office/batches/{office.batch}").get_json()["run"]
    assert newest[-1].startswith(f"与记录编号 {first_run} 审核的文件相同（内容未变）") and total > 1
    assert newest[4] == oldest[4] == f"2020-{BODY}.txt"
    no_place = office.page("/office/bodies?name=科学技术局")
    assert "名称中没有地名" in no_place and 'id="body-audits"' not in no_place
    assert "没有“某县科技局”的审核记录" in office.page("/office/bodies?name=某县科技局")


def _stored(run: int, sha256: str, rules: list[str]) -> tuple[AuditSummary, StoredAudit]:
    at = datetime(2026, 1, run, tzinfo=UTC)
    summary = RunSummary(run, at, None, "", "", "", 1, 1, len(rules), 0)
    findings = [Finding(rule, "tables", "error", rule, Location(table="三"), body=BODY, year=2020) for rule in rules]
    return (AuditSummary(run, at, 0, "a.txt", sha256, BODY, 2020, "2021", len(rules), 0, 0, 0),
            StoredAudit(summary, 0, "a.txt", sha256, BODY, 2020, "2021", findings, [],
                        figures_json(Report(source="a.txt")), rules_run=["A", "B", "C"]))


def test_a_bodys_history_compares_each_file_with_the_one_before_and_says_when_it_is_the_same(office):
    """Run 1 finds A and B; run 2 audits the same file; run 3 another file, which finds B and C, C
    dismissed: A is fixed, B still open, C not counted (as the report page counts: engine.render.follow_up)."""
    from engine.web.office_bodies import _entries
    rows = [_stored(1, "a" * 64, ["A", "B"]), _stored(2, "a" * 64, ["A", "B"]), _stored(3, "b" * 64, ["B", "C"])]
    dismissed = {next(f for f in rows[2][1].findings if f.rule == "C").fingerprint}
    with office.app.test_request_context():
        third, second, first = _entries([summary for summary, _ in rows],
                                        {(s.run, s.number): stored for s, stored in rows}, {}, dismissed)
    assert first.fixed is None and first.same_file_as is None
    assert second.same_file_as == 1 and (second.fixed, second.still_open, second.new) == (None, 0, 0)
    assert [f.rule for f in third.fixed] == ["A"] and third.same_file_as is None
    assert (third.still_open, third.new, third.reappeared, third.dismissed) == (1, 0, 0, 1)


def test_a_confirmation_and_its_undo_are_recorded_and_shown(office, reviewed, cli):
    number, fingerprint = reviewed["number"], cli[f"2020-{BODY}.txt"]["findings"][1]["fingerprint"]
    url = f"/office/batches/{office.batch}/reports/{number}"

    def act(action: str) -> str:
        answer = office.client.post(f"{url}/review", data={"csrf_token": office.token, "fingerprint": fingerprint,
                                                           "action": action})
        assert answer.status_code == 302
        return office.page(url)
    confirmed = _finding_item(act("confirm"), fingerprint)
    assert ">已确认</span>" in confirmed and 'class="finding"' in confirmed
    undone = act("undo")
    assert 'class="decision' not in _finding_item(undone, fingerprint) and "已撤销" in undone
    assert "无可撤销" in act("undo")  # nothing stands any more: refused, as ogi-audit review refuses it
    mine = [(d["decision"], d["by"]) for d in _review_list(office) if d["fingerprint"] == fingerprint]
    assert mine == [("confirmed", ADMIN[0]), ("undone", ADMIN[0])]


def _urls(batch: int) -> list[str]:
    """Every page and call of the office this module uses, with ids that exist."""
    return ["/office/", "/office/batches", f"/office/batches/{batch}", f"/office/batches/{batch}/reports/1",
            f"/office/batches/{batch}/files/reports/0001.html", f"/office/batches/{batch}/notices",
            f"/office/batches/{batch}/notices/1/word", "/office/bodies?name=周村区科技局",
            "/api/office/batches", f"/api/office/batches/{batch}"]


def test_every_office_page_without_a_session_is_refused(office):
    stranger = office.app.test_client()
    counted = ("SELECT (SELECT count(*) FROM batches) + (SELECT count(*) FROM reviews)"
               " + (SELECT count(*) FROM notices_sent)")
    before = office.store.read(lambda c: c.exec_driver_sql(counted).scalar_one())
    for url in _urls(office.batch):
        answer = stranger.get(url)
        if url.startswith("/api/"):
            assert answer.status_code == 401, url
        else:
            assert answer.status_code == 302 and answer.headers["Location"].startswith("/login"), url
    for url in ("/office/batches", f"/office/batches/{office.batch}/reports/1/review",
                f"/office/batches/{office.batch}/notices/1/sent"):
        assert stranger.post(url, data={"fingerprint": "0" * 16, "action": "dismiss", "reason": "x"}).status_code == 302
    assert office.store.read(lambda c: c.exec_driver_sql(counted).scalar_one()) == before

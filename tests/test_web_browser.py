"""The web app in a real browser (issue 11, "Done when"): what the office and an agency do, on the
server the office runs (``ogi-audit serve``), in Debian's Chromium at 1366×768.

Expected findings come from the CLI: ``ogi-audit audit`` of the same file gives the findings the
pages must show (tests/browser_support.py starts the server and the browser; screenshots of every
page visited go to ``tests/output/web/<test>/``).
"""
from __future__ import annotations

import html
import json
import re
import shutil
import time
from pathlib import Path

import docx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as seen
from selenium.webdriver.support.ui import WebDriverWait

from browser_support import (ROOT, Server, browser, console_errors, downloads, office_accounts,  # noqa: F401
                             screens, server)
from engine.cli import main
from web_support import ADMIN, AUDITOR

SAMPLES = sorted(p for p in (ROOT / "reports").iterdir() if p.is_file())
BODY = "周村区科技局"
#: The self-check's file: a sample with errors, warnings and a note.
DRAFT = ROOT / "reports" / "2020-洛阳市科学技术局.txt"
#: How long a batch of the samples may take (eight reports, three of them PDFs, one worker).
BATCH_SECONDS = 180
#: The rule file edited in the rule editor, a row label of it misspelt as people misspell it, and a
#: change of wording: (file, written, misspelt, wording as shipped, the new wording).
EDITED = ("totals.yaml", "部分公开", "部份公开", "行的总计为 {{ actual }}，而", "行的总计为 {{ actual }}，但")
#: A change the preview must show findings for: TOT-001's total without one of its parts.
NARROWED = ("法律服务机构, 其他]", "法律服务机构]")
#: A line of ``ogi-audit rules check``: file:line:column, the rule, the message, the suggestion if any.
PROBLEM = re.compile(r"(?P<file>[^:\s]+):(?P<line>\d+):(?P<column>\d+) (?P<rule>\S+) (?P<message>.+?)"
                     r"(?: — 是否应为“(?P<suggestion>.+)”？)?$")


def wait(browser, seconds: float = 20) -> WebDriverWait:
    return WebDriverWait(browser, seconds)


def log_in_by_keyboard(browser, server, account: tuple[str, str] = ADMIN) -> None:
    """A fresh session, logged in on the login page with keys only: the name field has the focus, Tab
    to the password, Enter."""
    browser.delete_all_cookies()
    browser.get(server.url + "/login")
    typing = browser.switch_to.active_element
    assert typing.get_attribute("id") == "name", "the login page does not put the focus on the name"
    typing.send_keys(account[0], Keys.TAB)
    browser.switch_to.active_element.send_keys(account[1], Keys.ENTER)
    wait(browser).until(seen.url_contains("/office/"))


def test_an_office_member_logs_in_with_the_keyboard_alone(browser, server, screens):
    browser.delete_all_cookies()
    browser.get(server.url + "/office/batches")
    assert "/login" in browser.current_url  # no session: the login page, with the way back
    assert screens.shot("login") == []
    log_in_by_keyboard(browser, server)
    assert browser.current_url == server.url + "/office/"
    assert ADMIN[0] in browser.find_element(By.CSS_SELECTOR, "header.site .who").text
    assert screens.shot("dashboard") == []


def test_an_auditor_is_shown_the_rule_editor_is_for_admins(browser, server, screens):
    log_in_by_keyboard(browser, server, AUDITOR)
    browser.get(server.url + "/office/rules/")
    assert "只有管理员可以使用此功能" in browser.find_element(By.CSS_SELECTOR, "main .flash.error").text
    [logged] = screens.shot("refused")  # the page itself, answered 403: nothing else went wrong
    assert "/office/rules/" in logged and "403" in logged
    assert browser.find_elements(By.ID, "rule-text") == []


def test_a_file_that_is_no_report_is_listed_as_not_audited(browser, server, screens, tmp_path):
    """Nothing dropped silently: a picture sent with a report is on the batch page with the reason."""
    picture = tmp_path / "2020-某局.pdf"  # a PNG under a report's name: sniffed by content, not by name
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    log_in_by_keyboard(browser, server)
    upload_batch(browser, server, screens, "含非报告文件", [DRAFT, picture])
    assert len(browser.find_elements(By.CSS_SELECTOR, "#batch-reports tbody tr")) == 1
    listed = browser.find_element(By.ID, "not-audited")
    [row] = listed.find_elements(By.CSS_SELECTOR, "tbody tr")
    name, reason = (td.text for td in row.find_elements(By.TAG_NAME, "td"))
    assert name == picture.name and reason
    assert "不能视为合格" in listed.text


def cli_findings(tmp: Path, *inputs: Path, rules: Path = ROOT / "rules") -> list[dict]:
    """The findings JSON of ``ogi-audit audit INPUTS --no-db --rules RULES``: what the pages must show."""
    out = tmp / f"cli-{rules.name}"
    main(["audit", *map(str, inputs), "-o", str(out), "--outputs", "json", "--no-db", "--quiet", "--rules", str(rules)])
    return json.loads((out / "findings.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def samples_audited(tmp_path_factory) -> dict:
    """周村区科技局's entry of the CLI's audit of every sample (the batch the office uploads)."""
    [entry] = [e for e in cli_findings(tmp_path_factory.mktemp("cli"), *SAMPLES) if e.get("body") == BODY]
    return entry


def upload_batch(browser, server, screens, title: str, files: list[Path] = SAMPLES) -> None:
    """``files`` (the samples) uploaded as one batch from the batches page; back once the page says it
    is done."""
    browser.get(server.url + "/office/batches")
    browser.find_element(By.ID, "batch-title").send_keys(title)
    browser.find_element(By.ID, "batch-files").send_keys("\n".join(str(p) for p in files))
    assert screens.shot(f"upload-{title}") == []
    browser.find_element(By.CSS_SELECTOR, "#batch-upload button[type=submit]").click()
    wait(browser).until(seen.presence_of_element_located((By.ID, "batch-state")))
    assert screens.shot(f"progress-{title}") == []
    wait(browser, BATCH_SECONDS).until(seen.text_to_be_present_in_element((By.ID, "batch-state"), "审核完成"))
    assert screens.shot(f"done-{title}") == []


def open_report(browser, body: str) -> None:
    """From a done batch's page, the report page of ``body``."""
    rows = browser.find_elements(By.CSS_SELECTOR, "#batch-reports tbody tr")
    links = [row.find_element(By.TAG_NAME, "a") for row in rows]
    [link] = [a for a in links if a.text == body]
    link.click()
    wait(browser).until(seen.presence_of_element_located((By.ID, "report-page")))


def decision_of(browser, fingerprint: str) -> str:
    """What the report page says of a finding's decision ('' when none stands)."""
    item = browser.find_element(By.ID, f"finding-{fingerprint}")
    return " ".join(d.text for d in item.find_elements(By.CLASS_NAME, "decision"))


def shown_fingerprints(browser) -> list[str]:
    return [item.get_attribute("id").removeprefix("finding-")
            for item in browser.find_elements(By.CSS_SELECTOR, "li.finding")]


def downloaded(folder: Path, suffix: str, before: set[Path], seconds: float = 30) -> Path:
    """The file the browser saved into ``folder`` since ``before`` was listed, once it is complete."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        new = [p for p in folder.iterdir() if p not in before and p.suffix == suffix]
        if new:
            return new[0]
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} file downloaded into {folder}: {sorted(folder.iterdir())}")


def test_the_office_audits_a_batch_reviews_a_finding_and_sends_the_notice(
        browser, server, screens, downloads, samples_audited):
    """The issue's flow: the samples uploaded and audited, 周村区科技局's page with the CLI's findings, a
    warning dismissed with a reason, still dismissed after a reload and in the next audit of the same
    files, whose notice (downloaded, opened with python-docx) leaves it out; then the body's history
    (the first audit with the CLI's counts, the second compared with it) and the notice marked sent."""
    expected = samples_audited["findings"]
    log_in_by_keyboard(browser, server)
    upload_batch(browser, server, screens, "第一批")
    open_report(browser, BODY)
    assert sorted(shown_fingerprints(browser)) == sorted(f["fingerprint"] for f in expected)
    assert screens.shot("report") == []

    # A warning whose message no other finding's holds, so that the notice can be searched for it.
    noticed = [f for f in expected if f["severity"] in ("error", "warning")]
    dismissed = next(f for f in noticed if f["severity"] == "warning"
                     and not any(f["message"] in g["message"] for g in expected if g is not f))
    fingerprint = dismissed["fingerprint"]
    assert decision_of(browser, fingerprint) == ""
    # With the keyboard: the reason typed, Tab to 排除, Enter.
    browser.find_element(By.ID, f"reason-{fingerprint}").send_keys("该单位已在网站首页公开联系方式，属实。", Keys.TAB)
    assert browser.switch_to.active_element.text == "排除"
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    wait(browser).until(seen.text_to_be_present_in_element((By.ID, f"finding-{fingerprint}"), "已排除"))
    assert decision_of(browser, fingerprint) == "已排除"
    assert screens.shot("dismissed") == []
    browser.refresh()
    assert decision_of(browser, fingerprint) == "已排除"
    assert "该单位已在网站首页公开联系方式" in browser.find_element(By.ID, f"finding-{fingerprint}").text

    upload_batch(browser, server, screens, "第二批")
    open_report(browser, BODY)
    assert decision_of(browser, fingerprint) == "已排除"
    others = [f["fingerprint"] for f in expected if f["fingerprint"] != fingerprint]
    assert all(decision_of(browser, other) == "" for other in others)
    assert screens.shot("report-again") == []

    before = set(downloads.iterdir())
    browser.find_element(By.LINK_TEXT, "下载 Word").click()
    notice = docx.Document(downloaded(downloads, ".docx", before))
    text = "\n".join([p.text for p in notice.paragraphs]
                      + [cell.text for table in notice.tables for row in table.rows for cell in row.cells])
    assert BODY in text
    assert dismissed["message"] not in text
    for finding in noticed:
        if finding is not dismissed:
            assert finding["message"] in text, finding["message"]

    report_page = browser.current_url
    browser.find_element(By.LINK_TEXT, "该机关的历年审核").click()
    audits = wait(browser).until(seen.presence_of_element_located((By.ID, "body-audits")))
    assert screens.shot("body-history") == []
    latest, first = audits.find_elements(By.CSS_SELECTOR, "tbody tr")
    severities = [sum(1 for f in expected if f["severity"] == s) for s in ("error", "warning", "info")]
    assert [int(td.text) for td in first.find_elements(By.TAG_NAME, "td")[5:9]] == \
        [*severities, len(samples_audited["skipped"])]
    # The second batch was of the same file: the same submission, not one sent again (engine.history.compared).
    first_run = first.find_elements(By.TAG_NAME, "td")[1].text
    assert "首次审核" in first.text and f"与记录编号 {first_run} 审核的文件相同（内容未变）" in latest.text
    assert "仍未整改" not in latest.text

    browser.get(report_page.rsplit("/reports/", 1)[0] + "/notices")
    number = report_page.rsplit("/", 1)[1]
    row = browser.find_element(By.ID, f"notice-{number}")
    assert BODY in row.text
    row.find_element(By.TAG_NAME, "button").click()
    wait(browser).until(seen.text_to_be_present_in_element((By.ID, f"notice-{number}"), "已发送"))
    assert ADMIN[0] in browser.find_element(By.ID, f"notice-{number}").text
    assert screens.shot("notices") == []
    browser.get(server.url + "/office/")
    assert BODY in browser.find_element(By.ID, "batch-reports").text
    assert screens.shot("dashboard") == []


def test_an_agency_checks_its_draft_without_logging_in(browser, server, screens, tmp_path):
    [expected] = cli_findings(tmp_path, DRAFT)
    browser.delete_all_cookies()
    browser.get(server.url + "/check")
    assert screens.shot("form") == []
    browser.find_element(By.ID, "check-file").send_keys(str(DRAFT))
    browser.find_element(By.CSS_SELECTOR, "form.check-form button[type=submit]").click()
    summary = wait(browser, 60).until(seen.presence_of_element_located((By.CLASS_NAME, "check-summary")))
    assert screens.shot("result") == []
    assert expected["body"] in summary.text
    for severity, name in (("error", "错误"), ("warning", "警告"), ("info", "提示")):
        count = sum(1 for f in expected["findings"] if f["severity"] == severity)
        assert f"{name} {count} 项" in summary.text
    page, notice = browser.find_elements(By.CSS_SELECTOR, "iframe.report")
    browser.switch_to.frame(page)
    shown = browser.find_element(By.TAG_NAME, "body").text
    browser.switch_to.default_content()
    for finding in expected["findings"]:
        assert finding["message"] in shown, finding["message"]
    browser.switch_to.frame(notice)
    assert "整改通知书" in browser.find_element(By.TAG_NAME, "body").text
    browser.switch_to.default_content()
    assert "/login" not in browser.current_url


#: What a hostile web page adds to a report: a script, and text that is markup once unescaped.
INJECTED = ("<script>console.error('注入的脚本运行了'); window.top.document.title = '被注入';</script>",
            "<p>&lt;img src=x onerror=\"console.error('注入的属性运行了')\"&gt;</p>",
            "<p>&lt;script&gt;console.error('注入的文字运行了')&lt;/script&gt;</p>")
#: What any of it would leave in a page's DOM had it got through.
INJECTED_DOM = ("return [...document.querySelectorAll('script, [onerror]')]"
                ".filter(e => (e.textContent + (e.getAttribute('onerror') || '')).includes('注入')).length;")


def hostile_page(tmp: Path, report: Path) -> Path:
    """``report``'s text as a web page, each line a paragraph, with :data:`INJECTED` after its third."""
    lines = [f"<p>{html.escape(line)}</p>" for line in report.read_text(encoding="utf-8").splitlines()]
    page = tmp / "hostile.html"
    page.write_text("<!DOCTYPE html><html><head><meta charset='utf-8'><title>年度报告</title></head><body>"
                    + "\n".join(lines[:3] + list(INJECTED) + lines[3:]) + "</body></html>", encoding="utf-8")
    return page


def test_the_hostile_page_runs_its_script_when_opened_as_it_is(browser, tmp_path):
    """The check below would prove nothing if the page's script could not run or be seen."""
    browser.get(hostile_page(tmp_path, DRAFT).as_uri())
    assert any("注入的脚本运行了" in error for error in console_errors(browser))
    assert browser.title == "被注入"
    assert browser.execute_script(INJECTED_DOM) == 1  # the script element; the escaped text stays text


def test_a_report_with_script_in_it_runs_nothing_in_the_browser(browser, server, screens, tmp_path):
    browser.delete_all_cookies()
    browser.get(server.url + "/check")
    browser.find_element(By.ID, "check-file").send_keys(str(hostile_page(tmp_path, DRAFT)))
    browser.find_element(By.CSS_SELECTOR, "form.check-form button[type=submit]").click()
    summary = wait(browser, 60).until(seen.presence_of_element_located((By.CLASS_NAME, "check-summary")))
    assert "洛阳市科学技术局" in summary.text  # read and audited, not refused
    assert screens.shot("result") == []  # nothing logged: no script of the upload ran, none was refused
    assert "被注入" not in browser.title
    assert browser.execute_script(INJECTED_DOM) == 0
    for frame in browser.find_elements(By.CSS_SELECTOR, "iframe.report"):
        browser.switch_to.frame(frame)
        assert browser.execute_script(INJECTED_DOM) == 0
        browser.switch_to.default_content()


def edited_rules(tmp: Path, old: str, new: str) -> Path:
    """A copy of the shipped rules with ``old`` made ``new`` (once) in the edited file."""
    folder = tmp / f"rules-{len(list(tmp.glob('rules-*')))}"
    shutil.copytree(ROOT / "rules", folder)
    path = folder / EDITED[0]
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def retype(browser, text: str) -> None:
    """The editor's text made ``text``, as a paste would, then a key typed and taken back, so that the
    page hears the keyboard as it does when someone types."""
    area = browser.find_element(By.ID, "rule-text")
    browser.execute_script("arguments[0].value = arguments[1];", area, text)
    area.send_keys(" ", Keys.BACKSPACE)


def added_and_removed(before: list[dict], after: list[dict]) -> tuple[int, int, int]:
    """Findings the edited rules add (and in how many reports) and remove, by fingerprint, among the
    edited file's rules (those of totals.yaml: TOT-*)."""
    def found(entries: list[dict]) -> dict[str, str]:
        return {f["fingerprint"]: e["source"] for e in entries for f in e.get("findings", [])
                if f["rule"].startswith("TOT-")}
    old, new = found(before), found(after)
    added = set(new) - set(old)
    return len(added), len({new[f] for f in added}), len(set(old) - set(new))


def preview(browser, screens, step: str) -> str:
    """The editor's 预览 clicked: the summary it answers (the last one replaced first, so that the
    answer waited for is this click's)."""
    browser.execute_script("document.getElementById('preview-result').innerHTML = '';")
    browser.find_element(By.ID, "preview").click()
    summary = wait(browser, BATCH_SECONDS).until(seen.presence_of_element_located((By.ID, "preview-summary")))
    assert screens.shot(step) == []
    return summary.find_element(By.TAG_NAME, "strong").text


def test_an_admin_breaks_a_rule_sees_the_problem_fixes_it_previews_and_saves(browser, screens, tmp_path, capsys):
    file, written, misspelt, wording, new_wording = EDITED
    main(["rules", "check", str(edited_rules(tmp_path, written, misspelt))])
    [problem] = [PROBLEM.fullmatch(line) for line in capsys.readouterr().out.splitlines() if misspelt in line]
    assert problem and problem["suggestion"] == written  # the CLI's answer, which the page must give
    samples = cli_findings(tmp_path, *SAMPLES)
    narrowed = added_and_removed(samples, cli_findings(tmp_path, *SAMPLES, rules=edited_rules(tmp_path, *NARROWED)))
    assert narrowed[0] > 0  # the CLI finds more with the part left out: the preview must say how many
    changed = edited_rules(tmp_path, wording, new_wording)
    reworded = cli_findings(tmp_path, *SAMPLES, rules=changed)
    assert added_and_removed(samples, reworded) == (0, 0, 0)  # a wording: the same findings, said otherwise
    (tmp_path / "server").mkdir()
    with Server(tmp_path / "server", office_accounts()) as own:
        log_in_by_keyboard(browser, own)
        upload_batch(browser, own, screens, "预览用")  # the preview audits the last batch again
        browser.get(own.url + "/office/rules/")
        assert screens.shot("rules") == []
        browser.find_element(By.LINK_TEXT, file).click()
        area = wait(browser).until(seen.presence_of_element_located((By.ID, "rule-text")))
        shipped = area.get_property("value")
        assert shipped == (ROOT / "rules" / file).read_text(encoding="utf-8")

        retype(browser, shipped.replace(written, misspelt, 1))
        shown = wait(browser).until(seen.presence_of_element_located((By.CSS_SELECTOR, "#rule-problems li.problem")))
        assert screens.shot("broken") == []
        assert f"{file} 第{problem['line']}行第{problem['column']}列" in shown.text
        assert problem["rule"] in shown.text and misspelt in shown.text
        assert f"应写作：“{written}”" in shown.text

        retype(browser, shipped.replace(*NARROWED, 1))
        wait(browser).until(seen.presence_of_element_located((By.CSS_SELECTOR, "#rule-problems .flash.ok")))
        assert browser.find_elements(By.CSS_SELECTOR, "#rule-problems li.problem") == []
        assert preview(browser, screens, "previewed-narrowed") == "会新增 {} 项问题，涉及 {} 份报告；减少 {} 项".format(*narrowed)

        retype(browser, shipped.replace(wording, new_wording, 1))
        assert preview(browser, screens, "previewed-reworded") == "会新增 0 项问题，涉及 0 份报告；减少 0 项"

        browser.find_element(By.ID, "save").click()
        saved = wait(browser, 60).until(seen.presence_of_element_located((By.ID, "save-result")))
        assert screens.shot("saved") == []
        assert "已保存" in saved.text
        assert (own.rules / file).read_text(encoding="utf-8") == (changed / file).read_text(encoding="utf-8")
        browser.get(own.url + "/office/rules/")
        assert file in browser.find_element(By.ID, "rule-changes").text
        assert ADMIN[0] in browser.find_element(By.ID, "rule-changes").text

        # The agencies check against the rules as saved.
        [zhoucun] = [e for e in reworded if e.get("body") == BODY]
        reworded_messages = [f["message"] for f in zhoucun["findings"] if f["rule"] == "TOT-001"]
        assert reworded_messages and all("，但" in m for m in reworded_messages)
        browser.get(own.url + "/check")
        browser.find_element(By.ID, "check-file").send_keys(str(next(p for p in SAMPLES if BODY in p.name)))
        browser.find_element(By.CSS_SELECTOR, "form.check-form button[type=submit]").click()
        page = wait(browser, 60).until(seen.presence_of_element_located((By.CSS_SELECTOR, "iframe.report")))
        browser.switch_to.frame(page)
        shown = browser.find_element(By.TAG_NAME, "body").text
        browser.switch_to.default_content()
        for message in reworded_messages:
            assert message in shown

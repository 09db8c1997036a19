"""Notice settings are checked like rule files, and "××" left in them makes every notice a visible draft
(issue 8, point 4).

Runs are the real command on the sample 周村区 2020, which has errors (a notice), as tests/test_audit_cli.py
and tests/test_render_notice_docx.py know it.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document
from lxml import html

from engine import RULES_DIR
from engine.cli import main
from engine.render.settings import DEFAULTS, load_settings

REPORT = RULES_DIR.parent / "reports" / "2020-周村区科技局.txt"
NOTICE = "notices/2020-周村区科技局"
DRAFT = "草稿：发文机关等信息未填写"
FILLED = """\
office:
  name: 淄博市周村区人民政府办公室
  short: 周政公开
notice:
  contact: 联系人：张明　　联系电话：0533-6182345
  signature: [淄博市周村区人民政府办公室]
"""
#: The settings the shipped defaults leave for the office to write, in the order of the file.
UNFILLED = ("office.name", "office.short", "notice.contact", "notice.signature")


def _settings(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "office.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _audit(tmp_path: Path, settings: Path | None = None) -> int:
    return main(["audit", str(REPORT), "-o", str(tmp_path / "out")] + (["--settings", str(settings)] if settings else []))


def _notice_page(tmp_path: Path):
    return html.fromstring((tmp_path / "out" / f"{NOTICE}.html").read_text(encoding="utf-8"))


def _word(tmp_path: Path):
    return Document(str(tmp_path / "out" / f"{NOTICE}.docx"))


def test_the_shipped_defaults_leave_exactly_the_office_s_own_details_unfilled():
    assert load_settings().unfilled == UNFILLED


def test_with_the_defaults_every_notice_is_a_draft_and_stderr_says_what_to_fill_in(tmp_path, capsys):
    assert _audit(tmp_path) == 1
    err = capsys.readouterr().err
    assert f"设置项 {'、'.join(UNFILLED)} 仍是“××”" in err and str(DEFAULTS) in err and "--settings" in err

    page = _notice_page(tmp_path)
    first = page.xpath("//div[@class='sheet']/*[1]")[0]
    assert first.get("class") == "draft" and first.text_content().startswith(DRAFT)
    assert page.xpath("//title/text()")[0].startswith("（草稿）")

    document = _word(tmp_path)
    top = document.paragraphs[0]
    assert top.text.startswith(DRAFT) and all(run.bold for run in top.runs)
    assert {str(run.font.color.rgb) for run in top.runs} == {"CC0000"}
    assert "草稿" in document.sections[0].header.paragraphs[0].text  # on every page

    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "整改通知书均为草稿：发文机关等信息未填写" in html.fromstring(index).text_content()


def test_filled_in_settings_give_notices_with_no_draft_mark(tmp_path, capsys):
    assert _audit(tmp_path, _settings(tmp_path, FILLED)) == 1
    assert "草稿" not in capsys.readouterr().err
    page = _notice_page(tmp_path)
    assert not page.xpath("//*[@class='draft']") and "草稿" not in page.text_content()
    document = _word(tmp_path)
    assert document.paragraphs[0].text == "政府信息公开工作年度报告整改通知书"
    assert not any("草稿" in p.text for p in document.paragraphs + document.sections[0].header.paragraphs)
    assert "草稿" not in html.fromstring((tmp_path / "out" / "index.html").read_text(encoding="utf-8")).text_content()


def test_one_setting_left_unfilled_is_named_alone(tmp_path, capsys):
    settings = _settings(tmp_path, FILLED.replace("  contact: 联系人：张明　　联系电话：0533-6182345\n", ""))
    assert _audit(tmp_path, settings) == 1
    err = capsys.readouterr().err
    assert f"设置项 notice.contact 仍是“××”。请在 {settings} 中填写" in err
    assert "（设置项 notice.contact 仍是“××”）" in _notice_page(tmp_path).text_content()


@pytest.mark.parametrize(("text", "message"), [
    ("notice:\n  date: 2026-03-10\n  deadline: 2026-03-01\n",
     ":3:13 notice.deadline 2026-03-01 早于发文日期 2026-03-10（notice.date: 2026-03-10，见 {path}:2:9）；"
     "请写发文日期以后的日期，或写天数（如 15）"),
    ("notice:\n  dedline: 2026-04-01\n", ":2:3 未知设置项 notice.dedline，是不是 deadline?"),
    ("office:\n  name: 某办\n  seal: 公章\n", ":3:3 未知设置项 office.seal；可用的有 name、short"),
    ("notice:\n  date: 2026-02-30\n", ":2:9 没有 2026-02-30 这个日期；请写存在的日期，如 2026-03-15"),
    ("labels:\n  category:\n    local: [本省, 要求]\n", ":3:12 labels.category.local 应是一个名称（一段文字）"),
    ("labels:\n  severity: 错误\n", ":2:13 labels.severity 下面应是若干设置项"),
    ("- office\n", ":1:1 设置文件应由“设置项: 值”组成"),
])
def test_a_bad_setting_stops_the_run_with_its_place_and_exit_2(tmp_path, capsys, text, message):
    path = _settings(tmp_path, text)
    assert _audit(tmp_path, path) == 2
    err = capsys.readouterr().err
    assert err == f"设置文件有误，未进行审核：\n{path}{message.format(path=path)}\n"
    assert not (tmp_path / "out").exists()  # read before anything is audited or written


def test_a_deadline_already_past_on_the_day_of_the_notice_is_refused(tmp_path, capsys):
    """date: today (the default) and a fixed deadline that today is past: refused on the day it is."""
    path = _settings(tmp_path, "notice:\n  deadline: 2000-01-31\n")
    assert _audit(tmp_path, path) == 2
    err = capsys.readouterr().err
    assert f"{path}:2:13 notice.deadline 2000-01-31 早于发文日期" in err and f"notice.date: today，见 {DEFAULTS}:" in err


@pytest.mark.parametrize("content", [b"\x00\x01PK\x03\x04", "notice: [\n".encode(), None])
def test_an_unusable_settings_file_is_named_not_a_traceback(tmp_path, capsys, content):
    path = tmp_path / "office.yaml"
    if content is not None:
        path.write_bytes(content)
    assert _audit(tmp_path, path) == 2
    err = capsys.readouterr().err
    assert re.match(rf"设置文件有误，未进行审核：\n{re.escape(str(path))}:\d+:\d+ \S", err) and "Traceback" not in err

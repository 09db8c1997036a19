"""Never accuse on what was not read (issue 7, point 8): a section, table, row, contact detail or period
the text shows but the parser could not read is listed as not checked, with an info asking for a check
by hand, never reported missing.

Each case starts from a generated report with nothing missing (tests.generator) and changes one
thing in its text; what must and must not be said follows from that change alone."""
from __future__ import annotations

from dataclasses import replace

import pytest

from engine import RULES_DIR
from engine.formats import load_formats
from engine.model import Table
from engine.parse import parse_text
from engine.parse.evidence import find_unread
from engine.parse.lines import document_lines
from engine.parse.readers import text_document
from engine.rules import load_engine
from tests.generator import render
from tests.generator.catalogue import clean_spec
from tests.generator.defects import set_cell

ENGINE = load_engine(RULES_DIR)
FORMATS = load_formats()


def _report(seed: int = 1, fmt: str = "2021"):
    generated = render(clean_spec(seed, fmt), "tab")
    return generated.text, parse_text(generated.text, generated.name)


def _accusing(audit, rule: str) -> list:
    return [f for f in audit.findings if f.rule == rule and f.severity != "info"]


def _hints(audit) -> list[str]:
    return [f.message for f in audit.findings if f.severity == "info"]


def _skipped(audit, rule: str) -> str:
    return next((s.reason for s in audit.skipped if s.rule == rule), "")


def _edit(text: str, old_start: str, new_line: str) -> str:
    """``text`` with the line starting ``old_start`` replaced by ``new_line``."""
    lines = text.split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith(old_start))
    return "\n".join(lines[:index] + [new_line] + lines[index + 1:])


def test_a_postcode_that_cannot_be_read_is_not_reported_missing() -> None:
    # One of the wrong length is read as written (tests/test_contact_title_names.py); one in Chinese
    # numerals cannot be read at all.
    text, _ = _report()
    report = parse_text(_edit(text, "邮政编码：", "邮政编码：七八一二六〇"), "x.txt")
    assert "postcode" not in report.contact
    audit = ENGINE.audit(report)
    assert not [f for f in _accusing(audit, "CON-001") if "邮编" in f.message]
    assert "邮政编码：七八一二六〇" in _skipped(audit, "CON-001")
    assert any("邮政编码：七八一二六〇" in hint and "人工核对" in hint for hint in _hints(audit))


def test_a_period_stated_without_dates_is_not_reported_missing() -> None:
    text, _ = _report()
    report = parse_text(_edit(text, "本报告中所列数据的统计期限", "本报告中所列数据的统计期限为2023年度。"), "x.txt")
    assert report.period is None
    audit = ENGINE.audit(report)
    assert _accusing(audit, "PER-001") == []
    assert "统计期限" in _skipped(audit, "PER-001")


def test_a_heading_written_inside_a_line_is_not_reported_missing() -> None:
    text, _ = _report()
    edited = _edit(text, "三、收到和处理政府信息公开申请情况", "具体数据见下表。三、收到和处理政府信息公开申请情况（单位：件）见下表")
    report = parse_text(edited, "x.txt")
    assert report.section("三") is not None or "section:三" in report.unread
    assert [f for f in _accusing(ENGINE.audit(report), "SEC-001") if f.location.section == "三"] == []


def test_a_heading_reworded_inside_a_line_is_not_reported_missing() -> None:
    # A crawled page runs the heading into the text, in words that are neither the title nor a variant.
    text, _ = _report()
    edited = _edit(text, "五、", "情况说明如上。五、存在的主要问题和改进情况存在的问题：一是信息公开的时效性有待提高。")
    report = parse_text(edited, "x.txt")
    audit = ENGINE.audit(report)
    assert [f for f in _accusing(audit, "SEC-001") if f.location.section == "五"] == []
    # The words close to the title are taken for the heading: the section is there, its heading reworded.
    assert report.section("五").title == "存在的主要问题和改进情况"
    assert [f.location.section for f in audit.findings if f.rule == "SEC-003"] == ["五"]


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_a_table_of_one_line_of_figures_that_could_not_be_read_is_not_reported_missing(fmt) -> None:
    # Table 四 names its rows in its header; on a crawled page its one line of figures, run together with
    # a negative count in it, is read by no reading of fifteen counts.
    generated = render(set_cell(clean_spec(20000, fmt), "四", "直接起诉", "维持", -1), "crawled")
    report = parse_text(generated.text, generated.name)
    table = report.tables["四"]
    assert (table.present and table.unreadable_rows) or "table:四" in report.unread
    audit = ENGINE.audit(report)
    assert _accusing(audit, "TAB-001") == []
    assert "无法读取" in _skipped(audit, "TOT-004")


def test_a_section_that_is_not_there_is_still_reported() -> None:
    text, _ = _report()
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("五、"))
    end = next(i for i, line in enumerate(lines) if line.startswith("六、"))
    report = parse_text("\n".join(lines[:start] + lines[end:]), "x.txt")
    found = [f for f in _accusing(ENGINE.audit(report), "SEC-001") if f.location.section == "五"]
    assert len(found) == 1 and "section:五" not in report.unread


def _unread_again(text: str, report) -> None:
    report.unread.clear()
    find_unread(report, document_lines(text_document(text)), FORMATS[report.format])


def _not_read(table: Table, rows: list[str]) -> Table:
    """``table`` as if the parser had not found ``rows`` (their cells None, listed missing)."""
    cells = [[None] * len(table.columns) if row in rows else list(cells)
             for row, cells in zip(table.rows, table.cells)]
    return replace(table, cells=cells, missing_rows=list(rows), unreadable_rows=[])


def test_a_table_in_the_text_that_the_parser_could_not_place_is_not_reported_missing() -> None:
    text, report = _report()
    report.tables["二(六)"] = _not_read(report.tables["二(六)"], report.tables["二(六)"].rows)
    _unread_again(text, report)
    assert "table:二(六)" in report.unread
    audit = ENGINE.audit(report)
    assert [f for f in _accusing(audit, "TAB-001") if f.location.table == "二(六)"] == []
    assert "未能读取为表格" in _skipped(audit, "TAB-001")


def test_a_row_in_the_text_that_the_parser_could_not_place_is_unreadable_not_missing() -> None:
    text, report = _report()
    row = "二、上年结转政府信息公开申请数量"
    report.tables["三"] = _not_read(report.tables["三"], [row])
    _unread_again(text, report)
    table = report.tables["三"]
    assert table.missing_rows == [] and table.unreadable_rows == [row]
    assert all(table.cell(row, column) is None for column in table.columns)  # not read is not blank
    audit = ENGINE.audit(report)
    assert _accusing(audit, "TAB-002") == []
    assert [f.location.table for f in audit.findings if f.rule == "TAB-003"] == ["三"]


def test_a_cut_off_table_whose_caption_alone_is_left_is_still_missing() -> None:
    text, _ = _report()
    lines = text.split("\n")
    caption = next(i for i, line in enumerate(lines) if line.startswith("第二十条第(六)项"))
    following = next(i for i, line in enumerate(lines) if line.startswith("第二十条第(八)项"))
    report = parse_text("\n".join(lines[:caption + 1] + lines[following:]), "x.txt")
    assert "table:二(六)" not in report.unread
    assert [f.location.table for f in _accusing(ENGINE.audit(report), "TAB-001")] == ["二(六)"]


def test_the_report_page_says_a_table_was_not_read_rather_than_absent(tmp_path) -> None:
    from engine import RULES_DIR as rules
    from engine.audit import run_audit
    from engine.render import write_outputs
    generated = render(set_cell(clean_spec(20000, "2019"), "四", "直接起诉", "维持", -1), "crawled")
    source = tmp_path / "in" / "report.txt"
    source.parent.mkdir()
    source.write_bytes(generated.data)
    run = run_audit([source], rules)
    if "table:四" not in run.audits[0].report.unread:
        pytest.fail("the case needs table 四 unread (see the test above)")
    write_outputs(run, tmp_path / "out", outputs=("html",))
    page = next((tmp_path / "out" / "reports").glob("*.html")).read_text(encoding="utf-8")
    assert "未能读取为表格" in page and "原文中没有这张表" not in page

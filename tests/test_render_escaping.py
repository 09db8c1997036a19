"""Report text is written by the audited agencies: markup in it must reach every page as text."""
from __future__ import annotations

from pathlib import Path

from docx import Document

from engine.model import AuditRun, Finding, Location, Report, ReportAudit, RuleInfo, Skipped, Unreadable
from engine.cli import main
from engine.render import write_outputs
from render_html import page
from render_sample_run import ROOT, make_table

SCRIPT = "<script>alert('x')</script>"
IMAGE = '<img src=x onerror="alert(1)">'
HOSTILE = f"{SCRIPT}{IMAGE}"
#: The only script our pages carry is the dashboard's sorting code.
OWN_SCRIPTS = {"index.html": 1}


def hostile_run() -> AuditRun:
    lines = ["恶意单位" + HOSTILE, "2020年政府信息公开工作年度报告", "正文 " + HOSTILE]
    table = make_table("2021", "四", {})
    report = Report(source=f"reports/{IMAGE}.txt", body="测试局" + HOSTILE, year=2020, format="2021",
                    lines=lines, tables={"四": table})
    finding = Finding("X-1", "narrative" + HOSTILE, "error", "消息" + HOSTILE,
                      Location(section="一", table="四", row="行政复议", column="总计", line=3, quote=HOSTILE),
                      expected=HOSTILE, actual=HOSTILE, basis="依据" + HOSTILE, remedy="整改" + HOSTILE,
                      body=report.body, year=2020)
    return AuditRun(
        audits=[ReportAudit(report, [finding], [Skipped("X-2", "原因" + HOSTILE)], ["X-1"], prior=HOSTILE)],
        unreadable=[Unreadable(f"reports/{SCRIPT}.doc", "原因" + HOSTILE)],
        rules=[RuleInfo("X-1", "标题" + HOSTILE, "narrative" + HOSTILE, "error", "说明" + HOSTILE,
                        "依据" + HOSTILE, "整改" + HOSTILE, "rules/" + HOSTILE)])


def assert_escaped(pages: list[Path], hostile: str) -> None:
    """No element, handler or script came from the text, and the text itself is all there."""
    for html_file in pages:
        source = html_file.read_text(encoding="utf-8")
        root = page(html_file)
        assert not root.xpath("//img"), html_file
        handlers = [(e.tag, a) for e in root.iter() if isinstance(e.tag, str) for a in e.attrib if a.startswith("on")]
        assert handlers == [], html_file
        assert len(root.xpath("//script")) == OWN_SCRIPTS.get(html_file.name, 0), html_file
        assert "alert('x')" not in " ".join(root.xpath("//script/text()"))
        # The text is there, as text: escaped in the source, intact once parsed.
        assert "&lt;script&gt;alert(" in source, html_file
        assert hostile in root.text_content(), html_file


def test_markup_in_report_text_is_escaped_on_every_page(tmp_path: Path):
    write_outputs(hostile_run(), tmp_path)
    pages = sorted(tmp_path.rglob("*.html"))
    assert [str(p.relative_to(tmp_path)) for p in pages] == [
        "index.html", "notices/img src=x onerror=_alert(1).html", "reports/img src=x onerror=_alert(1).html",
        "rules.html"]
    assert_escaped(pages, HOSTILE)


def test_markup_in_a_report_file_is_escaped_through_a_real_audit(tmp_path: Path):
    """The same through parser and rules: the body line and the sentence the narrative rule quotes."""
    lines = (ROOT / "reports" / "2020-周村区科技局.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "周村区科技局" and "未收到政府信息公开申请" in lines[8]
    lines[0] = "周村区科技局" + SCRIPT
    lines[8] = lines[8].replace("未收到政府信息公开申请", IMAGE + "未收到政府信息公开申请")
    source = tmp_path / "2020-<script>.txt"  # a file name cannot hold the closing tag's slash
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    main(["audit", str(source), "-o", str(tmp_path / "out")])
    pages = sorted((tmp_path / "out").rglob("*.html"))
    assert len(pages) == 4  # dashboard, catalogue, the report's page and its notice
    report_page = next(p for p in pages if p.parent.name == "reports")
    assert IMAGE in page(report_page).text_content()  # the quoted sentence kept its markup as text
    assert_escaped([p for p in pages if p.name != "rules.html"], "<script>alert('x')")


def test_markup_reaches_the_word_notice_as_plain_text(tmp_path: Path):
    write_outputs(hostile_run(), tmp_path)
    document = Document(str(next((tmp_path / "notices").glob("*.docx"))))
    cells = [cell.text for row in document.tables[0].rows for cell in row.cells]
    assert "【错误】消息" + HOSTILE in cells
    assert "测试局" + HOSTILE + "：" in [p.text for p in document.paragraphs]

"""The pages, the CSV and the file layout written for a realistic run (see render_sample_run)."""
from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote

import pytest

from engine.model import SEVERITIES, AuditRun, Report, ReportAudit, Skipped
from engine.render import write_outputs
from render_html import by_id, page, text, with_class
from render_sample_run import sample_run

ZHOUCUN_PAGE = "reports/2020-周村区科技局.html"
LINGWU_PAGE = "reports/2021-灵武市科学技术局.html"


@pytest.fixture(scope="module")
def run():
    return sample_run()


@pytest.fixture(scope="module")
def out(run, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("audits")
    write_outputs(run, folder, None)
    return folder


def test_files_written(out):
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert written == [".ogi-audit-manifest.json", "findings.csv", "findings.json", "findings.sarif", "findings.xlsx",
                       "index.html", "notices/2020-周村区科技局.docx",
                       "notices/2020-周村区科技局.html", ZHOUCUN_PAGE, LINGWU_PAGE, "rules.html"]


def test_report_page_lists_each_finding_with_its_details(run, out):
    root = page(out / ZHOUCUN_PAGE)
    articles = with_class(root, "article", "finding")
    audit = run.audits[0]
    assert len(articles) == len(audit.findings) == 8
    assert {text(a.xpath(".//h4")[0]).split(" ", 2)[2] for a in articles} == {f.message for f in audit.findings}
    first = by_id(root, "f1")  # totals come first, most severe first, then by line
    assert "收到和处理政府信息公开申请情况表（表三） · 一、本年新收政府信息公开申请数量 · 总计 · 原文第121行" in text(first)
    fields = dict(zip([text(d) for d in first.xpath(".//dt")], [text(d) for d in first.xpath(".//dd")]))
    assert fields["应为"] == "0" and fields["实为"] == "3"
    assert fields["依据"] == "国办公开办函〔2019〕60号、〔2021〕30号 年度报告格式表三"
    assert fields["整改要求"] == "核对表三各行数据，使总计与各类申请人之和一致。"
    assert fields["规则"] == "TOT-001 表三每行总计等于各类申请人之和"
    categories = [text(h) for h in by_id(root, "findings").xpath("./h3")]
    assert categories == ["合计与勾稽关系（4 项）", "空白单元格（1 项）", "联系方式（1 项）", "统计期限（1 项）",
                          "正文与表格一致（1 项）"]


def _cell(root, table: int, row_label: str, column: str):
    grid = by_id(root, f"t{table}")
    columns = [text(th) for th in grid.xpath("./thead/tr/th")][1:]
    rows = grid.xpath("./tbody/tr")
    row = next(r for r in rows if text(r.xpath("./th")[0]).startswith(row_label))
    return row.xpath("./td")[[c.split("[")[0] for c in columns].index(column)]


def test_offending_cells_are_marked_and_linked_to_their_findings(out):
    root = page(out / ZHOUCUN_PAGE)
    for row, column, number in (("一、本年新收政府信息公开申请数量", "总计", 1),
                                ("（一）予以公开", "总计", 2), ("（七）总计", "自然人", 3)):
        cell = _cell(root, 0, row, column)
        assert "marked" in cell.classes and "error" in cell.classes, (row, column)
        assert cell.xpath(".//a/@href") == [f"#f{number}"]
        assert cell.text.strip() == "3"
        # ... and the finding links back to the cell.
        assert f"#{cell.get('id')}" in by_id(root, f"f{number}").xpath(".//a/@href")
    blank = _cell(root, 0, "四、结转下年度继续办理", "总计")
    assert {"blank", "marked", "warning"} <= set(blank.classes)
    assert blank.xpath(".//a/@href") == ["#f5"]
    untouched = _cell(root, 0, "二、上年结转政府信息公开申请数量", "总计")
    assert "marked" not in untouched.classes and untouched.text.strip() == "0"
    heading = by_id(root, "t0-h-0")  # the 勾稽关系 finding concerns the whole 自然人 column
    assert "marked" in heading.classes and heading.xpath(".//a/@href") == ["#f4"]


def test_quoted_source_lines_carry_their_places(out):
    root = page(out / ZHOUCUN_PAGE)
    line = by_id(root, "L9")
    assert text(line.xpath("./span[@class='no']")[0]) == "第9行"  # a text file's place is its line
    assert "2020年我局未收到政府信息公开申请。" in text(line)
    assert line.xpath(".//a/@href") == ["#f8"]
    assert {li.get("id") for li in by_id(root, "source").xpath(".//li")} >= {"L8", "L9", "L10", "L121", "L340"}


def _rows(element) -> list[list[str]]:
    return [[text(td) for td in tr.xpath("./td")] for tr in element.xpath(".//tbody/tr")]


def test_skipped_checks_are_listed_never_as_passed(out):
    root = page(out / LINGWU_PAGE)
    skipped = by_id(root, "skipped")
    assert _rows(skipped) == [["PRY-001", "上年结转等于上年度结转下年度",
                               "本批未提供灵武市科学技术局 2020 年度报告，无法核对上年结转"]]
    assert "不能视为合格" in text(skipped)
    assert "未发现问题。但有 1 项检查未能进行" in text(by_id(root, "findings"))
    assert not root.xpath('//a[contains(@href, "notices/")]')


def test_dashboard_counts_equal_the_findings(run, out):
    root = page(out / "index.html")
    table = root.xpath('//table[contains(@class, "dashboard")]')[0]
    headings = [text(th).replace(" ", "") for th in table.xpath("./thead/tr/th")]
    findings = json.loads(json.dumps([[f.to_dict() for f in a.findings] for a in run.audits]))
    for audit, row, listed in zip(run.audits, table.xpath("./tbody/tr"), findings, strict=True):
        cells = dict(zip(headings, [text(td) for td in row.xpath("./td")]))
        assert cells["发布机关"] == audit.report.body
        for code, label in zip(SEVERITIES, ("错误", "警告", "提示")):
            assert int(cells[label]) == sum(1 for f in listed if f["severity"] == code)
        assert int(cells["合计与勾稽关系"]) == sum(1 for f in listed if f["category"] == "totals")
        assert int(cells["未检查"]) == len(audit.skipped)
        assert unquote(row.xpath(".//a/@href")[0]) == f"reports/{Path(audit.report.source).stem}.html"
    conclusions = [text(row.xpath("./td")[4]) for row in table.xpath("./tbody/tr")]
    assert conclusions == ["有错误", "未发现问题，1项未检查"]  # a check not run is never shown as passed
    foot = dict(zip(headings[5:], [text(td) for td in table.xpath("./tfoot/tr/td")]))
    assert (foot["错误"], foot["警告"], foot["提示"], foot["未检查"]) == ("5", "3", "0", "2")
    unreadable = by_id(root, "unreadable")
    assert _rows(unreadable) == [["reports/年报扫描件.pdf", "文件不是文本：请先转换为 .txt 再审核"]]


def test_links_between_pages_resolve(out):
    for html_file in out.rglob("*.html"):
        for href in page(html_file).xpath("//a/@href"):
            target = href.split("#")[0]
            if target:
                assert (html_file.parent / unquote(target)).resolve().exists(), (html_file, href)


def test_rule_catalogue_shows_every_rule(run, out):
    root = page(out / "rules.html")
    for rule in run.rules:
        row = by_id(root, rule.id)
        assert rule.title in text(row) and rule.basis in text(row) and rule.description in text(row)


def test_csv_has_a_bom_and_one_row_per_finding_then_one_per_input_not_audited(run, out):
    raw = (out / "findings.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    findings, others = rows[:-len(run.unreadable) or None], rows[len(rows) - len(run.unreadable):]
    assert len(findings) == sum(len(a.findings) for a in run.audits)
    assert {r["指纹"] for r in findings} == {f.fingerprint for a in run.audits for f in a.findings}
    assert [(r["来源文件"], r["严重程度"]) for r in others] == [(u.source, "无法读取") for u in run.unreadable]
    first = next(r for r in rows if r["行"] == "（七）总计")
    assert (first["严重程度"], first["类别"], first["列"], first["原文位置"]) == ("错误", "合计与勾稽关系", "自然人", "第340行")


def test_pages_are_self_contained(out):
    for html_file in out.rglob("*.html"):
        root = page(html_file)
        assert not root.xpath("//link | //script[@src] | //img | //iframe"), html_file
        style = " ".join(root.xpath("//style/text()"))
        assert "@import" not in style and "url(" not in style and "@font-face" not in style


def test_a_notice_no_run_wrote_is_kept_beside_a_now_clean_report(run, tmp_path):
    """Issue 8 point 7: only what a run wrote is removed; a stale notice a run did write is removed
    (tests/test_render_manifest.py)."""
    write_outputs(run, tmp_path)
    (tmp_path / "notices" / "2021-灵武市科学技术局.html").write_text("old", encoding="utf-8")
    write_outputs(run, tmp_path)
    assert sorted(p.name for p in (tmp_path / "notices").iterdir()) == ["2020-周村区科技局.docx",
                                                                       "2020-周村区科技局.html",
                                                                       "2021-灵武市科学技术局.html"]
    assert (tmp_path / "notices" / "2021-灵武市科学技术局.html").read_text(encoding="utf-8") == "old"


def test_a_finding_naming_a_row_by_its_short_name_marks_the_cell(tmp_path):
    run = sample_run()
    first = run.audits[0].findings[0]
    run.audits[0].findings[0] = replace(first, location=replace(first.location, row="本年新收", column="总计"))
    write_outputs(run, tmp_path)
    cell = _cell(page(tmp_path / ZHOUCUN_PAGE), 0, "一、本年新收政府信息公开申请数量", "总计")
    assert "marked" in cell.classes and cell.xpath(".//a/@href") == ["#f1"]


def test_a_report_whose_body_and_year_were_not_read_says_so(tmp_path):
    run = AuditRun(audits=[ReportAudit(Report(source="无标题.txt"), skipped=[Skipped("TOT-001", "没有读到表三")])])
    write_outputs(run, tmp_path)
    assert text(page(tmp_path / "reports" / "无标题.html").xpath("//h1")[0]) == \
        "政府信息公开工作年度报告（发布机关、年度未识别） 审核结果"
    row = page(tmp_path / "index.html").xpath('//table[contains(@class, "dashboard")]/tbody/tr/td')
    assert [text(td) for td in row[:3]] == ["（未识别出发布机关）", "未识别", "未识别"]


def test_a_finding_naming_a_row_and_quoting_a_line_marks_the_cell_on_that_line(tmp_path):
    run = sample_run()
    first = run.audits[0].findings[0]  # 本年新收 总计, read from line 121
    run.audits[0].findings[0] = replace(first, location=replace(first.location, column=None))
    write_outputs(run, tmp_path)
    root = page(tmp_path / ZHOUCUN_PAGE)
    cell = _cell(root, 0, "一、本年新收政府信息公开申请数量", "总计")
    assert "marked" in cell.classes and cell.xpath(".//a/@href") == ["#f1"]


def test_a_rule_without_description_says_so_in_the_catalogue(tmp_path):
    run = sample_run()
    run.rules[0] = replace(run.rules[0], description="")
    write_outputs(run, tmp_path)
    cells = by_id(page(tmp_path / "rules.html"), run.rules[0].id).xpath("./td")
    assert text(cells[3]) == "（规则文件未写 description）"

"""The pages of a real audit of the samples (five texts, three PDFs) (``ogi-audit audit reports -o DIR``).

Expected values come from ``findings.json`` written by the same command, and from what is known of
the samples by hand (issue 3): 周村区科技局 has errors on its 本年新收 and （一）予以公开 totals,
灵武市科学技术局 has nothing above info.
"""
from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest
from docx import Document

from engine.cli import main
from engine.render.settings import load_settings
from render_html import by_id, page, text, with_class
from render_sample_run import ROOT

NOTICE_SEVERITIES = ("error", "warning")


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("audit")
    assert main(["audit", str(ROOT / "reports"), "-o", str(folder)]) == 1  # the samples have errors
    return folder


@pytest.fixture(scope="module")
def reports(out) -> dict[str, dict]:
    return {Path(r["source"]).stem: r for r in json.loads((out / "findings.json").read_text(encoding="utf-8"))}


def test_zhoucun_page_lists_each_finding_and_marks_its_totals(out, reports):
    findings = reports["2020-周村区科技局"]["findings"]
    root = page(out / "reports" / "2020-周村区科技局.html")
    articles = with_class(root, "article", "finding")
    assert sorted(text(a.xpath(".//h4")[0]).split(" ", 2)[2] for a in articles) == sorted(f["message"] for f in findings)
    table = next(t for t in root.xpath("//table[contains(@class, 'report')]") if "（表三）" in text(t.xpath("./caption")[0]))
    columns = [th.text.strip() for th in table.xpath("./thead/tr/th")]
    for row_label in ("一、本年新收政府信息公开申请数量", "（一）予以公开"):
        row = next(r for r in table.xpath("./tbody/tr") if r.xpath("./th")[0].text.strip() == row_label)
        cell = row.xpath("./td")[columns.index("总计") - 1]
        assert cell.text.strip() == "3" and {"marked", "error"} <= set(cell.classes), row_label
        finding = by_id(root, cell.xpath(".//a/@href")[0][1:])
        assert row_label in text(finding) and "TOT-001" in text(finding)


def test_dashboard_counts_equal_the_findings_json(out, reports):
    root = page(out / "index.html")
    table = root.xpath('//table[contains(@class, "dashboard")]')[0]
    headings = [text(th) for th in table.xpath("./thead/tr/th")]
    rows = table.xpath("./tbody/tr")
    assert len(rows) == len(reports) == 8
    labels = {"error": "错误", "warning": "警告", "info": "提示"}
    settings = load_settings()
    totals: Counter = Counter()
    for row in rows:
        cells = dict(zip(headings, [text(td) for td in row.xpath("./td")]))
        report = reports[Path(cells["来源文件"]).stem]
        severities = Counter(f["severity"] for f in report["findings"])
        for code, label in labels.items():
            assert int(cells[label]) == severities[code], (report["source"], label)
            totals[label] += severities[code]
        categories = Counter(settings.category(f["category"]) for f in report["findings"])
        assert {c: int(cells[c]) for c in headings[8:-2]} == {c: categories[c] for c in headings[8:-2]}
        assert int(cells["未检查"]) == len(report["skipped"])
        totals["未检查"] += len(report["skipped"])
    foot = dict(zip(headings[5:], [text(td) for td in table.xpath("./tfoot/tr/td")]))
    assert {k: int(foot[k]) for k in totals} == dict(totals)
    category_columns = headings[8:-2]
    assert sum(int(foot[c]) for c in category_columns) == sum(len(r["findings"]) for r in reports.values())


def test_notices_for_reports_with_errors_or_warnings_only(out, reports):
    expected = sorted(stem for stem, r in reports.items() if any(f["severity"] in NOTICE_SEVERITIES for f in r["findings"]))
    assert "2021-灵武市科学技术局" not in expected
    assert sorted(p.stem for p in (out / "notices").glob("*.html")) == expected
    assert sorted(p.stem for p in (out / "notices").glob("*.docx")) == expected
    assert (out / "reports" / "2021-灵武市科学技术局.html").exists()


def test_word_notices_hold_one_row_per_error_or_warning(out, reports):
    for notice in sorted((out / "notices").glob("*.docx")):
        rows = Document(str(notice)).tables[0].rows
        wanted = [f for f in reports[notice.stem]["findings"] if f["severity"] in NOTICE_SEVERITIES]
        assert [c.text for c in rows[0].cells] == ["序号", "问题", "位置", "依据", "整改要求"]
        assert sorted(row.cells[1].text.split("】", 1)[1] for row in rows[1:]) == sorted(f["message"] for f in wanted)


def test_csv_rows_equal_the_findings_json(out, reports):
    rows = list(csv.DictReader((out / "findings.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert sorted(r["指纹"] for r in rows) == sorted(f["fingerprint"] for r in reports.values() for f in r["findings"])


def test_notices_carry_no_unfilled_placeholders(out):
    """What the office sends must read as finished text: a rule's ``{{ item }}`` left in a remedy
    would reach the agency as written."""
    for notice in sorted((out / "notices").glob("*.html")):
        body = text(page(notice))
        assert "{{" not in body and "}}" not in body, (notice.name, body[body.find("{{") - 40:body.find("{{") + 40])

"""The exports for the office and for IT (issue 9 point 6): ``findings.xlsx`` read back with openpyxl,
``findings.sarif`` validated against the official SARIF 2.1.0 schema (``samples/sarif-schema-2.1.0.json``,
OASIS, errata01), and ``--outputs`` choosing what a run writes without touching the rest.

Expected values come from the hand-built run of render_sample_run (eight findings on 周村区科技局 2020,
none on 灵武市, one input unreadable), from findings.json of the same real audit, and from findings that
are built here with what they must show.
"""
from __future__ import annotations

import csv
import json
import zipfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import openpyxl
import pytest

from engine.cli import main
from engine.model import AuditRun, Finding, Location, Report, ReportAudit, Review, Unreadable
from engine.render import write_outputs
from engine.render.findings_xlsx import COLUMNS, SHEET
from engine.render.manifest import MANIFEST
from engine.render.outputs import EXPORTS
from engine.render.settings import load_settings
from render_sample_run import LINGWU, ROOT, RULES, ZHOUCUN, lingwu_audit, sample_run, zhoucun_audit
from test_render_escaping import HOSTILE, hostile_run

SCHEMA = json.loads((Path(__file__).parent / "samples" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
REPORTS = ROOT / "reports"
HEADER = [title for title, _ in COLUMNS]



def sarif_log(run: AuditRun, folder: Path) -> dict:
    """The SARIF log of ``run`` as written, read back."""
    [sarif] = [export for export in EXPORTS if export.name == "sarif"]
    writer = sarif.open(folder / "findings.sarif", run, load_settings())
    for audit in run.audits:
        writer.add(audit)
    writer.close()
    return json.loads((folder / "findings.sarif").read_text(encoding="utf-8"))

def sheet_rows(path: Path) -> list[dict[str, object]]:
    sheet = openpyxl.load_workbook(path)[SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    return [dict(zip(HEADER, row)) for row in rows[1:]]


def assert_valid_sarif(log: dict) -> None:
    validator = jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(log)]
    assert errors == []


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("exports")
    write_outputs(sample_run(), folder)
    return folder


@pytest.fixture(scope="module")
def real(tmp_path_factory) -> Path:
    """A real audit of the samples (five texts, three PDFs) with every output."""
    folder = tmp_path_factory.mktemp("real")
    assert main(["audit", str(REPORTS), "-o", str(folder)]) == 1
    return folder


def test_the_schema_file_is_the_official_one():
    jsonschema.Draft4Validator.check_schema(SCHEMA)
    assert SCHEMA["id"] == "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    assert SCHEMA["properties"]["version"]["enum"] == ["2.1.0"]


# --- findings.xlsx --------------------------------------------------------------------------------

def test_xlsx_holds_every_finding_in_the_offices_words(out):
    rows = sheet_rows(out / "findings.xlsx")
    zhoucun = zhoucun_audit()
    findings = [r for r in rows if r["规则"]]
    assert sorted(r["指纹"] for r in findings) == sorted(f.fingerprint for f in zhoucun.findings)
    first = next(r for r in findings if r["问题"] == "表三“一、本年新收政府信息公开申请数量”总计为 3，六类申请人之和为 0")
    assert first == {
        "来源文件": ZHOUCUN, "发布机关": "周村区科技局", "年度": 2020, "规则": "TOT-001",
        "规则名称": "表三每行总计等于各类申请人之和", "严重程度": "错误", "类别": "合计与勾稽关系",
        "问题": "表三“一、本年新收政府信息公开申请数量”总计为 3，六类申请人之和为 0",
        "位置": "收到和处理政府信息公开申请情况表（表三） · 一、本年新收政府信息公开申请数量 · 总计 · 原文第121行",
        "原文": "3", "应为": "0", "实为": "3", "依据": "国办公开办函〔2019〕60号、〔2021〕30号 年度报告格式表三",
        "整改要求": "核对表三各行数据，使总计与各类申请人之和一致。", "状态": None, "审核意见": None,
        "指纹": zhoucun.findings[0].fingerprint, "重复文件": None}
    assert {r["位置"] for r in findings if r["规则"] in ("CON-001", "PER-001")} == {"全文"}


def test_xlsx_lists_the_input_not_audited_and_matches_the_csv(out):
    rows = sheet_rows(out / "findings.xlsx")
    assert rows[-1]["来源文件"] == "reports/年报扫描件.pdf" and rows[-1]["严重程度"] == "无法读取"
    assert rows[-1]["问题"] == "无法读取：文件不是文本：请先转换为 .txt 再审核" and rows[-1]["规则"] is None
    with (out / "findings.csv").open(encoding="utf-8-sig", newline="") as stream:
        listed = list(csv.DictReader(stream))
    assert [(r["来源文件"], r["严重程度"], r["问题"], r["指纹"]) for r in listed] == [
        (r["来源文件"], r["严重程度"], r["问题"], r["指纹"] or "") for r in rows]


def test_xlsx_header_is_frozen_filtered_and_text_wraps(out):
    sheet = openpyxl.load_workbook(out / "findings.xlsx")[SHEET]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:R{sheet.max_row}" and len(HEADER) == 18
    assert sheet["H2"].alignment.wrap_text and sheet["A1"].font.b
    widths = {title: sheet.column_dimensions[chr(ord("A") + i)].width for i, title in enumerate(HEADER)}
    assert widths["问题"] > widths["规则"] > widths["年度"]
    assert all(widths[title] < widest + 3 for title, widest in COLUMNS)  # long text wraps instead


def test_xlsx_of_a_real_audit_holds_what_findings_json_holds(real):
    reports = json.loads((real / "findings.json").read_text(encoding="utf-8"))
    rows = sheet_rows(real / "findings.xlsx")
    assert sorted(r["指纹"] for r in rows if r["指纹"]) == sorted(
        f["fingerprint"] for r in reports for f in r["findings"])
    assert {r["来源文件"] for r in rows} <= {r["source"] for r in reports}
    pdf = next(r for r in rows if str(r["来源文件"]).endswith(".pdf") and r["位置"] and "页" in r["位置"])
    assert "原文第" in pdf["位置"]  # the reader's place in the agency's own PDF


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    """Report text is the agencies': a cell must never become a formula Excel would run."""
    formulas = ["=HYPERLINK(\"http://example.com\",\"点击\")", "+1+1", "-2+3", "@SUM(A1)", "=1+1"]
    report = Report(source="=cmd.txt", body=formulas[2], year=2020, lines=["x"] * 3)
    finding = Finding("X-1", "narrative", "error", formulas[0], Location(line=2, quote=formulas[1]),
                      expected=formulas[3], actual=formulas[4], basis=formulas[4], remedy=formulas[1],
                      body=report.body, year=2020)
    write_outputs(AuditRun([ReportAudit(report, [finding])]), tmp_path, outputs=("xlsx",))
    sheet = openpyxl.load_workbook(tmp_path / "findings.xlsx")[SHEET]
    cells = {title: sheet.cell(2, i + 1) for i, title in enumerate(HEADER)}
    for title, value in (("来源文件", "=cmd.txt"), ("发布机关", formulas[2]), ("问题", formulas[0]),
                         ("原文", formulas[1]), ("应为", formulas[3]), ("实为", formulas[4]), ("整改要求", formulas[1])):
        assert (cells[title].value, cells[title].data_type) == (value, "s"), title
        assert cells[title].quotePrefix, title  # edited in Excel or WPS, it stays text
    with zipfile.ZipFile(tmp_path / "findings.xlsx") as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode("utf-8")


def test_xlsx_names_the_duplicates(tmp_path):
    first = replace(lingwu_audit(), duplicate_of=("reports/灵武市-副本.txt",), duplicate_by="body")
    copy = ReportAudit(replace(first.report, source="reports/灵武市-副本.txt"), duplicate_of=(LINGWU,),
                       duplicate_by="body")
    write_outputs(AuditRun([first, copy], rules=list(RULES)), tmp_path, outputs=("xlsx", "csv"))
    rows = sheet_rows(tmp_path / "findings.xlsx")
    assert [(r["来源文件"], r["严重程度"], r["重复文件"]) for r in rows] == [
        (LINGWU, "重复报告", "reports/灵武市-副本.txt"), ("reports/灵武市-副本.txt", "重复报告", LINGWU)]
    assert rows[0]["问题"] == "未发现问题；与 reports/灵武市-副本.txt 是同一单位同一年度的报告"


# --- status and review (filled by the history store; empty until then) -----------------------------

REVIEW = Review("dismissed", "该局本年确无申请，0 是正确的", "张三", datetime(2026, 3, 1, 10, 30))


def _reviewed_run() -> AuditRun:
    audit = zhoucun_audit()
    audit.findings[0] = replace(audit.findings[0], status="open", review=REVIEW)
    audit.findings[1] = replace(audit.findings[1], status="reappeared",
                                review=Review("confirmed", "核实属实", None, datetime(2026, 3, 2, 9, 0)))
    audit.findings[2] = replace(audit.findings[2], status="new")
    return AuditRun([audit], rules=list(RULES))


def test_status_and_review_reach_the_xlsx(tmp_path):
    run = _reviewed_run()
    write_outputs(run, tmp_path, outputs=("xlsx",))
    by_print = {r["指纹"]: r for r in sheet_rows(tmp_path / "findings.xlsx")}
    first, second, third = (by_print[f.fingerprint] for f in run.audits[0].findings[:3])
    assert (first["状态"], first["审核意见"]) == ("仍未整改", "已驳回：该局本年确无申请，0 是正确的（张三，2026-03-01 10:30）")
    assert (second["状态"], second["审核意见"]) == ("再次出现", "已确认：核实属实（2026-03-02 09:00）")
    assert (third["状态"], third["审核意见"]) == ("新发现", None)


def test_status_and_review_reach_the_sarif(tmp_path):
    run = _reviewed_run()
    log = sarif_log(run, tmp_path)
    assert_valid_sarif(log)
    results = {r["partialFingerprints"]["ogiAuditFinding/v1"]: r for r in log["runs"][0]["results"] if "kind" not in r}
    first, second, third, fourth = (results[f.fingerprint] for f in run.audits[0].findings[:4])
    assert first["baselineState"] == "unchanged" and first["properties"]["status"] == "open"
    assert first["suppressions"] == [{"kind": "external", "status": "accepted",
                                      "justification": "该局本年确无申请，0 是正确的", "properties": REVIEW.to_dict()}]
    assert first["properties"]["review"] == {"decision": "dismissed", "reason": "该局本年确无申请，0 是正确的",
                                             "by": "张三", "at": "2026-03-01T10:30:00"}
    assert second["baselineState"] == "new" and "suppressions" not in second  # confirmed: still a finding
    assert second["properties"]["review"]["decision"] == "confirmed"
    assert third["baselineState"] == "new" and third["properties"]["review"] is None
    assert "baselineState" not in fourth and fourth["properties"]["status"] is None  # no store consulted


# --- findings.sarif -------------------------------------------------------------------------------

def test_sarif_of_the_sample_run_is_valid_and_holds_every_finding(out):
    log = json.loads((out / "findings.sarif").read_text(encoding="utf-8"))
    assert_valid_sarif(log)
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "ogi-audit" and driver["version"]
    assert [r["id"] for r in driver["rules"]] == [r.id for r in RULES]
    tot = driver["rules"][0]
    assert tot["shortDescription"]["text"] == "表三每行总计等于各类申请人之和"
    assert tot["fullDescription"]["text"].startswith("表三每一行的“总计”应等于")
    assert tot["help"]["text"] == ("整改要求：核对表三各行数据，使总计与各类申请人之和一致。\n"
                                   "依据：国办公开办函〔2019〕60号、〔2021〕30号 年度报告格式表三")
    assert {r["id"]: r["defaultConfiguration"]["level"] for r in driver["rules"]}["BLK-001"] == "warning"
    findings = [r for r in run["results"] if "kind" not in r]
    zhoucun = zhoucun_audit()
    assert sorted(r["partialFingerprints"]["ogiAuditFinding/v1"] for r in findings) == sorted(
        f.fingerprint for f in zhoucun.findings)
    levels = {f.fingerprint: f.severity for f in zhoucun.findings}
    assert all(r["level"] == {"error": "error", "warning": "warning", "info": "note"}[
        levels[r["partialFingerprints"]["ogiAuditFinding/v1"]]] for r in findings)
    for result in findings:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["properties"]["body"] == "周村区科技局" and result["properties"]["year"] == 2020


def test_sarif_places_findings_where_the_file_has_them(out):
    results = [r for r in json.loads((out / "findings.sarif").read_text(encoding="utf-8"))["runs"][0]["results"]
               if "kind" not in r]
    total = next(r for r in results if r["properties"]["row"] == "一、本年新收政府信息公开申请数量")
    location = total["locations"][0]
    assert location["physicalLocation"]["region"] == {"startLine": 121}  # a text input: the file's own line
    assert unquote(location["physicalLocation"]["artifactLocation"]["uri"]) == ZHOUCUN
    assert location["physicalLocation"]["artifactLocation"]["uri"].isascii()
    assert location["message"]["text"] == ("收到和处理政府信息公开申请情况表（表三） · 一、本年新收政府信息公开申请数量 · "
                                           "总计 · 原文第121行")
    assert {k: total["properties"][k] for k in ("section", "table", "column", "line", "place")} == {
        "section": "三", "table": "三", "column": "总计", "line": 121, "place": "第121行"}
    whole = next(r for r in results if r["ruleId"] == "PER-001")["locations"][0]
    assert "region" not in whole["physicalLocation"] and whole["message"]["text"] == "全文"


def test_sarif_says_what_was_not_checked_and_not_audited(out):
    run = json.loads((out / "findings.sarif").read_text(encoding="utf-8"))["runs"][0]
    open_results = [r for r in run["results"] if r.get("kind") == "open"]
    assert [(r["ruleId"], r["level"], r["properties"]["body"]) for r in open_results] == [
        ("PRY-001", "none", "周村区科技局"), ("PRY-001", "none", "灵武市科学技术局")]
    assert open_results[0]["message"]["text"] == "未检查：本批未提供周村区科技局 2019 年度报告，无法核对上年结转"
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    [notification] = invocation["toolExecutionNotifications"]
    assert notification["level"] == "error" and notification["descriptor"] == {"id": "input-unreadable"}
    assert notification["message"]["text"] == "无法读取：文件不是文本：请先转换为 .txt 再审核"
    where = notification["locations"][0]["physicalLocation"]["artifactLocation"]
    assert unquote(where["uri"]) == "reports/年报扫描件.pdf"
    assert unquote(run["artifacts"][where["index"]]["location"]["uri"]) == "reports/年报扫描件.pdf"
    assert [unquote(a["location"]["uri"]) for a in run["artifacts"]] == [ZHOUCUN, LINGWU, "reports/年报扫描件.pdf"]


def test_sarif_excluded_inputs_are_notes_and_the_run_is_complete(tmp_path):
    run = AuditRun([lingwu_audit()], [Unreadable("in/~$锁文件.docx", "Office 锁文件，不是报告", excluded=True)],
                   list(RULES))
    log = sarif_log(run, tmp_path)
    assert_valid_sarif(log)
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is True
    assert [(n["level"], n["message"]["text"]) for n in invocation["toolExecutionNotifications"]] == [
        ("note", "未审核：Office 锁文件，不是报告")]


def test_sarif_of_a_real_audit_is_valid_and_places_pdf_findings_by_the_reader(real):
    log = json.loads((real / "findings.sarif").read_text(encoding="utf-8"))
    assert_valid_sarif(log)
    reports = json.loads((real / "findings.json").read_text(encoding="utf-8"))
    results = [r for r in log["runs"][0]["results"] if "kind" not in r]
    assert sorted(r["partialFingerprints"]["ogiAuditFinding/v1"] for r in results) == sorted(
        f["fingerprint"] for r in reports for f in r["findings"])
    assert len([r for r in log["runs"][0]["results"] if r.get("kind") == "open"]) == sum(
        len(r["skipped"]) for r in reports)
    in_pdf = [r for r in results if unquote(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]).endswith(".pdf")
              and r["properties"]["line"]]
    assert in_pdf
    for result in in_pdf:  # the parser's line is no line of the PDF: no region, the reader's place instead
        location = result["locations"][0]
        assert "region" not in location["physicalLocation"]
        assert result["properties"]["place"].startswith("第") and "页" in result["properties"]["place"]
        assert location["message"]["text"].endswith("原文" + result["properties"]["place"])


def test_sarif_keeps_hostile_text_as_data(tmp_path):
    log = sarif_log(hostile_run(), tmp_path)
    assert_valid_sarif(log)
    result = log["runs"][0]["results"][0]
    assert result["message"]["text"] == "消息" + HOSTILE and result["properties"]["quote"] == HOSTILE
    assert log["runs"][0]["artifacts"][0]["location"]["uri"].isascii()


# --- --outputs ------------------------------------------------------------------------------------

def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_outputs_writes_only_what_was_chosen(tmp_path, capsys):
    extra = tmp_path / "extra.json"
    out = tmp_path / "out"
    assert main(["audit", str(REPORTS / "2020-周村区科技局.txt"), "-o", str(out), "--outputs", "xlsx, SARIF",
                 "--json", str(extra)]) == 1
    assert _files(out) == ["findings.sarif", "findings.xlsx"]
    written = json.loads(extra.read_text(encoding="utf-8"))
    assert [r["body"] for r in written] == ["周村区科技局"]
    assert sorted(r["指纹"] for r in sheet_rows(out / "findings.xlsx")) == sorted(
        f["fingerprint"] for f in written[0]["findings"])
    captured = capsys.readouterr()
    assert f"结果已写入 {out}/：findings.xlsx、findings.sarif。" in captured.out
    assert "整改通知书均为草稿" not in captured.err  # no notice was written, so none is a draft


def test_an_unknown_output_is_refused_before_anything_is_done(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["audit", str(REPORTS / "2020-周村区科技局.txt"), "-o", str(out), "--outputs", "xlsx,pdf"]) == 2
    assert not out.exists()
    assert capsys.readouterr().err.strip() == (
        "--outputs 中的 pdf 不是可选的输出；可选的有 json、csv、xlsx、sarif、html、notices（用逗号分隔，默认全部）。"
        "未进行审核。")
    assert main(["audit", str(REPORTS / "2020-周村区科技局.txt"), "-o", str(out), "--outputs", ","]) == 2
    assert "--outputs 没有写要输出什么" in capsys.readouterr().err and not out.exists()


def test_by_default_every_output_is_written(real):
    assert {"findings.json", "findings.csv", "findings.xlsx", "findings.sarif", "index.html", "rules.html",
            MANIFEST} <= set(_files(real))
    assert any(name.startswith("notices/") for name in _files(real))
    assert any(name.startswith("reports/") for name in _files(real))


def test_a_run_without_pages_or_notices_leaves_them_and_their_manifest_alone(tmp_path):
    """What a run does not write it neither replaces nor removes: here the report with a notice is gone
    from the batch, which would remove its notice and page in a run that wrote them."""
    run = sample_run()
    write_outputs(run, tmp_path)
    before = {name: (tmp_path / name).read_bytes() for name in _files(tmp_path)}
    only_lingwu = AuditRun([run.audits[1]], rules=run.rules)

    write_outputs(only_lingwu, tmp_path, outputs=("csv",))
    assert {name: (tmp_path / name).read_bytes() for name in _files(tmp_path) if name != "findings.csv"} == {
        name: data for name, data in before.items() if name != "findings.csv"}

    kept = write_outputs(only_lingwu, tmp_path, outputs=("html",))
    assert kept == []
    files = _files(tmp_path)
    assert "reports/2020-周村区科技局.html" not in files  # a page of ours this run no longer writes: removed
    assert {"notices/2020-周村区科技局.html", "notices/2020-周村区科技局.docx"} <= set(files)  # not written now: kept
    listed = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))["files"]
    assert {"notices/2020-周村区科技局.html", "notices/2020-周村区科技局.docx", "reports/2021-灵武市科学技术局.html"} == set(listed)

    write_outputs(only_lingwu, tmp_path, outputs=("notices",))  # now the notice is ours and no longer written
    assert not (tmp_path / "notices" / "2020-周村区科技局.html").exists()
    assert "reports/2021-灵武市科学技术局.html" in _files(tmp_path)


def test_pages_without_notices_link_to_the_notices_an_earlier_run_wrote(tmp_path):
    write_outputs(sample_run(), tmp_path)
    (tmp_path / "reports" / "2020-周村区科技局.html").unlink()
    write_outputs(sample_run(), tmp_path, outputs=("html",))
    page = (tmp_path / "reports" / "2020-周村区科技局.html").read_text(encoding="utf-8")
    assert 'href="../notices/2020-%E5%91%A8%E6%9D%91%E5%8C%BA%E7%A7%91%E6%8A%80%E5%B1%80.html"' in page
    assert (tmp_path / "notices" / "2020-周村区科技局.html").exists()


def test_the_xlsx_written_apart_holds_the_same_cells(tmp_path, monkeypatch):
    """A large batch's xlsx is written in a process of its own (engine.render.apart): cell for cell
    the sheet written here, for the sample run (its duplicates, unreadable input and hostile text)."""
    from engine.render import outputs
    run = sample_run()
    run.audits += hostile_run().audits
    write_outputs(run, tmp_path / "here", outputs=("xlsx",))
    monkeypatch.setattr(outputs, "APART_FROM", 1)
    write_outputs(run, tmp_path / "apart", outputs=("xlsx",))
    rows = sheet_rows(tmp_path / "here" / "findings.xlsx")
    assert len(rows) > len(run.audits) and sheet_rows(tmp_path / "apart" / "findings.xlsx") == rows


@pytest.mark.parametrize("apart_from", [10**9, 1])
def test_an_xlsx_that_cannot_be_written_names_the_file_and_why(tmp_path, monkeypatch, capsys, apart_from):
    """A folder where findings.xlsx goes, here or in the process writing it apart: the command says the
    file and why, no traceback (XlsxWriter's own error wraps the system's)."""
    from engine.render import outputs
    monkeypatch.setattr(outputs, "APART_FROM", apart_from)
    (tmp_path / "out" / "findings.xlsx").mkdir(parents=True)
    assert main(["audit", str(ROOT / ZHOUCUN), "-o", str(tmp_path / "out"), "--no-db", "--outputs", "xlsx"]) == 2
    err = capsys.readouterr().err
    assert f"无法写入输出 {tmp_path / 'out' / 'findings.xlsx'}：这是一个文件夹，不是文件" in err and "Traceback" not in err


def test_an_xlsx_process_that_ends_is_said_not_waited_for(tmp_path):
    """The process writing the xlsx apart killed mid-batch: closing it says which file and why."""
    import os
    import signal

    from engine.batch.pool import children
    from engine.render.apart import Apart
    from engine.render.findings_xlsx import FindingsXlsx
    run = sample_run()
    before = set(children(os.getpid()))
    writer = Apart(FindingsXlsx, tmp_path / "findings.xlsx", run, load_settings())
    [process] = set(children(os.getpid())) - before
    os.kill(process, signal.SIGKILL)
    with pytest.raises(OSError) as raised:
        for audit in run.audits:
            writer.add(audit)
        writer.close()
    assert raised.value.filename == str(tmp_path / "findings.xlsx") and "意外终止（信号 9）" in raised.value.strerror

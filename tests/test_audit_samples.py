"""The sample reports, parsed by the real parser and audited with the shipped rules: the five texts and
three real PDFs, every finding listed, so that any new or lost finding fails here.

Expected findings were checked by hand against the texts in reports/ (cells quoted in the comments) and,
for the PDFs, against /work/shared/real/README.md (as in tests/test_audit_real.py)."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from engine import RULES_DIR
from engine.audit import run_audit
from engine.model import ReportAudit

REPORTS = RULES_DIR.parent / "reports"
RUN = run_audit([REPORTS], RULES_DIR)
AUDITS = {Path(a.report.source).name: a for a in RUN.audits}

ZHOUCUN = "2020-周村区科技局.txt"
LUOYANG = "2020-洛阳市科学技术局.txt"
JINFENG_KJJ = "2020-金凤区科学技术局.txt"
JINFENG = "2020-银川市金凤区.txt"
LINGWU = "2021-灵武市科学技术局.txt"
HONGZE_2023 = "2023-洪泽区人民政府.pdf"
HONGZE_2024 = "2024-淮安市洪泽区人民政府.pdf"
HUAIAN = "2024-淮安市人民政府.pdf"

BLANK_REVIEW = [("warning", "BLK-001", "四", "行政复议", column)
                for column in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")]
NO_CONTACT = [("warning", "CON-001", None, None, None)] * 4
#: Both 洪泽区 reports print （六）其他处理 as one row (the 2021 format has three) and misprint a row label.
HONGZE_ROWS = [("error", "TAB-002", "三", None, None), ("info", "TAB-004", None, None, None),
               ("info", "TAB-004", None, None, None)]

#: Every finding of every sample: (severity, rule, table, row, column).
ALL_FINDINGS = {
    ZHOUCUN: [
        *NO_CONTACT,
        ("warning", "PER-001", None, None, None),
        ("error", "NAR-001", None, None, None),
        ("error", "TOT-002", "三", None, "自然人"),
        ("error", "TOT-001", "三", "一、本年新收政府信息公开申请数量", None),
        ("error", "TOT-001", "三", "（一）予以公开", None),
        ("error", "TOT-003", "三", None, "自然人"),
        ("warning", "BLK-001", "三", "四、结转下年度继续办理", "总计"),
    ],
    LUOYANG: [
        ("error", "SEC-001", None, None, None),
        ("error", "TAB-001", "二(六)", None, None),
        ("error", "TAB-001", "二(八)", None, None),
        ("error", "TAB-001", "二(九)", None, None),
        ("error", "TAB-002", "三", None, None),
        ("info", "TAB-004", None, None, None),
        *NO_CONTACT,
        ("warning", "PER-001", None, None, None),
        *BLANK_REVIEW,
    ],
    JINFENG_KJJ: BLANK_REVIEW,
    JINFENG: [("warning", "CON-001", None, None, None), *BLANK_REVIEW, ("info", "SEC-003", None, None, None)],
    LINGWU: [],
    # 表四 totals printed 0 beside parts that add up to 11 (行政复议) and 5 (复议后起诉).
    HONGZE_2023: [*HONGZE_ROWS, ("error", "TOT-004", "四", "行政复议", None),
                  ("error", "TOT-004", "四", "行政诉讼-复议后起诉", None)],
    # No e-mail; 受理…申请 17 件 in the text (the district office's count) while 表三 counts 95: a hint for the
    # auditor, not a warning. Paired with 2023 across the change of name.
    HONGZE_2024: [*HONGZE_ROWS, ("warning", "CON-001", None, None, None), ("info", "NAR-011", None, None, None)],
    HUAIAN: [],
}


def _listed(audit: ReportAudit) -> Counter:
    return Counter((f.severity, f.rule, f.location.table, f.location.row, f.location.column)
                   for f in audit.findings)


def _one(audit: ReportAudit, rule: str, **where):
    found = [f for f in audit.findings if f.rule == rule
             and all(getattr(f.location, k) == v for k, v in where.items())]
    assert len(found) == 1, (rule, where, [f.message for f in audit.findings])
    return found[0]


def test_every_sample_is_audited_and_none_is_unreadable():
    assert sorted(AUDITS) == sorted(ALL_FINDINGS)
    assert RUN.unreadable == []


@pytest.mark.parametrize("name", sorted(ALL_FINDINGS))
def test_every_finding_listed(name):
    assert _listed(AUDITS[name]) == Counter(ALL_FINDINGS[name])


def test_zhoucun():
    audit = AUDITS[ZHOUCUN]
    # 一、本年新收 and （一）予以公开: 总计 3 while all six applicant cells are 0.
    for row in ("一、本年新收政府信息公开申请数量", "（一）予以公开"):
        finding = _one(audit, "TOT-001", row=row)
        assert (finding.severity, finding.expected, finding.actual) == ("error", "0", "3")
    # 自然人: 0 + 0 ≠ 3 + 0, and （七）总计 3 ≠ 0.
    assert (_one(audit, "TOT-002", column="自然人").actual, _one(audit, "TOT-002", column="自然人").expected) \
        == ("0", "3")
    assert (_one(audit, "TOT-003", column="自然人").actual, _one(audit, "TOT-003", column="自然人").expected) \
        == ("3", "0")
    assert _one(audit, "BLK-001", row="四、结转下年度继续办理", column="总计").severity == "warning"
    narrative = _one(audit, "NAR-001")
    assert narrative.location.quote == "未收到政府信息公开申请" and narrative.actual == "3"
    assert narrative.location.section == "一"
    missing = {f.message for f in audit.findings if f.rule == "CON-001"}
    assert missing == {f"报告未写明负责政府信息公开工作机构的{item}。" for item in ("地址", "邮编", "电话", "电子邮箱")}
    assert _one(audit, "PER-001").message == "报告未写明数据的统计期限（应为2020年1月1日至2020年12月31日）。"
    # The 总计 column's identity cannot be checked with a blank cell: recorded, not passed.
    skipped = {s.rule: s.reason for s in audit.skipped}
    assert skipped["TOT-002"] == "表三「四、结转下年度继续办理」「总计」为空"


def test_luoyang():
    audit = AUDITS[LUOYANG]
    assert _one(audit, "SEC-001").location.section == "三"
    assert {f.location.table for f in audit.findings if f.rule == "TAB-001"} == {"二(六)", "二(八)", "二(九)"}
    truncated = _one(audit, "TAB-002", table="三")
    assert truncated.actual == "14"
    assert truncated.message.startswith("表三缺少 14 行：一、本年新收政府信息公开申请数量、二、上年结转政府信息公开申请数量、"
                                        "（一）予以公开、")
    assert "（三）不予公开、" in truncated.message and "（四）无法提供 3" not in truncated.message
    assert {f.location.column for f in audit.findings if f.rule == "BLK-001"} == \
        {"结果维持", "结果纠正", "其他结果", "尚未审结", "总计"}
    # Nothing computed from the rows that are not there.
    assert not [f for f in audit.findings if f.category == "totals"]
    assert "TOT-001" in {s.rule for s in audit.skipped}


def test_jinfeng():
    audit = AUDITS[JINFENG]
    assert _one(audit, "CON-001").message == "报告未写明负责政府信息公开工作机构的电子邮箱。"
    assert not [f for f in audit.findings if f.category == "totals"]
    assert {"TOT-001", "TOT-002", "TOT-003"}.isdisjoint({s.rule for s in audit.skipped})


def test_jinfeng_kjj_nothing_above_info_but_the_blank_cells():
    audit = AUDITS[JINFENG_KJJ]
    assert [f for f in audit.findings if f.severity != "info" and f.rule != "BLK-001"] == []


def test_lingwu_nothing_above_info_and_prior_year_not_run():
    audit = AUDITS[LINGWU]
    assert [f for f in audit.findings if f.severity != "info"] == []
    skipped = {s.rule: s.reason for s in audit.skipped}
    assert set(skipped) == {"PRI-001", "PRI-002"}
    assert "未找到本机关上一年度（2020年）的报告" in skipped["PRI-001"]


def test_fingerprints_are_stable_and_distinct():
    again = run_audit([REPORTS / ZHOUCUN], RULES_DIR).audits[0]
    first = [f.fingerprint for f in AUDITS[ZHOUCUN].findings]
    assert [f.fingerprint for f in again.findings] == first
    located = AUDITS[ZHOUCUN].findings
    assert len({f.fingerprint for f in located}) == len(located)


def test_messages_are_finished_text():
    """What reaches a notice reads as written by a person: no template left, no Python None."""
    for audit in RUN.audits:
        for finding in audit.findings:
            for text in (finding.message, finding.basis, finding.remedy):
                assert text and "None" not in text and "{{" not in text and "{%" not in text, text


def test_a_report_without_title_or_tables_gets_findings_not_a_traceback(tmp_path):
    (tmp_path / "note.txt").write_text("这是一份没有表格的文字。\n一、总体情况\n未收到政府信息公开申请。\n", encoding="utf-8")
    audit = run_audit([tmp_path], RULES_DIR).audits[0]
    assert {"SEC-001", "TAB-001", "CON-001", "PER-001"} <= {f.rule for f in audit.findings}
    assert all("None" not in f.message for f in audit.findings)
    assert {"TOT-001", "FMT-001"} <= {s.rule for s in audit.skipped}


def test_the_2024_report_of_hongze_is_paired_with_its_2023_report_across_the_change_of_name():
    """现行有效 8 = 2023's 5 + 3 制发 − 0 废止, 上年结转 0 = 2023's 结转 0: the prior-year rules run and hold."""
    audit = AUDITS[HONGZE_2024]
    assert Path(audit.prior).name == HONGZE_2023
    assert {"PRI-001", "PRI-002"} <= set(audit.rules_run) - {s.rule for s in audit.skipped}

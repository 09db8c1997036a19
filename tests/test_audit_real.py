"""The audit of three real published reports (PDF text, tests/samples/fixtures/), audited together as an
office would: every finding listed, so that a new or lost finding fails.

What the findings must be was read from the reports themselves (see /work/shared/real/README.md):
洪泽区 2023 prints 表四 totals 0 beside parts that add up to 11 and 5; both 洪泽区 reports print （六）其他处理
as one row although the 2021 format has three sub-rows, and misprint a row label; the 2024 report states
no e-mail and says 受理…申请 17 件 (broken over two lines) while 表三 counts 95."""
from __future__ import annotations

from pathlib import Path

from engine.audit import run_audit

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "samples" / "fixtures"

EXPECTED = {
    "hongze-2023.pdf.txt": [
        ("error", "TAB-002", "三", None, "0", "3"),
        ("error", "TOT-004", "四", "行政复议", "11", "0"),
        ("error", "TOT-004", "四", "行政诉讼-复议后起诉", "5", "0"),
        ("info", "TAB-004", None, None, "0", "1"),
        ("info", "TAB-004", None, None, "0", "1"),
    ],
    "hongze-2024.pdf.txt": [
        ("error", "TAB-002", "三", None, "0", "3"),
        ("info", "TAB-004", None, None, "0", "1"),
        ("info", "TAB-004", None, None, "0", "1"),
        ("warning", "CON-001", None, None, "有", "无"),
        ("info", "NAR-011", None, None, "95", "17"),
    ],
    "huaian-2024.pdf.txt": [],
}


def test_every_finding_on_the_real_reports() -> None:
    run = run_audit(sorted(FIXTURES.glob("*.pdf.txt")), ROOT / "rules")
    found = {Path(a.report.source).name: sorted((f.severity, f.rule, f.location.table, f.location.row, f.expected, f.actual)
                                                 for f in a.findings) for a in run.audits}
    assert found == {name: sorted(items) for name, items in EXPECTED.items()}


def test_the_quoted_text_and_line_of_a_sentence_broken_over_two_lines() -> None:
    run = run_audit([FIXTURES / "hongze-2024.pdf.txt"], ROOT / "rules")
    [finding] = [f for f in run.audits[0].findings if f.rule == "NAR-011"]
    assert (finding.location.line, finding.location.quote) == (24, "受理政府信息公开申请 17 件")

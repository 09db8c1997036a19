"""Progress of a batch (issue 10, point 4): a bar on a terminal, plain lines in a log, nothing when
quiet; and the summary of a large batch names the reports with errors."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

import engine.batch.progress as progress
from engine.batch.progress import Progress
from engine.commands.audit import LISTED, Tally, summary
from engine.model import AuditRun, Finding, Location, Report, ReportAudit


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _run(stream: io.StringIO | None, total: int = 5) -> None:
    with Progress("读取并审核", total, stream) as shown:
        for _ in range(total):
            shown.advance()


def test_a_log_gets_plain_lines_a_terminal_a_bar_and_quiet_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "EVERY", 0.0)
    log = io.StringIO()
    _run(log)
    lines = log.getvalue().splitlines()
    assert lines and all(line.startswith("读取并审核：") for line in lines)
    assert "5/5 份" in lines[-1] and "每秒" in lines[-1] and "约剩" in lines[-1]
    terminal = Terminal()
    _run(terminal)
    assert "读取并审核" in terminal.getvalue() and "5/5" in terminal.getvalue() and "\r" in terminal.getvalue()
    _run(None)  # quiet: no stream at all


def _audit(number: int, errors: int) -> ReportAudit:
    report = Report(source=f"in/{number}.txt", body=f"某市第{number}局", year=2024)
    found = [Finding("TOT-001", "total", "error", "合计不等", Location(table="三"), body=report.body, year=2024)
             for _ in range(errors)]
    return ReportAudit(report, findings=found)


def _tally(run: AuditRun) -> Tally:
    """The tally the command takes as the exports are written."""
    tally = Tally.opened(run)
    for audit in run.audits:
        tally.add(audit)
    return tally


def test_the_summary_of_a_large_batch_names_the_reports_with_errors() -> None:
    run = AuditRun([_audit(i, 1 if i in (3, 17) else 0) for i in range(LISTED + 10)])
    text = summary(run, _tally(run), Path("out"), ("json",))
    assert f"审核了 {LISTED + 10} 份报告" in text and "错误 2 项" in text
    assert "有错误的报告（2 份" in text
    assert [line for line in text.splitlines() if line.startswith("  ")] == ["  某市第3局 2024：错误 1",
                                                                             "  某市第17局 2024：错误 1"]
    small = AuditRun([_audit(i, 0) for i in range(3)])
    assert len([line for line in summary(small, _tally(small), Path("out"), ("json",)).splitlines()
                if line.endswith("未发现问题")]) == 3


def test_the_summary_points_only_at_files_the_run_writes() -> None:
    run = AuditRun([_audit(i, 1 if i == 3 else 0) for i in range(LISTED + 1)])
    head = summary(run, _tally(run), Path("out"), ("json",)).splitlines()[2]
    assert head == "有错误的报告（1 份；全部报告见 out/ 下的 findings.json）："
    head = summary(run, _tally(run), Path("out"), ("json", "csv", "html")).splitlines()[2]
    assert head == "有错误的报告（1 份；全部报告见 out/ 下的 index.html、findings.json）："
    head = summary(run, _tally(run), Path("out"), ("notices",)).splitlines()[2]
    assert head == "有错误的报告（1 份）："

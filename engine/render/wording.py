"""How findings read on pages and notices: the place in the report and the severity order.

A finding's location is data (section, table, row label, column label, line); the auditor and the
agency read it as one phrase, the same on the report page and in the notice.
"""
from __future__ import annotations

from ..model import SEVERITIES, Finding, Location, Report

#: Severities that oblige the agency to act: a report with one of these gets a notice.
NOTICE_SEVERITIES = ("error", "warning")
#: Shown where the parser could not tell a report's body, year or format: said, never left empty.
UNKNOWN = "未识别"


def body(report: Report) -> str:
    return report.body or f"（{UNKNOWN}出发布机关）"


def year(report: Report) -> str:
    return str(report.year) if report.year else UNKNOWN


def report_title(report: Report) -> str:
    """``某区科技局2020年政府信息公开工作年度报告``, saying so where body or year was not read."""
    when = f"{report.year}年" if report.year else ""
    title = f"{report.body or ''}{when}政府信息公开工作年度报告"
    missing = [what for what, value in (("发布机关", report.body), ("年度", report.year)) if not value]
    return f"{title}（{'、'.join(missing)}{UNKNOWN}）" if missing else title


def table_caption(report: Report, key: str) -> str:
    """``第二十条第（一）项（表二(一)）``, ``收到和处理政府信息公开申请情况表（表三）``: the table by the
    format's own words (an article's item, or the title of the section it fills), which the agency finds
    in the template it filled in, with the key the rules and pages use."""
    title = _title(report, key)
    if not title or title == key:
        return f"表{key}"
    official = title if title.startswith("第") else f"{title}表"
    return f"{official}（表{key}）"


def _title(report: Report, key: str) -> str | None:
    # A batch's summary of a report (engine.batch.summary) keeps its tables' titles apart, so that
    # naming a place does not make every cell of its tables again.
    titles = getattr(report, "titles", None)
    if isinstance(titles, dict):
        return titles.get(key)
    table = report.tables.get(key)
    return table.title if table else None


def place(location: Location, report: Report) -> str:
    """Where a finding is, as one phrase in the format's words: ``收到和处理政府信息公开申请情况表（表三） ·
    一、本年新收政府信息公开申请数量 · 总计 · 原文第52行`` (``原文第3页第12行`` in a PDF, ``原文表格2第6行``
    in Word: the place the reader gave, which the agency can find in its own file)."""
    parts = []
    if location.table:
        parts.append(table_caption(report, location.table))
    elif location.section:
        parts.append(f"第{location.section}部分")
    if location.row:
        parts.append(location.row)
    if location.column:
        # A column alone (a check down a whole column) reads better named as one.
        parts.append(location.column if location.row else f"{location.column}列")
    if location.line:
        parts.append(f"原文{report.place(location.line)}")
    return " · ".join(parts) if parts else "全文"


def ordered(findings: list[Finding]) -> list[Finding]:
    """Most severe first, then in the order of the report; findings about the report as a whole
    (no line) after those at a place in it."""
    return sorted(findings, key=lambda f: (SEVERITIES.index(f.severity), f.location.line is None, f.sort_key()))

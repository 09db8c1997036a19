"""``findings.csv``: one row per finding, for the office's spreadsheets, then one per input that was
not audited (无法读取 or 未审核, with the reason in 问题), so that a spreadsheet of the batch misses none.
A report that another input of the batch is too (the same body and year) names the other files in
重复文件 on each of its rows, and has a row saying so where it has no finding.

UTF-8 with a byte-order mark, because Excel only reads the Chinese correctly with one. Report text is
written by the audited agencies, so a cell that Excel would take for a formula (``=``, ``+``, ``-``,
``@`` …) is prefixed with an apostrophe; plain numbers such as ``-3`` stay numbers.
"""
from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path

from ..model import AuditRun, ReportAudit
from .settings import Settings
from .sheet_rows import SheetRow, audit_rows, unaudited_row

HEADER = ("来源文件", "发布机关", "年度", "规则", "类别", "严重程度", "问题", "章节", "表", "行", "列",
          "原文位置", "原文", "应为", "实为", "依据", "整改要求", "指纹", "重复文件")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.match(text):
        return "'" + text
    return text


def _cells(row: SheetRow, settings: Settings) -> list[object]:
    report, finding = row.report, row.finding
    if finding is None:
        known = (row.source, report.body, report.year) if report else (row.source, "", "")
        return [*known, "", "", row.state, row.note, *[""] * (len(HEADER) - 8), row.duplicates]
    where = finding.location
    return [row.source, report.body, report.year, finding.rule, settings.category(finding.category),
            settings.severity(finding.severity), finding.message, where.section, where.table, where.row,
            where.column, report.place(where.line), where.quote, finding.expected, finding.actual, finding.basis,
            finding.remedy, finding.fingerprint, row.duplicates]


class FindingsCsv:
    """The CSV written row by row as the audits come (engine.render.outputs.ExportWriter)."""

    def __init__(self, path: Path, run: AuditRun, settings: Settings) -> None:
        self.run, self.settings = run, settings
        self.stream = path.open("w", encoding="utf-8-sig", newline="")
        self.writer = csv.writer(self.stream)
        self.writer.writerow(HEADER)

    def _write(self, rows: Iterable[SheetRow]) -> None:
        self.writer.writerows([safe_cell(v) for v in _cells(row, self.settings)] for row in rows)

    def add(self, audit: ReportAudit) -> None:
        self._write(audit_rows(audit))

    def close(self) -> None:
        try:
            self._write(unaudited_row(item) for item in self.run.unreadable)
        finally:
            self.stream.close()

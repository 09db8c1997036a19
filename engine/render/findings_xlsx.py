"""``findings.xlsx``: the batch as one sheet for the office, the rows of ``findings.csv``
(engine.render.sheet_rows) with the words an auditor reads: the rule's title, the office's severity and
category labels, the place as the pages say it (engine.render.wording.place), and the finding's status
and review from the history store (empty until a store is consulted).

Written with XlsxWriter, which only writes: rows go to disk as they come (``constant_memory``), so a
batch of thousands of reports costs one row of memory, and each cell is written as the type we say:
text always with ``write_string``, never guessed, so report text that looks like a formula (``=…``,
``+…``, ``@…``) stays text. Such a cell also carries Excel's quote prefix, so that editing it in Excel
or WPS keeps it text. xlsx is UTF-8 XML, so Chinese needs no byte-order mark; the default font is left
as it is, since Excel and WPS draw Chinese in their own East Asian font and naming one a machine lacks
would only substitute another. The header row is frozen and filtered, long text wraps.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import xlsxwriter
from xlsxwriter.exceptions import FileCreateError

from ..model import AuditRun, ReportAudit, RuleInfo
from ..text import display_width
from .settings import Settings
from .sheet_rows import SheetRow, audit_rows, review_text, status_text, unaudited_row
from .wording import place

SHEET = "问题清单"
#: Text that a spreadsheet would take for a formula or a command if it were typed in.
_FORMULA_START = ("=", "+", "-", "@")
#: Each column's header and its width at most, in Latin characters (a Chinese one counts two): longer
#: text wraps.
COLUMNS = (("来源文件", 36), ("发布机关", 24), ("年度", 6), ("规则", 10), ("规则名称", 30), ("严重程度", 8),
           ("类别", 14), ("问题", 60), ("位置", 46), ("原文", 40), ("应为", 12), ("实为", 12), ("依据", 40),
           ("整改要求", 50), ("状态", 10), ("审核意见", 40), ("指纹", 18), ("重复文件", 36))


def _cells(row: SheetRow, settings: Settings, rules: dict[str, RuleInfo]) -> list[str | int | None]:
    report, finding = row.report, row.finding
    known = [row.source, report.body, report.year] if report else [row.source, None, None]
    if finding is None:
        return [*known, None, None, row.state, None, row.note, *[None] * (len(COLUMNS) - 9), row.duplicates]
    rule = rules.get(finding.rule)
    where = finding.location
    return [*known, finding.rule, rule.title if rule else None, settings.severity(finding.severity),
            settings.category(finding.category), finding.message, place(where, report), where.quote,
            finding.expected, finding.actual, finding.basis, finding.remedy, status_text(finding),
            review_text(finding.review), finding.fingerprint, row.duplicates]




class FindingsXlsx:
    """The sheet written row by row as the audits come (engine.render.outputs.ExportWriter); each
    column's width, which depends on every row, is set when the sheet is closed."""

    def __init__(self, path: Path, run: AuditRun, settings: Settings) -> None:
        self.run, self.settings, self.path = run, settings, path
        self.rules = {rule.id: rule for rule in run.rules}
        self.workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                                        "strings_to_numbers": False, "strings_to_urls": False})
        header = self.workbook.add_format({"bold": True, "text_wrap": True, "valign": "top",
                                           "bg_color": "#DDEBF7", "bottom": 1})
        self.text = self.workbook.add_format({"text_wrap": True, "valign": "top"})
        self.quoted = self.workbook.add_format({"text_wrap": True, "valign": "top", "quote_prefix": True})
        self.sheet = self.workbook.add_worksheet(SHEET)
        self.sheet.freeze_panes(1, 0)
        for c, (title, _) in enumerate(COLUMNS):
            self.sheet.write_string(0, c, title, header)
        self.widest = [display_width(title) for title, _ in COLUMNS]
        self.rows = 0

    def _write(self, rows: Iterable[SheetRow]) -> None:
        for row in rows:
            self.rows += 1
            for c, value in enumerate(_cells(row, self.settings, self.rules)):
                if value is None:
                    continue
                if self.widest[c] < COLUMNS[c][1]:  # past its cap a column is measured no more
                    self.widest[c] = max(self.widest[c], display_width(str(value)[:COLUMNS[c][1]]))
                if isinstance(value, int):
                    self.sheet.write_number(self.rows, c, value, self.text)
                elif value:
                    self.sheet.write_string(self.rows, c, value, self.quoted if value.startswith(_FORMULA_START)
                                            else self.text)

    def add(self, audit: ReportAudit) -> None:
        self._write(audit_rows(audit))

    def close(self) -> None:
        self._write(unaudited_row(item) for item in self.run.unreadable)
        for c, (_, widest) in enumerate(COLUMNS):
            self.sheet.set_column(c, c, min(widest, self.widest[c]) + 2)
        self.sheet.autofilter(0, 0, self.rows, len(COLUMNS) - 1)
        try:
            self.workbook.close()
        except FileCreateError as error:  # XlsxWriter's wrapper of the OSError: said as any file not written
            cause = error.args[0] if error.args else None
            raise (cause if isinstance(cause, OSError) else OSError(None, str(error), str(self.path))) from None

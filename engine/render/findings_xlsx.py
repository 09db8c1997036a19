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

import unicodedata
from pathlib import Path

import xlsxwriter

from ..model import AuditRun, RuleInfo
from .settings import Settings
from .sheet_rows import SheetRow, review_text, sheet_rows, status_text
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


def _width(text: str) -> int:
    """How wide text shows in a cell, counting a Chinese (wide) character as two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def write_findings_xlsx(run: AuditRun, path: Path, settings: Settings) -> None:
    rules = {rule.id: rule for rule in run.rules}
    grid = [_cells(row, settings, rules) for row in sheet_rows(run)]
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                               "strings_to_numbers": False, "strings_to_urls": False})
    header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7",
                                  "bottom": 1})
    text = workbook.add_format({"text_wrap": True, "valign": "top"})
    quoted = workbook.add_format({"text_wrap": True, "valign": "top", "quote_prefix": True})
    sheet = workbook.add_worksheet(SHEET)
    for c, (title, widest) in enumerate(COLUMNS):
        longest = max((_width(str(values[c])) for values in grid if values[c] is not None), default=0)
        sheet.set_column(c, c, min(widest, max(_width(title), longest)) + 2)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(grid), len(COLUMNS) - 1)
    for c, (title, _) in enumerate(COLUMNS):
        sheet.write_string(0, c, title, header)
    for r, values in enumerate(grid, start=1):
        for c, value in enumerate(values):
            if isinstance(value, int):
                sheet.write_number(r, c, value, text)
            elif value:
                sheet.write_string(r, c, value, quoted if value.startswith(_FORMULA_START) else text)
    workbook.close()

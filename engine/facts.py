"""Report → facts: every value a rule may read, with the reason when it cannot be read.

The check kinds never look into :class:`engine.model.Report` themselves: they ask :class:`Facts` for a
cell (this year's or the prior report's), a report-level value (``年度``, ``格式``, ``统计期限.起始年`` …)
or a text, and get an :class:`Operand` that is either a number or the plain-Chinese reason it is missing
("表三「四、结转下年度继续办理」「总计」为空"). A blank or unread cell is never 0 here; the rule's
``when_missing`` decides what a missing operand means.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property, partial
from typing import Any, NamedTuple

from .formats import Format, format_for_year, load_formats
from .model import Number, Report

#: Body names of governments (as opposed to their departments): the ``bodies`` of ``applies_to``.
_GOVERNMENT = re.compile(r"(人民政府|政府办公室|政府办公厅|[省市区县旗镇乡]|街道办事处|街道)$")

BODY_KINDS = ("政府", "部门")


class Operand(NamedTuple):
    """A value a rule reads: ``value`` is None exactly when ``problem`` says why. (A named tuple, not a
    dataclass: hundreds are made per report, and the rule set must run in a few milliseconds.)"""

    value: Number | None
    problem: str | None = None
    line: int | None = None

    @classmethod
    def missing(cls, problem: str, line: int | None = None) -> Operand:
        return cls(None, problem, line)


def body_kind(body: str | None) -> str | None:
    """政府 for a people's government (某某区, 某某市人民政府), 部门 for one of its departments."""
    if not body:
        return None
    return "政府" if _GOVERNMENT.search(body) else "部门"


def table_name(table: str) -> str:
    return f"表{table}"


class Facts:
    """What the rules can read of one report and, where one was found, its prior-year report."""

    def __init__(self, report: Report, prior: Report | None = None) -> None:
        self.report = report
        self.prior = prior
        #: The number in one cell, ``(table, row, column, prior)`` by official labels (the rule
        #: validator resolved short names; a table rule works out which cells it reads once, not per
        #: report). For ``prior`` the same labels are looked up in the prior report, which may use an
        #: older format: a label that format does not have is missing, with that reason. Several rules
        #: read the same cells (表三 is read by five): each operand is made once, and a cell read again
        #: is one dict lookup (this is the dict's own ``__getitem__``, some 600 calls per report).
        self.cell: Callable[[tuple[str, str, str, bool]], Operand] = _Cells(report, prior).__getitem__
        self._prose: dict[str | None, Prose] = {}
        #: What a check kind worked out of this report that other rules may ask for again (a regex
        #: searched in a text, a list read), under keys of the kind's own choosing.
        self.shared: dict[tuple, Any] = {}

    @cached_property
    def format(self) -> Format | None:
        return load_formats().get(self.report.format or "")

    @cached_property
    def prior_format(self) -> Format | None:
        return load_formats().get(self.prior.format or "") if self.prior else None

    def scalar(self, name: str, *, prior: bool = False) -> Operand:
        """A report-level value by its rule-language name (see :data:`SCALARS`)."""
        report = self.prior if prior else self.report
        if report is None:
            return Operand.missing("未找到本机关上一年度的报告")
        return SCALARS[name][1](report)

    def section_at(self, line: int | None) -> str | None:
        """The number of the section a source line belongs to, if any."""
        return next((s.number for s in self.report.sections if line and s.line <= line <= s.end_line), None)

    def prose(self, where: str | None) -> Prose:
        """The text rules read: the title (``"title"``), a section by number, or the whole report (None)."""
        if where not in self._prose:
            report = self.report
            if where == "title":
                line = report.title_line or 1
                found = Prose.of([report.line_text(line)], [line])
            elif where is None:
                found = Prose.of(report.lines, list(range(1, len(report.lines) + 1)))
            else:
                section = report.section(where)
                found = Prose.of(section.text.split("\n"), list(section.line_numbers)) if section else Prose.of([], [])
            self._prose[where] = found
        return self._prose[where]


class _Cells(dict):
    """Operands by cell, read from the report a table at a time (see :attr:`Facts.cell`).

    The first cell asked for of a table brings in every cell of it that holds a number, in one pass
    over its grid: the rules read nearly every cell of the tables they check (表三 alone is read by five
    rules), and cell by cell each first read cost more than all that rules do with it. A cell without a
    number (blank, its row missing or unreadable, a label the table lacks) is read when asked for, with
    the reason it is missing."""

    def __init__(self, report: Report, prior: Report | None) -> None:
        super().__init__()
        self.report, self.prior = report, prior
        #: The (table, prior) whose numbers are in.
        self._filled: set[tuple[str, bool]] = set()

    def __missing__(self, where: tuple[str, str, str, bool]) -> Operand:
        table, _, _, prior = where
        if (table, prior) not in self._filled:
            self._filled.add((table, prior))
            self._fill(table, prior)
            found = self.get(where)
            if found is not None:
                return found
        found = self[where] = self._read(*where)
        return found

    def _fill(self, table: str, prior: bool) -> None:
        report = self.prior if prior else self.report
        found = report.tables.get(table) if report else None
        if found is None:
            return
        unreadable, columns = found.unreadable_rows, found.column_labels
        make = partial(tuple.__new__, Operand)  # Operand._make without a Python frame per cell
        for row, cells in zip(found.row_labels, found.cells):
            if row in unreadable:
                continue
            for column, cell in zip(columns, cells):
                if cell is not None and cell.value is not None:
                    self[table, row, column, prior] = make((cell.value, None, cell.line))

    def _read(self, table: str, row: str, column: str, prior: bool) -> Operand:
        report = self.prior if prior else self.report
        found = report.tables.get(table) if report else None
        labelled = found is not None
        try:
            cell = found.cell(row, column) if labelled else None
        except KeyError:  # a label of this format that the prior report's format does not have
            cell, labelled = None, False
        unreadable = labelled and row in found.unreadable_rows
        if cell is not None and cell.value is not None and not unreadable:
            return Operand(cell.value, None, cell.line)
        where = f"{'上年报告' if prior else ''}{table_name(table)}「{row}」「{column}」"
        if report is None:
            year = self.report.year - 1 if self.report.year else "?"
            return Operand.missing(f"未找到本机关上一年度（{year}年）的报告")
        if found is None or not found.present:
            whose = "上年报告" if prior else "报告"
            if f"table:{table}" in report.unread:  # its words are there, its figures could not be read
                return Operand.missing(f"{whose}中的{table_name(table)}无法读取")
            return Operand.missing(f"{whose}中没有{table_name(table)}")
        if not labelled:
            return Operand.missing(f"{where}在{report.format}年格式中不存在")
        row_name = f"{'上年报告' if prior else ''}{table_name(table)}「{row}」行"
        if unreadable:
            return Operand.missing(f"{row_name}无法读取")
        if cell is None:
            return Operand.missing(f"{row_name}未找到（表格缺少此行）")
        return Operand.missing(f"{where}为空", cell.line)


@dataclass(frozen=True)
class Prose:
    """Text as a sentence runs: lines that a page or a narrow column wrapped are joined (两 text lines in a
    row, neither a table row), so a phrase broken over two lines (受理政府 / 信息公开申请 17 件) is found;
    each offset maps back to its source line for the finding's quote."""

    text: str
    starts: tuple[int, ...]
    numbers: tuple[int, ...]

    @classmethod
    def of(cls, lines: list[str], numbers: list[int]) -> Prose:
        parts, starts, length = [], [], 0
        previous = ""  # the line before, stripped; "" when it holds a tab (a table row) or nothing
        for line in lines:
            line = line.rstrip()
            stripped = line.lstrip()
            joined = previous and stripped and "\t" not in line
            if length and not joined:
                parts.append("\n")
                length += 1
            starts.append(length)
            part = stripped if joined else line
            parts.append(part)
            length += len(part)
            previous = "" if "\t" in line else stripped
        return cls("".join(parts), tuple(starts), tuple(numbers))

    def line_at(self, offset: int) -> int | None:
        if not self.numbers:
            return None
        return self.numbers[max(0, bisect_right(self.starts, offset) - 1)]


def _period_part(part: str, what: str):
    def read(report: Report) -> Operand:
        period = report.period
        when = getattr(period, part, None) if period else None
        if when is None:
            return Operand.missing("报告未写明统计期限" if period is None else f"统计期限未写明{what[:2]}日期")
        number = {"年": when.year, "月日": when.month * 100 + when.day}[what[2:]]
        return Operand(number, line=period.line)
    return read


def _format_number(name: str | None) -> Operand:
    return Operand(int(name)) if name and name.isdigit() else Operand.missing("未能确定报告使用的格式")


def _required_format(report: Report) -> Operand:
    if report.year is None:
        return Operand.missing("未能确定报告年度")
    required = format_for_year(report.year)
    if required is None:
        return Operand.missing(f"没有适用于{report.year}年报告的格式")
    return _format_number(required.name)


def _year(report: Report) -> Operand:
    return Operand(report.year, line=report.title_line) if report.year else Operand.missing("未能确定报告年度")


#: Report-level values a formula may name: name → (what it is, how it is read).
SCALARS = {
    "年度": ("报告年度（标题中的年份）", _year),
    "格式": ("报告表格实际使用的格式（2019 或 2021）", lambda r: _format_number(r.format)),
    "规定格式": ("按报告年度应当使用的格式（2019 或 2021）", _required_format),
    "统计期限.起始年": ("统计期限起始日期的年份", _period_part("start", "起始年")),
    "统计期限.截止年": ("统计期限截止日期的年份", _period_part("end", "截止年")),
    "统计期限.起始月日": ("统计期限起始日期，月×100+日（1月1日为 101）", _period_part("start", "起始月日")),
    "统计期限.截止月日": ("统计期限截止日期，月×100+日（12月31日为 1231）", _period_part("end", "截止月日")),
}


def decimal_places(value: Number) -> int:
    """How many digits after the point a value needs (0 for counts)."""
    if isinstance(value, int):
        return 0
    exponent = Decimal(value).normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0

"""The Report model: what the parser read from one annual report, and the Finding record.

Everything downstream (facts, rules, pages, notices) reads these types only. A value the parser could
not read is *missing*; a cell the report left empty is *blank*; neither is ever 0.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

Number = int | Decimal


#: The kind of a report read from a text file, whose places are its line numbers (第12行).
TEXT_KIND = "文本"


@dataclass(frozen=True)
class Cell:
    """One table cell as read. ``value`` is None for a blank cell ("", "-", "/", "—" in the text)."""

    value: Number | None
    line: int | None
    raw: str = ""

    @property
    def blank(self) -> bool:
        return self.value is None


@cache
def _positions(labels: tuple[str, ...]) -> dict[str, int]:
    """Label → index, one dict per distinct tuple of labels: the tables of one format share their
    labels, so every report's table of a format shares these too (also after unpickling)."""
    return {label: i for i, label in enumerate(labels)}


@dataclass
class Table:
    """A table of the report, indexed by the official row and column labels.

    ``cells`` is the grid row by row, in the order of ``row_labels`` and ``column_labels``: a
    :class:`Cell` where the text gave one, and None where the row was not found in the text (see
    ``missing_rows``) or could not be read (``unreadable_rows``). Plain lists rather than a DataFrame:
    rules, pages and the store read it cell by cell, which a DataFrame made cost more than the rules,
    importing pandas took half of the command's start-up, and a report must pickle cheaply to be sent
    to a worker process."""

    key: str
    title: str
    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    cells: list[list[Cell | None]]
    missing_rows: list[str] = field(default_factory=list)
    unreadable_rows: list[str] = field(default_factory=list)
    line: int | None = None

    def __post_init__(self) -> None:
        self._row_at = _positions(self.row_labels)
        self._column_at = _positions(self.column_labels)

    def __reduce__(self) -> tuple:
        # The fields only: the label indexes are rebuilt (shared) on loading, not pickled with each table.
        return (Table, (self.key, self.title, self.row_labels, self.column_labels, self.cells,
                        self.missing_rows, self.unreadable_rows, self.line))

    @property
    def rows(self) -> list[str]:
        return list(self.row_labels)

    @property
    def columns(self) -> list[str]:
        return list(self.column_labels)

    def cell(self, row: str, column: str) -> Cell | None:
        """The cell at official labels ``row`` and ``column`` (KeyError for a label the table lacks)."""
        return self.cells[self._row_at[row]][self._column_at[column]]

    def set_cell(self, row: str, column: str, cell: Cell | None) -> None:
        """Put ``cell`` at ``row`` and ``column``: for a rule test case that edits a sample's reading."""
        self.cells[self._row_at[row]][self._column_at[column]] = cell

    def value(self, row: str, column: str) -> Number | None:
        """The number in a cell; None when blank or not read (see :meth:`cell` to tell which)."""
        cell = self.cell(row, column)
        return None if cell is None else cell.value

    def values(self) -> dict[tuple[str, str], Number | None]:
        """The numbers alone by (row, column), row by row (None for blank or missing): to compare two
        readings of one table."""
        return {at: None if cell is None else cell.value for at, cell in self.by_label().items()}

    def by_label(self) -> dict[tuple[str, str], Cell | None]:
        """Every cell by (row, column) label, for a reader that looks up many cells of the table."""
        return {(row, column): cell
                for row, cells in zip(self.row_labels, self.cells) for column, cell in zip(self.column_labels, cells)}

    def each_cell(self) -> list[Cell | None]:
        """Every cell, row by row: for a question about the whole table (is any number in it at all?)."""
        return [cell for cells in self.cells for cell in cells]

    @property
    def present(self) -> bool:
        """Whether any row of the table was found in the text."""
        return len(self.missing_rows) < len(self.row_labels)


@dataclass(frozen=True)
class Section:
    number: str
    title: str
    line: int
    end_line: int
    text: str
    official: bool = True
    line_numbers: tuple[int, ...] = ()  # the source line of each line of ``text`` (page footers are not in it)


@dataclass(frozen=True)
class Located:
    """A value read from the text with the line it came from."""

    value: str
    line: int


@dataclass(frozen=True)
class Period:
    start: date | None
    end: date | None
    line: int
    text: str = ""


@dataclass(frozen=True)
class Warning:
    """Something the parser could not place or had to decide; never silently dropped."""

    code: str
    message: str
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "line": self.line, "message": self.message}


@dataclass(frozen=True)
class Unread:
    """Something the text shows but the parser could not read (a heading written inline, a table whose
    rows could not be placed, ``邮编：2231``): rules must not call it missing. ``subject`` is
    ``section:一``, ``table:三``, ``contact:postcode`` or ``period``."""

    subject: str
    reason: str
    line: int | None = None


#: The most characters of a source line a finding quotes (see :meth:`Report.line_text`).
QUOTE_WIDTH = 160


@dataclass
class Report:
    source: str
    body: str | None = None
    year: int | None = None
    format: str | None = None
    sections: list[Section] = field(default_factory=list)
    tables: dict[str, Table] = field(default_factory=dict)
    contact: dict[str, Located] = field(default_factory=dict)
    period: Period | None = None
    warnings: list[Warning] = field(default_factory=list)
    #: What the text shows but could not be read, by subject (see :class:`Unread`).
    unread: dict[str, Unread] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    #: Where each of ``lines`` is in the submitted file, as its reader says (第3页第12行, 表格2第4行).
    places: list[str] = field(default_factory=list)
    #: The kind of input it was read from (文本, 网页, Word, PDF).
    kind: str = TEXT_KIND
    title_line: int | None = None
    readable: bool = True

    def section(self, number: str) -> Section | None:
        return next((s for s in self.sections if s.number == number), None)

    def place(self, line: int | None) -> str:
        """Where line ``line`` is in the submitted file, in words the agency can follow."""
        if line is None or not 1 <= line <= len(self.places):
            return f"第{line}行" if line else ""
        return self.places[line - 1]

    def placed(self, warning: Warning) -> str:
        """A parser warning with the place the agency finds in its own file (``第3页第12行：…``): the
        parser says what, the reader's place says where, so that no message speaks of the line numbers
        of a text the office made from the file."""
        return f"{self.place(warning.line)}：{warning.message}" if warning.line else warning.message

    def line_text(self, line: int | None, around: str | None = None) -> str:
        """The source line (1-based) as written, for quoting in findings. A line longer than
        :data:`QUOTE_WIDTH` (a crawled page is one line) is cut to that many characters around
        ``around`` (the heading, row label or words the finding is about) where the line holds it,
        marked with "…": a notice quotes the place, not the whole page."""
        if line is None or not 1 <= line <= len(self.lines):
            return ""
        text = self.lines[line - 1].strip()
        if len(text) <= QUOTE_WIDTH:
            return text
        at = text.find(around) if around else -1
        start = max(0, min(at - QUOTE_WIDTH // 4, len(text) - QUOTE_WIDTH)) if at > 0 else 0
        end = start + QUOTE_WIDTH
        return f"{'…' if start else ''}{text[start:end]}{'…' if end < len(text) else ''}"


@dataclass(frozen=True)
class Location:
    section: str | None = None
    table: str | None = None
    row: str | None = None
    column: str | None = None
    line: int | None = None
    quote: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"section": self.section, "table": self.table, "row": self.row,
                "column": self.column, "line": self.line, "quote": self.quote}


SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Review:
    """An auditor's decision on a finding (``ogi-audit review``), kept while its fingerprint holds."""

    decision: str  #: "dismissed" or "confirmed"
    reason: str
    by: str | None
    at: datetime
    #: The rule's text has changed since the decision, which holds since the fingerprint has not.
    rule_changed: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"decision": self.decision, "reason": self.reason, "by": self.by,
                "at": self.at.isoformat(timespec="seconds")}


@dataclass(frozen=True, order=False)
class Finding:
    """One problem in one report: what every output (JSON, CSV, HTML, notice) is made from.

    Values are strings so that decimals survive every format. The fingerprint identifies the same
    defect in a resubmitted report: it hashes rule, body, year and location, not the line number
    or the wording of the message."""

    rule: str
    category: str
    severity: str
    message: str
    location: Location
    expected: str | None = None
    actual: str | None = None
    basis: str = ""
    remedy: str = ""
    body: str | None = None
    year: int | None = None
    #: What the finding is about when its location alone does not say (a contact detail, a sentence of
    #: the text): keeps two findings of one rule at one place apart in the fingerprint.
    subject: str | None = None
    #: Against the last audit of the same body and year in the history store: "new", "open" (still
    #: there) or "reappeared"; None where no store was consulted. Neither this nor ``review`` is part
    #: of the fingerprint or of equality: the same defect stays the same finding whatever was decided.
    status: str | None = field(default=None, compare=False)
    review: Review | None = field(default=None, compare=False)

    @property
    def fingerprint(self) -> str:
        where = self.location
        parts = [self.rule, self.body or "", str(self.year or ""), where.section or "",
                 where.table or "", where.row or "", where.column or ""]
        if self.subject:
            parts.append(self.subject)
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]

    def sort_key(self) -> tuple:
        return (self.location.line or 0, SEVERITIES.index(self.severity), self.rule,
                self.location.row or "", self.location.column or "")

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "category": self.category, "severity": self.severity,
                "message": self.message, "location": self.location.to_dict(),
                "expected": self.expected, "actual": self.actual, "basis": self.basis,
                "remedy": self.remedy, "fingerprint": self.fingerprint, "status": self.status,
                "review": self.review.to_dict() if self.review else None}

    @property
    def dismissed(self) -> bool:
        return self.review is not None and self.review.decision == "dismissed"


@dataclass(frozen=True)
class RuleInfo:
    """What the rule catalogue and the notices show of one rule (taken from its YAML)."""

    id: str
    title: str
    category: str
    severity: str
    description: str = ""
    basis: str = ""
    remedy: str = ""
    source: str = ""


@dataclass(frozen=True)
class Skipped:
    """A rule that did not run on a report, and why: "not checked" is never "passed"."""

    rule: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "reason": self.reason}


@dataclass(frozen=True)
class PriorRecord:
    """Where the prior-year figures came from when last year's report was not among the inputs: the
    history store's audit of it (its run's id and when that run was recorded)."""

    run: int
    at: datetime


@dataclass
class ReportAudit:
    """One report's audit: the parsed report, what the rules found, and what they could not check."""

    report: Report
    findings: list[Finding] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    rules_run: list[str] = field(default_factory=list)
    prior: str | None = None
    #: Set when the prior-year report's figures were read from the history store, not from an input.
    prior_record: PriorRecord | None = None
    #: The other inputs of the batch that are this body's report of this year too (input order), and
    #: how they were found to be: "body" (the same body and year) or "text" (the same text as read).
    duplicate_of: tuple[str, ...] = ()
    duplicate_by: str | None = None
    #: Of the last recorded audit of this body and year (engine.resubmission): its findings that are
    #: gone where their rule ran again (``fixed``), and those gone where it did not (``unchecked``).
    fixed: list[Finding] = field(default_factory=list)
    unchecked: list[Finding] = field(default_factory=list)
    #: The run of the history store this report was compared with, or None.
    compared_with: int | None = None
    #: Where the audit was recorded (run, input number) when it is given again from the history store
    #: instead of being made (engine.history.reuse): its findings and checks not run are recorded by
    #: copying those rows; None for an audit made in this run.
    reused_from: tuple[int, int] | None = None

    def count(self, severity: str) -> int:
        """Findings of ``severity`` still standing: one an auditor dismissed is shown, not counted."""
        return sum(1 for f in self.findings if f.severity == severity and not f.dismissed)


@dataclass(frozen=True)
class Unreadable:
    """An input that was not audited, and why: it could not be read as a report at all, or it was
    ``excluded`` on purpose (a hidden file, a lock file, a second path to one file), which is listed
    too but does not make the run incomplete."""

    source: str
    reason: str
    excluded: bool = False


@dataclass
class AuditRun:
    """A whole batch: every report audited, every input that could not be read, the rules used."""

    audits: list[ReportAudit] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)
    rules: list[RuleInfo] = field(default_factory=list)
    #: The versions it ran under (tool, rules, formats: engine.history.versions), for the findings file.
    versions: dict[str, str] = field(default_factory=dict)

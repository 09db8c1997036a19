"""What the text shows that the parser could not read: the guard against reporting it missing.

A finding that says a section, a table, a row, a contact detail or the statistical period is missing
goes into a rectification notice. It may only be raised when the whole text, in any layout, was
searched for it. This module does that search after the parser is done: where the words are there
(a heading written inline in crawled text, a table whose rows the parser could not place, ``邮编：2231``),
the thing is recorded as *unread* with the reason and the line, and a warning asks for a check by
hand. The required-kind rules then list it as not checked instead of missing.

The search is deliberately generous: a false hint costs an auditor a look, a false "missing" costs the
office its credibility.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from difflib import SequenceMatcher

from ..formats import Format, SectionSpec, TableSpec
from ..model import Report, Unread, Warning
from ..text import key
from .lines import Line
from .values import parse_number

#: Contact labels that, followed by a colon, state a detail. Deliberately wider than the vocabulary the
#: parser reads values by (rules/wording/contact.yaml): any label holding the word (单位地址, 值班电话)
#: is caught here, so that a label the vocabulary lacks makes the detail unread, never missing.
CONTACT_LABELS = {
    "address": r"地\s*址", "postcode": r"邮\s*(?:政\s*)?编\s*(?:码)?", "phone": r"电\s*话",
    "fax": r"传\s*真", "email": r"(?:电子)?(?:邮箱|信箱|邮件)|e-?mail", "website": r"网\s*(?:址|站)",
}
CONTACT_NAMES = {"address": "地址", "postcode": "邮编", "phone": "电话", "fax": "传真", "email": "电子邮箱",
                 "website": "网址"}
_STATED = {kind: re.compile(rf"(?:{label})\s*[:：]\s*(?P<value>[^，,。；;）)\s]{{1,40}})", re.IGNORECASE)
           for kind, label in CONTACT_LABELS.items()}
_PERIOD_WORDS = re.compile(r"统\s*计\s*(?:期\s*限|时\s*间|区\s*间|周\s*期)[^。；;]{0,40}?\d")
#: A table counts as written when this many of its row labels are there, each followed by a number (a
#: caption alone may be all that is left of a cut-off table; prose names 行政处罚 without a figure).
ROWS_FOR_A_TABLE = 2


class _KeyedText:
    """The whole text in :func:`~engine.text.key` form, joined across lines and cells, with a map back to
    lines: a heading split over two lines or written inline is still found."""

    def __init__(self, lines: list[Line]) -> None:
        self._lines: list[Line] | None = lines  # joined at the first search: most reports lack nothing

    def _join(self) -> None:
        if self._lines is None:
            return
        lines, self._lines = self._lines, None
        self.starts, self.numbers = [], []
        #: The same without the numbers written apart, so that a label wrapped in its cell with the
        #: numbers on its first line (``2. 其他法律行政法  0  0 …`` / ``规禁止公开``) is still found.
        self.word_starts = []
        texts, words, length, words_length = [], [], 0, 0  # joined once at the end, not copied per line
        for line in lines:
            keyed = key(line.text)
            if keyed:
                self.starts.append(length)
                self.numbers.append(line.no)
                texts.append(keyed)
                length += len(keyed)
                self.word_starts.append(words_length)
                worded = key(" ".join(w for w in (line.fields or line.text.split()) if parse_number(w) is None))
                words.append(worded)
                words_length += len(worded)
        self.text, self.words = "".join(texts), "".join(words)

    def resembling(self, spec: SectionSpec) -> tuple[str, int] | None:
        """The words written after the section's number that read like its title reworded, and their
        line, where the heading ran into the text (a crawled page) in words of its own
        (``五、存在的主要问题和改进情况``)."""
        self._join()
        titles = [key(t) for t in (spec.title, *spec.variants)]
        at = self.text.find(spec.number)
        while at >= 0:
            for title in titles:
                written = self.text[at + 1:at + 1 + len(title)]
                if SequenceMatcher(None, written, title).ratio() >= RESEMBLING:
                    return written, self.numbers[bisect_right(self.starts, at) - 1]
            at = self.text.find(spec.number, at + 1)
        return None

    def find(self, label: str, after: int = 0, figure: bool = False) -> int | None:
        """The line where ``label`` is first written after line ``after`` (and, with ``figure``, followed by
        a number), or None."""
        self._join()
        wanted = key(label)
        first = bisect_right(self.numbers, after)  # the first line after ``after``
        if not wanted or first >= len(self.starts):
            return None
        if figure:
            match = re.compile(re.escape(wanted) + r"\d").search(self.text, self.starts[first])
            at = match.start() if match else -1
            return None if at < 0 else self.numbers[bisect_right(self.starts, at) - 1]
        at = self.words.find(wanted, self.word_starts[first])
        return None if at < 0 else self.numbers[bisect_right(self.word_starts, at) - 1]


def _sections(report: Report, fmt: Format, text: _KeyedText) -> Iterator[Unread]:
    for spec in fmt.sections:
        if report.section(spec.number) is not None:
            continue
        found = next(((title, line) for title in (spec.title, *spec.variants)
                      if (line := text.find(spec.number + title)) is not None), None) or text.resembling(spec)
        if found is not None:
            title, line = found
            yield Unread(f"section:{spec.number}", f"正文中写有“{spec.number}、{title}”，但未能识别为第{spec.number}部分"
                         "的标题，请人工核对该部分", line)


#: How close the words after a section's number must be to its title (or a variant) to count as its
#: heading reworded (difflib ratio of the comparison forms): looser than the parser's test of a heading
#: line, since here a false hint costs a look and a miss costs a false "missing".
RESEMBLING = 0.6


def _row_labels(spec: TableSpec) -> Iterator[tuple[str, str]]:
    for row in spec.rows:
        for label in (row.label, *row.aliases):
            yield row.label, label


def _tables(report: Report, fmt: Format, text: _KeyedText) -> Iterator[Unread]:
    for name, spec in fmt.tables.items():
        table = report.tables.get(name)
        if table is not None and table.present:
            continue
        # A wide table (表四) names its rows in its header, above the one line of figures, so their
        # labels are not followed by a number: those labels (未经复议直接起诉 …) are table furniture no
        # prose writes, and finding them is enough.
        wide = spec.layout == "wide"
        rows = {row: line for row, label in _row_labels(spec)
                if (line := text.find(label, figure=not wide)) is not None}
        if len(rows) >= min(ROWS_FOR_A_TABLE, len(spec.rows)):
            yield Unread(f"table:{name}", f"正文中有表{name}（{spec.title}）的行和数字，但未能读取为表格，请人工核对该表",
                         min(rows.values()))


def _rows(report: Report, fmt: Format, text: _KeyedText) -> list[Warning]:
    """Rows of a table that was read, recorded as missing although their labels are in the text after the
    table's start: they are unreadable, not missing."""
    notes = []
    for name, spec in fmt.tables.items():
        table = report.tables.get(name)
        if table is None or not table.present or not table.missing_rows:
            continue
        labels = {row.label: (row.label, *row.aliases) for row in spec.rows}
        for row in list(table.missing_rows):
            line = next((found for label in labels.get(row, (row,))
                         if (found := text.find(label, after=(table.line or 1) - 1)) is not None), None)
            if line is None:
                continue
            table.missing_rows.remove(row)
            table.unreadable_rows.append(row)
            notes.append(Warning("unread", f"表{name}的“{row}”行写在正文中，但未能读取其中的数字，请人工核对", line))
    return notes


#: Joins the lines for the contact and period searches: no part of their patterns matches it, so a match
#: never reaches over a line's end and the first one is in the first line that has one.
_BETWEEN_LINES = "；"


class _JoinedLines:
    """The lines' texts as written, joined once, for searching them in one pass per pattern."""

    def __init__(self, lines: list[Line]) -> None:
        self.lines, self.starts, at = lines, [], 0
        for line in lines:
            self.starts.append(at)
            at += len(line.text) + len(_BETWEEN_LINES)
        self.text = _BETWEEN_LINES.join(line.text for line in lines)

    def search(self, pattern: re.Pattern[str]) -> tuple[re.Match[str], Line] | None:
        """The first match of ``pattern`` and the line it is in."""
        match = pattern.search(self.text)
        return None if match is None else (match, self.lines[bisect_right(self.starts, match.start()) - 1])


def _contact(report: Report, text: _JoinedLines) -> Iterator[Unread]:
    for kind, pattern in _STATED.items():
        if kind in report.contact or (found := text.search(pattern)) is None:
            continue
        match, line = found
        yield Unread(f"contact:{kind}", f"写有“{match.group(0).strip()}”，但未能读取为{CONTACT_NAMES[kind]}，"
                     "请人工核对", line.no)


def _period(report: Report, text: _JoinedLines) -> Iterator[Unread]:
    if report.period is None and (found := text.search(_PERIOD_WORDS)) is not None:
        yield Unread("period", "写有统计期限，但未能读取其起止日期，请人工核对", found[1].no)


def find_unread(report: Report, lines: list[Line], fmt: Format | None) -> None:
    """Record on ``report`` (``unread`` and ``warnings``) what its text shows but the parser did not read."""
    text = _KeyedText(lines)
    found: list[Unread] = []
    if fmt is not None:
        found += [*_sections(report, fmt, text), *_tables(report, fmt, text)]
        report.warnings.extend(_rows(report, fmt, text))
    if report.period is None or any(kind not in report.contact for kind in _STATED):
        joined = _JoinedLines(lines)
        found += [*_contact(report, joined), *_period(report, joined)]
    for item in found:
        report.unread[item.subject] = item
        report.warnings.append(Warning("unread", item.reason, item.line))

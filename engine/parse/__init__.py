"""Report file → :class:`engine.model.Report`.

``parse_file`` reads bytes, ``parse_bytes`` hands them to the reader of their kind (:mod:`.readers`:
Word, PDF, web page, text), ``parse_document`` does the work on what the reader gives: lines
(:mod:`.lines`), title (:mod:`.meta`), format detection from the tables present (:mod:`.detect`),
sections and tables (:mod:`.reading`: :mod:`.sections`, :mod:`.tokens` → :mod:`.tables` →
:mod:`.cells`), contact details and statistical period (:mod:`.paragraphs`, :mod:`.contact`,
:mod:`.period`). Whatever cannot be read becomes a warning on the Report; only an unreadable file
raises, as :class:`ReportError`. ``parse_text`` reads a text that is already decoded.
"""
from __future__ import annotations

from pathlib import Path

from ..formats import Format, load_formats
from ..model import Report, Warning
from ..os_reasons import os_reason
from ..wording import Wording, load_wording
from .contact import find_contact
from .detect import choose, decisive, label_evidence
from .evidence import find_unread
from .lines import document_lines
from .meta import find_title
from .paragraphs import paragraphs, whole_text
from .period import find_period
from .reading import read_tables
from .readers import Document, NotReadable, read_document, text_document
from .readers.html_kind import looks_like_html
from .tokens import tokenize

__all__ = ["ReportError", "parse_bytes", "parse_document", "parse_file", "parse_text"]


class ReportError(ValueError):
    """A file that cannot be read as a report at all (missing, not a kind we read, a scan, damaged);
    the message names it and says why; ``reason`` is the why alone."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source, self.reason = source, reason


def parse_file(path: str | Path) -> Report:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ReportError(str(path), f"无法读取文件（{os_reason(error)}）") from None
    return parse_bytes(data, str(path))


def parse_bytes(data: bytes, source: str = "<bytes>") -> Report:
    if not data.strip():
        return _empty(source, "文件为空，没有可审核的内容")
    try:
        document = read_document(data, source)
    except NotReadable as error:
        raise ReportError(source, str(error)) from None
    return parse_document(document, source)


def _empty(source: str, message: str, kind: str = "文本") -> Report:
    return Report(source=source, kind=kind, warnings=[Warning("empty", message)], readable=False)


def parse_text(text: str, source: str = "<text>", formats: dict[str, Format] | None = None) -> Report:
    """A report already decoded to text (an HTML fragment included)."""
    if looks_like_html(text):
        from .readers.html import html_document  # lxml: loaded for a page only

        document = html_document(text)
    else:
        document = text_document(text)
    return parse_document(document, source, formats)


def parse_document(document: Document, source: str, formats: dict[str, Format] | None = None,
                   wording: Wording | None = None) -> Report:
    formats = formats or load_formats()
    wording = wording or load_wording()
    lines = document_lines(document)
    if not any(line.kind != "empty" for line in lines):
        return _empty(source, "文件中没有文字，没有可审核的内容", document.kind)
    report = Report(source=source, kind=document.kind, lines=[l.text for l in document.lines],
                    places=[l.place for l in document.lines])
    report.warnings.extend(Warning("reader", note) for note in document.notes)
    report.body, report.year, report.title_line = find_title(lines, wording.titles)
    if report.year is None:
        report.warnings.append(Warning("no_title", "未找到“××年政府信息公开工作年度报告”式的标题，发布机关和年度未能读取"))
    items = tokenize(lines)
    evidence = label_evidence(items, formats)
    settled = decisive(evidence)
    candidates = [formats[settled]] if settled else list(formats.values())
    readings = {fmt.name: read_tables(lines, items, fmt) for fmt in candidates}
    if settled:
        fmt, note = formats[settled], None
    else:
        fmt, note = choose({name: r.fit for name, r in readings.items()}, evidence, formats, report.year)
    reading = readings[fmt.name]
    report.format = fmt.name
    report.sections = reading.sections
    report.tables = reading.tables
    report.warnings.extend(([note] if note else []) + reading.warnings)
    if not any(t.present for t in reading.tables.values()):
        report.warnings.append(Warning("no_tables", "未找到任何统计表格（表二、表三、表四均未读到）"))
    found = [*paragraphs(lines), whole_text(lines)]
    report.contact = find_contact(found, wording.contact)
    report.period, notes = find_period(found)
    report.warnings.extend(notes)
    find_unread(report, lines, fmt)
    report.warnings.sort(key=lambda w: w.line or 0)
    return report

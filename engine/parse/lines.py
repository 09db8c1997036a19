"""A reader's :class:`~.readers.Document` → lines with their field structure, the first step every
layout goes through.

Reports reach us as tab-separated Word exports, one cell per line, pipe tables, space-aligned columns,
PDF extractions, HTML and Word tables. This module numbers each line (its place in
``Report.lines``) and says how its cells are delimited, so that the table reader can treat all
layouts alike: a reader's table row keeps its cells, running text is classified here. It also drops what is not content:
``[image: …]``/``[bookmark: …]`` markers, Markdown bold, and page-number lines (``- 5 -``) that PDF
extraction leaves inside tables and paragraphs.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass

from ..text import display_width
from ..memo import short_texts
from .readers import Document
from .values import is_blank, parse_number

#: How a line's cells are delimited.
#: tab/pipe/csv/grid: explicit fields (grid: a table row as a Word, HTML or PDF reader found it) (an empty field is a blank cell); cell: one cell per line (a lone
#: tab is a blank cell); plain: free text, cells separated by spaces (runs of 2+ spaces mark aligned
#: columns).
KINDS = ("tab", "pipe", "csv", "grid", "cell", "plain", "empty")

_MARKER = re.compile(r"\[(?:image|bookmark)\s*:[^\]]*\]", re.IGNORECASE)
_BOLD = re.compile(r"\*\*")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d{1,3}\s*页(?:\s*[，,/]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3})\s*$"
)
_SENTENCE = re.compile(r"[。，；：！？、]")
_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


@dataclass
class Line:
    no: int
    text: str
    kind: str
    fields: list[str] | None = None
    width: int = 0  # display width as written, markers included: how full the line was (0: a whole paragraph)
    place: str = ""  # where the agency finds it in its own file (第3页第12行, 表格2第4行)


@short_texts
def _classify(text: str) -> tuple[str, tuple[str, ...] | None]:
    """A line's kind and fields (cached: the same lines recur in every report)."""
    if text.strip(" \r") == "\t":
        return "cell", ("",)  # a blank cell in a one-cell-per-line table
    if not text.strip():
        return "empty", None
    if "\t" in text:
        body = text.rstrip("\r\n")
        fields = body.split("\t")
        if fields[0].strip() == "" and len(fields) == 2:
            return "cell", (fields[1],)
        return "tab", tuple(fields)
    stripped = text.strip()
    if stripped.count("|") >= 2 and (stripped.startswith("|") or stripped.endswith("|")):
        return "pipe", tuple(stripped.strip("|").split("|"))
    if "," in stripped and (fields := _csv_row(stripped)):
        return "csv", tuple(fields)
    return "plain", None


@short_texts
def _cleaned(text: str, wrapped: bool) -> tuple[str, int] | None:
    """A text line as the parser reads it, and its display width where the page may have wrapped it;
    None for a page number or a Markdown table rule (cached, like :func:`_classify`)."""
    raw = text.replace("\f", "").replace("\v", "").replace("\u3000", " ").replace("\xa0", " ")
    width = display_width(raw.strip()) if wrapped else 0
    if "[" in raw or "*" in raw:  # the patterns' first characters: most lines have neither
        raw = _BOLD.sub("", _MARKER.sub("", raw))
    if _PAGE_NUMBER.match(raw) or _PIPE_RULE.match(raw):
        return None
    return raw, width


def _csv_row(text: str) -> list[str] | None:
    """The fields of a table row exported as comma-separated values (labels, if any, then numbers or
    blanks), or None for anything else: prose with commas, a number with thousands separators."""
    fields = next(csv.reader([text]))
    labels = [i for i, f in enumerate(fields) if f.strip() and not is_blank(f) and parse_number(f) is None]
    values = fields[labels[-1] + 1:] if labels else fields
    if labels and fields[labels[-1]].strip()[-1:].isdigit():
        return None  # a number with a thousands separator (… 772  12,756), not a field boundary
    numbers = [v for v in values if parse_number(v) is not None]
    if not all(is_blank(v) or parse_number(v) is not None for v in values):
        return None
    if len(fields) >= 3 and (len(numbers) >= 2 or (not numbers and values)):
        return fields  # a row of numbers, or of empty cells only (a blank row, a header's fillers)
    # One label and one number (a one-column table: 行政许可,447228), not a sentence.
    if len(fields) == 2 and labels == [0] and len(numbers) == 1 and not _SENTENCE.search(fields[0]):
        return fields
    return None


def document_lines(document: Document) -> list[Line]:
    """The content lines of a document; ``no`` is the line's position (1-based) in the document, which
    for a text file is the line number an editor shows."""
    lines = []
    for no, source in enumerate(document.lines, start=1):
        if source.cells is not None:
            lines.append(Line(no, source.text, "grid", list(source.cells), place=source.place))
            continue
        cleaned = _cleaned(source.text, source.wrapped)
        if cleaned is None:
            continue
        raw, width = cleaned
        kind, fields = _classify(raw)
        lines.append(Line(no, raw, kind, None if fields is None else list(fields), width, source.place))
    return lines

"""Text as a PDF extractor gives it (huaian-2024.pdf.txt): prose wrapped at a fixed width with spaces
between CJK and digits (``2024 年 1 月 1 日``), page-number lines (``- 5 -``) anywhere, even inside a
table or a paragraph; table cells separated by single spaces, long row labels wrapped over several
lines with the numbers on the last one, on the first or a middle one (``pdftotext -layout`` puts them
level with the middle of the cell), or on a line of their own after or between the label's lines,
group labels (三、本年度办理结果,
（四）无法提供) broken into fragments above or in front of their rows, header labels in pieces.

A blank cell prints nothing here, so nobody can tell which cell of such a row is missing: those rows
are expected to be reported unreadable, unless every cell of the row is blank (a label with no number
says just that).
"""
from __future__ import annotations

import random
import re

from engine.text import display_width

from ..document import Document, Prose
from ..grid import GridRow, GridTable, Span, captioned
from .plain import Rendered, write

BLANK_RATE = 0.08
_CJK_DIGIT = re.compile(r"(?<=[\u4e00-\u9fff])(?=[0-9A-Za-z])|(?<=[0-9A-Za-z])(?=[\u4e00-\u9fff])")
_TOKEN = re.compile(r"[!-~]+|.", re.S)
_NUMBERING = re.compile(r"^.*?[）)、]")
#: Punctuation a typesetter never puts at the start of a line.
_NO_BREAK_BEFORE = set("，。、；：？！）》」”’")


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` display columns; ASCII runs (e-mail, web address) kept whole."""
    lines, line = [], ""
    for token in _TOKEN.findall(text):
        if line and display_width(line + token) > width and token not in _NO_BREAK_BEFORE:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    return lines + [line.rstrip()] if line.strip() else lines


def _fragments(text: str, rng: random.Random, most: int) -> list[str]:
    """``text`` cut into one to ``most`` pieces, as a narrow merged cell prints it."""
    count = rng.randint(1, max(1, min(most, len(text))))
    cuts = sorted(rng.sample(range(1, len(text)), count - 1)) if count > 1 else []
    return [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)])]


def _header(grid: GridTable, rng: random.Random) -> list[str]:
    """Header lines: a section-二 table's on one line each; the big tables' labels in pieces."""
    lines = []
    for row in grid.header:
        spans = [s.text for s in row.slots if isinstance(s, Span) and s.text]
        if captioned(grid.spec):
            # The caption wraps in its cell and comes out with a space: 第二十条 第（一）项.
            lines.append(" ".join(_fragments(spans[0], rng, 2)) if len(spans) == 1 else " ".join(spans))
            continue
        for text in spans:
            if len(text) > 12:
                lines.extend(_wrap(text, rng.randint(30, 60)))
                continue
            pieces = _fragments(text, rng, 3)
            lines.extend(" ".join(p) if rng.random() < 0.3 else p for p in pieces)
    return lines


def _data_row(row: GridRow, rng: random.Random, width: int, pending: dict[int, list[str]]) -> list[str]:
    """Group labels starting here go above the row (whole, in pieces, or one character a line) or are
    cut into pieces that prefix this row and the next (``（四）无 1.本机关…`` / ``法提供 2.没有…``)."""
    numbers = " ".join(v for v in row.values if v is not None)
    spans = [(i, s) for i, s in enumerate(row.slots) if isinstance(s, Span)]
    if not spans:
        return [numbers]
    lines: list[str] = []
    prefix: list[str] = []
    leaf_at, leaf = spans[-1]
    for level, slot in enumerate(row.slots[:leaf_at]):
        if isinstance(slot, Span):
            style = rng.choice(["vertical", "above", "prefix"]) if slot.rows > 1 else "prefix"
            if style == "vertical":
                head = _NUMBERING.match(slot.text)
                cut = head.end() if head else 1
                lines.extend([slot.text[:cut], *slot.text[cut:]])
            elif style == "above":
                lines.extend(_fragments(slot.text, rng, 2))
            else:
                pending[level] = _fragments(slot.text, rng, min(slot.rows, 2))
        if pending.get(level):
            prefix.append(pending[level].pop(0))
    label = _wrap(" ".join([*prefix, leaf.text]), width)
    where = rng.random() if len(label) > 1 and numbers else 1.0
    if where < 0.3:
        return lines + label + [numbers]
    if where < 0.6:
        at = rng.randrange(len(label) - 1)  # the numbers beside or below an earlier line of the label
        level = [f"{label[at]} {numbers}"] if rng.random() < 0.5 else [label[at], numbers]
        return lines + label[:at] + level + label[at + 1:]
    return lines + label[:-1] + [f"{label[-1]} {numbers}".strip()]


def table(grid: GridTable, rng: random.Random) -> tuple[list[str], set[str]]:
    lines = _header(grid, rng)
    width = rng.randint(24, 40)
    pending: dict[int, list[str]] = {}
    lost: set[str] = set()
    for row in grid.body:
        lines.extend(_data_row(row, rng, width, pending))
        blanks = sum(v is None for v in row.values)
        if 0 < blanks < len(row.values):
            lost.update(row.rows)
    return lines, lost


def render(document: Document, rng: random.Random) -> Rendered:
    width = rng.randint(56, 68)

    def prose(block: Prose, rng: random.Random) -> list[str]:
        text = _CJK_DIGIT.sub(" ", block.text)
        # Titles are one or two lines already (the spec decides); headings and markers are short.
        return [text] if block.kind in ("title", "heading", "marker") else _wrap(text, width)

    rendered = write(document, rng, table, prose)
    return Rendered(_paginate(rendered.text, rng), rendered.unreadable)


def _paginate(text: str, rng: random.Random) -> str:
    """Page-number footers every so many lines, wherever they fall."""
    lines = [line for line in text.splitlines() if line.strip()]
    out, page, since = (["- 1 -"], 2, 0) if rng.random() < 0.5 else ([], 1, 0)
    every = rng.randint(20, 40)
    for line in lines:
        out.append(line)
        since += 1
        if since >= every:
            out.append(f"- {page} -")
            page, since = page + 1, 0
    return "\n".join(out) + "\n"

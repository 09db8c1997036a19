"""The contract every reader keeps: bytes of one input kind in, a :class:`Document` out.

A disclosure office receives reports as Word files, PDFs, web pages and plain text. Each kind has its
own reader module in this package; all of them give the parser the same thing: the report's lines in
reading order, each either running text or one table row of cells in the table's true grid, and each
with a *place* the agency can find in its own file (``第3页第12行``, ``第5段``, ``表2第4行``).

A new input kind is one module with a :class:`Reader` in it, listed in :data:`..READERS`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Protocol

#: A cell covered by a merged cell above it (``rowspan``, ``vMerge``): it holds no value of its own, so
#: it is shown to the parser as an empty field, as Word's own text export does. A cell covered from
#: the left (``colspan``, ``gridSpan``) is not a field at all: one merged cell is one cell.
COVERED = ""


class NotReadable(ValueError):
    """The input cannot be read as a report; the message says why in Chinese and, where there is one,
    what the agency should send instead (扫描件……请提供带文字的 PDF 或 Word 版本)."""


@dataclass(frozen=True)
class SourceLine:
    """One line of a report as its reader found it.

    ``cells`` is None for running text, or a table row's cells in grid order. ``wrapped`` says whether
    the line may be a piece of a paragraph that the page broke (text files and PDFs), as opposed to a
    whole paragraph (Word, HTML); paragraph joining relies on it."""

    text: str
    place: str
    cells: tuple[str, ...] | None = None
    wrapped: bool = False


@dataclass
class Document:
    """What a reader read: the lines, the kind of input (for messages), and notes for the Report's
    warnings (a table the reader had to repair, a part it could not read)."""

    kind: str
    lines: list[SourceLine]
    notes: list[str] = field(default_factory=list)


class Reader(Protocol):
    """One input kind. ``sniff`` looks at the bytes (and only falls back on the file name where the
    bytes cannot tell, as for plain text); ``read`` gives the Document or raises :class:`NotReadable`.
    ``suffixes`` are what the office sees in the CLI help and in the reason a folder's other files are
    listed with; they never decide alone what a file is."""

    kind: ClassVar[str]
    suffixes: ClassVar[tuple[str, ...]]

    def sniff(self, data: bytes, name: str) -> bool: ...

    def read(self, data: bytes, name: str) -> Document: ...


def row_text(cells: tuple[str, ...]) -> str:
    """A table row as one line of text, for quoting: its cells separated by tabs."""
    return "\t".join(cells)

"""The layouts a report comes in, by name: each module writes a :class:`~..document.Document`.

The contract of a layout module:

- ``render(document, rng)`` gives what was written, either
  :class:`~.plain.Rendered` — the report's *text* (a text layout; the report encodes it in the spec's
  encoding) — or :class:`~.files.RenderedFile` — the *bytes* of a whole file and the suffix it is saved
  with (a file layout: ``.docx``, ``.pdf``, an ``.html`` page in its own charset);
- both carry ``unreadable``, table key → the rows written in a way no reader could place (a blank
  cell in PDF text, run-together digits with several splits), which the parser must report as
  unreadable rather than guess; a layout declares a row only where that is true of what it wrote
  (never for tables whose cells are explicit: Word, web pages, ruled PDF tables);
- ``BLANK_RATE``, the chance that a report written in it leaves some cells blank (rare where a blank
  cannot be placed: PDF text; never where digits run together).

:data:`LAYOUTS` are the text layouts, :data:`FILE_LAYOUTS` the file layouts; file layouts get their
document without the text markers a Word-to-text conversion leaves ([image: …]): a file holds the
image or bookmark itself.
"""
from __future__ import annotations

from types import ModuleType

from . import cells, commas, crawled, docx, html, html_page, lines, pdf, pdf_file, pipe, spaces, tab


def _by_name(*modules: ModuleType) -> dict[str, ModuleType]:
    return {m.__name__.rsplit(".", 1)[1]: m for m in modules}


LAYOUTS: dict[str, ModuleType] = _by_name(tab, cells, lines, pipe, commas, spaces, pdf, html, crawled)
FILE_LAYOUTS: dict[str, ModuleType] = _by_name(docx, pdf_file, html_page)

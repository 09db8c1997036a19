"""The layouts a report's text comes in, by name: each module writes a :class:`~..document.Document`.

A layout module has ``render(document, rng) -> Rendered`` and ``BLANK_RATE``, the chance that a report
written in it leaves some cells blank (rare where a blank cannot be placed: PDF text; never where digits
run together). The text also records rows no reader could place, which the parser must report as
unreadable rather than guess.
"""
from __future__ import annotations

from types import ModuleType

from . import cells, commas, crawled, html, lines, pdf, pipe, spaces, tab

LAYOUTS: dict[str, ModuleType] = {m.__name__.rsplit(".", 1)[1]: m
                                  for m in (tab, cells, lines, pipe, commas, spaces, pdf, html, crawled)}

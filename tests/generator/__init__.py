"""Random valid annual reports, in both official formats and every layout, that know what they say.

    spec (plain data: :mod:`.spec`)  →  blocks (:mod:`.document`)  →  text or file of one layout (:mod:`.layouts`)

:func:`generate` gives one :class:`GeneratedReport`: its bytes (a text layout's text in the spec's
encoding, or a file layout's .docx, .pdf or web page) and the name to read them under, the spec it was
written from and the :class:`~.document.Expected` reading. Rule tests edit the spec first
(:mod:`.defects`) and call :func:`render`, or take consecutive years from :func:`.pairs.following_year`;
:func:`.compare.differences` checks a parsed Report; benchmarks take :func:`generate_reports`. Everything is
seeded, so ``python -m tests.generator --layout pdf --format 2021 --seed 7`` shows a failing case again
(``-o case.docx`` saves a file layout's file).

A new layout is one module in ``layouts/`` keeping the contract written down in ``layouts/__init__.py``,
listed there; the property test picks it up. Wording the generator draws on is data
(``wording.yaml``, ``tables.yaml``); official labels come from the format files.
"""
from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType

from engine.formats import load_formats

from .document import Document, Expected, build_document, expected
from .layouts import FILE_LAYOUTS, LAYOUTS
from .layouts.files import RenderedFile
from .layouts.plain import Rendered
from .spec import ReportSpec, random_spec

__all__ = ["FILE_LAYOUTS", "FORMATS", "LAYOUTS", "GeneratedReport", "generate", "generate_reports", "random_spec",
           "render"]

FORMATS = tuple(load_formats())


@dataclass(frozen=True)
class GeneratedReport:
    seed: int
    layout: str
    spec: ReportSpec
    document: Document
    written: Rendered | RenderedFile
    expected: Expected

    @property
    def text(self) -> str:
        """What a text layout wrote (a file layout wrote bytes: see :attr:`data`)."""
        if isinstance(self.written, RenderedFile):
            raise TypeError(f"layout {self.layout} writes a {self.written.suffix} file, not text: read .data")
        return self.written.text

    @property
    def data(self) -> bytes:
        """The file as it would be saved: a text layout's text in the spec's encoding (BOM included where
        it has one), a file layout's own bytes."""
        if isinstance(self.written, RenderedFile):
            return self.written.data
        return self.written.text.encode(self.spec.encoding)

    @property
    def name(self) -> str:
        suffix = self.written.suffix if isinstance(self.written, RenderedFile) else ""
        return f"{self.layout}-{self.spec.format}-{self.seed}{suffix}"

    def describe(self) -> str:
        """How to see this report again, for assertion messages."""
        notes = f" defects: {'; '.join(map(str, self.spec.defects))}" if self.spec.defects else ""
        saved = f" -o {self.name}" if isinstance(self.written, RenderedFile) else ""
        encoding = "" if saved else f" encoding={self.spec.encoding}"
        return (f"seed={self.seed} layout={self.layout} format={self.spec.format}{encoding}"
                f"{notes} (python -m tests.generator --layout {self.layout} --format {self.spec.format}"
                f" --seed {self.seed}{saved})")


def _module(layout: str) -> ModuleType:
    return LAYOUTS.get(layout) or FILE_LAYOUTS[layout]


def render(spec: ReportSpec, layout: str) -> GeneratedReport:
    """Write ``spec`` in ``layout``: the same spec always gives the same text or bytes."""
    rng = random.Random(f"layout:{spec.format}:{spec.seed}:{layout}")
    document = build_document(spec, rng, plain=layout == "crawled", markers=layout in LAYOUTS)
    written = _module(layout).render(document, rng)
    return GeneratedReport(spec.seed, layout, spec, document, written, expected(spec, written.unreadable))


def generate(seed: int, layout: str, format_name: str) -> GeneratedReport:
    """The valid report number ``seed`` of ``format_name`` written in ``layout``."""
    return render(random_spec(seed, format_name, _module(layout).BLANK_RATE), layout)


def generate_reports(count: int, start: int = 0) -> Iterator[GeneratedReport]:
    """``count`` reports cycling through every text layout and format (for benchmarks and smoke runs)."""
    combos = [(layout, fmt) for layout in LAYOUTS for fmt in FORMATS]
    for index in range(count):
        layout, fmt = combos[index % len(combos)]
        yield generate(start + index // len(combos), layout, fmt)

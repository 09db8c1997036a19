"""Random valid annual reports, in both official formats and every layout, that know what they say.

    spec (plain data: :mod:`.spec`)  →  blocks (:mod:`.document`)  →  text of one layout (:mod:`.layouts`)

:func:`generate` gives one :class:`GeneratedReport`: its text (and bytes in the spec's encoding), the
spec it was written from and the :class:`~.document.Expected` reading. Rule tests edit the spec first
(:mod:`.defects`) and call :func:`render`, or take consecutive years from :func:`.pairs.following_year`;
:func:`.compare.differences` checks a parsed Report; benchmarks take :func:`generate_reports`. Everything is
seeded, so ``python -m tests.generator --layout pdf --format 2021 --seed 7`` shows a failing case again.

A new layout is one module in ``layouts/`` with ``render(document, rng)`` and ``BLANK_RATE``, listed in
``layouts/__init__.py``; the property test picks it up. Wording the generator draws on is data
(``wording.yaml``, ``tables.yaml``); official labels come from the format files.
"""
from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from engine.formats import load_formats

from .document import Expected, build_document, expected
from .layouts import LAYOUTS
from .spec import ReportSpec, random_spec

__all__ = ["FORMATS", "LAYOUTS", "GeneratedReport", "generate", "generate_reports", "random_spec", "render"]

FORMATS = tuple(load_formats())


@dataclass(frozen=True)
class GeneratedReport:
    seed: int
    layout: str
    spec: ReportSpec
    text: str
    expected: Expected

    @property
    def data(self) -> bytes:
        """The text as the file would hold it, in the spec's encoding (BOM included where it has one)."""
        return self.text.encode(self.spec.encoding)

    @property
    def name(self) -> str:
        return f"{self.layout}-{self.spec.format}-{self.seed}"

    def describe(self) -> str:
        """How to see this report again, for assertion messages."""
        notes = f" defects: {'; '.join(map(str, self.spec.defects))}" if self.spec.defects else ""
        return (f"seed={self.seed} layout={self.layout} format={self.spec.format} encoding={self.spec.encoding}"
                f"{notes} (python -m tests.generator --layout {self.layout} --format {self.spec.format}"
                f" --seed {self.seed})")


def render(spec: ReportSpec, layout: str) -> GeneratedReport:
    """Write ``spec`` in ``layout``: the same spec always gives the same text."""
    module = LAYOUTS[layout]
    rng = random.Random(f"layout:{spec.format}:{spec.seed}:{layout}")
    document = build_document(spec, rng, plain=layout == "crawled")
    written = module.render(document, rng)
    return GeneratedReport(spec.seed, layout, spec, written.text, expected(spec, written.unreadable))


def generate(seed: int, layout: str, format_name: str) -> GeneratedReport:
    """The valid report number ``seed`` of ``format_name`` written in ``layout``."""
    return render(random_spec(seed, format_name, LAYOUTS[layout].BLANK_RATE), layout)


def generate_reports(count: int, start: int = 0) -> Iterator[GeneratedReport]:
    """``count`` reports cycling through every layout and format (for benchmarks and smoke runs)."""
    combos = [(layout, fmt) for layout in LAYOUTS for fmt in FORMATS]
    for index in range(count):
        layout, fmt = combos[index % len(combos)]
        yield generate(start + index // len(combos), layout, fmt)

"""A spec as a sequence of blocks in reading order, and what a faithful reader must get from it.

The blocks are layout-neutral: title lines, the introduction (statistical period, contact details),
section headings and narrative, and table grids where the sections hold them; markers left by Word
conversion ([image: …], [bookmark: _GoBack]) on their own line or at a line start. A truncation drops
the lost stretch here, once, for every layout. :func:`expected` turns the spec into the values the
parser must report.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from .grid import GridTable, build
from .spec import Number, ReportSpec, wording


@dataclass
class Prose:
    text: str
    kind: str = "para"  # title, heading, para, marker


Block = Prose | GridTable


@dataclass
class Document:
    spec: ReportSpec
    blocks: list[Block]


@dataclass(frozen=True)
class ExpectedTable:
    cells: dict[tuple[str, str], Number | None]   # every cell of a row that must be read
    missing_rows: tuple[str, ...]
    unreadable_rows: tuple[str, ...]
    kinds: dict[str, str]                          # column → count, signed or amount


@dataclass(frozen=True)
class Expected:
    body: str
    year: int
    format: str
    sections: tuple[str, ...]
    tables: dict[str, ExpectedTable]
    contact: dict[str, str]
    period: tuple[date, date] | None


def _contact(spec: ReportSpec) -> list[Prose]:
    """The contact details: one sentence, or one line per item under a heading line."""
    if not spec.contact:
        return []
    items = [f"{item.label}{spec.contact_colon}{item.value}" for item in spec.contact.values()]
    if spec.contact_lines:
        return [Prose(t) for t in [spec.contact_sentence, *items] if t]
    return [Prose(spec.contact_sentence.format(body=spec.body, items="，".join(items)))]


def _title(spec: ReportSpec) -> list[Prose]:
    year = f"{spec.year}{' ' if spec.title_gap else ''}{spec.title_year_word}"
    name = spec.title_name or wording()["title_phrase"]
    if spec.title_body_after_year:
        return [Prose(f"{year}{spec.body}{name}", "title")]
    phrase = f"{year}{name}"
    if spec.title_split:
        return [Prose(spec.body, "title"), Prose(phrase, "title")]
    return [Prose(f"{spec.body}{' ' if spec.title_gap else ''}{phrase}", "title")]


def _tables(spec: ReportSpec, number: str, rng: random.Random, plain: bool) -> list[GridTable]:
    lost = spec.lost_tables()
    grids = []
    for key, table in spec.fmt.tables.items():
        if table.section != number or key in lost:
            continue
        first = spec.truncation.first_row if spec.truncation and key == spec.truncation.table else None
        grids.append(build(table, spec.tables[key], spec.style, rng, plain=plain, first_row=first))
    return grids


def build_document(spec: ReportSpec, rng: random.Random, *, plain: bool = False, markers: bool = True) -> Document:
    """The blocks of ``spec``; ``plain`` keeps table numbers to bare digits (run-together layouts);
    ``markers`` scatters the spec's conversion markers (text layouts only: a file holds the image)."""
    blocks: list[Block] = [*_title(spec), *(Prose(s) for s in spec.intro)]
    if spec.period is not None:
        blocks.append(Prose(spec.period.text()))
    if not spec.contact_at_end:
        blocks.extend(_contact(spec))
    cut = spec.truncation.lost_section(spec.fmt) if spec.truncation else None
    written = {s.number: s for s in spec.sections}
    # Tables stay where the format puts them even when a section's heading is missing (a defect).
    for number in _section_order(spec):
        section = written.get(number)
        if section is not None and number != cut:
            blocks.append(Prose(section.heading, "heading"))
            blocks.extend(Prose(p) for p in section.paragraphs)
        blocks.extend(_tables(spec, number, rng, plain))
    if spec.contact_at_end:
        blocks.extend(_contact(spec))
    if markers:
        _scatter_markers(spec, blocks, rng)
    return Document(spec, blocks)


def _section_order(spec: ReportSpec) -> list[str]:
    """Section numbers in the order the spec writes them (sections swapped by a defect take their tables
    with them); a section left out keeps its format's place, for its tables."""
    order = [s.number for s in spec.sections]
    for index, number in enumerate(s.number for s in spec.fmt.sections):
        if number not in order:
            order.insert(index, number)
    return order


def _scatter_markers(spec: ReportSpec, blocks: list[Block], rng: random.Random) -> None:
    for _ in range(spec.style.markers):
        marker = rng.choice(wording()["markers"]).format(n=rng.randint(10**8, 10**9))
        paragraphs = [i for i, b in enumerate(blocks) if isinstance(b, Prose) and b.kind == "para"]
        if paragraphs and rng.random() < 0.5:
            target = blocks[rng.choice(paragraphs)]
            target.text = marker + target.text
        else:
            titles = sum(1 for b in blocks if isinstance(b, Prose) and b.kind == "title")
            blocks.insert(rng.randint(titles, len(blocks)), Prose(marker, "marker"))


def expected(spec: ReportSpec, unreadable: dict[str, set[str]] | None = None) -> Expected:
    """What a faithful reader reports for ``spec``; ``unreadable`` lists the rows a layout wrote in a
    way nobody can place (a blank cell in PDF text, run-together digits with several splits)."""
    unreadable = unreadable or {}
    tables = {}
    for key, table in spec.fmt.tables.items():
        missing = spec.missing_rows(key)
        lost = [r for r in table.row_labels if r in unreadable.get(key, set()) and r not in missing]
        cells = {(r, c): spec.tables[key][r][c] for r in table.row_labels if r not in missing and r not in lost
                 for c in table.column_labels}
        tables[key] = ExpectedTable(cells, tuple(missing), tuple(lost), {c.label: c.kind for c in table.columns})
    cut = spec.truncation.lost_section(spec.fmt) if spec.truncation else None
    sections = tuple(s.number for s in spec.sections if s.number != cut)
    period = (spec.period.start, spec.period.end) if spec.period else None
    contact = {k: item.value for kind, item in spec.contact.items() for k in (kind, *item.also)}
    return Expected(spec.body, spec.year, spec.format, sections, tables, contact, period)

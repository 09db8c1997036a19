"""One table of a spec as a grid of merged cells, the way the official template draws it.

Every layout writes tables from this one grid, so merged cells are worked out once: the label columns
of table 三 (三、本年度办理结果 spanning its rows, （三）不予公开 spanning its eight sub-rows, a lone row
label spanning the label columns), the column headers built from the format's ``column_groups``
(申请人情况 → 法人或其他组织 → 商业企业 …), and table 四 printed as one wide row of three groups. A
:class:`Span` is a cell that starts here; a :class:`Covered` slot is the part of a span from above
("row") or from the left ("col"), which layouts write as an empty field, an empty line, or nothing.
Formats with explicit cells (Word, web pages, PDF tables with ruling lines) take :func:`placed`: the
cells that start on each line, at their column, with their extent.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from engine.formats import TableSpec
from engine.text import key

from .spec import Cells, Number, Style
from .values import table_facts


@dataclass(frozen=True)
class Span:
    text: str
    rows: int = 1
    cols: int = 1


@dataclass(frozen=True)
class Covered:
    by: str  # "row": merged from above; "col": merged from the left


Slot = Span | Covered


@dataclass
class GridRow:
    """A header row (slots across the whole width) or a data row (label slots, then values)."""

    slots: list[Slot]
    values: list[str | None] = field(default_factory=list)   # as written; None = blank
    cells: list[tuple[str, str]] = field(default_factory=list)  # (row, column) of each value

    @property
    def rows(self) -> list[str]:
        """Official labels of the table rows this line carries (three for the wide table 四)."""
        return list(dict.fromkeys(r for r, _ in self.cells))

    @property
    def labels(self) -> list[str]:
        return [s.text for s in self.slots if isinstance(s, Span)]


@dataclass(frozen=True)
class Placed:
    """A cell of a file's table: where it starts in the grid, its extent, and what it holds
    ("header", "label" or "value"; a blank value is ``""``)."""

    row: int
    col: int
    text: str
    part: str
    rows: int = 1
    cols: int = 1


@dataclass
class GridTable:
    spec: TableSpec
    header: list[GridRow]
    body: list[GridRow]
    label_width: int
    width: int

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def lines(self) -> list[GridRow]:
        return [*self.header, *self.body]


def placed(grid: GridTable) -> list[list[Placed]]:
    """The cells starting on each line of ``grid``, left to right. A slot covered by a span that
    starts nowhere in the grid (a truncated table whose group cell was on the lost lines) is an empty
    cell of its own: the file has a cell there, with nothing in it."""
    covered: set[tuple[int, int]] = set()
    lines = []
    for row, line in enumerate(grid.lines):
        part = "header" if row < len(grid.header) else "label"
        cells = []
        for col, slot in enumerate(line.slots):
            if isinstance(slot, Span):
                cells.append(Placed(row, col, slot.text, part, slot.rows, slot.cols))
                covered.update((row + r, col + c) for r in range(slot.rows) for c in range(slot.cols))
            elif (row, col) not in covered:
                cells.append(Placed(row, col, "", part))
        cells.extend(Placed(row, len(line.slots) + i, value or "", "value") for i, value in enumerate(line.values))
        lines.append(cells)
    return lines


def captioned(spec: TableSpec) -> bool:
    """Whether the table prints its title as a caption row (the section-二 tables do)."""
    return spec.section in table_facts()["captioned_sections"]


FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def styled(text: str, style: Style) -> str:
    """A label as this report writes it: bracket width, spacing and sub-row numbering."""
    if style.half_brackets:
        text = text.replace("（", "(").replace("）", ")").replace("，", ",")
    if style.bracket_space and text[:1] in "（(" and text[2:3] in "）)":
        text = text[:3] + " " + text[3:]
    if text[:1].isdigit() and text[1:2] == ".":
        text = text[0] + style.numbering + text[2:]
    return text


def _name(names: tuple[str, ...], style: Style, rng: random.Random) -> str:
    """The official label, or one of the format's aliases when the report uses them (never the
    short names, which are for rule authors)."""
    label, aliases = names[0], names[1:]
    return rng.choice(aliases) if style.aliases and aliases else label


def number(value: Number | None, kind: str, style: Style, rng: random.Random, plain: bool) -> str | None:
    """A cell value as a report writes it: +5 / -3 for 本年增/减, 1,284, １２, "9114.72 万元".
    ``plain`` (run-together layouts) keeps digits only, so that splitting them stays well defined."""
    if value is None:
        return None
    if kind == "signed":
        text = f"{value:+d}" if value else "0"
    elif kind == "amount":
        text = str(value)
        if style.unit_suffix and not plain:
            text += rng.choice([" 万元", "万元"])
    else:
        text = f"{value:,}" if style.thousands and not plain and value >= 1000 and rng.random() < 0.6 else str(value)
    if not plain and rng.random() < style.fullwidth:
        text = text.translate(FULLWIDTH)
    return text


def _header_text(text: str, style: Style) -> str:
    text = styled(text, style)
    return " ".join(text) if style.spaced_headers and len(text) <= 4 else text


def _column_paths(spec: TableSpec, style: Style, rng: random.Random) -> tuple[list[list[str]], list[tuple[str, str]]]:
    """Header path of every value column, outermost first, and the (row, column) it holds."""
    columns = {c.label: _header_text(_name((c.label, *c.aliases), style, rng), style) for c in spec.columns}
    if spec.layout != "wide":
        groups = sorted(spec.column_groups, key=lambda g: -len(g[1]))
        paths = [[g for g, members in groups if c in members] + [columns[c]] for c in spec.column_labels]
        return paths, [("", c) for c in spec.column_labels]
    paths, cells = [], []
    for row in spec.rows:
        names = {key(n) for n in row.names}
        path = next(([g, m] for g, members in spec.column_groups for m in members if key(m) in names), [row.label])
        for column in spec.column_labels:
            paths.append(path + [columns[column]])
            cells.append((row.label, column))
    return paths, cells


def _header(paths: list[list[str]], stub: str | None, label_width: int) -> list[GridRow]:
    """Header rows from the column paths: a group spans its columns; a label that ends its path
    early (自然人, 总计) reaches down to the last header row; the stub spans the label columns."""
    depth = max(len(p) for p in paths)
    rows = []
    for level in range(depth):
        slots: list[Slot] = []
        if label_width:
            slots.append(Span(stub or "", rows=depth, cols=label_width) if level == 0 else Covered("row"))
            slots.extend(Covered("col") for _ in range(label_width - 1))
        index = 0
        while index < len(paths):
            path = paths[index]
            if len(path) <= level:
                slots.append(Covered("row"))
                index += 1
                continue
            leaf = len(path) == level + 1
            run = 1
            while not leaf and index + run < len(paths) and paths[index + run][:level + 1] == path[:level + 1]:
                run += 1
            slots.append(Span(path[level], rows=depth - level if leaf else 1, cols=run))
            slots.extend(Covered("col") for _ in range(run - 1))
            index += run
        rows.append(GridRow(slots))
    return rows


def build(spec: TableSpec, cells: Cells, style: Style, rng: random.Random, *, plain: bool = False,
          first_row: str | None = None) -> GridTable:
    """The grid of one table; ``first_row`` starts it there, without caption or header (truncated)."""
    kinds = {c.label: c.kind for c in spec.columns}
    paths, columns = _column_paths(spec, style, rng)
    start = 0 if first_row is None else spec.row_labels.index(first_row)
    label_width = 0 if spec.layout == "wide" else max(len(r.parents) + 1 for r in spec.rows)
    width = label_width + len(paths)

    def written(row: str, column: str) -> str | None:
        return number(cells[row][column], kinds[column], style, rng, plain)

    header: list[GridRow] = []
    if first_row is None:
        if captioned(spec):
            header.append(GridRow([Span(styled(spec.title, style), cols=width)]
                                  + [Covered("col") for _ in range(width - 1)]))
        header.extend(_header(paths, spec.stub and styled(spec.stub, style), label_width))
    if spec.layout == "wide":
        values = [written(r, c) for r, c in columns]
        return GridTable(spec, header, [GridRow([], values, columns)], 0, width)
    label_paths = [[styled(p, style) for p in r.parents] + [styled(_name((r.leaf, *r.aliases), style, rng), style)]
                   for r in spec.rows]
    body = []
    # Merges are worked out over the whole table, then the lost rows dropped: the group cells of a cut
    # table that began on the lost lines leave nothing behind.
    for index in range(start, len(spec.rows)):
        row, path = spec.rows[index], label_paths[index]
        slots: list[Slot] = []
        for level, text in enumerate(path[:-1]):
            if index and label_paths[index - 1][:level + 1] == path[:level + 1]:
                slots.append(Covered("row"))
                continue
            run = 1
            while index + run < len(spec.rows) and label_paths[index + run][:level + 1] == path[:level + 1]:
                run += 1
            slots.append(Span(text, rows=run))
        slots.append(Span(path[-1], cols=label_width - len(path) + 1))
        slots.extend(Covered("col") for _ in range(label_width - len(path)))
        body.append(GridRow(slots, [written(row.label, c) for c in spec.column_labels],
                            [(row.label, c) for c in spec.column_labels]))
    return GridTable(spec, header, body, label_width, width)

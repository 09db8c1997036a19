"""Runs of values → the cells of each row, placed in the official columns, or an honest refusal.

A run read from text can hold more items than the row has cells (blank fields of merged label columns,
trailing tabs), fewer (blank cells a PDF never printed), or digits run together (crawled pages). Each
case has one rule here, and every rule either places each value for a reason it can state or marks the
row unreadable with a warning. Nothing is guessed, no blank becomes 0.
"""
from __future__ import annotations

from collections import Counter
from decimal import Decimal
from functools import cache
from itertools import combinations
from statistics import median

from ..formats import TableSpec
from ..model import Cell, Table, Warning
from .identities import READINGS, row_total_columns, row_total_holds, settle_by_columns
from .tables import RowRead
from .tokens import Item
from .splits import segmentations


class Unreadable(Exception):
    """A row whose values cannot be placed; the message says why, for the warning."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class Ambiguous(Unreadable):
    """A row whose digits split more than one way that keeps the row total: the table's column
    identities may still settle it (:func:`.identities.settle_by_columns`)."""

    def __init__(self, message: str, readings: list[list[int]]) -> None:
        super().__init__("ambiguous_split", message)
        self.readings = readings


def _windows(run: list[Item], size: int) -> list[int]:
    """Starts of the ``size``-long windows that hold every number of the run."""
    numbers = [i for i, item in enumerate(run) if not item.blank]
    if not numbers:
        return [0] if len(run) == size else list(range(len(run) - size + 1))
    first, last = numbers[0], numbers[-1]
    return [s for s in range(len(run) - size + 1) if s <= first and last < s + size]


def _shape(run: list[Item], start: int) -> tuple:
    """Where a row's cells sit, comparable across the rows of one table: in a delimited line, the field
    the first cell is in among the line's fields (tables keep one width per line); otherwise the
    position of the window within the run."""
    first = run[start]
    if first.field is not None:
        return ("field", first.fields, first.field)
    return ("run", len(run), start)


def _choose(spec: TableSpec, options: int, holding: int, readings: list[list[int]], size: int,
            how: str) -> tuple[list[int], str]:
    """The one reading among the ``options`` ways that every identity the format states for the table
    allows: ``holding`` of them keep its row total (every way where it states none), and
    ``readings`` are those ways where they are few enough to be weighed (:data:`.identities.READINGS`).
    A split or a joining that breaks the row total is never taken, even where it is the only one."""
    if spec.row_total is None:
        if options == 1:
            return readings[0], f"按{size}个单元格{how}，{how}方式唯一"
        raise Unreadable("ambiguous_split", f"数字连在一起，{how}成{size}个单元格有{options}种方式，无法确定")
    if holding == 1:
        if options == 1:
            return readings[0], f"按{size}个单元格{how}只有一种方式，且合计关系成立"
        return readings[0], f"按{size}个单元格{how}有{options}种方式，按合计关系只有一种成立"
    if how == "合并":
        message = f"数字比单元格多，合并成{size}个单元格的{options}种方式都不能确定"
    elif not holding:
        raise Unreadable("ambiguous_split", f"数字连在一起，拆分成{size}个单元格的{options}种方式都不符合合计关系，无法确定")
    else:
        message = f"数字连在一起，{how}成{size}个单元格有{holding}种方式符合合计关系，无法确定"
    if 1 < holding <= READINGS and size == len(spec.columns):
        raise Ambiguous(message, readings)
    raise Unreadable("ambiguous_split", message)


def _split(spec: TableSpec, run: list[Item], size: int) -> tuple[list[int], str]:
    pieces = [item.raw.replace(",", "") for item in run]
    if any(item.blank for item in run):
        raise Unreadable("cell_count", f"应有{size}个单元格，读到{len(run)}个，无法确定空白单元格的位置")
    row_total = (len(spec.columns), *row_total_columns(spec)) if spec.row_total else None
    found = segmentations(pieces, size, row_total=row_total, keep=READINGS)
    if not found or not found.ways:
        raise Unreadable("ambiguous_split", f"数字连在一起（{' '.join(pieces)}），无法拆分成{size}个单元格")
    return _choose(spec, *found, size, "拆分")


def _merge(spec: TableSpec, run: list[Item], size: int) -> tuple[list[int], str]:
    """Numbers a PDF printed with spaces inside (``3 001``): join neighbours until ``size`` remain. Where
    the table has a totals identity, a joining must satisfy it: a row with one number too many is more
    often an extra column (a 法人或其他组织 subtotal) than a split number."""
    pieces = [item.raw for item in run]
    if any(item.blank or item.wide_gap or not p.isdigit() for item, p in zip(run[1:], pieces[1:])):
        raise Unreadable("cell_count", f"应有{size}个单元格，读到{len(run)}个数字")
    options = []
    for cuts in combinations(range(1, len(pieces)), size - 1):
        bounds = (0, *cuts, len(pieces))
        groups = ["".join(pieces[a:b]) for a, b in zip(bounds, bounds[1:])]
        if all(g.isdigit() and (g == "0" or not g.startswith("0")) for g in groups):
            options.append([int(g) for g in groups])
    if not options:
        raise Unreadable("cell_count", f"应有{size}个单元格，读到{len(run)}个数字")
    holding = [o for o in options if row_total_holds(spec, o, len(spec.columns))] if spec.row_total else options
    return _choose(spec, len(options), len(holding), holding, size, "合并")


def _columns(references: list[list[Item]]) -> list[tuple[float, float]]:
    """Left and right edge of each column, as the complete rows (or the headers) place them."""
    size = len(references[0])
    return [(median(r[j].span[0] for r in references), median(r[j].span[1] for r in references))
            for j in range(size)]


def _align(run: list[Item], columns: list[tuple[float, float]]) -> list[Item | None]:
    """Place the values of a space-aligned row under the columns: each value goes to the column whose
    left or right edge it shares (numbers are padded to one side), in order, or the row is unreadable."""
    lefts = [c[0] for c in columns]
    spacing = min((b - a for a, b in zip(lefts, lefts[1:])), default=10)
    placed: list[Item | None] = [None] * len(columns)
    previous = -1
    for item in run:
        distance, column = min((min(abs(item.span[0] - left), abs(item.span[1] - right)), j)
                               for j, (left, right) in enumerate(columns))
        if column <= previous or distance > spacing / 2:
            raise Unreadable("blank_position", "空白单元格的位置无法根据对齐确定")
        placed[column] = item
        previous = column
    return placed


class RowResolver:
    """Resolves every read of one table, using the table's unambiguous rows as evidence for the rest."""

    def __init__(self, spec: TableSpec) -> None:
        self.spec = spec
        self.width = len(spec.columns)
        self.notes: list[Warning] = []
        self.shapes: Counter = Counter()  # (items in run, window start) of rows placed unambiguously
        self.references: list[list[Item]] = []  # complete space-aligned rows: where the columns are

    def size(self, read: RowRead) -> int:
        return self.width * (len(self.spec.rows) if read.row is None else 1)

    def resolve(self, reads: list[RowRead]) -> dict[str, list[Cell] | None]:
        placed: dict[int, list] = {}
        pending: list[int] = []
        open_rows: dict[int, Ambiguous] = {}
        for n, read in enumerate(reads):
            try:
                values = self._place(read)
            except Ambiguous as error:
                open_rows[n] = error
                continue
            except Unreadable as error:
                self._unreadable(read, error)
                continue
            if values is None:
                pending.append(n)
            else:
                placed[n] = values
        for n in pending:
            try:
                placed[n] = self._place_by_others(reads[n])
            except Unreadable as error:
                self._unreadable(reads[n], error)
        if open_rows:
            self._settle_by_columns(reads, placed, open_rows)
        return self._cells(reads, placed)

    def _settle_by_columns(self, reads: list[RowRead], placed: dict[int, list], open_rows: dict[int, Ambiguous]) -> None:
        """Rows whose digits split several ways that keep the row total, read where the column
        identities leave one way; the others unreadable."""
        known = {reads[n].row: [v if isinstance(v, int) or v is None else v.value for v in values]
                 for n, values in placed.items() if reads[n].row is not None}
        settled = settle_by_columns(self.spec, known, {reads[n].row: e.readings for n, e in open_rows.items()})
        for n, error in open_rows.items():
            values = settled.get(reads[n].row)
            if values is None:
                self._unreadable(reads[n], error)
                continue
            placed[n] = self._note(reads[n], values, f"按{len(values)}个单元格拆分有{len(error.readings)}种方式符合"
                                   "合计关系，按列的勾稽关系只有一种成立")

    def _place(self, read: RowRead) -> list | None:
        """Place a run by its own evidence; None when only the table's other rows can tell."""
        size, run = self.size(read), read.run
        if read.refused:
            raise Unreadable("orphan_numbers", read.refused)
        malformed = [i.raw for i in run if i.malformed]
        if malformed:
            raise Unreadable("malformed_number", f"单元格中的“{'”“'.join(malformed)}”不是可识别的数字")
        if not run:
            return [None] * size  # a label with nothing after it: every cell left blank
        if len(run) > size and all(i.plain and not i.blank for i in run):
            return self._note(read, *_merge(self.spec, run, size))
        if any(i.leading_zero for i in run) or (any(i.glued for i in run) and len(run) != size):
            return self._note(read, *_split(self.spec, run, size))
        if len(run) < size:
            together = all(i.plain and not i.blank for i in run) and not any(i.wide_gap for i in run[1:])
            if self.spec.row_total and together and any(len(i.raw) > 1 for i in run) \
                    and (not run[0].wide_gap or sum(len(i.raw) for i in run) >= size):
                # Free text with too few numbers, some of several digits: run together (crawled, where
                # the spaces before them mean nothing) or a blank the PDF never printed. Only a split
                # that satisfies the totals identity tells.
                return self._note(read, *_split(self.spec, run, size))
            return None
        starts = _windows(run, size)
        if not starts:
            raise Unreadable("cell_count", f"应有{size}个单元格，读到{sum(1 for i in run if not i.blank)}个数字")
        if len(starts) > 1:
            return None
        self.shapes[_shape(run, starts[0])] += 1
        if len(run) == size and all(i.plain and i.span for i in run) and any(i.wide_gap for i in run):
            self.references.append(run)
        return run[starts[0]:starts[0] + size]

    def _place_by_others(self, read: RowRead) -> list:
        """Second pass: where the blanks of this row go, as the table's unambiguous rows show."""
        size, run = self.size(read), read.run
        starts = _windows(run, size) if len(run) >= size else []
        if starts:
            votes = {s: self.shapes[_shape(run, s)] for s in starts}
            best = max(votes.values())
            winners = [s for s, v in votes.items() if v == best]
            if best and len(winners) == 1:
                return run[winners[0]:winners[0] + size]
            raise Unreadable("blank_position", "该行有空白单元格，但无法确定空白在哪一列")
        if all(i.plain and i.span for i in run) and any(i.wide_gap for i in run):
            if read.row is not None and self.references:
                return _align(run, _columns(self.references))
            if len(read.header) == size:
                return _align(run, _columns([read.header]))
        raise Unreadable("cell_count", f"应有{size}个单元格，只读到{len(run)}个（空白单元格在此类文本中无法定位）")

    def _note(self, read: RowRead, values: list[int], how: str) -> list[int]:
        label = read.row or self.spec.title
        self.notes.append(Warning("split", f"表{self.spec.key}“{label}”：{how}", read.line))
        return values

    def _unreadable(self, read: RowRead, error: Unreadable) -> None:
        label = read.row or self.spec.title
        self.notes.append(Warning(error.code, f"表{self.spec.key}“{label}”：{error}，该行未读取", read.line))

    def _cell(self, column: int, item: Item | int | None, line: int) -> Cell:
        kind = self.spec.columns[column % self.width].kind
        if item is None:
            return Cell(None, line, "")
        if isinstance(item, int):
            value, raw, line = item, str(item), line
        else:
            value, raw, line = item.value, item.raw, item.line
        if value is not None and kind == "amount" and not isinstance(value, Decimal):
            value = Decimal(value)
        return Cell(value, line, raw)

    def _cells(self, reads: list[RowRead], placed: dict) -> dict[str, list[Cell] | None]:
        out: dict[str, list[Cell] | None] = {}
        for n, read in enumerate(reads):
            values = placed.get(n)
            rows = [r.label for r in self.spec.rows] if read.row is None else [read.row]
            for index, row in enumerate(rows):
                if values is None:
                    out[row] = None
                    continue
                chunk = values[index * self.width:(index + 1) * self.width]
                out[row] = [self._cell(j, v, read.line) for j, v in enumerate(chunk)]
        return out


@cache
def _axes(spec: TableSpec) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A table's row and column labels, built once per format and shared by its tables in every report."""
    return tuple(spec.row_labels), tuple(spec.column_labels)


def build_table(spec: TableSpec, reads: list[RowRead]) -> tuple[Table, list[Warning]]:
    resolver = RowResolver(spec)
    rows = resolver.resolve(reads)
    missing, unreadable, grid = [], [], []
    for spec_row in spec.rows:
        cells = rows.get(spec_row.label)
        if spec_row.label not in rows:
            missing.append(spec_row.label)
        elif cells is None:
            unreadable.append(spec_row.label)
        grid.append(cells or [None] * len(spec.columns))
    lines = [r.line for r in reads]
    table = Table(spec.key, spec.title, *_axes(spec), grid, missing, unreadable, min(lines) if lines else None)
    return table, resolver.notes

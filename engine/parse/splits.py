"""Digits a crawled page ran together (``230 000023``) → the ways to cut them into a row's cells.

:func:`segmentations` counts every way to cut the digits into the number of cells the format expects
(non-negative integers without leading zeros; the spaces that are present are cell boundaries), and,
with the table's row total, the ways in which every row keeps it. Both are counted by a dynamic
program over positions, not by walking the ways: a row of 22 digits cuts 54,264 ways into seven cells,
of which one or two keep the total, and the parser asks about every such row of every crawled page.
The ways themselves are listed only where they are few enough to be weighed (the caller decides among
them with the table's other identities, or gives up: we never guess).

Counting with the row total: a row's balance is its parts' values less its total's, and a row keeps
its total where the balance is 0. Each row is counted from its middle: the cuts of its first half of
cells, by where they end and what they add to the balance, against the cuts of its second half from
there, by what they add (each half's cuts are counted once per start, shared by every cut before it);
then the rows are chained by where each ends. Only the cuts the counts say keep every total are
listed.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

#: A table's row total as :func:`segmentations` checks it: cells per row, the total's column, the parts'.
RowTotal = tuple[int, int, tuple[int, ...]]


class Splits(NamedTuple):
    """What :func:`segmentations` found: ``ways`` to cut the digits into the cells, ``holding`` of
    them in which every row keeps its total (all of them where none is given), and those ``readings``,
    in order of the first cut, then the next, where they are at most the ``keep`` asked for (else
    none)."""

    ways: int
    holding: int
    readings: list[list[int]]


def segmentations(pieces: list[str], cells: int, *, keep: int, row_total: RowTotal | None = None,
                  limit: int = 200_000) -> Splits | None:
    """How ``pieces`` (digit strings whose boundaries are real cell boundaries) cut into exactly
    ``cells`` numbers, and with ``row_total`` (``cells`` a whole number of its rows) how many of those keep
    it in every row; None
    when the pieces are no digits or there are more than ``limit`` ways: too many to choose from
    honestly."""
    pieces = [p for p in pieces if p]
    if not pieces or not all(p.isdigit() for p in pieces):
        return None
    cutter = _Cutter(pieces, cells, row_total)
    ways = cutter.ways[0][cells]
    if ways > limit:
        return None
    holding = cutter.holding() if ways and row_total is not None else ways
    return Splits(ways, holding, cutter.readings() if 0 < holding <= keep else [])


class _Cutter:
    """The counts of one run of digits: ``ways[start][left]``, the cuts of ``digits[start:]`` into
    ``left`` numbers whatever the totals; the cuts of half rows (:meth:`_half`) and of rows that keep
    their totals (:meth:`holding`), each worked out once. A row of seven cells in 22 digits cuts 54,264
    ways, its halves a few hundred each."""

    def __init__(self, pieces: list[str], cells: int, row_total: RowTotal | None) -> None:
        self.digits = digits = "".join(pieces)
        self.size = size = len(digits)
        self.cells = cells
        stops, position = [], 0
        for piece in pieces:
            position += len(piece)
            stops.append(position)
        # Where a number starting at each position may end: not past its piece; a leading 0 is a number
        # of its own.
        self.ends: list[range] = []
        stop = 0
        for start in range(size):
            while stops[stop] <= start:
                stop += 1
            self.ends.append(range(start + 1, start + 2) if digits[start] == "0" else range(start + 1, stops[stop] + 1))
        self.ways = ways = [[0] * (cells + 1) for _ in range(size + 1)]
        ways[size][0] = 1
        for left in range(1, cells + 1):
            # from_here[p]: the cuts of digits[q:] into left - 1 numbers for every q >= p, so that the
            # cuts after each of a number's possible ends are summed at once.
            from_here = [0] * (size + 2)
            for position in range(size, -1, -1):
                from_here[position] = from_here[position + 1] + ways[position][left - 1]
            for start, ends in enumerate(self.ends):
                ways[start][left] = from_here[ends.start] - from_here[ends.stop]
        # Without a row total the whole run is one row that every cut keeps.
        self.width, roles = cells, [0] * cells
        if row_total is not None:
            self.width, total, parts = row_total
            if cells % self.width:
                raise ValueError(f"{cells} cells are no whole number of rows of {self.width}")
            roles = [1 if c in parts else -1 if c == total else 0 for c in range(self.width)]
        #: What each cell adds to its row's balance per unit of its value: +1 a part, -1 the total, 0 neither.
        self.roles = roles
        self.half = self.width // 2 or self.width
        self._halves: dict[tuple[int, int, int], dict[int, dict[int, int]]] = {}
        self._rows: dict[tuple[int, int], dict[int, list[tuple[int, int, int]]]] = {}
        self._holding: dict[tuple[int, int], int] = {}

    def _half(self, cell: int, start: int, count: int) -> dict[int, dict[int, int]]:
        """The cuts of ``count`` numbers from ``digits[start:]`` as the read's cells from ``cell`` on, each
        leaving digits the rest of the read can be cut into: by where they end, then by what they add
        to the row's balance, how many."""
        state = (cell, start, count)
        known = self._halves.get(state)
        if known is not None:
            return known
        if count == 0:
            known = {start: {0: 1}}
        else:
            known = {}
            role, left = self.roles[cell % self.width], self.cells - cell - 1
            for end in self.ends[start]:
                if not self.ways[end][left]:
                    continue
                adds = role * int(self.digits[start:end])
                for after, balances in self._half(cell + 1, end, count - 1).items():
                    into = known.setdefault(after, {})
                    for balance, n in balances.items():
                        into[balance + adds] = into.get(balance + adds, 0) + n
        self._halves[state] = known
        return known

    def _row(self, row: int, start: int) -> dict[int, list[tuple[int, int, int]]]:
        """The cuts of the read's ``row`` from ``start`` that keep its total, by where the row ends: where
        its first half ends, what that half adds to the balance, and how many such cuts there are."""
        state = (row, start)
        known = self._rows.get(state)
        if known is not None:
            return known
        first, middle = row * self.width, row * self.width + self.half
        known = {}
        for between, balances in self._half(first, start, self.half).items():
            for end, rest in self._half(middle, between, self.width - self.half).items():
                for balance, count in balances.items():
                    if -balance in rest:
                        known.setdefault(end, []).append((between, balance, count * rest[-balance]))
        self._rows[state] = known
        return known

    def holding(self, row: int = 0, start: int = 0) -> int:
        """The cuts of ``digits[start:]`` into the rows from ``row`` on in which every row keeps its total."""
        if row * self.width == self.cells:
            return 1
        state = (row, start)
        count = self._holding.get(state)
        if count is None:
            count = sum(sum(n for _, _, n in halves) * self.holding(row + 1, end)
                        for end, halves in self._row(row, start).items())
            self._holding[state] = count
        return count

    def readings(self) -> list[list[int]]:
        """Every cut that keeps the row totals, in order of the first cut, then the next: only branches
        the counts say lead to one are walked."""
        found = [list(cut) for cut in self._spell_rows(0, 0)]
        return sorted(found, key=lambda cut: [len(str(value)) for value in cut])

    def _spell_rows(self, row: int, start: int) -> Iterator[tuple[int, ...]]:
        if row * self.width == self.cells:
            yield ()
            return
        first, middle = row * self.width, row * self.width + self.half
        for end, halves in self._row(row, start).items():
            if not self.holding(row + 1, end):
                continue
            for between, balance, _ in halves:
                for head in self._spell(first, start, self.half, between, balance):
                    for tail in self._spell(middle, between, self.width - self.half, end, -balance):
                        for later in self._spell_rows(row + 1, end):
                            yield head + tail + later

    def _spell(self, cell: int, start: int, count: int, end: int, balance: int) -> Iterator[tuple[int, ...]]:
        """The cuts :meth:`_half` counts from ``start`` to ``end`` that add ``balance``."""
        if count == 0:
            yield ()
            return
        role, left = self.roles[cell % self.width], self.cells - cell - 1
        for after in self.ends[start]:
            if not self.ways[after][left]:
                continue
            value = int(self.digits[start:after])
            rest = balance - role * value
            if self._half(cell + 1, after, count - 1).get(end, {}).get(rest):
                for tail in self._spell(cell + 1, after, count - 1, end, rest):
                    yield (value, *tail)

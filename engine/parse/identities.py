"""The identities a format states for a table, used to choose among the readings of run-together digits.

Digits a crawled page ran together (``11000011``) may split several ways into a row's cells. A split is
kept only where the row total the format states holds (``row_total``: 总计 = the six applicants); where
several still do, the column identities decide (``column_totals``: 一 + 二 = （七）总计 + 四, （七）总计 =
the results), over all such rows of the table at once: a row is read only where every combination of
readings that keeps every identity gives it the same cells. Anything else stays unreadable: a reading
is never guessed, and no reading is taken that breaks an identity the format states.
"""
from __future__ import annotations

from itertools import product
from math import prod

from ..formats import TableSpec

Values = list[int | None]
#: More readings than this of one row are not weighed against each other: the row stays unreadable.
READINGS = 16
#: Nor are more combinations than this of the open rows' readings.
COMBINATIONS = 256


def row_total_holds(spec: TableSpec, values: list[int], width: int) -> bool:
    """Whether every row in ``values`` (``width`` cells each) keeps the table's row total."""
    if spec.row_total is None:
        return False
    total, parts = row_total_columns(spec)
    for chunk in range(0, len(values), width):
        row = values[chunk:chunk + width]
        if row[total] != sum(row[p] for p in parts):
            return False
    return True


#: id of a TableSpec → (the spec, the column of its row total, the columns of the parts): asked for every
#: reading of every run-together row; a spec's hash walks all its rows, so it is kept by identity.
_TOTALS: dict[int, tuple[TableSpec, int, tuple[int, ...]]] = {}


def row_total_columns(spec: TableSpec) -> tuple[int, tuple[int, ...]]:
    """The column of a table's row total and the columns of its parts (the table has one)."""
    known = _TOTALS.get(id(spec))
    if known is None or known[0] is not spec:
        labels = [c.label for c in spec.columns]
        known = spec, labels.index(spec.row_total[0]), tuple(labels.index(p) for p in spec.row_total[1])
        _TOTALS[id(spec)] = known
    return known[1], known[2]


def settle_by_columns(spec: TableSpec, known: dict[str, Values],
                      open_rows: dict[str, list[list[int]]]) -> dict[str, list[int]]:
    """The rows of ``open_rows`` (row → its readings) that the column identities settle, with the one
    reading each keeps; ``known`` holds the rows read already (None for a blank cell, which no
    identity can use)."""
    identities = [(left, right) for left, right in spec.column_totals
                  if all(row in known or row in open_rows for row in left + right)]
    involved = sorted({row for left, right in identities for row in left + right if row in open_rows})
    if not involved or prod(len(open_rows[row]) for row in involved) > COMBINATIONS:
        return {}
    width = len(spec.columns)
    kept = []
    for combination in product(*(open_rows[row] for row in involved)):
        values = {**known, **dict(zip(involved, combination))}
        if all(_holds(values, left, right, width) for left, right in identities):
            kept.append(combination)
    if not kept:
        return {}
    return {row: kept[0][n] for n, row in enumerate(involved) if all(c[n] == kept[0][n] for c in kept)}


def _holds(values: dict[str, Values], left: tuple[str, ...], right: tuple[str, ...], width: int) -> bool:
    for column in range(width):
        cells = [values[row][column] for row in left + right]
        if any(cell is None for cell in cells):
            continue  # a blank cell: the identity says nothing about this column
        if sum(cells[:len(left)]) != sum(cells[len(left):]):
            return False
    return True

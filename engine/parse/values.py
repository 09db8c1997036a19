"""Cell text → numbers, and splitting digits that a crawled page ran together.

A cell holds a count (``28``, ``1,284``, full-width ``２８``), a signed change (``+5``, ``-3``), an exact
amount (``9114.72 万元``), or is blank (empty, ``-``, ``—``, ``/``). Blank is kept as blank, never 0.

:func:`segmentations` handles text scraped from web pages, where the cells of a row run together
(``230 000023``): it lists every way to cut the digits into the number of cells the format expects.
The caller decides with the totals identity where more than one remains, or gives up: we never guess.
"""
from __future__ import annotations

import re
from functools import lru_cache
from decimal import Decimal

from ..text import fold

UNITS = ("万元", "元", "件", "项", "个", "条", "次")
_UNIT = "|".join(UNITS)
NUMBER = re.compile(
    rf"^(?P<sign>[+\-])?(?P<digits>\d{{1,3}}(?:,\d{{3}})+|\d+)(?P<fraction>\.\d+)?\s*(?P<unit>{_UNIT})?$"
)
BLANK_MARKS = frozenset({"", "-", "—", "——", "–", "/", "\\", "－", "／", "﹣", "空"})


@lru_cache(maxsize=1 << 13)
def normalise(text: str) -> str:
    """Fold widths and the many dash characters a sign may be written with (cached: the same cells
    recur in every report)."""
    return fold(text).strip().replace("－", "-").replace("﹢", "+").replace("−", "-")


def is_blank(text: str) -> bool:
    return normalise(text) in BLANK_MARKS


@lru_cache(maxsize=1 << 13)
def parse_number(text: str) -> int | Decimal | None:
    """The number a cell's text states, or None if it is not a number at all (cached, like
    :func:`normalise`; the result is immutable)."""
    match = NUMBER.match(normalise(text))
    if not match:
        return None
    digits = match["digits"].replace(",", "")
    sign = -1 if match["sign"] == "-" else 1
    if match["fraction"]:
        return sign * Decimal(digits + match["fraction"])
    return sign * int(digits)


#: A table's row total as :func:`segmentations` checks it: cells per row, the total's column, the parts'.
RowTotal = tuple[int, int, tuple[int, ...]]


def segmentations(pieces: list[str], cells: int, limit: int = 200_000,
                  row_total: RowTotal | None = None) -> tuple[int, list[list[int]]] | None:
    """How many ways there are to cut ``pieces`` (digit strings whose boundaries are real cell
    boundaries) into exactly ``cells`` non-negative integers without leading zeros, and the ways, in
    order of the first cut, then the next; with ``row_total``, only the ways in which every row keeps
    it (where a row's parts come before its total, the total's digits are then known: the ways that
    break it are never walked). None when there are more than ``limit`` ways: too many to choose from
    honestly."""
    pieces = [p for p in pieces if p]
    if not pieces or not all(p.isdigit() for p in pieces):
        return None
    digits = "".join(pieces)
    size = len(digits)
    forced, position = set(), 0
    for piece in pieces[:-1]:
        position += len(piece)
        forced.add(position)
    stops = sorted(forced | {size})
    # Where a number starting at each position may end (it may not run over a piece's end).
    ends, stop = [], 0
    for start in range(size):
        while stops[stop] <= start:
            stop += 1
        ends.append(_ends(digits, start, stops[stop]))
    # ways[start][left]: the cuts of digits[start:] into ``left`` numbers, counted from the end.
    ways = [[0] * (cells + 1) for _ in range(size + 1)]
    ways[size][0] = 1
    for start in range(size - 1, -1, -1):
        for left in range(1, cells + 1):
            ways[start][left] = sum(ways[end][left - 1] for end in ends[start])
    if ways[0][cells] > limit:
        return None
    found: list[list[int]] = []
    path: list[int] = []
    width, total, parts = row_total or (0, 0, ())
    parts_first = all(p < total for p in parts)

    def walk(start: int, left: int) -> None:
        if start == size:
            found.append(path.copy())
            return
        column = len(path) % width if width else None
        if column == total and parts_first:
            first = len(path) - column
            want = str(sum(path[first + p] for p in parts))
            end = start + len(want)
            if digits.startswith(want, start) and end in ends[start] and ways[end][left - 1]:
                path.append(int(want))
                walk(end, left - 1)
                path.pop()
            return
        for end in ends[start]:
            if ways[end][left - 1]:
                path.append(int(digits[start:end]))
                if column != width - 1 or (row := path[-width:])[total] == sum(row[p] for p in parts):
                    walk(end, left - 1)
                path.pop()

    if ways[0][cells]:
        walk(0, cells)
    return ways[0][cells], found


def _ends(digits: str, start: int, stop: int) -> range:
    """Where a number starting at ``start`` may end: a leading 0 is a number of its own."""
    return range(start + 1, start + 2) if digits[start] == "0" else range(start + 1, stop + 1)

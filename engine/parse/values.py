"""Cell text → numbers, and splitting digits that a crawled page ran together.

A cell holds a count (``28``, ``1,284``, full-width ``２８``), a signed change (``+5``, ``-3``), an exact
amount (``9114.72 万元``), or is blank (empty, ``-``, ``—``, ``/``). Blank is kept as blank, never 0.

:func:`segmentations` handles text scraped from web pages, where the cells of a row run together
(``230 000023``): it lists every way to cut the digits into the number of cells the format expects.
The caller decides with the totals identity where more than one remains, or gives up: we never guess.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, lru_cache
from decimal import Decimal

from ..text import fold

UNITS = ("万元", "元", "件", "项", "个", "条", "次")
_UNIT = "|".join(UNITS)
NUMBER = re.compile(
    rf"^(?P<sign>[+\-])?(?P<digits>\d{{1,3}}(?:,\d{{3}})+|\d+)(?P<fraction>\.\d+)?\s*(?P<unit>{_UNIT})?$"
)
BLANK_MARKS = frozenset({"", "-", "—", "——", "–", "/", "\\", "－", "／", "﹣", "空"})


@lru_cache(maxsize=1 << 16)
def normalise(text: str) -> str:
    """Fold widths and the many dash characters a sign may be written with (cached: the same cells
    recur in every report)."""
    return fold(text).strip().replace("－", "-").replace("﹢", "+").replace("−", "-")


def is_blank(text: str) -> bool:
    return normalise(text) in BLANK_MARKS


@lru_cache(maxsize=1 << 16)
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


def segmentations(pieces: list[str], cells: int, limit: int = 200_000) -> list[list[int]] | None:
    """Every way to cut ``pieces`` (digit strings whose boundaries are real cell boundaries) into
    exactly ``cells`` non-negative integers without leading zeros. None when there are more than
    ``limit`` ways: too many to choose from honestly."""
    pieces = [p for p in pieces if p]
    if not pieces or not all(p.isdigit() for p in pieces):
        return None
    digits = "".join(pieces)
    forced, position = set(), 0
    for piece in pieces[:-1]:
        position += len(piece)
        forced.add(position)
    stops = sorted(forced | {len(digits)})

    def next_stop(start: int) -> int:
        return next(s for s in stops if s > start)

    @cache
    def ways(start: int, left: int) -> int:
        if start == len(digits):
            return 1 if left == 0 else 0
        if left == 0:
            return 0
        return sum(ways(end, left - 1) for end in _ends(digits, start, next_stop(start)))

    if ways(0, cells) > limit:
        return None

    def build(start: int, left: int) -> Iterator[list[int]]:
        if start == len(digits):
            if left == 0:
                yield []
            return
        for end in _ends(digits, start, next_stop(start)):
            if ways(end, left - 1):
                for rest in build(end, left - 1):
                    yield [int(digits[start:end]), *rest]

    return list(build(0, cells))


def _ends(digits: str, start: int, stop: int) -> range:
    """Where a number starting at ``start`` may end: a leading 0 is a number of its own."""
    return range(start + 1, start + 2) if digits[start] == "0" else range(start + 1, stop + 1)

"""Run-together digits are counted, not walked (issue 10, point 3): :func:`engine.parse.splits.segmentations`
must give exactly the counts and the readings that plain enumeration of every cut gives, for rows of
any width, a total in any column, several rows at once, and spaces that fix cell boundaries.

The expectation is worked out here by brute force (every choice of cut positions, filtered), independent
of the dynamic program under test.
"""
from __future__ import annotations

import random
from itertools import combinations

import pytest

from engine.parse.splits import segmentations


def _every_cut(pieces: list[str], cells: int) -> list[list[int]]:
    """Every cut of the pieces into ``cells`` numbers without leading zeros, the pieces' own boundaries
    kept, in order of the first cut, then the next."""
    digits = "".join(pieces)
    forced, at = set(), 0
    for piece in pieces[:-1]:
        at += len(piece)
        forced.add(at)
    found = []
    for cuts in combinations(range(1, len(digits)), cells - 1):
        if not forced <= set(cuts):
            continue
        bounds = (0, *cuts, len(digits))
        numbers = [digits[a:b] for a, b in zip(bounds, bounds[1:])]
        if all(n == "0" or not n.startswith("0") for n in numbers):
            found.append([int(n) for n in numbers])
    return found


def _keeps(cut: list[int], width: int, total: int, parts: tuple[int, ...]) -> bool:
    return all(row[total] == sum(row[p] for p in parts)
               for row in (cut[at:at + width] for at in range(0, len(cut), width)))


def test_the_issue_example_and_a_long_row() -> None:
    # 230 000023: seven cells cut 3 ways (2 30|…, 23 0|…, 230|…2 3), one of which keeps 总计 = the six others (23 0 0 0 0 0 23).
    found = segmentations(["230", "000023"], 7, keep=16, row_total=(7, 6, (0, 1, 2, 3, 4, 5)))
    assert (found.ways, found.holding, found.readings) == (3, 1, [[23, 0, 0, 0, 0, 0, 23]])
    # 22 digits in one piece: 54,264 cuts (21 choose 6), of which one keeps the total.
    digits = "4223163139153721364886"
    found = segmentations([digits], 7, keep=16, row_total=(7, 6, (0, 1, 2, 3, 4, 5)))
    every = _every_cut([digits], 7)
    assert found.ways == len(every) == 54_264
    holding = [c for c in every if _keeps(c, 7, 6, (0, 1, 2, 3, 4, 5))]
    assert found.holding == len(holding) == 1
    assert found.readings == holding == [[4223, 163, 139, 153, 72, 136, 4886]]


def test_counts_and_readings_agree_with_plain_enumeration() -> None:
    rng = random.Random(10)
    checked = 0
    while checked < 400:
        width = rng.choice([2, 3, 5, 7])
        rows = rng.choice([1, 1, 2, 3]) if width < 7 else 1
        total = rng.randrange(width)
        parts = tuple(sorted(rng.sample([c for c in range(width) if c != total], rng.randint(1, width - 1))))
        values = []
        for _ in range(rows):
            row = [rng.choice([0, 0, rng.randint(1, 9), rng.randint(1, 300)]) for _ in range(width)]
            row[total] = sum(row[p] for p in parts)
            values += row
        text = "".join(f"{' ' if rng.random() < 0.2 else ''}{v}" for v in values).strip()
        pieces, cells = text.split(), width * rows
        if len("".join(pieces)) > 18:
            continue  # brute force stays quick
        every = _every_cut(pieces, cells)
        holding = [c for c in every if _keeps(c, width, total, parts)]
        found = segmentations(pieces, cells, keep=10**6, row_total=(width, total, parts))
        assert (found.ways, found.holding, found.readings) == (len(every), len(holding), holding), text
        assert values in found.readings, text
        few = segmentations(pieces, cells, keep=1, row_total=(width, total, parts))
        assert few.readings == (holding if len(holding) == 1 else []), text
        checked += 1


def test_without_a_row_total_every_cut_counts() -> None:
    found = segmentations(["1203"], 3, keep=16)
    assert (found.ways, found.holding, found.readings) == (2, 2, [[1, 20, 3], [12, 0, 3]])
    assert segmentations(["1203"], 3, keep=1).readings == []


def test_no_digits_or_too_many_ways() -> None:
    assert segmentations(["12a"], 2, keep=16) is None
    assert segmentations([], 2, keep=16) is None
    assert segmentations(["1" * 30], 10, keep=16, limit=1000) is None
    with pytest.raises(ValueError):
        segmentations(["123456"], 5, keep=16, row_total=(2, 1, (0,)))

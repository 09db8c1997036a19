"""Cell text → numbers.

A cell holds a count (``28``, ``1,284``, full-width ``２８``), a signed change (``+5``, ``-3``), an exact
amount (``9114.72 万元``), or is blank (empty, ``-``, ``—``, ``/``). Blank is kept as blank, never 0.
Digits a crawled page ran together (``230 000023``) are cut into cells by :mod:`.splits`.
"""
from __future__ import annotations

import re
from decimal import Decimal

from ..memo import short_texts
from ..text import fold

UNITS = ("万元", "元", "件", "项", "个", "条", "次")
_UNIT = "|".join(UNITS)
NUMBER = re.compile(
    rf"^(?P<sign>[+\-])?(?P<digits>\d{{1,3}}(?:,\d{{3}})+|\d+)(?P<fraction>\.\d+)?\s*(?P<unit>{_UNIT})?$"
)
BLANK_MARKS = frozenset({"", "-", "—", "——", "–", "/", "\\", "－", "／", "﹣", "空"})


@short_texts
def normalise(text: str) -> str:
    """Fold widths and the many dash characters a sign may be written with (cached: the same cells
    recur in every report)."""
    return fold(text).strip().replace("－", "-").replace("﹢", "+").replace("−", "-")


def is_blank(text: str) -> bool:
    return normalise(text) in BLANK_MARKS


@short_texts
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

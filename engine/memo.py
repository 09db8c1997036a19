"""Caches for pure functions of a text (the parser's, engine.text's): the same words, fields and lines recur in every
report, so each is worked out once, not once per report.

Only short texts are kept, and only so many: a crawled page is one line of tens of thousands of
characters, and a batch of a nation's reports must run in flat memory. A longer text is worked out
each time, as before.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps
from typing import TypeVar

#: The longest text kept: a line of prose or a table row; a whole page run into one line is not.
LONGEST = 256
#: Texts kept per function (with their results at most a few MB each).
KEPT = 1 << 12

R = TypeVar("R")


def short_texts(function: Callable[..., R]) -> Callable[..., R]:
    """``function`` (of a text, then any hashable arguments) remembered for texts up to :data:`LONGEST`."""
    cached = lru_cache(maxsize=KEPT)(function)

    @wraps(function)
    def call(text: str, *rest: object) -> R:
        return cached(text, *rest) if len(text) <= LONGEST else function(text, *rest)

    return call

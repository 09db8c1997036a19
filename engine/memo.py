"""Caches for pure functions of a text (the parser's, engine.text's): the same words, fields and lines recur in every
report, so each is worked out once, not once per report.

Only short texts are kept, and only so many: a crawled page is one line of tens of thousands of
characters, and a batch of a nation's reports must run in flat memory. A longer text is worked out
each time, as before.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

#: The longest text kept: a line of prose or a table row; a whole page run into one line is not.
LONGEST = 256
#: Texts kept per function (with their results at most a few MB each).
KEPT = 1 << 12

R = TypeVar("R")


def short_texts(function: Callable[..., R]) -> Callable[..., R]:
    """``function`` (of a text, then any hashable arguments) remembered for texts up to :data:`LONGEST`.

    Two generations of :data:`KEPT` / 2 texts each, not ``functools.lru_cache``: the parser asks
    these functions about two thousand times a report, and a lookup in a plain dict inside one Python
    call costs a third of the wrapper around ``lru_cache`` (measured 0.5 against 1.4 µs a call). A text
    asked for again while the older generation is kept moves to the recent one, so the labels that
    recur in every report stay, as with least-recently-used eviction."""
    recent: dict = {}
    older: dict = {}

    @wraps(function)
    def call(text: str, *rest: object) -> R:
        nonlocal recent, older
        if len(text) > LONGEST:
            return function(text, *rest)
        key = (text, *rest) if rest else text
        try:
            return recent[key]
        except KeyError:
            pass
        result = older[key] if key in older else function(text, *rest)
        if len(recent) >= KEPT // 2:
            recent, older = {}, recent
        recent[key] = result
        return result

    return call

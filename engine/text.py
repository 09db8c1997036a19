"""Text normalisation shared by every reader: one notion of "the same label".

Reports write the official labels with full- or half-width brackets and digits, stray spaces, 、 or ．
for ., and line breaks inside words. Comparing :func:`key` forms makes all of those equal while keeping
every character that carries meaning (CJK, letters, digits).
"""
from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def fold(text: str) -> str:
    """Full-width digits, letters, brackets and spaces to their half-width forms (NFKC)."""
    return unicodedata.normalize("NFKC", text)


def key(text: str) -> str:
    """The comparison form of a label: folded, without white space or punctuation."""
    return _NON_WORD.sub("", fold(text))


def display_width(text: str) -> int:
    """Columns a monospace renderer gives ``text`` (CJK counts two): for aligned plain-text tables."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

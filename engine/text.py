"""Text normalisation shared by every reader: one notion of "the same label".

Reports write the official labels with full- or half-width brackets and digits, stray spaces, 、 or ．
for ., and line breaks inside words. Comparing :func:`key` forms makes all of those equal while keeping
every character that carries meaning (CJK, letters, digits).
"""
from __future__ import annotations

import re
import unicodedata

from .memo import short_texts

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
#: The East Asian Wide and Fullwidth blocks (Unicode EastAsianWidth W/F): Hangul Jamo, CJK symbols and
#: ideographs, Hangul syllables, compatibility ideographs, vertical and small forms, fullwidth forms.
_WIDE = re.compile("[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
                   "\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f\uff00-\uff60\uffe0-\uffe6"
                   "\U00020000-\U0003fffd]")


@short_texts
def fold(text: str) -> str:
    """Full-width digits, letters, brackets and spaces to their half-width forms (NFKC). Cached for
    short texts: the same cells and labels recur in every report, a whole crawled page does not."""
    return unicodedata.normalize("NFKC", text)


@short_texts
def key(text: str) -> str:
    """The comparison form of a label: folded, without white space or punctuation."""
    return _NON_WORD.sub("", fold(text))


def display_width(text: str) -> int:
    """Columns a monospace renderer gives ``text`` (wide and fullwidth characters count two): for
    aligned plain-text tables."""
    return len(text) + len(_WIDE.findall(text))

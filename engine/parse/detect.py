"""Which official format a report follows, judged from the tables actually in it.

The year says which format a report *should* use; whether it did is an audit question, so the parser
looks at the labels present: column headers, rows and captions that exist in one format only
(本年新制作数量 vs 本年制发件数, 第二十条第（九）项, the three （六）其他处理 sub-rows). Only when the text has
none of them does the year decide, and the report says so in a warning.
"""
from __future__ import annotations

from functools import cache

from ..formats import Format, format_for_year
from ..model import Warning
from ..text import key
from .tokens import Item
from .vocabulary import vocabulary


def _keys(fmt: Format) -> frozenset[str]:
    vocab = vocabulary(fmt)
    official: set[str] = set()
    for spec in fmt.tables.values():
        official.add(key(spec.title))
        official |= {key(c.label) for c in spec.columns}
        official |= {key(r.leaf) for r in spec.rows} | {key(r.label) for r in spec.rows}
    return frozenset(official | vocab.groups)


@cache
def _specific(formats: tuple[Format, ...]) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Per format: its own keys, and the other formats' keys that contain one of them."""
    out = {}
    for fmt in formats:
        others = frozenset().union(*(_keys(o) for o in formats if o is not fmt))
        own = _keys(fmt) - others
        shadows = frozenset(k for k in others if any(o in k for o in own))
        out[fmt.name] = (own, shadows)
    return out


def detect_format(items: list[Item], formats: dict[str, Format], year: int | None) -> tuple[Format, Warning | None]:
    text = "\x1f".join(item.key for item in items if item.kind == "text")
    scores = {}
    for name, (own, shadows) in _specific(tuple(formats.values())).items():
        score = 0
        for word in own:
            score += text.count(word) - sum(text.count(s) for s in shadows if word in s)
        scores[name] = score
    best = max(scores.values())
    winners = [name for name, score in scores.items() if score == best]
    if best > 0 and len(winners) == 1:
        return formats[winners[0]], None
    by_year = format_for_year(year) if year else None
    fmt = by_year if by_year is not None and by_year.name in winners else formats[winners[-1]]
    basis = f"按报告年度{year}推定" if by_year is fmt else "按最新格式推定"
    return fmt, Warning("format_guess", f"表格中没有能区分2019年与2021年格式的标签，{basis}为{fmt.name}年格式")

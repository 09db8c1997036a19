"""Which official format a report follows, judged from the tables actually in it.

The year says which format a report *should* use; whether it did is an audit question, so the parser
looks at the text. First the labels that exist in one format only (本年新制作数量 vs 本年制发件数,
第二十条第（九）项, the three （六）其他处理 sub-rows); where they do not settle it, which format's tables the
numbers fit (a 2019 二(五) row has three cells, a 2021 one has one). Only when neither tells does the
year decide, and the report says so in a warning.
"""
from __future__ import annotations

from functools import cache

from ..formats import Format, format_for_year
from ..model import Warning
from ..text import key
from .tokens import Item
from .vocabulary import vocabulary

#: Label evidence must lead by this much to decide without trying the tables of each format.
DECISIVE = 2


def _keys(fmt: Format, aliases: bool) -> frozenset[str]:
    official: set[str] = set(vocabulary(fmt).groups)
    for spec in fmt.tables.values():
        official.add(key(spec.title))
        official |= {key(c.label) for c in spec.columns}
        official |= {key(r.leaf) for r in spec.rows} | {key(r.label) for r in spec.rows}
        if aliases:
            official |= {key(a) for c in spec.columns for a in c.aliases}
            official |= {key(a) for r in spec.rows for a in r.aliases}
    return frozenset(official)


@cache
def _specific(formats: tuple[Format, ...]) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Per format: its own official labels (no other format knows them, not even as an alias), and the
    other formats' labels that contain one of them (本年处理决定数量 contains 处理决定数量)."""
    out = {}
    for fmt in formats:
        others = frozenset().union(*(_keys(o, aliases=True) for o in formats if o is not fmt))
        own = _keys(fmt, aliases=False) - others
        shadows = frozenset(k for k in others if any(o in k for o in own))
        out[fmt.name] = (own, shadows)
    return out


def label_evidence(items: list[Item], formats: dict[str, Format]) -> dict[str, int]:
    """How often each format's own labels occur in the text."""
    text = "\x1f".join(item.key for item in items if item.kind == "text")
    scores = {}
    for name, (own, shadows) in _specific(tuple(formats.values())).items():
        scores[name] = sum(text.count(word) - sum(text.count(s) for s in shadows if word in s) for word in own)
    return scores


def decisive(evidence: dict[str, int]) -> str | None:
    """The format the labels alone settle, if they do."""
    ranked = sorted(evidence.items(), key=lambda kv: kv[1], reverse=True)
    if ranked[0][1] > 0 and (len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= DECISIVE):
        return ranked[0][0]
    return None


def choose(fits: dict[str, int], evidence: dict[str, int], formats: dict[str, Format],
           year: int | None) -> tuple[Format, Warning | None]:
    """The format whose tables the numbers fit best (then the labels); the year only breaks a tie."""
    best = max((fits[n], evidence[n]) for n in fits)
    winners = [n for n in fits if (fits[n], evidence[n]) == best]
    if len(winners) == 1:
        return formats[winners[0]], None
    by_year = format_for_year(year) if year else None
    fmt = by_year if by_year is not None and by_year.name in winners else formats[winners[-1]]
    basis = f"按报告年度{year}推定" if by_year is fmt else "按最新格式推定"
    return fmt, Warning("format_guess", f"表格不足以区分2019年与2021年格式，{basis}为{fmt.name}年格式")

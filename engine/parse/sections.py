"""The six section headings (一、总体情况 … 六、其他需要报告的事项), found tolerantly.

Reports reword headings (五、存在问题及改进情况), put them in brackets or bold, or drop one. A heading is a
short line that starts with a section number and whose words are the format's title, a known variant,
or close to one; headings must come in increasing order, which keeps table rows such as
``一、本年新收政府信息公开申请数量`` from passing for section 一.
"""
from __future__ import annotations

import re
from difflib import SequenceMatcher

from ..formats import Format, SectionSpec
from ..model import Section
from ..text import fold, key
from .lines import Line

_HEADING = re.compile(r"^\s*(?:第\s*)?[(（]?\s*(?P<number>[一二三四五六七八九十1-9])\s*(?:[)）、.．,，:：]|部分)\s*(?P<title>\S.*)$")
NUMBERS = "一二三四五六七八九十"
ARABIC = dict(zip("123456789", NUMBERS))
#: How close reworded heading text must be to the official title (difflib ratio of the comparison forms).
CLOSE_ENOUGH = 0.6
#: A heading line is not much longer than the longest title: longer lines are prose that starts "一、…".
MAX_EXTRA = 12


def _closeness(spec: SectionSpec, title_key: str) -> tuple[float, bool]:
    official = key(spec.title)
    if title_key == official:
        return 1.0, True
    names = [key(v) for v in spec.variants] + [official]
    ratio = max(SequenceMatcher(None, title_key, name).ratio() for name in names)
    if title_key in names:
        ratio = 1.0
    return ratio, False


def find_sections(lines: list[Line], fmt: Format) -> list[Section]:
    """Every heading found, with the text up to the next heading."""
    specs = {s.number: s for s in fmt.sections}
    longest = max(len(key(s.title)) for s in fmt.sections) + MAX_EXTRA
    found: list[tuple[Line, SectionSpec, str, bool]] = []
    last = -1
    for line in lines:
        if line.fields and len([f for f in line.fields if f.strip()]) > 1:
            continue  # a table row such as 一、本年新收… with its numbers
        text = fold(line.text if line.fields is None else " ".join(line.fields)).strip()
        match = _HEADING.match(text)
        if not match:
            continue
        number = ARABIC.get(match["number"], match["number"])
        if number not in specs:
            continue
        title_key = key(match["title"])
        if not title_key or len(title_key) > longest:
            continue
        spec = specs[number]
        ratio, official = _closeness(spec, title_key)
        order = NUMBERS.index(spec.number)
        # （一）… and 1. are how sub-headings are numbered: only the exact title or a known variant counts.
        needed = 1.0 if re.match(r"^\s*[(（]", text) or match["number"] in ARABIC else CLOSE_ENOUGH
        if ratio >= needed and order > last:
            found.append((line, spec, match["title"].strip(), official))
            last = order
    sections = []
    for n, (line, spec, title, official) in enumerate(found):
        end = found[n + 1][0].no - 1 if n + 1 < len(found) else (lines[-1].no if lines else line.no)
        body = [l for l in lines if line.no < l.no <= end]
        sections.append(Section(number=spec.number, title=title, line=line.no, end_line=end,
                                 text="\n".join(l.text for l in body), official=official,
                                 line_numbers=tuple(l.no for l in body)))
    return sections

"""A list of counts in running text, read as a person reads it: "其中部门文件4件，政策解读5件；重点工作2件、
财政资金2件", for ``sum(组)`` in a pattern check.

Reports separate the items of a list with 、，；, give an item its count before or after its words
(政策解读5篇, 5篇政策解读), add notes in brackets (政策文件8件（含规范性文件3件）) and go on after the list
with a clause that is no item (…，较上年有所增加。). So:

- the text is cut into parts at 、，；(and , ;) outside brackets; a part with no count (and no number)
  next to a 、 is words of an item, not the end of the list: before the 、 the start of the next
  item's (通过报刊、电视发布20条), after it the end of the last one's (20条通过报刊、电视发布的信息);
- a part is an item when it holds exactly one count, as the check's ``count`` regex finds it, outside
  brackets (numbers in brackets are notes on the item, not items);
- the list runs from the first item to the first part that is not one. Where that part holds no count,
  however written, the list certainly ended (均按时公开; 培训3次, 增长20%: numbers of other things); where
  it holds a count not read as one (五件, 300余条, 1.2万条, two counts) it may be an item written otherwise,
  and the list is not checked;
- a list of one item is a part of the total, not a breakdown ("其中政策解读45条"): not checked;
- a list may end at any ， or ； after its second item: "；" and "，" also join clauses ("其中自然人15件，
  法人5件；予以公开10件…"). Each place it may end is a *reading*, and a rule's assertion holds when it
  holds for one reading: no list is said not to add up while some reading of it does.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import regex as timed_re

from ...model import Number
from ...text import fold

#: Readings one list may have; a longer list whose end is this uncertain is not checked.
MAX_READINGS = 12

_SEPARATORS = "、，；,;"
#: Where a list may end: a comma or semicolon, never the enumeration comma 、.
_CLAUSE_ENDS = "，；,;"
_OPEN, _CLOSE = "（(《【“", "）)》】”"
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
#: Chinese numerals, which reports also count with (五件, 两篇, 1.2万条), and approximate counts (300余条):
#: a part holding a count written so is no sure end of a list.
_CHINESE_NUMERALS = re.compile(r"[〇零一二两三四五六七八九十百千万]+")
_APPROXIMATE = re.compile(r"(?<=\d)\s*[余多]+")


@dataclass(frozen=True)
class Part:
    text: str          # as written, brackets and all
    bare: str          # without what is in brackets
    separator: str     # the separator after it ("" at the end)


@dataclass(frozen=True)
class Listing:
    """The sums of a list's readings, shortest first (the last is the whole list), or why the list
    cannot be checked."""

    sums: tuple[Number, ...] = ()
    problem: str | None = None


def _parts(text: str) -> list[Part]:
    parts, written, bare, depth = [], [], [], 0
    for char in text:
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE and depth:
            depth -= 1
            written.append(char)
            continue
        if depth == 0 and char in _SEPARATORS:
            parts.append(Part("".join(written), "".join(bare), char))
            written, bare = [], []
            continue
        written.append(char)
        if depth == 0:
            bare.append(char)
    parts.append(Part("".join(written), "".join(bare), ""))
    return parts


def _counts(part: str, count: timed_re.Pattern, timeout: float) -> list[Number]:
    found = []
    for match in count.finditer(part, timeout=timeout):
        digits = _NUMBER.search(fold(match.group()))
        if digits:
            value = Decimal(digits.group())
            found.append(int(value) if value == value.to_integral_value() else value)
    return found


def _holds_a_count(part: str, count: timed_re.Pattern, timeout: float) -> bool:
    """Whether a part that is no item may still hold a count, written in Chinese numerals, approximately
    or twice."""
    return bool(_counts(_APPROXIMATE.sub("", _CHINESE_NUMERALS.sub("0", part)), count, timeout))


def read_list(text: str, count: timed_re.Pattern, timeout: float) -> Listing:
    """The readings of the list ``text`` begins with; ``count`` finds an item's count."""
    items: list[tuple[Number, str]] = []  # (count, the separator after the item)
    pending, before = "", ""
    for part in _parts(text):
        bare = pending + part.bare
        if not bare.strip():
            continue  # "其中，A 4件", "4件，，5件": nothing between two separators
        counts = _counts(bare, count, timeout)
        words = not counts and not _holds_a_count(bare, count, timeout)
        if words and part.separator == "、":
            pending = bare + part.separator  # 报刊、电视发布20条: words of the next item
            continue
        pending = ""
        if words and before == "、" and items:
            items[-1] = (items[-1][0], part.separator)  # 20条报刊、电视发布的信息: the last item's words
        elif len(counts) == 1:
            items.append((counts[0], part.separator))
        elif words:
            break  # 均按时公开; 培训3次: no item, and certainly none; the list ended
        else:
            return Listing(problem=f"列举中的“{part.text.strip()}”未能读作带件数的一项，无从确定所列各项到哪里为止")
        before = part.separator
    if not items:
        return Listing(problem="所列文字中没有读出带件数的分项，无从核对各项之和")
    if len(items) == 1:
        return Listing(problem="只列出一项，是总数中的一部分，不是各项的分列，无从核对各项之和")
    sums, total = [], 0
    for number, (value, separator) in enumerate(items, 1):
        total += value
        if number >= 2 and (separator in _CLAUSE_ENDS or number == len(items)):
            sums.append(total)
    readings = [s for s in dict.fromkeys(sums) if s != total]
    if len(readings) + 1 > MAX_READINGS:
        return Listing(problem=f"列举有 {len(items)} 项、{len(readings) + 1} 处可能结束，无从确定所列各项到哪里为止")
    return Listing((*readings, total))  # the whole list last: the reading a message shows

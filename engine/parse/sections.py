"""The six section headings (一、总体情况 … 六、其他需要报告的事项), found tolerantly.

Reports reword headings (五、存在问题及改进情况), put them in brackets or bold, or drop one. A heading is a
short line that starts with a section number and whose words are the format's title, a known variant,
or close to one; each section is taken once, at its first heading, which keeps table rows such as
``一、本年新收政府信息公开申请数量`` from passing for section 一. A heading out of order (五 before 四) is
still a heading: the order is the business of its own rule, and a section written in the wrong place
is not missing. Crawled pages run the whole body into one
line: there a heading is a section number followed by the official title or a known variant, wherever
it stands (``…予以答复。三、收到和处理政府信息公开申请情况（本列…``), and :class:`Heading` says which
characters of the line it takes, so that the table reader can cut it out.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache, lru_cache

from ..formats import Format, SectionSpec
from ..model import Section
from ..text import fold, key
from .lines import Line

_HEADING = re.compile(r"^\s*(?:第\s*)?[(（]?\s*(?P<number>[一二三四五六七八九十1-9])\s*(?:[)）、.．,，:：]|部分)\s*(?P<title>\S.*)$")
#: A section number inside running text (一、 第二部分 3.), not the end of a longer number (十一、,
#: 第二十条, 13.); a CJK one may follow the digits of a table's last row (``…0 0 0四、政府信息公开…``).
_NUMBERED = re.compile(r"(?:(?<![一二三四五六七八九十第])(?:第\s*)?(?P<number>[一二三四五六七八九十])|(?<![\d.])(?P<arabic>[1-9]))"
                       r"\s*(?:[、.．]|部分)\s*")
_BRACKETED = re.compile(r"^\s*[(（]")
NUMBERS = "一二三四五六七八九十"
ARABIC = dict(zip("123456789", NUMBERS))
#: How close reworded heading text must be to the official title (difflib ratio of the comparison forms).
CLOSE_ENOUGH = 0.6
#: A heading line is not much longer than the longest title: longer lines are prose that starts "一、…".
MAX_EXTRA = 12
#: In running text a reworded heading has no line end to close it: the words right after the number,
#: taken as long as a name of the section give or take :data:`SLACK` characters, must be this close.
INLINE_CLOSE = 0.85
SLACK = 2


@cache
def _names(spec: SectionSpec) -> tuple[str, tuple[str, ...]]:
    """The comparison forms of a section's official title, and of every name it goes by (its known
    variants, then the title), longest first as the inline search wants them."""
    names = {key(n): n for n in (spec.title, *spec.variants)}
    return key(spec.title), tuple(sorted(names, key=len, reverse=True))


@lru_cache(maxsize=1 << 14)
def _close(spec: SectionSpec, title_key: str, needed: float) -> bool:
    """Whether heading text is the official title, a known variant, or at least ``needed`` close (difflib
    ratio) to one of them. The bounds of the ratio first, the cheapest first: two texts of lengths a and b
    agree at most 2·min(a, b)/(a + b), and difflib's quick ratio is never below its ratio. Cached: the
    same headings and numbered lines recur in every report."""
    official, names = _names(spec)
    if title_key == official or title_key in names:
        return True
    for name in names:
        if 2.0 * min(len(title_key), len(name)) / (len(title_key) + len(name)) < needed:
            continue
        matcher = SequenceMatcher(None, title_key, name)
        if matcher.quick_ratio() >= needed and matcher.ratio() >= needed:
            return True
    return False


@dataclass(frozen=True)
class Heading:
    """Where a section heading stands: its line, and the characters it takes there (the whole line, or
    a stretch of a crawled page's one long line: ``…情况如下。二、主动公开政府信息情况第二十条…``)."""

    line: int
    start: int
    end: int
    spec: SectionSpec
    title: str
    official: bool


def _inline(text: str, no: int, specs: dict[str, SectionSpec], seen: set[str]) -> list[Heading]:
    """Headings inside a line of running text: a section number and, right after it, the official
    title, a known variant or words :data:`INLINE_CLOSE` to one, of sections not ``seen`` yet (which it
    adds to)."""
    folded = fold(text)
    if len(folded) != len(text):
        return []  # offsets would not fit the line as written
    found = []
    for match in _NUMBERED.finditer(folded):
        number = match["number"] or ARABIC[match["arabic"]]
        spec = specs.get(number)
        if spec is None or number in seen:
            continue
        official, names = _names(spec)
        end = next((e for name in names if (e := _consume(folded, match.end(), name)) is not None), None)
        if end is None:
            end = _reworded(folded, match.end(), names)
        if end is None:
            continue
        found.append(Heading(no, match.start(), end, spec, folded[match.end():end].strip(),
                             _consume(folded, match.end(), official) == end))
        seen.add(number)
    return found


def _reworded(text: str, start: int, names: tuple[str, ...]) -> int | None:
    """Where a reworded title (存在的主要问题和改进情况) ends in running text from ``start``: the stretch of
    about a name's length closest to one of ``names`` (:func:`key` forms), if :data:`INLINE_CLOSE`."""
    said, ends = "", []
    longest = max(map(len, names)) + SLACK
    for at in range(start, len(text)):
        piece = key(text[at])
        if piece:
            said += piece
            ends += [at + 1] * len(piece)
        if len(said) >= longest:
            break
    length = _closest(said, names)
    return None if length is None else ends[length - 1]


@lru_cache(maxsize=1 << 14)
def _closest(said: str, names: tuple[str, ...]) -> int | None:
    """How many characters of ``said`` (:func:`key` form) are closest to one of ``names``, if
    :data:`INLINE_CLOSE`. Cached: the words after a number in running text recur in every report."""
    best, found = INLINE_CLOSE, None
    for name in names:
        matcher = SequenceMatcher(None, "", name)  # the name analysed once for all its stretches
        for length in range(max(1, len(name) - SLACK), min(len(said), len(name) + SLACK) + 1):
            matcher.set_seq1(said[:length])
            if matcher.quick_ratio() < best:
                continue  # an upper bound of the ratio: this stretch cannot do better
            ratio = matcher.ratio()
            if ratio > best or (ratio == best and found is None):
                best, found = ratio, length
    return found


def _consume(text: str, start: int, wanted: str) -> int | None:
    """Where ``text`` has said ``wanted`` (a :func:`key` form) from ``start`` on, spaces and punctuation
    passed over; None if it says something else first."""
    at, said = start, 0
    while said < len(wanted):
        if at >= len(text):
            return None
        piece = key(text[at])
        if piece and not wanted.startswith(piece, said):
            return None
        said += len(piece)
        at += 1
    return at


def find_headings(lines: list[Line], fmt: Format) -> list[Heading]:
    """Every section heading, in the order written: a line of its own, or inside a line of running
    text; the first heading of each section."""
    specs = {s.number: s for s in fmt.sections}
    longest = max(len(key(s.title)) for s in fmt.sections) + MAX_EXTRA
    found: list[Heading] = []
    seen: set[str] = set()
    for line in lines:
        if line.fields and len([f for f in line.fields if f.strip()]) > 1:
            continue  # a table row such as 一、本年新收… with its numbers
        text = fold(line.text if line.fields is None else " ".join(line.fields)).strip()
        whole = _whole_line(text, specs, longest)
        if whole is not None and whole[0].number not in seen:
            spec, title, official = whole
            found.append(Heading(line.no, 0, len(line.text), spec, title, official))
            seen.add(spec.number)
        elif line.kind == "plain":
            found.extend(_inline(line.text, line.no, specs, seen))
    return found


def _whole_line(text: str, specs: dict[str, SectionSpec], longest: int) -> tuple[SectionSpec, str, bool] | None:
    """The section a line that is a heading and nothing else names, reworded or not."""
    match = _HEADING.match(text)
    if not match:
        return None
    number = ARABIC.get(match["number"], match["number"])
    if number not in specs:
        return None
    title_key = key(match["title"])
    if not title_key or len(title_key) > longest:
        return None
    spec = specs[number]
    # （一）… and 1. are how sub-headings are numbered: only the exact title or a known variant counts.
    needed = 1.0 if _BRACKETED.match(text) or match["number"] in ARABIC else CLOSE_ENOUGH
    return (spec, match["title"].strip(), title_key == _names(spec)[0]) if _close(spec, title_key, needed) else None


def find_sections(lines: list[Line], headings: list[Heading]) -> list[Section]:
    """Each heading with its text: from the heading's end to where the next heading starts."""
    sections = []
    numbers = [line.no for line in lines]  # ascending: the lines of a section are a slice
    for n, heading in enumerate(headings):
        after = headings[n + 1] if n + 1 < len(headings) else None
        if after is None:
            end = lines[-1].no if lines else heading.line
        else:
            end = after.line if after.start > 0 else after.line - 1
        pieces = []
        for line in lines[bisect_left(numbers, heading.line):bisect_right(numbers, end)]:
            start = heading.end if line.no == heading.line else 0
            stop = after.start if after and line.no == after.line else len(line.text)
            if line.no != heading.line or start < len(line.text):
                pieces.append((line.no, line.text[start:stop]))
        sections.append(Section(number=heading.spec.number, title=heading.title, line=heading.line,
                                end_line=max(end, heading.line), text="\n".join(t for _, t in pieces),
                                official=heading.official, line_numbers=tuple(no for no, _ in pieces)))
    return sections

"""Which audited report is the same body's report of the year before, for the prior-year rules.

A body's name is a place and an office (甲市乙区 + 人民政府), and agencies write it differently from
one year to the next: the office by its short or long name (科技局 / 科学技术局, 粮储局 /
粮食和物资储备局), a government as its place alone (丙县 / 丙县人民政府), with or without the
higher-level place (甲市乙区人民政府 / 乙区人民政府). :func:`body_names` gives the names one
body may be paired by, from the vocabulary of ``rules/wording/bodies.yaml``.

Pairing is conservative, since a wrong pair lets the prior-year rules accuse one agency with another's
figures, while a missed one only leaves those rules not run, which the audit says: a name without a
place (科学技术局) pairs with nothing, a name cut down must keep a place of its own (甲市科学技术局
never becomes 科学技术局), and a name that several reports of the year before go by pairs with none.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .model import Report
from .text import key
from .wording import BodyWording


def _alternation(words) -> str:
    return "|".join(re.escape(key(w)) for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class _Names:
    offices: dict[str, str]     # every form (folded) → the full name (folded)
    office_end: re.Pattern[str]  # the longest office form a name ends with
    government_of: dict[str, str]
    own_end: re.Pattern[str]     # a place's own ending at the end of a name (丙县)
    higher: re.Pattern[str]      # a higher-level place at the start of a place (甲市 of 甲市乙区)
    place: re.Pattern[str]       # a whole place: some name and a place ending
    guess: re.Pattern[str]       # a place at the start of a name whose office is not in the vocabulary


@cache
def _names(wording: BodyWording) -> _Names:
    offices = {key(form): key(full) for form, full in wording.offices}
    endings = _alternation({*wording.higher, *wording.own})
    return _Names(
        offices, re.compile(rf"(?:{_alternation(offices)})$"),
        {key(ending): key(name) for ending, name in wording.government_of},
        re.compile(rf"(?:{_alternation(wording.own)})$"),
        re.compile(rf"^.{{2,7}}?(?:{_alternation(wording.higher)})"),
        re.compile(rf"^.+(?:{endings})$"),
        re.compile(rf"^.{{2,7}}?(?:{endings}).+"),
    )


def _place_and_office(name: str, names: _Names, wording: BodyWording) -> tuple[str, str] | None:
    """The name split into its place and its office's full name, or None when the office is not known."""
    office = names.office_end.search(name)
    if office is not None:
        return name[:office.start()], names.offices[office[0]]
    own = names.own_end.search(name)
    if own is not None:  # a place alone stands for its government
        return name, names.government_of.get(own[0], key(wording.government))
    return None


def body_names(body: str | None, wording: BodyWording) -> list[str]:
    """The names ``body`` may be paired by, most specific first: its place and its office's full name,
    then the same without each leading higher-level place as long as a place of its own is left
    (丁省甲市乙区科学技术局 → 甲市乙区… → 乙区…); none for a name without a place.
    A body whose office the vocabulary does not know goes by its whole name alone, when it starts with
    a place. Names compare folded (width, spaces and punctuation do not count)."""
    if not body:
        return []
    names = _names(wording)
    name = key(body)
    split = _place_and_office(name, names, wording)
    if split is None:
        return [name] if names.guess.match(name) else []
    place, office = split
    out = []
    while names.place.match(place):
        out.append(place + office)
        higher = names.higher.match(place)
        if higher is None:
            break
        place = place[higher.end():]
    return out


def pair_prior(reports: list[Report], wording: BodyWording) -> dict[int, Report]:
    """For each report (by position), the report of the same body for the year before, if audited too.

    The most specific name decides first; a name that several reports of the year before go by pairs
    with none of them."""
    names = {id(report): body_names(report.body, wording) if report.year else [] for report in reports}
    by_name: dict[tuple[str, int], list[Report]] = {}
    for report in reports:
        for name in names[id(report)]:
            by_name.setdefault((name, report.year), []).append(report)
    pairs = {}
    for i, report in enumerate(reports):
        for name in names[id(report)]:
            candidates = [c for c in by_name.get((name, report.year - 1), []) if c is not report]
            if len(candidates) == 1:
                pairs[i] = candidates[0]
                break
            if candidates:
                break  # several reports of the year before go by this name: none is taken
    return pairs

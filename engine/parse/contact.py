"""Contact details of the office that handles disclosure: address, postcode, phone, fax, email, website.

Only stated details count: a label of ``rules/wording/contact.yaml`` followed by a colon and a value of
its kind's shape (``邮编：750001``), or a web address the report says it can be read at. A sentence that
merely mentions 地址 or 电话 (``公布了咨询电话和地址``) has no colon and value, so it is not contact
information. A value of the right kind but the wrong form (``邮编：75001``, seven digits, an email
without its ending) is stated all the same: the format rules (rules/contact.yaml) say what is wrong with
it, and no rule may call it missing. One label may state several kinds (``电话/传真：0591-…``,
``联系电话（传真）：``): each gets the value, or the values in turn when two are written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..model import Located
from ..text import fold
from ..wording import CONTACT_KINDS, ContactWording
from .paragraphs import Paragraph

_COLON = r"\s*[:：]\s*"
#: After a label whose colon may be left out: the colon, or an opening bracket or space (门户网站（www…）).
_COLON_OR_NOT = r"(?:\s*[:：]\s*|[(（<\s]*)"
#: What a value of each shape looks like, loosely: the form is the rules' business, not the reader's.
#: ``{stop}`` is where an address ends.
_SHAPES = {
    "address": r"[^；;，,。）)]{{4,80}}?(?:[市区县路街道号楼镇乡村室层座])[^；;，,。）)]{{0,40}}?(?={stop}|$)",
    "digits": r"\d+",
    "phone": r"[0-9０-９(（][0-9０-９\-—－–()（）转 ]*[0-9０-９]|[0-9０-９]",
    "email": r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*",
    "web": r"(?:https?://)?(?:www\.)?[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+(?:/[^\s，,。；;）)>]*)?",
}
#: Between the two values of a combined label (0591-1234567/0591-7654321).
_SECOND = r"\s*(?:[/／、;；]|或)\s*"
#: PDF extraction puts spaces between Chinese characters and digits (翔宇南道 1 号); they are not part
#: of the address.
_CJK_SPACE = re.compile(r"(?<=[\u3400-\u9fff])\s+|\s+(?=[\u3400-\u9fff])")


@dataclass(frozen=True)
class _Patterns:
    #: A label anywhere in a paragraph: a combined one (groups ``first…`` and ``second…``, one pair per
    #: group of kinds and way of joining), or one of a kind (group ``single``).
    labels: re.Pattern[str]
    kinds: dict[str, str]               # label, folded and in lower case → kind
    after: dict[str, re.Pattern[str]]   # kind → colon and value, matched right after its label
    value: dict[str, re.Pattern[str]]   # kind → a value alone (the second one of a combined label)


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@cache
def _patterns(wording: ContactWording) -> _Patterns:
    kinds = {fold(label).lower(): d.kind for d in wording.details for label in d.labels}
    every = _alternation(fold(label) for d in wording.details for label in d.labels)
    joined = [r"[(（](?P<{}>{})[)）]"]
    if wording.joiners:
        joined.append(rf"(?:{_alternation(fold(j) for j in wording.joiners)})(?P<{{}}>{{}})")
    combined = []
    for n, group in enumerate(wording.together):
        words = _alternation(fold(label) for d in wording.details if d.kind in group for label in d.labels)
        combined += [rf"(?P<first{n}_{m}>{words})" + form.format(f"second{n}_{m}", words)
                     for m, form in enumerate(joined)]
    # The lookahead on the labels' first characters lets the search skip the rest of the text quickly
    # (ten times faster on a whole report than trying the alternation at every character).
    first = "".join(sorted({label[0] for label in kinds}))
    labels = re.compile(rf"(?=[{re.escape(first)}])(?:{'|'.join([*combined, rf'(?P<single>{every})'])})",
                        re.IGNORECASE)
    # An address ends at punctuation, at the next label when details run together, or at a section
    # heading run into it on a crawled page (…人民路12号一、总体情况).
    stop = rf"[；;，,。）)]|(?:{every})\s*[:：]|[一二三四五六]、"
    shapes = {d.kind: _SHAPES[d.shape].format(stop=stop) for d in wording.details}
    after = {d.kind: re.compile((_COLON_OR_NOT if d.colon_optional else _COLON) + f"(?P<value>{shapes[d.kind]})",
                                re.IGNORECASE) for d in wording.details}
    value = {kind: re.compile(_SECOND + f"(?P<value>{shape})", re.IGNORECASE) for kind, shape in shapes.items()}
    return _Patterns(labels, kinds, after, value)


def _kinds_named(label: re.Match[str], patterns: _Patterns) -> list[str]:
    """The kinds a label names, in the order written: one, or each of a combined label's."""
    named = [patterns.kinds[word.lower()] for word in label.groups() if word]
    return list(dict.fromkeys(named))


def find_contact(paragraphs: list[Paragraph], wording: ContactWording) -> dict[str, Located]:
    """The first statement of each kind of contact detail, with its source line."""
    patterns = _patterns(wording)
    found: dict[str, Located] = {}
    for paragraph in paragraphs:
        for label in patterns.labels.finditer(paragraph.text):
            kinds = _kinds_named(label, patterns)
            if all(kind in found for kind in kinds):
                continue
            for kind, (value, at) in zip(kinds, _values(paragraph.text, label.end(), kinds, patterns)):
                if kind not in found:
                    found[kind] = Located(_CJK_SPACE.sub("", value.strip()), paragraph.line_at(at))
    return {kind: found[kind] for kind in CONTACT_KINDS if kind in found}


def _values(text: str, at: int, kinds: list[str], patterns: _Patterns) -> list[tuple[str, int]]:
    """The value of each kind a label named, with where it starts: a combined label's one value serves
    each kind, or its values go to them in turn. Empty when no value follows the label."""
    first = patterns.after[kinds[0]].match(text, at)
    if first is None:
        return []
    values = [(first["value"], first.start("value"))]
    end = first.end()
    for kind in kinds[1:]:
        more = patterns.value[kind].match(text, end)
        if more is None:
            values.append(values[0])
            continue
        values.append((more["value"], more.start("value")))
        end = more.end()
    return values

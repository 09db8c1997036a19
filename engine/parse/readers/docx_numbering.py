"""The numbers Word draws in front of numbered paragraphs (``一、`` ``（一）`` ``1.``), which are not in
the paragraphs' text.

Chinese Word turns a line typed as ``一、总体情况`` into a numbered list as soon as Enter is pressed, and
agencies number headings and 表三's row labels with list styles, so a reader that keeps only the runs'
text loses ``一、`` from every heading and ``1.`` from every row label. This module renders the label
as Word does (word/numbering.xml, ECMA-376 part 1 §17.9): the paragraph's list and level from its own
``w:numPr`` or its style's, one counter per level, deeper levels restarting after a higher one
(``w:lvlRestart``), ``%1``–``%9`` in the level text replaced by each level's number in its format.

Counters belong to the abstract list: two list instances of one abstract list continue each other, as
in Word, unless an instance overrides its start (``w:startOverride``), which restarts it where it is
first used. Bullets are no content and give no label.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from .wordml import W, child, value

_CHINESE_DIGITS = "〇一二三四五六七八九"
_LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
_NUM_ID, _LEVEL = (W + "numPr", W + "numId"), (W + "numPr", W + "ilvl")
_PLACEHOLDER = re.compile(r"%([1-9])")


def _int(text: str | None, default: int) -> int:
    return int(text) if text and text.lstrip("-").isdigit() else default


def _chinese(n: int, digits: str = _CHINESE_DIGITS, ten: str = "十", hundred: str = "百") -> str:
    """一 … 十 … 十一 … 九十九, 一百 …: how a Chinese list counts (chineseCounting)."""
    if n <= 0 or n >= 1000:
        return str(n)
    hundreds, tens, ones = n // 100, n // 10 % 10, n % 10
    text = f"{digits[hundreds]}{hundred}" if hundreds else ""
    if tens:
        text += ("" if tens == 1 and not hundreds else digits[tens]) + ten
    elif hundreds and ones:
        text += digits[0]
    return text + (digits[ones] if ones else "")


def _letters(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else str(n)


def _roman(n: int) -> str:
    text = ""
    for value, letters in _ROMAN:
        while 0 < value <= n:
            text, n = text + letters, n - value
    return text


def _full_width(n: int) -> str:
    return str(n).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})


def _enclosed(first: int, last: int):
    return lambda n: chr(first + n - 1) if 1 <= n <= last else str(n)


_FORMATS = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": _full_width,
    "decimalFullWidth2": _full_width,
    "decimalEnclosedCircle": _enclosed(0x2460, 20),
    "decimalEnclosedCircleChinese": _enclosed(0x2460, 20),
    "decimalEnclosedParen": _enclosed(0x2474, 20),
    "decimalEnclosedFullstop": _enclosed(0x2488, 20),
    "lowerLetter": _letters,
    "upperLetter": lambda n: _letters(n).upper(),
    "lowerRoman": _roman,
    "upperRoman": lambda n: _roman(n).upper(),
    "chineseCounting": _chinese,
    "chineseCountingThousand": _chinese,
    "japaneseCounting": _chinese,
    "taiwaneseCounting": _chinese,
    "chineseLegalSimplified": lambda n: _chinese(n, _LEGAL_DIGITS, "拾", "佰"),
    "ideographDigital": lambda n: "".join(_CHINESE_DIGITS[int(d)] for d in str(n)),
    "ideographTraditional": lambda n: _HEAVENLY_STEMS[(n - 1) % 10] if n > 0 else str(n),
    "ideographZodiac": lambda n: _EARTHLY_BRANCHES[(n - 1) % 12] if n > 0 else str(n),
}
_DECIMAL = ("decimal", "decimalZero", "decimalFullWidth", "decimalFullWidth2")


@dataclass
class _Level:
    start: int = 1
    format: str = "decimal"
    text: str = "%1."
    restart: int | None = None  # a level below this one restarts it (None: any level above)
    legal: bool = False  # w:isLgl: every level's number shown in decimal
    suffix: str = "tab"
    style: str | None = None


def _level(element: etree._Element, base: _Level | None = None) -> _Level:
    base = base or _Level()
    restart = value(element, W + "lvlRestart")
    return _Level(_int(value(element, W + "start"), base.start), value(element, W + "numFmt") or base.format,
                  value(element, W + "lvlText") if child(element, W + "lvlText") is not None else base.text,
                  _int(restart, 0) if restart is not None else base.restart,
                  child(element, W + "isLgl") is not None, value(element, W + "suff") or base.suffix,
                  value(element, W + "pStyle") or base.style)


@dataclass
class _List:
    abstract: str
    levels: dict[int, _Level]
    starts: dict[int, int] = field(default_factory=dict)  # w:startOverride per level


class Numbering:
    """The list labels of one part, in document order: call :meth:`label` for every paragraph."""

    def __init__(self, numbering: etree._Element | None, styles: etree._Element | None) -> None:
        abstract = {a.get(W + "abstractNumId"): {_int(l.get(W + "ilvl"), 0): _level(l)
                                                   for l in a.findall(W + "lvl")}
                    for a in (numbering.findall(W + "abstractNum") if numbering is not None else [])}
        self.lists: dict[str, _List] = {}
        for num in numbering.findall(W + "num") if numbering is not None else []:
            key = value(num, W + "abstractNumId") or ""
            levels = dict(abstract.get(key, {}))
            item = _List(key, levels)
            for override in num.findall(W + "lvlOverride"):
                level = _int(override.get(W + "ilvl"), 0)
                if (redefined := child(override, W + "lvl")) is not None:
                    levels[level] = _level(redefined, levels.get(level))
                if (start := value(override, W + "startOverride")) is not None:
                    item.starts[level] = _int(start, 1)
            self.lists[num.get(W + "numId") or ""] = item
        self.styles = {s.get(W + "styleId"): s for s in (styles.findall(W + "style") if styles is not None else [])}
        self.default_style = next((k for k, s in self.styles.items()
                                   if s.get(W + "type") == "paragraph" and s.get(W + "default") in ("1", "true")), None)
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()

    def label(self, paragraph: etree._Element) -> str:
        """The label Word shows before ``paragraph`` ("" for none), counting it."""
        found = self._list_level(paragraph) if self.lists else None
        if found is None:
            return ""
        number, level = found
        item = self.lists[number]
        counters = self.counters.setdefault(item.abstract, {})
        if number not in self.started:
            self.started.add(number)
            for overridden in item.starts:
                counters.pop(overridden, None)
        spec = item.levels.get(level, _Level())
        counters[level] = counters[level] + 1 if level in counters else item.starts.get(level, spec.start)
        for deeper in [d for d in counters if d > level]:
            restart = item.levels.get(deeper, _Level()).restart
            if restart is None or (restart and level < restart):
                del counters[deeper]
        if spec.format in ("bullet", "none"):
            return ""
        text = _PLACEHOLDER.sub(lambda m: self._number(item, int(m[1]) - 1, spec.legal), spec.text)
        return text if spec.suffix == "nothing" or not text or not text[-1].isascii() else text + " "

    def _number(self, item: _List, level: int, legal: bool) -> str:
        spec = item.levels.get(level, _Level())
        value = self.counters[item.abstract].get(level, item.starts.get(level, spec.start))
        form = "decimal" if legal and spec.format not in _DECIMAL else spec.format
        return _FORMATS.get(form, str)(value)

    def _list_level(self, paragraph: etree._Element) -> tuple[str, int] | None:
        """(list instance, level) of a paragraph, from its own properties or its style's (w:basedOn)."""
        properties = child(paragraph, W + "pPr")
        number, level = value(properties, *_NUM_ID), value(properties, *_LEVEL)
        style = value(properties, W + "pStyle") or self.default_style
        for _ in range(10):  # basedOn chains are short; a cycle in a damaged file ends here
            if number is not None or style not in self.styles:
                break
            style_properties = child(self.styles[style], W + "pPr")
            number = value(style_properties, *_NUM_ID)
            level = level or value(style_properties, *_LEVEL)
            if number is not None and level is None:  # the level that names this style, else the first
                item = self.lists.get(number)
                level = next((str(k) for k, v in item.levels.items() if v.style == style), None) if item else None
            style = value(self.styles[style], W + "basedOn")
        if number is None or number == "0" or number not in self.lists:
            return None
        return number, _int(level, 0)

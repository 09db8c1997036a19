"""The report's title: who published it (发布机关) and for which year.

Titles read ``<body><year>年<name>`` on one line or two (body above), or ``<year>年<body><name>``, where
the name is one of ``rules/wording/titles.yaml`` (政府信息公开工作年度报告, 政府信息公开工作报告 after
2022年度 …), sometimes with a page number or a blank line in between, spaces anywhere, 年度 for 年, or in
《》; a long title the page wrapped (``…工作年度`` / ``报告``) is read joined. A title of part of a year
(上半年) is no annual report's title.
"""
from __future__ import annotations

import re
from functools import cache

from ..text import fold
from ..wording import TitleWording
from .lines import Line

_BODY_NOISE = re.compile(r"^[《〈]\s*")
#: A title is no sentence: a line with these before the year is prose that names the report.
_SENTENCE = re.compile(r"[,;!?。，；！？]")
#: The title is at the top: look no further than this many content lines.
TITLE_WINDOW = 15


def _spaced(words) -> str:
    """The words as alternatives, longest first, each allowing spaces between its characters."""
    return "|".join(r"\s*".join(map(re.escape, fold(w))) for w in sorted(words, key=len, reverse=True))


@cache
def _title(wording: TitleWording) -> re.Pattern[str]:
    joiners = rf"(?:{_spaced(wording.joiners)})?" if wording.joiners else ""
    return re.compile(rf"^(?P<body>.*?)\s*(?P<year>(?:19|20)\d{{2}})\s*(?:{_spaced(wording.year_words)})\s*"
                      rf"(?P<after>[^\d\s]*?)\s*{joiners}\s*(?:{_spaced(wording.names)})\s*[》〉]?\s*$")


def _annual(match: re.Match[str], wording: TitleWording) -> bool:
    return not _SENTENCE.search(match["body"]) and not any(fold(w) in match["after"] for w in wording.not_annual)


def find_title(lines: list[Line], wording: TitleWording) -> tuple[str | None, int | None, int | None]:
    """(body, year, line of the title) — each None when the text does not state it."""
    title = _title(wording)
    content = [l for l in lines if l.kind != "empty"][:TITLE_WINDOW]
    texts = [fold(l.text if not l.fields else "".join(l.fields)).strip() for l in content]
    for n, line in enumerate(content):
        match = title.match(texts[n])
        if not match and n + 1 < len(content) and line.width and content[n + 1].width:
            match = title.match(texts[n] + texts[n + 1])  # wrapped by the page
        if not match or not _annual(match, wording):
            continue
        # The body stands before the year (某区2020年…) or after it (2022年上海市…).
        body = _BODY_NOISE.sub("", match["body"] + match["after"]).strip()
        if not body and n > 0:
            previous = fold(content[n - 1].text).strip()
            if len(previous) <= 40 and not re.search(r"[。，；：]", previous):
                body = _BODY_NOISE.sub("", previous).strip()
        return body or None, int(match["year"]), line.no
    return None, None, None

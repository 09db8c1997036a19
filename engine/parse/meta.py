"""The report's title: who published it (发布机关) and for which year.

Titles read ``<body><year>年政府信息公开工作年度报告`` on one line or two (body above), or
``<year>年<body>政府信息公开工作年度报告``, sometimes with a page number or a blank line in between,
spaces around the year, 年度 for 年, or in 《》; a long title the page wrapped (``…工作年度`` / ``报告``)
is read joined.
"""
from __future__ import annotations

import re

from ..text import fold
from .lines import Line

_TITLE = re.compile(r"^(?P<body>.*?)\s*(?P<year>(?:19|20)\d{2})\s*年度?\s*(?P<after>[^\d\s]*?)\s*(?:的)?\s*"
                    r"政府信息公开\s*工作\s*年度\s*报告\s*[》〉]?\s*$")
_BODY_NOISE = re.compile(r"^[《〈]\s*")
#: The title is at the top: look no further than this many content lines.
TITLE_WINDOW = 15


def find_title(lines: list[Line]) -> tuple[str | None, int | None, int | None]:
    """(body, year, line of the title) — each None when the text does not state it."""
    content = [l for l in lines if l.kind != "empty"][:TITLE_WINDOW]
    texts = [fold(l.text if not l.fields else "".join(l.fields)).strip() for l in content]
    for n, line in enumerate(content):
        match = _TITLE.match(texts[n])
        if not match and n + 1 < len(content) and line.width and content[n + 1].width:
            match = _TITLE.match(texts[n] + texts[n + 1])  # wrapped by the page
        if not match:
            continue
        # The body stands before the year (某区2020年…) or after it (2022年上海市…).
        body = _BODY_NOISE.sub("", match["body"] + match["after"]).strip()
        if not body and n > 0:
            previous = fold(content[n - 1].text).strip()
            if len(previous) <= 40 and not re.search(r"[。，；：]", previous):
                body = _BODY_NOISE.sub("", previous).strip()
        return body or None, int(match["year"]), line.no
    return None, None, None

"""The report's title: who published it (发布机关) and for which year.

Titles read ``<body><year>年政府信息公开工作年度报告`` on one line or two (body above), or
``<year>年<body>政府信息公开工作年度报告``, sometimes with a page number or a blank line in between,
spaces around the year, 年度 for 年, or in 《》.
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
    for n, line in enumerate(content):
        text = fold(line.text if not line.fields else "".join(line.fields)).strip()
        match = _TITLE.match(text)
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

"""The statistical period (统计期限) the report's figures cover.

Reports say it many ways (``本报告所列数据的统计期限自2020年1月1日至2020年12月31日``, ``统计数据从2021年1月1日至
12月31日止``, ``统计时间为…``, ``所列数据的时间范围为…``, ``统计期限：2021.1.1-2021.12.31``); all name
统计, 数据, 期限 or 时间范围 shortly before a date range. An end date without a year takes the start's
year. A date that does not exist is reported, not corrected.
"""
from __future__ import annotations

import re
from datetime import date

from ..model import Period, Warning
from .paragraphs import Paragraph

_DATE = r"(?P<{p}y>\d{{4}})\s*年\s*(?P<{p}m>\d{{1,2}})\s*月\s*(?P<{p}d>\d{{1,2}})\s*日"
_END = r"(?:(?P<ey>\d{4})\s*年\s*)?(?P<em>\d{1,2})\s*月\s*(?P<ed>\d{1,2})\s*日"
#: What introduces the period: 统计 (期限/时间/数据), or 数据 / 期限 / 时间范围 where 统计 is not written.
_LEAD = r"(?:统\s*计|数\s*据|期\s*限|时\s*间\s*(?:范\s*围|段))"
_RANGE = r"\s*(?:起)?\s*(?:至|到|—|-|–|~|～)\s*"
#: Dates written with dots or slashes (2021.1.1, 2021/12/31): the range is then marked by 至 or a dash.
_DOTTED = r"(?P<{p}y>\d{{4}})\s*[./]\s*(?P<{p}m>\d{{1,2}})\s*[./]\s*(?P<{p}d>\d{{1,2}})(?![\d.])"
PERIODS = (
    re.compile(_LEAD + r"[^。；;]{0,24}?" + _DATE.format(p="s") + _RANGE + _END),
    re.compile(_LEAD + r"[^。；;]{0,24}?" + _DOTTED.format(p="s") + _RANGE + _DOTTED.format(p="e")),
)


def find_period(paragraphs: list[Paragraph]) -> tuple[Period | None, list[Warning]]:
    for paragraph in paragraphs:
        match = next((m for pattern in PERIODS if (m := pattern.search(paragraph.text))), None)
        if not match:
            continue
        line = paragraph.line_at(match.start("sy"))
        start_year = int(match["sy"])
        end_year = int(match["ey"]) if match["ey"] else start_year
        quote = match.group(0)
        try:
            start = date(start_year, int(match["sm"]), int(match["sd"]))
            end = date(end_year, int(match["em"]), int(match["ed"]))
        except ValueError:
            warning = Warning("period_invalid", f"统计期限中的日期不存在：{quote}", line)
            return Period(None, None, line, quote), [warning]
        return Period(start, end, line, quote), []
    return None, []

"""Contact details of the office that handles disclosure: address, postcode, phone, fax, email, website.

Only stated details count: a label followed by a colon and a value of the right shape (``邮编：750001``),
or a web address the report says it can be read at. A sentence that merely mentions 地址 or 电话
(``公布了咨询电话和地址``) has no colon and value, so it is not contact information.
"""
from __future__ import annotations

import re

from ..model import Located
from .paragraphs import Paragraph

_COLON = r"\s*[:：]\s*"
#: Where an address ends: punctuation, the next contact label when details run together, or a section
#: heading run into it on a crawled page (``…人民路12号一、总体情况``).
_STOP = r"[；;，,。）)]|(?:邮政编码|邮编|联系电话|咨询电话|办公电话|电话|传真|电子邮箱|电子信箱|邮箱|e-?mail|网址)\s*[:：]|[一二三四五六]、"
PATTERNS: dict[str, re.Pattern[str]] = {
    "address": re.compile(rf"(?:联系|通讯|通信|办公)?地址{_COLON}(?P<value>[^；;，,。）)]{{4,80}}?(?:[市区县路街道号楼镇乡村室层座])[^；;，,。）)]{{0,40}}?)(?={_STOP}|$)", re.IGNORECASE),
    "postcode": re.compile(rf"(?:邮政编码|邮编){_COLON}?(?P<value>\d{{6}})(?!\d)"),
    "phone": re.compile(rf"(?:联系|咨询|办公|服务)?电话(?:号码)?(?:[(（]传真[)）])?{_COLON}(?P<value>[0-9０-９(（][0-9\-—－–()（） ]{{5,30}}[0-9])"),
    "fax": re.compile(rf"传真(?:号码)?{_COLON}(?P<value>[0-9(（][0-9\-—－–()（） ]{{5,30}}[0-9])|电话[(（]传真[)）]{_COLON}(?P<shared>[0-9(（][0-9\-—－–()（） ]{{5,30}}[0-9])"),
    "email": re.compile(rf"(?:电子邮箱|电子信箱|电子邮件|邮箱|e-?mail){_COLON}(?P<value>[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{{2,}})", re.IGNORECASE),
    "website": re.compile(r"(?:网址|网站|门户网站|网页)(?:[:：]\s*|[(（<\s]*)(?P<value>(?:https?://)?(?:www\.)?[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+(?:/[^\s，,。；;）)>]*)?)", re.IGNORECASE),
}
KINDS = tuple(PATTERNS)
#: PDF extraction puts spaces between Chinese characters and digits (翔宇南道 1 号); they are not part
#: of the address.
_CJK_SPACE = re.compile(r"(?<=[\u3400-\u9fff])\s+|\s+(?=[\u3400-\u9fff])")


def find_contact(paragraphs: list[Paragraph]) -> dict[str, Located]:
    """The first statement of each kind of contact detail, with its source line."""
    found: dict[str, Located] = {}
    for paragraph in paragraphs:
        for kind, pattern in PATTERNS.items():
            if kind in found:
                continue
            match = pattern.search(paragraph.text)
            if match:
                group = "value" if match.groupdict().get("value") else "shared"
                value = _CJK_SPACE.sub("", match[group].strip())
                found[kind] = Located(value, paragraph.line_at(match.start(group)))
    return {kind: found[kind] for kind in KINDS if kind in found}

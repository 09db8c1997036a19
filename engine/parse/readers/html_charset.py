"""A web page's bytes → its text, in the charset the page declares or the one its bytes are really in.

Government sites publish in UTF-8 or in GB2312/GBK, which they declare in ``<meta charset>`` or
``<meta http-equiv="Content-Type" content="text/html; charset=gb2312">``. GB2312 and GBK pages are
decoded as GB18030, the standard both are subsets of (editors put GBK-only characters into
"GB2312" pages all the time). A byte-order mark wins over any declaration, as in browsers.

Declarations are wrong often enough (a template copied from an old site, a page re-saved in UTF-8):
where the bytes do not decode strictly in the declared charset but do in another, or where a page
declared in a legacy charset is valid UTF-8 (a legacy-encoded Chinese page practically never is),
the bytes win and the Document notes the conflict. A page that decodes strictly in nothing is read in
its declared charset with the undecodable bytes marked (up to one character in 50; more is a damaged
file), and the count is noted, so that a figure
they touch is unreadable rather than guessed.
"""
from __future__ import annotations

import codecs
import re

from ..decode import NotText, decode

_DECLARED = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)"""
                       rb"""|<\?xml[^>]*?encoding\s*=\s*["']\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
#: How far into the page a declaration is looked for: browsers look at the first 1024 bytes, but
#: pages put long comments and scripts before their <meta> tags.
_HEAD = 65536
#: Names pages give the GB family by (punctuation dropped), all read as GB18030.
_CHINESE = frozenset({"gb2312", "gb231280", "gbk", "xgbk", "cp936", "ms936", "gb18030", "euccn", "xeuccn"})
#: Single-byte charsets decode any bytes at all, so they never prove anything about a Chinese page.
_SINGLE_BYTE = re.compile(r"^(?:ascii|latin-?\d+|iso8859-\d+|cp125\d|cp437|mac-roman)$")
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _codec(name: str) -> str | None:
    """The Python codec for a declared charset name; GB2312 and GBK as GB18030."""
    if re.sub(r"[\W_]", "", name.lower()) in _CHINESE:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_charset(data: bytes) -> str | None:
    """The charset the page's ``<meta>`` (or XML declaration) names, as written."""
    match = _DECLARED.search(data[:_HEAD])
    if not match:
        return None
    return (match.group(1) or match.group(2)).decode("ascii")


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def page_text(data: bytes) -> tuple[str, list[str]]:
    """The page's text and notes on its charset for the Report's warnings; :class:`NotText` where
    the bytes are not text in any charset we know."""
    if data.startswith(_BOMS) or b"\x00" in data[:4096]:
        return decode(data)[0], []
    declared = declared_charset(data)
    codec = _codec(declared) if declared else None
    if codec is None or codec.startswith(("utf-16", "utf-32")):
        text, _encoding = decode(data)
        notes = [f"网页声明的字符编码“{declared}”无法识别，已按内容识别的编码读取"] if declared and codec is None else []
        return text, notes
    order = ["utf-8", codec, "gb18030"]
    if _SINGLE_BYTE.match(codec):
        order = ["utf-8", "gb18030", codec]
    for candidate in dict.fromkeys(order):
        text = _strict(data, candidate)
        if text is None:
            continue
        if candidate == codec or data.isascii():
            return text, []
        return text, [f"网页声明的字符编码为 {declared}，但内容按 {_shown(candidate)} 才能正确解码，已按 {_shown(candidate)} 读取"]
    text = data.decode(codec, errors="replace")
    bad = text.count("\ufffd")
    if bad * 50 > len(text):
        raise NotText(f"网页声明的字符编码为 {declared}，但内容有 {bad} 处无法按此编码解码，可能已损坏，请重新下载或提供原文件")
    return text, [f"网页中有 {bad} 处字节无法按声明的编码 {declared} 解码，已标为“\ufffd”；涉及的文字和数字请人工核对"]


def _shown(codec: str) -> str:
    return {"utf-8": "UTF-8", "gb18030": "GB18030（GBK）"}.get(codec, codec)

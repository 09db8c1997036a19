"""Bytes → text: the encodings reports arrive in, and a clear refusal of what is not text.

Submissions come as UTF-8 (with or without BOM), GB18030/GBK from older Windows tools, or UTF-16 from
Word's "Unicode text" export. We try them in that order of likelihood and strictness; anything that
decodes as none of them, or is mostly control bytes, is not a report.
"""
from __future__ import annotations

import codecs
import re


class NotText(ValueError):
    """The input is not readable text (binary, or in no encoding we know)."""


_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: the ASCII characters (digits, tabs, line breaks) leave NUL bytes, all on one
    side of each pair; real text in UTF-8 or GB18030 has none."""
    if len(data) < 4 or len(data) % 2:
        return None
    even_nuls, odd_nuls = data[0::2].count(0), data[1::2].count(0)
    if odd_nuls > len(data) // 200 and even_nuls * 4 <= odd_nuls:
        return "utf-16-le"
    if even_nuls > len(data) // 200 and odd_nuls * 4 <= even_nuls:
        return "utf-16-be"
    return None


def decode(data: bytes) -> tuple[str, str]:
    """The text and the name of the encoding it was in; :class:`NotText` if it is not text."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="strict"), encoding
    candidates = [name for name in (_looks_utf16(data),) if name] + ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            text = data.decode(encoding, errors="strict")
        except UnicodeDecodeError:
            continue
        if _mostly_text(text):
            return text, encoding
    raise NotText("文件不是可识别的文本（不是 UTF-8、GB18030 或 UTF-16 编码，可能是二进制文件）")


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


def _mostly_text(text: str) -> bool:
    """Control characters other than white space mark a binary file that happened to decode."""
    return "\x00" not in text and len(_CONTROL.findall(text)) <= len(text) * 0.01

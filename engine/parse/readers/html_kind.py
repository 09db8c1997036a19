"""Web pages recognised from their bytes, for the registry and for text already decoded: by the tags
they hold, with regular expressions.

The page is read by :mod:`.html` (lxml), imported when a page is read: sniffing a text report, or
asking whether a decoded text is a page, must not load an HTML library.
"""
from __future__ import annotations

import re
from typing import ClassVar

from ..decode import NotText, decode
from .base import Document

KIND = "网页"
_TAG = re.compile(r"<\s*(!doctype|html|head|body|meta|title|table|tr|td|th|p|div|br|span|font|li|h[1-6])\b",
                  re.IGNORECASE)
_TAG_BYTES = re.compile(_TAG.pattern.encode(), re.IGNORECASE)
_OPENING = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b",
                      re.IGNORECASE | re.DOTALL)


def looks_like_html(text: str) -> bool:
    return len(_TAG.findall(text[:20000])) >= 3


class HtmlReader:
    kind: ClassVar[str] = KIND
    suffixes: ClassVar[tuple[str, ...]] = (".html", ".htm")

    def sniff(self, data: bytes, name: str) -> bool:
        """A page that opens as one (``<!DOCTYPE html>``, ``<html>``), or text with tags in it. Tags are
        ASCII, so they are the same bytes in UTF-8 and GB18030: no need to decode first; UTF-16 (NUL
        bytes between the letters) is decoded."""
        head = data[:20000]
        if b"\x00" not in head:
            return bool(_OPENING.match(head)) or len(_TAG_BYTES.findall(head)) >= 3
        try:
            return looks_like_html(decode(data)[0])
        except NotText:
            return False

    def read(self, data: bytes, name: str) -> Document:
        from .html import page_document

        return page_document(data)

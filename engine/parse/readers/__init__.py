"""Every input kind the audit reads, one module each, in :data:`READERS`.

:func:`read_document` sniffs the bytes and hands them to the first reader that claims them; plain text
comes last, as what is left. A reader that recognises a file it cannot read (a scanned PDF, an
encrypted one, a spreadsheet) raises :class:`NotReadable` with the reason and the remedy, so the
office sees why, instead of an empty report.
"""
from __future__ import annotations

from .base import COVERED, Document, NotReadable, Reader, SourceLine
from .docx_kind import DocxReader
from .html_kind import HtmlReader
from .legacy import LegacyWordReader, OpenDocumentReader
from .pdf import PdfReader
from .text import TextReader, text_document
from .unsupported import UnsupportedReader

__all__ = ["COVERED", "READERS", "Document", "NotReadable", "Reader", "SourceLine", "accepted",
           "read_document", "text_document"]

#: In the order they sniff: specific signatures first, text last.
READERS: tuple[Reader, ...] = (DocxReader(), LegacyWordReader(), OpenDocumentReader(), UnsupportedReader(),
                               PdfReader(), HtmlReader(), TextReader())


def read_document(data: bytes, name: str) -> Document:
    for reader in READERS:
        if reader.sniff(data, name):
            return reader.read(data, name)
    raise NotReadable("无法识别的文件类型")


def accepted() -> str:
    """The input kinds, for help texts: 文本（.txt）、网页（.html、.htm）……"""
    return "、".join(f"{r.kind}（{'、'.join(r.suffixes)}）" for r in READERS if r.suffixes)

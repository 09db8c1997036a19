"""Word (.docx) recognised from its bytes, for the registry: only the zip's directory is looked at.

The document's XML is read by :mod:`.docx` (lxml), imported when a Word file is read: sniffing a text
report must not load an XML library.
"""
from __future__ import annotations

from typing import ClassVar

from .base import Document
from .containers import is_zip, zip_names

DAMAGED = "Word 文件已损坏，无法打开，请在 Word 中重新保存后再提交"
MAIN_PART = "word/document.xml"
SUFFIXES = (".docx", ".docm", ".dotx", ".dotm")


class DocxReader:
    kind: ClassVar[str] = "Word"
    suffixes: ClassVar[tuple[str, ...]] = (".docx",)

    def sniff(self, data: bytes, name: str) -> bool:
        """A zip holding ``word/document.xml``; a zip too damaged to list is Word when its bytes name
        that part or the file is named as Word (otherwise it is refused as a damaged archive)."""
        if not is_zip(data):
            return False
        names = zip_names(data)
        if names is not None:
            return MAIN_PART in names
        return MAIN_PART.encode() in data or name.lower().endswith(SUFFIXES)

    def read(self, data: bytes, name: str) -> Document:
        from .docx import docx_document

        return docx_document(data, self.kind)

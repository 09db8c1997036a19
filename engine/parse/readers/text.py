"""Plain text (.txt, and whatever else decodes as text): Word's text exports, text a PDF tool or a
crawler saved. Every line of the file is one source line, numbered as an editor numbers it, so a
quote points at the line the office and the agency see."""
from __future__ import annotations

from typing import ClassVar

from ..decode import NotText, decode
from .base import Document, NotReadable, SourceLine


def text_document(text: str, kind: str = "文本") -> Document:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Document(kind, [SourceLine(raw, f"第{no}行", wrapped=True)
                           for no, raw in enumerate(text.split("\n"), start=1)])


class TextReader:
    kind: ClassVar[str] = "文本"
    suffixes: ClassVar[tuple[str, ...]] = (".txt",)

    def sniff(self, data: bytes, name: str) -> bool:
        """The last resort: anything no other reader claimed is tried as text."""
        return True

    def read(self, data: bytes, name: str) -> Document:
        try:
            text, _encoding = decode(data)
        except NotText as error:
            raise NotReadable(str(error)) from None
        return text_document(text)

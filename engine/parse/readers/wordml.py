"""WordprocessingML names and the one lookup the Word readers (:mod:`.docx`, :mod:`.docx_numbering`)
share.

:func:`child` walks a path of direct children: ``Element.find`` goes through lxml's ElementPath on every
call, which costs more than looking at the few children a Word element has.
"""
from __future__ import annotations

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def child(element: etree._Element | None, *path: str) -> etree._Element | None:
    """The first child of ``element`` with the first tag, its first child with the next, …; None when
    one is missing."""
    for tag in path:
        if element is None:
            return None
        element = next((node for node in element if node.tag == tag), None)
    return element


def value(element: etree._Element | None, *path: str) -> str | None:
    """The ``w:val`` of the element at ``path`` below ``element`` (of ``element`` itself without a path)."""
    found = child(element, *path)
    return found.get(W + "val") if found is not None else None

"""Reading rendered pages back in tests: lxml's HTML parser plus a few lookups by id and class."""
from __future__ import annotations

from pathlib import Path

from lxml import html


def page(path: Path) -> html.HtmlElement:
    return html.fromstring(path.read_text(encoding="utf-8"))


def by_id(root: html.HtmlElement, anchor: str) -> html.HtmlElement:
    found = root.xpath(f'//*[@id="{anchor}"]')
    assert len(found) == 1, f"id {anchor!r} found {len(found)} times"
    return found[0]


def with_class(root: html.HtmlElement, tag: str, name: str) -> list[html.HtmlElement]:
    return root.xpath(f'//{tag}[contains(concat(" ", normalize-space(@class), " "), " {name} ")]')


def text(element: html.HtmlElement) -> str:
    return " ".join(element.text_content().split())

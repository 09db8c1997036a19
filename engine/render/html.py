"""Jinja2 rendering of the view models into self-contained HTML pages.

Autoescape is on for every template: report text, file names and rule text all come from outside and
reach the pages only as escaped text. The style sheet and the small sorting script are package data,
inlined into each page (offices work on closed networks; a page must open from a USB stick alone).

Nothing is set up per page: the templates are compiled once per process and never checked for changes
on disk (they are package data), and each static file is read once. A page of the whole batch (the
dashboard of 20,000 reports is about 55 MB) is written as it is rendered (:func:`write_page`), never held
whole as a string: that string and the pieces it was joined from took more memory than the rest of the
batch.
"""
from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, Template
from markupsafe import Markup

from .. import __version__


@cache
def environment() -> Environment:
    return Environment(loader=PackageLoader("engine.render", "templates"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                       keep_trailing_newline=True, auto_reload=False)


@cache
def static(name: str) -> Markup:
    """A file of ``engine/render/static`` to inline: our own text, so it is marked safe."""
    return Markup(files("engine.render").joinpath("static", name).read_text(encoding="utf-8"))


def render(template: str, **context: object) -> str:
    """One page; ``css`` and ``version`` are supplied, everything else comes from the caller."""
    return _template(template).render(**_context(template, context))


def write_page(path: Path, template: str, **context: object) -> None:
    """:func:`render` into the file at ``path`` (UTF-8), piece by piece as the template gives them."""
    _template(template).stream(**_context(template, context)).dump(str(path), encoding="utf-8")


def _template(name: str) -> Template:
    return environment().get_template(name)


def _context(template: str, context: dict[str, object]) -> dict[str, object]:
    css = static("notice.css" if template == "notice.html" else "style.css")
    return dict(css=css, version=__version__, **context)

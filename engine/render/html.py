"""Jinja2 rendering of the view models into self-contained HTML pages.

Autoescape is on for every template: report text, file names and rule text all come from outside and
reach the pages only as escaped text. The style sheet and the small sorting script are package data,
inlined into each page (offices work on closed networks; a page must open from a USB stick alone).

Nothing is set up per page: the templates are compiled once per process and never checked for changes
on disk (they are package data), and each static file is read once.
"""
from __future__ import annotations

from functools import cache
from importlib.resources import files

from jinja2 import Environment, PackageLoader, StrictUndefined
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
    css = static("notice.css" if template == "notice.html" else "style.css")
    return environment().get_template(template).render(css=css, version=__version__, **context)

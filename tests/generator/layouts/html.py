"""An HTML fragment as a government web page holds a report: ``<p>`` paragraphs, ``<table>`` with
``<tr><td>``, rowspan/colspan on merged label and header cells, ``&nbsp;`` in blank cells, ``<br />``
inside header cells, and the attributes and styles editors leave behind."""
from __future__ import annotations

import random
from html import escape

from ..document import Document, Prose
from ..grid import GridRow, GridTable, Span
from .plain import Rendered

BLANK_RATE = 0.3

_CELL_STYLES = ('', ' style="text-align:center;"', ' align="center" valign="middle"',
                ' style="border:1px solid #000;padding:2px 4px;"', ' width="48"')


def _text(text: str, rng: random.Random) -> str:
    """Escaped text; some editors also write the curly quotes as entities (&ldquo;三安全一稳定&rdquo;)."""
    text = escape(text, quote=False)
    return text.replace("“", "&ldquo;").replace("”", "&rdquo;") if rng.random() < 0.5 else text


def _paragraph(block: Prose, rng: random.Random) -> str:
    text = _text(block.text, rng)
    if block.kind == "title":
        return f'<p style="text-align:center;"><strong>{text}</strong></p>'
    if block.kind == "heading":
        return rng.choice([f"<p><strong>{text}</strong></p>", f"<h3>{text}</h3>",
                           f'<p style="text-indent:2em;"><span style="font-family:黑体;">{text}</span></p>'])
    return rng.choice([f"<p>{text}</p>", f'<p style="text-indent:2em;">{text}</p>'])


def _broken(text: str, rng: random.Random) -> str:
    """A header label with a <br /> where a narrow cell wrapped it."""
    if len(text) < 4 or rng.random() < 0.5:
        return escape(text, quote=False)
    cut = rng.randint(1, len(text) - 1)
    return escape(text[:cut], quote=False) + rng.choice(["<br />", "<br/>", "<br>"]) + escape(text[cut:], quote=False)


def _td(inner: str, span: Span | None, rng: random.Random) -> str:
    attrs = ""
    if span is not None and span.rows > 1:
        attrs += f' rowspan="{span.rows}"'
    if span is not None and span.cols > 1:
        attrs += f' colspan="{span.cols}"'
    attrs += rng.choice(_CELL_STYLES)
    if rng.random() < 0.3:
        inner = f'<p style="text-align:center;">{inner}</p>'
    elif rng.random() < 0.2:
        inner = f'<span style="font-size:14px;font-family:仿宋_GB2312;">{inner}</span>'
    return f"<td{attrs}>{inner}</td>"


def _tr(row: GridRow, header: bool, rng: random.Random) -> str:
    cells = [_td(_broken(s.text, rng) if header else _text(s.text, rng), s, rng)
             for s in row.slots if isinstance(s, Span)]
    cells += [_td(escape(v, quote=False) if v is not None else "&nbsp;", None, rng) for v in row.values]
    return "<tr>" + rng.choice(["", "\n"]).join(cells) + "</tr>"


def _table(grid: GridTable, rng: random.Random) -> str:
    rows = [_tr(r, True, rng) for r in grid.header] + [_tr(r, False, rng) for r in grid.body]
    opening = rng.choice(['<table border="1" cellspacing="0" cellpadding="0">',
                          '<table style="border-collapse:collapse;width:100%;" class="MsoNormalTable">', "<table>"])
    return f"{opening}\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"


def render(document: Document, rng: random.Random) -> Rendered:
    parts = [_table(b, rng) if isinstance(b, GridTable) else _paragraph(b, rng) for b in document.blocks]
    return Rendered('<div class="TRS_Editor">\n' + "\n".join(parts) + "\n</div>\n")

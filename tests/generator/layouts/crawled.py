"""Text a crawler saved from a web page: the title (and a line of page furniture) on lines of their own,
then the whole body on one to three physical lines: paragraphs, headings and tables run together
(``…予以答复。三、收到和处理政府信息公开申请情况（本列数据…）申请人情况自然人…``), each table row's cells
run together with irregular spaces or none (``一、本年新收政府信息公开申请数量230 000023二、上年结转…``).

Whether such a row can be read is decided here, independently of the parser, by enumerating every
way to cut its digits into the table's number of cells (non-negative integers without leading zeros;
the spaces that are present are cell boundaries) and, where more than one cut remains, keeping those
that satisfy the row's totals identity (``tables.yaml``). One cut left: the row must be read
exactly; several: table 三's column identities (一 + 二 = （七）总计 + 四, （七）总计 = the results) are
tried over all such rows at once, and a row they leave one cut must be read exactly; any other must be
reported unreadable. Section-二 rows (signed values, decimals) keep a
space between cells. No blank cells here: a blank would vanish without a trace.
"""
from __future__ import annotations

import random
from collections.abc import Callable
from itertools import product
from math import prod

from engine.formats import TableSpec
from engine.parse.identities import COMBINATIONS, READINGS

from ..document import Document, Prose
from ..grid import GridRow, GridTable, Span
from ..values import RowTotal, balance, row_total, table_facts
from .plain import Rendered, write

BLANK_RATE = 0.0
Check = Callable[[list[int]], bool]
Forced = Callable[[list[int]], "int | None"]


def count_splits(chunks: list[str], cells: int, check: Check, stop: int = 2, forced: Forced | None = None) -> int:
    """How many ways (up to ``stop``) the digit ``chunks`` split into ``cells`` numbers that ``check``
    accepts (see :func:`splits`)."""
    return len(splits(chunks, cells, check, stop, forced))


def splits(chunks: list[str], cells: int, check: Check, stop: int = 2, forced: Forced | None = None) -> list[list[int]]:
    """The ways (up to ``stop``) the digit ``chunks`` split into ``cells`` numbers that ``check``
    accepts. ``check`` sees each prefix of the numbers and rejects as early as it can; ``forced``, if
    given, names the value the next number must have (a total whose parts are all known), which only
    prunes splits ``check`` would reject anyway."""
    found: list[list[int]] = []

    def walk(chunk: int, at: int, numbers: list[int]) -> None:
        if len(found) >= stop or not check(numbers):
            return
        if chunk == len(chunks):
            if len(numbers) == cells:
                found.append(numbers)
            return
        text = chunks[chunk]
        if at == len(text):
            walk(chunk + 1, 0, numbers)
            return
        if len(numbers) + len(chunks) - chunk > cells:
            return
        must = forced(numbers) if forced else None
        if must is not None:
            if text.startswith(str(must), at):
                walk(chunk, at + len(str(must)), numbers + [must])
            return
        first = at + 1 if text[at] == "-" else at  # a negative count (a defect to find) keeps its sign
        if first == len(text):
            return
        sign = text.find("-", first)  # a number ends where the next one's sign begins
        last = len(text) if sign < 0 else sign
        ends = [first + 1] if text[first] == "0" else range(first + 1, last + 1)
        for end in ends:
            walk(chunk, end, numbers + [int(text[at:end])])

    walk(0, 0, [])
    return found


def identity(rule: RowTotal, row: GridRow) -> tuple[Check, Forced]:
    """The totals identity of every table row a grid line carries, as a prefix check and as the
    value a total must take once its parts are known."""
    groups = []
    for label in row.rows:
        index = {c: i for i, (r, c) in enumerate(row.cells) if r == label}
        groups.append(([index[p] for p in rule.parts], index[rule.total]))

    def check(numbers: list[int]) -> bool:
        return all(numbers[total] == sum(numbers[p] for p in parts) for parts, total in groups
                   if max(parts + [total]) < len(numbers))

    def forced(numbers: list[int]) -> int | None:
        here = len(numbers)
        return next((sum(numbers[p] for p in parts) for parts, total in groups
                     if total == here and max(parts) < here), None)
    return check, forced


def _joined(values: list[str], rng: random.Random) -> str:
    mode = rng.choice(["none", "some", "some", "all"])
    text = values[0]
    for value in values[1:]:
        space = mode == "all" or (mode == "some" and rng.random() < 0.35)
        text += (" " if space else "") + value
    return text


def table(grid: GridTable, rng: random.Random) -> tuple[list[str], set[str]]:
    glue = "" if rng.random() < 0.7 else " "
    lines = [glue.join(s.text for s in row.slots if isinstance(s, Span)) for row in grid.header]
    rule = row_total(grid.spec)
    cuts: dict[str, list[list[int]]] = {}
    for row in grid.body:
        label = glue.join(s.text for s in row.slots if isinstance(s, Span))
        values = [v or "" for v in row.values]
        digits = " ".join(values) if rule is None else _joined(values, rng)
        lines.append(f"{label}{rng.choice(['', ' '])}{digits}")
        if rule is not None:
            check, forced = identity(rule, row)
            found = splits(digits.split(), len(values), check, stop=READINGS + 1, forced=forced)
            cuts.update((r, found) for r in row.rows)
    settled = _settled(grid.spec, cuts)
    return lines, {r for r, found in cuts.items() if len(found) != 1 and r not in settled}


def _settled(spec: TableSpec, cuts: dict[str, list[list[int]]]) -> set[str]:
    """Rows cut several ways that keep the row total, which table 三's column identities (tables.yaml:
    incoming = outgoing, the results' total = the results) leave one way: every combination of the
    open rows' cuts that keeps both gives them the same cells."""
    if "balance" not in table_facts().get(spec.key, {}):
        return set()
    incoming, outgoing, total, results = balance(spec)
    known = {r: found[0] for r, found in cuts.items() if len(found) == 1}
    open_rows = {r: found for r, found in cuts.items() if 1 < len(found) <= READINGS}
    usable = [(a, b) for a, b in ((incoming, outgoing), ([total], results))
              if all(r in known or r in open_rows for r in a + b)]
    rows = sorted({r for a, b in usable for r in a + b if r in open_rows})
    if not rows or prod(len(open_rows[r]) for r in rows) > COMBINATIONS:
        return set()

    def keeps(chosen: dict[str, list[int]]) -> bool:
        return all(sum(chosen[r][c] for r in a) == sum(chosen[r][c] for r in b)
                   for a, b in usable for c in range(len(spec.columns)))

    fits = [combo for combo in product(*(open_rows[r] for r in rows)) if keeps({**known, **dict(zip(rows, combo))})]
    return {r for n, r in enumerate(rows) if fits and all(f[n] == fits[0][n] for f in fits)}


#: What a crawler may leave between two paragraphs or rows it ran together.
JOINS = ("", "", "", " ", "\u3000")
#: Page furniture a crawler keeps above the body ({n}: a number, {date}: the publication date).
PAGE_LINES = ("发布时间：{date} 来源：{body} 浏览次数：{n}", "{date} 来源：{body}  【字体：大 中 小】 【打印】")


def render(document: Document, rng: random.Random) -> Rendered:
    written = write(document, rng, table)
    titles = next(n for n, b in enumerate(document.blocks) if not (isinstance(b, Prose) and b.kind == "title"))
    lines = [line for line in written.text.split("\n") if line]
    header, pieces = lines[:titles], lines[titles:]
    if rng.random() < 0.5:
        spec = document.spec
        header.append(rng.choice(PAGE_LINES).format(date=f"{spec.year + 1}-01-{rng.randint(10, 31)}",
                                                    body=spec.body, n=rng.randint(10, 9999)))
    cuts = sorted(rng.sample(range(1, len(pieces)), min(len(pieces) - 1, rng.choice([0, 0, 0, 1, 2]))))
    body = ["".join(_run(pieces[a:b], rng)) for a, b in zip([0, *cuts], [*cuts, len(pieces)])]
    return Rendered("\n".join(header + body) + "\n", written.unreadable)


def _run(pieces: list[str], rng: random.Random) -> list[str]:
    """Paragraphs and rows as a crawler runs them together."""
    return [piece + (rng.choice(JOINS) if n + 1 < len(pieces) else "") for n, piece in enumerate(pieces)]

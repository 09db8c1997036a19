"""required — something the format requires is there: sections, headings, tables, rows, cells, contact
details, the statistical period; and nothing the parser could not read or place is left unsaid.

Options: ``what`` (one of the subjects below) and ``items`` (which ones; all when omitted).

=================  =========================================  ===================================
``what``           one instance per                           holds when
=================  =========================================  ===================================
``sections``       section of the format (``items``: 一 … 六)  the section is present
``section_order``  report (when every section was found)      the sections are in order
``headings``       section present                            its heading is the official wording
``tables``         table of the format (``items``: 三, 四 …)   some row of it was found
``rows``           table found                                no row of it is missing
``unreadable``     table found                                every row found could be read
``warnings``       warning the parser gave                    (never: each is reported)
``cells``          row found (``items``: tables)              no cell of it is blank
``contact``        detail (``items``: 地址 邮编 电话 电子邮箱    it is given
                   传真 网站)
``period``         report                                     a statistical period is stated
=================  =========================================  ===================================

``cells`` gives one finding per blank cell.

Example::

    check:
      type: required
      what: contact
      items: [地址, 邮编, 电话, 电子邮箱]

Message placeholders: ``item`` (the section, table or
detail), ``heading`` (official), ``written`` (as written), ``missing`` (rows or cells, listed),
``count``, ``warning``, ``section``, ``table``, ``row``, ``column``.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator

from ...facts import Facts, Operand
from ...formats import Format
from ...model import Location, Unread
from ...text import key
from ..errors import OptionError, did_you_mean
from ..formula import Node, parse
from ..rule import CannotCheck, Instance
from . import tabular

OPTIONS = {"what": tabular.REQUIRED, "items": None}
PLACEHOLDERS = ("item", "heading", "written", "missing", "count", "warning", "section", "table", "row", "column")

#: Contact details by the names rules use, with the parser's keys.
CONTACT = {"地址": "address", "邮编": "postcode", "电话": "phone", "电子邮箱": "email", "传真": "fax",
           "网站": "website"}

_PRESENT = "有"
_COUNT = "数量"


#: Where an instance is, as :class:`~engine.model.Location`'s fields (section, table, row, column, line,
#: quote): the Location is made only for a finding (see :class:`~engine.rules.rule.Instance`).
Place = tuple[str | None, str | None, str | None, str | None, int | None, str | None]


def _place(section: str | None = None, table: str | None = None, line: int | None = None,
           quote: str | None = None) -> Place:
    return section, table, None, None, line, quote


def _instance(key_: str, value: int, place: Place, unread: Unread | None = None, **context) -> Instance:
    """``unread``: the text shows the thing although it was not read; absent, it is not checked (the
    reason says why), never reported missing."""
    context = {"expected": "有", "actual": "有" if value else "无", **context}
    operand = Operand.missing(unread.reason, unread.line) if unread and not value else Operand(value, None, place[4])
    return Instance(key_, {_PRESENT: operand}, place, context, subject=context.get("item"))


def _count(key_: str, value: int, place: Place, **context) -> Instance:
    return Instance(key_, {_COUNT: Operand(value, None, place[4])}, place, context, subject=context.get("warning"))


def _sections(facts: Facts, items: list[str]) -> Iterator[Instance]:
    for spec in facts.format.sections if facts.format else ():
        if spec.number in items:
            found = facts.report.section(spec.number)
            line = found.line if found else None
            yield _instance(spec.number, int(found is not None), _place(spec.number, line=line),
                            facts.report.unread.get(f"section:{spec.number}"),
                            item=spec.number, heading=spec.heading, section=spec.number)


def _section_order(facts: Facts, items: list[str]) -> Iterator[Instance]:
    """The order is compared only when every heading was found: with one missing (or not read) there is
    no knowing where it stands, and a missing section is a finding of its own."""
    order = [s.number for s in facts.format.sections] if facts.format else []
    found = [s.number for s in facts.report.sections if s.number in order]
    place = _place(line=facts.report.sections[0].line if found else None)
    missing = [n for n in order if n not in found]
    if missing:
        problem = f"未找到第{'、'.join(missing)}部分的标题，各部分的顺序无从比较"
        yield Instance("order", {_PRESENT: Operand.missing(problem, place[4])}, place)
        return
    yield _instance("order", int(found == order), place, written="、".join(found))


def _headings(facts: Facts, items: list[str]) -> Iterator[Instance]:
    for spec in facts.format.sections if facts.format else ():
        found = facts.report.section(spec.number)
        if found is not None and spec.number in items:
            place = _place(spec.number, line=found.line, quote=facts.report.line_text(found.line, around=found.title))
            yield _instance(spec.number, int(key(found.title) == key(spec.title)), place, item=spec.number,
                            heading=spec.heading, written=f"{spec.number}、{found.title}", section=spec.number)


def _tables(facts: Facts, items: list[str]) -> Iterator[Instance]:
    for name, spec in facts.format.tables.items() if facts.format else ():
        if name in items:
            table = facts.report.tables.get(name)
            present = table is not None and table.present
            yield _instance(name, int(present), _place(spec.section, name, table.line if table else None),
                            facts.report.unread.get(f"table:{name}"), item=name, heading=spec.title, table=name, section=spec.section)


def _found_tables(facts: Facts, items: list[str]):
    for name, spec in facts.format.tables.items() if facts.format else ():
        table = facts.report.tables.get(name)
        if name in items and table is not None and table.present:
            yield name, spec, table


def _groups_named(spec, missing: list[str]) -> list[str]:
    """Missing rows in the format's order for a message, a wholly missing group named once
    (（三）不予公开 rather than its eight rows)."""
    named: list[str] = []
    for row in spec.rows:
        if row.label not in missing:
            continue
        group = next((g for g in row.parents if all(r.label in missing for r in spec.rows if g in r.parents)), None)
        name = group or row.label
        if name not in named:
            named.append(name)
    return named


def _rows(facts: Facts, items: list[str]) -> Iterator[Instance]:
    for name, spec, table in _found_tables(facts, items):
        yield _count(name, len(table.missing_rows), _place(spec.section, name, table.line), item=name, table=name, section=spec.section,
                     count=len(table.missing_rows), missing="、".join(_groups_named(spec, table.missing_rows)))


def _unreadable(facts: Facts, items: list[str]) -> Iterator[Instance]:
    for name, spec, table in _found_tables(facts, items):
        yield _count(name, len(table.unreadable_rows), _place(spec.section, name, table.line), item=name, table=name, section=spec.section,
                     count=len(table.unreadable_rows), missing="、".join(table.unreadable_rows))


def _warnings(facts: Facts, items: list[str]) -> Iterator[Instance]:
    for number, warning in enumerate(facts.report.warnings):
        place = _place(line=warning.line, quote=facts.report.line_text(warning.line) or None)
        yield _count(f"{warning.code}:{warning.line}:{number}", 1, place, warning=warning.message,
                     item=warning.code)


def _cells(facts: Facts, items: list[str]) -> Iterator[Instance]:
    # Every row of every table is an instance here, of every report: the location stays a tuple until
    # the row has a blank cell (see Instance), the cells are read row by row as the table holds them,
    # and what only a row with a blank cell needs (where each blank is, its quote) is made for those
    # rows alone.
    for name, spec, table in _found_tables(facts, items):
        columns = table.column_labels
        unreadable = table.unreadable_rows
        for row, cells in zip(table.row_labels, table.cells):
            if row in unreadable:  # which of its cells are blank is not known: not checked, never passed
                problem = f"表{name}「{row}」行无法读取"
                yield Instance(f"{name}/{row}", {_COUNT: Operand.missing(problem, table.line)},
                               Location(section=spec.section, table=name, row=row, line=table.line))
                continue
            if not any(cells):  # a missing row (every cell None) is reported by ``rows``, not as blank cells
                continue
            line = next((cell.line for cell in cells if cell is not None and cell.line), table.line)
            blank = [(column, cell) for column, cell in zip(columns, cells) if cell is not None and cell.value is None]
            details: tuple[Location, ...] = ()
            if blank:
                written = row.split()[-1]  # the leaf label, as the line writes it (1.属于国家秘密)
                details = tuple(Location(section=spec.section, table=name, row=row, column=column,
                                         line=cell.line or line,
                                         quote=facts.report.line_text(cell.line or line, around=written))
                                for column, cell in blank)
            yield Instance(f"{name}/{row}", {_COUNT: Operand(len(blank), None, line)},
                           (spec.section, name, row, None, line),
                           {"table": name, "row": row, "section": spec.section, "count": len(blank),
                            "missing": "、".join(c for c, _ in blank), "expected": "数字", "actual": "空白"},
                           details)


def _contact(facts: Facts, items: list[str]) -> Iterator[Instance]:
    for name in items:
        found = facts.report.contact.get(CONTACT[name])
        line = found.line if found else None
        quote = facts.report.line_text(line, around=found.value if found else None) or None
        yield _instance(name, int(found is not None), _place(line=line, quote=quote),
                        facts.report.unread.get(f"contact:{CONTACT[name]}"), item=name)


def _period(facts: Facts, items: list[str]) -> Iterator[Instance]:
    period = facts.report.period
    line = period.line if period else None
    yield _instance("period", int(period is not None), _place(line=line, quote=period.text if period else None),
                    facts.report.unread.get("period"))


#: Subject → (instances, the assertion, the items it accepts from the format or a fixed list).
SUBJECTS: dict[str, tuple[Callable[[Facts, list[str]], Iterator[Instance]], str,
                          Callable[[Format], list[str]]]] = {
    "sections": (_sections, "有 == 1", lambda f: [s.number for s in f.sections]),
    "section_order": (_section_order, "有 == 1", lambda f: []),
    "headings": (_headings, "有 == 1", lambda f: [s.number for s in f.sections]),
    "tables": (_tables, "有 == 1", lambda f: list(f.tables)),
    "rows": (_rows, "数量 == 0", lambda f: list(f.tables)),
    "unreadable": (_unreadable, "数量 == 0", lambda f: list(f.tables)),
    "warnings": (_warnings, "数量 == 0", lambda f: []),
    "cells": (_cells, "数量 == 0", lambda f: list(f.tables)),
    "contact": (_contact, "有 == 1", lambda f: list(CONTACT)),
    "period": (_period, "有 == 1", lambda f: []),
}


#: Subject → what it requires, for the rule catalogue.
DESCRIPTIONS = {"sections": "格式规定的各部分", "section_order": "各部分按一至六的顺序排列",
                "headings": "各部分标题使用格式规定的文字", "tables": "格式规定的各表", "rows": "表格的每一行",
                "unreadable": "表格的每一行都能准确读取", "warnings": "报告的全部内容都能读取",
                "cells": "应填数字的单元格都有数字", "contact": "联系方式", "period": "统计期限"}


class RequiredCheck:
    def __init__(self, what: str, items: list[str] | None, formats: list[Format]) -> None:
        self.what = what
        self.items = {f.name: items if items is not None else SUBJECTS[what][2](f) for f in formats}
        self.formula: Node = parse(SUBJECTS[what][1])

    def assertions(self, format_name: str) -> dict[str, Node]:
        return {"main": self.formula}

    def describe(self) -> str:
        items = next(iter(self.items.values()), [])
        return f"应有：{DESCRIPTIONS[self.what]}" + (f"（{'、'.join(items)}）" if items else "")

    def instances(self, facts: Facts) -> Iterator[Instance]:
        items = self.items.get(facts.report.format or "")
        if items is None:
            raise CannotCheck("未能确定报告使用的格式" if facts.report.format is None
                                      else f"规则不适用于{facts.report.format}年格式")
        yield from SUBJECTS[self.what][0](facts, items)


def configure(options: dict, formats: list[Format]) -> RequiredCheck:
    what = str(options["what"])
    if what not in SUBJECTS:
        raise OptionError("what", f"未知的 what“{what}”，可用：{'、'.join(SUBJECTS)}", did_you_mean(what, SUBJECTS))
    items = options["items"]
    if items is not None:
        if not isinstance(items, list):
            raise OptionError("items", "items 应为列表")
        items = [str(i) for i in items]
        for fmt in formats:
            known = SUBJECTS[what][2](fmt)
            for item in items:
                if item not in known:
                    raise OptionError("items", f"{what} 没有“{item}”（{fmt.name}年格式），可用：{'、'.join(known)}",
                                      did_you_mean(item, known))
    return RequiredCheck(what, items, formats)

"""What the table-based kinds (total, compare, expression) share: reading the options that choose a
table and what to iterate over, resolving every name of a formula in every format the rule applies to,
and turning each row, column or cell into an :class:`~engine.rules.rule.Instance`.

Options: ``table`` (``三``, ``四``, ``二(一)`` …; a list of tables checks each in the formats that have
it; omit for report-level rules), ``for_each`` (``row``, ``column``, ``cell`` or ``table``: one instance
for the whole table), ``rows`` / ``columns`` (only these; a row group such as ``（三）不予公开`` stands
for its numbered rows), ``except_rows`` / ``except_columns``, and ``column_kinds`` (only columns of
these kinds: count, signed, amount).

Message placeholders of every table-based kind: :data:`PLACEHOLDERS`; ``heading`` is the table's
official title (``第二十条第（六）项``), so that one message serves every table of a list.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from ...facts import Facts
from ...formats import KINDS, Format
from ..errors import OptionError, did_you_mean
from ..formula import FormulaError, Node, is_condition, parse, refs
from ..rule import CannotCheck, Instance, Instances
from ..scope import OVER, CellName, Name, Selection, resolve, select

#: Marks an option the rule must write.
REQUIRED = object()

PLACEHOLDERS = ("table", "heading", "row", "column", "expected", "actual", "formula")

OPTIONS = {"table": None, "for_each": "table", "rows": None, "columns": None, "except_rows": (),
           "except_columns": (), "column_kinds": None}


def _labels(value, option: str) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, (str, int)) for v in value):
        raise OptionError(option, f"{option} 应为名称的列表")
    return [str(v) for v in value]


def _select(spec, kind: str, options: dict, option: str, fmt: Format) -> list[str]:
    names = _labels(options[option], option)
    if names is None and option.startswith("except"):
        return []
    try:
        return select(spec, kind, names, spec.key, fmt)
    except OptionError as error:
        raise OptionError(option, error.message, error.suggestion) from None


def tables(options: dict, formats: list[Format]) -> dict[str, list[str | None]]:
    """The tables a rule checks, by format: the one it names (every format must have it), each of a
    list that the format has (二(九) is in the 2019 format only), or none for report-level rules."""
    table = options["table"]
    if not isinstance(table, list):
        return {fmt.name: [None if table is None else str(table)] for fmt in formats}
    listed = _labels(table, "table") or []
    if not listed:
        raise OptionError("table", "table 的列表中至少要写一张表")
    known = list(dict.fromkeys(name for fmt in formats for name in fmt.tables))
    for name in listed:
        if name not in known:
            raise OptionError("table", f"未知的表“{name}”（{'、'.join(f.name for f in formats)}年格式）",
                              did_you_mean(name, known))
    found = {fmt.name: [name for name in listed if name in fmt.tables] for fmt in formats}
    for name, names in found.items():
        if not names:
            raise OptionError("table", f"所列的表都不在{name}年格式中；请用 applies_to 限定格式")
    return found


def selection(options: dict, fmt: Format, table: str | None) -> Selection:
    """The rows and columns a rule iterates over in one table (or none) of ``fmt``, from its options."""
    over = options["for_each"]
    if over not in OVER:
        raise OptionError("for_each", f"for_each 只能是 {'、'.join(OVER)}", did_you_mean(str(over), OVER))
    if table is None:
        if over != "table":
            raise OptionError("for_each", f"for_each: {over} 需要同时写明 table")
        return Selection("", over, (), ())
    spec = fmt.tables.get(table)
    if spec is None:
        raise OptionError("table", f"未知的表“{table}”（{fmt.name}年格式）", did_you_mean(table, fmt.tables))
    kinds = _labels(options["column_kinds"], "column_kinds")
    for kind in kinds or ():
        if kind not in KINDS:
            raise OptionError("column_kinds", f"未知的列类型“{kind}”", did_you_mean(kind, KINDS))
    rows = _select(spec, "行", options, "rows", fmt)
    columns = _select(spec, "列", options, "columns", fmt)
    drop_rows = set(_select(spec, "行", options, "except_rows", fmt))
    drop_columns = set(_select(spec, "列", options, "except_columns", fmt))
    columns = [c for c in columns if c not in drop_columns
               and (kinds is None or spec.column(c).kind in kinds)]
    return Selection(spec.key, over, tuple(r for r in rows if r not in drop_rows), tuple(columns))


def names(formula: Node, fmt: Format, chosen: Selection, option: str, text: str) -> dict[str, Name]:
    """Every name of ``formula`` resolved in ``fmt``; a bad name is reported at its place in the text."""
    resolved = {}
    for ref in refs(formula):
        try:
            resolved[ref.text] = resolve(ref, fmt, chosen.table or None, chosen.over)
        except OptionError as error:
            raise OptionError(option, error.message, error.suggestion, offset=ref.offset) from None
    return resolved


@dataclass(frozen=True, eq=False)
class Plan:
    """A table-based check in one table of one format: what to iterate over, the assertion, what each
    name reads. ``shape`` names the assertion among the rule's (one per table of a ``table:`` list)."""

    selection: Selection
    formula: Node
    names: dict[str, Name]
    text: str
    section: str | None
    heading: str | None
    shape: str

    @cached_property
    def reads(self) -> list[tuple[str, tuple, tuple[tuple[str, Name, tuple | None], ...]]]:
        """Each item's key, its place (section, table, row, column) and what each name of the formula
        reads for it: the cell, worked out here once per rule and format instead of for every report
        (None for report-level names)."""
        return [(item.key, (self.section, item.table or None, item.row, item.column),
                 tuple((text, name, name.where(item) if isinstance(name, CellName) else None)
                       for text, name in self.names.items()))
                for item in self.selection.items()]

    @cached_property
    def cells(self) -> list[tuple[tuple, ...]] | None:
        """The cell each name reads for each item, where every name of the formula is a cell (all but
        the report-level rules), else None: the operands of all items are then read in one go."""
        if not all(where is not None for _, _, reads in self.reads for _, _, where in reads):
            return None
        return [tuple(where for _, _, where in reads) for _, _, reads in self.reads]

    def instances(self, facts: Facts) -> Iterator[Instance | Instances]:
        table = facts.report.tables.get(self.selection.table)
        table_line = table.line if table else None
        context = {"formula": self.text, "heading": self.heading}
        cell, shape, names = facts.cell, self.shape, tuple(self.names)
        if self.cells is not None:
            reads = [tuple(map(cell, wheres)) for wheres in self.cells]

            def make(index: int) -> Instance:
                key, place, _ = self.reads[index]
                # Its line is that of the first operand that has one (Operand is a named tuple: [2]).
                line = next((operand[2] for operand in reads[index] if operand[2]), None)
                return Instance(key, dict(zip(names, reads[index])), (*place, line or table_line), context, (),
                                shape)
            yield Instances(shape, names, reads, make)
            return
        for key, place, reads in self.reads:
            operands = {}
            line = None
            for text, name, where in reads:
                operand = operands[text] = name.read(facts, None) if where is None else cell(where)
                line = line or operand[2]
            yield Instance(key, operands, (*place, line or table_line), context, (), shape)


class TableCheck:
    """The validated options of a table-based kind: the :class:`Plan` of each table it checks, for each
    format the rule applies to."""

    def __init__(self, plans: dict[str, list[Plan]]) -> None:
        self.plans = plans

    def assertions(self, format_name: str) -> dict[str, Node]:
        return {plan.shape: plan.formula for plan in self.plans[format_name]}

    def describe(self) -> str:
        """What the check asserts, in the words of the rule file (for the rule catalogue)."""
        plans = max(self.plans.values(), key=len)
        where = {"row": "逐行", "column": "逐列", "cell": "逐格"}.get(plans[0].selection.over, "")
        names = "、".join(plan.selection.table for plan in plans if plan.selection.table)
        return f"表{names}{where}：{plans[0].text}" if names else plans[0].text

    def instances(self, facts: Facts) -> Iterator[Instance | Instances]:
        plans = self.plans.get(facts.report.format or "")
        if plans is None:
            raise CannotCheck("未能确定报告使用的格式" if facts.report.format is None
                              else f"规则不适用于{facts.report.format}年格式")
        for plan in plans:
            yield from plan.instances(facts)


def plans(options: dict, formats: list[Format], build) -> TableCheck:
    """Run ``build(options, fmt, selection) -> (formula, option, text)`` for each table and format."""
    result: dict[str, list[Plan]] = {}
    several = isinstance(options["table"], list)
    by_format = tables(options, formats)
    for fmt in formats:
        result[fmt.name] = []
        for table in by_format[fmt.name]:
            chosen = selection(options, fmt, table)
            formula, option, text = build(options, fmt, chosen)
            spec = fmt.tables.get(chosen.table)
            result[fmt.name].append(Plan(chosen, formula, names(formula, fmt, chosen, option, text), text,
                                         spec.section if spec else None, spec.title if spec else None,
                                         chosen.table if several else "main"))
    return TableCheck(result)


def parse_formula(options: dict, option: str) -> tuple[Node, str]:
    """The formula written under ``option``; an ``assert`` must be a comparison."""
    text = options[option]
    if not isinstance(text, (str, int)):
        raise OptionError(option, f"{option} 应为公式文字")
    try:
        formula = parse(str(text))
    except FormulaError as error:
        raise OptionError(option, f"公式错误：{error.message}", offset=error.offset) from None
    if option == "assert" and not is_condition(formula):
        raise OptionError(option, "assert 应为比较（例如 总计 == 自然人 + 其他），而不是一个数")
    return formula, str(text)


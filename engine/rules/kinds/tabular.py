"""What the table-based kinds (total, compare, expression) share: reading the options that choose a
table and what to iterate over, resolving every name of a formula in every format the rule applies to,
and turning each row, column or cell into an :class:`~engine.rules.rule.Instance`.

Options: ``table`` (``三``, ``四``, ``二(一)`` …; omit for report-level rules), ``for_each`` (``row``,
``column``, ``cell`` or ``table``: one instance for the whole table), ``rows`` / ``columns`` (only these;
a row group such as ``（三）不予公开`` stands for its numbered rows), ``except_rows`` /
``except_columns``, and ``column_kinds`` (only columns of these kinds: count, signed, amount).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from ...facts import Facts
from ...formats import KINDS, Format
from ..errors import OptionError, did_you_mean
from ..formula import FormulaError, Node, is_condition, parse, refs
from ..rule import CannotCheck, Instance
from ..scope import OVER, CellName, Item, Name, Selection, resolve, select

#: Marks an option the rule must write.
REQUIRED = object()

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


def selection(options: dict, fmt: Format) -> Selection:
    """The rows and columns a rule iterates over in ``fmt``, from its options."""
    table, over = options["table"], options["for_each"]
    if over not in OVER:
        raise OptionError("for_each", f"for_each 只能是 {'、'.join(OVER)}", did_you_mean(str(over), OVER))
    if table is None:
        if over != "table":
            raise OptionError("for_each", f"for_each: {over} 需要同时写明 table")
        return Selection("", over, (), ())
    spec = fmt.tables.get(str(table))
    if spec is None:
        raise OptionError("table", f"未知的表“{table}”（{fmt.name}年格式）", did_you_mean(str(table), fmt.tables))
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
    """A table-based check in one format: what to iterate over, the assertion, what each name reads."""

    selection: Selection
    formula: Node
    names: dict[str, Name]
    text: str
    section: str | None

    @cached_property
    def reads(self) -> list[tuple[Item, tuple[tuple[str, Name, tuple | None], ...]]]:
        """Each item with what each name of the formula reads for it: the cell, worked out here once
        per rule and format instead of for every report (None for report-level names)."""
        return [(item, tuple((text, name, name.where(item) if isinstance(name, CellName) else None)
                             for text, name in self.names.items()))
                for item in self.selection.items()]


class TableCheck:
    """The validated options of a table-based kind: one :class:`Plan` per format the rule applies to."""

    def __init__(self, plans: dict[str, Plan]) -> None:
        self.plans = plans

    def assertions(self, format_name: str) -> dict[str, Node]:
        return {"main": self.plans[format_name].formula}

    def describe(self) -> str:
        """What the check asserts, in the words of the rule file (for the rule catalogue)."""
        plan = next(iter(self.plans.values()))
        where = {"row": "逐行", "column": "逐列", "cell": "逐格"}.get(plan.selection.over, "")
        table = f"表{plan.selection.table}{where}：" if plan.selection.table else ""
        return f"{table}{plan.text}"

    def instances(self, facts: Facts) -> Iterator[Instance]:
        plan = self.plans.get(facts.report.format or "")
        if plan is None:
            raise CannotCheck("未能确定报告使用的格式" if facts.report.format is None
                              else f"规则不适用于{facts.report.format}年格式")
        table = facts.report.tables.get(plan.selection.table)
        table_line = table.line if table else None
        context = {"formula": plan.text}
        cell_at = facts.cell_at
        for item, reads in plan.reads:
            operands = {}
            line = None
            for text, name, where in reads:
                operand = operands[text] = name.read(facts, item) if where is None else cell_at(where)
                line = line or operand.line
            yield Instance(item.key, operands, (plan.section, item.table or None, item.row, item.column,
                                                line or table_line), context)


def plans(options: dict, formats: list[Format], build) -> TableCheck:
    """Run ``build(options, fmt, selection) -> (formula, option, text)`` for each format."""
    result = {}
    for fmt in formats:
        chosen = selection(options, fmt)
        formula, option, text = build(options, fmt, chosen)
        spec = fmt.tables.get(chosen.table)
        result[fmt.name] = Plan(chosen, formula, names(formula, fmt, chosen, option, text), text,
                                spec.section if spec else None)
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


"""expression — the escape hatch: any assertion over the cells and report values, with named steps.

Options: ``assert`` (a comparison that must hold; ``and`` / ``or`` combine comparisons), ``let`` (names
for sub-formulas used in ``assert``), and the table options ``table``, ``for_each`` (``row``,
``column``, ``cell`` — the cell is ``值`` — or ``table``), ``rows``, ``columns``, ``except_rows``,
``except_columns``, ``column_kinds`` (for example only ``count`` columns, so that the signed
``本年增/减`` may be negative). Without ``table`` the rule reads report-level names (``年度``,
``格式``, ``规定格式``, ``统计期限.起始年`` …) and cells named in full (``三.本年新收.总计``).

Example::

    check:
      type: expression
      let: {收到: 本年新收 + 上年结转, 办结: 办理结果总计 + 结转下年度}
      table: 三
      for_each: column
      assert: 收到 == 办结

Message placeholders: ``table``, ``heading`` (the table's official title), ``row``, ``column``,
``expected`` and ``actual`` (the two sides of the assertion when it is one comparison), ``formula``.
"""
from __future__ import annotations

from ...formats import Format
from ..errors import OptionError
from ..formula import Arith, Call, Compare, Logic, Neg, Node, Num, Ref
from ..scope import Selection
from . import tabular

OPTIONS = {**tabular.OPTIONS, "assert": tabular.REQUIRED, "let": {}}
PLACEHOLDERS = tabular.PLACEHOLDERS


def substitute(node: Node, steps: dict[str, Node]) -> Node:
    """``node`` with every ``let`` name replaced by its formula."""
    if isinstance(node, Ref) and len(node.path) == 1 and node.path[0] in steps:
        return steps[node.path[0]]
    if isinstance(node, (Ref, Call, Num)):
        return node
    if isinstance(node, Neg):
        return Neg(substitute(node.operand, steps))
    kind = type(node)
    assert kind in (Arith, Compare, Logic)
    return kind(node.op, substitute(node.left, steps), substitute(node.right, steps))


def _formula(options: dict, fmt: Format, chosen: Selection) -> tuple[Node, str, str]:
    steps: dict[str, Node] = {}
    let = options["let"] or {}
    if not isinstance(let, dict):
        raise OptionError("let", "let 应为“名称: 公式”的映射")
    for name, text in let.items():
        node, _ = tabular.parse_formula({"let": text}, "let")
        steps[str(name)] = substitute(node, steps)
    formula, text = tabular.parse_formula(options, "assert")
    if let:
        text += "（其中 " + "；".join(f"{name} = {step}" for name, step in let.items()) + "）"
    return substitute(formula, steps), "assert", text


def configure(options: dict, formats: list[Format]) -> tabular.TableCheck:
    return tabular.plans(options, formats, _formula)

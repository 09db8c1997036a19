"""compare — two values relate: ``left`` ``op`` ``right``, each a formula, for each row, column or cell.

The usual use is across years: ``上年.`` in front of a name reads the same cell of the prior-year report
of the same body, found among the audited inputs.

Options: ``left``, ``right`` (formulas), ``op`` (``==`` by default; ``!=``, ``<``, ``<=``, ``>``,
``>=``), and the table options ``table``, ``for_each``, ``rows``, ``columns``, ``except_rows``,
``except_columns``, ``column_kinds``.

Example::

    check:
      type: compare
      table: 三
      for_each: column
      left: 上年结转
      right: 上年.结转下年度

Message placeholders: ``table``, ``heading`` (the table's official title), ``row``, ``column``,
``expected`` (right), ``actual`` (left), ``formula``.
"""
from __future__ import annotations

from ...formats import Format
from ..errors import OptionError, did_you_mean
from ..formula import COMPARISONS, Compare, Node
from ..scope import Selection
from . import tabular

OPTIONS = {**tabular.OPTIONS, "left": tabular.REQUIRED, "right": tabular.REQUIRED, "op": "=="}
PLACEHOLDERS = tabular.PLACEHOLDERS


def _formula(options: dict, fmt: Format, chosen: Selection) -> tuple[Node, str, str]:
    op = str(options["op"])
    if op not in COMPARISONS:
        raise OptionError("op", f"op 只能是 {' '.join(COMPARISONS)}", did_you_mean(op, COMPARISONS))
    left, left_text = tabular.parse_formula(options, "left")
    right, right_text = tabular.parse_formula(options, "right")
    for name, node in (("left", left), ("right", right)):
        tabular.names(node, fmt, chosen, name, "")
    return Compare(op, left, right), "left", f"{left_text} {op} {right_text}"


def configure(options: dict, formats: list[Format]) -> tabular.TableCheck:
    return tabular.plans(options, formats, _formula)

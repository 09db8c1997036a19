"""total — a total equals the sum of its parts, for each row or each column of a table.

Options: ``table``; ``for_each``: ``row`` (the parts are columns) or ``column`` (the parts are rows);
``total``: the name of the total column or row; ``parts``: the names of the parts, where a row group
(``（三）不予公开``) stands for all its numbered rows, so one rule serves the 2019 format (where
``（六）其他处理`` is one row) and the 2021 format (where it has three); and the selection options
``rows``, ``columns``, ``except_rows``, ``except_columns``, ``column_kinds``.

Example::

    check:
      type: total
      table: 三
      for_each: row
      total: 总计
      parts: [自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他]

Message placeholders: ``table``, ``heading`` (the table's official title), ``row``, ``column``,
``expected`` (the sum of the parts), ``actual`` (the total as written), ``formula``.
"""
from __future__ import annotations

from ...formats import Format
from ..errors import OptionError
from ..formula import Arith, Compare, Node, Ref
from ..scope import Selection, select
from . import tabular

OPTIONS = {**tabular.OPTIONS, "for_each": "row", "total": tabular.REQUIRED, "parts": tabular.REQUIRED}
PLACEHOLDERS = tabular.PLACEHOLDERS


def _labels(spec, kind: str, names: list[str], fmt: Format, option: str) -> list[str]:
    try:
        return select(spec, kind, names, spec.key, fmt)
    except OptionError as error:
        raise OptionError(option, error.message, error.suggestion) from None


def _formula(options: dict, fmt: Format, chosen: Selection) -> tuple[Node, str, str]:
    if chosen.over not in ("row", "column"):
        raise OptionError("for_each", "total 检查的 for_each 只能是 row 或 column")
    spec = fmt.tables[chosen.table]
    kind = "列" if chosen.over == "row" else "行"
    parts = options["parts"]
    if not isinstance(parts, list) or not parts:
        raise OptionError("parts", "parts 应为名称的列表")
    total = _labels(spec, kind, [str(options["total"])], fmt, "total")[0]
    labels = _labels(spec, kind, [str(p) for p in parts], fmt, "parts")
    node: Node = Ref((labels[0],))
    for label in labels[1:]:
        node = Arith("+", node, Ref((label,)))
    text = f"{options['total']} == {' + '.join(str(p) for p in parts)}"
    return Compare("==", Ref((total,)), node), "parts", text


def configure(options: dict, formats: list[Format]) -> tabular.TableCheck:
    return tabular.plans(options, formats, _formula)

"""What a name in a formula means, and what a rule iterates over: the format YAML is the dictionary.

A rule that checks a table ``for_each: row`` reads each row's cells by column name (``总计``); one that
checks ``for_each: column`` reads each column's cells by row name (``本年新收``); ``for_each: cell``
reads the cell itself as ``值``. Anywhere, ``三.本年新收.总计`` names one cell, ``上年.`` in front of a
name reads the prior-year report, and the report-level names of :data:`engine.facts.SCALARS` (``年度``,
``格式`` …) are available. Names are checked against every format the rule applies to, so a rule that
names a 2021-only row and applies to 2019 reports is refused before anything runs.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

from ..facts import SCALARS, Facts, Operand
from ..formats import Format, RowSpec, TableSpec
from ..text import key
from .errors import OptionError, did_you_mean
from .formula import Call, Ref

OVER = ("row", "column", "cell", "table")
PRIOR = "上年"
CELL_VALUE = "值"


@dataclass(frozen=True, eq=False)
class Item:
    """What one instance is about: a row, a column or a cell of a table (labels are official)."""

    table: str
    row: str | None = None
    column: str | None = None

    @cached_property
    def key(self) -> str:
        return "/".join(p for p in (self.table, self.row, self.column) if p)


@dataclass(frozen=True)
class CellName:
    """A cell named in a formula: fixed labels, or None for 'the instance's row/column'."""

    table: str
    row: str | None
    column: str | None
    prior: bool = False

    def read(self, facts: Facts, item: Item | None) -> Operand:
        return facts.cell(self.where(item))

    def where(self, item: Item | None) -> tuple[str, str, str, bool]:
        """The cell this name reads for ``item``, as :meth:`engine.facts.Facts.cell` takes it."""
        row = self.row or (item.row if item else None)
        column = self.column or (item.column if item else None)
        return self.table, row, column, self.prior


@dataclass(frozen=True)
class ScalarName:
    name: str
    prior: bool = False

    def read(self, facts: Facts, item: Item | None) -> Operand:
        return facts.scalar(self.name, prior=self.prior)


Name = CellName | ScalarName


def _names(specs) -> list[str]:
    return [n for spec in specs for n in spec.names]


def _find(kind: str, specs, lookup, name: str, table: str, fmt: Format):
    found = lookup(name)
    if found is None:
        # An alias is what reports write (社会组织); rule authors are pointed to the label or short name.
        near = did_you_mean(name, _names(specs))
        spec = lookup(near) if near else None
        if spec is not None and near in spec.aliases:
            near = spec.short or spec.label
        raise OptionError("", f"未知的{kind}“{name}”（{fmt.name}年格式表{table}）", near)
    return found


def resolve(ref: Ref | Call, fmt: Format, table: str | None, over: str | None) -> Name:
    """The cell or report value a formula name stands for, in one format (raises :class:`OptionError`)."""
    if isinstance(ref, Call):
        raise OptionError("", f"这里不能使用函数 {ref.function}()：它只用于 pattern 检查的文字片段")
    path, prior = ref.path, False
    if path[0] == PRIOR and len(path) > 1:
        path, prior = path[1:], True
    text = ".".join(path)
    if text in SCALARS:
        return ScalarName(text, prior)
    if len(path) == 3:
        spec = fmt.tables.get(path[0])
        if spec is None:
            raise OptionError("", f"未知的表“{path[0]}”（{fmt.name}年格式）", did_you_mean(path[0], fmt.tables))
        row = _find("行", spec.rows, spec.row, path[1], path[0], fmt)
        column = _find("列", spec.columns, spec.column, path[2], path[0], fmt)
        return CellName(path[0], row.label, column.label, prior)
    spec = fmt.tables.get(table) if table else None
    if len(path) == 1 and spec is not None and over == "row":
        return CellName(table, None, _find("列", spec.columns, spec.column, path[0], table, fmt).label, prior)
    if len(path) == 1 and spec is not None and over == "column":
        return CellName(table, _find("行", spec.rows, spec.row, path[0], table, fmt).label, None, prior)
    if len(path) == 1 and over == "cell" and path[0] == CELL_VALUE:
        return CellName(table, None, None, prior)
    if len(path) == 2 and spec is not None and over != "cell":
        row = _find("行", spec.rows, spec.row, path[0], table, fmt)
        return CellName(table, row.label, _find("列", spec.columns, spec.column, path[1], table, fmt).label, prior)
    known = list(SCALARS)
    if spec is not None and over in ("row", "column"):
        known += _names(spec.columns if over == "row" else spec.rows)
    raise OptionError("", f"未知的名称“{text}”（应为表.行.列、本表的{'列' if over == 'row' else '行'}名或报告级名称）",
                      did_you_mean(text, known))


def expand_group(spec: TableSpec, name: str) -> list[RowSpec] | None:
    """The leaf rows under a row group (``（三）不予公开`` → its eight numbered rows), or the row itself
    when ``name`` is a row: so ``（六）其他处理`` is one row in 2019 and three in 2021."""
    row = spec.row(name)
    if row is not None:
        return [row]
    group = next((g for g in spec.groups if key(g) == key(name)), None)
    if group is None:
        return None
    return [r for r in spec.rows if group in r.parents]


def select(spec: TableSpec, kind: str, names: Iterable[str] | None, table: str, fmt: Format) -> list[str]:
    """Official labels of the rows or columns a rule names (all when ``names`` is None)."""
    specs = spec.rows if kind == "行" else spec.columns
    if names is None:
        return [s.label for s in specs]
    labels, unknown = [], []
    for name in names:
        if kind == "行" and (rows := expand_group(spec, name)) is not None:
            labels += [r.label for r in rows]
            continue
        try:
            labels.append(_find(kind, specs, spec.row if kind == "行" else spec.column, name, table, fmt).label)
        except OptionError as error:
            unknown.append((name, error))
    if len(unknown) == 1:
        raise unknown[0][1]
    if unknown:
        # Every misspelt name of the list in one problem, so that one pass of `rules check` shows them all.
        written = "、".join(f"“{name}”" for name, _ in unknown)
        near = "”、“".join(e.suggestion for _, e in unknown if e.suggestion) or None
        raise OptionError("", f"未知的{kind}{written}（{fmt.name}年格式表{table}）", near)
    return labels


@dataclass(frozen=True)
class Selection:
    """The rows and columns of one table a rule iterates over, in one format."""

    table: str
    over: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]

    def items(self) -> Iterator[Item]:
        if self.over == "row":
            yield from (Item(self.table, row=r) for r in self.rows)
        elif self.over == "column":
            yield from (Item(self.table, column=c) for c in self.columns)
        elif self.over == "cell":
            yield from (Item(self.table, r, c) for r in self.rows for c in self.columns)
        else:
            yield Item(self.table)

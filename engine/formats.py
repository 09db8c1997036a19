"""The official report formats, loaded from ``rules/formats/*.yaml``.

A format is data: its six section headings with the variants reports use, and each table's rows and
columns with their official labels, short names and aliases. The parser reads reports with it and the
rule validator checks every label a rule names against it. Adding a format year is adding a file.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from . import FORMATS_DIR
from .text import key
from .yamlsource import Node, Position, SourceError, load

#: Kinds of cell value a format column may declare.
KINDS = ("count", "signed", "amount")


class FormatError(SourceError):
    """A format file that cannot be used."""


@dataclass(frozen=True)
class ColumnSpec:
    label: str
    short: str | None = None
    aliases: tuple[str, ...] = ()
    kind: str = "count"

    @property
    def names(self) -> tuple[str, ...]:
        """Every way a rule or a report may name this column, official label first."""
        return tuple(n for n in (self.label, self.short, *self.aliases) if n)


@dataclass(frozen=True)
class RowSpec:
    """One row of a table. ``label`` is the official row label used everywhere in output: the leaf
    label, prefixed by its numbered group (``（三）不予公开 1.属于国家秘密``) where the leaf alone
    (``1.属于国家秘密``) is a numbered sub-row."""

    label: str
    leaf: str
    group: str | None = None
    parents: tuple[str, ...] = ()
    short: str | None = None
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(n for n in (self.label, self.short, *self.aliases) if n)


@dataclass(frozen=True)
class TableSpec:
    key: str
    title: str
    section: str
    columns: tuple[ColumnSpec, ...]
    rows: tuple[RowSpec, ...]
    stub: str | None = None
    layout: str = "rows"
    groups: tuple[str, ...] = ()
    column_groups: tuple[tuple[str, tuple[str, ...]], ...] = ()
    row_total: tuple[str, tuple[str, ...]] | None = None
    #: In every column: the rows of the first tuple add up to the rows of the second (official labels).
    column_totals: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()

    def row(self, name: str) -> RowSpec | None:
        """The row a label, short name or alias names (matching ignores width and punctuation)."""
        return _lookup(self.rows, name)

    def column(self, name: str) -> ColumnSpec | None:
        return _lookup(self.columns, name)

    @property
    def row_labels(self) -> list[str]:
        return [r.label for r in self.rows]

    @property
    def column_labels(self) -> list[str]:
        return [c.label for c in self.columns]


@dataclass(frozen=True)
class SectionSpec:
    number: str
    title: str
    variants: tuple[str, ...] = ()

    @property
    def heading(self) -> str:
        return f"{self.number}、{self.title}"


@dataclass(frozen=True)
class Format:
    name: str
    title: str
    notice: str
    first_year: int
    last_year: int | None
    sections: tuple[SectionSpec, ...]
    tables: dict[str, TableSpec] = field(hash=False)
    source: str = ""

    def covers(self, year: int) -> bool:
        """Whether reports of ``year`` are to use this format."""
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)


def _lookup(specs, name: str):
    wanted = key(name)
    for spec in specs:
        if any(key(n) == wanted for n in spec.names):
            return spec
    return None


def _require(node: Node, name: str, kind: type = str) -> Any:
    if not isinstance(node, Node) or name not in node:
        where = node.position if isinstance(node, Node) else Position("?", 1, 1)
        raise FormatError(where, f"缺少 {name}:")
    value = node[name]
    if not isinstance(value, kind):
        raise FormatError(node.where(name, value=True), f"{name} 应为 {kind.__name__}")
    return value


def _columns(node: Node) -> tuple[ColumnSpec, ...]:
    columns = []
    for item in _require(node, "columns", list):
        kind = item.get("kind", "count")
        if kind not in KINDS:
            raise FormatError(item.where("kind", value=True), f"kind 只能是 {'、'.join(KINDS)}")
        columns.append(ColumnSpec(label=str(_require(item, "label")), short=item.get("short"),
                                  aliases=tuple(item.get("aliases", ())), kind=kind))
    return tuple(columns)


def _rows(items: list, parents: tuple[str, ...], out: list[RowSpec], groups: list[str]) -> None:
    for item in items:
        if "group" in item:
            group = str(item["group"])
            groups.append(group)
            _rows(_require(item, "rows", list), parents + (group,), out, groups)
            continue
        leaf = str(_require(item, "label"))
        # A numbered sub-row (1.… under （三）…) is named with its group; a lettered row stands alone.
        group = parents[-1] if parents and leaf[:1].isdigit() else None
        label = f"{group} {leaf}" if group else leaf
        out.append(RowSpec(label=label, leaf=leaf, group=group, parents=parents,
                           short=item.get("short"), aliases=tuple(item.get("aliases", ()))))


def _row_total(node: Node) -> tuple[str, tuple[str, ...]] | None:
    total = node.get("row_total")
    if total is None:
        return None
    labels = {c["label"] for c in node["columns"]}
    for name in (total.get("column"), *total.get("parts", ())):
        if name not in labels:
            raise FormatError(node.where("row_total", value=True), f"row_total 中的列“{name}”不是本表的列")
    return str(total["column"]), tuple(str(p) for p in total["parts"])


def _column_totals(node: Node, rows: tuple[RowSpec, ...]) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    identities = []
    for item in node.get("column_totals", ()):
        sides = []
        for side in ("sum", "equals"):
            labels = []
            for name in _require(item, side, list):
                row = _lookup(rows, str(name))
                if row is None:
                    raise FormatError(item.where(side, value=True), f"column_totals 中的行“{name}”不是本表的行")
                labels.append(row.label)
            sides.append(tuple(labels))
        identities.append((sides[0], sides[1]))
    return tuple(identities)


def _table(name: str, node: Node) -> TableSpec:
    rows: list[RowSpec] = []
    groups: list[str] = []
    _rows(_require(node, "rows", list), (), rows, groups)
    spec = TableSpec(
        key=name, title=str(_require(node, "title")), section=str(_require(node, "section")),
        columns=_columns(node), rows=tuple(rows), stub=node.get("stub"),
        layout=node.get("layout", "rows"), groups=tuple(groups),
        column_groups=tuple((g["label"], tuple(g["columns"])) for g in node.get("column_groups", ())),
        row_total=_row_total(node), column_totals=_column_totals(node, tuple(rows)),
    )
    for kind, specs in (("row", spec.rows), ("column", spec.columns)):
        seen: dict[str, str] = {}
        for item in specs:
            for n in item.names:
                other = seen.setdefault(key(n), item.label)
                if other != item.label:
                    raise FormatError(node.where(), f"表{name}: 名称“{n}”同时指向{kind} {other} 和 {item.label}")
    return spec


def load_format(path: Path) -> Format:
    node = load(path)
    years = _require(node, "years", dict)
    sections = tuple(
        SectionSpec(number=str(_require(s, "number")), title=str(_require(s, "title")),
                    variants=tuple(s.get("variants", ())))
        for s in _require(node, "sections", list)
    )
    tables = {str(name): _table(str(name), spec) for name, spec in _require(node, "tables", dict).items()}
    return Format(name=str(_require(node, "format")), title=str(_require(node, "name")),
                  notice=str(_require(node, "notice")), first_year=int(years["from"]),
                  last_year=int(years["to"]) if "to" in years else None,
                  sections=sections, tables=tables, source=str(path))


@cache
def load_formats(directory: Path = FORMATS_DIR) -> dict[str, Format]:
    """Every format in ``directory``, by name, oldest first."""
    formats = [load_format(p) for p in sorted(directory.glob("*.yaml"))]
    return {f.name: f for f in sorted(formats, key=lambda f: f.first_year)}


def format_for_year(year: int, directory: Path = FORMATS_DIR) -> Format | None:
    """The format reports of ``year`` must use, if any format covers it."""
    return next((f for f in load_formats(directory).values() if f.covers(year)), None)

"""YAML files that remember where each value was written.

Rule files and format files are written by people at the disclosure office; every complaint about one
must name the file, line and column. :func:`load` returns ordinary dicts, lists and scalars, except that
mappings are :class:`Node` dicts which also know the position of each key and value.

A file is read only within bounds, so that no file can hang or exhaust the machine: nesting at most
:data:`MAX_DEPTH` deep (the composer recurses), at most :data:`MAX_NODES` values once aliases are counted
as the values they stand for (an alias bomb — "billion laughs" — multiplies a few lines into billions), and
only UTF-8 text (a binary file is named as such, not decoded into nonsense).

Where PyYAML has libyaml, the text is scanned and parsed in C (:func:`_c_events`) and composed and
constructed as always in Python, which keeps the bounds and the positions: the formats and wording
every command loads at start-up took four times as long through PyYAML's Python scanner. A file the C
parser refuses is read again with PyYAML's own, so that a syntax error is told exactly as before.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .os_reasons import os_reason
from .yaml_syntax import told

#: Deeper than any rule, format or settings file needs (they nest five or six levels).
MAX_DEPTH = 64
#: Values in one file, aliases expanded; the largest shipped rule file has under a thousand.
MAX_NODES = 100_000


def _c_events() -> type | None:
    """PyYAML's SafeLoader with libyaml's scanner and parser, where PyYAML was built with libyaml:
    PyYAML's Python composer comes first, so that :func:`_loader`'s bounds hold, fed C events (whose
    marks have line and column)."""
    if not yaml.__with_libyaml__:
        return None

    class CEvents(yaml.composer.Composer, yaml.cyaml.CParser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
        def __init__(self, stream: str) -> None:
            yaml.cyaml.CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

    return CEvents


_C_EVENTS = _c_events()

@dataclass(frozen=True)
class Position:
    """A place in a source file, 1-based as editors show it."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class Node(dict):
    """A YAML mapping that remembers where it, its keys and its values were written."""

    position: Position
    key_positions: dict[str, Position]
    value_positions: dict[str, Position]

    def where(self, name: str | None = None, *, value: bool = False) -> Position:
        """Position of key ``name`` (or of its value), or of the mapping itself."""
        if name is None:
            return self.position
        table = self.value_positions if value else self.key_positions
        return table.get(name, self.position)


class SourceError(ValueError):
    """A file the office wrote (rules, formats, settings) that cannot be used: the position of the
    problem and what is wrong, in one line the command line prints as it is."""

    def __init__(self, position: Position, message: str) -> None:
        super().__init__(f"{position} {message}")
        self.position = position
        self.message = message


def _position(file: str, mark: yaml.Mark) -> Position:
    return Position(file, mark.line + 1, mark.column + 1)


def _loader(file: str, base: type) -> type:
    class Loader(base):
        """Composes within :data:`MAX_DEPTH` and :data:`MAX_NODES`. ``sizes`` holds each composed node's
        size with its aliases expanded, so that an alias costs what it stands for."""

        depth = 0
        sizes: dict[int, int]

        def compose_document(self) -> yaml.Node:
            self.sizes = {}
            return super().compose_document()

        def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
            if self.check_event(yaml.AliasEvent):
                return super().compose_node(parent, index)
            start = _position(file, self.peek_event().start_mark)
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise SourceError(start, f"嵌套超过 {MAX_DEPTH} 层；规则文件用不到这么深的嵌套，"
                                         "请检查缩进和括号（[ ]、{ }）是否配对，或把内容拆开写")
            node = super().compose_node(parent, index)
            self.depth -= 1
            children = node.value if isinstance(node, yaml.SequenceNode) else (
                [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else [])
            size = 1 + sum(self.sizes.get(id(child), 1) for child in children)
            if size > MAX_NODES:
                raise SourceError(start, f"别名（*名称）展开后超过 {MAX_NODES} 个值，文件不予读取；"
                                         "请直接写出内容，或少用层层引用的别名")
            self.sizes[id(node)] = size
            return node

    def construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Node:
        loader.flatten_mapping(node)
        result = Node()
        result.position = _position(file, node.start_mark)
        result.key_positions = {}
        result.value_positions = {}
        for key_node, value_node in node.value:
            name = loader.construct_object(key_node, deep=True)
            name = str(name)
            result[name] = loader.construct_object(value_node, deep=True)
            result.key_positions[name] = _position(file, key_node.start_mark)
            result.value_positions[name] = _position(file, value_node.start_mark)
        return result

    def construct_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
        # YAML reads 2026-02-30 as a date, and PyYAML's constructor raises a bare ValueError for it.
        try:
            return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
        except ValueError:
            raise SourceError(_position(file, node.start_mark),
                              f"没有 {node.value} 这个日期；请写存在的日期，如 2026-03-15") from None

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    Loader.add_constructor("tag:yaml.org,2002:timestamp", construct_timestamp)
    return Loader


def _text(path: Path, name: str) -> str:
    """The file as text, or :class:`SourceError` at the first byte that is not UTF-8."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SourceError(Position(name, 1, 1), f"无法读取此文件（{os_reason(error)}）；请检查文件是否存在、能否打开") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = data[:error.start]
        where = Position(name, before.count(b"\n") + 1, len(before) - before.rfind(b"\n"))
        raise SourceError(where, "不是 UTF-8 编码的文本文件（此处的字节无法读作文字）；规则文件应以 UTF-8 编码"
                                 "保存为纯文本，Word、Excel、压缩包等文件不能作规则文件") from None


def load(path: Path, display: str | None = None) -> Any:
    """Parse one YAML file; a syntax error, a binary file or a file past the bounds becomes
    :class:`SourceError` naming the position."""
    name = display or str(path)
    text = _text(path, name)
    if _C_EVENTS is not None:
        try:
            return yaml.load(text, Loader=_loader(name, _C_EVENTS))  # noqa: S506 - SafeLoader's constructor
        except yaml.YAMLError:
            pass  # told below as PyYAML's own parser tells it
    try:
        return yaml.load(text, Loader=_loader(name, yaml.SafeLoader))  # noqa: S506 - SafeLoader subclass
    except yaml.reader.ReaderError as error:
        before = text[:error.position]
        where = Position(name, before.count("\n") + 1, len(before) - before.rfind("\n"))
        raise SourceError(where, f"文件中有 YAML 不允许的字符 #x{error.character:04x}（如 NUL 等控制字符）；"
                                 "规则文件应为纯文本，Word、Excel、压缩包等文件不能作规则文件") from None
    except yaml.MarkedYAMLError as error:
        message, mark = told(error)
        where = _position(name, mark) if mark else Position(name, 1, 1)
        raise SourceError(where, message) from None

"""YAML files that remember where each value was written.

Rule files and format files are written by people at the disclosure office; every complaint about one
must name the file, line and column. :func:`load` returns ordinary dicts, lists and scalars, except that
mappings are :class:`Node` dicts which also know the position of each key and value.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


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


def _loader(file: str) -> type[yaml.SafeLoader]:
    class Loader(yaml.SafeLoader):
        pass

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

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    return Loader


def load(path: Path, display: str | None = None) -> Any:
    """Parse one YAML file; a syntax error becomes :class:`SourceError` naming the position."""
    name = display or str(path)
    text = path.read_text(encoding="utf-8-sig")
    try:
        return yaml.load(text, Loader=_loader(name))  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = _position(name, mark) if mark else Position(name, 1, 1)
        raise SourceError(where, f"YAML 语法错误：{error.problem or error}") from None

"""Compile a rule's assertion onto durable-rules conditions, and pack its instances into messages.

An assertion is a formula over named operands (``总计 == 自然人 + 商业企业``). It compiles to the
*violation*: the negated formula in durable-rules' JSON condition form. Every operand, and every literal
number, becomes a message field holding an exact integer: all values of one instance are scaled by the
same power of ten, so 9114.72 万元 becomes 911472 and the comparison stays exact in durable-rules'
doubles. Multipliers (``* 2``) are the only literals left inline; they are never scaled.

Why slots: each message is a fact the C core parses, stores and retracts again (a few µs each in a
300-rule ruleset, measured), so instances of one rule are packed ``SLOTS`` to a message (fields
``s3_0``, ``s3_1`` … for slot 3) and each slot has its own compiled condition; instances with equal
values share one slot (see :class:`engine.rules.run._Packer`). A slot's
flag ``s3`` is 1 for an instance to check, 0 for one whose inputs are missing under ``when_missing:
fail``, and absent for an unused slot.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from operator import itemgetter
from typing import Any

from ..facts import decimal_places
from ..model import Number
from .formula import Arith, Call, Compare, Logic, Neg, Node, Num, Ref

SLOTS = 8

#: Field every message carries with the value 0: durable-rules compares a field with an expression,
#: so ``a op b`` is compiled as ``0 op' (a - b)`` with ``op'`` the mirrored comparison.
ZERO = "o"

_NEGATE = {"==": "!=", "!=": "==", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}
_MIRROR = {"==": "==", "!=": "!=", "<": ">", ">": "<", "<=": ">=", ">=": "<="}
_DURABLE = {"!=": "$neq", "<": "$lt", ">": "$gt", "<=": "$lte", ">=": "$gte"}

#: Largest magnitude a double holds exactly: beyond it durable-rules' equality would be a guess.
EXACT_LIMIT = 2 ** 53


class NotExact(ValueError):
    """An instance whose scaled values are too large to compare exactly."""


def negate(node: Node) -> Node:
    if isinstance(node, Compare):
        return Compare(_NEGATE[node.op], node.left, node.right)
    if isinstance(node, Logic):
        return Logic("or" if node.op == "and" else "and", negate(node.left), negate(node.right))
    raise TypeError(f"not a condition: {node!r}")


def operand_name(node: Ref | Call) -> str:
    return node.text


@dataclass(frozen=True, eq=False)
class Compiled:
    """One assertion, compiled: its operand names and literals in field order, and its conditions."""

    key: str
    formula: Node
    operands: tuple[str, ...]
    literals: tuple[Number, ...]
    fail_when_missing: bool = False
    #: Assertions of one partition (the report format) share a durable-rules ruleset.
    partition: str = ""

    def fields(self, slot: int) -> dict[str, str]:
        return {name: f"s{slot}_{i}" for i, name in enumerate(self.operands)}

    def violation(self, slot: int) -> dict[str, Any]:
        """durable-rules condition: slot ``slot`` of a message holds an instance that breaks the rule."""
        literal_fields = {i: f"s{slot}_{len(self.operands) + i}" for i in range(len(self.literals))}
        translate = _Translator(self.fields(slot), literal_fields, self.literals)
        return {"$and": [{"rule": self.key}, {f"s{slot}": 1}, translate.condition(negate(self.formula))]}

    def missing(self, slot: int) -> dict[str, Any]:
        """durable-rules condition: slot ``slot`` holds an instance whose inputs are missing (``fail``)."""
        return {"$and": [{"rule": self.key}, {f"s{slot}": 0}]}

    def pack(self, slot: int, values: dict[str, Number] | None) -> dict[str, int]:
        """The message fields of one instance: exact integers on a common scale, or the missing flag."""
        if values is None:
            return {f"s{slot}": 0}
        numbers = [values[name] for name in self.operands]
        numbers += self.literals
        flag, names = self._names[slot]
        for value in numbers:  # a loop, not all(…): this runs for every instance of every rule
            if type(value) is not int or not -EXACT_LIMIT < value < EXACT_LIMIT:
                break
        else:
            fields = dict(zip(names, numbers))
            fields[flag] = 1
            return fields
        scale = 10 ** max(decimal_places(v) for v in numbers)
        fields = {flag: 1}
        for name, number in zip(names, numbers):
            scaled = Decimal(number) * scale
            if abs(scaled) >= EXACT_LIMIT or scaled != scaled.to_integral_value():
                raise NotExact(f"数值 {number} 过大，无法精确比较")
            fields[name] = int(scaled)
        return fields

    @cached_property
    def signature(self) -> Callable[[dict[str, Number]], Any]:
        """An instance's values in operand order, as one key: equal values, equal verdict."""
        return itemgetter(*self.operands) if self.operands else lambda values: ()

    @cached_property
    def _names(self) -> list[tuple[str, list[str]]]:
        """Field names by slot, made once: building them per instance was a tenth of the run time."""
        count = len(self.operands) + len(self.literals)
        return [(f"s{slot}", [f"s{slot}_{i}" for i in range(count)]) for slot in range(SLOTS)]


def compile_assertion(key: str, formula: Node, fail_when_missing: bool = False, partition: str = "") -> Compiled:
    operands: list[str] = []
    literals: list[Number] = []

    def walk(node: Node, multiplier: bool = False) -> None:
        if isinstance(node, (Ref, Call)):
            if operand_name(node) not in operands:
                operands.append(operand_name(node))
        elif isinstance(node, Num):
            value = int(node.value) if node.value == node.value.to_integral_value() else node.value
            if not multiplier and value not in literals:
                literals.append(value)
        elif isinstance(node, Neg):
            walk(node.operand)
        else:
            walk(node.left)
            walk(node.right, multiplier=isinstance(node, Arith) and node.op == "*")

    walk(formula)
    return Compiled(key, formula, tuple(operands), tuple(literals), fail_when_missing, partition)


class _Translator:
    def __init__(self, fields: dict[str, str], literal_fields: dict[int, str], literals: tuple[Number, ...]):
        self.fields = fields
        self.literal_fields = literal_fields
        self.literals = literals

    def condition(self, node: Node) -> dict[str, Any]:
        if isinstance(node, Logic):
            return {f"${node.op}": [self.condition(node.left), self.condition(node.right)]}
        assert isinstance(node, Compare)
        difference = {"$sub": {"$l": self.expression(node.left), "$r": self.expression(node.right)}}
        op = _MIRROR[node.op]
        if op == "==":
            return {ZERO: difference}
        return {_DURABLE[op]: {ZERO: difference}}

    def expression(self, node: Node) -> Any:
        if isinstance(node, (Ref, Call)):
            return {"$m": self.fields[operand_name(node)]}
        if isinstance(node, Num):
            return {"$m": self.literal_fields[self.literals.index(node.value)]}
        if isinstance(node, Neg):
            return {"$mul": {"$l": self.expression(node.operand), "$r": -1}}
        assert isinstance(node, Arith)
        if node.op == "*":
            assert isinstance(node.right, Num)
            return {"$mul": {"$l": self.expression(node.left), "$r": int(node.right.value)}}
        op = "$add" if node.op == "+" else "$sub"
        return {op: {"$l": self.expression(node.left), "$r": self.expression(node.right)}}


def evaluate(node: Node, values: dict[str, Number]) -> Number | bool:
    """The value of a formula for display in a message (expected and actual values), in exact
    arithmetic. Whether a finding exists is never decided here but by the compiled conditions."""
    if isinstance(node, (Ref, Call)):
        return values[operand_name(node)]
    if isinstance(node, Num):
        return node.value if node.value != node.value.to_integral_value() else int(node.value)
    if isinstance(node, Neg):
        return -evaluate(node.operand, values)
    left, right = evaluate(node.left, values), evaluate(node.right, values)
    if isinstance(node, Arith):
        return {"+": lambda: left + right, "-": lambda: left - right, "*": lambda: left * right}[node.op]()
    if isinstance(node, Logic):
        return (left and right) if node.op == "and" else (left or right)
    return {"==": left == right, "!=": left != right, "<": left < right, ">": left > right,
            "<=": left <= right, ">=": left >= right}[node.op]

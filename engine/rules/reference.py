"""A reference interpreter of the compiled conditions, for tests: the same JSON durable-rules is given,
read by forty lines of Python. Tests run both on every rule case and on generated reports and require
the same answer, which catches durable-rules' silent failure modes (a condition it reads differently, a
swallowed action error, a double that is not exact)."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .compile import Compiled
from .durable_host import durable_rules

_COMPARE = {"$neq": lambda a, b: a != b, "$lt": lambda a, b: a < b, "$gt": lambda a, b: a > b,
            "$lte": lambda a, b: a <= b, "$gte": lambda a, b: a >= b}
_ARITH = {"$add": lambda a, b: a + b, "$sub": lambda a, b: a - b, "$mul": lambda a, b: a * b}


def _value(expression: Any, message: dict[str, Any]) -> Any:
    if not isinstance(expression, dict):
        return expression
    (op, argument), = expression.items()
    if op == "$m":
        return message.get(argument)
    left, right = _value(argument["$l"], message), _value(argument["$r"], message)
    return None if left is None or right is None else _ARITH[op](left, right)


def matches(condition: dict[str, Any], message: dict[str, Any]) -> bool:
    """Whether ``message`` satisfies one condition in durable-rules' JSON form."""
    return all(_term(op, argument, message) for op, argument in condition.items())


def _term(op: str, argument: Any, message: dict[str, Any]) -> bool:
    if op == "$and":
        return all(matches(c, message) for c in argument)
    if op == "$or":
        return any(matches(c, message) for c in argument)
    if op in _COMPARE:
        (field, expression), = argument.items()
        left, right = message.get(field), _value(expression, message)
        return left is not None and right is not None and _COMPARE[op](left, right)
    right = _value(argument, message)
    return op in message and right is not None and message[op] == right


class ReferenceEvaluator:
    """Same interface as :class:`~engine.rules.durable_host.DurableEvaluator`, in plain Python."""

    def __init__(self, compiled: Iterable[Compiled]) -> None:
        self._rules: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        for name, rule in durable_rules(compiled).items():
            condition = rule["all"][0]["m"]
            self._rules.setdefault(condition["$and"][0]["rule"], []).append((name, condition))

    def evaluate(self, messages: list[dict[str, Any]]) -> set[tuple[str, int]]:
        return {(name, message["id"]) for message in messages
                for name, condition in self._rules.get(message["rule"], ()) if matches(condition, message)}

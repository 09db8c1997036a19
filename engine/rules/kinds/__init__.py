"""The registry of check kinds: the short menu a rule's ``check: type:`` chooses from.

Each kind is one module with a docstring (what it checks, its options, an example, its message
placeholders), ``OPTIONS`` (name → default; :data:`~engine.rules.kinds.tabular.REQUIRED` for options a
rule must write), ``PLACEHOLDERS`` and ``configure(options, formats)``, which validates the options
against every format the rule applies to and returns the check: ``assertions(format)`` (the formulas to
compile), ``instances(facts)`` (what to check in one report) and ``describe()`` (one line for the rule
catalogue). The engine loop does everything else.
"""
from __future__ import annotations

from types import ModuleType
from typing import Any

from ...formats import Format
from ..errors import OptionError, did_you_mean
from . import compare, expression, pattern, required, tabular, total

KINDS: dict[str, ModuleType] = {
    "total": total,
    "compare": compare,
    "required": required,
    "pattern": pattern,
    "expression": expression,
}


def kind(name: str) -> ModuleType:
    """The module of a kind; an unknown name is refused with the list of known ones."""
    if name not in KINDS:
        raise OptionError("type", f"未知的检查类型“{name}”，可用：{'、'.join(KINDS)}", did_you_mean(name, KINDS),
                          value=True)
    return KINDS[name]


def configure(name: str, options: dict[str, Any], formats: list[Format]) -> Any:
    """Validate a rule's ``check`` options (misspelt, missing, bad values) and build the check."""
    module = kind(name)
    for option in options:
        if option != "type" and option not in module.OPTIONS:
            raise OptionError(option, f"{name} 检查没有选项“{option}”", did_you_mean(option, module.OPTIONS),
                              value=False)
    missing = [o for o, default in module.OPTIONS.items() if default is tabular.REQUIRED and o not in options]
    if missing:
        raise OptionError("type", f"{name} 检查缺少选项：{'、'.join(missing)}", value=False)
    values = {o: options.get(o, default) for o, default in module.OPTIONS.items()}
    return module.configure(values, formats)

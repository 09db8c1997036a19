"""Message templates: rendered with jinja2's sandbox and StrictUndefined, checked before anything runs.

A message names the values a finding is about (``表三「{{ row }}」：总计为 {{ actual }}，各列之和为
{{ expected }}``). A placeholder the check kind does not provide is a rule-file error found by ``rules
check``, not a blank in a notice sent to an agency.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, meta
from jinja2.sandbox import SandboxedEnvironment

from .errors import did_you_mean

#: Placeholders every message may use, whatever its check kind.
COMMON = ("body", "year", "table", "row", "column", "section", "line", "quote", "expected", "actual",
          "missing_inputs", "值")

_ENVIRONMENT = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)


class MessageError(ValueError):
    def __init__(self, message: str, suggestion: str | None = None, line: int = 1) -> None:
        super().__init__(message)
        self.message, self.suggestion, self.line = message, suggestion, line


def check_template(text: str, allowed: set[str]) -> None:
    """Refuse a template that does not parse or names a placeholder not in ``allowed``."""
    if "{" not in text:
        return  # plain text, as most bases and remedies are: nothing for jinja2 to parse (see render)
    try:
        names = meta.find_undeclared_variables(_ENVIRONMENT.parse(text))
    except TemplateSyntaxError as error:
        raise MessageError(f"message 模板语法错误：{error.message}", line=error.lineno) from None
    unknown = sorted(names - allowed)
    if unknown:
        raise MessageError(f"message 中的占位符“{unknown[0]}”不存在，可用：{'、'.join(sorted(allowed))}",
                           did_you_mean(unknown[0], allowed))


#: How many rendered texts :func:`render` keeps (each a line or two, kept by its values: a few MB at most).
RENDERED_KEPT = 4096


@lru_cache(maxsize=None)
def _template(text: str):
    """The compiled template, and the placeholders it reads (the rule files' own messages, bases and
    remedies: their number is bounded by the rule set)."""
    return _ENVIRONMENT.from_string(text), tuple(sorted(meta.find_undeclared_variables(_ENVIRONMENT.parse(text))))


#: (template, the values of its placeholders) → the text rendered (see :func:`render`).
_RENDERED: dict[tuple, str] = {}


def _frozen(value: Any) -> tuple:
    """A placeholder's value as a key, with its type (1, 1.0, True and Decimal("1.0") are equal keys
    but are written differently); a mapping (``值``) item by item."""
    if isinstance(value, dict):
        return dict, tuple((name, _frozen(item)) for name, item in value.items())
    return value.__class__, value


def render(text: str, values: dict[str, Any]) -> str:
    """``text`` with its placeholders filled in from ``values``. The same template with the same values
    of the placeholders it reads is rendered once and remembered (up to :data:`RENDERED_KEPT` texts,
    then forgotten all at once, so that memory stays flat however long the batch): a
    sandboxed render sets up a context of its own each time, which cost more than all the rest of
    making a finding, and the same rule tends to say the same thing about many reports (the same
    missing heading, the same blank row)."""
    if "{" not in text:
        # No placeholder, tag or comment: jinja2 would give the text back as it is, after setting up
        # a sandboxed context for it; most bases and remedies are such plain text.
        return text.strip()
    template, names = _template(text)
    key = (text, tuple([(name, _frozen(values[name])) for name in names if name in values]))
    try:
        found = _RENDERED.get(key)
    except TypeError:  # a value that cannot be a key (none of the engine's): rendered each time
        return template.render(values).strip()
    if found is None:
        if len(_RENDERED) >= RENDERED_KEPT:
            _RENDERED.clear()
        found = _RENDERED[key] = template.render(values).strip()
    return found

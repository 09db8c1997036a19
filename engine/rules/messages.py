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


@lru_cache(maxsize=None)
def _template(text: str):
    return _ENVIRONMENT.from_string(text)


def render(text: str, values: dict[str, Any]) -> str:
    if "{" not in text:
        # No placeholder, tag or comment: jinja2 would give the text back as it is, after setting up
        # a sandboxed context for it; most bases and remedies are such plain text.
        return text.strip()
    return _template(text).render(values).strip()

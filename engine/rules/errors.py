"""One exception type for bad rule files, and the "did you mean" the office needs to fix them.

Every problem names the file, line and column, the rule id, what is wrong in plain words and, where a
near name exists, what to write instead: ``rules/totals.yaml:12:5 TOT-001 未知的列“总和”（表三）— 是否应为
“总计”？``. The loader collects every problem of every file in one pass.
"""
from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from ..text import key
from ..yamlsource import Position


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """The closest candidate to a misspelt name, compared in :func:`engine.text.key` form."""
    by_key: dict[str, str] = {}
    for candidate in candidates:
        by_key.setdefault(key(candidate), candidate)
    close = difflib.get_close_matches(key(name), list(by_key), n=1, cutoff=0.5)
    if not close:
        # Short Chinese names differ by one character out of three: match on containment too.
        close = [k for k in by_key if key(name) and (key(name) in k or k in key(name))][:1]
    return by_key[close[0]] if close else None


@dataclass(frozen=True)
class Problem:
    position: Position
    rule: str
    message: str
    suggestion: str | None = None

    def __str__(self) -> str:
        hint = f" — 是否应为“{self.suggestion}”？" if self.suggestion else ""
        return f"{self.position} {self.rule} {self.message}{hint}"


class RuleFileError(ValueError):
    """Rule files that cannot be used; ``problems`` lists every one found, in file order."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


class RulesFolderError(ValueError):
    """The rules folder named on the command line is missing, is a file, or holds no rule file: no rule
    could be read, so nothing may be audited or reported as passing."""


class OptionError(ValueError):
    """Raised by a check kind for one bad option; the loader turns it into a :class:`Problem`."""

    def __init__(self, option: str, message: str, suggestion: str | None = None, *, offset: int | None = None,
                 value: bool = True) -> None:
        super().__init__(message)
        self.option = option
        self.message = message
        self.suggestion = suggestion
        self.offset = offset
        self.value = value

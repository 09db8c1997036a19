"""The rule as the engine holds it after validation, and the instances a check kind produces.

A :class:`Rule` is one YAML entry, checked. A check kind turns a rule and a report's facts into
:class:`Instance` objects: one per row, column, cell, section or text match the rule is about, each with
the operands its assertion reads and where in the report it is. A kind that has many instances of one
assertion reading the same names (a table rule: one per row, column or cell) may give them as one
:class:`Instances` instead, which makes each :class:`Instance` only if it is asked for. Whether an
instance is a finding is decided later, by the compiled assertion.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..facts import Facts, Operand, body_kind
from ..model import Location, RuleInfo
from ..yamlsource import Position
from .formula import Node

CATEGORIES = ("totals", "sections", "tables", "blank_cells", "contact", "period", "prior_year", "format",
              "narrative")
WHEN_MISSING = ("skip", "zero", "fail")


class CannotCheck(Exception):
    """Raised by a check kind: the rule cannot be checked on this report at all (its format is
    unknown, say). The engine records the rule as not checked, with this reason."""


@dataclass(frozen=True)
class AppliesTo:
    formats: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    bodies: tuple[str, ...] = ()

    def covers(self, facts: Facts) -> bool:
        """Whether the rule is about this report. What the report does not say (its format or year could
        not be read) does not exclude a rule: the rule then records why it could not check."""
        report = facts.report
        if self.formats and report.format is not None and report.format not in self.formats:
            return False
        if report.year is not None and (self.year_from and report.year < self.year_from
                                        or self.year_to and report.year > self.year_to):
            return False
        return not self.bodies or body_kind(report.body) in self.bodies

    def undecided(self, facts: Facts) -> str | None:
        """Why it cannot be told whether the rule is about this report (its year bounds the rule and the
        year was not read), or None: such a rule is recorded as not checked, never passed or run."""
        if facts.report.year is None and (self.year_from or self.year_to):
            bounds = "至".join(f"{y}年" for y in (self.year_from, self.year_to) if y)
            scope = f"{bounds}{'及以后' if not self.year_to else ''}{'及以前' if not self.year_from else ''}"
            return f"未能读出报告年度，无法确定本规则（适用于{scope}的报告）是否适用"
        return None


class Instance:
    """One thing a rule checks in one report.

    ``operands`` are read by the assertion ``shape`` of the rule's check; ``context`` adds message
    placeholders; when the instance is a finding, one is made per entry of ``details`` (for example
    each blank cell of a row), or one at ``location`` when there are none. ``subject`` is set where two
    instances of a rule can share a location (see :attr:`engine.model.Finding.subject`).

    ``location`` may be given as a tuple of :class:`~engine.model.Location`'s fields: the Location is
    then made only if the instance becomes a finding (most never do, and a frozen dataclass per table
    cell cost a tenth of the rule set's run time)."""

    __slots__ = ("key", "operands", "_location", "context", "details", "shape", "subject")

    def __init__(self, key: str, operands: dict[str, Operand], location: Location | tuple,
                 context: dict[str, Any] | None = None, details: tuple[Location, ...] = (),
                 shape: str = "main", subject: str | None = None) -> None:
        self.key, self.operands, self._location = key, operands, location
        self.context = {} if context is None else context
        self.details, self.shape, self.subject = details, shape, subject

    @property
    def location(self) -> Location:
        if not isinstance(self._location, Location):
            self._location = Location(*self._location)
        return self._location


class Instances:
    """Many instances of one assertion ``shape`` whose operands have the same ``names``: ``reads`` holds
    the operands of each, in the order of ``names``, and ``make(index)`` gives the whole
    :class:`Instance` of one of them. The engine reads the values of all of them and makes an Instance
    only where it needs one (a finding, or its inputs missing under ``when_missing: fail``): of the 168
    cells ``值 >= 0`` reads in 表三, nearly none."""

    __slots__ = ("shape", "names", "reads", "make")

    def __init__(self, shape: str, names: tuple[str, ...], reads: list[tuple[Operand, ...]],
                 make: Callable[[int], Instance]) -> None:
        self.shape, self.names, self.reads, self.make = shape, names, reads, make


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    category: str
    severity: str
    applies_to: AppliesTo
    kind: str
    check: Any  # the kind's validated options (see engine.rules.kinds)
    when_missing: str
    message: str
    basis: str
    remedy: str
    description: str
    position: Position
    tests: tuple[Any, ...] = ()
    #: The rule file, so that a test case can name a sample report relative to it.
    file: Path | None = None

    def assertions(self, format_name: str) -> dict[str, Node]:
        return self.check.assertions(format_name)

    def info(self) -> RuleInfo:
        """The catalogue's 检查内容 is the rule's description in plain words, then what its check asserts
        in the rule file's own words, so that the office can find the rule to change."""
        return RuleInfo(id=self.id, title=self.title, category=self.category, severity=self.severity,
                        description=f"{self.description} 规则写法：{self.check.describe()}", basis=self.basis,
                        remedy=self.remedy, source=str(self.position))

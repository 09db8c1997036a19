"""The rule engine: YAML rules → validated → compiled onto durable-rules → findings for one report.

``load_rules(directory)`` reads and validates every rule file (raising
:class:`~engine.rules.errors.RuleFileError` with every problem), and ``load_engine(directory)`` gives a
:class:`~engine.rules.run.RuleEngine` with the rules compiled onto durable-rules, whose ``audit(report,
prior)`` returns an :class:`engine.model.ReportAudit`.
"""
from __future__ import annotations

from pathlib import Path

from ..formats import load_formats
from .durable_host import DurableEvaluator
from .errors import RuleFileError
from .loader import load_rules
from .run import RuleEngine

__all__ = ["RuleEngine", "RuleFileError", "load_engine", "load_rules"]


def load_engine(directory: Path) -> RuleEngine:
    """Every rule of ``directory`` compiled onto durable-rules (raises :class:`RuleFileError`)."""
    return RuleEngine(load_rules(directory), DurableEvaluator, list(load_formats()))

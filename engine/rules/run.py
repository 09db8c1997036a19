"""The engine loop: rules × one report → findings and skipped checks.

For each rule that applies to the report, its check kind lists the instances; the loop applies the
rule's ``when_missing`` policy to instances with missing inputs (``skip`` records why, ``zero`` reads 0,
``fail`` makes a finding), packs the rest into messages, and lets the evaluator (durable-rules, or the
reference interpreter in tests) decide which break the rule. It then stamps each finding with the rule's
id, category, severity, basis and remedy, renders its message, and locates it. No check kind does any
of that itself.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from operator import itemgetter
from typing import Any, Protocol

from ..facts import Facts
from ..model import Finding, Number, Report, ReportAudit, Skipped
from .compile import SLOTS, Compiled, NotExact, compile_assertion, evaluate
from .formula import Compare
from .messages import render
from .rule import CannotCheck, Instance, Rule


class Evaluator(Protocol):
    def evaluate(self, messages: list[dict[str, Any]]) -> set[tuple[str, int]]: ...


#: An instance on its way to the evaluator: (its rule, it, its values or None where inputs are missing
#: under ``when_missing: fail``, its missing inputs). A plain tuple: one is made for every instance of
#: every report, and a dataclass cost four times as much.
_Pending = tuple[Rule, Instance, "dict[str, Number] | None", Sequence[str]]


#: How many verdicts a :class:`RuleEngine` keeps (some 250 bytes each).
VERDICTS_KEPT = 20_000

#: The missing inputs of nearly every instance: none (one tuple for all of them).
_NOTHING_MISSING: tuple[str, ...] = ()


def compile_rules(rules: Iterable[Rule], formats: Iterable[str]) -> dict[tuple[str, str, str], Compiled]:
    """Every assertion of every rule in every format it applies to, compiled."""
    compiled = {}
    for rule in rules:
        for name in formats:
            if rule.applies_to.formats and name not in rule.applies_to.formats:
                continue
            for shape, formula in rule.assertions(name).items():
                compiled[(rule.id, name, shape)] = compile_assertion(f"{rule.id}|{name}|{shape}", formula,
                                                                   rule.when_missing == "fail", name)
    return compiled


class _Packer:
    """Messages of up to ``SLOTS`` instances of one compiled assertion, and the slot of each instance.

    Instances of one assertion with equal values share a slot: the compiled condition sees nothing but
    the values, so they get one verdict. Most instances of a report repeat another's (measured on the
    samples and 20 generated reports: 313 instances per report, 31 distinct; ``值 >= 0`` alone reads
    the 175 cells of 表三, mostly the same few small counts), and each one packed and posted to
    durable-rules cost more than all the Python work of finding it.

    Each instance also keeps the number it would have had with a slot of its own (the how-manieth of
    its assertion): findings are made in that order (by assertion and slot, then message), so that
    findings that tie in :meth:`~engine.model.Finding.sort_key` (the parser's warnings about one line
    of a crawled page) keep the order they always had in every page and file."""

    def __init__(self, reasons: dict[str, list[list[str]]], verdicts: dict[tuple[str, Any], bool | str]) -> None:
        self.reasons = reasons
        self.messages: list[dict[str, Any]] = []
        #: Each instance packed: (it, its (message id, slot) or known verdict, its assertion, its number).
        self._placed: list[tuple[_Pending, tuple[int, int] | bool, str, int]] = []
        #: (assertion, values) → its (message id, slot), its verdict where an earlier report had the same
        #: values (see :attr:`RuleEngine.verdicts`), or why such values cannot be compared.
        self._slots: dict[tuple[str, Any], tuple[int, int] | bool | str] = {}
        self._verdicts = verdicts
        self._open: dict[str, tuple[dict[str, Any], int]] = {}
        self._counts: dict[str, int] = {}

    def add(self, compiled: Compiled, item: _Pending) -> None:
        key, values = compiled.key, item[2]
        signature = (key, None if values is None else compiled.signature(values))
        place = self._slots.get(signature)
        if place is None:
            place = self._verdicts.get(signature)
            if place is None:
                place = self._pack(compiled, values)
            self._slots[signature] = place
        if type(place) is str:
            self.reasons[item[0].id].append([place])
            return
        number = self._counts.get(key, 0)
        self._counts[key] = number + 1
        self._placed.append((item, place, key, number))

    def fired(self, fired: set[tuple[int, int]]) -> list[_Pending]:
        """The instances whose (message id, slot) is in ``fired`` or whose values broke the rule in an
        earlier report, in the order of their numbers; durable-rules' verdict on each value set it was
        asked about is kept for the reports to come."""
        if len(self._verdicts) > VERDICTS_KEPT:
            self._verdicts.clear()
        for signature, place in self._slots.items():
            if type(place) is not bool:
                self._verdicts[signature] = place if type(place) is str else place in fired
        found = [((f"{key}#{number % SLOTS}{'!' if item[2] is None else ''}", number // SLOTS), item)
                 for item, place, key, number in self._placed if place is True or place in fired]
        return [item for _, item in sorted(found, key=itemgetter(0))]

    def _pack(self, compiled: Compiled, values: dict[str, Number] | None) -> tuple[int, int] | str:
        message, used = self._open.get(compiled.key, (None, SLOTS))
        slot = used % SLOTS
        try:
            fields = compiled.pack(slot, values)
        except NotExact as reason:
            return str(reason)
        if message is None or used == SLOTS:
            message = {"id": len(self.messages), "rule": compiled.key, "o": 0}
            self.messages.append(message)
        message.update(fields)
        self._open[compiled.key] = (message, slot + 1)
        return message["id"], slot


def _display(value: Any) -> str | None:
    return None if value is None else str(value)


class RuleEngine:
    """Rules compiled once onto an evaluator; :meth:`audit` runs them on one report at a time."""

    def __init__(self, rules: list[Rule], evaluator: Callable[[Iterable[Compiled]], Evaluator],
                 formats: Iterable[str]) -> None:
        self.rules = rules
        self.compiled = compile_rules(rules, formats)
        self.evaluator = evaluator(self.compiled.values())
        #: The evaluator's verdict on each (assertion, values) it was asked about, True where the
        #: values break the rule (or why they cannot be compared): the compiled condition sees nothing
        #: but the values, so its verdict holds in every later report, and most value sets of a report
        #: were in an earlier one (measured on 300 generated reports: after the first 50, 4-5 of a
        #: report's 65-92 are new). Only new ones are posted to the evaluator. Emptied when it holds
        #: :data:`VERDICTS_KEPT`, so that memory stays flat however long the batch.
        self.verdicts: dict[tuple[str, Any], bool | str] = {}

    def audit(self, report: Report, prior: Report | None = None) -> ReportAudit:
        facts = Facts(report, prior)
        audit = ReportAudit(report=report, prior=prior.source if prior else None)
        # Per rule, one entry per instance not checked, each listing its missing inputs.
        reasons: dict[str, list[list[str]]] = defaultdict(list)
        packer = _Packer(reasons, self.verdicts)
        for rule in self.rules:
            if not rule.applies_to.covers(facts):
                continue
            audit.rules_run.append(rule.id)
            if (undecided := rule.applies_to.undecided(facts)) is not None:
                reasons[rule.id].append([undecided])
                continue
            try:
                instances = list(rule.check.instances(facts))
            except CannotCheck as reason:
                reasons[rule.id].append([str(reason)])
                continue
            shapes = {}
            when_missing = rule.when_missing
            add = packer.add
            for instance in instances:
                values = {name: operand[0] for name, operand in instance.operands.items()}
                missing = _NOTHING_MISSING
                if None in values.values():
                    missing = [o.problem for o in instance.operands.values() if o.value is None]
                    if when_missing == "skip":
                        reasons[rule.id].append(missing)
                        continue
                    values = None if when_missing == "fail" else {n: 0 if v is None else v for n, v in values.items()}
                compiled = shapes.get(instance.shape)
                if compiled is None:
                    compiled = shapes[instance.shape] = self.compiled.get((rule.id, report.format or "",
                                                                           instance.shape))
                if compiled is None:
                    reasons[rule.id].append([f"规则不适用于{report.format or '未知'}格式"])
                    continue
                add(compiled, (rule, instance, values, missing))
        fired = {(message_id, int(name.split("#")[1].rstrip("!")))
                 for name, message_id in self.evaluator.evaluate(packer.messages)}
        for item in packer.fired(fired):
            audit.findings += self._findings(item, facts)
        audit.findings.sort(key=Finding.sort_key)
        audit.skipped = [Skipped(rule, _summarise(items)) for rule, items in reasons.items()]
        return audit

    def _findings(self, item: _Pending, facts: Facts) -> list[Finding]:
        rule, instance, values_read, missing = item
        formula = rule.assertions(facts.report.format or "")[instance.shape] if values_read else None
        expected = actual = None
        if isinstance(formula, Compare):
            actual, expected = evaluate(formula.left, values_read), evaluate(formula.right, values_read)
        context = {"body": facts.report.body, "year": facts.report.year, "table": None, "row": None,
                   "column": None, "section": instance.location.section, "line": instance.location.line,
                   "quote": instance.location.quote, "expected": _display(expected), "actual": _display(actual),
                   "missing_inputs": "；".join(missing),
                   "值": {n: _display(v) for n, v in (values_read or {}).items()}, **instance.context}
        findings = []
        for location in instance.details or (instance.location,):
            if location.quote is None and location.line:
                location = replace(location, quote=facts.report.line_text(location.line) or None)
            values = {**context, "table": location.table or context["table"], "row": location.row or context["row"],
                      "column": location.column or context["column"], "quote": location.quote}
            if values_read is None:
                message = f"{rule.title}：无法检查，{values['missing_inputs']}。"
            else:
                message = render(rule.message, values)
            # basis and remedy may name the values too ("补写“{{ heading }}”部分"): what goes into a
            # notice is always finished text.
            findings.append(Finding(rule=rule.id, category=rule.category, severity=rule.severity, message=message,
                                    location=location, expected=_display(values["expected"]),
                                    actual=_display(values["actual"]), basis=render(rule.basis, values),
                                    remedy=render(rule.remedy, values),
                                    body=facts.report.body, year=facts.report.year, subject=instance.subject))
        return findings


def _summarise(reasons: list[list[str]]) -> str:
    """How many instances a rule could not check, and why (each distinct reason once, at most five)."""
    unique = list(dict.fromkeys(r for instance in reasons for r in instance))
    shown = "；".join(unique[:5]) + ("等" if len(unique) > 5 else "")
    return f"{len(reasons)}处未检查：{shown}" if len(reasons) > 1 else shown

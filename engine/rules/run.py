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
from itertools import count, repeat
from operator import itemgetter
from typing import Any, Protocol

from ..facts import Facts
from ..model import Finding, Number, Report, ReportAudit, Skipped
from .compile import SLOTS, Compiled, NotExact, compile_assertion, evaluate
from .formula import Compare
from .messages import render
from .rule import CannotCheck, Instance, Instances, Rule


class Evaluator(Protocol):
    def evaluate(self, messages: list[dict[str, Any]]) -> set[tuple[str, int]]: ...


#: An instance on its way to the evaluator: (its rule, it or (its :class:`Instances`, its index), its
#: values in the order of its operands or None where inputs are missing under ``when_missing: fail``,
#: its missing inputs, its number among the instances of its assertion). A plain tuple: one is made for
#: every instance of every report, and a dataclass cost four times as much.
_Pending = tuple[Rule, "Instance | tuple[Instances, int]", "tuple[Number, ...] | None", Sequence[str], int]


#: How many verdicts a :class:`RuleEngine` keeps (some 250 bytes each).
VERDICTS_KEPT = 20_000

#: An operand's value (Operand is a named tuple; this is a C function, not a Python frame per operand).
_value = itemgetter(0)

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
    """One report's instances in groups of equal values, and messages of up to ``SLOTS`` groups of one
    compiled assertion, a slot each.

    The compiled condition sees nothing but the values, so instances of one assertion with equal values
    get one verdict: each group is one evaluation, its slot packed once, and an instance costs the
    engine no more than reading its values and joining its group. Most instances of a report repeat
    another's (measured on 200 generated reports: 325 instances per report, 75 groups; ``值 >= 0``
    alone reads the 168 count cells of 表三, mostly the same few small counts).

    Each instance keeps its number among the instances of its assertion (what its slot would be with
    a slot of its own): findings are made in that order (by assertion and slot, then message), so that
    findings that tie in :meth:`~engine.model.Finding.sort_key` (the parser's warnings about one line of
    a crawled page) keep the order they always had in every page and file."""

    def __init__(self, verdicts: dict[tuple[str, Any], bool | str]) -> None:
        self.messages: list[dict[str, Any]] = []
        #: (assertion, operand names, values) → [its place, then its instances]. The place is the
        #: group's (message id, slot), its verdict where an earlier report had the same values (see
        #: :attr:`RuleEngine.verdicts`), or why such values cannot be compared.
        self.groups: dict[tuple[str, tuple[str, ...], tuple | None], list] = {}
        #: How many instances of each assertion joined a group so far.
        self.counts: dict[str, int] = {}
        #: (assertion, values in its operand order) → place: what the verdicts are kept by.
        self._slots: dict[tuple[str, Any], tuple[int, int] | bool | str] = {}
        self._verdicts = verdicts
        self._open: dict[str, tuple[dict[str, Any], int]] = {}

    def group(self, compiled: Compiled, names: tuple[str, ...], values: tuple | None) -> list:
        """A new group of instances whose operands ``names`` read ``values``, with its place."""
        by_name = None if values is None else dict(zip(names, values))
        signature = (compiled.key, None if by_name is None else compiled.signature(by_name))
        place = self._slots.get(signature)
        if place is None:
            place = self._verdicts.get(signature)
            if place is None:
                place = self._pack(compiled, by_name)
            self._slots[signature] = place
        group = self.groups[(compiled.key, names, values)] = [place]
        return group

    def fired(self, fired: set[tuple[int, int]]) -> list[_Pending]:
        """The instances whose group's (message id, slot) is in ``fired`` or whose values broke the rule
        in an earlier report, in the order of their numbers; durable-rules' verdict on each value set it
        was asked about is kept for the reports to come."""
        if len(self._verdicts) > VERDICTS_KEPT:
            self._verdicts.clear()
        for signature, place in self._slots.items():
            if type(place) is not bool:
                self._verdicts[signature] = place if type(place) is str else place in fired
        found = [((f"{key}#{item[4] % SLOTS}{'!' if item[2] is None else ''}", item[4] // SLOTS), item)
                 for (key, _, _), (place, *items) in self.groups.items() if place is True or place in fired
                 for item in items]
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


def _each(entry: Instance | Instances) -> Iterable[tuple[str, tuple[str, ...], tuple, Any]]:
    """(shape, operand names, operands, the instance or (its :class:`Instances`, its index)) of each
    instance of what a check kind gave, in order; those of an Instances are read off it without making
    them, by a C iterator (a generator resumed per instance cost as much as the rest of the loop)."""
    if type(entry) is Instances:
        return zip(repeat(entry.shape), repeat(entry.names), entry.reads, zip(repeat(entry), count()))
    operands = entry.operands
    return ((entry.shape, tuple(operands), tuple(operands.values()), entry),)


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
        packer = _Packer(self.verdicts)
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
            not_checked = reasons[rule.id]
            self._group(rule, instances, packer, not_checked, report.format)
            if not not_checked:
                del reasons[rule.id]
        fired = {(message_id, int(name.split("#")[1].rstrip("!")))
                 for name, message_id in self.evaluator.evaluate(packer.messages)}
        for item in packer.fired(fired):
            audit.findings += self._findings(item, facts)
        audit.findings.sort(key=Finding.sort_key)
        audit.skipped = [Skipped(rule, _summarise(items)) for rule, items in reasons.items()]
        return audit

    def _group(self, rule: Rule, instances: list[Instance | Instances], packer: _Packer,
               not_checked: list[list[str]], format_name: str | None) -> None:
        """Each instance of ``rule`` into the group of its values (see :class:`_Packer`), or into
        ``not_checked`` with its missing inputs (``when_missing: skip``), or with why it cannot be
        checked: its values too large to compare exactly, or the rule has no assertion for the format."""
        groups, counts, new_group = packer.groups, packer.counts, packer.group
        when_missing = rule.when_missing
        shape = compiled = None
        for entry in instances:
            for this_shape, names, operands, source in _each(entry):
                values = tuple(map(_value, operands))
                missing = _NOTHING_MISSING
                if None in values:
                    missing = [operand[1] for operand in operands if operand[0] is None]
                    if when_missing == "skip":
                        not_checked.append(missing)
                        continue
                    values = None if when_missing == "fail" else tuple([0 if v is None else v for v in values])
                if this_shape != shape:
                    shape = this_shape
                    compiled = self.compiled.get((rule.id, format_name or "", shape))
                if compiled is None:
                    not_checked.append([f"规则不适用于{format_name or '未知'}格式"])
                    continue
                group = groups.get((compiled.key, names, values)) or new_group(compiled, names, values)
                if type(group[0]) is str:
                    not_checked.append([group[0]])
                    continue
                number = counts.get(compiled.key, 0)
                counts[compiled.key] = number + 1
                group.append((rule, source, values, missing, number))

    def _findings(self, item: _Pending, facts: Facts) -> list[Finding]:
        rule, source, values, missing, _ = item
        instance = source if isinstance(source, Instance) else source[0].make(source[1])
        values_read = None if values is None else dict(zip(instance.operands, values))
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

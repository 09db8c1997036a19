"""durable-rules behind one small interface: compile the assertions once, evaluate one report's messages.

Pitfalls measured in durable-rules 2.0.28 and handled here, and only here:
- a ruleset holds at most 1,024 live states: each report is one ``sid``, deleted in ``finally``;
- an event is consumed by the first rule it matches, so messages are asserted as facts, which every
  matching rule sees (one message holds several instances);
- a message no rule matches raises ``MessageNotHandledException``: that is the normal case of a rule
  that holds, so each message is asserted on its own (``post_batch`` would abort on it) and the
  "not handled" result is read before durable-rules turns it into an exception (see :func:`_assert`);
- an exception inside an action is swallowed: the action only appends to a list;
- identical messages are refused: every message carries a unique ``id``;
- a state whose facts all went unhandled still counts towards the 1,024 but cannot be deleted (the C
  core aborts: munmap_chunk): each report's state therefore opens with a fact that a no-op rule
  handles, so that it always can be deleted.
"""
from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from typing import Any

import durable_rules_engine
from durable.engine import Host, Ruleset

from .compile import SLOTS, Compiled

#: Every evaluator registers its own ruleset name: the C core keeps states by ruleset name and sid
#: across hosts, and two hosts sharing a name corrupt each other's memory (measured: munmap_chunk abort).
_RULESETS = itertools.count()


class _Host(Host):
    """A host without the two background timer threads ``Host`` starts (they poll every ruleset five
    times a second, for timers and queued actions this engine never uses: its actions run inline in
    ``assert_fact``). Every evaluator, and each rule case, would otherwise add two threads that never stop."""

    def _run(self) -> None:
        pass


#: The fact that opens every report's state, and the rule that handles it.
OPENING = "__report__"


def durable_rules(compiled: Iterable[Compiled]) -> dict[str, dict[str, Any]]:
    """The JSON ruleset (without actions): ``<key>#<slot>`` fires on a violation, ``<key>#<slot>!`` on
    missing inputs under ``when_missing: fail``."""
    rules: dict[str, dict[str, Any]] = {}
    for item in compiled:
        for slot in range(SLOTS):
            rules[f"{item.key}#{slot}"] = {"all": [{"m": item.violation(slot)}]}
            if item.fail_when_missing:
                rules[f"{item.key}#{slot}!"] = {"all": [{"m": item.missing(slot)}]}
    return rules


class DurableEvaluator:
    """Evaluates messages with durable-rules: the engine that decides which instances are findings.

    One ruleset per format: a report's messages only meet the rules compiled for its own format, which
    halves the conditions each message is tested against (measured: the cost of a message grows with
    the number of rules in its ruleset)."""

    def __init__(self, compiled: Iterable[Compiled]) -> None:
        self._fired: list[tuple[str, int]] = []
        self._sids = itertools.count()
        partitions: dict[str, list[Compiled]] = {}
        for item in compiled:
            partitions.setdefault(item.partition, []).append(item)
        self._rulesets: dict[str, str] = {}
        self._host = _Host()
        for items in partitions.values():
            name = f"ogi_audit_{next(_RULESETS)}"
            definition = durable_rules(items)
            for rule_name, rule in definition.items():
                rule["run"] = self._collector(rule_name)
            definition[OPENING] = {"all": [{"m": {"rule": OPENING}}], "run": lambda closure: None}
            self._host.register_rulesets({name: definition})
            for item in items:
                self._rulesets[item.key] = name

    def _collector(self, name: str):
        def collect(closure) -> None:
            self._fired.append((name, closure.m["id"]))
        return collect

    def evaluate(self, messages: list[dict[str, Any]]) -> set[tuple[str, int]]:
        """Which compiled rules fired on which message id; ``messages`` need not carry ``sid``."""
        self._fired = []
        sid = f"r{next(self._sids)}"
        opened: list[str] = []
        try:
            for message in messages:
                ruleset = self._rulesets[message["rule"]]
                if ruleset not in opened:
                    _assert(self._host.get_ruleset(ruleset), {"sid": sid, "id": -1, "rule": OPENING})
                    opened.append(ruleset)
                _assert(self._host.get_ruleset(ruleset), {**message, "sid": sid})
        finally:
            for ruleset in opened:
                self._host.delete_state(ruleset, sid)
        return set(self._fired)


#: durable-rules' result code for a fact no rule matched.
_NOT_HANDLED = 1
#: One encoder for every fact (``json.dumps`` with options builds a new one per call), writing text as
#: durable-rules itself does (``ensure_ascii=False``: a rule id in Chinese must match its condition).
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _assert(rules: Ruleset, fact: dict[str, Any]) -> None:
    """``Host.assert_fact`` without its exception for a fact no rule matched, which is most facts here:
    the exception serialises the whole fact a second time for its message, and raising and catching it
    once per message cost a tenth of the rule set's run time. Every other result, and running the
    actions of the rules that fired, is left to durable-rules as ``Host.assert_fact`` does it."""
    result = durable_rules_engine.assert_fact(rules._handle, _encode(fact))
    if result[0] == _NOT_HANDLED:
        return
    state = rules._handle_result(result, fact)
    error: list[BaseException | None] = [None]

    def complete(failure: BaseException | None, _state: Any) -> None:
        error[0] = failure

    rules.do_actions(state, complete)
    if error[0] is not None:
        raise error[0]

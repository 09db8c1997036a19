"""durable-rules behind one small interface: compile the assertions once, evaluate one report's messages.

The rulesets live in durable-rules' C core (``durable_rules_engine``), driven directly: its Python
``Host`` and ``Ruleset`` add, per fact, a JSON encoding with fresh options and an exception when no rule
matched, and per rule fired a ``Closure``, the state written back as JSON and a promise chain, plus two
timer threads per host, none of which this engine uses. Pitfalls measured in durable-rules 2.0.28 and
handled here, and only here:

- the C core keeps states by ruleset name and sid across hosts, and two rulesets sharing a name corrupt
  each other's memory (munmap_chunk abort): every evaluator registers names of its own;
- a new state costs more than a report's messages (about 120 µs for a ruleset of 300 rules, which it
  sizes its tables by), and a ruleset holds at most 1,024 live states; deleting a state whose facts all
  went unhandled, or whose fired rules were not read, aborts the C core (munmap_chunk). So every report
  is asserted into one state that lives as long as the evaluator, and its facts are retracted again
  (``retract_facts`` of the same JSON text) once the rules that fired are read: nothing of a report
  stays behind (measured: memory flat over 40,000 reports);
- an event is consumed by the first rule it matches, so messages are asserted as facts, which every
  matching rule sees (one message holds several instances);
- a fact equal to one the state holds is refused, and the id is what makes facts equal: each report's
  message ids are offset past those of every report before, so no id is ever asserted twice;
- a report's messages are asserted in one batch (``assert_facts``, one JSON text): its result is
  "not handled" (1) as soon as one fact of the batch matched nothing, which is most of them here, yet
  every fact was matched and the rules that fired are queued on the state it names; they are read off
  that state (``start_action_for_state``, then ``complete_and_start_action`` until none is left), which
  is how ``Host`` runs actions, without running any.
"""
from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from typing import Any

import durable_rules_engine

from .compile import SLOTS, Compiled

_RULESETS = itertools.count()

#: The one state every report is asserted into (see the module docstring).
_SID = "audit"

#: One encoder for every batch (``json.dumps`` with options builds a new one per call), writing text as
#: durable-rules itself does (``ensure_ascii=False``: a rule id in Chinese must match its condition).
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


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
        #: Where the next report's message ids start.
        self._next_id = 0
        partitions: dict[str, list[Compiled]] = {}
        for item in compiled:
            partitions.setdefault(item.partition, []).append(item)
        #: The C core's handle of the ruleset that holds each compiled assertion.
        self._rulesets: dict[str, int] = {}
        for items in partitions.values():
            name = f"ogi_audit_{next(_RULESETS)}"
            handle = durable_rules_engine.create_ruleset(name, _encode(durable_rules(items)))
            for item in items:
                self._rulesets[item.key] = handle

    def evaluate(self, messages: list[dict[str, Any]]) -> set[tuple[str, int]]:
        """Which compiled rules fired on which message id; ``messages`` need not carry ``sid``."""
        offset = self._next_id
        self._next_id += len(messages)
        batches: dict[int, list[dict[str, Any]]] = {}
        for message in messages:
            facts = batches.setdefault(self._rulesets[message["rule"]], [])
            facts.append({**message, "id": offset + message["id"], "sid": _SID})
        fired: set[tuple[str, int]] = set()
        for handle, facts in batches.items():
            text = _encode(facts)
            try:
                _, state = durable_rules_engine.assert_facts(handle, text)
                started = durable_rules_engine.start_action_for_state(handle, state)
                action = started[1] if started else None
                while action:
                    for name, matched in json.loads(action).items():
                        fired.add((name, matched["m"]["id"] - offset))
                    action = durable_rules_engine.complete_and_start_action(handle, state)
            finally:
                durable_rules_engine.retract_facts(handle, text)
        return fired

"""Precision and recall of the rules on generated reports whose defects are known.

    python benchmarks/precision.py [--clean N] [--seeds K] [--jobs J] [--layouts a,b] [--examples E]

Every error or warning may go out under the office's seal, so precision is measured, not assumed:

1. ``--clean N`` clean reports (tests.generator.catalogue.clean: nothing for a rule to object to),
   spread evenly over every layout and input kind (text layouts, .docx, .pdf, web pages) and both
   formats, each read by its bytes and audited as ``ogi-audit audit`` does. Every error and warning
   on them is false; the figure per rule is printed. Target: zero.
2. Each defect kind of ``DEFECT_KINDS`` injected into ``--seeds K`` clean reports of every layout and
   format: the findings it must raise are looked for where it was injected; recall per kind is printed.
   Target: 100 %. A miss where the audit says the rule could not run there (a row the layout made
   unreadable: a blank cell in PDF text cannot be told from an absent one; digits run together on a
   crawled page that the broken total no longer splits) is printed apart as *explained*: the report
   then lists the check as not run with its reason and the row as not read, which is the honest answer.

Exits 1 when a target is missed. Seeds are fixed, so each case printed can be seen again with the
generator command it names.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine import RULES_DIR  # noqa: E402
from engine.parse import parse_bytes  # noqa: E402
from engine.rules import load_engine  # noqa: E402
from tests.generator import FILE_LAYOUTS, FORMATS, LAYOUTS, render  # noqa: E402
from tests.generator.catalogue import DEFECT_KINDS, clean, clean_spec  # noqa: E402
from tests.generator.spec import random_spec  # noqa: E402

SERIOUS = ("error", "warning")
#: Clean reports are drawn from these seeds on; the defects use the seeds after --seeds' start.
CLEAN_SEEDS, DEFECT_SEEDS = 10_000, 20_000
_ENGINE = None


@dataclass
class Outcome:
    case: str                                    # how to see it again (GeneratedReport.describe())
    false: list[tuple[str, str]] = field(default_factory=list)   # (rule, message) on a clean report
    missed: list[str] = field(default_factory=list)              # wanted findings not raised
    explained: bool = False                      # every rule missed is listed as not run, with its reason
    failed: str = ""                             # the generator or the audit raised


def _audit(generated):
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = load_engine(RULES_DIR)
    return _ENGINE.audit(parse_bytes(generated.data, generated.name))


def _clean_case(task: tuple[str, str, int]) -> Outcome:
    layout, fmt, seed = task
    try:
        generated = render(clean(random_spec(seed, fmt, blank_rate=0.0)), layout)
        result = _audit(generated)
    except Exception as error:  # noqa: BLE001 - a broken case is counted and printed, not fatal
        return Outcome(f"{layout} {fmt} seed={seed}", failed=f"{type(error).__name__}: {error}")
    return Outcome(generated.describe(), false=[(f.rule, f.message) for f in result.findings
                                                if f.severity in SERIOUS])


def _defect_case(task: tuple[str, str, str, int]) -> Outcome:
    kind_name, layout, fmt, seed = task
    kind = DEFECT_KINDS[kind_name]
    try:
        generated = render(kind.edit(clean_spec(seed, fmt)), layout)
        result = _audit(generated)
    except Exception as error:  # noqa: BLE001
        return Outcome(f"{kind_name}: {layout} {fmt} seed={seed}", failed=f"{type(error).__name__}: {error}")
    missed = [f"{rule} {where}" for rule, where in kind.wanted
              if not any(f.rule == rule and all(getattr(f.location, k) == v for k, v in where.items())
                         for f in result.findings)]
    not_run = {s.rule for s in result.skipped}
    explained = bool(missed) and all(miss.split()[0] in not_run for miss in missed)
    return Outcome(generated.describe(), missed=missed, explained=explained)


def _layouts(chosen: str | None) -> list[str]:
    every = [*LAYOUTS, *FILE_LAYOUTS]
    if not chosen:
        return every
    names = chosen.split(",")
    unknown = sorted(set(names) - set(every))
    if unknown:
        raise SystemExit(f"unknown layouts {unknown}; known: {', '.join(every)}")
    return names


def _run(function, tasks: list, jobs: int) -> list[Outcome]:
    if jobs <= 1:
        return [function(t) for t in tasks]
    with ProcessPoolExecutor(jobs) as pool:
        return list(pool.map(function, tasks, chunksize=8))


def _precision(layouts: list[str], count: int, jobs: int, examples: int) -> bool:
    combos = [(layout, fmt) for layout in layouts for fmt in FORMATS]
    tasks = [(*combos[n % len(combos)], CLEAN_SEEDS + n // len(combos)) for n in range(count)]
    start = time.perf_counter()
    outcomes = _run(_clean_case, tasks, jobs)
    elapsed = time.perf_counter() - start
    by_rule: Counter[str] = Counter(rule for o in outcomes for rule, _ in o.false)
    reports = sum(1 for o in outcomes if o.false)
    by_layout: Counter[str] = Counter(t[0] for t, o in zip(tasks, outcomes) if o.false)
    failed = [o for o in outcomes if o.failed]
    print(f"## Precision: {len(outcomes)} clean reports ({len(layouts)} layouts × {len(FORMATS)} formats), "
          f"{elapsed:.0f} s")
    print(f"reports with an error or warning: {reports} (target 0); findings: {sum(by_rule.values())}")
    for rule, n in sorted(by_rule.items()):
        print(f"  {rule:10} {n:5}")
    for layout, n in sorted(by_layout.items()):
        print(f"  layout {layout:10} {n:5} reports")
    shown: Counter[str] = Counter()
    for outcome in outcomes:
        for rule, message in outcome.false:
            if shown[rule] < examples:
                shown[rule] += 1
                print(f"  e.g. {rule}: {message}\n       {outcome.case}")
    for outcome in failed[:examples]:
        print(f"  could not generate or audit: {outcome.case}: {outcome.failed}")
    if failed:
        print(f"cases that raised: {len(failed)}")
    return reports == 0 and not failed


def _recall(layouts: list[str], seeds: int, jobs: int, examples: int) -> bool:
    tasks = [(kind, layout, fmt, DEFECT_SEEDS + s) for kind in sorted(DEFECT_KINDS) for layout in layouts
             for fmt in FORMATS for s in range(seeds)]
    start = time.perf_counter()
    outcomes = _run(_defect_case, tasks, jobs)
    elapsed = time.perf_counter() - start
    print(f"\n## Recall: {len(DEFECT_KINDS)} defect kinds × {len(layouts)} layouts × {len(FORMATS)} formats "
          f"× {seeds} seeds = {len(tasks)} reports, {elapsed:.0f} s")
    cases: dict[str, list[tuple[tuple, Outcome]]] = defaultdict(list)
    for task, outcome in zip(tasks, outcomes):
        cases[task[0]].append((task, outcome))
    perfect = True
    print(f"  {'defect kind':32} found  explained  missed  raised")
    for kind, results in cases.items():
        found = sum(1 for _, o in results if not o.missed and not o.failed)
        explained = [o for _, o in results if o.explained]
        missed = [(t, o) for t, o in results if (o.missed and not o.explained) or o.failed]
        share = 100 * found / len(results)
        print(f"  {kind:32} {share:5.1f} % {len(explained):9} {len([m for m in missed if not m[1].failed]):7}"
              f" {len([m for m in missed if m[1].failed]):7}")
        for task, outcome in missed[:examples]:
            print(f"      {task[1]}: {outcome.failed or '; '.join(outcome.missed)}\n      {outcome.case}")
        perfect = perfect and not missed
    return perfect


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clean", type=int, default=2400, help="clean reports to audit (default 2400)")
    parser.add_argument("--seeds", type=int, default=2, help="reports per defect kind, layout and format")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--layouts", help="comma-separated layouts (default: all)")
    parser.add_argument("--examples", type=int, default=3, help="cases printed per rule or defect kind")
    args = parser.parse_args(argv)
    layouts = _layouts(args.layouts)
    precise = _precision(layouts, args.clean, args.jobs, args.examples)
    complete = _recall(layouts, args.seeds, args.jobs, args.examples)
    print(f"\nprecision target {'met' if precise else 'MISSED'}; recall target {'met' if complete else 'MISSED'}")
    return 0 if precise and complete else 1


if __name__ == "__main__":
    sys.exit(main())

"""Rule-evaluation time per report: the whole rule set on each sample and on generated reports, beside
what reading the report's cells and one round trip to durable-rules cost at the least.

    python benchmarks/rule_speed.py [--rounds N] [--generated N] [--batch N] [--baseline REV [--same N]]

Parsing is not timed (see parse_speed.py): each report is parsed once, then audited ``--rounds`` times
with the rules compiled onto durable-rules once, as ``ogi-audit audit`` does; the figure of a report
is the median of its rounds, in CPU time (the machine is shared), with the engine's verdicts from
earlier reports forgotten before each round (``RuleEngine.verdicts``): every value set of the report
goes to durable-rules, as for the first report of a batch. The baselines, timed the same way on the
same reports in the same run:

* cells: reading every cell of every table of the report once, by label (the least a table rule does);
* host: one fact asserted and retracted in a ruleset like the engine's for the 2021 format (one round
  trip to durable-rules' C core).

Then ``--batch`` generated reports (seeds of their own) are each audited once, in turn, as a batch
does, by two engines of their own taking turns report by report: one keeps its verdicts from report
to report, the other forgets them before each report; the figure is the CPU time per report.

With ``--baseline REV`` (a git revision: ``fdc9000``, ``HEAD~3``), the rule engine as it was at REV
(its ``engine/`` and ``rules/`` taken from git into a temporary folder, imported under a name of its
own) takes its turn in the batch too, keeping its verdicts, so that before and after are measured side
by side on the same reports under the same load; and before any timing both engines audit, one engine
each in turn as a batch does, the reports of ``reports/`` and ``--same`` generated reports (default
1,000) each with a defect of ``tests/generator/catalogue.py`` injected (every kind in turn, every
third with its prior-year report, some cells left blank): the findings (every field, in order), the
checks not run with their reasons and the rules run must be the same, or the run stops with the
first difference (exit 1).

``load_engine`` (what each worker process pays once: the rule files read and validated, compiled, the
durable-rules rulesets created) is timed first, beside ``load_rules`` alone. Issue 10 asks for 400
reports/s on two cores with parsing, so the rule set must cost about 2 ms per report.
"""
from __future__ import annotations

import argparse
import importlib
import io
import itertools
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import durable_rules_engine  # noqa: E402

from engine import RULES_DIR  # noqa: E402
from engine.model import Report  # noqa: E402
from engine.parse import parse_bytes, parse_file, parse_text  # noqa: E402
from engine.rules import load_engine, load_rules  # noqa: E402
from engine.rules.compile import Compiled  # noqa: E402
from engine.rules.durable_host import durable_rules  # noqa: E402


def median_ms(action: Callable[[], object], rounds: int, before: Callable[[], object] = lambda: None) -> float:
    """The median CPU time of ``rounds`` calls of ``action``, each after an untimed ``before``, after
    one untimed call (caches warm)."""
    action()
    times = []
    for _ in range(rounds):
        before()
        start = time.process_time()
        action()
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def engine_at(revision: str) -> Any:
    """The rule engine as it was at git ``revision``, rules loaded: its ``engine/`` and ``rules/`` are
    taken into a temporary folder and imported as the package ``engine_baseline`` (the engine's imports
    are all relative), beside this checkout's ``engine``."""
    folder = Path(tempfile.mkdtemp(prefix="rule-speed-"))
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision, "engine", "rules"], check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    (folder / "engine").rename(folder / "engine_baseline")
    sys.path.insert(0, str(folder))
    rules = importlib.import_module("engine_baseline.rules")
    # durable-rules keeps rulesets by name in the whole process, and two of one name corrupt each other:
    # the baseline's names must not be this engine's (both count from 0).
    importlib.import_module("engine_baseline.rules.durable_host")._RULESETS = itertools.count(1_000_000)
    return rules.load_engine(folder / "rules")


def defect_reports(count: int) -> Iterator[tuple[str, Report, Report | None]]:
    """``count`` generated reports (name, report, prior or None), each with one defect kind of the
    catalogue injected, every kind, text layout and format in turn, every third with its prior-year
    report; the specs are drawn as the layout draws them, some with blank cells, so that checks not
    run are compared too (where a defect cannot be made in such a spec, a blank cell to bump or no
    period to shift, it is made in the spec drawn without blanks, with a period and every contact)."""
    from tests.generator import FORMATS, LAYOUTS, render
    from tests.generator.catalogue import DEFECT_KINDS, clean
    from tests.generator.pairs import following_year
    from tests.generator.spec import random_spec
    kinds = sorted(DEFECT_KINDS)
    for index in range(count):
        layout, kind = list(LAYOUTS)[index % len(LAYOUTS)], kinds[index % len(kinds)]
        fmt = FORMATS[index // len(LAYOUTS) % len(FORMATS)]
        for blank_rate in (LAYOUTS[layout].BLANK_RATE, 0.0):
            spec, prior = random_spec(20_000 + index, fmt, blank_rate), None
            if index % 3 == 2:
                prior, spec = render(spec, layout), following_year(spec)
            try:
                spec = DEFECT_KINDS[kind].edit(spec if blank_rate else clean(spec))
                break
            except (TypeError, ValueError):  # a blank cell to bump, no period to shift
                continue
        generated = render(spec, layout)
        yield (f"{generated.name} ({kind})", parse_bytes(generated.data, generated.name),
               parse_bytes(prior.data, prior.name) if prior else None)


def outcome(audit: Any) -> tuple[list, list, list]:
    """What an audit says, as plain data that two engines' audits (classes of their own) compare by."""
    return ([f.to_dict() for f in audit.findings], [s.to_dict() for s in audit.skipped], list(audit.rules_run))


def same_outcomes(baseline: Any, engine: Any, cases: Iterator[tuple[str, Report, Report | None]]) -> int:
    """How many cases both engines audit alike (each engine auditing them in turn, as a batch does);
    raises SystemExit at the first difference."""
    count = 0
    for name, report, prior in cases:
        before, after = outcome(baseline.audit(report, prior)), outcome(engine.audit(report, prior))
        for what, old, new in zip(("findings", "skipped", "rules_run"), before, after):
            if old != new:
                wrong = next((i, o, n) for i, (o, n) in enumerate(itertools.zip_longest(old, new)) if o != n)
                raise SystemExit(f"{name}: {what} differ at {wrong[0]}:\n  baseline {wrong[1]}\n  now      {wrong[2]}")
        count += 1
    return count


def batch_ms(reports: list[Report], baseline: Any = None) -> dict[str, float]:
    """CPU time per report of auditing ``reports`` once each, in turn, by engines of their own taking
    turns report by report (the machine's load falls on all alike), each going first in turn: one
    keeping its verdicts from report to report, one forgetting them before each report, and the
    ``baseline`` engine, if given, keeping its own."""
    engines = {"keeping": load_engine(RULES_DIR), "forgetting": load_engine(RULES_DIR)}
    if baseline is not None:
        engines["baseline"] = baseline
    spent = dict.fromkeys(engines, 0.0)
    order = list(engines.items())
    for index, report in enumerate(reports):
        # Each report is audited first by each engine in turn: the first pays for bringing the report
        # into the processor's caches, the others find it there.
        for name, engine in order[index % len(order):] + order[:index % len(order)]:
            if name == "forgetting":
                engine.verdicts.clear()
            start = time.process_time()
            engine.audit(report)
            spent[name] += time.process_time() - start
    return {name: total / len(reports) * 1000 for name, total in spent.items()}


def read_cells(report: Report) -> None:
    for table in report.tables.values():
        for row in table.row_labels:
            for column in table.column_labels:
                table.value(row, column)


def round_trip(compiled: list[Compiled]) -> Callable[[], None]:
    """One fact no rule matches, asserted and retracted, in a ruleset like the engine's for one format."""
    handle = durable_rules_engine.create_ruleset("rule_speed_baseline", json.dumps(durable_rules(compiled)))
    fact = json.dumps([{"sid": "benchmark", "id": 0, "rule": "none", "o": 0}])

    def post() -> None:
        durable_rules_engine.assert_facts(handle, fact)
        durable_rules_engine.retract_facts(handle, fact)
    return post


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--generated", type=int, default=20)
    parser.add_argument("--batch", type=int, default=300)
    parser.add_argument("--baseline", metavar="REV", help="git revision whose engine to compare with")
    parser.add_argument("--same", type=int, default=1000, help="defect reports both engines must agree on")
    args = parser.parse_args(argv)
    start = time.process_time()
    engine = load_engine(RULES_DIR)
    load_ms = (time.process_time() - start) * 1000
    start = time.process_time()
    load_rules(RULES_DIR)
    rules_ms = (time.process_time() - start) * 1000
    baseline = None
    if args.baseline:
        baseline = engine_at(args.baseline)
        samples = [(path.name, parse_file(path), None) for path in sorted((ROOT / "reports").iterdir())]
        count = same_outcomes(baseline, load_engine(RULES_DIR), itertools.chain(samples, defect_reports(args.same)))
        print(f"{args.baseline} and this engine: the same findings, checks not run and rules run, in order, on "
              f"{count} reports ({len(samples)} of reports/, {args.same} generated with a defect each)")
    reports = [(path.name, parse_file(path)) for path in sorted((ROOT / "reports").glob("*.txt"))]
    from tests.generator import generate_reports
    reports += [(item.name, parse_text(item.text, item.name)) for item in generate_reports(args.generated)]
    post = round_trip([item for item in engine.compiled.values() if item.partition == "2021"])
    print(f"{len(engine.rules)} rules; load_engine {load_ms:.0f} ms (load_rules alone, again: {rules_ms:.0f} ms); "
          f"{args.rounds} rounds per report, CPU time")
    print("  rules ms   cells ms    host ms  report")
    times, cells, host = [], [], []
    for name, report in reports:
        times.append(median_ms(lambda: engine.audit(report), args.rounds, engine.verdicts.clear))
        cells.append(median_ms(lambda: read_cells(report), args.rounds))
        host.append(median_ms(post, args.rounds))
        print(f"{times[-1]:9.2f} {cells[-1]:10.3f} {host[-1]:10.3f}  {name}")
    median = statistics.median(times)
    print(f"median {median:.2f} ms, slowest {max(times):.2f} ms per report (target about 2 ms; {1000 / median:.0f} "
          f"reports/s on one core); baselines: cells {statistics.median(cells):.3f} ms "
          f"({median / statistics.median(cells):.0f}x), host round trip {statistics.median(host):.3f} ms")
    batch = [parse_text(item.text, item.name) for item in generate_reports(args.batch, start=1000)]
    spent = batch_ms(batch, baseline)
    kept = spent["keeping"]
    print(f"batch of {len(batch)} generated reports, each audited once: {kept:.2f} ms per report keeping the "
          f"verdicts, {spent['forgetting']:.2f} ms forgetting them ({1000 / kept:.0f} reports/s on one core)")
    if baseline is not None:
        print(f"  {args.baseline}, keeping its verdicts, in turn on the same reports: {spent['baseline']:.2f} ms per "
              f"report (now {kept / spent['baseline']:.2f} of it)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

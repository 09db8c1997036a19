"""What recording an audit in the history store costs: per report, and for an audit of 5,000 reports
into a store already holding 50,000.

    python benchmarks/history_record.py [--reports N] [--held N] [--db URL]

The audits are synthetic: the five text samples and ten generated reports (tests.generator) are parsed
and audited once, then repeated under other file and body names (each name a hard link to the real
file, so that its sha256 is taken from real bytes) until an audit has ``--reports`` reports; findings
take the new body, so fingerprints differ as they would. Parsing and auditing are not timed. A store
of ``--held`` reports is filled first, then one audit is recorded and timed: making its rows, and
writing them in one transaction. Baselines in the same run: the same rows written with the sqlite3
module's ``executemany`` into a store of the same schema, and ``json.dump`` of the same rows. The
recording is given in wall and CPU time. Target: under 1 ms per report. ``--db`` times another store
(a PostgreSQL URL); the default is a new SQLite file.
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import sqlite3
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine import RULES_DIR  # noqa: E402
from engine.audit import run_audit  # noqa: E402
from engine.history.reuse import stored_prior_digests  # noqa: E402
from engine.history.rows import audit_rows  # noqa: E402
from engine.history.store import HistoryStore  # noqa: E402
from engine.model import AuditRun  # noqa: E402

TARGET_MS = 1.0


def base_run(folder: Path, generated: int) -> AuditRun:
    """The samples and ``generated`` generated reports, written to ``folder`` and audited."""
    from tests.generator import generate_reports
    for sample in sorted((ROOT / "reports").glob("*.txt")):
        (folder / sample.name).write_bytes(sample.read_bytes())
    for item in generate_reports(generated):
        (folder / item.name).write_text(item.text, encoding="utf-8")
    return run_audit([folder], RULES_DIR)


def multiplied(base: AuditRun, count: int, folder: Path, batch: int) -> AuditRun:
    """An audit of ``count`` reports made of ``base``'s under new names (batch ``batch``)."""
    run = AuditRun(rules=base.rules)
    for index in range(count):
        audit = base.audits[index % len(base.audits)]
        source = folder / f"{batch}-{index}-{Path(audit.report.source).name}"
        if not source.exists():
            os.link(audit.report.source, source)
        body = f"第{batch}批{index}号县{audit.report.body or '人民政府'}"
        report = copy.copy(audit.report)
        report.source, report.body = str(source), body
        run.audits.append(replace(audit, report=report, findings=[replace(f, body=body) for f in audit.findings]))
    return run


def per_report(seconds: float, reports: int) -> str:
    return f"{seconds:7.2f} s, {seconds / reports * 1000:6.3f} ms per report"


def sqlite_baseline(rows, path: Path) -> float:
    """The same rows inserted with the sqlite3 module alone, in one transaction (WAL, as the store)."""
    HistoryStore.open(f"sqlite:///{path}").close()
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    start = time.perf_counter()
    connection.execute("BEGIN IMMEDIATE")
    names = list(rows.run)
    run_id = connection.execute(f"INSERT INTO runs ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                                [rows.run[n] for n in names]).lastrowid
    for table, items in rows.children.items():
        if items:
            columns = [c for c in items[0] if c != "run"]
            connection.executemany(
                f"INSERT INTO {table} (run, {', '.join(columns)}) VALUES (?{', ?' * len(columns)})",
                [(run_id, *(item[c] for c in columns)) for item in items])
    connection.execute("COMMIT")
    seconds = time.perf_counter() - start
    connection.close()
    return seconds


def json_baseline(rows, path: Path) -> float:
    start = time.perf_counter()
    with path.open("w", encoding="utf-8") as out:
        json.dump({"run": rows.run, **rows.children}, out, ensure_ascii=False, default=str)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=5000, help="reports in the audit timed")
    parser.add_argument("--held", type=int, default=50000, help="reports the store holds before")
    parser.add_argument("--generated", type=int, default=10)
    parser.add_argument("--db", help="the store to time (default: a new SQLite file)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ogi-history-bench-") as tmp:
        work = Path(tmp)
        (work / "base").mkdir()
        (work / "names").mkdir()
        base = base_run(work / "base", args.generated)
        findings = sum(len(a.findings) for a in base.audits) / len(base.audits)
        print(f"{len(base.audits)} reports audited once ({findings:.1f} findings per report), "
              f"repeated under other names")
        store = HistoryStore.open(args.db or f"sqlite:///{work / 'history.sqlite'}")
        print(f"store: {store.name}")
        batch, held = 0, 0
        start = time.perf_counter()
        while held < args.held:
            size = min(args.reports, args.held - held)
            store.record(multiplied(base, size, work / "names", batch), RULES_DIR)
            batch, held = batch + 1, held + size
        print(f"filled with {held} reports in {batch} audits: {per_report(time.perf_counter() - start, held)}")

        run = multiplied(base, args.reports, work / "names", batch)
        start = time.perf_counter()
        digests = store.read(lambda connection: stored_prior_digests(connection, store.tables, run.audits))
        rows = audit_rows(run.audits, 0, digests)
        making = time.perf_counter() - start
        start, cpu = time.perf_counter(), time.process_time()
        store.record(run, RULES_DIR)
        recording, cpu = time.perf_counter() - start, time.process_time() - cpu
        last = run.audits[-1].report
        readings = []
        for _ in range(3):
            start = time.perf_counter()
            found = store.last_audit(last.body, last.year)
            readings.append(time.perf_counter() - start)
            assert found is not None and found.source == last.source
        store.close()

        print(f"an audit of {args.reports} reports into a store of {held}:")
        print(f"  record (rows + one transaction) {per_report(recording, args.reports)}")
        print(f"    in this process's CPU time    {per_report(cpu, args.reports)}  (SQLite works in the process; "
              f"the rest of the wall time is waiting: the disk, other work on a shared machine)")
        print(f"    of which making the rows      {per_report(making, args.reports)}")
        print(f"  baseline sqlite3 executemany    {per_report(sqlite_baseline(rows, work / 'plain.sqlite'), args.reports)}"
              f"  (the same rows, already made)")
        print(f"  baseline json.dump              {per_report(json_baseline(rows, work / 'rows.json'), args.reports)}")
        print(f"  last audit of a body, read back {min(readings) * 1000:7.2f} ms (best of 3)")
        cost = recording / args.reports * 1000
        print(f"recording costs {cost:.3f} ms per report (target < {TARGET_MS} ms)")
    return 0 if cost < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())

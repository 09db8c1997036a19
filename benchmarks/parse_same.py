"""Whether this parser reads every input exactly as the parser of a git revision does: the safety net of
a change to the parser that must not change what it reads (a speed-up).

Not a test: it compares two parsers, not a parser with what a report says. The revision's ``engine`` and
``rules`` are exported and imported under another package name (as :mod:`parse_speed` does), and each
input is parsed by both; their Reports are compared field by field, every cell with its value's type
and digits, every warning, section, contact detail, unread note and line. The inputs: generated reports
of every text layout and format (``--seeds``), of every file layout (``--file-seeds``), each defect
kind of :data:`tests.generator.catalogue.DEFECT_KINDS` in every layout, the truncated reports, and every
file of ``reports/``, ``tests/samples/`` and the folders named (``--folder``). Exit status 1 on any
difference, with the input named.

    python benchmarks/parse_same.py --baseline REV [--seeds 151] [--file-seeds 12] [--folder DIR ...]
"""
from __future__ import annotations

import argparse
import dataclasses
import pickle
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.generator, when run as a script

from benchmarks.parse_speed import baseline_parser  # noqa: E402
from engine.parse import parse_bytes  # noqa: E402

Parse = Callable[[bytes, str], object]


def canonical(value: object) -> object:
    """A form of a parse result that two copies of the engine give alike where they read alike: a
    dataclass as its class name and fields, a number with its type (``Decimal('1.0')`` is not ``1``)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, tuple((f.name, canonical(getattr(value, f.name)))
                                            for f in dataclasses.fields(value)))
    if isinstance(value, dict):
        return ("dict", tuple((canonical(k), canonical(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(canonical(v) for v in value))
    if isinstance(value, (set, frozenset)):
        return ("set", tuple(sorted(map(repr, value))))
    if isinstance(value, (int, float, str, bytes, bool, Decimal)) or value is None:
        return (type(value).__name__, repr(value))
    return (type(value).__name__, repr(value))


def outcome(parse: Parse, data: bytes, name: str) -> object:
    """The canonical Report, or the refusal (its class name and message)."""
    try:
        return canonical(parse(data, name))
    except Exception as error:  # noqa: BLE001 - a refusal is an outcome to compare too
        return ("raised", type(error).__name__, str(error))


def generated_inputs(seeds: int, file_seeds: int) -> Iterator[tuple[str, bytes]]:
    from tests.generator import FILE_LAYOUTS, FORMATS, LAYOUTS, generate, render
    from tests.generator.catalogue import DEFECT_KINDS, clean_spec
    from tests.generator.spec import random_spec

    for layout in LAYOUTS:
        for fmt in FORMATS:
            for seed in range(seeds):
                report = generate(seed, layout, fmt)
                yield report.name, report.data
    for layout in FILE_LAYOUTS:
        for fmt in FORMATS:
            for seed in range(file_seeds):
                report = generate(seed, layout, fmt)
                yield report.name, report.data
    for defect, kind in sorted(DEFECT_KINDS.items()):
        for layout in [*LAYOUTS, *FILE_LAYOUTS]:
            for fmt in FORMATS:
                report = render(kind.edit(clean_spec(7, fmt)), layout)
                yield f"{defect}: {report.name}", report.data
    for fmt in FORMATS:
        for seed in range(seeds):
            truncation = random_spec(seed, fmt).truncation
            if truncation is not None:
                for layout in LAYOUTS:
                    report = render(replace(clean_spec(seed, fmt), truncation=truncation), layout)
                    yield f"truncated: {report.name}", report.data


def file_inputs(folders: list[Path]) -> Iterator[tuple[str, bytes]]:
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            yield str(path), path.read_bytes()


def inputs(args: argparse.Namespace) -> list[tuple[str, bytes]]:
    """Every input, generated once and kept in ``--cache`` where given (the generator is slow)."""
    if args.cache and args.cache.exists():
        generated = pickle.loads(args.cache.read_bytes())
    else:
        generated = list(generated_inputs(args.seeds, args.file_seeds))
        if args.cache:
            args.cache.write_bytes(pickle.dumps(generated))
    return [*generated, *file_inputs([ROOT / "reports", ROOT / "tests" / "samples", *args.folder])]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", metavar="REV", required=True, help="the git revision to compare with")
    parser.add_argument("--seeds", type=int, default=151, help="generated reports per text layout and format")
    parser.add_argument("--file-seeds", type=int, default=12, help="generated files per file layout and format")
    parser.add_argument("--folder", type=Path, action="append", default=[], help="more files to compare on")
    parser.add_argument("--cache", type=Path, help="keep the generated inputs in this file between runs")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        baseline = baseline_parser(args.baseline, Path(folder))
        found = inputs(args)
        start, differ = time.process_time(), []
        for name, data in found:
            if outcome(parse_bytes, data, name) != outcome(baseline, data, name):
                differ.append(name)
                print(f"DIFFERS: {name}", flush=True)
    print(f"{len(found)} inputs, {len(differ)} read differently from {args.baseline} "
          f"({time.process_time() - start:.0f} s CPU)")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())

"""How long ``ogi-audit parse FILE`` of one text report takes as a command, against the target of
issue 10 point 7 (under 0.4 s), beside what any Python command costs on the machine at that moment.

Not a test: the machine is shared and its load changes from minute to minute, so each command is run
``--runs`` times as a subprocess, interleaved (one run of each per round), and the medians are printed
side by side with two baselines taken in the same rounds: ``python -c pass`` (the interpreter alone)
and ``python -c "import yaml, regex"`` (the libraries any reading of a report needs). The ratio to the
second says how much the command costs beyond them. Exit status 1 when the median misses the target.

The commands run as from an installed package, with their bytecode cached after a first untimed run
(in a temporary ``PYTHONPYCACHEPREFIX``, so that the working tree stays clean; an environment with
``PYTHONDONTWRITEBYTECODE`` compiles every module on every run). The parse command is also timed
without a cache, for comparison.

    python benchmarks/startup.py [FILE] [--runs 15] [--target 0.4]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from engine.text import display_width

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "reports" / "2020-周村区科技局.txt"
TARGET_S = 0.4


def seconds(command: list[str], environment: dict[str, str]) -> float:
    """Wall-clock seconds of one run of ``command``, which must succeed."""
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=environment, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def pad(text: str, width: int) -> str:
    """Left-align mixed Chinese and ASCII text in a monospace column."""
    return text + " " * (width - display_width(text))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=SAMPLE)
    parser.add_argument("--runs", type=int, default=15, help="runs of each command (default 15)")
    parser.add_argument("--target", type=float, default=TARGET_S, help=f"seconds (default {TARGET_S:g})")
    args = parser.parse_args(argv)

    parse = [sys.executable, "-m", "engine.cli", "parse", str(args.file)]
    with tempfile.TemporaryDirectory() as cache:
        cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        cached["PYTHONPYCACHEPREFIX"] = cache
        uncached = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        commands = {
            "python -c pass": ([sys.executable, "-c", "pass"], cached),
            'python -c "import yaml, regex"': ([sys.executable, "-c", "import yaml, regex"], cached),
            f"ogi-audit parse {args.file.name}": (parse, cached),
            "  the same, no bytecode cache": (parse, uncached),
        }
        for command, environment in commands.values():
            seconds(command, environment)  # the bytecode written, the files in the page cache
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, (command, environment) in commands.items():
                times[name].append(seconds(command, environment))
    medians = {name: statistics.median(values) for name, values in times.items()}

    width = max(display_width(name) for name in commands)
    print(f"{pad('command', width)}  median s  min s   ({args.runs} runs each, interleaved)")
    for name, values in times.items():
        print(f"{pad(name, width)}  {medians[name]:8.3f}  {min(values):5.3f}")
    interpreter, libraries, parse, _ = medians.values()
    print(f"parse / (import yaml, regex): {parse / libraries:.1f}x; beyond it {parse - libraries:.3f} s; "
          f"beyond the bare interpreter {parse - interpreter:.3f} s")
    if parse >= args.target:
        print(f"verdict: MISSED, median {parse:.3f} s, target under {args.target:g} s")
        return 1
    print(f"verdict: MET, median {parse:.3f} s, target under {args.target:g} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

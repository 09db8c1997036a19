"""The batch's own process does not keep what it has read (issue 10, point 2): its peak memory while
auditing a batch on a worker process grows by no more than a small bound per report when the batch
grows, whatever the reports hold. The chunk the batch works in is made small here, so that a batch a
test can afford spans many chunks; each batch is measured in a fresh interpreter
(tests/batch_memory_probe.py)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.generator import FORMATS, LAYOUTS, generate

ROOT = Path(__file__).resolve().parent.parent
#: What the batch may keep of each report (its brief, the notice outline, its name, what the manifest
#: records of its files; the dashboard's rows are on disk): about 2.2 KB; a report's text, tables or
#: findings kept would be tens of kilobytes each, its dashboard row held about 1 KB more.
PER_REPORT = 3 * 1024
CHUNK = 8


def _corpus(folder: Path, count: int) -> Path:
    folder.mkdir()
    layouts = sorted(LAYOUTS)
    for seed in range(count):
        report = generate(seed, layouts[seed % len(layouts)], FORMATS[seed % len(FORMATS)])
        (folder / f"{seed}.txt").write_bytes(report.data)
    return folder


def _peak(folder: Path, out: Path) -> int:
    done = subprocess.run([sys.executable, "-m", "tests.batch_memory_probe", str(folder), str(out), str(CHUNK)],
                          cwd=ROOT, capture_output=True, text=True, check=True)
    return int(done.stdout.strip().splitlines()[-1])


def test_peak_memory_does_not_grow_with_the_batch(tmp_path: Path) -> None:
    small, large = _corpus(tmp_path / "small", 16), _corpus(tmp_path / "large", 96)
    grown = _peak(large, tmp_path / "large-out") - _peak(small, tmp_path / "small-out")
    assert grown < PER_REPORT * 80, f"{grown / 80 / 1024:.1f} KB more a report"

"""The batch's own process does not keep what it has read (issue 10, point 2): its peak memory while
auditing a batch on a worker process (tracemalloc, in this process) grows by no more than a small bound
per report when the batch grows, whatever the reports hold. The chunk the batch works in is made
small here, so that a batch a test can afford spans many chunks."""
from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

import engine.audit
import engine.render
from engine.cli import main
from tests.generator import FORMATS, LAYOUTS, generate

#: What the batch may keep of each report (its brief, the notice outline, the dashboard row, its name):
#: a report's text, tables or findings kept would be tens of kilobytes each.
PER_REPORT = 4 * 1024
CHUNK = 8


def _corpus(folder: Path, count: int) -> Path:
    folder.mkdir()
    layouts = sorted(LAYOUTS)
    for seed in range(count):
        report = generate(seed, layouts[seed % len(layouts)], FORMATS[seed % len(FORMATS)])
        (folder / f"{seed}.txt").write_bytes(report.data)
    return folder


def _peak(folder: Path, out: Path) -> int:
    tracemalloc.start()
    try:
        assert main(["audit", str(folder), "-o", str(out), "--no-db", "--quiet", "--jobs", "1"]) in (0, 1)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_peak_memory_does_not_grow_with_the_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine.audit, "CHUNK", CHUNK)
    monkeypatch.setattr(engine.render, "CHUNK", CHUNK)
    small, large = _corpus(tmp_path / "small", 16), _corpus(tmp_path / "large", 96)
    _peak(small, tmp_path / "warm")  # the modules a run imports are loaded once, outside the comparison
    grown = _peak(large, tmp_path / "large-out") - _peak(small, tmp_path / "small-out")
    assert grown < PER_REPORT * 80, f"{grown / 80 / 1024:.1f} KB more a report"

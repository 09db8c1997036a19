"""The batch's own process does not keep what it has read (issue 10, point 2): its peak memory while
auditing a batch on a worker process grows by no more than a small bound per report when the batch
grows, whatever the reports hold. The chunk the batch works in is made small here, so that a batch a
test can afford spans many chunks; each batch is measured in a fresh interpreter
(tests/batch_memory_probe.py)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from engine.pairing import body_names
from engine.wording import load_wording
from tests.generator import FORMATS, LAYOUTS, generate, render
from tests.generator.catalogue import clean
from tests.generator.pairs import following_year
from tests.generator.spec import random_spec, wording

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


def _peak(folder: Path, out: Path, store: str | None = None) -> int:
    done = subprocess.run([sys.executable, "-m", "tests.batch_memory_probe", str(folder), str(out), str(CHUNK),
                           *([store] if store else [])], cwd=ROOT, capture_output=True, text=True, check=True)
    return int(done.stdout.strip().splitlines()[-1])


def test_peak_memory_does_not_grow_with_the_batch(tmp_path: Path) -> None:
    small, large = _corpus(tmp_path / "small", 16), _corpus(tmp_path / "large", 96)
    grown = _peak(large, tmp_path / "large-out") - _peak(small, tmp_path / "small-out")
    assert grown < PER_REPORT * 80, f"{grown / 80 / 1024:.1f} KB more a report"


def _two_years(folder: Path, count: int) -> tuple[Path, Path]:
    """``count`` bodies' reports of 2022 and of 2023, each 2023 one continuing its body's 2022 figures
    (tests.generator.pairs), in two folders: bodies of distinct names as pairing compares them, so that
    none is another's duplicate and each 2023 report has its prior in the first year alone."""
    words, bodies = wording(), load_wording().bodies
    names = [place + office for office in words["offices"] for place in words["places"]]
    distinct = list({body_names(name, bodies)[0]: name for name in names if body_names(name, bodies)}.values())
    assert len(distinct) >= count, f"the generator names {len(distinct)} distinct bodies"
    first, second = folder / "2022", folder / "2023"
    first.mkdir(parents=True)
    second.mkdir()
    for seed, body in enumerate(distinct[:count]):
        prior = clean(random_spec(seed, "2021", blank_rate=0.0, year=2022, body=body))
        (first / f"{seed}.txt").write_bytes(render(prior, "tab").data)
        (second / f"{seed}.txt").write_bytes(render(clean(following_year(prior, body=body)), "tab").data)
    return first, second


def _second_year_peak(folder: Path, count: int) -> int:
    """The peak of auditing the second year of ``count`` bodies, their first year recorded in a store."""
    first, second = _two_years(folder, count)
    store = f"sqlite:///{folder / 'history.sqlite'}"
    recorded = subprocess.run([sys.executable, "-m", "engine.cli", "audit", str(first), "-o", str(folder / "first"),
                               "--db", store, "--quiet", "--outputs", "json"], cwd=ROOT, capture_output=True, text=True)
    assert recorded.returncode in (0, 1), recorded.stderr
    return _peak(second, folder / "second", store)


def test_a_second_year_with_its_priors_in_the_store_does_not_hold_them(tmp_path: Path) -> None:
    """Next year's batch takes nearly every report's prior from the history store (its body's report
    of the year before is not among the inputs); a prior read back takes tens of kilobytes, so it is
    kept on disk with the audits (engine.history.prior.stored_priors), not held until the end."""
    grown = _second_year_peak(tmp_path / "large", 96) - _second_year_peak(tmp_path / "small", 16)
    assert grown < PER_REPORT * 80, f"{grown / 80 / 1024:.1f} KB more a report"

"""The HTML pages of the sample run compared with gold files, after scrubbing what changes per run.

To accept a deliberate change of the pages, regenerate the gold files (see tests/gold/README.md):
``OGI_REGOLD=1 pytest tests/test_render_gold.py`` and review the diff before committing it.
"""
from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

import pytest

from engine.render import write_outputs
from render_sample_run import ROOT, sample_run

GOLD = Path(__file__).parent / "gold"
CASE = GOLD / "sample"
#: Fixed notice date and deadline, so that notices do not change with the day the test runs.
SETTINGS = GOLD / "settings.yaml"
_GENERATED = re.compile(r'<span class="generated">生成时间 [^<]*</span>')


def scrub(text: str, out_dir: Path) -> str:
    """Remove what differs between runs: the generation time and the folders of this machine."""
    text = _GENERATED.sub('<span class="generated">生成时间 [TIME]</span>', text)
    return text.replace(str(out_dir), "[OUT]").replace(str(ROOT), "[ROOT]")


def _pages(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*.html"))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gold")
    write_outputs(sample_run(), out, SETTINGS)
    if os.environ.get("OGI_REGOLD"):
        for name in _pages(CASE) if CASE.exists() else []:
            (CASE / name).unlink()
        for name in _pages(out):
            target = CASE / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(scrub((out / name).read_text(encoding="utf-8"), out), encoding="utf-8")
    return out


def test_the_same_pages_are_written(rendered):
    assert _pages(rendered) == _pages(CASE)


@pytest.mark.parametrize("name", _pages(CASE))
def test_page_matches_gold(rendered, name):
    expected = (CASE / name).read_text(encoding="utf-8")
    actual = scrub((rendered / name).read_text(encoding="utf-8"), rendered)
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                            f"gold/{name}", f"rendered/{name}", n=2))
        pytest.fail(f"{name} differs from its gold file:\n{diff[:6000]}")

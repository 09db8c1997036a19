"""Incremental runs (issue 10, point 5): with a history store, an input whose bytes were audited before
under the same tool, rules and formats, and whose prior-year report is unchanged, is given its
recorded results instead of being read and audited again, and every output is what a full audit
would have written. A changed file, or a changed prior-year report, is audited again.

Each case runs twice over two stores that saw the same runs: once reusing and once with --no-reuse
(everything read again); the files written must be the same."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.cli import main
from tests.generator import render
from tests.generator.catalogue import clean_spec
from tests.generator.defects import bump_cell
from tests.generator.pairs import following_year
from tests.test_batch import _files


def _write(folder: Path, reports: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.iterdir():
        stale.unlink()
    for name, data in reports.items():
        (folder / name).write_bytes(data)
    return folder


def _audit(inputs: Path, out: Path, store: Path, *more: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    status = main(["audit", str(inputs), "-o", str(out), "--db", f"sqlite:///{store}", "--quiet", *more])
    return status, capsys.readouterr().out


@pytest.fixture
def reports() -> dict[str, bytes]:
    last = clean_spec(41, "2021")
    this = following_year(last)
    other = clean_spec(42, "2021")
    return {"last.txt": render(last, "tab").data, "this.txt": render(this, "tab").data,
            "other.txt": render(bump_cell(other, "三", "结转下年度", "自然人"), "lines").data}


def _twice(tmp_path: Path, first: dict[str, bytes], second: dict[str, bytes],
           capsys: pytest.CaptureFixture[str]) -> tuple[dict[str, bytes], dict[str, bytes], str]:
    """The second run's files reusing, and with everything read again, and what the reusing run said."""
    inputs = tmp_path / "inputs"
    found = []
    for way, more in (("reused", ()), ("again", ("--no-reuse",))):
        store, out = tmp_path / f"{way}.sqlite", tmp_path / way
        _audit(_write(inputs, first), out, store, capsys=capsys)
        status, said = _audit(_write(inputs, second), out, store, *more, capsys=capsys)
        found.append((status, _files(out), said))
    (status, reused, said), (again_status, again, _) = found
    assert status == again_status
    return reused, again, said


def test_an_unchanged_batch_is_given_its_results_and_the_same_files(tmp_path: Path, reports: dict[str, bytes],
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    reused, again, said = _twice(tmp_path, reports, reports, capsys)
    assert "其中 3 份与审核历史中已审核的文件相同" in said
    assert sorted(reused) == sorted(again)
    assert [name for name in again if reused[name] != again[name]] == []
    audits = json.loads(reused["findings.json"])
    assert any(item["prior"] for item in audits)
    assert any(f["status"] == "open" for item in audits for f in item["findings"])


def test_a_changed_file_is_audited_again(tmp_path: Path, reports: dict[str, bytes],
                                         capsys: pytest.CaptureFixture[str]) -> None:
    changed = dict(reports, **{"other.txt": render(clean_spec(42, "2021"), "lines").data})
    reused, again, said = _twice(tmp_path, reports, changed, capsys)
    assert "其中 2 份与审核历史中已审核的文件相同" in said
    assert [name for name in again if reused.get(name) != again[name]] == []
    other = next(item for item in json.loads(reused["findings.json"]) if item["source"].endswith("other.txt"))
    assert other["fixed"], "the corrected file was given the findings of the file it replaced"


def test_a_report_whose_prior_year_report_changed_is_audited_again(tmp_path: Path, reports: dict[str, bytes],
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    last = clean_spec(41, "2021")
    changed = dict(reports, **{"last.txt": render(bump_cell(last, "三", "结转下年度", "自然人", by=7), "tab").data})
    reused, again, said = _twice(tmp_path, reports, changed, capsys)
    assert "其中 1 份与审核历史中已审核的文件相同" in said  # other.txt; this.txt is compared with the new last.txt
    assert [name for name in again if reused.get(name) != again[name]] == []

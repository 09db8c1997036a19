"""Incremental runs (issue 10, point 5): with a history store, an input whose bytes were audited before
under the same tool, rules and formats, and whose prior-year report is unchanged, is given its
recorded results instead of being read and audited again, and every output is what a full audit
would have written. A changed file, or a changed prior-year report, is audited again.

Each case runs twice over two stores that saw the same runs: once reusing and once with --no-reuse
(everything read again); the files written must be the same.

A rerun keeps a page or notice whose recipe (everything it is made from: engine.render.recipe) is
unchanged and whose file is as written, without reading the report again; a kept file is the one not
written again (its modification time unchanged), and the folder must still be what --no-reuse writes."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

import engine.batch.pipeline
import engine.history.store
from engine.cli import main
from engine.history.rows import AUDIT_TABLES
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


def _audit(inputs: Path, out: Path, *more: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    status = main(["audit", str(inputs), "-o", str(out), "--quiet", *more])
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
    reused, again, said, _ = _runs(tmp_path, [first, second], capsys)
    return reused, again, said


def _times(out: Path) -> dict[str, int]:
    return {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for folder in ("reports", "notices")
            if (out / folder).is_dir() for p in (out / folder).iterdir()}


def _runs(tmp_path: Path, batches: list[dict[str, bytes]], capsys: pytest.CaptureFixture[str],
          *store: str) -> tuple[dict[str, bytes], dict[str, bytes], str, set[str]]:
    """The last run's files reusing and with everything read again (each after the same runs before it,
    reusing), what the reusing run said, and the pages and notices it kept (not written again).
    ``store``: --no-db, else a store of each way's own."""
    inputs = tmp_path / "inputs"
    found = []
    for way, more in (("reused", ()), ("again", ("--no-reuse",))):
        out = tmp_path / way
        options = list(store) or ["--db", f"sqlite:///{tmp_path / f'{way}.sqlite'}"]
        for before in batches[:-1]:
            _audit(_write(inputs, before), out, *options, capsys=capsys)
        times = _times(out)
        status, said = _audit(_write(inputs, batches[-1]), out, *options, *more, capsys=capsys)
        kept = {name for name, at in _times(out).items() if times.get(name) == at}
        found.append((status, _files(out), said, kept))
    (status, reused, said, kept), (again_status, again, _, remade) = found
    assert status == again_status
    assert remade == set(), "--no-reuse kept a page"
    return reused, again, said, kept


def test_an_unchanged_batch_is_given_its_results_and_the_same_files(tmp_path: Path, reports: dict[str, bytes],
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    reused, again, said = _twice(tmp_path, reports, reports, capsys)
    assert "其中 3 份与审核历史中已审核的文件相同" in said
    assert sorted(reused) == sorted(again)
    assert [name for name in again if reused[name] != again[name]] == []
    audits = json.loads(reused["findings.json"])
    assert any(item["prior"] for item in audits) and any(item["findings"] for item in audits)


@pytest.mark.parametrize(("layout", "places"), [("pdf_file", r"第\d+页(表格\d+)?第\d+行"), ("docx", r"表格\d+第\d+行|第\d+段"),
                                               ("html_page", r"表格\d+第\d+行|第\d+段"), ("crawled", r"第\d+行")])
def test_a_file_given_its_results_names_its_places_as_its_reader_did(tmp_path: Path, layout: str, places: str,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """In a PDF, Word file or web page a finding is placed where the agency finds it (第2页第5行,
    表格2第4行, 第5段), not at a line of the text the office made from it: given its recorded results,
    the CSV, the xlsx and SARIF say the same places as when it was read (in a text file: its lines)."""
    report = render(bump_cell(clean_spec(43, "2021"), "三", "本年新收", "自然人"), layout)
    batch = {report.name: report.data}
    reused, again, said = _twice(tmp_path, batch, batch, capsys)
    assert "其中 1 份与审核历史中已审核的文件相同" in said
    assert [name for name in again if reused.get(name) != again[name]] == []
    rows = list(csv.DictReader(io.StringIO(reused["findings.csv"].decode("utf-8-sig"))))
    named = [row["原文位置"] for row in rows if row["原文位置"]]
    assert named and all(re.fullmatch(places, place) for place in named), named


def _rows(store: Path, run: int) -> dict[str, list[tuple]]:
    """The rows run ``run`` wrote into each table of its audits, in order."""
    with closing(sqlite3.connect(store)) as connection:
        found = {}
        for table in AUDIT_TABLES:
            columns = [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
            order = ", ".join(name for name in ("number", "position", "name") if name in columns)
            found[table] = connection.execute(f"SELECT * FROM {table} WHERE run = ? ORDER BY {order}", (run,)).fetchall()
    return found


def test_an_audit_given_again_is_recorded_as_one_made_again(tmp_path: Path, reports: dict[str, bytes],
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    """Its findings and checks not run are copied inside the store from the audit it was given from:
    the rows of the rerun are those --no-reuse writes, table by table."""
    pdf = render(bump_cell(clean_spec(43, "2021"), "三", "本年新收", "自然人"), "pdf_file")
    batch = {**reports, pdf.name: pdf.data}
    _twice(tmp_path, batch, batch, capsys)
    reused, again = _rows(tmp_path / "reused.sqlite", 2), _rows(tmp_path / "again.sqlite", 2)
    assert reused["findings"] and reused["skipped"]
    assert reused == again


def test_an_audit_whose_recorded_rows_went_meanwhile_is_not_recorded_without_them(
        tmp_path: Path, reports: dict[str, bytes], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The run an audit is given from removed from the store while the batch runs (by hand, by another
    program): the rerun is not recorded, rather than recorded with no findings, and says what to do."""
    inputs, out, db = _write(tmp_path / "inputs", reports), tmp_path / "out", tmp_path / "h.sqlite"
    _audit(inputs, out, "--db", f"sqlite:///{db}", capsys=capsys)
    recording = engine.history.store.HistoryStore.recording

    def recording_after_removal(store, run, rules_dir, inputs=None):  # after the audits were given
        store.engine.dispose()
        with closing(sqlite3.connect(db)) as connection:
            connection.execute("DELETE FROM findings WHERE run = 1")
            connection.commit()
        return recording(store, run, rules_dir, inputs)
    monkeypatch.setattr(engine.history.store.HistoryStore, "recording", recording_after_removal)
    capsys.readouterr()
    assert main(["audit", str(inputs), "-o", str(out), "--quiet", "--db", f"sqlite:///{db}"]) == 2
    assert "沿用的审核记录在本次审核期间被删除或改动；请加 --no-reuse 重新审核" in capsys.readouterr().err
    assert len(_rows(db, 2)["inputs"]) == 0


def test_recorded_audits_are_taken_a_chunk_at_a_time_and_all_given(tmp_path: Path, reports: dict[str, bytes],
                                                                   capsys: pytest.CaptureFixture[str],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The store's audits of a large batch are not held at once (flat memory): two at a time here."""
    monkeypatch.setattr(engine.batch.pipeline, "REUSE_CHUNK", 2)
    reused, again, said = _twice(tmp_path, reports, reports, capsys)
    assert "其中 3 份与审核历史中已审核的文件相同" in said
    assert [name for name in again if reused[name] != again[name]] == []


def test_the_same_files_audited_again_are_no_resubmission(tmp_path: Path, reports: dict[str, bytes],
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """The office runs the batch again (the agencies sent nothing new): every finding is as new as it
    was, no report is compared with its own earlier audit, no notice speaks of a report sent again or
    of a problem 仍未整改, and the second and third runs keep every page and notice the first wrote."""
    inputs, out, db = _write(tmp_path / "inputs", reports), tmp_path / "out", f"sqlite:///{tmp_path / 'h.sqlite'}"
    _audit(inputs, out, "--db", db, capsys=capsys)
    first = json.loads((out / "findings.json").read_text("utf-8"))
    pages = _times(out)
    assert any(name.startswith("notices/") for name in pages)
    for run in (2, 3):
        status, said = _audit(inputs, out, "--db", db, capsys=capsys)
        assert f"记录编号 {run}" in said
        audits = json.loads((out / "findings.json").read_text("utf-8"))
        assert [[f["status"] for f in item["findings"]] for item in audits] == \
            [[f["status"] for f in item["findings"]] for item in first]
        assert {f["status"] for item in audits for f in item["findings"]} == {"new"}
        assert {item["compared_with_run"] for item in audits} == {None}
        assert [f for item in audits for f in item["fixed"]] == []
        assert _times(out) == pages, "a page or notice made again"
    for notice in (out / "notices").glob("*.html"):
        text = notice.read_text("utf-8")
        assert "重新报送" not in text and "仍未整改" not in text


def test_a_corrected_file_audited_again_is_compared_as_it_was_the_first_time(
        tmp_path: Path, reports: dict[str, bytes], capsys: pytest.CaptureFixture[str]) -> None:
    """A file in run 1, another file for the same report in runs 2 and 3: in run 3 the second file is
    compared with run 1's, as in run 2, and what it alone has is still new (not back again, as if its
    own audit in run 2 were an earlier submission); run 3 keeps the pages and notices of run 2."""
    other = bump_cell(clean_spec(42, "2021"), "三", "本年新收", "总计", by=5)
    corrected = dict(reports, **{"other.txt": render(other, "lines").data})
    inputs, out, db = tmp_path / "inputs", tmp_path / "out", f"sqlite:///{tmp_path / 'h.sqlite'}"
    found = []
    for batch in (reports, corrected, corrected):
        _audit(_write(inputs, batch), out, "--db", db, capsys=capsys)
        audits = json.loads((out / "findings.json").read_text("utf-8"))
        found.append(next(item for item in audits if item["source"].endswith("other.txt")))
        if len(found) == 2:
            pages = _times(out)
    first, second, third = found
    assert second["compared_with_run"] == third["compared_with_run"] == 1 and second["fixed"]
    assert third["fixed"] == second["fixed"]
    statuses = [(f["fingerprint"], f["status"]) for f in third["findings"]]
    assert statuses == [(f["fingerprint"], f["status"]) for f in second["findings"]]
    before = {f["fingerprint"] for f in first["findings"]}
    assert {status for key, status in statuses if key not in before} == {"new"}
    assert _times(out) == pages, "a page or notice made again"


def test_a_file_given_back_as_it_was_is_compared_with_the_correction_recorded_after_it(
        tmp_path: Path, reports: dict[str, bytes], capsys: pytest.CaptureFixture[str]) -> None:
    """Bytes audited in run 1, corrected in run 2, the first bytes again in run 3: given run 1's findings,
    compared with run 2's audit (the last), so what the correction had fixed is open again, not new."""
    corrected = dict(reports, **{"other.txt": render(clean_spec(42, "2021"), "lines").data})
    reused, again, said, _ = _runs(tmp_path, [reports, corrected, reports], capsys)
    assert "其中 3 份与审核历史中已审核的文件相同" in said
    assert [name for name in again if reused.get(name) != again[name]] == []
    other = next(item for item in json.loads(reused["findings.json"]) if item["source"].endswith("other.txt"))
    assert other["compared_with_run"] == 2
    assert other["findings"] and {f["status"] for f in other["findings"]} == {"reappeared"}


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


def test_a_resubmission_makes_its_page_and_notice_again(tmp_path: Path, reports: dict[str, bytes],
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    # With a store, a file given back as it was after a correction is a resubmission: its statuses and
    # the run it is compared with change, and so its page and notice; the other files' are kept.
    corrected = dict(reports, **{"other.txt": render(clean_spec(42, "2021"), "lines").data})
    reused, again, _, kept = _runs(tmp_path, [reports, corrected, reports], capsys)
    assert [name for name in again if reused.get(name) != again[name]] == []
    assert any(name.startswith("notices/") and "other" in name for name in again)
    assert kept == {name for name in _times(tmp_path / "reused") if "other" not in name}


def test_without_a_store_a_rerun_keeps_every_page_and_notice(tmp_path: Path, reports: dict[str, bytes],
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    reused, again, _, kept = _runs(tmp_path, [reports, reports], capsys, "--no-db")
    assert [name for name in again if reused.get(name) != again[name]] == []
    assert kept == set(_times(tmp_path / "reused")) and any(name.startswith("notices/") for name in kept)


def test_a_rerun_makes_again_what_changed_and_only_that(tmp_path: Path, reports: dict[str, bytes],
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    # Still with an error, so that the notices keep their numbers (without a store: in batch order).
    other = bump_cell(clean_spec(42, "2021"), "三", "结转下年度", "自然人", by=7)
    changed = dict(reports, **{"other.txt": render(other, "lines").data})
    reused, again, _, kept = _runs(tmp_path, [reports, changed], capsys, "--no-db")
    assert [name for name in again if reused.get(name) != again[name]] == []
    assert kept == {name for name in _times(tmp_path / "reused") if "other" not in name}


def test_a_kept_file_must_still_be_as_written(tmp_path: Path, reports: dict[str, bytes],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    inputs, out = _write(tmp_path / "inputs", reports), tmp_path / "out"
    _audit(inputs, out, "--no-db", capsys=capsys)
    edited, touched = sorted((out / "notices").glob("*.html"))[0], sorted((out / "reports").glob("*.html"))[0]
    edited.write_text(edited.read_text(encoding="utf-8").replace("通知书", "通知"), encoding="utf-8")
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 10**9))  # a copy, same bytes
    times = _times(out)
    status, said = _audit(inputs, out, "--no-db", capsys=capsys)
    assert f"已保留 notices/{edited.name}（本工具写入后被修改过，未覆盖）" in said
    assert (out / "notices" / f"{edited.stem}.new.html").is_file()
    assert _times(out)[f"reports/{touched.name}"] == times[f"reports/{touched.name}"]

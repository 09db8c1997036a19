"""Batches on worker processes and on Dask (issue 10, points 1, 2, 6 and 8): the same results, byte for
byte, whatever runs them; a report that kills its worker or hangs is listed with the reason and the
batch completes; the batch's own process does not keep the reports it has read.

The batch is generated (tests/generator): reports in every text layout, a pair of one body's reports of
two years (so that the prior-year rules run across the batch), one report given twice, and a file that
is no report."""
from __future__ import annotations

import json
import re
import zipfile
from functools import partial
from pathlib import Path

import pytest

from engine import RULES_DIR
from engine.audit import run_audit
from engine.batch.pipeline import Batch
from engine.batch.pool import Failure, InProcess, LocalPool
from engine.batch.tasks import rule_engine
from engine.cli import main
from tests.batch_faults import CRASH, HANG, FaultyPool
from tests.generator import FORMATS, LAYOUTS, generate, render
from tests.generator.pairs import following_year

GENERATED = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("batch")
    layouts = sorted(LAYOUTS)
    reports = [generate(seed, layouts[seed % len(layouts)], FORMATS[seed % len(FORMATS)]) for seed in range(10)]
    for report in reports:
        (folder / f"{report.name}.txt").write_bytes(report.data)
    prior = reports[0]
    (folder / "following.txt").write_bytes(render(following_year(prior.spec), "tab").data)
    (folder / "copy.txt").write_bytes(reports[3].data)
    (folder / "readme.txt").write_text("本文件夹是报送的年度报告。\n", encoding="utf-8")
    return folder


def _audit(batch: Path, out: Path, *where: str) -> int:
    return main(["audit", str(batch), "-o", str(out), "--no-db", "--quiet", *where])


def _files(out: Path) -> dict[str, bytes]:
    """Every file the audit wrote, as compared: pages without the minute they were made, Word files by
    their parts without the package's timestamps (Word and Excel files alike)."""
    found = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        relative = path.relative_to(out).as_posix()
        if path.suffix in (".docx", ".xlsx"):
            with zipfile.ZipFile(path) as package:
                found.update({f"{relative}/{name}": package.read(name) for name in package.namelist()
                              if name != "docProps/core.xml"})
        elif relative == ".ogi-audit-manifest.json":
            found[relative] = json.dumps(sorted(json.loads(path.read_text("utf-8"))["files"])).encode()
        else:
            found[relative] = GENERATED.sub("", path.read_text("utf-8", "replace")).encode()
    return found


@pytest.fixture(scope="module")
def in_process(batch: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[int, dict[str, bytes]]:
    out = tmp_path_factory.mktemp("in-process")
    return _audit(batch, out, "--jobs", "0"), _files(out)


def test_the_batch_has_what_it_should(in_process: tuple[int, dict[str, bytes]]) -> None:
    status, files = in_process
    assert status == 3  # the readme is listed as no report
    audits = json.loads(files["findings.json"])
    assert len(audits) == 13
    assert any(item.get("prior") for item in audits), "the two years of one body were not paired"
    assert any(item["duplicate_of"] for item in audits)
    assert any(item.get("unreadable") for item in audits)
    assert any(name.startswith("notices/") for name in files)


@pytest.mark.parametrize("where", [("--jobs", "1"), ("--jobs", "2"), ("--dask", "local")],
                         ids=["jobs-1", "jobs-2", "dask-local"])
def test_the_same_results_whatever_runs_them(batch: Path, in_process: tuple[int, dict[str, bytes]],
                                             tmp_path: Path, where: tuple[str, ...]) -> None:
    status, files = in_process
    assert _audit(batch, tmp_path, *where) == status
    found = _files(tmp_path)
    assert sorted(found) == sorted(files)
    different = [name for name in files if found[name] != files[name]]
    assert not different


def test_a_report_that_kills_its_worker_or_hangs_is_listed(batch: Path, tmp_path: Path) -> None:
    folder = tmp_path / "inputs"
    folder.mkdir()
    good = sorted(batch.glob("*-*-*.txt"))[:2]
    for path in good:
        (folder / path.name).write_bytes(path.read_bytes())
    text = good[0].read_text("utf-8")
    (folder / "crashes.txt").write_text(text.replace("\n", f"\n{CRASH}\n", 1), encoding="utf-8")
    (folder / "hangs.txt").write_text(text.replace("\n", f"\n{HANG}\n", 1), encoding="utf-8")
    with Batch(FaultyPool(2, time_limit=3, warm=partial(rule_engine, str(RULES_DIR)))) as faulty:
        run = run_audit([folder], RULES_DIR, batch=faulty)
    assert sorted(Path(audit.report.source).name for audit in run.audits) == sorted(p.name for p in good)
    reasons = {Path(item.source).name: item.reason for item in run.unreadable}
    assert "工作进程意外终止" in reasons["crashes.txt"] and "信号 11" in reasons["crashes.txt"]
    assert "超过 3 秒" in reasons["hangs.txt"]
    assert all("重试一次" in reason for reason in reasons.values())


def _raises(number: int) -> int:
    if number == 2:
        raise ValueError("第二个任务出错")
    return number * 10


def test_a_task_that_raises_is_retried_in_a_fresh_process_then_failed() -> None:
    pool = LocalPool(2, time_limit=30)
    try:
        results = dict(pool.run(_raises, [0, 1, 2, 3]))
    finally:
        pool.close()
    assert [results[i] for i in (0, 1, 3)] == [0, 10, 30]
    assert isinstance(results[2], Failure) and "第二个任务出错" in results[2].reason
    assert dict(InProcess().run(_raises, [2]))[0].reason.endswith("ValueError: 第二个任务出错）")


def test_a_bad_number_of_jobs_is_refused(batch: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    assert _audit(batch, tmp_path, "--jobs", "-1") == 2
    assert "工作进程数不能为负数" in capsys.readouterr().err
    monkeypatch.setenv("OGI_AUDIT_JOBS", "all")
    assert _audit(batch, tmp_path) == 2
    assert "OGI_AUDIT_JOBS 应为工作进程数" in capsys.readouterr().err
    assert not (tmp_path / "findings.json").exists()

"""Prior years from history (issue 9 point 4): when last year's report of a body is not among the
inputs but its audit is in the store, the prior-year rules read the stored figures, and the report's
page names the audit they came from. On SQLite and on a real PostgreSQL (the store tests' fixtures).

Expected values come from the generator: consecutive years of one body whose carry-over holds
(tests/generator/pairs.py), and the one cell a recorded edit changed (tests/generator/defects.py).
"""
from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from engine.cli import main
from engine.history.store import HistoryStore
from engine.model import PriorRecord, Report, ReportAudit
from engine.render.report_page import prior_record
from tests.generator import render
from tests.generator.catalogue import clean
from tests.generator.defects import bump_cell
from tests.generator.pairs import following_year
from tests.generator.spec import random_spec
from tests.postgres import postgres_server, postgres_url  # noqa: F401 - fixtures
from tests.test_history_store import store_url  # noqa: F401 - fixture

PRIOR = clean(random_spec(3, "2021", blank_rate=0.0))
THIS = clean(following_year(PRIOR, body=PRIOR.body))


def _audit(spec, folder: Path, url: str) -> dict:
    """``ogi-audit audit`` of ``spec`` alone as a text file in ``folder``: its report in the JSON."""
    folder.mkdir()
    path = folder / f"{spec.year}.txt"
    path.write_text(render(spec, "tab").text, encoding="utf-8")
    main(["audit", str(path), "--db", url, "-o", str(folder / "out"), "--outputs", "json,html"])
    [report] = json.loads((folder / "out" / "findings.json").read_text(encoding="utf-8"))
    return report


def _last_run(url: str) -> int:
    store = HistoryStore.open(url)
    try:
        return store.runs()[-1].id
    finally:
        store.close()


def test_the_carry_over_is_checked_with_last_year_s_report_only_in_the_store(store_url, tmp_path):  # noqa: F811
    _audit(PRIOR, tmp_path / "last", store_url)
    recorded = _last_run(store_url)
    this = _audit(THIS, tmp_path / "this", store_url)
    assert this["prior"].endswith(f"{PRIOR.year}.txt") and this["prior_from_run"] == recorded
    assert "PRI-001" in this["rules_run"]
    assert "PRI-001" not in {s["rule"] for s in this["skipped"]}
    assert [f for f in this["findings"] if f["rule"].startswith("PRI-")] == []
    pages = [p.read_text(encoding="utf-8") for p in (tmp_path / "this" / "out").rglob("*.html")]
    assert sum(f"的审核记录（记录编号 {recorded}）" in text for text in pages) == 1


def test_a_broken_carry_over_is_found_against_the_latest_stored_audit(store_url, tmp_path):  # noqa: F811
    """Last year's report audited twice, the second time with its 结转下年度 of 自然人 one more: this
    year's audit reads the latest, and PRI-001 says the column and both figures."""
    _audit(PRIOR, tmp_path / "first", store_url)
    broken = bump_cell(PRIOR, "三", "结转下年度", "自然人")
    _audit(broken, tmp_path / "resubmitted", store_url)
    this = _audit(THIS, tmp_path / "this", store_url)
    label = PRIOR.fmt.tables["三"].row("结转下年度").label
    carried = PRIOR.tables["三"][label]["自然人"]
    fired = [f for f in this["findings"] if f["rule"] == "PRI-001"]
    assert [(f["location"]["column"], f["expected"], f["actual"]) for f in fired if f["location"]["column"] == "自然人"] \
        == [("自然人", str(carried + 1), str(carried))]


def test_a_report_given_twice_is_checked_against_the_stored_prior_in_each_copy(store_url, tmp_path):  # noqa: F811
    """This year's report given twice, in two layouts, with last year's recorded broken: the store is
    asked once for the two, and each copy is checked against the stored figures and says so."""
    _audit(bump_cell(PRIOR, "三", "结转下年度", "自然人"), tmp_path / "broken", store_url)
    recorded = _last_run(store_url)
    folder = tmp_path / "twice"
    folder.mkdir()
    for layout in ("tab", "pipe"):
        (folder / f"{layout}.txt").write_text(render(THIS, layout).text, encoding="utf-8")
    main(["audit", str(folder), "--db", store_url, "-o", str(tmp_path / "out"), "--outputs", "json"])
    reports = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    carried = PRIOR.tables["三"][PRIOR.fmt.tables["三"].row("结转下年度").label]["自然人"]
    assert len(reports) == 2
    for this in reports:
        assert this["prior"].endswith(f"{PRIOR.year}.txt") and this["prior_from_run"] == recorded
        assert [(f["expected"], f["actual"]) for f in this["findings"]
                if f["rule"] == "PRI-001" and f["location"]["column"] == "自然人"] == [(str(carried + 1), str(carried))]


def test_a_batch_holding_last_year_s_report_pairs_within_it(store_url, tmp_path):  # noqa: F811
    """The file given wins over the store: last year's report recorded broken, then given whole with
    this year's: no PRI-001 finding, and the page names no stored audit."""
    _audit(bump_cell(PRIOR, "三", "结转下年度", "自然人"), tmp_path / "broken", store_url)
    folder = tmp_path / "both"
    folder.mkdir()
    for spec in (PRIOR, THIS):
        (folder / f"{spec.year}.txt").write_text(render(spec, "tab").text, encoding="utf-8")
    main(["audit", str(folder), "--db", store_url, "-o", str(tmp_path / "out"), "--outputs", "json,html"])
    reports = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    this = next(r for r in reports if r["year"] == THIS.year)
    assert this["prior"] == str(folder / f"{PRIOR.year}.txt") and this["prior_from_run"] is None
    assert [f for f in this["findings"] if f["rule"] == "PRI-001"] == []
    assert not any("的审核记录（记录编号" in p.read_text(encoding="utf-8") for p in (tmp_path / "out").rglob("*.html"))


def test_a_run_holding_two_different_reports_of_last_year_gives_none(store_url, tmp_path):  # noqa: F811
    """Last year's report and an edited copy audited in one run: which one was published is not known,
    so neither is taken, as pairing takes neither in a batch; PRI-001 is not run, and says why."""
    folder = tmp_path / "two"
    folder.mkdir()
    for name, spec in (("a.txt", PRIOR), ("b.txt", bump_cell(PRIOR, "三", "结转下年度", "自然人"))):
        (folder / name).write_text(render(spec, "tab").text, encoding="utf-8")
    main(["audit", str(folder), "--db", store_url, "-o", str(tmp_path / "out"), "--outputs", "json"])
    this = _audit(THIS, tmp_path / "this", store_url)
    assert this["prior"] is None and this["prior_from_run"] is None
    assert "PRI-001" in {s["rule"] for s in this["skipped"]}


def test_without_a_store_the_prior_year_checks_are_not_run(tmp_path):
    folder = tmp_path / "alone"
    folder.mkdir()
    (folder / "this.txt").write_text(render(THIS, "tab").text, encoding="utf-8")
    main(["audit", str(folder), "--no-db", "-o", str(tmp_path / "out"), "--outputs", "json"])
    [this] = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    assert this["prior"] is None and "PRI-001" in {s["rule"] for s in this["skipped"]}


def test_the_page_line_names_the_run_and_its_date():
    audit = ReportAudit(Report("x.txt"), prior="last.txt",
                        prior_record=PriorRecord(7, datetime(2026, 12, 1, 12, tzinfo=UTC)))
    assert prior_record(audit) == f"上年数据取自 {audit.prior_record.at.astimezone():%Y-%m-%d} 的审核记录（记录编号 7）"
    assert prior_record(ReportAudit(Report("x.txt"))) is None

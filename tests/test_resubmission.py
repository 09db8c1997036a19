"""Resubmissions (engine.resubmission), on SQLite and on a real PostgreSQL server: a batch of generated
reports audited, two of them edited (one defect fixed, another added), audited again: each finding is
new, open or reappeared and what is gone is fixed, exactly as the generator's recorded defects say; the
pages, the dashboard and the notices say so. A finding whose rule did not run again is never fixed.

Expected values come from the generator: each defect kind names the rule that must find it
(tests/generator/catalogue.py), and a clean report has no finding.
"""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from docx import Document

from engine.cli import main
from engine.history.reading import RunSummary, StoredAudit
from engine.model import Finding, Location, Report, ReportAudit, Skipped
from engine.resubmission import compare
from tests.generator import render
from tests.generator.catalogue import DEFECT_KINDS, clean
from tests.generator.defects import blank_cell
from tests.generator.spec import random_spec
from tests.postgres import new_database, postgres_server, postgres_url  # noqa: F401 - fixtures
from tests.test_history_store import store_url  # noqa: F401 - fixture: SQLite and PostgreSQL

YEAR = 2022
#: File name → (body, seed) of the generated batch.
BATCH = {"keji.txt": ("某县科学技术局", 1), "caizheng.txt": ("某县财政局", 2), "jiaoyu.txt": ("某县教育局", 3)}
FIRST = {"keji.txt": ("missing section", "no email"), "caizheng.txt": ("table 四 total",), "jiaoyu.txt": ()}
#: keji: section 五 put back, table 四's total broken; caizheng: table 四 mended, the e-mail left out.
SECOND = {**FIRST, "keji.txt": ("no email", "table 四 total"), "caizheng.txt": ("no email",)}


def wanted(defects: tuple[str, ...]) -> set[str]:
    """The rules the generator says must find ``defects``."""
    return {rule for defect in defects for rule, _ in DEFECT_KINDS[defect].wanted}


def write_batch(folder: Path, defects: dict[str, tuple[str, ...]]) -> None:
    folder.mkdir(exist_ok=True)
    for name, (body, seed) in BATCH.items():
        spec = clean(random_spec(seed, "2021", blank_rate=0.0, body=body, year=YEAR))
        for defect in defects[name]:
            spec = DEFECT_KINDS[defect].edit(spec)
        (folder / name).write_text(render(spec, "tab").text, encoding="utf-8")


def audit(folder: Path, url: str, out: Path, *more: str) -> tuple[int, dict[str, dict]]:
    """Exit status and the findings JSON by file name."""
    code = main(["audit", str(folder), "--db", url, "-o", str(out), *more])
    written = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    return code, {Path(r["source"]).name: r for r in written}


def statuses(report: dict) -> dict[str, str]:
    return {f["rule"]: f["status"] for f in report["findings"]}


def notice_path(out: Path, body: str) -> Path:
    """The HTML notice addressed to ``body`` (its Word version has the same name)."""
    found = [path for path in sorted((out / "notices").glob("*.html")) if f"{body}：" in path.read_text(encoding="utf-8")]
    assert len(found) == 1, f"{body} 的通知书应有一份，实有 {len(found)} 份"
    return found[0]


def notice_of(out: Path, body: str) -> str:
    return notice_path(out, body).read_text(encoding="utf-8")


def test_statuses_and_fixed_after_two_reports_are_edited(tmp_path: Path, store_url: str) -> None:  # noqa: F811
    folder = tmp_path / "in"
    write_batch(folder, FIRST)
    _, first = audit(folder, store_url, tmp_path / "out1")
    for name, defects in FIRST.items():
        assert set(statuses(first[name])) == wanted(defects), name
        assert set(statuses(first[name]).values()) <= {"new"} and first[name]["fixed"] == []
        assert first[name]["compared_with_run"] is None

    write_batch(folder, SECOND)
    _, second = audit(folder, store_url, tmp_path / "out2")
    assert statuses(second["keji.txt"]) == {"CON-001": "open", "TOT-004": "new"}
    assert statuses(second["caizheng.txt"]) == {"CON-001": "new"}
    assert second["jiaoyu.txt"]["findings"] == [] and second["jiaoyu.txt"]["fixed"] == []
    fixed = {name: [f["fingerprint"] for f in report["fixed"]] for name, report in second.items()}
    assert fixed["keji.txt"] == [f["fingerprint"] for f in first["keji.txt"]["findings"] if f["rule"] == "SEC-001"]
    assert fixed["caizheng.txt"] == [f["fingerprint"] for f in first["caizheng.txt"]["findings"]]
    # jiaoyu.txt is the file audited in run 1, as it was: the same submission, not a resubmission.
    assert {name: r["compared_with_run"] for name, r in second.items()} == \
        {"keji.txt": 1, "caizheng.txt": 1, "jiaoyu.txt": None}

    # The dashboard and the report page give the counts; the notice lists what is open, says what was fixed.
    line = "已整改 1 项，仍未整改 1 项，新发现 1 项"
    assert line in (tmp_path / "out2" / "index.html").read_text(encoding="utf-8")
    pages = [p.read_text(encoding="utf-8") for p in (tmp_path / "out2" / "reports").glob("*.html")]
    assert sum(line in page for page in pages) == 1
    assert sum("已整改 1 项，仍未整改 0 项，新发现 1 项" in page for page in pages) == 1  # caizheng
    notice = notice_of(tmp_path / "out2", "某县科学技术局")
    section = next(f for f in first["keji.txt"]["findings"] if f["rule"] == "SEC-001")
    assert "上次审核指出的问题已整改 1 项" in notice and section["message"] in notice
    contact = next(f for f in second["keji.txt"]["findings"] if f["rule"] == "CON-001")
    assert f"{contact['message']}（上次审核已指出，仍未整改）" in notice
    word = Document(str(notice_path(tmp_path / "out2", "某县科学技术局").with_suffix(".docx")))
    assert any(p.text.startswith("经对你单位重新报送的报告复核，上次审核指出的问题已整改 1 项") for p in word.paragraphs)

    # caizheng breaks table 四 again: found before, not in the last audit.
    write_batch(folder, FIRST)
    _, third = audit(folder, store_url, tmp_path / "out3")
    assert statuses(third["caizheng.txt"]) == {"TOT-004": "reappeared"}
    assert [f["rule"] for f in third["caizheng.txt"]["fixed"]] == ["CON-001"]
    assert statuses(third["keji.txt"]) == {"CON-001": "open", "SEC-001": "reappeared"}


def _finding(rule: str) -> Finding:
    return Finding(rule=rule, category="tables", severity="error", message=rule, location=Location(table="三"),
                   body="某县科学技术局", year=YEAR)


def test_a_finding_whose_rule_did_not_run_again_is_not_fixed() -> None:
    run = RunSummary(id=1, at=datetime.now(UTC), by=None, tool_version="", rules_version="", formats_version="",
                     inputs=1, reports=1, findings=3, unreadable=0)
    before = [_finding("TOT-001"), _finding("TOT-002"), _finding("TOT-003")]
    last = StoredAudit(run=run, number=0, source="a.txt", sha256=None, body="某县科学技术局", year=YEAR,
                       format="2021", findings=before, skipped=[], figures_json="{}")
    # TOT-001 ran and found nothing; TOT-002 ran but could not check some place; TOT-003 did not run.
    audit = ReportAudit(report=Report(source="a.txt", body="某县科学技术局", year=YEAR), rules_run=["TOT-001", "TOT-002"],
                        skipped=[Skipped("TOT-002", "表三 总计 未读到")])
    compare(audit, last, seen=set())
    assert audit.fixed == [before[0]] and audit.unchecked == before[1:]
    assert audit.compared_with == 1


def test_a_body_named_otherwise_than_last_time_keeps_its_findings_open() -> None:
    """科技局 now, 科学技术局 last time: one body (as pairing finds it), so nothing passes for fixed."""
    run = RunSummary(id=1, at=datetime.now(UTC), by=None, tool_version="", rules_version="", formats_version="",
                     inputs=1, reports=1, findings=1, unreadable=0)
    last = StoredAudit(run=run, number=0, source="a.txt", sha256=None, body="某县科学技术局", year=YEAR,
                       format="2021", findings=[_finding("TOT-001")], skipped=[], figures_json="{}")
    renamed = replace(_finding("TOT-001"), body="某县科技局")
    audit = ReportAudit(report=Report(source="b.txt", body="某县科技局", year=YEAR), findings=[renamed],
                        rules_run=["TOT-001"])
    compare(audit, last, seen=set())
    assert [f.status for f in audit.findings] == ["open"] and audit.fixed == [] and audit.unchecked == []


@pytest.mark.parametrize("seen", [set(), {"x"}])
def test_a_first_audit_has_only_new_findings(seen: set[str]) -> None:
    audit = ReportAudit(report=Report(source="a.txt", body="某县科学技术局", year=YEAR), findings=[_finding("TOT-001")], rules_run=["TOT-001"])
    compare(audit, None, seen)
    assert [f.status for f in audit.findings] == ["new"] and audit.fixed == [] and audit.compared_with is None


def test_a_finding_that_could_not_be_checked_again_is_listed_as_unchecked(tmp_path: Path, store_url: str) -> None:  # noqa: F811
    """Table 四's broken total, then the same cell left blank: the finding is gone, but its rule could not
    check that row, so findings.json lists it under "unchecked", not "fixed" (not checked is never passed)."""
    body, seed = BATCH["keji.txt"]
    spec = clean(random_spec(seed, "2021", blank_rate=0.0, body=body, year=YEAR))
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "keji.txt").write_text(render(DEFECT_KINDS["table 四 total"].edit(spec), "tab").text, encoding="utf-8")
    _, first = audit(folder, store_url, tmp_path / "out1", "--outputs", "json")
    broken = [f for f in first["keji.txt"]["findings"] if f["rule"] == "TOT-004"]
    assert broken and first["keji.txt"]["unchecked"] == []
    (folder / "keji.txt").write_text(render(blank_cell(spec, "四", "复议", "总计"), "tab").text, encoding="utf-8")
    _, second = audit(folder, store_url, tmp_path / "out2", "--outputs", "json")
    report = second["keji.txt"]
    assert report["compared_with_run"] == 1 and "TOT-004" in {s["rule"] for s in report["skipped"]}
    assert [f["fingerprint"] for f in report["unchecked"]] == [f["fingerprint"] for f in broken]
    assert all(f["rule"] != "TOT-004" for f in report["fixed"])

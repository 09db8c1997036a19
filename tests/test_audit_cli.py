"""``ogi-audit audit``: inputs in, findings.json and pages out, exit codes as linters have them."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from engine import RULES_DIR
from engine.cli import main

REPORTS = RULES_DIR.parent / "reports"
FINDING_KEYS = {"rule", "category", "severity", "message", "location", "expected", "actual", "basis", "remedy",
                "fingerprint", "status", "review"}
REPORT_KEYS = {"source", "body", "year", "format", "prior", "duplicate_of", "findings", "fixed", "unchecked",
               "compared_with_run", "skipped", "rules_run", "versions"}
LOCATION_KEYS = {"section", "table", "row", "column", "line", "quote"}


def test_batch_with_errors_exits_1_and_writes_the_json(tmp_path, capsys):
    extra = tmp_path / "extra.json"
    assert main(["audit", str(REPORTS), "-o", str(tmp_path / "out"), "--json", str(extra)]) == 1
    written = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    assert json.loads(extra.read_text(encoding="utf-8")) == written
    assert [Path(r["source"]).name for r in written] == sorted(p.name for p in REPORTS.iterdir())
    for report in written:
        assert REPORT_KEYS <= set(report) and set(report["versions"]) == {"tool", "rules", "formats"}
        for finding in report["findings"]:
            assert set(finding) == FINDING_KEYS and set(finding["location"]) == LOCATION_KEYS
            assert finding["status"] == "new" and finding["review"] is None  # the test's own store was empty
    lingwu = next(r for r in written if r["body"] == "灵武市科学技术局")
    assert lingwu["findings"] == [] and {s["rule"] for s in lingwu["skipped"]} == {"PRI-001", "PRI-002"}
    assert (tmp_path / "out" / "index.html").exists()
    out = capsys.readouterr().out
    assert out.startswith("审核了 8 份报告，使用 ")
    assert "灵武市科学技术局 2021：未发现问题；2 条规则有未检查项" in out


def test_json_file_that_is_the_outputs_own_findings_json_is_whole(tmp_path):
    """--json FILE is written in the same pass as the exports, by a writer of its own, except where
    FILE is <out>/findings.json itself (here by another path to it): the file is then whole."""
    out = tmp_path / "out"
    assert main(["audit", str(REPORTS), "-o", str(out), "--no-db", "--quiet", "--json",
                 str(tmp_path / "." / "out" / "findings.json")]) == 1
    written = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert [Path(r["source"]).name for r in written] == sorted(p.name for p in REPORTS.iterdir())


def test_clean_report_exits_0(tmp_path):
    assert main(["audit", str(REPORTS / "2021-灵武市科学技术局.txt"), "-o", str(tmp_path)]) == 0


def test_unreadable_inputs_are_listed_not_dropped(tmp_path, capsys):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(REPORTS / "2021-灵武市科学技术局.txt", folder / "sub" / "a.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4")
    # Some inputs could not be read: the others are audited, and the run does not pass (exit 3).
    assert main(["audit", str(folder), str(tmp_path / "nowhere.txt"), "-o", str(tmp_path / "out")]) == 3
    written = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    unreadable = {Path(r["source"]).name: r["unreadable"] for r in written if "unreadable" in r}
    assert set(unreadable) == {"empty.txt", "scan.pdf", "nowhere.txt"}
    assert "PDF" in unreadable["scan.pdf"]
    assert unreadable["nowhere.txt"] == "文件或文件夹不存在"
    out = capsys.readouterr().out
    assert "无法读取：" in out and "注意：有 3 个文件无法读取，没有审核，不能视为合格。" in out


def test_prior_year_is_paired_among_the_inputs(tmp_path):
    """The same body's report of the year before, given with it, is used; the rule then runs."""
    from tests.generator import render
    from tests.generator.pairs import following_year
    from tests.generator.catalogue import clean
    from tests.generator.spec import random_spec
    prior = clean(random_spec(3, "2021", blank_rate=0.0))
    this = clean(following_year(prior))
    for name, spec in (("a.txt", prior), ("b.txt", this)):
        (tmp_path / name).write_text(render(spec, "tab").text, encoding="utf-8")
    assert main(["audit", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "-o", str(tmp_path / "out")]) == 0
    written = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    second = next(r for r in written if r["source"].endswith("b.txt"))
    assert second["prior"].endswith("a.txt")
    assert "PRI-001" not in {s["rule"] for s in second["skipped"]}

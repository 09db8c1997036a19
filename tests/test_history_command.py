"""``ogi-audit history [BODY] [--json] [--db URL]`` (issue 9 point 7), on SQLite and a real PostgreSQL:
both runs of a body are listed with the counts its audits wrote in their findings.json, the body is
found by another of its names as pairing finds it, another body's audits are left out, and the answers
for a body with no record, a name without a place and a store that does not exist.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from engine.cli import main
from tests.generator import render
from tests.generator.catalogue import clean
from tests.generator.defects import bump_cell
from tests.generator.pairs import other_names
from tests.generator.spec import random_spec
from tests.postgres import postgres_server, postgres_url  # noqa: F401 - fixtures
from tests.test_history_store import store_url  # noqa: F401 - fixture

REPORT = clean(random_spec(4, "2021", blank_rate=0.0))
OTHER = clean(random_spec(5, "2021", blank_rate=0.0))


def _audit(specs, folder: Path, url: str) -> list[dict]:
    folder.mkdir()
    for spec in specs:
        (folder / f"{spec.seed}.txt").write_text(render(spec, "tab").text, encoding="utf-8")
    out = folder.with_name(f"{folder.name}-out")
    main(["audit", str(folder), "--db", url, "-o", str(out), "--outputs", "json"])
    return json.loads((out / "findings.json").read_text(encoding="utf-8"))


def _expected(report: dict) -> dict:
    """What history must say of a report, from the audit's own findings.json."""
    counts = Counter(f["severity"] for f in report["findings"])
    return {"source": report["source"], "body": report["body"], "year": report["year"],
            "errors": counts["error"], "warnings": counts["warning"], "info": counts["info"],
            "skipped": len(report["skipped"])}


def _history(capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["history", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_both_runs_of_a_body_are_listed_with_their_counts(store_url, tmp_path, capsys):  # noqa: F811
    assert REPORT.body != OTHER.body and other_names(REPORT.body)
    first = _audit([REPORT, OTHER], tmp_path / "first", store_url)
    second = _audit([bump_cell(REPORT, "三", "结转下年度", "自然人")], tmp_path / "second", store_url)
    mine = [next(r for r in first if r["body"] == REPORT.body), second[0]]
    code, out, _ = _history(capsys, other_names(REPORT.body)[0], "--json", "--db", store_url)
    assert code == 0
    listed = json.loads(out)
    keys = ("source", "body", "year", "errors", "warnings", "info", "skipped")
    assert [{k: item[k] for k in keys} for item in listed] == [_expected(r) for r in mine]
    assert listed[0]["run"] < listed[1]["run"] and listed[1]["errors"] > listed[0]["errors"]
    code, out, _ = _history(capsys, REPORT.body, "--db", store_url)
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0].split() == ["记录编号", "审核时间", "发布机关", "年度", "错误", "警告", "提示", "未检查", "文件"]
    assert [line.split()[0] for line in lines[1:]] == [str(item["run"]) for item in listed]
    assert all(REPORT.body in line and OTHER.body not in line for line in lines[1:])
    code, out, _ = _history(capsys, "--json", "--db", store_url)
    assert sorted(item["body"] for item in json.loads(out)) == sorted([REPORT.body, OTHER.body, REPORT.body])


def test_a_body_with_no_record_is_an_answer(store_url, tmp_path, capsys):  # noqa: F811
    _audit([OTHER], tmp_path / "one", store_url)
    code, out, _ = _history(capsys, REPORT.body, "--db", store_url)
    assert code == 0 and f"没有“{REPORT.body}”的审核记录" in out
    code, out, _ = _history(capsys, REPORT.body, "--json", "--db", store_url)
    assert code == 0 and json.loads(out) == []


def test_a_name_without_a_place_and_a_store_that_does_not_exist_or_cannot_be_used_exit_2(tmp_path, capsys):
    code, _, err = _history(capsys, "科学技术局", "--db", str(tmp_path / "h.sqlite"))
    assert code == 2 and "名称中没有地名" in err
    code, _, err = _history(capsys, "--db", str(tmp_path / "nowhere.sqlite"))
    assert code == 2 and "不存在" in err and not (tmp_path / "nowhere.sqlite").exists()
    code, _, err = _history(capsys, "--db", "mysql://somewhere/db")
    assert code == 2 and "只能是 SQLite" in err

"""``ogi-audit review`` (engine.commands.review) and decisions that last (engine.resubmission), on
SQLite and on a real PostgreSQL server: a dismissed finding stays dismissed in the next audit, leaves
the notice and the error count; a change to another rule keeps the decision, a change to its own rule
keeps it and says so; undo, list and export; an unknown fingerprint or a dismissal without a reason
exits 2 and records nothing.

The batch is generated (tests/test_resubmission.py), so which finding each defect gives is known.
"""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from engine import RULES_DIR
from engine.cli import main
from tests.postgres import new_database, postgres_server, postgres_url  # noqa: F401 - fixtures
from tests.test_history_store import store_url  # noqa: F401 - fixture: SQLite and PostgreSQL
from tests.test_resubmission import audit, notice_of, write_batch

BODY = "某县科学技术局"
#: keji's contact lacks its e-mail (CON-001, a warning) and table 四's total is broken (TOT-004, an error).
DEFECTS = {"keji.txt": ("no email", "table 四 total"), "caizheng.txt": (), "jiaoyu.txt": ()}
REASON = "该单位未设电子邮箱，已在网站首页公布咨询电话"


def _finding(report: dict, rule: str) -> dict:
    return next(f for f in report["findings"] if f["rule"] == rule)


def _page(out: Path, body: str) -> str:
    found = [p.read_text(encoding="utf-8") for p in (out / "reports").glob("*.html")
             if body in p.read_text(encoding="utf-8")]
    assert len(found) == 1
    return found[0]


def _review(url: str, *args: str) -> int:
    return main(["review", *args, "--db", url])


@pytest.fixture
def audited(tmp_path: Path, store_url: str) -> tuple[Path, dict[str, dict]]:  # noqa: F811
    write_batch(tmp_path / "in", DEFECTS)
    _, first = audit(tmp_path / "in", store_url, tmp_path / "out1")
    return tmp_path / "in", first


def test_a_dismissed_finding_stays_dismissed_and_leaves_the_notice(tmp_path, store_url, audited, capsys) -> None:  # noqa: F811
    folder, first = audited
    contact, total = _finding(first["keji.txt"], "CON-001"), _finding(first["keji.txt"], "TOT-004")
    assert _review(store_url, contact["fingerprint"], "--dismiss", "--reason", REASON, "--by", "张三") == 0
    assert "已记录：排除" in capsys.readouterr().out

    _, second = audit(folder, store_url, tmp_path / "out2")
    dismissed = _finding(second["keji.txt"], "CON-001")
    # The same file audited again: the same submission, its finding as new as it was (engine.history.compared).
    assert dismissed["fingerprint"] == contact["fingerprint"] and dismissed["status"] == "new"
    assert {k: dismissed["review"][k] for k in ("decision", "reason", "by")} == \
        {"decision": "dismissed", "reason": REASON, "by": "张三"}
    assert set(dismissed["review"]) == {"decision", "reason", "by", "at"}
    assert _finding(second["keji.txt"], "TOT-004")["review"] is None
    notice = notice_of(tmp_path / "out2", BODY)
    assert total["message"] in notice and contact["message"] not in notice
    page = _page(tmp_path / "out2", BODY)
    assert contact["message"] in page and f"已排除：{REASON}" in page and "规则已修改" not in page

    # Confirming the error, then dismissing it too: no error left standing, so the exit status is 0.
    assert _review(store_url, total["fingerprint"], "--confirm") == 0
    code, third = audit(folder, store_url, tmp_path / "out3")
    assert code == 1 and _finding(third["keji.txt"], "TOT-004")["review"]["decision"] == "confirmed"
    assert _review(store_url, total["fingerprint"], "--dismiss", "--reason", "复议案件数经核实无误") == 0
    code, _ = audit(folder, store_url, tmp_path / "out4")
    assert code == 0 and not list((tmp_path / "out4" / "notices").glob("*.html"))

    # Undone: the finding is back in the notice, with no decision.
    assert _review(store_url, contact["fingerprint"], "--undo") == 0
    _, fifth = audit(folder, store_url, tmp_path / "out5")
    assert _finding(fifth["keji.txt"], "CON-001")["review"] is None
    assert contact["message"] in notice_of(tmp_path / "out5", BODY)


def _edited_rules(tmp_path: Path, file: str, old: str, new: str) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    text = (rules / file).read_text(encoding="utf-8")
    assert text.count(old) == 1
    (rules / file).write_text(text.replace(old, new), encoding="utf-8")
    return rules


def test_a_decision_holds_when_a_rule_changes(tmp_path, store_url, audited) -> None:  # noqa: F811
    folder, first = audited
    contact = _finding(first["keji.txt"], "CON-001")
    assert _review(store_url, contact["fingerprint"], "--dismiss", "--reason", REASON) == 0

    other = _edited_rules(tmp_path / "a", "sections.yaml", "message: 报告各部分的顺序为 {{",
                          "message: 报告各部分的排列顺序为 {{")
    _, second = audit(folder, store_url, tmp_path / "out2", "--rules", str(other))
    assert _finding(second["keji.txt"], "CON-001")["review"]["decision"] == "dismissed"
    assert "规则已修改，此决定沿用" not in _page(tmp_path / "out2", BODY)

    # CON-001's own text changes (its title): same rule, same place, so the same fingerprint.
    own = _edited_rules(tmp_path / "b", "contact.yaml", "title: 未写明政府信息公开工作机构的联系方式",
                        "title: 未写明政府信息公开工作机构的地址、邮编、电话或电子邮箱")
    _, third = audit(folder, store_url, tmp_path / "out3", "--rules", str(own))
    changed = _finding(third["keji.txt"], "CON-001")
    assert changed["fingerprint"] == contact["fingerprint"] and changed["review"]["decision"] == "dismissed"
    assert "规则已修改，此决定沿用" in _page(tmp_path / "out3", BODY)
    assert contact["message"] not in notice_of(tmp_path / "out3", BODY)


def test_unknown_fingerprint_and_missing_reason_exit_2(tmp_path, store_url, audited, capsys) -> None:  # noqa: F811
    _, first = audited
    assert _review(store_url, "0123456789abcdef", "--dismiss", "--reason", REASON) == 2
    assert "没有指纹为 0123456789abcdef 的问题" in capsys.readouterr().err
    contact = _finding(first["keji.txt"], "CON-001")
    assert _review(store_url, contact["fingerprint"], "--dismiss") == 2
    assert "须写明理由" in capsys.readouterr().err
    assert _review(store_url, contact["fingerprint"], "--undo") == 2
    assert _review(store_url, "--list", "--json") == 0
    assert json.loads(capsys.readouterr().out) == []


def test_decisions_are_listed_and_exported(tmp_path, store_url, audited, capsys) -> None:  # noqa: F811
    _, first = audited
    contact, total = _finding(first["keji.txt"], "CON-001"), _finding(first["keji.txt"], "TOT-004")
    assert _review(store_url, contact["fingerprint"], "--dismiss", "--reason", "=1+1", "--by", "李四") == 0
    assert _review(store_url, total["fingerprint"], "--confirm", "--by", "李四") == 0
    capsys.readouterr()
    assert _review(store_url, "--list", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(d["fingerprint"], d["decision"], d["rule"], d["body"], d["by"]) for d in listed] == [
        (contact["fingerprint"], "dismissed", "CON-001", BODY, "李四"),
        (total["fingerprint"], "confirmed", "TOT-004", BODY, "李四")]
    exported = tmp_path / "decisions.csv"
    assert _review(store_url, "--export", str(exported)) == 0
    assert exported.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(exported.open(encoding="utf-8-sig")))
    assert rows[0][:3] == ["时间", "决定", "指纹"] and len(rows) == 3
    assert [row[1:5] for row in rows[1:]] == [["排除", contact["fingerprint"], "CON-001", BODY],
                                             ["确认", total["fingerprint"], "TOT-004", BODY]]
    assert rows[1][7] == "'=1+1"  # a reason Excel would take for a formula stays text

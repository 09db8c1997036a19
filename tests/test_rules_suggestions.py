"""What `ogi-audit rules check` suggests for a misspelt label: the official label or short name, never an
alias that only reports use (社会组织 is how reports write 社会公益组织; a rule should name the column)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RULE = """\
- id: TRY-001
  title: 试写的规则
  description: 表三每一行的总计等于六类申请人之和。
  category: totals
  severity: error
  check:
    type: total
    table: 三
    for_each: row
    total: 总计
    parts: [自然人, 商业企业, 科研机构, 社会组织x, 法律服务机构, 其他]
  message: 表三「{{ row }}」行的总计为 {{ actual }}，应为 {{ expected }}。
  basis: 表三“总计”栏
  remedy: 改正总计。
  tests:
    - name: 相加正确
      report: {format: "2021", tables: {三: {本年新收: [1, 0, 0, 0, 1, 0, 2]}}}
      expect: pass
"""


def test_a_misspelt_column_is_pointed_to_its_official_label(tmp_path: Path) -> None:
    (tmp_path / "try.yaml").write_text(RULE, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "engine.cli", "rules", "check", str(tmp_path)], cwd=ROOT,
                          capture_output=True, encoding="utf-8")
    assert done.returncode == 2
    assert f"{tmp_path / 'try.yaml'}:11:12 TRY-001 未知的列“社会组织x”（2019年格式表三） — 是否应为“社会公益组织”？" in done.stdout


def test_every_misspelt_name_of_a_list_in_one_pass(tmp_path: Path) -> None:
    (tmp_path / "try.yaml").write_text(RULE.replace("法律服务机构, 其他]", "法律服务机构, 其它]"), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "engine.cli", "rules", "check", str(tmp_path)], cwd=ROOT,
                          capture_output=True, encoding="utf-8")
    assert done.stdout.splitlines() == [
        f"{tmp_path / 'try.yaml'}:11:12 TRY-001 未知的列“社会组织x”、“其它”（2019年格式表三） — 是否应为“社会公益组织”、“其他”？"]

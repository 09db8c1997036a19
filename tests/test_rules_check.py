"""``ogi-audit rules check``: every problem of every rule file in one pass, worded for the office, with
the place to fix it. The messages are pinned word for word: they are the interface for rule authors."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from engine import RULES_DIR
from engine.cli import main
from engine.render.settings import DEFAULTS, load_settings
from engine.rules import RuleFileError, load_rules
from engine.rules.loader import rule_files

BAD = Path(__file__).parent / "rules" / "bad"

EXPECTED = """\
bad.yaml:2:3 BAD-001 未知的键“titel” — 是否应为“title”？
bad.yaml:1:3 BAD-001 缺少 title:
bad.yaml:1:3 BAD-001 缺少 description:
bad.yaml:3:13 BAD-001 category 只能是 totals、sections、tables、blank_cells、contact、period、prior_year、format、narrative，而不是“total” — 是否应为“totals”？
bad.yaml:9:12 BAD-001 未知的列“总和”（2019年格式表三） — 是否应为“总计”？
bad.yaml:11:12 BAD-001 message 中的占位符“rwo”不存在，可用：actual、body、column、expected、formula、heading、line、missing_inputs、quote、row、section、table、year、值 — 是否应为“row”？
bad.yaml:19:13 BAD-002 severity 只能是 error、warning、info，而不是“eror” — 是否应为“error”？
bad.yaml:24:20 BAD-002 公式错误：此处应为名称或数字，而不是“==”
bad.yaml:35:11 BAD-003 未知的检查类型“expresion”，可用：total、compare、required、pattern、expression — 是否应为“expression”？
bad.yaml:48:13 BAD-004 未知的行“本年新收申请”（2019年格式表三） — 是否应为“本年新收”？
bad.yaml:60:13 BAD-005 正则表达式错误（第2个字符）：左括号“(”没有配对的右括号“)”：请补上“)”。要匹配这个符号本身，请在它前面加反斜杠（如“\\(”），或写全角的符号（如“（”）
"""


def test_every_problem_in_one_pass(monkeypatch, capsys):
    monkeypatch.chdir(BAD)
    assert main(["rules", "check", "."]) == 2
    out = capsys.readouterr()
    assert out.out == EXPECTED
    assert "Traceback" not in out.err


def test_shipped_rules_are_valid(capsys):
    assert main(["rules", "check", str(RULES_DIR)]) == 0
    assert capsys.readouterr().out.startswith("规则文件正确：")


def test_audit_refuses_invalid_rules_with_the_same_messages(monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(BAD)
    assert main(["audit", str(RULES_DIR.parent / "reports"), "--rules", ".", "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err == "规则文件有误，未进行审核：\n" + EXPECTED
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("edit", "message"), [
    (("check:\n    type: total", "check:\n    type: total\n    tabel: 三"),
     "total 检查没有选项“tabel” — 是否应为“table”？"),
    (("for_each: row", "for_each: rows"), "for_each 只能是 row、column、cell、table — 是否应为“row”？"),
    (("id: TOT-002", "id: TOT-001"), "规则编号重复（已在"),
    (("table: [二(一), 二(五), 二(六), 二(八), 二(九)]", "table: [二(一), 二(十)]"),
     "TOT-007 未知的表“二(十)”（2019、2021年格式）"),
    (("table: [二(一), 二(五), 二(六), 二(八), 二(九)]", "table: [二(九)]"),
     "TOT-007 所列的表都不在2021年格式中；请用 applies_to 限定格式"),
    (("table: [二(一), 二(五), 二(六), 二(八), 二(九)]", "table: []"), "TOT-007 table 的列表中至少要写一张表"),
])
def test_copied_rule_with_a_mistake(tmp_path, edit, message):
    """The office copies a rule and changes it: each kind of slip is caught and explained."""
    shutil.copy(RULES_DIR / "totals.yaml", tmp_path / "totals.yaml")
    path = tmp_path / "totals.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(*edit, 1), encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_rules(tmp_path)
    assert any(message in str(p) for p in caught.value.problems), caught.value


def test_yaml_syntax_error_is_placed(tmp_path, monkeypatch, capsys):
    """Where the bracket was opened, not where the file ran out."""
    (tmp_path / "broken.yaml").write_text("- id: X-1\n  title: [未闭合\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["rules", "check", "."]) == 2
    assert capsys.readouterr().out.startswith("broken.yaml:2:10 - YAML 语法错误：这一行开始的方括号 [ ] 写法有误")


QUOTE_IT = "请把整个值用英文引号括起来"


@pytest.mark.parametrize(("text", "told"), [
    ("- id: X-1\n  message: 合计: 3\n", "2:14 - YAML 语法错误：这一行的“: ”（冒号加空格）不能出现在这里。值中含有冒号时，"
     f"{QUOTE_IT}（如 message: \"说明：a: b\"）；否则请检查这一行是否与上一行的键左对齐"),
    ("- id: X-1\n\ttitle: 标题\n", "2:1 - YAML 语法错误：这一行用了制表符（Tab）。YAML 只能用空格缩进，请把 Tab 换成空格，"
     "同一层的键用同样多的空格"),
    ("- id: X-1\n  title: \"标题\n  severity: error\n", "2:10 - YAML 语法错误：这一行开始的引号直到文件结尾也没有结束："
     "请在这个值的末尾补上同样的引号（\" 或 '）"),
    ("- id: X-1\n  check: {type: total\n  title: 标题\n", "2:10 - YAML 语法错误：这一行开始的花括号 { } 写法有误：各项之间用"
     f"英文逗号“,”分隔，以“}}”结束；项的值中含有冒号或逗号时，{QUOTE_IT}"),
    ("- id: X-1\n  title: 标题\n   severity: error\n", "3:12 - YAML 语法错误：这一行的“: ”（冒号加空格）不能出现在这里。"),
    ("- id: X-1\n  title: 标题\n severity: error\n", "3:2 - YAML 语法错误：这一行的缩进与同一层的键不一致：同一层的键必须"
     "左对齐，用同样多的空格"),
    ("- id: X-1\n  title: 标题\n  - severity: error\n", "3:3 - YAML 语法错误：这一行的“- ”放错了位置"),
    ("- id: X-1\n  title\n  severity: error\n", "2:3 - YAML 语法错误：这一行缺少键后面的冒号：写成“键: 值”，冒号用英文冒号，"
     "后面加一个空格"),
    ("- id: X-1\n  title: *重要*\n", f"2:10 - YAML 语法错误：以“*”开头的值在 YAML 中是引用的写法；这里若是文字，{QUOTE_IT}"),
    ("- id: X-1\n  title: @某局\n", f"2:10 - YAML 语法错误：值不能以“@”开头，{QUOTE_IT}（如 title: \"@……\"）"),
    ("- id: X-1\n  title: \"标题\" 补充\n", "2:15 - YAML 语法错误：这一行多出了文字：值若以引号开始，整个值都要在引号里"),
    ("- id: X-1\n  title: \"a\\d\"\n", "2:13 - YAML 语法错误：双引号中的反斜杠“\\”后跟了不认识的字符"),
    ("- id: X-1\n---\n- id: X-2\n", "2:1 - YAML 语法错误：文件中有“---”分开的第二部分"),
])
def test_a_yaml_syntax_error_is_told_in_chinese_with_what_to_write(tmp_path, monkeypatch, capsys, text, told):
    (tmp_path / "broken.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["rules", "check", "."]) == 2
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith(f"broken.yaml:{told}"), first
    assert not re.search(r"[A-Za-z]{4,}", first.replace("YAML", "").replace("Tab", "").replace("message", "")
                         .replace("title", "").replace("broken.yaml", "")), first  # no English of PyYAML's


def test_a_yaml_syntax_error_not_known_keeps_pyyamls_words_beside_the_advice(tmp_path, monkeypatch, capsys):
    (tmp_path / "broken.yaml").write_text("- id: X-1\n  title: !!binary 标题\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    main(["rules", "check", "."])
    out = capsys.readouterr().out
    assert out.startswith("broken.yaml:2:") and "YAML" in out


def test_rules_test_reports_a_failing_case(tmp_path, monkeypatch, capsys):
    text = (RULES_DIR / "totals.yaml").read_text(encoding="utf-8")
    shutil.copytree(RULES_DIR / "samples", tmp_path / "rules" / "samples")  # the cases' samples
    (tmp_path / "rules" / "totals.yaml").write_text(text.replace(
        '        - {row: 行政复议, expected: "2", actual: "3"}', '        - {row: 行政复议, expected: "2", actual: "4"}'),
        encoding="utf-8")
    assert main(["rules", "test", str(tmp_path / "rules")]) == 1
    out = capsys.readouterr().out
    assert "未通过 TOT-004 “行政复议 1 + 1 ≠ 3”\n" \
           "    缺少预期的问题：{'row': '行政复议', 'expected': '2', 'actual': '4'}\n" \
           "    多出的问题：表四「行政复议」的总计为 3，而结果维持、结果纠正、其他结果、尚未审结之和为 2。（行政复议）\n" in out
    assert out.rstrip().endswith("个通过，1 个未通过。")


def test_a_rule_written_as_a_mapping_is_reported_not_skipped(tmp_path, monkeypatch, capsys):
    """A rule file without the leading "- " is one YAML mapping: the loader used to skip every mapping
    (to pass over the settings file then kept among the rules), so this rule silently never ran."""
    text = (RULES_DIR / "format.yaml").read_text(encoding="utf-8")
    (tmp_path / "format.yaml").write_text(text.replace("- id: FMT-001", "id: FMT-001").replace("\n  ", "\n"),
                                          encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["rules", "check", "."]) == 2
    first_key = next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith("- id:"))
    assert capsys.readouterr().out == (
        f"format.yaml:{first_key}:1 - 规则文件应为规则的列表（每条规则以“- id:”开头），而这个文件是“键: 值”的映射；"
        "若是一条规则，在 id: 前加“- ”；若是设置文件，应放在 settings/ 文件夹中\n")


def test_settings_are_not_among_the_rules(tmp_path):
    """The pages' and notices' settings live in rules/settings/, which the rule loader does not read;
    the same file put beside the rules is reported like any other mapping."""
    assert DEFAULTS.is_relative_to(RULES_DIR / "settings")
    assert DEFAULTS not in rule_files(RULES_DIR) and load_settings().notice.title
    shutil.copy(DEFAULTS, tmp_path / "settings.yaml")
    with pytest.raises(RuleFileError) as caught:
        load_rules(tmp_path)
    office = DEFAULTS.read_text(encoding="utf-8").splitlines().index("office:") + 1
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path / 'settings.yaml'}:{office}:1 - 规则文件应为规则的列表（每条规则以“- id:”开头），"
        "而这个文件是“键: 值”的映射；若是一条规则，在 id: 前加“- ”；若是设置文件，应放在 settings/ 文件夹中"]


def test_a_rule_file_ending_in_yml_is_read(tmp_path):
    shutil.copy(RULES_DIR / "format.yaml", tmp_path / "format.yml")
    assert [rule.id for rule in load_rules(tmp_path)] == ["FMT-001"]


def test_rules_check_names_a_mistake_in_the_parsers_wording(tmp_path, monkeypatch, capsys):
    from engine import wording
    shutil.copytree(wording.WORDING_DIR, tmp_path / "wording")
    contact = tmp_path / "wording" / "contact.yaml"
    contact.write_text(contact.read_text(encoding="utf-8").replace("shape: digits", "shape: digit", 1), encoding="utf-8")
    monkeypatch.setattr(wording, "WORDING_DIR", tmp_path / "wording")
    assert main(["rules", "check"]) == 2
    assert f"{contact}:" in capsys.readouterr().out


@pytest.mark.parametrize(("pattern", "told"), [
    ("[0-9", "正则表达式错误（第1个字符）：方括号“[”没有配对的“]”：请补上“]”；要匹配方括号本身，请写“\\[”"),
    ("*号", "正则表达式错误（第1个字符）：“*”“+”“?”或“{m,n}”前面没有可以重复的内容：要匹配这些符号本身，请在前面加反斜杠（如“\\*”）"),
    ("收费\\q", "正则表达式错误（第3个字符）：“\\q”不是正则表达式的写法：要匹配其中的字母，请去掉反斜杠；数字写“\\d”，空白写“\\s”"),
    ("[9-0]", "正则表达式错误（第2个字符）：方括号中的范围“9-0”前大后小：范围从小写到大，如“[0-9]”“[a-z]”"),
    ("费用)", "正则表达式错误（第3个字符）：右括号“)”没有配对的左括号“(”：请删去多余的“)”。"),
])
def test_a_pattern_that_is_no_regular_expression_is_told_in_chinese(tmp_path, monkeypatch, capsys, pattern, told):
    rule = (BAD / "bad.yaml").read_text(encoding="utf-8")
    (tmp_path / "bad.yaml").write_text(rule.replace("    regex: 未(收到\n", f"    regex: '{pattern}'\n"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    main(["rules", "check", "."])
    assert any(told in line for line in capsys.readouterr().out.splitlines()), told

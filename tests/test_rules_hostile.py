"""Hostile rule files: none may hang or exhaust the machine. A regex that backtracks without end, an alias
bomb, a formula nested 10,000 deep, a binary file and a wrong rules folder each end within seconds in a
Chinese message naming the file and line, with exit 2 (bad input; 1 would mean "errors found"), never
a traceback. The messages are pinned word for word: they are the interface for rule authors.

"Within seconds" is the processor time the command spent (this process's and its worker processes'),
not the time on the clock: on a machine busy with other work the same case takes longer to end but
costs no more, and a case that runs without end costs ever more either way."""
from __future__ import annotations

import resource
from pathlib import Path

import pytest

from engine import RULES_DIR
from engine.cli import main

REPORT = RULES_DIR.parent / "reports" / "2021-灵武市科学技术局.txt"
SECONDS = 10

RULE = """\
- id: HOS-001
  title: 测试规则
  description: 测试规则。
  category: narrative
  severity: warning
  check:
    type: pattern
    in: text
    regex: '{regex}'
    assert: {formula}
  message: 正文“{{{{ match }}}}”不符。
  basis: 测试
  remedy: 测试
  tests:
    - name: 一段文字
      report: {{format: "2021", text: {{一: "{text}"}}}}
      expect: pass
"""


def rule(regex: str = r"(?P<件数>\d+)件", formula: str = "件数 == 0", text: str = "共0件") -> str:
    return RULE.format(regex=regex, formula=formula, text=text)


def cpu_seconds() -> float:
    """Processor time, user and system, of this process and of its children that have ended (the audit's
    worker processes, which it waits for before it returns)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run(argv: list[str], capsys) -> tuple[int, str]:
    """Exit code and everything printed, after asserting it cost less than :data:`SECONDS` of processor
    time."""
    start = cpu_seconds()
    code = main(argv)
    spent = cpu_seconds() - start
    assert spent < SECONDS, f"{spent:.1f} s of processor time"
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out + out.err


def audit(folder: Path, capsys, tmp_path: Path) -> tuple[int, str]:
    return run(["audit", str(REPORT), "--rules", str(folder), "-o", str(tmp_path / "out")], capsys)


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return folder


@pytest.fixture
def inside(tmp_path, monkeypatch):
    """Run from tmp_path, so that messages name ``rules/…`` as the office would see them."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


BACKTRACKS = ("错误：rules/slow.yaml:9:12 正则表达式 (a|aa)+$ 在一份报告上运行超过 3 秒仍未结束，审核已停止；"
              "这类写法会无休止地回溯（如 (a+)+、(a|aa)+ 这样量词套量词、分支相互重叠），"
              "请改写为不重叠的写法，例如把 (a|aa)+ 写作 a+\n")


def test_a_regex_that_backtracks_without_end_is_stopped_in_rules_test(inside, capsys):
    folder = write(inside, "slow.yaml", rule(regex="(a|aa)+$", formula="0 == 0", text="a" * 40 + "b"))
    assert run(["rules", "check", "rules"], capsys) == (0, "规则文件正确：1 条规则。\n")
    assert run(["rules", "test", str(folder.name)], capsys) == (2, BACKTRACKS)


def test_a_regex_that_backtracks_without_end_is_stopped_in_an_audit(inside, capsys):
    # Any text that is not 40 digits makes this pattern try every way of splitting it.
    write(inside, "slow.yaml", rule(regex=r"(.|.)+\d{40}", formula="0 == 0"))
    code, printed = audit(Path("rules"), capsys, inside)
    assert code == 2
    assert printed.startswith(r"错误：rules/slow.yaml:9:12 正则表达式 (.|.)+\d{40} 在一份报告上运行超过 3 秒")
    assert not (inside / "out").exists()


def test_nested_quantifiers_on_28_characters_end_at_once(inside, capsys):
    """The example of the issue: `(a+)+$` took 32 s on 28 characters with Python's re."""
    folder = write(inside, "nested.yaml", rule(regex="(a+)+$", formula="0 == 0", text="a" * 28 + "b"))
    assert run(["rules", "test", str(folder.name)], capsys) == (0, "1 个测试用例，1 个通过，0 个未通过。\n")


def test_an_alias_bomb_is_refused_before_it_is_built(inside, capsys):
    bomb = 'a: &a ["哈","哈","哈","哈","哈","哈","哈","哈","哈"]\n' + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8))
    folder = write(inside, "bomb.yaml", bomb)
    message = "rules/bomb.yaml:6:4 - 别名（*名称）展开后超过 100000 个值，文件不予读取；请直接写出内容，或少用层层引用的别名"
    assert audit(folder, capsys, inside) == (2, f"规则文件有误，未进行审核：\n{message}\n")
    assert run(["rules", "check", "rules"], capsys) == (2, f"{message}\n共 1 处问题。\n")
    assert run(["rules", "test", "rules"], capsys) == (2, f"{message}\n共 1 处问题。\n")


def test_yaml_nested_10000_deep_is_refused(inside, capsys):
    folder = write(inside, "deep.yaml", "[" * 10_000 + "]" * 10_000)
    assert audit(folder, capsys, inside) == (2, "规则文件有误，未进行审核：\nrules/deep.yaml:1:65 - 嵌套超过 64 层；"
                                                "规则文件用不到这么深的嵌套，请检查缩进和括号（[ ]、{ }）是否配对，或把内容拆开写\n")


@pytest.mark.parametrize(("formula", "column", "message"), [
    ("(" * 10_000 + "件数" + ")" * 10_000 + " == 0", 45, "括号或负号嵌套超过 32 层；请去掉多余的括号"),
    ("件数 == " + " + ".join(["1"] * 10_000), 417, "公式的运算符超过 100 个；请把它拆成几条规则"),
    ("件数 == " + "-" * 10_000 + "1", 118, "公式的运算符超过 100 个；请把它拆成几条规则"),
])
def test_a_formula_10000_deep_is_a_placed_error(inside, capsys, formula, column, message):
    folder = write(inside, "deep.yaml", rule(formula=formula))
    assert audit(folder, capsys, inside) == (
        2, f"规则文件有误，未进行审核：\nrules/deep.yaml:10:{column} HOS-001 公式错误：{message}\n")


def test_a_formula_at_the_bounds_is_evaluated(inside, capsys):
    """The bounds leave room: 100 operators and 32 brackets run on both evaluators without recursion error."""
    formula = "(" * 31 + "件数" + ")" * 31 + " == " + " + ".join(["0"] * 99)
    folder = write(inside, "wide.yaml", rule(formula=formula))
    assert run(["rules", "test", str(folder.name)], capsys) == (0, "1 个测试用例，1 个通过，0 个未通过。\n")


@pytest.mark.parametrize(("content", "message"), [
    (b"PK\x03\x04\x00\x00binary", "rules/binary.yaml:1:3 - 文件中有 YAML 不允许的字符 #x0003（如 NUL 等控制字符）；"
                                  "规则文件应为纯文本，Word、Excel、压缩包等文件不能作规则文件"),
    (b"- id: X\n  title: \xd5\xfe\xb8\xae\n", "rules/binary.yaml:2:10 - 不是 UTF-8 编码的文本文件（此处的字节无法读作文字）；"
                                            "规则文件应以 UTF-8 编码保存为纯文本，Word、Excel、压缩包等文件不能作规则文件"),
])
def test_a_binary_file_is_named(inside, capsys, content, message):
    folder = write(inside, "binary.yaml", content)
    assert audit(folder, capsys, inside) == (2, f"规则文件有误，未进行审核：\n{message}\n")
    assert run(["rules", "check", "rules"], capsys) == (2, f"{message}\n共 1 处问题。\n")


@pytest.mark.parametrize(("make", "message"), [
    (lambda tmp: None, "规则文件夹“rules”不存在；请指定存放规则文件（*.yaml）的文件夹，或不指定而使用默认的 rules/"),
    (lambda tmp: (tmp / "rules").write_text("- id: X\n", encoding="utf-8"),
     "“rules”是一个文件，不是文件夹；请指定存放规则文件的文件夹（如 rules/），而不是其中的一个文件"),
    (lambda tmp: (tmp / "rules").mkdir(), "规则文件夹“rules”中没有规则文件（*.yaml 或 *.yml）；请指定存放规则文件的文件夹（如 rules/）"),
])
@pytest.mark.parametrize("command", [["rules", "check", "rules"], ["rules", "test", "rules"],
                                     ["audit", str(REPORT), "--rules", "rules", "-o", "out"]])
def test_a_wrong_rules_folder(inside, capsys, make, message, command):
    make(inside)
    assert run(command, capsys) == (2, f"错误：{message}\n")
    assert not (inside / "out").exists()

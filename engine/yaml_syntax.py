"""PyYAML's syntax errors told in Chinese, with what to write instead (engine.yamlsource raises them).

The people who write rules, formats and settings are not programmers: PyYAML's ``mapping values are
not allowed here`` tells them nothing. Each problem PyYAML reports that a hand-edited file commonly
has (a colon in a value, a Tab, a quote or a brace not closed, a key out of line, ``*`` or ``@`` at the
start of a value) is said here as what is wrong and how to write it; the place is where the mistake
was made (for a quote or a brace not closed, where it was opened, not where the file ended). A
problem not among these keeps PyYAML's words beside the advice, so that nothing is hidden.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

#: Said before every syntax problem, so that the writer knows it is the file's form, not a rule's sense.
LEAD = "YAML 语法错误："
QUOTE_IT = "请把整个值用英文引号括起来"


@dataclass(frozen=True)
class _Told:
    problem: re.Pattern[str]
    text: str  #: "{found}" in it is replaced by the group ``found`` of ``problem``
    at_context: bool = False  #: the mistake is where PyYAML's context began (an opening quote or brace)
    context: str = ""  #: a word of PyYAML's context that must be there too


def _told(problem: str, text: str, at_context: bool = False, context: str = "") -> _Told:
    return _Told(re.compile(problem), text, at_context, context)


_KNOWN = (
    _told(r"mapping values are not allowed", "这一行的“: ”（冒号加空格）不能出现在这里。值中含有冒号时，"
          f"{QUOTE_IT}（如 message: \"说明：a: b\"）；否则请检查这一行是否与上一行的键左对齐"),
    _told(r"found character '\\t' that cannot start any token", "这一行用了制表符（Tab）。YAML 只能用空格缩进，"
          "请把 Tab 换成空格，同一层的键用同样多的空格"),
    _told(r"found character '(?P<found>.)' that cannot start any token",
          f"值不能以“{{found}}”开头，{QUOTE_IT}（如 title: \"{{found}}……\"）"),
    _told(r"found unexpected end of stream", "这一行开始的引号直到文件结尾也没有结束：请在这个值的末尾补上同样的"
          "引号（\" 或 '）", at_context=True, context="quoted"),
    _told(r"expected ',' or '}'", "这一行开始的花括号 { } 写法有误：各项之间用英文逗号“,”分隔，以“}”结束；"
          f"项的值中含有冒号或逗号时，{QUOTE_IT}", at_context=True),
    _told(r"expected ',' or '\]'", "这一行开始的方括号 [ ] 写法有误：各项之间用英文逗号“,”分隔，以“]”结束；"
          f"某一项中含有冒号或逗号时，{QUOTE_IT}", at_context=True),
    _told(r"but found '<block mapping start>'", "这一行的缩进与同一层的键不一致：同一层的键必须左对齐，用同样多的空格"),
    _told(r"but found '-'|sequence entries are not allowed", "这一行的“- ”放错了位置：“- ”开始列表中的一项（如一条规则），"
          "要与同一列表的其他项对齐；一条规则里的键（如 title:）前面不写“- ”"),
    _told(r"but found '<scalar>'", "这一行多出了文字：值若以引号开始，整个值都要在引号里（引号后不能再写文字）；"
          "否则请检查缩进"),
    _told(r"could not find expected ':'", "这一行缺少键后面的冒号：写成“键: 值”，冒号用英文冒号，后面加一个空格",
          at_context=True),
    _told(r"found undefined alias|while scanning an alias", f"以“*”开头的值在 YAML 中是引用的写法；这里若是文字，{QUOTE_IT}",
          at_context=True),
    _told(r"second occurrence|found duplicate anchor", f"以“&”开头的值在 YAML 中是锚点的写法；这里若是文字，{QUOTE_IT}"),
    _told(r"found unknown escape character", "双引号中的反斜杠“\\”后跟了不认识的字符：要写反斜杠本身请写两个（\\\\），"
          "或改用单引号括起这个值"),
    _told(r"but found another document", "文件中有“---”分开的第二部分：一个文件只能写一份内容，请删去“---”，"
          "把后面的内容并入前面的列表"),
    _told(r"expected chomping or indentation indicators", "“|”或“>”之后这一行不能再写文字：多行的文字从下一行写起，"
          "每行缩进对齐"),
    _told(r"expected the node content, but found '(?P<found>.)'", f"值不能以“{{found}}”开头，{QUOTE_IT}"),
    _told(r"incompatible YAML document|directive", "以“%”开头的行是 YAML 的指令写法：请删去这一行，或把它作为文字用引号括起来"),
)


def told(error: yaml.MarkedYAMLError) -> tuple[str, yaml.Mark | None]:
    """What ``error`` means in Chinese, starting with :data:`LEAD`, and the mark of the place to name."""
    problem, context = error.problem or str(error), error.context or ""
    for known in _KNOWN:
        found = known.problem.search(problem) or known.problem.search(context)
        if found and known.context in context:
            mark = error.context_mark if known.at_context and error.context_mark else error.problem_mark
            text = known.text.replace("{found}", found.groupdict().get("found") or "")
            return LEAD + text, mark or error.context_mark
    return (f"{LEAD}{problem}（解析器原文）。请检查这一行和上一行的缩进、冒号和引号：同一层的键左对齐，"
            f"“键: 值”的冒号后加空格，值中含有冒号、# 或以特殊符号开头时{QUOTE_IT}",
            error.problem_mark or error.context_mark)

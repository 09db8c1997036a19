"""Python's regular-expression errors told in Chinese, with what to write instead (for ``pattern`` rules).

A rule writer who types ``(第一部分`` gets ``missing ), unterminated subpattern`` from ``re``; what
helps is which bracket is not closed and how to match a bracket itself. Each error ``re`` gives for a
hand-written pattern is said here; one not among these keeps ``re``'s words beside the advice.
"""
from __future__ import annotations

import re

_ESCAPE_IT = "要匹配这个符号本身，请在它前面加反斜杠（如“\\(”），或写全角的符号（如“（”）"

#: (the start of ``re``'s message, what it means), the first that fits is said; ``{found}`` is the
#: rest of the message after the start (the escape or the range ``re`` names).
_KNOWN = (
    ("missing ), unterminated subpattern", f"左括号“(”没有配对的右括号“)”：请补上“)”。{_ESCAPE_IT}"),
    ("unbalanced parenthesis", f"右括号“)”没有配对的左括号“(”：请删去多余的“)”。{_ESCAPE_IT}"),
    ("unterminated character set", "方括号“[”没有配对的“]”：请补上“]”；要匹配方括号本身，请写“\\[”"),
    ("nothing to repeat", "“*”“+”“?”或“{m,n}”前面没有可以重复的内容：要匹配这些符号本身，请在前面加反斜杠（如“\\*”）"),
    ("multiple repeat", "重复的符号连在了一起（如“**”“+*”）：只保留一个；要匹配符号本身，请在前面加反斜杠"),
    ("bad escape (end of pattern)", "正则表达式以一个反斜杠“\\”结尾：要匹配反斜杠本身，请写两个（“\\\\”）"),
    ("bad escape", "“{found}”不是正则表达式的写法：要匹配其中的字母，请去掉反斜杠；数字写“\\d”，空白写“\\s”"),
    ("bad character range", "方括号中的范围“{found}”前大后小：范围从小写到大，如“[0-9]”“[a-z]”"),
    ("min repeat greater than max repeat", "“{m,n}”中的 m 大于 n：应写成“{少,多}”，如“{1,3}”"),
    ("unexpected end of pattern", "正则表达式没有写完就结束了（如以“(?”结尾）：请补全，或删去未写完的部分"),
    ("missing -, : or )", "“(?”之后的写法不对：普通的括号只写“(”；给一段内容起名写“(?P<名称>…)”"),
    ("unknown extension", "“(?”之后的写法不对：普通的括号只写“(”；给一段内容起名写“(?P<名称>…)”"),
    ("redefinition of group name", "同一个名称的“(?P<名称>…)”出现了两次：每个名称只能用一次"),
    ("bad character in group name", "“(?P<名称>…)”的名称不合规：名称以汉字、字母或下划线开头，不含符号"),
    ("missing group name", "“(?P<名称>…)”缺少名称：在尖括号中写上名称，或只写“(”"),
    ("invalid group reference", "反斜杠加数字（如“\\1”）引用了不存在的一段：要匹配数字，请写“\\d”或直接写数字"),
    ("look-behind requires fixed-width pattern", "“(?<=…)”“(?<!…)”中只能写固定长度的内容，不能用“*”“+”“?”或“{m,n}”"),
)


def told(error: re.error) -> str:
    """What ``error`` means, in Chinese (without its place: the caller names the character)."""
    message = error.msg
    for start, text in _KNOWN:
        if message.startswith(start):
            return text.replace("{found}", message[len(start):].strip())
    return f"{message}（正则表达式的原文提示）。请检查括号、方括号是否配对，符号本身前是否加了反斜杠"

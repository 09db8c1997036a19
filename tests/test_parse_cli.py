"""``ogi-audit parse FILE``: the summary a person reads, word for word where it matters."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def summary(name: str) -> list[str]:
    done = subprocess.run([sys.executable, "-m", "engine.cli", "parse", f"reports/{name}"], cwd=ROOT,
                          capture_output=True, encoding="utf-8", check=True)
    return done.stdout.splitlines()


def test_a_truncated_report_says_what_is_missing() -> None:
    lines = summary("2020-洛阳市科学技术局.txt")
    assert lines[1] == "发布机关：洛阳市科学技术局    年度：2020    格式：2019年格式"
    assert lines[2] == "章节：一（第5行）、二（第39行）、四（第63行）、五（第70行）、六（第74行）；未找到：三"
    assert "表二(六)：未找到" in lines
    assert "表三：缺14行" in lines
    assert "    缺少：（四）无法提供 2.没有现成信息需要另行制作" in lines
    assert "    缺少：（四）无法提供 3.补正后申请内容仍不明确" not in lines
    assert lines[-1] == "  - 第52行：“另行制作”是不完整的表格行，无法确定是哪一行，未读取"


def test_contact_and_period_with_their_lines() -> None:
    lines = summary("2021-灵武市科学技术局.txt")
    assert "联系方式：地址 灵武市镇河路羊绒管委会大楼四楼西（第7行）；邮编 750400（第7行）；电话 0951-4021563（第7行）；" \
           "传真 0951-4021563（第7行）；电子邮箱 lwskj2008@163.com（第7行）；网址 http://www.nx1w.gov.cn（第7行）" in lines
    assert "统计期限：2021-01-01 至 2021-12-31（第7行）" in lines
    assert "表三：完整" in lines

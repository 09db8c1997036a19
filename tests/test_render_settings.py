"""Settings for notices: defaults from rules/settings/notice.yaml, overrides checked with positions."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from engine.render.settings import SettingsError, fill, load_settings

TODAY = date(2026, 3, 10)


def override(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "office.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_need_no_file():
    settings = load_settings(today=TODAY)
    assert settings.notice.date == TODAY
    assert settings.notice.deadline == date(2026, 3, 25)
    assert fill(settings.notice.number, {"short": settings.notice.short, "year": 2026, "seq": 3}) == "×政公开整改〔2026〕3号"
    assert settings.severity("error") == "错误" and settings.category("totals") == "合计与勾稽关系"


def test_an_override_changes_only_what_it_names(tmp_path):
    path = override(tmp_path, "notice:\n  deadline: 2026-04-30\nlabels:\n  category:\n    local: 本省要求\n")
    settings = load_settings(path, today=TODAY)
    assert settings.notice.deadline == date(2026, 4, 30)
    assert settings.notice.title == "政府信息公开工作年度报告整改通知书"
    assert settings.category("local") == "本省要求" and settings.category("totals") == "合计与勾稽关系"


@pytest.mark.parametrize(("text", "message"), [
    ("notice:\n  deadlin: 10\n", ":2:3 未知设置项 notice.deadlin，是不是 deadline?"),
    ("offices:\n  name: x\n", ":1:1 未知设置项 offices，是不是 office?"),
    ("notice:\n  number: \"{short}〔{yaer}〕{seq}号\"\n",
     ":2:11 notice.number 中的占位符 {yaer} 不认识；可用的有 {seq}、{short}、{year}"),
    ("notice:\n  deadline: 下周五\n", ":2:13 notice.deadline 应写天数（如 15）或日期（如 2026-03-31）"),
    ("notice:\n  date: 3月1日\n", ":2:9 notice.date 应写 today 或日期，如 2026-03-15"),
    ("notice: 周五\n", ":1:9 notice 下面应是若干设置项"),
    ("office:\n  name: [a, b]\n", ":2:9 office.name 应是一段文字"),
])
def test_mistakes_are_named_with_their_position(tmp_path, text, message):
    path = override(tmp_path, text)
    with pytest.raises(SettingsError) as caught:
        load_settings(path, today=TODAY)
    assert str(caught.value) == f"{path}{message}"

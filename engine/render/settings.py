"""The office's settings for pages and notices: ``rules/settings/notice.yaml``, overridden by
``--settings``.

The notice carries the office's name, numbering, date, deadline and signature, and every page shows
severity and category names in the office's words; none of that belongs in code. An override file
need only hold the keys it changes. A misspelt key, a wrong type, an unknown ``{placeholder}`` or a
deadline before the notice date is an error naming the file, line and column, so that a notice is never
printed with a silent default. The shipped defaults hold "××" where only the office can write its name,
signature and contact: while any is left so, :attr:`Settings.unfilled` names them and every notice is a
visible draft.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from .. import RULES_DIR
from ..yamlsource import Node, Position, SourceError, load

#: In a folder of its own, beside ``formats/``: the rule loader reads only the YAML files directly in
#: ``rules/`` and reports any that is not a list of rules.
DEFAULTS = RULES_DIR / "settings" / "notice.yaml"

#: Placeholders each text setting may use; anything else is a mistake worth stopping for.
PLACEHOLDERS = {
    ("notice", "number"): {"short", "year", "seq"},
    ("notice", "opening"): {"body", "year", "errors", "warnings", "deadline"},
    ("notice", "closing"): {"body", "year", "errors", "warnings", "deadline"},
}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
#: What the defaults write where the office must fill in its own text (××市, ×政公开, 联系人：×××).
UNFILLED = re.compile("×+")
#: The text settings a notice prints, by :class:`NoticeSettings` field: each is looked at for "××".
TEXT_KEYS = {"office": "office.name", "short": "office.short", "title": "notice.title",
             "number": "notice.number", "opening": "notice.opening", "closing": "notice.closing",
             "contact": "notice.contact", "signature": "notice.signature"}


class SettingsError(SourceError):
    """A settings file that cannot be used."""


@dataclass(frozen=True)
class NoticeSettings:
    office: str
    short: str
    title: str
    number: str
    first_seq: int
    date: date
    deadline: date
    opening: str
    closing: str
    contact: str
    signature: tuple[str, ...]


@dataclass(frozen=True)
class Settings:
    notice: NoticeSettings
    severity_labels: dict[str, str]
    category_labels: dict[str, str]
    #: The settings (``office.name`` …) still holding the defaults' "××": notices are drafts until filled.
    unfilled: tuple[str, ...] = ()

    def severity(self, code: str) -> str:
        return self.severity_labels.get(code, code)

    def category(self, code: str) -> str:
        return self.category_labels.get(code, code)

    def category_order(self, codes: set[str]) -> list[str]:
        """Categories in the order the settings list them, then any others alphabetically."""
        known = [c for c in self.category_labels if c in codes]
        return known + sorted(codes - set(known))


def fill(template: str, values: dict[str, object]) -> str:
    """Replace ``{name}`` placeholders (names were checked when the settings were loaded)."""
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), template)


def _merge(base: Node, override: Node, path: tuple[str, ...] = ()) -> None:
    """Lay ``override`` over ``base`` in place, refusing keys the defaults do not have."""
    for name, value in override.items():
        if name not in base:
            close = difflib.get_close_matches(name, list(base), n=1)
            hint = f"，是不是 {close[0]}?" if close else f"；可用的有 {'、'.join(base)}"
            raise SettingsError(override.where(name), f"未知设置项 {'.'.join(path + (name,))}{hint}")
        if isinstance(base[name], dict):
            if not isinstance(value, dict):
                raise SettingsError(override.where(name, value=True), f"{'.'.join(path + (name,))} 下面应是若干设置项")
            if path == ("labels",):
                # The office may name categories of its own rules: label tables take new codes.
                base[name].update(value)
                base[name].key_positions.update(value.key_positions)
                base[name].value_positions.update(value.value_positions)
            else:
                _merge(base[name], value, path + (name,))
            continue
        base[name] = value
        base.value_positions[name] = override.where(name, value=True)


def _text(node: Node, name: str, path: tuple[str, ...]) -> str:
    value = node[name]
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise SettingsError(node.where(name, value=True), f"{'.'.join(path)} 应是一段文字")
    text = str(value)
    allowed = PLACEHOLDERS.get(path)
    for match in _PLACEHOLDER.finditer(text):
        if allowed is None or match.group(1) not in allowed:
            known = "、".join("{" + p + "}" for p in sorted(allowed or ()))
            raise SettingsError(node.where(name, value=True),
                                f"{'.'.join(path)} 中的占位符 {match.group(0)} 不认识；可用的有 {known or '（无）'}")
    return text


def _day(value: object) -> date | None:
    """A date written in YAML (2026-03-15; a time after it is dropped), else None."""
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def _date(node: Node, name: str, today: date) -> date:
    value = node[name]
    if value == "today":
        return today
    if (day := _day(value)) is not None:
        return day
    raise SettingsError(node.where(name, value=True), f"notice.{name} 应写 today 或日期，如 2026-03-15")


def _deadline(node: Node, issued: date) -> date:
    value = node["deadline"]
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return issued + timedelta(days=value)
    day = _day(value)
    if day is None:
        raise SettingsError(node.where("deadline", value=True),
                            "notice.deadline 应写天数（如 15）或日期（如 2026-03-31）")
    if day < issued:
        raise SettingsError(node.where("deadline", value=True),
                            f"notice.deadline {day} 早于发文日期 {issued}（notice.date: {node['date']}，见 "
                            f"{node.where('date', value=True)}）；请写发文日期以后的日期，或写天数（如 15）")
    return day


def _labels(node: Node, name: str) -> dict[str, str]:
    labels = node[name]
    wrong = next((code for code, label in labels.items() if not isinstance(label, str)), None)
    if wrong is not None:
        raise SettingsError(labels.where(wrong, value=True), f"labels.{name}.{wrong} 应是一个名称（一段文字）")
    return {str(k): v for k, v in labels.items()}


def load_settings(override: Path | None = None, *, today: date | None = None) -> Settings:
    """The defaults from ``rules/settings/notice.yaml`` with ``override`` laid over them."""
    settings = load(DEFAULTS)
    if override is not None:
        extra = load(override)
        if not isinstance(extra, Node):
            raise SettingsError(Position(str(override), 1, 1), "设置文件应由“设置项: 值”组成")
        _merge(settings, extra)
    office, notice, labels = settings["office"], settings["notice"], settings["labels"]
    issued = _date(notice, "date", today or date.today())
    signature = notice["signature"]
    if isinstance(signature, str):
        signature = [signature]
    if not isinstance(signature, list) or not all(isinstance(s, str) for s in signature):
        raise SettingsError(notice.where("signature", value=True), "notice.signature 应是若干行文字")
    first_seq = notice["first_seq"]
    if not isinstance(first_seq, int) or isinstance(first_seq, bool) or first_seq < 0:
        raise SettingsError(notice.where("first_seq", value=True), "notice.first_seq 应是不小于 0 的整数")
    chosen = NoticeSettings(
        office=_text(office, "name", ("office", "name")),
        short=_text(office, "short", ("office", "short")),
        title=_text(notice, "title", ("notice", "title")),
        number=_text(notice, "number", ("notice", "number")),
        first_seq=first_seq,
        date=issued,
        deadline=_deadline(notice, issued),
        opening=_text(notice, "opening", ("notice", "opening")),
        closing=_text(notice, "closing", ("notice", "closing")),
        contact=_text(notice, "contact", ("notice", "contact")),
        signature=tuple(signature),
    )
    return Settings(notice=chosen, severity_labels=_labels(labels, "severity"),
                    category_labels=_labels(labels, "category"), unfilled=_unfilled(chosen))


def _unfilled(notice: NoticeSettings) -> tuple[str, ...]:
    """The keys of the text settings that still hold "××"."""
    texts = {key: getattr(notice, name) for name, key in TEXT_KEYS.items()}
    return tuple(key for key, text in texts.items() if UNFILLED.search("".join(text) if isinstance(text, tuple) else text))


def chinese_date(day: date) -> str:
    """A date as official documents write it: 2026年3月15日."""
    return f"{day.year}年{day.month}月{day.day}日"

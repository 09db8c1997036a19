"""The ways reports write things, loaded from ``rules/wording/*.yaml``: contact labels (``contact.yaml``),
annual-report titles (``titles.yaml``) and the short and long names of one office (``bodies.yaml``).

This is the vocabulary of the parser (:mod:`engine.parse.contact`, :mod:`engine.parse.meta`) and of
prior-year pairing (:mod:`engine.pairing`), kept as data so that a wording found in a real report is
added to a file, not to a regular expression in the code. Every entry is a plain word, never a regex:
the code builds its patterns from escaped words, so no file here can make a pattern that backtracks
without end. A mistake is a :class:`WordingError` at the file, line and column (as format files give),
which the command line reports with exit 2. :func:`load_wording` reads the folder once per run.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from . import RULES_DIR
from .yamlsource import Node, Position, SourceError, load

WORDING_DIR = RULES_DIR / "wording"
#: The contact details the parser reads (the keys of :attr:`engine.model.Report.contact`).
CONTACT_KINDS = ("address", "postcode", "phone", "fax", "email", "website")
#: What a value of each kind looks like; :mod:`engine.parse.contact` has a pattern for each.
SHAPES = ("address", "digits", "phone", "email", "web")
COLON = ("required", "optional")


class WordingError(SourceError):
    """A wording file that cannot be used."""


@dataclass(frozen=True)
class ContactDetail:
    kind: str
    shape: str
    labels: tuple[str, ...]
    colon_optional: bool = False


@dataclass(frozen=True)
class ContactWording:
    details: tuple[ContactDetail, ...]
    #: Groups of kinds one label may name together (电话/传真), and the words that join their labels.
    together: tuple[tuple[str, ...], ...] = ()
    joiners: tuple[str, ...] = ()


@dataclass(frozen=True)
class TitleWording:
    names: tuple[str, ...]
    year_words: tuple[str, ...]
    joiners: tuple[str, ...] = ()
    not_annual: tuple[str, ...] = ()


@dataclass(frozen=True)
class BodyWording:
    #: Every way an office is written (full name and short names) → its full name.
    offices: tuple[tuple[str, str], ...]
    government: str
    #: Place endings whose government has a name of its own (街道 → 办事处).
    government_of: tuple[tuple[str, str], ...]
    higher: tuple[str, ...]
    own: tuple[str, ...]


@dataclass(frozen=True)
class Wording:
    contact: ContactWording
    titles: TitleWording
    bodies: BodyWording


def _file(directory: Path, name: str, keys: tuple[str, ...]) -> Node:
    path = directory / name
    node = load(path)
    if not isinstance(node, Node):
        raise WordingError(Position(str(path), 1, 1), "应为“键: 值”的映射")
    return _known(node, keys)


def _known(node: Node, keys: tuple[str, ...]) -> Node:
    """``node``, once every key of it is one of ``keys`` (a misspelt key would be left out unseen)."""
    for name in node:
        if name not in keys:
            raise WordingError(node.where(name), f"未知的键“{name}”，可用：{'、'.join(keys)}")
    return node


def _get(node: Node, name: str, kind: type = str, default: Any = None) -> Any:
    if name not in node:
        if default is not None:
            return default
        raise WordingError(node.where(), f"缺少 {name}:")
    value = node[name]
    if not isinstance(value, kind):
        raise WordingError(node.where(name, value=True), f"{name} 应为{_KIND_NAMES.get(kind, kind.__name__)}")
    return value


_KIND_NAMES = {str: "文字", list: "列表", dict: "“键: 值”的映射"}


def _words(node: Node, name: str, *, required: bool = True) -> tuple[str, ...]:
    """A list of plain words: each a non-empty string, none twice."""
    words = _get(node, name, list, None if required else [])
    out: list[str] = []
    for word in words:
        if not isinstance(word, (str, int)) or not str(word).strip():
            raise WordingError(node.where(name, value=True), f"{name} 中的每一项应为非空的文字，而不是“{word}”")
        if str(word) in out:
            raise WordingError(node.where(name, value=True), f"{name} 中“{word}”写了两次")
        out.append(str(word))
    if required and not out:
        raise WordingError(node.where(name, value=True), f"{name} 至少要有一项")
    return tuple(out)


def _one_of(node: Node, name: str, allowed: tuple[str, ...], default: str | None = None) -> str:
    value = str(_get(node, name, str, default))
    if value not in allowed:
        raise WordingError(node.where(name, value=True), f"{name} 只能是 {'、'.join(allowed)}，而不是“{value}”")
    return value


def load_contact(directory: Path) -> ContactWording:
    node = _file(directory, "contact.yaml", ("details", "combined"))
    details_node = _get(node, "details", dict)
    details = []
    for kind in details_node:
        if kind not in CONTACT_KINDS:
            raise WordingError(details_node.where(kind), f"未知的联系方式“{kind}”，可用：{'、'.join(CONTACT_KINDS)}")
    for kind in CONTACT_KINDS:
        if kind not in details_node:
            # A kind without labels could never be read, and every report would be told it lacks it.
            raise WordingError(details_node.where(), f"缺少 {kind}:（规则会要求这一项，没有标签就读不到）")
        item = details_node[kind]
        if not isinstance(item, Node):
            raise WordingError(details_node.where(kind, value=True), f"{kind} 应为含 shape、labels 的映射")
        _known(item, ("shape", "labels", "colon"))
        details.append(ContactDetail(kind, _one_of(item, "shape", SHAPES), _words(item, "labels"),
                                     _one_of(item, "colon", COLON, "required") == "optional"))
    if "combined" not in node:
        return ContactWording(tuple(details))
    combined = _known(_get(node, "combined", dict), ("together", "joiners"))
    together = []
    for group in _get(combined, "together", list, []):
        where = combined.where("together", value=True)
        if not isinstance(group, list) or len(group) < 2 or any(k not in CONTACT_KINDS for k in group):
            raise WordingError(where, f"together 中的每一组应为两项以上的联系方式，如 [phone, fax]，而不是“{group}”")
        together.append(tuple(str(k) for k in group))
    return ContactWording(tuple(details), tuple(together), _words(combined, "joiners", required=False))


def load_titles(directory: Path) -> TitleWording:
    node = _file(directory, "titles.yaml", ("names", "year_words", "joiners", "not_annual"))
    return TitleWording(_words(node, "names"), _words(node, "year_words"), _words(node, "joiners", required=False),
                        _words(node, "not_annual", required=False))


def load_bodies(directory: Path) -> BodyWording:
    node = _file(directory, "bodies.yaml", ("offices", "government", "government_of", "higher", "own"))
    offices_node = _get(node, "offices", dict)
    forms: dict[str, str] = {}
    for full, shorts in offices_node.items():
        where = offices_node.where(full, value=True)
        if not isinstance(shorts, list) or not all(isinstance(s, str) and s.strip() for s in shorts):
            raise WordingError(where, f"{full} 的简称应为文字的列表（没有简称写 []）")
        for form in (full, *shorts):
            other = forms.setdefault(form, full)
            if other != full:
                raise WordingError(where, f"“{form}”同时是“{other}”和“{full}”的名称，配对时无法区分")
    own = _words(node, "own")
    government_of = _get(node, "government_of", dict) if "government_of" in node else {}
    for ending in government_of:
        if ending not in own:
            raise WordingError(government_of.where(ending), f"government_of 中的“{ending}”不在 own 中")
    return BodyWording(tuple(forms.items()), str(_get(node, "government")),
                       tuple((str(k), str(v)) for k, v in government_of.items()), _words(node, "higher"), own)


@cache
def load_wording(directory: Path = WORDING_DIR) -> Wording:
    """The three vocabularies of ``directory``; raises :class:`WordingError` (or the
    :class:`~engine.yamlsource.SourceError` of a file that cannot be read) at the first problem."""
    return Wording(load_contact(directory), load_titles(directory), load_bodies(directory))

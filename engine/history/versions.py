"""The versions an audit ran under, recorded with its results: the same report audited under other rules
may have other findings, and whoever reads the history must be able to tell a fix from a rule change.

A rule set's version is a hash over its files' bytes (the rule files and the vocabulary they name in
``wording/``), taken in order of name, so that any edit, file added or file removed changes it and
nothing else does; the format files' version likewise. Each rule also gets a digest of its text as
the engine holds it (not its place in the file), for decisions that must know whether the rule they
were made under has changed.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, fields
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from .. import FORMATS_DIR, __version__
from ..model import RuleInfo
from ..rules.loader import rule_files
from ..rules.vocabulary import wording_files


@dataclass(frozen=True)
class Versions:
    tool: str
    rules: str
    formats: str

    @classmethod
    def of(cls, rules_dir: Path) -> Versions:
        words = wording_files(rules_dir)
        return cls(tool=tool_version(), rules=files_digest(rules_dir, [*rule_files(rules_dir), *words]),
                   formats=files_digest(FORMATS_DIR, sorted(FORMATS_DIR.glob("*.yaml"))))  # as load_formats


def tool_version() -> str:
    try:
        return version("ogi-audit")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return __version__


def files_digest(root: Path, files: list[Path]) -> str:
    """sha256 over each file's name (relative to ``root``) and bytes, in order of name."""
    digest = hashlib.sha256()
    for name, path in sorted((path.relative_to(root).as_posix(), path) for path in files):
        digest.update(name.encode("utf-8") + b"\0")
        data = path.read_bytes()
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def rule_digest(rule: RuleInfo) -> str:
    """sha256 of the rule's text: every field but ``source`` (where it stands in its file)."""
    text = [[f.name, getattr(rule, f.name)] for f in fields(rule) if f.name != "source"]
    return hashlib.sha256(json.dumps(text, ensure_ascii=False).encode("utf-8")).hexdigest()

"""What an audit can write, by the names ``--outputs`` takes: the registry of outputs.

An *export* is one file at the top of the output folder, made from the finished run alone: its
``write(run, path, settings)`` writes ``<out>/<file>`` and nothing else, and is rewritten each run (the
file is this tool's own, like the dashboard). A new export is one module with such a function and one
line in :data:`EXPORTS`. The *pages* (``html``: the dashboard, the rule catalogue and a page per report;
``notices``: the rectification notices) are written together by engine.render.write_outputs, since the
pages link to the notices and both go through the manifest (engine.render.manifest).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..model import AuditRun
from ..serialize import dumps
from .findings_csv import write_findings_csv
from .findings_sarif import write_findings_sarif
from .findings_xlsx import write_findings_xlsx
from .settings import Settings


@dataclass(frozen=True)
class Export:
    name: str  #: as given to --outputs
    file: str  #: written at the top of the output folder
    write: Callable[[AuditRun, Path, Settings], None]


def write_findings_json(run: AuditRun, path: Path, settings: Settings) -> None:
    from ..audit import audit_json  # the audit module imports the whole engine; the pages need none of it
    path.write_text(dumps(audit_json(run)), encoding="utf-8")


EXPORTS = (Export("json", "findings.json", write_findings_json),
           Export("csv", "findings.csv", write_findings_csv),
           Export("xlsx", "findings.xlsx", write_findings_xlsx),
           Export("sarif", "findings.sarif", write_findings_sarif))
#: The pages' names (as --outputs takes them) and where they go, for the summary.
HTML, NOTICES = "html", "notices"
PAGES = {HTML: "index.html、rules.html、reports/", NOTICES: "notices/"}
#: Every name --outputs takes, in the order they are written and listed.
OUTPUTS = tuple(export.name for export in EXPORTS) + tuple(PAGES)


class OutputsError(ValueError):
    """An --outputs list naming an output there is none of; ``str()`` says which and lists the valid ones."""


def chosen_outputs(text: str) -> tuple[str, ...]:
    """The outputs named in ``json,xlsx`` (spaces and case ignored), in :data:`OUTPUTS` order."""
    given = [part.strip() for part in text.split(",") if part.strip()]
    names = {name.casefold() for name in given}
    valid = "、".join(OUTPUTS)
    if unknown := [name for name in given if name.casefold() not in OUTPUTS]:
        raise OutputsError(f"--outputs 中的 {'、'.join(unknown)} 不是可选的输出；可选的有 {valid}（用逗号分隔，默认全部）")
    if not names:
        raise OutputsError(f"--outputs 没有写要输出什么；可选的有 {valid}（用逗号分隔，默认全部）")
    return tuple(name for name in OUTPUTS if name in names)


def written(outputs: tuple[str, ...]) -> list[str]:
    """What the chosen outputs put in the output folder, for the summary."""
    return [e.file for e in EXPORTS if e.name in outputs] + [PAGES[name] for name in PAGES if name in outputs]

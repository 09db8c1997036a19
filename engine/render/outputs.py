"""What an audit can write, by the names ``--outputs`` takes: the registry of outputs.

An *export* is one file at the top of the output folder (rewritten each run it is chosen: the file is
this tool's own, like the dashboard), written by an :class:`ExportWriter` as the audits come, one at a
time, so that a batch of any size is written in the memory of one report. A new export is one module
with such a writer and one line in :data:`EXPORTS`. The *pages* (``html``: the dashboard, the rule
catalogue and a page per report; ``notices``: the rectification notices) are written together by
engine.render.write_outputs, since the pages link to the notices and both go through the manifest
(engine.render.manifest).
"""
from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..model import AuditRun, ReportAudit
from ..serialize import dumps
from .apart import APART_FROM, Apart
from .findings_csv import FindingsCsv
from .findings_sarif import FindingsSarif
from .findings_xlsx import FindingsXlsx
from .settings import Settings


class ExportWriter(Protocol):
    """Opened with the run (its rules, versions and the inputs not audited are known; its audits may be
    on disk, engine.batch.spool), given each audit in run order with :meth:`add`, then closed."""

    def add(self, audit: ReportAudit) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class Export:
    name: str  #: as given to --outputs
    file: str  #: written at the top of the output folder
    open: Callable[[Path, AuditRun, Settings], ExportWriter]
    #: Written in a process of its own for a large batch (engine.render.apart): its writer reads no
    #: ``run.audits``.
    apart: bool = False

    def writer(self, out_dir: Path, run: AuditRun, settings: Settings) -> ExportWriter:
        """The writer of this export into ``out_dir`` for ``run``."""
        if self.apart and len(run.audits) >= APART_FROM:
            return Apart(self.open, out_dir / self.file, run, settings)
        return self.open(out_dir / self.file, run, settings)


class FindingsJson:
    """``findings.json``: the list engine.audit.audit_json gives, one report's object at a time."""

    def __init__(self, path: Path, run: AuditRun, settings: Settings) -> None:
        from ..audit import audit_item, unaudited_item  # the audit module imports the whole engine
        self.item, self.run, self.count = audit_item, run, 0
        self.unaudited = unaudited_item
        self.stream = path.open("w", encoding="utf-8")
        self.stream.write("[")

    def _write(self, item: dict) -> None:
        # Indented as an item of the list: every line of the JSON text has something on it, so a prefix
        # after each newline is textwrap.indent's result, at a twentieth of its cost (2.3 s of CPU a
        # thousand reports, most of writing the file).
        text = dumps({**item, "versions": self.run.versions}).replace("\n", "\n  ")
        self.stream.write(f"{',' if self.count else ''}\n  {text}")
        self.count += 1

    def add(self, audit: ReportAudit) -> None:
        self._write(self.item(audit))

    def close(self) -> None:
        try:
            for item in self.run.unreadable:
                self._write(self.unaudited(item))
            self.stream.write("\n]" if self.count else "]")
        finally:
            self.stream.close()


EXPORTS = (Export("json", "findings.json", FindingsJson),
           Export("csv", "findings.csv", FindingsCsv),
           Export("xlsx", "findings.xlsx", FindingsXlsx, apart=True),
           Export("sarif", "findings.sarif", FindingsSarif))
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


def listing_every_report(outputs: tuple[str, ...]) -> list[str]:
    """Of the files the chosen outputs write, those that list every report (the dashboard first), for
    the summary of a batch too large to list: it must point only at a file this run writes."""
    return ["index.html"] * (HTML in outputs) + [e.file for e in EXPORTS if e.name in outputs]


def written(outputs: tuple[str, ...]) -> list[str]:
    """What the chosen outputs put in the output folder, for the summary."""
    return [e.file for e in EXPORTS if e.name in outputs] + [PAGES[name] for name in PAGES if name in outputs]

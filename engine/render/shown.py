"""How the office knows each input, in everything a person reads: the pages, the notices, the exports.

``ogi-audit audit`` shows an input by the path it was given. The web app saves each upload under a name
of its own (engine.web.uploads) and knows it by the name it was sent under; it gives write_outputs a
function from a source to that name, and each audit is shown through :class:`Shown`: its report's
source, its prior-year report's and those of the inputs it is a duplicate of (and the rules' files,
which the app copies for each batch, by their place among the rules). File names and recipes
stay made from the sources themselves (a name sent from elsewhere never becomes a file name), and the
history store records the sources as read.
"""
from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, replace

from ..model import AuditRun, ReportAudit


@dataclass(frozen=True)
class Shown:
    """Sources shown by ``name`` (None: as they are, and the audits given back unchanged)."""

    name: Callable[[str], str] | None = None

    def source(self, source: str) -> str:
        return source if self.name is None else self.name(source)

    def audit(self, audit: ReportAudit) -> ReportAudit:
        """``audit`` with every source it names as shown; a copy, the audit given is left as it is."""
        if self.name is None:
            return audit
        report = copy.copy(audit.report)  # a summary's tables are made only when read: not replace()
        report.source = self.name(report.source)
        return replace(audit, report=report,
                       prior=None if audit.prior is None else self.name(audit.prior),
                       duplicate_of=tuple(map(self.name, audit.duplicate_of)))

    def run(self, run: AuditRun) -> AuditRun:
        """``run`` with its inputs not audited and the files of its rules as shown; its audits are
        shown one by one, as each is written (:meth:`audit`), so that files are still named after
        their sources."""
        if self.name is None:
            return run
        return AuditRun(run.audits, [replace(item, source=self.name(item.source)) for item in run.unreadable],
                        [replace(rule, source=self.name(rule.source)) for rule in run.rules], run.versions)

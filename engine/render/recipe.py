"""What a report's page and notice are made from, as one digest: so that a rerun keeps a file it would
write again byte for byte instead of reading the report again to render it (issue 10, point 5).

A page cannot be kept just because it exists: between two runs a resubmission of another file changes
the statuses (新发现 → 仍未整改) and the run compared with, an auditor dismisses a finding, the
settings' date or the notice's number moves, a duplicate appears in the batch. (The same file audited
again is no resubmission and keeps its follow-up: engine.history.compared.) So the digest covers
everything :func:`engine.render.pages.render_job` reads:

- of the run, once (:func:`run_recipe`): the code (every file of the ``engine`` package, templates and
  static files among them, and the versions of the libraries that write the bytes), the rules as the
  pages show them, the settings, the office, and the time zone the dates are shown in; not the minute
  the run was made, which a kept page shows as it was when it was written;
- of the job (:func:`job_digest`): the bytes of the input (their sha256: the report's text, tables and
  places, as the code of the run reads them), its source, and every field of the audit but the report
  and the recorded audit it was given from (findings with their statuses and reviews, checks not run,
  fixed and unchecked findings, the prior, the prior record, the duplicates, the run compared with),
  the page's and notice's names, the notice that the page links to and the notice's number.

Fields are taken by ``repr``: every one is a plain value or a dataclass of plain values (dates
included), whose ``repr`` is stable from one process to the next, so an unchanged field gives the same
text and a changed one another. A field added to :class:`engine.model.ReportAudit` or to the job is in
the digest without a change here (the dataclasses' own fields are walked).
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import fields
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from ..history.versions import files_digest, rule_digest
from ..model import ReportAudit, RuleInfo
from .pages import PageJob
from .settings import Settings

#: The libraries whose versions change the bytes of a page or a Word file.
_WRITERS = ("jinja2", "markupsafe", "python-docx", "lxml")
#: Fields of a job that are not what its files are made from (where it stands in the run), or that are
#: taken apart: the audit (field by field), the rules, settings and common part (once per run).
_NOT_MADE_FROM = {"position", "audit", "rules", "settings", "common"}
#: Fields of an audit taken apart (its report: by the input's sha256) or that no file shows (where the
#: store had it, for a reused audit: the same file's pages are the same whichever run it is taken from).
_NOT_MADE_FROM_AUDIT = {"report", "reused_from"}


@cache
def code_digest() -> str:
    """sha256 over the files of the engine package and the versions of the libraries that write."""
    package = Path(__file__).resolve().parent.parent
    code = files_digest(package, [p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts])
    return hashlib.sha256(f"{code}\n{_library_versions()}".encode()).hexdigest()


def _library_versions() -> str:
    found = []
    for name in _WRITERS:
        try:
            found.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name}=?")
    return ",".join(found)


def run_recipe(rules: dict[str, RuleInfo], settings: Settings, common: dict[str, str]) -> str:
    """The digest of what every job of a run shares."""
    shown = {key: value for key, value in common.items() if key != "generated"}
    zone = (time.tzname, time.timezone, time.altzone, time.daylight)
    material = [code_digest(), sorted((rule_id, rule_digest(rule)) for rule_id, rule in rules.items()),
                repr(settings), repr(sorted(shown.items())), repr(zone)]
    return hashlib.sha256(repr(material).encode("utf-8")).hexdigest()


def job_digest(recipe: str, job: PageJob, input_sha256: str) -> str:
    """The digest of what ``job``'s files are made from, given the run's :func:`run_recipe` and the
    sha256 of the input its report was read from."""
    audit = job.audit
    material = [recipe, input_sha256, audit.report.source,
                [(f.name, getattr(audit, f.name)) for f in fields(ReportAudit)
                 if f.name not in _NOT_MADE_FROM_AUDIT],
                [(f.name, getattr(job, f.name)) for f in fields(PageJob) if f.name not in _NOT_MADE_FROM]]
    return hashlib.sha256(repr(material).encode("utf-8")).hexdigest()

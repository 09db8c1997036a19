"""Audit output people use: view models → jinja2 templates → HTML pages, notices and a CSV.

:func:`write_outputs` takes a finished :class:`~engine.model.AuditRun` and writes, next to the
findings JSON, the dashboard (``index.html``), one page per report (``reports/<name>.html``), the rule
catalogue (``rules.html``), ``findings.csv``, and a rectification notice (``notices/<name>.html`` and
``.docx``) for every report with an error or a warning.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from ..model import AuditRun
from .dashboard import build_catalogue, build_dashboard
from .findings_csv import write_findings_csv
from .html import render, static
from .names import unique_names
from .notice import build_notice, needs_notice
from .report_page import build_report_page
from .settings import SettingsError, load_settings
from .word import write_notice_docx

__all__ = ["SettingsError", "write_outputs"]

REPORTS = "reports"
NOTICES = "notices"
#: What this module writes into its own sub-folders; older files of these kinds there are removed, so
#: that a notice from an earlier run never sits beside a report that is now clean.
OWN_SUFFIXES = (".html", ".docx")


def _clear(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        if old.is_file() and old.suffix in OWN_SUFFIXES:
            old.unlink()


def _page(path: Path, template: str, **context: object) -> None:
    path.write_text(render(template, **context), encoding="utf-8")


def write_outputs(run: AuditRun, out_dir: Path, settings: Path | None = None) -> None:
    """Write every page, notice and the CSV for ``run`` into ``out_dir``.

    ``settings`` is the office's override of ``rules/settings/notice.yaml`` (``--settings``); a bad one
    raises :class:`SettingsError` naming file, line and column before anything is written."""
    chosen = load_settings(settings)
    common = {"generated": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M"),
              "office": chosen.notice.office}
    rules = {rule.id: rule for rule in run.rules}
    names = unique_names(audit.report.source for audit in run.audits)
    noticed = [needs_notice(audit) for audit in run.audits]
    for folder in (REPORTS, NOTICES):
        _clear(out_dir / folder)

    seq = chosen.notice.first_seq
    for audit, name, notice in zip(run.audits, names, noticed, strict=True):
        if notice:
            view = build_notice(audit, seq, rules, chosen)
            seq += 1
            _page(out_dir / NOTICES / f"{name}.html", "notice.html", notice=view, **common)
            write_notice_docx(view, out_dir / NOTICES / f"{name}.docx")
        page = build_report_page(audit, quote(f"../{NOTICES}/{name}") if notice else None, rules, chosen)
        _page(out_dir / REPORTS / f"{name}.html", "report.html", page=page, **common)

    dashboard = build_dashboard(
        run, [quote(f"{REPORTS}/{n}.html") for n in names],
        [quote(f"{NOTICES}/{n}") if needed else None for n, needed in zip(names, noticed, strict=True)], chosen)
    _page(out_dir / "index.html", "index.html", view=dashboard, script=static("table.js"), **common)
    _page(out_dir / "rules.html", "rules.html", groups=build_catalogue(run.rules, chosen),
          rule_count=len(run.rules), **common)
    write_findings_csv(run, out_dir / "findings.csv", chosen)

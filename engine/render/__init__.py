"""Audit output people use: view models → jinja2 templates → HTML pages, notices and a CSV.

:func:`write_outputs` takes a finished :class:`~engine.model.AuditRun` and writes, next to the
findings JSON, the dashboard (``index.html``), one page per report (``reports/<name>.html``), the rule
catalogue (``rules.html``), ``findings.csv``, and a rectification notice (``notices/<name>.html`` and
``.docx``) for every report with an error or a warning. In ``reports`` and ``notices`` it replaces or
removes only what an earlier run wrote and nobody changed since (engine.render.manifest); the dashboard,
the catalogue and the CSV at the top are this tool's own and rewritten each run.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from ..model import AuditRun
from .dashboard import build_catalogue, build_dashboard
from .findings_csv import write_findings_csv
from .html import render, static
from .manifest import Kept, OutputFolder
from .names import unique_names
from .notice import build_notice, needs_notice
from .report_page import build_report_page
from .settings import SettingsError, load_settings
from .word import write_notice_docx

__all__ = ["SettingsError", "write_outputs"]

REPORTS = "reports"
NOTICES = "notices"


def _page(template: str, **context: object) -> Callable[[Path], None]:
    return lambda path: path.write_text(render(template, **context), encoding="utf-8")


def _places(folder: OutputFolder, names: list[str], noticed: list[bool]) -> tuple[list[str | None], list[str]]:
    """Each report's notice name (None: no notice) and page name, as the manifest lets this run write them."""
    wanted = [(f"{NOTICES}/{n}", (".html", ".docx")) for n, needed in zip(names, noticed, strict=True) if needed]
    placed = iter(PurePosixPath(stem).name for stem in folder.place(
        wanted + [(f"{REPORTS}/{n}", (".html",)) for n in names]))
    notices = [next(placed) if needed else None for needed in noticed]
    return notices, list(placed)


def write_outputs(run: AuditRun, out_dir: Path, settings: Path | None = None) -> list[Kept]:
    """Write every page, notice and the CSV for ``run`` into ``out_dir``; return the files in its
    ``reports`` and ``notices`` this run did not replace or remove (see engine.render.manifest).

    ``settings`` is the office's override of ``rules/settings/notice.yaml`` (``--settings``); a bad one
    raises :class:`SettingsError` naming file, line and column before anything is written."""
    chosen = load_settings(settings)
    common = {"generated": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M"),
              "office": chosen.notice.office}
    rules = {rule.id: rule for rule in run.rules}
    noticed = [needs_notice(audit) for audit in run.audits]
    folder = OutputFolder(out_dir)
    notices, pages = _places(folder, unique_names(audit.report.source for audit in run.audits), noticed)

    seq = chosen.notice.first_seq
    try:
        for audit, page_name, notice in zip(run.audits, pages, notices, strict=True):
            if notice is not None:
                view = build_notice(audit, seq, rules, chosen)
                seq += 1
                folder.write(f"{NOTICES}/{notice}.html", _page("notice.html", notice=view, **common))
                folder.write(f"{NOTICES}/{notice}.docx", partial(write_notice_docx, view))
            page = build_report_page(audit, quote(f"../{NOTICES}/{notice}") if notice else None, rules, chosen)
            folder.write(f"{REPORTS}/{page_name}.html", _page("report.html", page=page, **common))
    except BaseException:
        folder.finish(complete=False)
        raise
    kept = folder.finish()

    dashboard = build_dashboard(run, [quote(f"{REPORTS}/{n}.html") for n in pages],
                                [quote(f"{NOTICES}/{n}") if n else None for n in notices], chosen)
    _page("index.html", view=dashboard, script=static("table.js"), **common)(out_dir / "index.html")
    _page("rules.html", groups=build_catalogue(run.rules, chosen), rule_count=len(run.rules), **common)(
        out_dir / "rules.html")
    write_findings_csv(run, out_dir / "findings.csv", chosen)
    return kept

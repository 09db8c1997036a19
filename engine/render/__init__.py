"""Audit output people use: view models → jinja2 templates → HTML pages, notices and a CSV.

:func:`write_outputs` takes a finished :class:`~engine.model.AuditRun` and writes, next to the
findings JSON, the dashboard (``index.html``), one page per report (``reports/<name>.html``), the rule
catalogue (``rules.html``), ``findings.csv``, and a rectification notice (``notices/<name>.html`` and
``.docx``) for every report with an error or a warning (one for a report given twice, see
engine.render.notice; a draft while the settings are not filled in). In ``reports`` and ``notices`` it replaces or
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
from .notice import NoticeLink, build_notice, drafts, notice_holders
from .report_page import build_report_page
from .settings import Settings, SettingsError, load_settings
from .word import write_notice_docx

__all__ = ["Settings", "SettingsError", "load_settings", "write_outputs"]

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


def _links(run: AuditRun, holders: list[int | None], notices: list[str | None], settings: Settings,
           up: str) -> list[NoticeLink | None]:
    """Each report's link to the notice that covers it (``holders``), from a page ``up`` from the top."""
    return [None if holder is None else NoticeLink(
        quote(f"{up}{NOTICES}/{notices[holder]}"), bool(drafts(run.audits[holder], settings)),
        None if holder == i else run.audits[holder].report.source) for i, holder in enumerate(holders)]


def write_outputs(run: AuditRun, out_dir: Path, settings: Settings | Path | None = None) -> list[Kept]:
    """Write every page, notice and the CSV for ``run`` into ``out_dir``; return the files in its
    ``reports`` and ``notices`` this run did not replace or remove (see engine.render.manifest).

    ``settings`` is the office's override of ``rules/settings/notice.yaml`` (``--settings``), or the
    settings loaded from it; a bad one raises :class:`SettingsError` naming file, line and column before
    anything is written."""
    chosen = settings if isinstance(settings, Settings) else load_settings(settings)
    common = {"generated": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M"),
              "office": chosen.notice.office}
    rules = {rule.id: rule for rule in run.rules}
    holders = notice_holders(run.audits)
    folder = OutputFolder(out_dir)
    notices, pages = _places(folder, unique_names(audit.report.source for audit in run.audits),
                             [holder == i for i, holder in enumerate(holders)])

    seq = chosen.notice.first_seq
    try:
        for audit, page_name, notice, link in zip(run.audits, pages, notices,
                                                  _links(run, holders, notices, chosen, "../"), strict=True):
            if notice is not None:
                view = build_notice(audit, seq, rules, chosen)
                seq += 1
                folder.write(f"{NOTICES}/{notice}.html", _page("notice.html", notice=view, **common))
                folder.write(f"{NOTICES}/{notice}.docx", partial(write_notice_docx, view))
            page = build_report_page(audit, link, rules, chosen)
            folder.write(f"{REPORTS}/{page_name}.html", _page("report.html", page=page, **common))
    except BaseException:
        folder.finish(complete=False)
        raise
    kept = folder.finish()

    dashboard = build_dashboard(run, [quote(f"{REPORTS}/{n}.html") for n in pages],
                                _links(run, holders, notices, chosen, ""), chosen)
    _page("index.html", view=dashboard, script=static("table.js"), **common)(out_dir / "index.html")
    _page("rules.html", groups=build_catalogue(run.rules, chosen), rule_count=len(run.rules), **common)(
        out_dir / "rules.html")
    write_findings_csv(run, out_dir / "findings.csv", chosen)
    return kept

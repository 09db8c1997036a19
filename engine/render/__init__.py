"""Audit output people use: view models → jinja2 templates → HTML pages, notices, a CSV, an xlsx, SARIF.

:func:`write_outputs` takes a finished :class:`~engine.model.AuditRun` and writes the outputs chosen
(engine.render.outputs; ``--outputs``, default all): the exports at the top of the output folder
(``findings.json``, ``findings.csv``, ``findings.xlsx``, ``findings.sarif``), the pages (``html``: the
dashboard ``index.html``, one page per report ``reports/<name>.html``, the rule catalogue
``rules.html``) and a rectification notice (``notices``: ``notices/<name>.html`` and ``.docx``) for every
report with an error or a warning (one for a report given twice, see engine.render.notice; a draft
while the settings are not filled in). In ``reports`` and ``notices`` it replaces or removes only what
an earlier run wrote and nobody changed since (engine.render.manifest), and only in the folders it
writes this run; the files at the top are this tool's own and rewritten each run they are chosen. Pages
written without the notices link to the notices under the names an earlier run gave them.
"""
from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from datetime import datetime
from functools import partial
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from ..model import AuditRun, ReportAudit
from .dashboard import build_catalogue, build_dashboard, category_codes, dashboard_row
from .html import render, static
from .manifest import Kept, OutputFolder
from .names import unique_names
from .notice import NoticeLink, NoticeOutline, Numbering, batch_numbering, notice_holders
from .outputs import EXPORTS, HTML, NOTICES, OUTPUTS, PAGES, ExportWriter, OutputsError, chosen_outputs
from .pages import NOTICES_FOLDER, REPORTS_FOLDER, PageJob, Renderer, render_here
from .settings import Settings, SettingsError, load_settings

__all__ = ["OUTPUTS", "OutputsError", "Settings", "SettingsError", "chosen_outputs", "load_settings",
           "write_outputs"]

#: Audits taken from the run at a time (engine.batch.spool keeps a batch's audits on disk).
CHUNK = 64
#: The manifest's folder each page output writes into.
FOLDER_OF = {HTML: REPORTS_FOLDER, NOTICES: NOTICES_FOLDER}


def _page(template: str, **context: object) -> Callable[[Path], None]:
    return lambda path: path.write_text(render(template, **context), encoding="utf-8")


def _places(folder: OutputFolder, names: list[str], noticed: list[bool],
            pages: Collection[str]) -> tuple[list[str | None], list[str]]:
    """Each report's notice name (None: no notice) and page name, as the manifest lets this run write
    them; an output not written this run keeps the plain name (where an earlier run will have put it)."""
    notices_now, html_now = NOTICES in pages, HTML in pages
    wanted = [(f"{NOTICES_FOLDER}/{n}", (".html", ".docx"))
              for n, needed in zip(names, noticed, strict=True) if needed and notices_now]
    wanted += [(f"{REPORTS_FOLDER}/{n}", (".html",)) for n in names] if html_now else []
    placed = iter(PurePosixPath(stem).name for stem in folder.place(wanted))
    notices = [(next(placed) if notices_now else n) if needed else None for n, needed in zip(names, noticed, strict=True)]
    return notices, (list(placed) if html_now else names)


def _links(outlines: list[NoticeOutline], holders: list[int | None], notices: list[str | None],
           up: str) -> list[NoticeLink | None]:
    """Each report's link to the notice that covers it (``holders``), from a page ``up`` from the top."""
    return [None if holder is None else NoticeLink(
        quote(f"{up}{NOTICES_FOLDER}/{notices[holder]}"), outlines[holder].draft,
        None if holder == i else outlines[holder].source) for i, holder in enumerate(holders)]


def write_outputs(run: AuditRun, out_dir: Path, settings: Settings | Path | None = None,
                  outputs: Collection[str] = OUTPUTS, numbering: Numbering = batch_numbering,
                  renderer: Renderer = render_here) -> list[Kept]:
    """Write the ``outputs`` chosen (names of engine.render.outputs.OUTPUTS) for ``run`` into
    ``out_dir``; return the files in its ``reports`` and ``notices`` this run did not replace or remove
    (see engine.render.manifest).

    ``settings`` is the office's override of ``rules/settings/notice.yaml`` (``--settings``), or the
    settings loaded from it; a bad one raises :class:`SettingsError` naming file, line and column before
    anything is written. ``numbering`` gives the notices their numbers (engine.render.notice.Numbering);
    ``renderer`` renders each report's page and notice (engine.render.pages: here, or on the batch's
    workers). The audits are taken :data:`CHUNK` at a time, in two passes (what the notices need, then
    everything written), so that a batch kept on disk (engine.batch.spool) is written in the memory
    of a chunk."""
    chosen = settings if isinstance(settings, Settings) else load_settings(settings)
    out_dir.mkdir(parents=True, exist_ok=True)
    writers = [export.open(out_dir / export.file, run, chosen) for export in EXPORTS if export.name in outputs]
    pages = [name for name in PAGES if name in outputs]
    try:
        if not pages:
            for chunk in _chunks(run):
                _export(writers, chunk)
            return []
        return _write_pages(run, out_dir, chosen, pages, numbering, renderer, writers)
    finally:
        for writer in writers:
            writer.close()


def _chunks(run: AuditRun) -> Iterator[list[ReportAudit]]:
    for start in range(0, len(run.audits), CHUNK):
        yield list(run.audits[start:start + CHUNK])


def _export(writers: list[ExportWriter], chunk: list[ReportAudit]) -> None:
    for audit in chunk:
        for writer in writers:
            writer.add(audit)


def _write_pages(run: AuditRun, out_dir: Path, settings: Settings, pages: list[str], numbering: Numbering,
                 renderer: Renderer, writers: list[ExportWriter]) -> list[Kept]:
    """The report pages, the notices, the dashboard and the catalogue, as far as ``pages`` says, and
    the exports ``writers`` on the way."""
    common = {"generated": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M"),
              "office": settings.notice.office}
    rules = {rule.id: rule for rule in run.rules}
    outlines, categories = [], set()
    for chunk in _chunks(run):
        outlines += [NoticeOutline.of(audit, settings) for audit in chunk]
        categories.update(f.category for audit in chunk for f in audit.findings)
    codes = category_codes(categories, settings)
    holders = notice_holders(outlines)
    folder = OutputFolder(out_dir, [FOLDER_OF[name] for name in pages])
    notices, names = _places(folder, unique_names(outline.source for outline in outlines),
                             [holder == i for i, holder in enumerate(holders)], pages)
    page_links, top_links = _links(outlines, holders, notices, "../"), _links(outlines, holders, notices, "")
    rows = []
    try:
        positions = [i for i, notice in enumerate(notices) if notice is not None] if NOTICES in pages else []
        seqs = dict(zip(positions, numbering(run, positions, settings) if positions else [], strict=True))
        for start, chunk in zip(range(0, len(outlines), CHUNK), _chunks(run), strict=True):
            _export(writers, chunk)
            jobs = [PageJob(audit, rules, settings, common, page=names[i] if HTML in pages else None,
                            link=page_links[i], notice=notices[i] if i in seqs else None, seq=seqs.get(i),
                            position=i) for i, audit in enumerate(chunk, start)]
            for _, files in renderer(jobs):
                for relative, data in files:
                    folder.write(relative, partial(Path.write_bytes, data=data))
            if HTML in pages:
                rows += [dashboard_row(audit, quote(f"{REPORTS_FOLDER}/{names[i]}.html"), top_links[i], codes, settings)
                         for i, audit in enumerate(chunk, start)]
    except BaseException:
        folder.finish(complete=False)
        raise
    kept = folder.finish()
    if HTML not in pages:
        return kept
    dashboard = build_dashboard(run, rows, codes, settings)
    _page("index.html", view=dashboard, script=static("table.js"), **common)(out_dir / "index.html")
    _page("rules.html", groups=build_catalogue(run.rules, settings), rule_count=len(run.rules), **common)(
        out_dir / "rules.html")
    return kept

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
written without the notices link to the notices under the names an earlier run gave them. Given the
sha256 of each audit's input (``made_from``), a page or notice whose recipe (engine.render.recipe) is
the one an earlier run wrote it from, and that is still as written, is kept instead of made again.
"""
from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from datetime import datetime
from functools import partial
from itertools import islice
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from ..model import AuditRun, ReportAudit, RuleInfo
from .dashboard import DashboardRows, build_catalogue, build_dashboard, category_codes, dashboard_row
from .html import static, write_page
from .manifest import Kept, OutputFolder
from .names import unique_names
from .notice import NoticeLink, NoticeOutline, Numbering, batch_numbering, notice_holders
from .outputs import EXPORTS, HTML, NOTICES, OUTPUTS, PAGES, ExportWriter, OutputsError, chosen_outputs
from .pages import NOTICES_FOLDER, REPORTS_FOLDER, PageJob, Renderer, job_files, render_here
from .recipe import job_digest, run_recipe
from .settings import Settings, SettingsError, load_settings
from .shown import Shown

__all__ = ["OUTPUTS", "OutputsError", "Settings", "SettingsError", "chosen_outputs", "load_settings",
           "write_outputs"]

#: Audits taken from the run at a time (engine.batch.spool keeps a batch's audits on disk).
CHUNK = 64
#: The manifest's folder each page output writes into.
FOLDER_OF = {HTML: REPORTS_FOLDER, NOTICES: NOTICES_FOLDER}


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


def _link(outlines: list[NoticeOutline], holders: list[int | None], notices: list[str | None], i: int,
          up: str, shown: Shown) -> NoticeLink | None:
    """Report ``i``'s link to the notice that covers it (``holders``), from a page ``up`` from the top;
    made as each chunk is written, not for the whole batch at once."""
    holder = holders[i]
    return None if holder is None else NoticeLink(
        quote(f"{up}{NOTICES_FOLDER}/{notices[holder]}"), outlines[holder].draft,
        None if holder == i else shown.source(outlines[holder].source))


def write_outputs(run: AuditRun, out_dir: Path, settings: Settings | Path | None = None,
                  outputs: Collection[str] = OUTPUTS, numbering: Numbering = batch_numbering,
                  renderer: Renderer = render_here,
                  made_from: Callable[[str], str | None] | None = None, keep: bool = True,
                  shown: Callable[[str], str] | None = None, counted: Sequence[ExportWriter] = ()) -> list[Kept]:
    """Write the ``outputs`` chosen (names of engine.render.outputs.OUTPUTS) for ``run`` into
    ``out_dir``; return the files in its ``reports`` and ``notices`` this run did not replace or remove
    (see engine.render.manifest).

    ``settings`` is the office's override of ``rules/settings/notice.yaml`` (``--settings``), or the
    settings loaded from it; a bad one raises :class:`SettingsError` naming file, line and column before
    anything is written. ``numbering`` gives the notices their numbers (engine.render.notice.Numbering);
    ``renderer`` renders each report's page and notice and writes them into ``out_dir``
    (engine.render.pages: here, or on the batch's workers), whose files are recorded here.
    ``made_from`` gives the sha256 of the input at a source, or None where it is not known
    (then its files are always made again); with ``keep=False`` every file is made again, its recipe
    recorded for the next run (``--no-reuse``). ``shown`` gives the name an input is shown by, where it
    is not its source (engine.render.shown: the files are named after the source all the same, and
    ``made_from`` is asked by the source). ``counted`` are given every audit as the exports are, and
    closed with them (the command's summary, engine.commands.audit.Tally, and its --json FILE). The
    audits are taken :data:`CHUNK` at a time, in two passes (what the notices need, then everything
    written), so that a batch kept on disk (engine.batch.spool) is written in the memory of a chunk."""
    chosen = settings if isinstance(settings, Settings) else load_settings(settings)
    out_dir.mkdir(parents=True, exist_ok=True)
    as_shown = Shown(shown)
    run = as_shown.run(run)
    writers = [*(export.writer(out_dir, run, chosen) for export in EXPORTS if export.name in outputs), *counted]
    pages = [name for name in PAGES if name in outputs]
    try:
        if not pages:
            for chunk in _chunks(run):
                _export(writers, [as_shown.audit(audit) for audit in chunk])
            return []
        return _write_pages(run, out_dir, chosen, pages, numbering, renderer, writers, made_from, keep, as_shown)
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


def _recipes(rules: dict[str, RuleInfo], settings: Settings, common: dict[str, str],
             made_from: Callable[[str], str | None] | None, sources: list[str]) -> Callable[[PageJob], str | None]:
    """What each job's files are made from (engine.render.recipe), None where its input is not known;
    ``sources``: each audit's source, by position in the run."""
    if made_from is None:
        return lambda job: None
    shared = run_recipe(rules, settings, common)

    def recipe(job: PageJob) -> str | None:
        sha256 = made_from(sources[job.position])
        return None if sha256 is None else job_digest(shared, job, sha256)
    return recipe


def _to_make(jobs: list[PageJob], folder: OutputFolder, recipe: Callable[[PageJob], str | None],
             keep: bool) -> list[tuple[PageJob, str | None]]:
    """The jobs whose files must be made, each with its recipe; the others' files, made from the same
    recipe before and still as written, are kept where ``keep`` (engine.render.manifest). A job that
    writes nothing (no page, and no notice of its own this run) is neither."""
    made = []
    for job in jobs:
        if not (files := job_files(job)):
            continue
        if (digest := recipe(job)) is not None and keep and folder.unchanged(files, digest):
            for relative in files:
                folder.keep(relative)
        else:
            made.append((job, digest))
    return made


def _write_pages(run: AuditRun, out_dir: Path, settings: Settings, pages: list[str], numbering: Numbering,
                 renderer: Renderer, writers: list[ExportWriter],
                 made_from: Callable[[str], str | None] | None, keep: bool, shown: Shown) -> list[Kept]:
    """The report pages, the notices, the dashboard and the catalogue, as far as ``pages`` says, and
    the exports ``writers`` on the way; what is read shows each input as ``shown`` says."""
    common = {"generated": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M"),
              "office": settings.notice.office}
    rules = {rule.id: rule for rule in run.rules}
    outlines, categories, groups = [], set(), {}
    for chunk in _chunks(run):
        outlines += [NoticeOutline.of(audit, settings, groups) for audit in chunk]
        categories.update(f.category for audit in chunk for f in audit.findings)
    codes = category_codes(categories, settings)
    holders = notice_holders(outlines)
    folder = OutputFolder(out_dir, [FOLDER_OF[name] for name in pages])
    notices, names = _places(folder, unique_names(outline.source for outline in outlines),
                             [holder == i for i, holder in enumerate(holders)], pages)
    link = partial(_link, outlines, holders, notices, shown=shown)
    recipe = _recipes(rules, settings, common, made_from, [outline.source for outline in outlines])
    with DashboardRows(codes) as rows:
        try:
            positions = [i for i, notice in enumerate(notices) if notice is not None] if NOTICES in pages else []
            seqs = dict(zip(positions, numbering(run, positions, settings) if positions else [], strict=True))
            for start, read in zip(range(0, len(outlines), CHUNK), _chunks(run), strict=True):
                chunk = [shown.audit(audit) for audit in read]
                jobs = [PageJob(audit, rules, settings, common, page=names[i] if HTML in pages else None,
                                link=link(i, "../"), notice=notices[i] if i in seqs else None, seq=seqs.get(i),
                                position=i) for i, audit in enumerate(chunk, start)]
                made = _to_make(jobs, folder, recipe, keep)
                exported = iter(chunk)
                for index, files in renderer([job for job, _ in made], out_dir):
                    for relative, written in files:
                        folder.record(relative, written, made[index][1])
                    _export(writers, list(islice(exported, 1)))  # while the workers render the next pages
                _export(writers, list(exported))
                if HTML in pages:
                    for i, audit in enumerate(chunk, start):
                        rows.add(dashboard_row(audit, quote(f"{REPORTS_FOLDER}/{names[i]}.html"), link(i, ""),
                                               codes, settings))
        except BaseException:
            folder.finish(complete=False)
            raise
        kept = folder.finish()
        if HTML not in pages:
            return kept
        write_page(out_dir / "index.html", "index.html", view=build_dashboard(run, rows, codes, settings),
                   script=static("table.js"), **common)
    write_page(out_dir / "rules.html", "rules.html", groups=build_catalogue(run.rules, settings),
               rule_count=len(run.rules), **common)
    return kept

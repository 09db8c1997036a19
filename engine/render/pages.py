"""One report's files: its page and, where it holds one, its notice (HTML and Word), as a :class:`PageJob`.

Everything a report's files depend on in the rest of the batch (the notice that covers it, the names the
manifest lets this run write under, the notice's number) is decided before the job is made, so that a
job needs nothing but itself: the batch renders jobs in worker processes (engine.batch), which write
the files into the output folder and give back what the manifest records of each
(engine.render.manifest.Written); without a batch they are rendered and written here, one after the
other (:func:`render_here`).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..model import ReportAudit, RuleInfo
from .html import render
from .manifest import Written, write_file
from .notice import NoticeLink, build_notice
from .report_page import build_report_page
from .settings import Settings
from .word import notice_docx

REPORTS_FOLDER, NOTICES_FOLDER = "reports", "notices"


@dataclass(frozen=True)
class PageJob:
    audit: ReportAudit
    rules: dict[str, RuleInfo]
    settings: Settings
    common: dict[str, str]  #: what every page shows (when generated, by which office)
    page: str | None  #: the page's file name without suffix; None: no page this run
    link: NoticeLink | None  #: the notice the page links to
    notice: str | None = None  #: the report's own notice's name, when it holds one this run
    seq: int | None = None  #: that notice's number in its series
    position: int = 0  #: the audit's position in its run


def job_files(job: PageJob) -> list[str]:
    """The paths under the output folder that :func:`render_job` writes for ``job``, in its order."""
    notice = [] if job.notice is None else [f"{NOTICES_FOLDER}/{job.notice}{suffix}" for suffix in (".html", ".docx")]
    return notice + ([] if job.page is None else [f"{REPORTS_FOLDER}/{job.page}.html"])


def render_job(job: PageJob) -> list[tuple[str, bytes]]:
    """The files of ``job``: (path under the output folder, bytes)."""
    made = []
    if job.notice is not None:
        view = build_notice(job.audit, job.seq, job.rules, job.settings)
        made += [_html("notice.html", notice=view, **job.common), notice_docx(view)]
    if job.page is not None:
        page = build_report_page(job.audit, job.link, job.rules, job.settings)
        made.append(_html("report.html", page=page, **job.common))
    return list(zip(job_files(job), made, strict=True))


def _html(template: str, **context: object) -> bytes:
    return render(template, **context).encode("utf-8")


#: What renders a batch's jobs and writes their files under the output folder given: yields each job's
#: position and its files as written (path under the output folder, what :func:`write_job` gives), in
#: any order.
Renderer = Callable[[Sequence[PageJob], Path], Iterator[tuple[int, list[tuple[str, Written]]]]]


def write_job(job: PageJob, root: Path) -> list[tuple[str, Written]]:
    """The files of ``job`` rendered and written under ``root``."""
    return [(relative, write_file(root, relative, data)) for relative, data in render_job(job)]


def render_here(jobs: Sequence[PageJob], root: Path) -> Iterator[tuple[int, list[tuple[str, Written]]]]:
    for index, job in enumerate(jobs):
        yield index, write_job(job, root)

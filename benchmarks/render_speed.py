"""Time per report of the pages and notices, side by side with what the libraries cost at the least.

    python benchmarks/render_speed.py [--rounds N] [--generated N]

The batch is the samples in ``reports/`` and ``--generated`` text reports of the test generator, audited
once (``engine.audit.run_audit``, no history store); only the rendering is timed. Each report is
rendered ``--rounds`` times and its median CPU time taken; the figure printed is the median over the reports:

* notice docx: ``build_notice`` + ``write_notice_docx`` (reports that get a notice);
* notice html: ``render("notice.html")`` of that view;
* report page: ``build_report_page`` + ``render("report.html")``.

The baselines in the same run are the floor of each: python-docx opening its default template and
saving it empty, and jinja2 rendering a one-line template compiled once. Issue 10 asks for at least 150
reports/s with every output on two cores, so a notice and a page together must cost a few ms.
"""
from __future__ import annotations

import argparse
import io
import itertools
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docx import Document  # noqa: E402
from jinja2 import Environment  # noqa: E402

from engine import RULES_DIR  # noqa: E402
from engine.audit import run_audit  # noqa: E402
from engine.model import AuditRun  # noqa: E402
from engine.render.html import render  # noqa: E402
from engine.render.notice import build_notice, needs_notice  # noqa: E402
from engine.render.report_page import build_report_page  # noqa: E402
from engine.render.settings import Settings, load_settings  # noqa: E402
from engine.render.word import write_notice_docx  # noqa: E402


def median_ms(action: Callable[[], object], rounds: int) -> float:
    """The median CPU time of ``rounds`` calls of ``action``, after one untimed call (caches warm). CPU
    time, not wall time: the machine is shared, and a wait for a core is not the renderer's cost."""
    action()
    times = []
    for _ in range(rounds):
        start = time.process_time()
        action()
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


@contextmanager
def audited(generated: int) -> Iterator[tuple[Path, AuditRun, Settings]]:
    """:func:`batch` in a temporary folder, with the office's default settings; the folder is removed
    when the block ends."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        yield folder, batch(folder, generated), load_settings(None)


def batch(folder: Path, generated: int):
    """The samples and ``generated`` reports of the test generator (text layouts, formats in turn, each
    of its own seed, so of its own body and figures), written into ``folder`` and audited once."""
    from tests.generator import FORMATS, LAYOUTS, generate
    combos = [(layout, fmt) for layout in LAYOUTS for fmt in FORMATS]
    paths = sorted((ROOT / "reports").iterdir())
    for seed in range(generated):
        item = generate(seed, *combos[seed % len(combos)])
        path = folder / f"{item.name}.txt"
        path.write_bytes(item.data)
        paths.append(path)
    return run_audit(paths, RULES_DIR, history=None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--generated", type=int, default=12)
    args = parser.parse_args(argv)
    with audited(args.generated) as (folder, run, settings):
        rules = {rule.id: rule for rule in run.rules}
        common = {"generated": "2026-12-01 00:00", "office": settings.notice.office}
        docx_ms, notice_ms, page_ms = [], [], []
        files = itertools.count()  # a new file each time, as in a first run: ext4 makes rewriting one wait
        for n, audit in enumerate(run.audits):
            if needs_notice(audit):
                view = build_notice(audit, n, rules, settings)
                docx_ms.append(median_ms(lambda: write_notice_docx(build_notice(audit, n, rules, settings),
                                                                   folder / f"{next(files)}.docx"), args.rounds))
                notice_ms.append(median_ms(lambda: render("notice.html", notice=view, **common), args.rounds))
            page_ms.append(median_ms(lambda: render("report.html", page=build_report_page(audit, None, rules, settings),
                                                    **common), args.rounds))

        def empty_docx() -> None:
            Document().save(io.BytesIO())

        trivial = Environment(autoescape=True).from_string("<p>{{ x }}</p>")
        floor_docx = median_ms(empty_docx, args.rounds)
        floor_jinja = median_ms(lambda: trivial.render(x="审核"), args.rounds)

    print(f"{len(run.audits)} reports ({len(docx_ms)} with a notice), {args.rounds} rounds each; "
          "median over the reports of each one's median")
    rows = [("notice docx (build_notice + write_notice_docx)", docx_ms, floor_docx, "empty Document() + save"),
            ("notice html (render notice.html)", notice_ms, floor_jinja, "trivial jinja template"),
            ("report page (build_report_page + render)", page_ms, floor_jinja, "trivial jinja template")]
    for label, times, floor, floor_label in rows:
        median = statistics.median(times)
        print(f"{median:8.2f} ms  {label}   (slowest {max(times):.2f} ms; "
              f"{median / floor:6.1f}× the {floor_label}: {floor:.3f} ms)")
    per_report = statistics.median(docx_ms) + statistics.median(notice_ms) + statistics.median(page_ms)
    print(f"{per_report:8.2f} ms  notice docx + notice html + page of one report with a notice "
          f"({1000 / per_report:.0f} reports/s on one core)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

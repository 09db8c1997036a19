"""The pages in headless Chromium: no console errors, sorting and filtering work, screenshots for people.

Chromium (Debian's package) and a Chinese font are installed by ``render_chromium.ensure_chromium``
when missing and we are root, as on CI. Screenshots go to ``tests/output/`` (git-ignored): look at them
after changing templates or CSS.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.cli import main
from engine.render import write_outputs
from render_chromium import Browser, ensure_chromium
from render_sample_run import ROOT, sample_run

OUTPUT = Path(__file__).parent / "output"


@pytest.fixture(scope="module")
def browser():
    chromium = Browser(ensure_chromium())
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> Path:
    """The hand-built run: fixed findings, for checking behaviour."""
    out = tmp_path_factory.mktemp("audits")
    write_outputs(sample_run(), out, Path(__file__).parent / "gold" / "settings.yaml")
    return out


@pytest.fixture(scope="module")
def audited(tmp_path_factory) -> Path:
    """A real audit of the samples (five texts, three PDFs), for the console check and the screenshots."""
    out = tmp_path_factory.mktemp("audited")
    main(["audit", str(ROOT / "reports"), "-o", str(out)])
    return out


def test_the_check_catches_script_errors(browser, tmp_path):
    """The console check below would prove nothing if it could not see an error: inject some."""
    broken = tmp_path / "broken.html"
    broken.write_text('<!DOCTYPE html><meta charset="utf-8"><p>x</p><img src="absent.png">'
                      "<script>console.error('坏了'); missingFunction();</script>", encoding="utf-8")
    problems = browser.open(broken)
    assert any("missingFunction" in p for p in problems), problems
    assert any("坏了" in p for p in problems), problems
    assert any("ERR_FILE_NOT_FOUND" in p for p in problems), problems  # a file the page needs is missing


def test_every_page_renders_without_console_errors(browser, pages, audited):
    opened = sorted(pages.rglob("*.html")) + sorted(audited.rglob("*.html"))
    assert len(opened) == 5 + 2 + 8 + 6  # the real run: dashboard, catalogue, 8 reports, 6 notices (both 洪泽区)
    for page in opened:
        assert browser.open(page) == [], page
        assert browser.evaluate("document.body.innerText.length") > 100, page


def test_dashboard_sorts_and_filters(browser, pages):
    assert browser.open(pages / "index.html") == []
    bodies = "Array.from(document.querySelectorAll('table.dashboard tbody tr:not([hidden]) td:first-child'))" \
             ".map(td => td.textContent.trim())"
    assert browser.evaluate("document.getElementById('report-controls').hidden") is False
    assert browser.evaluate(bodies) == ["周村区科技局", "灵武市科学技术局"]
    errors = "document.querySelectorAll('table.dashboard thead th')[5]"
    browser.evaluate(f"{errors}.click()")  # 错误, ascending: the clean report first
    assert browser.evaluate(bodies) == ["灵武市科学技术局", "周村区科技局"]
    browser.evaluate(f"{errors}.click()")
    assert browser.evaluate(bodies) == ["周村区科技局", "灵武市科学技术局"]
    browser.evaluate("const s = document.querySelector('#report-controls select'); s.value = 'unchecked';"
                     "s.dispatchEvent(new Event('change'))")
    assert browser.evaluate(bodies) == ["灵武市科学技术局"]
    browser.evaluate("const s2 = document.querySelector('#report-controls select'); s2.value = '';"
                     "s2.dispatchEvent(new Event('change'));"
                     "const i = document.querySelector('#report-controls input'); i.value = '周村';"
                     "i.dispatchEvent(new Event('input'))")
    assert browser.evaluate(bodies) == ["周村区科技局"]


def test_screenshots_for_a_person_to_look_at(browser, audited):
    shots = {"dashboard.png": audited / "index.html",
             "report-周村区科技局.png": audited / "reports" / "2020-周村区科技局.html",
             "report-洪泽区-pdf.png": audited / "reports" / "2023-洪泽区人民政府.html",
             "notice-周村区科技局.png": audited / "notices" / "2020-周村区科技局.html"}
    for name, page in shots.items():
        assert browser.open(page) == []
        browser.screenshot(OUTPUT / name)
        assert (OUTPUT / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


A4 = (595, 842)  # points
A4_LANDSCAPE = (842, 595)


@pytest.mark.parametrize(("name", "sheet"), [("index.html", A4_LANDSCAPE), ("reports/2020-周村区科技局.html", A4),
                                             ("notices/2020-周村区科技局.html", A4)])
def test_pages_print_on_a4(browser, pages, name, sheet):
    assert browser.open(pages / name) == []
    printed = browser.pdf()
    sizes = set(re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", printed))
    assert {(round(float(w)), round(float(h))) for w, h in sizes} == {sheet}
    if name.startswith("notices/"):  # eight findings, each place naming its table in the format's words: three pages
        assert len(re.findall(rb"/Type\s*/Page\b", printed)) == 3

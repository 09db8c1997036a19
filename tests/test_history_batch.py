"""The history store at batch scale (issue 10, points 2 and 5), on SQLite and on a real PostgreSQL:
many bodies and years looked up at once give what one lookup each gives (names in both forms, with
and without the city, the most specific found deciding), a batch followed up in parts gives what one
call on the whole gives, prior years for summaries of reports, and audits given again from the store
only for the same bytes under the same versions with the same prior.

Expected values come from outside the code under test: which run and input each synthetic audit was
recorded as (the test records them), the names pairing gives each body (engine.pairing.body_names, the
definition the store follows), and the original audits the reused ones must equal.
"""
from __future__ import annotations

import copy
import hashlib
import shutil
import sqlite3
from collections import namedtuple
from dataclasses import replace
from pathlib import Path

import pytest

from engine import RULES_DIR
from engine.audit import run_audit
from engine.cli import main
from engine.history import reading
from engine.history.figures import figures_json
from engine.history.prior import stored_priors
from engine.history.reuse import prior_digest, reused_audit
from engine.history.store import HistoryStore
from engine.history.versions import Versions
from engine.model import AuditRun, Cell, ReportAudit
from engine.pairing import body_names
from engine.resubmission import follow_up
from engine.wording import load_wording
from tests.generator import render
from tests.generator.catalogue import DEFECT_KINDS, clean
from tests.generator.defects import bump_cell
from tests.generator.pairs import following_year
from tests.generator.spec import random_spec
from tests.postgres import postgres_server, postgres_url  # noqa: F401 - fixtures
from tests.test_history_store import EARLIER_SCHEMAS, LUOYANG, store_url  # noqa: F401 - fixture
from tests.test_resubmission import FIRST, SECOND, write_batch

YEAR = 2022
PLACES = 24
Summary = namedtuple("Summary", "body year")


def full(i: int) -> str:
    return f"甲乙市{i}号县科学技术局"


def short(i: int) -> str:
    """The same body as :func:`full`, by the office's short name."""
    return f"甲乙市{i}号县科技局"


def cityless(i: int) -> str:
    """The county's office without its city: a name of its own, that :func:`full` goes by too."""
    return f"{i}号县科技局"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> ReportAudit:
    """A generated report with findings, audited: every synthetic audit below is a copy of it."""
    path = tmp_path_factory.mktemp("base") / "base.txt"
    spec = DEFECT_KINDS["no email"].edit(clean(random_spec(5, "2021", blank_rate=0.0, year=YEAR)))
    path.write_text(render(spec, "tab").text, encoding="utf-8")
    [audit] = run_audit([path], RULES_DIR).audits
    assert audit.findings and audit.report.tables
    return audit


def copy_of(audit: ReportAudit, body: str, year: int, source: str, other_figures: bool = False) -> ReportAudit:
    """``audit`` as if of ``body``'s report of ``year`` in ``source``; with other figures: one more in
    the first cell that holds a number."""
    report = copy.copy(audit.report)
    report.source, report.body, report.year = source, body, year
    if other_figures:
        report.tables = copy.deepcopy(report.tables)
        table = next(t for t in report.tables.values() for c in t.each_cell() if c is not None and c.value is not None)
        row, column = next((r, c) for r in table.rows for c in table.columns
                           if table.cell(r, c) is not None and table.value(r, c) is not None)
        table.set_cell(row, column, Cell(table.value(row, column) + 1, table.cell(row, column).line))
    return replace(audit, report=report, findings=[replace(f, body=body, year=year) for f in audit.findings])


def synthetic_runs(base: ReportAudit) -> list[AuditRun]:
    """Run A: every body by its full name in YEAR, every third also the year before. Run B: the even
    ones again by the short name, body 4 twice with other figures, body 6 twice with the same.
    Run C: every fifth by its name without the city."""
    def run(audits: list[ReportAudit]) -> AuditRun:
        return AuditRun(audits=audits)

    a = [copy_of(base, full(i), YEAR, f"a-{i}.txt") for i in range(PLACES)]
    a += [copy_of(base, full(i), YEAR - 1, f"a-{i}-last.txt") for i in range(0, PLACES, 3)]
    b = [copy_of(base, short(i), YEAR, f"b-{i}.txt") for i in range(0, PLACES, 2)]
    b += [copy_of(base, short(4), YEAR, "b-4-other.txt", other_figures=True), copy_of(base, full(6), YEAR, "b-6-again.txt")]
    c = [copy_of(base, cityless(i), YEAR, f"c-{i}.txt") for i in range(0, PLACES, 5)]
    return [run(a), run(b), run(c)]


@pytest.fixture
def recorded(store_url: str, base: ReportAudit):  # noqa: F811
    """The store holding the synthetic runs, and each recorded audit by (run id, input number)."""
    store = HistoryStore.open(store_url)
    audits = {}
    for run in synthetic_runs(base):
        run_id = store.record(run, RULES_DIR)
        audits.update(((run_id, number), audit) for number, audit in enumerate(run.audits))
    yield store, audits
    store.close()


def expected_last(audits: dict[tuple[int, int], ReportAudit], body: str | None, year: int) -> tuple[int, int] | None:
    """The spec of last_audit over what the test recorded: the first of the body's names that any
    recorded report of ``year`` goes by decides, then the latest run, then its first input."""
    bodies = load_wording().bodies
    for name in body_names(body, bodies):
        places = [place for place, audit in audits.items()
                  if audit.report.year == year and name in body_names(audit.report.body, bodies)]
        if places:
            run = max(run for run, _ in places)
            return run, min(number for at, number in places if at == run)
    return None


def keys() -> list[tuple[str | None, int]]:
    asked = [(name(i), year) for i in range(PLACES) for name in (full, short, cityless)
             for year in (YEAR, YEAR - 1, YEAR + 1)]
    return [*asked, ("科学技术局", YEAR), (None, YEAR), (short(3), YEAR)]


def test_many_keys_at_once_give_what_one_each_gives(recorded, monkeypatch):
    store, audits = recorded
    wanted = keys()
    one_each = [store.last_audit(body, year) for body, year in wanted]
    monkeypatch.setattr(reading, "CHUNK", 7)  # every query in several chunks
    at_once = store.last_audits([(body, year, None) for body, year in wanted])  # no file: the latest audit
    assert len(at_once) == len(wanted)
    found = 0
    for (body, year), stored, alone in zip(wanted, at_once, one_each):
        place = expected_last(audits, body, year)
        if place is None:
            assert stored is None and alone is None, (body, year)
            continue
        found += 1
        audit = audits[place]
        assert (stored.run.id, stored.number, stored.source) == (*place, audit.report.source), (body, year)
        assert stored.run.reports == sum(1 for run, _ in audits if run == place[0])
        assert [f.to_dict() for f in stored.findings] == [f.to_dict() for f in audit.findings]
        assert stored.skipped == audit.skipped and stored.rules_run == audit.rules_run
        assert figures_json(stored.report()) == figures_json(audit.report)
        assert (alone.run, alone.number, alone.findings, alone.figures_json) == (
            stored.run, stored.number, stored.findings, stored.figures_json)
    assert found == 3 * (PLACES + len(range(0, PLACES, 3))) + 1  # each name form of YEAR, of the year before, short(3)


def test_the_most_specific_name_decides_and_the_latest_run(recorded):
    store, _ = recorded
    runs = [run.id for run in store.runs()]
    even, odd, fifth = store.last_audits([(full(2), YEAR, None), (short(3), YEAR, None), (cityless(5), YEAR, None)])
    assert (even.run.id, even.body) == (runs[1], short(2))  # run B, by the other form of the name
    assert (odd.run.id, odd.body) == (runs[0], full(3))
    assert (fifth.run.id, fifth.body) == (runs[2], cityless(5))  # run C, not A's city office
    assert store.last_audit(full(5), YEAR).run.id == runs[0]  # the full name is found: run C does not decide


def test_prior_years_for_summaries_of_the_batch(recorded, monkeypatch):
    """Summaries of next year's reports (any object with body and year) and a set of paired positions:
    each gets its body's last report of the year before, except the one paired within the batch, body
    9, whose YEAR report is in the batch (and gets its own of the year before), and body 4, whose
    latest run holds two of its reports with other figures; body 6's two have the same figures."""
    store, audits = recorded
    bodies = load_wording().bodies
    reports = [Summary(short(i), YEAR + 1) for i in range(PLACES)] + [Summary(full(9), YEAR)]
    paired = {0}
    monkeypatch.setattr(reading, "CHUNK", 5)
    found = stored_priors(reports, paired, store, bodies)
    assert set(found) == {i for i in range(1, PLACES) if i not in (4, 9)} | {PLACES}
    for i, (prior, record) in found.items():
        place = expected_last(audits, reports[i].body, reports[i].year - 1)
        assert (record.run, prior.source) == (place[0], audits[place].report.source)
        assert figures_json(prior) == figures_json(audits[place].report)
        assert prior.year == reports[i].year - 1
        assert body_names(prior.body, bodies)[0] == body_names(reports[i].body, bodies)[0]
    any_report = next(iter(audits.values())).report
    as_reports = [replace(any_report, body=s.body, year=s.year) for s in reports]
    same = stored_priors(as_reports, {0: as_reports[0]}, store, bodies)
    assert {i: (figures_json(p), r) for i, (p, r) in same.items()} == {
        i: (figures_json(p), r) for i, (p, r) in found.items()}
    given = []  # what a spooled batch keeps instead of each prior (engine.batch.pipeline.Batch.spooled)

    def keep(prior):
        given.append(prior)
        return len(given) - 1
    kept = stored_priors(reports, paired, store, bodies, keep)
    assert sorted(at for at, _ in kept.values()) == list(range(len(found)))  # each prior given once
    assert {i: (figures_json(given[at]), r) for i, (at, r) in kept.items()} == {
        i: (figures_json(p), r) for i, (p, r) in found.items()}


def _followed(run: AuditRun) -> list:
    return [([(f.fingerprint, f.status, f.review) for f in a.findings], [f.fingerprint for f in a.fixed],
             [f.fingerprint for f in a.unchecked], a.compared_with) for a in run.audits]


def test_a_batch_followed_up_in_parts_is_followed_up_as_a_whole(tmp_path, store_url):  # noqa: F811
    folder = tmp_path / "in"
    write_batch(folder, FIRST)
    store = HistoryStore.open(store_url)
    first = run_audit([folder], RULES_DIR, history=store)
    contact = next(f for a in first.audits for f in a.findings if f.rule == "CON-001")
    assert main(["review", contact.fingerprint, "--dismiss", "--reason", "另有公开渠道", "--db", store_url]) == 0
    write_batch(folder, SECOND)
    run = run_audit([folder], RULES_DIR)
    whole, parts = copy.deepcopy(run), copy.deepcopy(run)
    follow_up(whole, store)
    for audit in parts.audits:
        follow_up(AuditRun(audits=[audit], rules=parts.rules), store)
    assert _followed(parts) == _followed(whole)
    statuses = {f.status for a in whole.audits for f in a.findings}
    assert {"open", "new"} <= statuses and any(a.fixed for a in whole.audits)
    assert any(f.dismissed for a in whole.audits for f in a.findings)
    store.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


PRIOR = clean(random_spec(3, "2021", blank_rate=0.0))
THIS = clean(following_year(PRIOR, body=PRIOR.body))


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A body's reports of two years and a sample, in one folder: last year's, this year's, the sample."""
    folder = tmp_path / "pair"
    folder.mkdir()
    paths = [folder / f"{spec.year}.txt" for spec in (PRIOR, THIS)]
    for spec, path in zip((PRIOR, THIS), paths):
        path.write_text(render(spec, "tab").text, encoding="utf-8")
    return paths[0], paths[1], Path(shutil.copy(LUOYANG, folder / LUOYANG.name))


def test_an_audit_is_given_again_for_the_same_bytes_versions_and_prior(store_url, pair):  # noqa: F811
    store = HistoryStore.open(store_url)
    run = run_audit([pair[0].parent], RULES_DIR)
    store.record(run, RULES_DIR)
    by_source = {audit.report.source: audit for audit in run.audits}
    prior, this = by_source[str(pair[0])], by_source[str(pair[1])]
    assert this.prior == prior.report.source
    versions = Versions.of(RULES_DIR)
    found = store.reusable([sha256(p) for p in pair] + ["0" * 64], versions)
    assert set(found) == {sha256(p) for p in pair}
    for path in pair:
        original, stored = by_source[str(path)], found[sha256(path)]
        reused = reused_audit(stored)
        assert [f.to_dict() for f in reused.findings] == [f.to_dict() for f in original.findings]
        assert (reused.skipped, reused.rules_run, reused.prior) == (original.skipped, original.rules_run, original.prior)
        report = reused.report
        assert (report.source, report.body, report.year, report.format, report.kind) == (
            original.report.source, original.report.body, original.report.year, original.report.format,
            original.report.kind)
        assert figures_json(report) == figures_json(original.report) and report.lines == []
    assert found[sha256(pair[1])].prior_digest == prior_digest(prior.report) is not None
    assert found[sha256(pair[0])].prior_digest is None and found[sha256(pair[2])].prior_digest is None

    # Given again and recorded: the digest of the prior (itself given again) is the same.
    again = AuditRun(audits=[reused_audit(found[sha256(p)]) for p in pair], rules=run.rules)
    store.record(again, RULES_DIR)
    latest = store.reusable([sha256(pair[1])], versions)[sha256(pair[1])]
    assert latest.run.id == store.runs()[-1].id and latest.prior_digest == prior_digest(prior.report)
    store.close()


def test_other_rules_or_other_bytes_are_not_given_again(store_url, pair, tmp_path):  # noqa: F811
    store = HistoryStore.open(store_url)
    store.record(run_audit([pair[0].parent], RULES_DIR), RULES_DIR)
    shas = [sha256(p) for p in pair]
    rules = shutil.copytree(RULES_DIR, tmp_path / "rules", ignore=shutil.ignore_patterns("formats"))
    totals = rules / "totals.yaml"
    totals.write_text(totals.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert store.reusable(shas, Versions.of(rules)) == {}
    versions = Versions.of(RULES_DIR)
    assert store.reusable(shas, replace(versions, tool="0.0.0")) == {}
    assert store.reusable(shas, replace(versions, formats="0" * 64)) == {}
    pair[1].write_text(render(bump_cell(THIS, "三", "结转下年度", "自然人"), "tab").text, encoding="utf-8")
    assert set(store.reusable([*shas[:1], sha256(pair[1])], versions)) == {shas[0]}
    store.close()


def test_a_prior_from_the_store_is_recorded_with_its_digest(store_url, pair):  # noqa: F811
    """This year's report audited alone, last year's only in the store: the digest recorded is that of
    last year's report as parsed, and of the store's report of it."""
    store = HistoryStore.open(store_url)
    [prior] = run_audit([pair[0]], RULES_DIR, history=store).audits
    [this] = run_audit([pair[1]], RULES_DIR, history=store).audits
    assert this.prior_record is not None and this.prior == prior.report.source
    stored = store.reusable([sha256(pair[1])], Versions.of(RULES_DIR))[sha256(pair[1])]
    assert stored.prior_digest == prior_digest(prior.report)
    assert stored.prior_digest == prior_digest(store.last_audit(PRIOR.body, int(PRIOR.year)).report())
    store.close()


def test_a_second_schema_store_gives_again_only_what_had_no_prior(tmp_path):
    """Its audits were recorded without the digest of their prior: the one audited with a prior is
    never given again, the others are (under the versions they were recorded under)."""
    path = shutil.copy(EARLIER_SCHEMAS[2], tmp_path / "old.sqlite")
    with sqlite3.connect(path) as old:
        inputs = dict(old.execute("SELECT i.sha256, r.prior FROM inputs i JOIN reports r "
                                  "ON r.run = i.run AND r.number = i.number"))
    assert len(inputs) == 3 and sum(prior is not None for prior in inputs.values()) == 1
    store = HistoryStore.open(str(path))
    [run] = store.runs()
    found = store.reusable(list(inputs), Versions(run.tool_version, run.rules_version, run.formats_version))
    assert set(found) == {sha for sha, prior in inputs.items() if prior is None}
    store.close()

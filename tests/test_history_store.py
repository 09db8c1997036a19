"""The history store (engine.history), on SQLite and on a real PostgreSQL server (tests/postgres.py):
a run recorded whole and read back as audited, found by the body's names as pairing finds them, the
store named by ``--db``, the environment or the default, refused with a Chinese reason when it cannot
be used, upgraded from each earlier schema without loss, never corrupted by two audits writing at once
or by an audit killed while it records.

Expected values come from outside the store: the audit run itself (what was recorded must be what
was found), the files' own sha256, the hand-checked cells of the samples (tests/samples/*.yaml), and
the rows of the committed stores of earlier schemas read with the sqlite3 module.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine, inspect, select

from engine import RULES_DIR
from engine.audit import run_audit
from engine.cli import main
from engine.history import ENVIRONMENT
from engine.history import migrations
from engine.history.errors import HistoryError
from engine.history.schema import LATEST, STEPS
from engine.history.store import HistoryStore
from engine.history.versions import Versions, rule_digest
from engine.model import Report, RuleInfo
from tests.postgres import new_database, postgres_server, postgres_url  # noqa: F401 - fixtures
from tests.test_samples import compare_table, expectations, reading_from_report

ROOT = RULES_DIR.parent
REPORTS = ROOT / "reports"
LUOYANG = REPORTS / "2020-洛阳市科学技术局.txt"
JINFENG = REPORTS / "2020-银川市金凤区.txt"          # a government, named by its place
JINFENG_KEJI = REPORTS / "2020-金凤区科学技术局.txt"  # an office of the same place
LINGWU = REPORTS / "2021-灵武市科学技术局.txt"
#: Stores written by earlier releases, by schema version (tests/samples/history/README.md).
EARLIER_SCHEMAS = {version: ROOT / "tests" / "samples" / "history" / f"schema-{version}.sqlite" for version in (1, 2, 4)}
BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'history.sqlite'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory):
    """Four samples and an empty file in a folder, and a path that does not exist: the run of them."""
    folder = tmp_path_factory.mktemp("batch")
    for sample in (LUOYANG, JINFENG, JINFENG_KEJI, LINGWU):
        shutil.copy(sample, folder / sample.name)
    (folder / "empty.txt").write_bytes(b"")
    paths = [folder, folder.parent / "nowhere.txt"]
    return paths, run_audit(paths, RULES_DIR)



def rows(store: HistoryStore, table: str, *order: str) -> list:
    t = store.tables[table]
    with store.engine.connect() as connection:
        return connection.execute(select(t).order_by(*(t.c[name] for name in order))).all()


def complete(store: HistoryStore, run) -> bool:
    """Whether every run in the store holds all of ``run`` (each is a recording of that batch)."""
    findings = sum(len(audit.findings) for audit in run.audits)
    return all((s.reports, s.unreadable, s.findings) == (len(run.audits), len(run.unreadable), findings)
               for s in store.runs())


def test_a_run_is_recorded_whole_and_read_back_as_audited(store_url, batch):
    _, run = batch
    store = HistoryStore.open(store_url)
    run_id = store.record(run, RULES_DIR)
    [summary] = store.runs()
    assert (summary.id, summary.inputs, summary.reports, summary.unreadable) == (run_id, 6, 4, 2)
    assert summary.findings == sum(len(audit.findings) for audit in run.audits) > 0
    assert summary.tool_version == importlib.metadata.version("ogi-audit")
    assert (summary.rules_version, summary.formats_version) == (Versions.of(RULES_DIR).rules,
                                                                 Versions.of(RULES_DIR).formats)
    assert abs(summary.at - datetime.now(UTC)) < timedelta(minutes=5)
    for audit in run.audits:
        stored = store.last_audit(audit.report.body, audit.report.year)
        assert (stored.run.id, stored.source, stored.format) == (run_id, audit.report.source, audit.report.format)
        assert stored.sha256 == hashlib.sha256(Path(audit.report.source).read_bytes()).hexdigest()
        assert [f.to_dict() for f in stored.findings] == [f.to_dict() for f in audit.findings]
        assert stored.skipped == audit.skipped
    fingerprints = [row.fingerprint for row in rows(store, "findings", "number", "position")]
    assert fingerprints == [f.fingerprint for audit in run.audits for f in audit.findings]
    inputs = rows(store, "inputs", "number")
    assert [(i.name, i.size, i.unreadable) for i in inputs[4:]] == [
        ("empty.txt", 0, run.unreadable[0].reason), ("nowhere.txt", None, run.unreadable[1].reason)]
    assert [i.size for i in inputs[:4]] == [Path(a.report.source).stat().st_size for a in run.audits]
    assert {r.rule: r.digest for r in rows(store, "run_rules", "rule")} == {
        rule.id: rule_digest(rule) for rule in run.rules}
    store.close()


@pytest.mark.parametrize("sample", [JINFENG, LUOYANG], ids=["signed-and-amounts", "cut-off"])
def test_figures_read_back_as_checked_by_hand(store_url, sample):
    """The tables kept for next year's carry-over checks are the cells a person read from the file."""
    expected = expectations(ROOT / "tests" / "samples" / f"{sample.stem}.yaml")
    store = HistoryStore.open(store_url)
    store.record(run_audit([sample], RULES_DIR), RULES_DIR)
    stored = store.last_audit(expected["body"], expected["year"])
    reading = reading_from_report(Report(str(sample), tables=stored.figures.tables))
    problems = [p for name, spec in expected["tables"].items()
                for p in compare_table(name, spec, reading.tables.get(name), sample.name)]
    assert not problems, "\n".join(problems)
    store.close()


def test_the_last_audit_is_found_by_the_body_s_names(store_url, batch):
    _, run = batch
    store = HistoryStore.open(store_url)
    first, second = store.record(run, RULES_DIR), store.record(run, RULES_DIR)
    assert first < second
    found = store.last_audit("洛阳市科技局", 2020)  # the short name of the office
    assert (found.run.id, Path(found.source).name) == (second, LUOYANG.name)
    assert Path(store.last_audit("金凤区人民政府", 2020).source).name == JINFENG.name
    assert Path(store.last_audit("银川市金凤区科技局", 2020).source).name == JINFENG_KEJI.name
    assert store.last_audit("洛阳市科学技术局", 2021) is None
    assert store.last_audit("科学技术局", 2020) is None  # no place: pairing matches it with nothing
    store.close()


def test_versions_change_with_the_files_they_hash(tmp_path):
    rules = shutil.copytree(RULES_DIR, tmp_path / "rules", ignore=shutil.ignore_patterns("formats"))
    assert Versions.of(rules).rules == Versions.of(RULES_DIR).rules  # names and bytes, not the folder
    (rules / "totals.yaml").write_text((rules / "totals.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    edited = Versions.of(rules).rules
    (rules / "wording" / "extra.yaml").write_text("phrases: {}\n", encoding="utf-8")
    assert len({Versions.of(RULES_DIR).rules, edited, Versions.of(rules).rules}) == 3
    assert Versions.of(rules).formats == Versions.of(RULES_DIR).formats
    rule = RuleInfo("TOT-001", "总计等于各列之和", "totals", "error", "表三每一行的总计……", "格式第三部分", "改正总计",
                    "rules/totals.yaml:3")
    assert rule_digest(replace(rule, source="elsewhere.yaml:9")) == rule_digest(rule)
    assert rule_digest(replace(rule, title=rule.title + "。")) != rule_digest(rule)


def test_the_command_records_in_the_store_db_names(store_url, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["audit", str(LUOYANG), "--db", store_url, "-o", str(out)]) == 1
    assert "已记入审核历史" in capsys.readouterr().out
    assert main(["audit", str(LUOYANG), "--db", store_url, "-o", str(out)]) == 1
    written = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    store = HistoryStore.open(store_url)
    assert [run.reports for run in store.runs()] == [1, 1]
    stored = store.last_audit("洛阳市科学技术局", 2020)
    assert stored.run.id == store.runs()[-1].id
    assert [f.fingerprint for f in stored.findings] == [f["fingerprint"] for f in written[0]["findings"]]
    store.close()


def test_the_store_is_the_environment_s_or_the_default_whatever_the_output(tmp_path, monkeypatch):
    def runs(path: Path) -> int:
        store = HistoryStore.open(str(path))
        count = len(store.runs())
        store.close()
        return count

    named = tmp_path / "named.sqlite"
    monkeypatch.setenv(ENVIRONMENT, f"sqlite:///{named}")
    assert main(["audit", str(LINGWU), "-o", str(tmp_path / "o1")]) == 0
    assert runs(named) == 1
    monkeypatch.delenv(ENVIRONMENT)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    for out in ("o2", "o3"):
        assert main(["audit", str(LINGWU), "-o", str(tmp_path / out)]) == 0
    assert runs(tmp_path / "data" / "ogi-audit" / "history.sqlite") == 2
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert main(["audit", str(LINGWU), "-o", str(tmp_path / "o4")]) == 0
    assert main(["audit", str(LINGWU), "-o", str(tmp_path / "o5"), "--no-db"]) == 0
    assert runs(tmp_path / "home" / ".local" / "share" / "ogi-audit" / "history.sqlite") == 1


def _other_program_s(path: Path) -> None:
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("CREATE TABLE notes (text)")


def _newer(path: Path) -> None:
    HistoryStore.open(str(path)).close()
    with closing(sqlite3.connect(path)) as connection, connection:  # closed: the WAL is written back
        connection.execute("INSERT INTO schema_version VALUES (?, '将来的版本', '2099-01-01')", (LATEST + 1,))


STORES_REFUSED = {
    # name: (--db as given, how the file is made first, what the message says)
    "not-a-url": ("://history", None, "无法识别"),
    "another-database": ("mysql://office@db/history", None, "只能是 SQLite"),
    "a-folder": ("{tmp}", None, "是一个文件夹"),
    "no-such-folder": ("{tmp}/nowhere/history.sqlite", None, "文件夹 {tmp}/nowhere 不存在"),
    "not-a-database": ("{tmp}/notes.txt", lambda p: p.write_text("会议纪要\n", encoding="utf-8"),
                       "不是 ogi-audit 的审核历史库（不是 SQLite 数据库）"),
    "another-program-s": ("{tmp}/other.sqlite", _other_program_s, "已有其他数据表（notes），不是 ogi-audit 的审核历史库"),
    "newer-than-this-program": ("{tmp}/newer.sqlite", _newer, f"结构版本为 {LATEST + 1}，比本程序支持的版本 {LATEST} 新"),
    "no-server": ("postgresql://office@/history?host={tmp}", None, "无法连接数据库服务器"),
}


@pytest.mark.parametrize("case", list(STORES_REFUSED))
def test_a_store_that_cannot_be_used_stops_the_run_with_a_reason(case, tmp_path, capsys):
    given, make, says = (text.format(tmp=tmp_path) if isinstance(text, str) else text
                         for text in STORES_REFUSED[case])
    target = Path(given)
    if make is not None:
        make(target)
    before = target.read_bytes() if target.is_file() else None
    out = tmp_path / "out"
    assert main(["audit", str(LINGWU), "--db", given, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert says in err and err.rstrip().endswith("未进行审核。") and "Traceback" not in err
    assert not out.exists()
    assert (target.read_bytes() if target.is_file() else None) == before


def test_a_database_missing_on_the_server_is_said(postgres_server, tmp_path, capsys):  # noqa: F811
    assert main(["audit", str(LINGWU), "--db", postgres_server.url("no_such_db"), "-o", str(tmp_path)]) == 2
    assert "数据库服务器上没有这个数据库" in capsys.readouterr().err


def test_a_store_that_cannot_be_written_stops_before_the_outputs(tmp_path, capsys):
    path = tmp_path / "history.sqlite"
    HistoryStore.open(str(path)).close()
    out = tmp_path / "out"
    assert main(["audit", str(LINGWU), "--db", f"sqlite:///file:{path}?mode=ro&uri=true", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "无法写入审核历史库" in err and "没有写入权限" in err and "审核结果未记入审核历史，也未写出" in err
    assert not out.exists()


def _schema(url: str) -> dict:
    """Tables → columns (name, type, nullable), primary key, foreign keys and indexes, as the database
    reports them."""
    engine = create_engine(url)
    with engine.connect() as connection:
        found = inspect(connection)
        schema = {name: ([(c["name"], type(c["type"]).__name__, c["nullable"]) for c in found.get_columns(name)],
                         found.get_pk_constraint(name)["constrained_columns"],
                         sorted((f["constrained_columns"], f["referred_table"]) for f in found.get_foreign_keys(name)),
                         sorted((i["name"], i["column_names"]) for i in found.get_indexes(name)))
                  for name in found.get_table_names() if name != "schema_version"}
    engine.dispose()
    return schema


@pytest.mark.parametrize("version", list(EARLIER_SCHEMAS))
def test_a_store_of_an_earlier_release_is_upgraded_without_loss(tmp_path, version):
    """The committed stores written by earlier schemas (tests/samples/history/README.md) open under this
    version: every row they held is still there with every value it had (a column added since is new
    to each row), their findings read back with the fingerprints stored then, they take new runs, and
    their schema is the one a new store gets."""
    path = shutil.copy(EARLIER_SCHEMAS[version], tmp_path / "old.sqlite")
    with sqlite3.connect(path) as old:
        assert old.execute("SELECT max(version) FROM schema_version").fetchone() == (version,)
        tables = [name for (name,) in old.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        columns = {name: ", ".join(row[1] for row in old.execute(f"PRAGMA table_info({name})")) for name in tables}
        before = {name: old.execute(f"SELECT {columns[name]} FROM {name} ORDER BY 1, 2").fetchall() for name in tables}
        run, number = old.execute("SELECT run, number FROM reports WHERE body = '洛阳市科学技术局'").fetchone()
        fingerprints = [f for (f,) in old.execute("SELECT fingerprint FROM findings WHERE run = ? AND number = ? "
                                                  "ORDER BY position", (run, number))]
    assert fingerprints
    store = HistoryStore.open(str(path))
    with sqlite3.connect(path) as upgraded:
        assert upgraded.execute("SELECT max(version) FROM schema_version").fetchone() == (LATEST,)
        for name, held in before.items():
            assert upgraded.execute(f"SELECT {columns[name]} FROM {name} ORDER BY 1, 2").fetchall()[:len(held)] == held, name
    assert [f.fingerprint for f in store.last_audit("洛阳市科学技术局", 2020).findings] == fingerprints
    store.record(run_audit([LINGWU], RULES_DIR), RULES_DIR)
    assert len(store.runs()) == 2
    store.close()
    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    HistoryStore.open(fresh).close()
    assert _schema(f"sqlite:///{path}") == _schema(fresh)


def test_an_audit_recorded_before_the_places_of_its_lines_were_kept_is_read_again(tmp_path, capsys):
    """The store of schema 4 recorded its audits without where their findings' lines are in the file:
    the PDF is read and audited again, not given those results (its findings would be placed at lines
    of the text made from it); a text file's places are its line numbers, and it is given them."""
    path = shutil.copy(EARLIER_SCHEMAS[4], tmp_path / "old.sqlite")
    pdf = REPORTS / "2023-洪泽区人民政府.pdf"
    for inputs, said in (([pdf], "沿用了当时的审核结果"), ([LUOYANG], "其中 1 份与审核历史中已审核的文件相同")):
        main(["audit", *map(str, inputs), "--db", str(path), "-o", str(tmp_path / "out"), "--outputs", "json"])
        assert (said in capsys.readouterr().out) == (inputs == [LUOYANG])
    main(["audit", str(pdf), "--db", str(path), "-o", str(tmp_path / "out"), "--outputs", "json"])
    assert "其中 1 份与审核历史中已审核的文件相同" in capsys.readouterr().out  # recorded with its places now


def test_a_store_of_every_earlier_version_is_upgraded(store_url, batch, monkeypatch, request):
    """On both backends: a store made by the steps up to each earlier version, with a run in it, is
    upgraded on open, keeps the run, and has the schema of a new store."""
    _, run = batch
    for version in range(1, LATEST):
        url = store_url if version == 1 else _another(store_url, request)
        with monkeypatch.context() as earlier:
            earlier.setattr(migrations, "STEPS", STEPS[:version])
            earlier.setattr(migrations, "LATEST", version)
            old = HistoryStore.open(url)
            old.record(run, RULES_DIR)
            old.close()
        store = HistoryStore.open(url)
        assert complete(store, run) and len(store.runs()) == 1
        store.close()
        fresh = _another(store_url, request)
        HistoryStore.open(fresh).close()
        assert _schema(url) == _schema(fresh)


def _another(url: str, request: pytest.FixtureRequest) -> str:
    """A second new store on the backend of ``url``."""
    if url.startswith("sqlite"):
        return f"sqlite:///{request.getfixturevalue('tmp_path') / f'another-{time.monotonic_ns()}.sqlite'}"
    return new_database(request.getfixturevalue("postgres_server"))


SCRIPT = """
import sys
from pathlib import Path
from engine import RULES_DIR
from engine.audit import run_audit
from engine.history.store import HistoryStore
url, times, *paths = sys.argv[1:]
store = HistoryStore.open(url)
run = run_audit([Path(p) for p in paths], RULES_DIR)
for _ in range(int(times)):
    store.record(run, RULES_DIR)
"""


def test_two_audits_writing_at_once_both_record_every_run(store_url):
    """Two processes open a new store at once (both may create its tables), audit, and record their
    run 10 times each, so that their write transactions meet."""
    run = run_audit([LUOYANG], RULES_DIR)
    command = [sys.executable, "-c", SCRIPT, store_url, "10", str(LUOYANG)]
    writers = [subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for writer in writers:
        assert writer.wait(timeout=120) == 0, writer.stderr.read()
    store = HistoryStore.open(store_url)
    assert len(store.runs()) == 20 and complete(store, run)
    store.close()
    _integrity(store_url)


HOLDER = """
import sqlite3, sys, time
holder = sqlite3.connect(sys.argv[1], isolation_level=None)
holder.execute("BEGIN IMMEDIATE")
holder.execute("DELETE FROM accounts")
print("held", flush=True)
time.sleep(float(sys.argv[2]))
holder.execute("COMMIT")
"""


def _held(path: Path, seconds: float) -> subprocess.Popen:
    """Another process writing to the store at ``path`` (kept in rollback-journal mode) for ``seconds``."""
    HistoryStore.open(str(path)).close()
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("PRAGMA journal_mode = DELETE").fetchone() == ("delete",)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_a_store_another_process_is_writing_is_opened_once_it_is_done(tmp_path, monkeypatch):
    """Taking the write-ahead log needs the file whole, and SQLite says "locked" at once rather than
    waiting: the store is asked again until the other writer is done, then opened in WAL mode; held
    longer than the wait, it is a clear error, not a traceback."""
    holder = _held(tmp_path / "h.sqlite", 1.0)
    HistoryStore.open(str(tmp_path / "h.sqlite")).close()
    assert holder.wait(timeout=30) == 0
    with closing(sqlite3.connect(tmp_path / "h.sqlite")) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    monkeypatch.setattr("engine.history.connect.BUSY_SECONDS", 0.3)
    holder = _held(tmp_path / "again.sqlite", 5.0)
    try:
        with pytest.raises(HistoryError, match="另一个审核正在写入，等待 0.3 秒后仍未结束"):
            HistoryStore.open(str(tmp_path / "again.sqlite"))
    finally:
        holder.kill()
        holder.wait()


def _integrity(url: str) -> None:
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert connection.execute("PRAGMA foreign_key_check").fetchall() == []


class _Recording:
    """Tells, from another connection, whether an audit is in its recording transaction: SQLite's
    write lock is held (a BEGIN IMMEDIATE of ours fails at once), or PostgreSQL shows a lock taken by
    an insert into ``runs``."""

    def __init__(self, url: str) -> None:
        self.sqlite = url.startswith("sqlite")
        if self.sqlite:
            self.connection = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=0, isolation_level=None)
        else:
            plain = url.replace("postgresql+psycopg://", "postgresql://")
            self.connection = psycopg.connect(plain, autocommit=True)

    def __call__(self) -> bool:
        if self.sqlite:
            try:
                self.connection.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError:
                return True
            self.connection.execute("ROLLBACK")
            return False
        return self.connection.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "WHERE c.relname = 'runs' AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid()").fetchone()[0] > 0

    def close(self) -> None:
        self.connection.close()


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory):
    """Three copies of each text sample (so that recording takes long enough to be caught at it)."""
    folder = tmp_path_factory.mktemp("many")
    for copy in range(3):
        for sample in sorted(REPORTS.glob("*.txt")):
            shutil.copy(sample, folder / f"{copy}-{sample.name}")
    return folder, run_audit([folder], RULES_DIR)


def test_an_audit_killed_while_it_records_leaves_the_store_consistent(store_url, many, tmp_path):
    folder, run = many
    store = HistoryStore.open(store_url)
    first = store.record(run, RULES_DIR)
    store.close()
    recording = _Recording(store_url)
    command = [sys.executable, "-m", "engine.cli", "audit", str(folder), "--db", store_url]
    killed = 0
    for attempt in range(4):
        audit = subprocess.Popen([*command, "-o", str(tmp_path / f"out{attempt}")], cwd=ROOT,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while audit.poll() is None:
            if recording():
                os.kill(audit.pid, signal.SIGKILL)
                audit.wait()
                killed += 1
                break
            time.sleep(0.0005)
        if killed:
            break
    recording.close()
    assert killed, "the audit was never seen recording"
    _integrity(store_url)
    store = HistoryStore.open(store_url)
    assert complete(store, run) and len(store.runs()) == attempt + 1  # the killed run left nothing
    luoyang = store.last_audit("洛阳市科学技术局", 2020)
    assert luoyang.run.id == store.runs()[-1].id and len(luoyang.findings) == len(
        next(a for a in run.audits if a.report.body == "洛阳市科学技术局").findings)
    after = store.record(run, RULES_DIR)
    assert after > first and complete(store, run) and store.last_audit("洛阳市科学技术局", 2020).run.id == after
    store.close()

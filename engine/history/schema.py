"""The store's schema, as the ordered steps that made it: the only definition of its tables.

A step is never edited once released: a store written by that version must be upgraded by the steps
after it (:mod:`engine.history.migrations`), so a change to the schema is a new step at the end. The
store reads its tables back from the database (:mod:`engine.history.store`), so no second definition
can drift from what the steps made.

Version 1, what an audit run records (one transaction per run):

- ``runs``: when (UTC), by whom (the system user), the tool's version, the rule set's version (a hash
  over the rule files and their vocabulary) and the format files' version;
- ``run_rules``: each rule the run used, with a digest of its text, so that a later decision on a
  finding can tell whether the rule it was made under has changed;
- ``inputs``: every input of the run in order (``number``), with its name, size and sha256, and for one
  not audited why (``unreadable``; ``excluded`` for a lock file or a second path to one file);
- ``reports``: each input audited: body, year, format, kind of file, the prior-year report it was paired
  with, the other inputs that are the same report, the rules run, and its tables' figures (JSON, what
  the prior-year rules read, for a later audit that does not have this report among its inputs);
- ``report_names``: the names the body may be found by (:func:`engine.pairing.body_names`), so that
  a body is found in history as pairing finds it in a batch;
- ``findings``: every finding with its fingerprint and fields; ``skipped``: every check not run, why.

Version 2 makes room for what the office decides over time (filled by later work): ``reviews``, one
row per decision on a fingerprint (dismissed, confirmed, or undone), with who, when, why, the rule and
its digest then (so that a decision can say the rule has changed since), and the body and year the
fingerprint stands for; ``notice_numbers``, each notice number given, keyed by prefix, year and number
so that numbers continue and are never given twice.

Version 3 is for incremental runs (:mod:`engine.history.reuse`): an index on ``inputs.sha256``, to
find the audits of the same bytes, and ``reports.prior_digest``, the digest of the prior-year report
the audit ran with (NULL when none), so that an audit is given again only when its prior is unchanged
too. Reports recorded before have no digest: those audited with a prior are never given again.

Version 4 is for the web app (engine.web): ``accounts``, who may log in to the office's pages, with a
role (``auditor`` or ``admin``) and an argon2 hash of the password (never the password); ``batches``,
each batch uploaded in the browser, its state and progress while it is audited in the background and
the run it was recorded as; ``notices_sent``, each notice the office marked as sent, by whom and
when; ``rule_changes``, each rule file saved from the rule editor, by whom, when, and the text before
and after, so that every change to what the office checks can be traced and undone by hand.

Version 5 keeps ``reports.places``: where each line a finding names is in the submitted file (JSON,
line → 第3页第12行 or 表格2第4行, as its reader said), so that an audit given again from the store
(:mod:`engine.history.reuse`) places its findings in the agency's file as when it was read, not at a
line of the text the office made from it. Reports recorded before have none, and are given again only
when read from a text file, whose places are its line numbers.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import (BigInteger, Boolean, Column, Connection, DateTime, ForeignKey, ForeignKeyConstraint, Index,
                        Integer, MetaData, String, Table, Text, text)

#: A sha256 in hex; a fingerprint is its first 16 characters (:attr:`engine.model.Finding.fingerprint`).
DIGEST, FINGERPRINT = 64, 16


@dataclass(frozen=True)
class Step:
    version: int
    summary: str
    apply: Callable[[Connection], None]


def _report_key(name: str) -> ForeignKeyConstraint:
    return ForeignKeyConstraint(["run", "number"], ["reports.run", "reports.number"], name=name, ondelete="CASCADE")


def _run() -> Column:
    return Column("run", Integer, ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True)


def _version_1(connection: Connection) -> None:
    meta = MetaData()
    Table("runs", meta,
          Column("id", Integer, primary_key=True, autoincrement=True),
          Column("at", DateTime(timezone=True), nullable=False),
          Column("by", String(200)),
          Column("tool_version", String(100), nullable=False),
          Column("rules_version", String(DIGEST), nullable=False),
          Column("formats_version", String(DIGEST), nullable=False))
    Table("run_rules", meta, _run(),
          Column("rule", String(100), primary_key=True),
          Column("title", Text, nullable=False),
          Column("severity", String(20), nullable=False),
          Column("digest", String(DIGEST), nullable=False))
    Table("inputs", meta, _run(),
          Column("number", Integer, primary_key=True),
          Column("source", Text, nullable=False),
          Column("name", Text, nullable=False),
          Column("size", BigInteger),
          Column("sha256", String(DIGEST)),
          Column("unreadable", Text),
          Column("excluded", Boolean, nullable=False))
    Table("reports", meta, _run(),
          Column("number", Integer, primary_key=True),
          Column("body", Text),
          Column("year", Integer),
          Column("format", String(20)),
          Column("kind", String(20), nullable=False),
          Column("prior", Text),
          Column("duplicate_of", Text, nullable=False),
          Column("rules_run", Text, nullable=False),
          Column("figures", Text, nullable=False),
          ForeignKeyConstraint(["run", "number"], ["inputs.run", "inputs.number"], name="reports_input",
                               ondelete="CASCADE"),
          Index("reports_by_year", "year"))
    Table("report_names", meta, _run(),
          Column("number", Integer, primary_key=True),
          Column("name", Text, primary_key=True),
          _report_key("report_names_report"),
          Index("report_names_by_name", "name"))
    Table("findings", meta, _run(),
          Column("number", Integer, primary_key=True),
          Column("position", Integer, primary_key=True),
          Column("fingerprint", String(FINGERPRINT), nullable=False),
          Column("rule", String(100), nullable=False),
          Column("category", String(50), nullable=False),
          Column("severity", String(20), nullable=False),
          Column("message", Text, nullable=False),
          Column("section", Text),
          Column("table_key", Text),
          Column("row_label", Text),
          Column("column_label", Text),
          Column("line", Integer),
          Column("quote", Text),
          Column("expected", Text),
          Column("actual", Text),
          Column("basis", Text, nullable=False),
          Column("remedy", Text, nullable=False),
          Column("subject", Text),
          _report_key("findings_report"),
          Index("findings_by_fingerprint", "fingerprint"))
    Table("skipped", meta, _run(),
          Column("number", Integer, primary_key=True),
          Column("position", Integer, primary_key=True),
          Column("rule", String(100), nullable=False),
          Column("reason", Text, nullable=False),
          _report_key("skipped_report"))
    meta.create_all(connection)


def _version_2(connection: Connection) -> None:
    meta = MetaData()
    Table("runs", meta, Column("id", Integer, primary_key=True))  # only for the foreign keys below
    Table("reviews", meta,
          Column("id", Integer, primary_key=True, autoincrement=True),
          Column("fingerprint", String(FINGERPRINT), nullable=False),
          Column("decision", String(20), nullable=False),
          Column("reason", Text),
          Column("by", String(200)),
          Column("at", DateTime(timezone=True), nullable=False),
          Column("rule", String(100)),
          Column("rule_digest", String(DIGEST)),
          Column("body", Text),
          Column("year", Integer),
          Column("run", Integer, ForeignKey("runs.id", ondelete="SET NULL")),
          Index("reviews_by_fingerprint", "fingerprint"))
    Table("notice_numbers", meta,
          Column("prefix", Text, primary_key=True),
          Column("year", Integer, primary_key=True),
          Column("number", Integer, primary_key=True),
          Column("run", Integer, ForeignKey("runs.id", ondelete="SET NULL")),
          Column("input", Integer),
          Column("body", Text),
          Column("at", DateTime(timezone=True), nullable=False))
    meta.tables["reviews"].create(connection)
    meta.tables["notice_numbers"].create(connection)


def _version_3(connection: Connection) -> None:
    meta = MetaData()
    inputs = Table("inputs", meta, Column("sha256", String(DIGEST)))  # only for the index below
    Index("inputs_by_sha256", inputs.c.sha256).create(connection)
    digest = String(DIGEST).compile(dialect=connection.dialect)
    connection.execute(text(f"ALTER TABLE reports ADD COLUMN prior_digest {digest}"))


def _version_4(connection: Connection) -> None:
    meta = MetaData()
    Table("runs", meta, Column("id", Integer, primary_key=True))  # only for the foreign keys below
    Table("accounts", meta,
          Column("name", String(200), primary_key=True),
          Column("role", String(20), nullable=False),
          Column("password_hash", Text, nullable=False),
          Column("created_at", DateTime(timezone=True), nullable=False),
          Column("disabled", Boolean, nullable=False))
    Table("batches", meta,
          Column("id", Integer, primary_key=True, autoincrement=True),
          Column("created_at", DateTime(timezone=True), nullable=False),
          Column("created_by", String(200), nullable=False),
          Column("title", Text, nullable=False),
          Column("state", String(20), nullable=False),
          Column("total", Integer, nullable=False),
          Column("done", Integer, nullable=False),
          Column("message", Text),
          Column("finished_at", DateTime(timezone=True)),
          Column("run", Integer, ForeignKey("runs.id", ondelete="SET NULL")))
    Table("notices_sent", meta,
          Column("id", Integer, primary_key=True, autoincrement=True),
          Column("batch", Integer, ForeignKey("batches.id", ondelete="CASCADE"), nullable=False),
          Column("notice", Text, nullable=False),
          Column("body", Text),
          Column("year", Integer),
          Column("sent_by", String(200), nullable=False),
          Column("sent_at", DateTime(timezone=True), nullable=False),
          Index("notices_sent_by_batch", "batch"))
    Table("rule_changes", meta,
          Column("id", Integer, primary_key=True, autoincrement=True),
          Column("at", DateTime(timezone=True), nullable=False),
          Column("by", String(200), nullable=False),
          Column("file", Text, nullable=False),
          Column("before", Text, nullable=False),
          Column("after", Text, nullable=False),
          Column("summary", Text))
    for name in ("accounts", "batches", "notices_sent", "rule_changes"):
        meta.tables[name].create(connection)


def _version_5(connection: Connection) -> None:
    connection.execute(text("ALTER TABLE reports ADD COLUMN places TEXT"))


#: Every step, oldest first; a store is at the version of the last step applied to it.
STEPS = (
    Step(1, "审核记录：runs、run_rules、inputs、reports、report_names、findings、skipped", _version_1),
    Step(2, "人工审核结论和通知书编号：reviews、notice_numbers", _version_2),
    Step(3, "增量审核：inputs.sha256 索引、reports.prior_digest（所用上年报告的摘要）", _version_3),
    Step(4, "网页版：accounts（账号）、batches（网页上传的批次）、notices_sent（通知书已发送）、rule_changes（规则修改记录）",
         _version_4),
    Step(5, "增量审核：reports.places（发现所在各行在原文件中的位置）", _version_5),
)
LATEST = STEPS[-1].version

"""A run written into the store as its audits come: :class:`Recorder`, inside the one write transaction
of :meth:`engine.history.store.HistoryStore.recording`.

The batch hands each chunk of its audits to the recorder in the pass that finishes them (statuses
from the store, duplicates: engine.audit), instead of loading the whole run from the spool once more to
record it (an unchanged rerun of 2,000 generated reports writing JSON: about 7 % of its CPU). The
follow-up reads the store in read transactions of its own, which do not see the rows
of a run before it is committed, so each audit is still compared with the store as it was before this
run, as when the run was recorded after the follow-up.
"""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, bindparam, func, insert, literal, select

from ..model import AuditRun, ReportAudit
from .errors import HistoryError
from .reading import Tables
from .reuse import record_batch_prior_digests, stored_prior_digests
from .rows import COPIED_TABLES, Inputs, audit_rows, copied_rows, rule_rows, run_row, unreadable_rows
from .versions import Versions


class Recorder:
    """Writes one run: its own row and rules when made, each chunk of its audits with :meth:`add`
    (positions counted from the first audit of the run, chunks in run order), and at :meth:`finish` the
    inputs not audited and the digests of the priors that are reports of the run itself (known once
    those are written). ``store`` names the store in an error."""

    def __init__(self, connection: Connection, tables: Tables, store: str, run: AuditRun, versions: Versions,
                 inputs: Inputs | None) -> None:
        self.connection, self.tables, self.store, self.run, self.inputs = connection, tables, store, run, inputs
        self.run_id: int = connection.execute(insert(tables["runs"]).values(run_row(versions))).inserted_primary_key[0]
        self._insert("run_rules", rule_rows(run.rules))
        self._in_batch: list[int] = []  # the audits whose prior is a report of this run

    def add(self, start: int, audits: Sequence[ReportAudit]) -> None:
        """The audits of the run from position ``start`` on, as they stand now."""
        digests = stored_prior_digests(self.connection, self.tables, audits)
        self._in_batch += [number for number, audit in enumerate(audits, start)
                           if audit.prior is not None and audit.prior_record is None]
        for name, rows in audit_rows(audits, start, digests, self.inputs).items():
            self._insert(name, rows)
        self._copy(*copied_rows(audits, start))

    def finish(self) -> None:
        self._insert("inputs", unreadable_rows(self.run, self.inputs))
        record_batch_prior_digests(self.connection, self.tables, self.run_id, self._in_batch)

    def _insert(self, table: str, rows: list[dict]) -> None:
        for row in rows:
            row["run"] = self.run_id
        if rows:
            self.connection.execute(insert(self.tables[table]), rows)

    def _copy(self, copies: list[dict], counts: dict[str, int]) -> None:
        """The rows of :data:`~engine.history.rows.COPIED_TABLES` of each audit of ``copies``, copied
        from the audit it was given from into this run, inside the database: building them again from
        the findings read back was most of recording an unchanged rerun. Checked against ``counts``, the
        rows the audits hold: an audit given from a run removed from the store since it was read would
        be recorded with no findings, which is not what was found."""
        if not copies:
            return
        numbers = [copy["number"] for copy in copies]
        for name in COPIED_TABLES:
            table = self.tables[name]
            kept = [column for column in table.c if column.name not in ("run", "number")]
            rows = (select(literal(self.run_id), bindparam("number"), *kept)
                    .where(table.c.run == bindparam("from_run"), table.c.number == bindparam("from_number")))
            self.connection.execute(insert(table).from_select(["run", "number", *(c.name for c in kept)], rows),
                                    copies)
            made = self.connection.execute(select(func.count()).select_from(table).where(
                table.c.run == self.run_id, table.c.number.in_(numbers))).scalar()
            if made != counts[name]:
                raise HistoryError(f"无法写入审核历史库 {self.store}：沿用的审核记录在本次审核期间被删除或"
                                   "改动；请加 --no-reuse 重新审核")

"""The history store: every audit run recorded (when, under which versions of the tool, rules and
formats, each input's sha256, every finding with its fingerprint, every check not run), on SQLite by
default and on PostgreSQL for an office whose auditors share one history.

An office does not audit once: agencies resubmit, next year's carry-over needs last year's figures, and
an auditor's decision on a finding must outlast the run. Those are built on what this package records
and reads back. ``location`` says which store, ``connect`` opens it safely for concurrent writers,
``schema`` and ``migrations`` define and upgrade it, ``rows`` and ``figures`` turn a run into rows,
``store`` records (:class:`engine.history.store.HistoryStore`) and ``reading`` reads back, for a whole
batch at once; ``prior`` gives last year's figures, ``reuse`` the audits an incremental run gives
again, ``compared`` which recorded audit a report is compared with (a resubmission is another file),
``statuses`` and ``reviews`` what it is compared by.

This module itself imports no database library (SQLAlchemy takes a third of a second to import), so
that the command line can name the default store in its help without slowing every command.
"""
from __future__ import annotations

import os
from pathlib import Path

#: The environment variable naming the store when ``--db`` is not given.
ENVIRONMENT = "OGI_AUDIT_DB"


def default_path() -> Path:
    """Where the store is when neither ``--db`` nor :data:`ENVIRONMENT` names one: the XDG data folder
    (``$XDG_DATA_HOME``, else ``~/.local/share``), which does not depend on ``-o``."""
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "ogi-audit" / "history.sqlite"

"""Shared test set-up: ``tests.generator`` (the report generator) is importable however pytest is
started, ``pytest`` or ``python -m pytest``, from the checkout; each test's audits record into a
history store of its own."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = str(Path(__file__).resolve().parent.parent)
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)


@pytest.fixture(autouse=True)
def _history_store(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every audit a test runs records into a store of its own (engine.history), never into the user's
    default store, nor into another test's, whose runs would change what this one finds there."""
    store = tmp_path_factory.mktemp("history") / "history.sqlite"
    monkeypatch.setenv("OGI_AUDIT_DB", f"sqlite:///{store}")

"""Shared test set-up: ``tests.generator`` (the report generator) is importable however pytest is
started, ``pytest`` or ``python -m pytest``, from the checkout; each test's audits record into a
history store of its own, and audits in the test's own process."""
from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = str(Path(__file__).resolve().parent.parent)
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)


def _own_store(factory: pytest.TempPathFactory, patch: pytest.MonkeyPatch) -> None:
    patch.setenv("OGI_AUDIT_DB", f"sqlite:///{factory.mktemp('history') / 'history.sqlite'}")
    # The audit command's default is a worker process per core, each starting Python and compiling the
    # rules (about a second): tests audit in their own process unless they ask for workers with --jobs
    # or --dask (tests/test_batch_*.py), as the office would never notice but a test suite does.
    patch.setenv("OGI_AUDIT_JOBS", "0")


@pytest.fixture(autouse=True, scope="module")
def _history_store_of_the_module(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Every audit a test module's own fixtures run records into a store of the module's (engine.history),
    never into the user's default store: a module-scoped fixture is set up before any test's own."""
    with pytest.MonkeyPatch.context() as patch:
        _own_store(tmp_path_factory, patch)
        yield


@pytest.fixture(autouse=True)
def _history_store(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every audit a test runs records into a store of its own, not into another test's, whose runs
    would change what this one finds there."""
    _own_store(tmp_path_factory, monkeypatch)

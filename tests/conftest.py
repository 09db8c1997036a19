"""Shared test set-up: ``tests.generator`` (the report generator) is importable however pytest is
started, ``pytest`` or ``python -m pytest``, from the checkout."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parent.parent)
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

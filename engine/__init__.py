"""ogi-audit: audits Chinese government information disclosure annual reports (政府信息公开工作年度报告).

The pipeline, one package each: ``parse`` (report file → :class:`engine.model.Report`), ``facts``
(Report → facts for the rules), ``rules`` (YAML rules → durable-rules → findings), ``render`` (findings
→ HTML, notices, CSV), and ``cli`` tying them together.
"""
from __future__ import annotations

from pathlib import Path

__version__ = "0.1.0"

#: The project's own data: rule packs and the official format dictionaries. The package is installed
#: in editable mode by the Makefile, so this is the checkout's ``rules/``; ``--rules`` overrides it.
RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
FORMATS_DIR = RULES_DIR / "formats"

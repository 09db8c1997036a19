"""Start-up of ``ogi-audit`` (issue 10 point 7): a command imports what it uses, nothing more.

The time itself is measured by ``benchmarks/startup.py`` (timings belong to the machine); these tests
hold what makes it short: which modules a command loads, and that the faster YAML reading gives what
PyYAML's own gave.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from engine import yamlsource
from engine.cli import COMMANDS

ROOT = Path(__file__).resolve().parent.parent
#: Libraries of other commands and other input kinds: reading a text report loads none of them.
HEAVY = ("durable", "pandas", "numpy", "sqlalchemy", "jinja2", "docx", "pdfplumber", "pdfminer", "pypdfium2",
         "lxml", "openpyxl", "engine.rules", "engine.render", "engine.audit", "engine.history")


def loaded_by(argv: list[str]) -> tuple[list[str], str]:
    """The HEAVY modules (and their submodules) loaded by ``ogi-audit ARGV`` in a fresh interpreter, and
    what it printed."""
    script = ("import contextlib, io, json, sys\n"
              "from engine.cli import main\n"
              "out = io.StringIO()\n"
              "with contextlib.redirect_stdout(out):\n"
              "    try:\n"
              f"        main({argv!r})\n"
              "    except SystemExit:\n"
              "        pass\n"
              f"heavy = {HEAVY!r}\n"
              "print(json.dumps([sorted({m for m in sys.modules for h in heavy if m == h or m.startswith(h + '.')}),"
              " out.getvalue()]))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, encoding="utf-8", check=True)
    loaded, printed = json.loads(done.stdout)
    return loaded, printed


def test_parse_of_a_text_report_loads_no_library_of_other_commands_or_kinds() -> None:
    loaded, printed = loaded_by(["parse", "reports/2020-周村区科技局.txt"])
    assert loaded == []
    assert "发布机关：周村区科技局" in printed


def test_parse_of_a_pdf_loads_the_pdf_libraries_only() -> None:
    loaded, printed = loaded_by(["parse", "reports/2023-洪泽区人民政府.pdf"])
    assert {m.split(".")[0] for m in loaded} == {"pdfplumber", "pdfminer", "pypdfium2"}
    assert "格式：2021年格式" in printed


def test_the_command_list_names_every_command_without_importing_them() -> None:
    loaded, printed = loaded_by(["--help"])
    assert loaded == []
    for name, (_module, help_text) in COMMANDS.items():
        assert f"    {name}" in printed and help_text in printed


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_command_still_has_its_help(name: str) -> None:
    done = subprocess.run([sys.executable, "-m", "engine.cli", name, "--help"], cwd=ROOT, capture_output=True,
                          encoding="utf-8")
    assert done.returncode == 0
    assert done.stdout.startswith(f"usage: ogi-audit {name} ")
    assert COMMANDS[name][1] in done.stdout


def test_an_unknown_command_is_bad_usage() -> None:
    done = subprocess.run([sys.executable, "-m", "engine.cli", "prase", "x.txt"], cwd=ROOT, capture_output=True,
                          encoding="utf-8")
    assert done.returncode == 2
    assert "invalid choice: 'prase'" in done.stderr


def _same(fast: object, own: object, where: str) -> None:
    assert type(fast) is type(own), where
    if isinstance(fast, yamlsource.Node):
        assert (fast.position, fast.key_positions, fast.value_positions) == \
               (own.position, own.key_positions, own.value_positions), where
    if isinstance(fast, dict):
        assert list(fast) == list(own), where
        for name in fast:
            _same(fast[name], own[name], f"{where}/{name}")
    elif isinstance(fast, list):
        assert len(fast) == len(own), where
        for n, (a, b) in enumerate(zip(fast, own)):
            _same(a, b, f"{where}/{n}")
    else:
        assert fast == own, where


@pytest.mark.skipif(yamlsource._C_EVENTS is None, reason="PyYAML without libyaml reads with its own parser only")
@pytest.mark.parametrize("path", sorted((ROOT / "rules").rglob("*.yaml")), ids=lambda p: p.name)
def test_yaml_read_through_libyaml_is_what_pyyaml_reads_positions_included(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    fast = yaml.load(text, Loader=yamlsource._loader(path.name, yamlsource._C_EVENTS))  # noqa: S506
    own = yaml.load(text, Loader=yamlsource._loader(path.name, yaml.SafeLoader))  # noqa: S506
    _same(fast, own, path.name)

"""Notice numbers that continue from the store (issue 9 point 5), on SQLite and a real PostgreSQL:
each run's notices count on from the last number of the series and year, never one given twice (two
audits numbering at once too); the same file audited again keeps its notice's number, a resubmission
gets a new one; ``first_seq`` above the store's numbers starts there; a run that writes no notice uses
no number; without a store each batch counts from ``first_seq`` as before.

The numbers are read off the notices written, HTML and Word, and compared with the settings' format
filled by hand.
"""
from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

from docx import Document

from engine.cli import main
from tests.generator import render
from tests.generator.catalogue import clean
from tests.generator.defects import bump_cell
from tests.generator.spec import random_spec
from tests.postgres import postgres_server, postgres_url  # noqa: F401 - fixtures
from tests.test_history_store import store_url  # noqa: F401 - fixture

ROOT = Path(__file__).resolve().parent.parent
SHORT = "测政公开"
NUMBER = re.compile(r'<p class="number">(.*?)</p>\s*<p class="addressee">(.*?)：</p>')


def number(seq: int) -> str:
    """The settings' format ("{short}整改〔{year}〕{seq}号") filled by hand: the notice's year is today's."""
    return f"{SHORT}整改〔{date.today().year}〕{seq}号"


def _settings(folder: Path, first_seq: int = 1) -> Path:
    path = folder / f"settings-{first_seq}.yaml"
    path.write_text(f"office:\n  short: {SHORT}\nnotice:\n  first_seq: {first_seq}\n", encoding="utf-8")
    return path


def _defective(seed: int, by: int = 1):
    """A report that needs a notice: table 三's 结转下年度 of 自然人 off by ``by`` (its balance fails)."""
    return bump_cell(clean(random_spec(seed, "2021", blank_rate=0.0)), "三", "结转下年度", "自然人", by)


def _folder(path: Path, specs) -> Path:
    path.mkdir()
    for spec in specs:
        (path / f"{spec.seed}.txt").write_text(render(spec, "tab").text, encoding="utf-8")
    return path


def _numbers(out: Path) -> dict[str, str]:
    """Each notice's addressee → its number, from the HTML; the Word notice must say the same."""
    found = {}
    for page in sorted((out / "notices").glob("*.html")):
        [(text, addressee)] = NUMBER.findall(page.read_text(encoding="utf-8"))
        paragraphs = [p.text for p in Document(str(page.with_suffix(".docx"))).paragraphs]
        assert text in paragraphs, page
        found[addressee] = text
    return found


def _audit(folder: Path, out: Path, store: list[str], settings: Path) -> dict[str, str]:
    main(["audit", str(folder), *store, "-o", str(out), "--settings", str(settings), "--outputs", "notices"])
    return _numbers(out)


def _bodies(specs) -> list[str]:
    return [spec.body for spec in specs]


def test_numbers_continue_across_runs_and_a_rerun_keeps_them(store_url, tmp_path):  # noqa: F811
    settings = _settings(tmp_path)
    first = [_defective(1), _defective(2)]
    a, b = _bodies(first)
    assert len({a, b}) == 2
    one = _audit(_folder(tmp_path / "one", first), tmp_path / "out1", ["--db", store_url], settings)
    assert one == {a: number(1), b: number(2)}
    # B resubmits (another file, still wrong), C is new, A's file is the same as before.
    second = [_defective(1), _defective(2, by=2), _defective(3)]
    c = second[2].body
    two = _audit(_folder(tmp_path / "two", second), tmp_path / "out2", ["--db", store_url], settings)
    assert two == {a: number(1), b: number(3), c: number(4)}
    again = _audit(tmp_path / "two", tmp_path / "out3", ["--db", store_url], settings)
    assert again == two


def test_first_seq_above_the_store_starts_there(store_url, tmp_path):  # noqa: F811
    folder = _folder(tmp_path / "in", [_defective(1)])
    assert _audit(folder, tmp_path / "o1", ["--db", store_url], _settings(tmp_path)) == {_defective(1).body: number(1)}
    other = _folder(tmp_path / "in2", [_defective(2)])
    assert _audit(other, tmp_path / "o2", ["--db", store_url], _settings(tmp_path, 20)) \
        == {_defective(2).body: number(20)}


def test_a_run_writing_no_notice_uses_no_number(store_url, tmp_path):  # noqa: F811
    settings = _settings(tmp_path)
    main(["audit", str(_folder(tmp_path / "in", [_defective(1)])), "--db", store_url, "-o", str(tmp_path / "o1"),
          "--settings", str(settings), "--outputs", "json,html"])
    assert not (tmp_path / "o1" / "notices").exists()
    other = _folder(tmp_path / "in2", [_defective(2)])
    assert _audit(other, tmp_path / "o2", ["--db", store_url], settings) == {_defective(2).body: number(1)}


def test_without_a_store_each_batch_counts_from_first_seq(tmp_path):
    specs = [_defective(1), _defective(2)]
    folder = _folder(tmp_path / "in", specs)
    for out in ("o1", "o2"):
        found = _audit(folder, tmp_path / out, ["--no-db"], _settings(tmp_path, 5))
        assert sorted(found.values()) == [number(5), number(6)]


def test_two_audits_numbering_at_once_never_share_a_number(store_url, tmp_path):  # noqa: F811
    """Two processes, each a batch of three bodies, into one store at once: six notices, six numbers."""
    runs = 2
    settings = _settings(tmp_path)
    folders = [_folder(tmp_path / f"in{k}", [_defective(10 * k + i) for i in range(3)]) for k in range(runs)]
    code = "import sys; from engine.cli import main; sys.exit(main(sys.argv[1:]))"
    processes = [subprocess.Popen([sys.executable, "-c", code, "audit", str(folder), "--db", store_url,
                                   "-o", str(tmp_path / f"out{k}"), "--settings", str(settings), "--outputs", "notices"],
                                  cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                 for k, folder in enumerate(folders)]
    for process in processes:
        _, err = process.communicate(timeout=300)
        assert process.returncode in (0, 1), err.decode()
    given = [n for k in range(runs) for n in _numbers(tmp_path / f"out{k}").values()]
    assert sorted(given) == sorted(number(seq) for seq in range(1, 3 * runs + 1))

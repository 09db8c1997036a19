"""No per-page set-up (issue 10, point 3): a batch renders thousands of pages and notices, so what is
the same for all of them (templates, inlined files, the Word layout) is made once per process. Counted,
not timed: the machine running the tests is shared."""
from __future__ import annotations

from pathlib import Path

import engine.render.word as word
from engine.render import write_outputs
from engine.render.html import environment
from render_sample_run import sample_run


def test_pages_after_the_first_read_no_template_and_no_static_file(tmp_path: Path, monkeypatch):
    write_outputs(sample_run(), tmp_path / "first")
    reads = []
    loader = environment().loader
    original = loader.get_source
    monkeypatch.setattr(loader, "get_source", lambda env, name: reads.append(name) or original(env, name))
    monkeypatch.setattr("engine.render.html.files", lambda package: reads.append(package))
    write_outputs(sample_run(), tmp_path / "second")
    assert reads == []


def test_the_word_layout_is_made_once_per_kind_of_notice(tmp_path: Path, monkeypatch):
    opened = []
    original = word.Document
    monkeypatch.setattr(word, "Document", lambda: opened.append(1) or original())
    word._layout.cache_clear()
    for n in range(3):
        write_outputs(sample_run(), tmp_path / f"run{n}")  # a draft notice each time (the default settings)
    assert len(opened) == 1
    assert len(list(tmp_path.glob("run*/notices/*.docx"))) == 3

# make audit: set up .venv and audit reports/ into audits/.   make test: set up and run the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: audit test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# ogi-audit exits 1 when it finds errors in the reports: that is the audit's result, not a failure of make.
audit: $(STAMP)
	$(BIN)/ogi-audit audit reports -o audits || [ $$? -eq 1 ]

test: $(STAMP)
	$(BIN)/python -m pytest

# A benchmark exits 1 when it misses its target; the others still run (make says "ignored").
bench: $(STAMP)
	-$(BIN)/python benchmarks/parse_speed.py
	-$(BIN)/python benchmarks/rule_speed.py
	-$(BIN)/python benchmarks/read_pdf.py
	-$(BIN)/python benchmarks/read_docx.py
	-$(BIN)/python benchmarks/read_html.py
	-$(BIN)/python benchmarks/precision.py
	-$(BIN)/python benchmarks/history_record.py
	-$(BIN)/python benchmarks/history_batch.py
	-$(BIN)/python benchmarks/render_speed.py
	-$(BIN)/python benchmarks/export_speed.py
	-$(BIN)/python benchmarks/startup.py
	-$(BIN)/python benchmarks/scale.py --sizes 1000,2000
	-$(BIN)/python benchmarks/web_load.py

clean:
	rm -rf $(VENV) audits/*

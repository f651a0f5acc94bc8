# gongkai — `make demo` to look around, `make test` to run everything CI runs.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PYTHON ?= $(shell command -v python3.11 || command -v python3)
PORT ?= 8000

.PHONY: install demo serve test test-sqlite test-postgres lint format bench system-deps clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

# Debian packages the browser tests and PDF output need; installed when apt is usable.
system-deps:
	@bash scripts/system-deps.sh

demo: install
	@bash scripts/system-deps.sh runtime
	$(VENV)/bin/gongkai demo --port $(PORT)

serve: install
	$(VENV)/bin/gongkai serve --port $(PORT)

test: install system-deps
	@bash scripts/run-tests.sh

test-sqlite: install
	@bash scripts/run-tests.sh sqlite

test-postgres: install
	@bash scripts/run-tests.sh postgres

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install
	@for script in bench/*.py; do \
	  args=""; \
	  if [ $$script = bench/workplan_accuracy.py ]; then \
	    args="gongkai/supervision/tests/plans $$(test -d ../shared/samples && echo ../shared/samples)"; fi; \
	  echo "== $$script $$args"; $(PY) $$script $$args || exit 1; done

clean:
	rm -rf $(VENV) var .hypothesis .pytest_cache

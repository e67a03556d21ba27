# The two set-up commands are `make run` and `make test`; everything else supports them.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
FLASK := $(BIN)/flask --app cxroadmap

.PHONY: run test lint install install-test db-upgrade screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

db-upgrade: install
	$(FLASK) db upgrade

# Served over plain http on this machine, so cookies may not demand HTTPS here.
run: export CXROADMAP_SECURE_COOKIES ?= false
run: db-upgrade
	$(FLASK) seed-demo --if-empty
	@echo ""
	@echo "  cxroadmap is serving at http://$(HOST):$(PORT)/  (Ctrl+C stops it)"
	@echo ""
	$(FLASK) run --host $(HOST) --port $(PORT)

test: install-test
	$(BIN)/python -m pytest

# Screenshots of the main pages into docs/screenshots/ (needs /usr/bin/chromium), as the README shows them.
screenshots: install-test
	CXROADMAP_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest tests/e2e/test_screenshots.py -q

lint: install-test
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info

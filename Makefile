# The two set-up commands are `make run` and `make test`; everything else supports them.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
FLASK := $(BIN)/flask --app cxroadmap

TRANSLATIONS := cxroadmap/translations
# Texts marked for translation are found in the code and the templates (see babel.cfg).
EXTRACT := $(BIN)/pybabel extract -F babel.cfg -k _l --no-location --sort-output --no-wrap --project cxroadmap \
	--copyright-holder cxroadmap --msgid-bugs-address "" -o $(TRANSLATIONS)/messages.pot .

.PHONY: run serve test lint install install-test db-upgrade screenshots clean translations messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

# The English and Dutch catalogs, compiled for the running application (part of installing).
translations: $(VENV)/.installed
	$(BIN)/pybabel compile --directory $(TRANSLATIONS) --statistics

# After changing texts in code or templates: extract them again and merge them into both catalogs, then
# translate what is new in $(TRANSLATIONS)/nl/LC_MESSAGES/messages.po (the test suite says what is missing).
messages: $(VENV)/.installed
	$(EXTRACT)
	$(BIN)/pybabel update --input-file $(TRANSLATIONS)/messages.pot --output-dir $(TRANSLATIONS) --no-wrap --ignore-obsolete

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

install: $(VENV)/.installed translations

install-test: $(VENV)/.installed-test translations

db-upgrade: install
	$(FLASK) db upgrade

# Served over plain http on this machine, so cookies may not demand HTTPS here; links in mail point at the
# HOST and PORT it serves on (unless CXROADMAP_BASE_URL says otherwise).
run: export CXROADMAP_SECURE_COOKIES ?= false
run: export CXROADMAP_BASE_URL ?= http://$(HOST):$(PORT)
run: db-upgrade
	$(FLASK) seed-demo --if-empty
	@echo ""
	@echo "  cxroadmap is serving at http://$(HOST):$(PORT)/ with its scheduler  (Ctrl+C stops both)"
	@echo "  links in mail start with $(CXROADMAP_BASE_URL)"
	@echo ""
	@# The scheduler (digests, meeting packs, webhooks, tidying) runs beside the server and stops with it.
	@$(FLASK) scheduler & scheduler=$$!; trap 'kill $$scheduler 2>/dev/null; wait $$scheduler' EXIT INT TERM; \
	$(FLASK) run --host $(HOST) --port $(PORT)

# Production serving: gunicorn with WORKERS workers on HOST:PORT, on the configured database (see README,
# "Deploying"); the access log goes to standard output.
serve: WORKERS ?= 2
serve: db-upgrade
	WORKERS=$(WORKERS) HOST=$(HOST) PORT=$(PORT) $(BIN)/gunicorn --config python:cxroadmap.serving 'cxroadmap:create_app()'

test: install-test
	$(BIN)/python -m pytest

# Screenshots of the main pages into docs/screenshots/ (needs /usr/bin/chromium), as the README shows them.
screenshots: install-test
	CXROADMAP_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest tests/e2e/test_screenshots.py -q

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info

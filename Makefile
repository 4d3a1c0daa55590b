# ZoneGuard: `make demo` serves the demo zone, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEMO_PASSWORD ?=

.PHONY: demo test test-fast install install-dev serve messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v 0
	$(BIN)/python manage.py load_demo_zone $(if $(DEMO_PASSWORD),--password '$(DEMO_PASSWORD)')
	@echo "Serving ZoneGuard on http://127.0.0.1:$(PORT)/ (Ctrl-C stops)"
	ZONEGUARD_HTTPS=0 $(BIN)/gunicorn -c gunicorn.conf.py --bind 127.0.0.1:$(PORT) zoneguard.wsgi

test: install-dev
	scripts/system-deps.sh
	scripts/test.sh

# Everyday work: the static checks and every test but the browser and fuzz tests, on SQLite.
test-fast: install-dev
	$(BIN)/ruff check .
	$(BIN)/mypy zoneguard
	$(BIN)/lint-imports
	mkdir -p var/test
	DATABASE_URL= ZONEGUARD_VAR_DIR=$(CURDIR)/var/test $(BIN)/pytest -n 2 -p no:randomly -m "not browser and not fuzz"

# Regenerate the Chinese catalogues of every app after changing user-facing strings.
messages: install-dev
	$(BIN)/python scripts/messages.py

clean:
	rm -rf var/test test-results

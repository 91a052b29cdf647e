# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed

.PHONY: install run test test-fast lint typecheck migrations-check check-deploy bench ci clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

# Starts PostgreSQL and Valkey under var/ unless DATABASE_URL / REDIS_URL are set, then
# migrates, loads the MoU and demo accounts, and runs the web server, Celery worker and beat.
run: install
	$(PY) scripts/devstack.py run

# The whole suite, browser tests included, on PostgreSQL and Redis (embedded when unset).
test: install
	$(PY) scripts/devstack.py test -- $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy .

migrations-check: install
	$(PY) scripts/devstack.py manage makemigrations --check --dry-run

bench: install
	$(PY) scripts/devstack.py bench

clean:
	rm -rf var/staticfiles .pytest_cache

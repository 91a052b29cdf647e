# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed

.PHONY: install run test test-devstack test-fast lint typecheck migrations-check check-deploy bench ci assure clean messages

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV) || { echo "python3 -m venv failed: on Debian/Ubuntu install python3-venv"; exit 1; }
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

# The end-to-end `make run` check (tests/ops/test_devstack.py): opt-in, it takes a minute or more.
test-devstack: install
	MOU_TEST_DEVSTACK=1 $(PY) scripts/devstack.py test -- -m devstack $(PYTEST_ARGS)

# Everything but the browser tests and the end-to-end `make run` check.
test-fast: install
	$(PY) scripts/devstack.py test -- -m "not browser and not devstack" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy .

migrations-check: install
	$(PY) scripts/devstack.py manage makemigrations --check --dry-run

# What `manage.py check --deploy` says with production-like settings (see docs/deployment.md).
check-deploy: install
	DJANGO_DEBUG=false DJANGO_HTTPS=true DJANGO_ALLOWED_HOSTS=mou.example.go.id \
	DJANGO_SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	$(PY) manage.py check --deploy --fail-level WARNING

# Refresh the English catalog from the Indonesian source strings, then compile it (docs/i18n.md).
# Needs GNU gettext (apt-get install gettext); new msgids arrive untranslated and must be translated.
MESSAGES_IGNORE := --ignore ".venv/*" --ignore "var/*" --ignore "tests/*" --ignore "bench/*" --ignore "assurance/*"
messages: install
	$(PY) manage.py makemessages -l en $(MESSAGES_IGNORE) --no-obsolete
	$(PY) manage.py compilemessages -l en $(MESSAGES_IGNORE)

# The CI entry point: services, Chromium, checks and the whole suite.
ci:
	bash .ci/run

bench: install
	$(PY) scripts/devstack.py bench

# Issue 8 (docs/assurance.md): the whole malformed-upload corpus and the access matrix on the test
# services, then the security scans (check --deploy, bandit, pip-audit), then the fault experiments
# (20 SIGKILLs of a worker mid-upload; Redis restarted under 1,000 jobs, on a redis-server of their
# own) on the migrated database DATABASE_URL names (one of its own), then the load test (closed loop
# and think time, 50 users) on LOAD_DATABASE_URL (default DATABASE_URL), seeded once at full size.
LOAD_DB = DATABASE_URL="$${LOAD_DATABASE_URL:-$$DATABASE_URL}"
assure: install
	ASSURE_FULL=1 $(PY) scripts/devstack.py test -- tests/assurance $(PYTEST_ARGS)
	$(PY) -m assurance.scans
	$(PY) -m assurance.faults --json var/assurance/faults-crash.json crash --rows 200000 --kills 20
	$(PY) -m assurance.faults --json var/assurance/faults-redis.json redis --jobs 1000 --port 6391
	$(LOAD_DB) $(PY) -m assurance.load seed --employers 50000 --cases 10000 --people 500000
	$(LOAD_DB) $(PY) -m assurance.load run --users 50 --seconds 15

clean:
	rm -rf var/staticfiles .pytest_cache

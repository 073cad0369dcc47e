# DeepWiki — developer commands. `make run` and `make test` are all a new user needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
export DEEPWIKI_DATA_DIR ?= $(CURDIR)/data
STAMP := $(VENV)/.installed

.PHONY: run install test test-fast lint format serve migrate seed clean bench image image-test

run: install  ## Install, migrate, seed demo data on a new database, serve on $(PORT)
	@$(BIN)/deepwiki migrate --noinput -v 0
	@$(BIN)/deepwiki seed --if-empty
	@echo ""
	@echo "  DeepWiki is starting on http://$(HOST):$(PORT)"
	@echo "  Demo logins: admin@deepwiki.com / Admin123!   user@deepwiki.com / User123!"
	@echo "  Data lives in $(DEEPWIKI_DATA_DIR) (set DEEPWIKI_DATA_DIR to move it)."
	@echo ""
	@$(BIN)/deepwiki serve --host $(HOST) --port $(PORT) --workers 2

install: $(STAMP)  ## Create .venv, install Python and npm packages, build static assets

$(STAMP): pyproject.toml package.json
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11+ is required"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ is required"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { echo "Could not create a virtualenv: install python3-venv (apt-get install python3-venv)"; exit 1; }
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@if command -v npm >/dev/null; then \
		npm ci --no-audit --no-fund --loglevel=error && npm run --silent build; \
	else \
		echo "npm not found: Mermaid diagrams will show as source until Node.js/npm is installed and 'make install' re-run."; \
	fi
	@touch $(STAMP)

test: install  ## Run the whole test suite (SQLite; set DATABASE_URL/REDIS_URL for PostgreSQL + Redis)
	@mkdir -p $(DEEPWIKI_DATA_DIR)
	DEEPWIKI_DATA_DIR=$$(mktemp -d) $(BIN)/pytest $(PYTEST_ARGS)

test-fast: install  ## Tests without the browser and the slow drills
	DEEPWIKI_DATA_DIR=$$(mktemp -d) $(BIN)/pytest -m "not browser and not slow" $(PYTEST_ARGS)

lint: install  ## ruff, the layer contracts (import-linter)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

serve: install
	$(BIN)/deepwiki serve --host $(HOST) --port $(PORT)

migrate: install
	$(BIN)/deepwiki migrate

seed: install
	$(BIN)/deepwiki seed

bench: install  ## Benchmarks (print figures; never part of the tests)
	$(BIN)/python bench/render.py

IMAGE ?= deepwiki:dev
image:  ## Build the container image ($(IMAGE)) with docker, else podman
	@if command -v docker >/dev/null && docker info >/dev/null 2>&1; then engine=docker; \
	elif command -v podman >/dev/null; then engine="podman"; fmt="--format docker"; \
	else echo "Install docker or podman to build the image"; exit 1; fi; \
	echo "$$engine build -t $(IMAGE) ."; \
	$$engine build $$fmt -t $(IMAGE) --build-arg VERSION=$$(git describe --always --dirty 2>/dev/null || echo dev) \
		--build-arg VCS_REF=$$(git rev-parse HEAD 2>/dev/null || echo unknown) .

image-test: install  ## Build the image (stand-in bases where none can be pulled) and check it running, compose included
	IMAGE=deepwiki:test scripts/image-test.sh test $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) node_modules src/deepwiki/static/vendor

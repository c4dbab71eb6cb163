# 专精特新培育赋能平台 — every command runs from a repo-local virtualenv that make creates.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PACKAGES := $(wildcard libs/*/__init__.py services/*/__init__.py)
LOCK := requirements.lock
UV := uv==0.13.9

.DEFAULT_GOAL := help
.PHONY: help run test bench lint typecheck migrate revision lock clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# Exact versions and hashes from the lock; the project itself without resolving anything.
# flock: two commands started together (two `make test`, `make test` beside `make run`)
# install one after the other instead of into each other.
$(STAMP): $(LOCK) pyproject.toml $(PACKAGES)
	@mkdir -p $(VENV)
	flock $(VENV)/.lock sh -ec '\
	  test -x $(BIN)/python || $(PYTHON) -m venv $(VENV); \
	  $(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r $(LOCK); \
	  $(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .; \
	  touch $(STAMP)'

run: $(STAMP) ## start PostgreSQL, NATS and every service (embedded unless DATABASE_URL/NATS_URL)
	$(BIN)/zjtx run

# One worker per core, at most 4: each worker starts its own NATS (and PostgreSQL, unless
# DATABASE_URL is given), as tests empty NATS of its streams.
JOBS ?= auto --maxprocesses 4

test: $(STAMP) ## run the whole test suite against real PostgreSQL and NATS (JOBS=0: serially)
	$(BIN)/pytest -q -n $(JOBS) $(ARGS)

bench: $(STAMP) ## run the benchmarks, print a table, write bench-results.json
	$(BIN)/python -m bench $(ARGS)

lint: $(STAMP) ## ruff
	$(BIN)/ruff check libs services tests bench

typecheck: $(STAMP) ## mypy --strict
	$(BIN)/mypy libs services

migrate: $(STAMP) ## apply every service's migrations to DATABASE_URL
	$(BIN)/zjtx migrate

revision: $(STAMP) ## new migration: make revision SERVICE=registry MESSAGE="add x"
	$(BIN)/alembic -n $(SERVICE) revision --autogenerate -m "$(MESSAGE)"

lock: $(STAMP) ## pin what pyproject adds into the locks (UPGRADE=1: newest versions it admits)
	$(BIN)/pip install --quiet --disable-pip-version-check '$(UV)'
	$(BIN)/uv pip compile pyproject.toml --extra dev --group build --universal $(if $(UPGRADE),--upgrade) \
	  --python-version 3.11 --generate-hashes --custom-compile-command 'make lock' \
	  --quiet -o $(LOCK)
	$(BIN)/uv pip compile pyproject.toml --group build --universal -c $(LOCK) \
	  --python-version 3.11 --generate-hashes --custom-compile-command 'make lock' \
	  --quiet -o deploy/requirements.lock

clean: ## remove the virtualenv and local data
	rm -rf $(VENV) .data bench-results.json

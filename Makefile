# 专精特新培育赋能平台 — every command runs from a repo-local virtualenv that make creates.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PACKAGES := $(wildcard libs/*/__init__.py services/*/__init__.py)

.DEFAULT_GOAL := help
.PHONY: help run test bench lint typecheck migrate revision clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml $(PACKAGES)
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP) ## start PostgreSQL, NATS and every service (embedded unless DATABASE_URL/NATS_URL)
	$(BIN)/zjtx run

test: $(STAMP) ## run the whole test suite against real PostgreSQL and NATS
	$(BIN)/pytest -q $(ARGS)

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

clean: ## remove the virtualenv and local data
	rm -rf $(VENV) .data bench-results.json

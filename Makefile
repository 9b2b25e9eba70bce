# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test dev bench lint clean

# The venv is (re)installed only when pyproject.toml changes: re-runs are fast.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	touch $(STAMP)

## demo: start the embedded source and materialize the whole asset graph
demo: $(STAMP)
	$(BIN)/python -m lakebridge_dagster.demo

## test: run the test suite against the embedded PostgreSQL and local Delta tables
test: $(STAMP)
	$(BIN)/python -m pytest

## dev: open the Dagster UI on the demo (http://127.0.0.1:3000)
dev: $(STAMP)
	$(BIN)/python -m lakebridge_dagster.demo --ui

## bench: the benchmarks (run by hand; each prints a table)
bench: $(STAMP)
	$(BIN)/python bench/catalog.py
	$(BIN)/python bench/assessment.py

lint: $(STAMP)
	$(BIN)/ruff check lakebridge_dagster lakebridge_dagster_tests bench
	$(BIN)/ruff format --check lakebridge_dagster lakebridge_dagster_tests bench

clean:
	rm -rf .lakebridge

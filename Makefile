# Everything a fresh machine needs, from Python and make alone.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint typecheck unit bench docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## demo: scan the deliberately vulnerable example app
demo: $(STAMP)
	$(BIN)/faasguard scan examples --fail-on never

## test: lint, type-check and run the whole test suite
test: lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy --strict src/faasguard

unit: $(STAMP)
	$(BIN)/pytest

## bench: time and peak memory on generated projects (see bench/README.md)
bench: $(STAMP)
	$(BIN)/python bench/run.py

## docs: regenerate docs/rules.md from the rules' metadata
docs: $(STAMP)
	$(BIN)/faasguard docs

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache .pytest_cache

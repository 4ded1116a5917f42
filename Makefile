# Everything a fresh machine needs, from Python and make alone.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint typecheck unit shield-test bench docs clean fuzz

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## demo: scan the deliberately vulnerable example app
demo: $(STAMP)
	$(BIN)/faasguard scan examples --osv-db examples/osv --fail-on never

## test: lint, type-check and run the whole test suite
test: lint typecheck unit shield-test

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy --strict src/faasguard

unit: $(STAMP)
	$(BIN)/pytest

## shield-test: build the runtime guard's wheel from shield/, install it the way a deployment
## package is built, then ruff, mypy --strict and its tests against that wheel (see shield/README.md)
SHIELD_BUILD := shield/build
shield-test: $(STAMP)
	rm -rf $(SHIELD_BUILD)/wheel $(SHIELD_BUILD)/site
	$(BIN)/python -m pip wheel --quiet --no-deps ./shield -w $(SHIELD_BUILD)/wheel
	$(BIN)/python -m pip install --quiet --no-deps --target $(SHIELD_BUILD)/site $(SHIELD_BUILD)/wheel/faasguard_shield-*.whl
	$(BIN)/ruff check shield
	$(BIN)/ruff format --check shield
	$(BIN)/mypy --strict --config-file shield/pyproject.toml shield/src/faasguard_shield
	FGS_TEST_SITE=$(SHIELD_BUILD)/site $(BIN)/pytest -c shield/pyproject.toml shield/tests

## bench: time and peak memory on generated projects (see bench/README.md)
bench: $(STAMP)
	$(BIN)/python bench/run.py

## fuzz: the long fuzz profile (the test suite runs the short one): FUZZ_MINUTES per target,
## fresh examples, each target in a process capped at FUZZ_MEMORY_MB; the minimal input of every
## failure is written under build/fuzz/. FUZZ_TARGETS="cfn-yaml terraform" to run only some.
FUZZ_MINUTES ?= 30
FUZZ_MEMORY_MB ?= 3072
FUZZ_TARGETS ?=
fuzz: $(STAMP)
	$(BIN)/python tests/fuzz/fuzz_driver.py --profile long --minutes $(FUZZ_MINUTES) \
		--memory-mb $(FUZZ_MEMORY_MB) --failures build/fuzz $(FUZZ_TARGETS)

## docs: regenerate docs/rules.md from the rules' metadata
docs: $(STAMP)
	$(BIN)/faasguard docs

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache .pytest_cache

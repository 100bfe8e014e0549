# Gazette: the two commands are `make serve` and `make test`; everything sets itself up.
# `make help` lists the rest (pelican-quickstart's targets and variables where they fit).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check
SETTINGS ?= pelicanconf.py
PUBLISH_SETTINGS ?= publishconf.py
OUTPUT ?= output
PELICANOPTS ?=
PORT ?= 8000
SERVER ?= 0.0.0.0

# The locks (requirements/*.lock, hashed; `make lock` writes them from pyproject.toml):
# site.lock is what a build and the dev server need; test.lock what the tests and checks add;
# pip.lock the venv's pip, upgraded first; tools.lock the locking tool (uv).
SITE_LOCK := requirements/site.lock
TEST_LOCK := requirements/test.lock
PIP_LOCK := requirements/pip.lock
TOOLS_LOCK := requirements/tools.lock
PIP_READY := $(VENV)/.pip-installed
INSTALLED := $(VENV)/.site-installed
TEST_INSTALLED := $(VENV)/.test-installed
NODE_TOOLS := node_modules/.installed
LOCK_VENV := .cache/lock-tools
UV := $(LOCK_VENV)/bin/uv

DEBUG ?= 0
ifeq ($(DEBUG), 1)
    PELICANOPTS += -D
endif

.PHONY: help install test-install test-tools test-setup system-tools ingest html regenerate \
	serve devserver serve-global publish test fuzz lint format clean lock bench

help:
	@echo 'make serve [PORT=8000]          build, serve on 127.0.0.1:$(PORT), rebuild and reload on change'
	@echo 'make test                       install the test tools, run ruff and the whole test suite'
	@echo 'make devserver [PORT=8000]      the same as make serve'
	@echo 'make serve-global [SERVER=0.0.0.0] [PORT=8000]   serve on $(SERVER):$(PORT)'
	@echo 'make html                       ingest, then a development build into $(OUTPUT)/'
	@echo 'make regenerate                 ingest, then pelican --autoreload into $(OUTPUT)/'
	@echo 'make publish                    strict production build ($(PUBLISH_SETTINGS))'
	@echo 'make ingest | lint | format | fuzz | bench | clean | lock'
	@echo 'PELICANOPTS="..." adds options to pelican (html, regenerate); DEBUG=1 adds -D'

# The virtual environment: pip first (Python 3.11's bundled pip 23.2 mis-resolves
# lxml[html-clean], which trafilatura needs), then the site's lock, then Gazette and its
# theme, editable.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(PIP_READY): $(PIP_LOCK) | $(BIN)/python
	$(PIP) install --quiet --require-hashes -r $(PIP_LOCK)
	touch $@

$(INSTALLED): $(SITE_LOCK) pyproject.toml theme/pyproject.toml $(PIP_READY)
	$(PIP) install --quiet --require-hashes -r $(SITE_LOCK)
	$(PIP) install --quiet --no-deps --no-build-isolation -e . -e theme
	touch $@

# The tests' packages (pytest, hypothesis, ruff, Playwright, ...) on top of the site's.
$(TEST_INSTALLED): $(INSTALLED) $(TEST_LOCK)
	$(PIP) install --quiet --require-hashes -r $(SITE_LOCK) -r $(TEST_LOCK)
	touch $@

install: $(INSTALLED)
test-install: $(TEST_INSTALLED)

# Test-only tools from npm (axe-core, the Nu HTML Checker), exactly as locked.
# --ignore-scripts: vnu-jar's install script would fetch a Java runtime; Debian's is used.
$(NODE_TOOLS): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# Debian's Chromium (browser tests), a Java runtime (the Nu HTML Checker) and the fonts the
# browser tests lay pages out with (DejaVu, Liberation), when missing.
# Without root or apt-get the tests that need them skip and say why.
SYSTEM_PACKAGES := chromium default-jre-headless fonts-dejavu-core fonts-liberation fontconfig
system-tools:
	@if command -v chromium >/dev/null && command -v java >/dev/null \
	  && dpkg -s fonts-dejavu-core fonts-liberation fontconfig >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends $(SYSTEM_PACKAGES) >/dev/null; \
	else echo "make: chromium, java or the DejaVu and Liberation fonts missing: browser and validator tests will skip"; fi

test-tools: $(TEST_INSTALLED) $(NODE_TOOLS) system-tools
test-setup: test-tools

# Record new and changed raw files in the ledger (first-seen time, permanent id).
ingest: $(INSTALLED)
	$(BIN)/gazette --settings $(SETTINGS) ingest

# Development build into output/. A logged error (a damaged ledger, a plugin error) fails
# it: Pelican alone would only log it and exit 0.
html: ingest
	$(BIN)/pelican -s $(SETTINGS) -o $(OUTPUT) --fatal errors $(PELICANOPTS)

# Pelican's own watcher: rebuild output/ on every change (no server; `make serve` does both).
regenerate: ingest
	$(BIN)/pelican -r -s $(SETTINGS) -o $(OUTPUT) $(PELICANOPTS)

# Build, serve on http://127.0.0.1:$(PORT), rebuild and reload the browser on change.
serve: $(INSTALLED)
	$(BIN)/gazette --settings $(SETTINGS) serve --port $(PORT)

devserver: serve

# The dev server on every interface (or SERVER): for a phone on the same network.
serve-global: $(INSTALLED)
	$(BIN)/gazette --settings $(SETTINGS) serve --bind $(SERVER) --port $(PORT)

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
fuzz: $(TEST_INSTALLED)
	HYPOTHESIS_PROFILE=long $(BIN)/pytest -q tests/test_properties.py --hypothesis-show-statistics

lint: $(TEST_INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(TEST_INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(OUTPUT) $(OUTPUT).building $(OUTPUT).old .pytest_cache .ruff_cache

# The locks, from pyproject.toml, by the locked uv in a venv of its own. Existing pins are
# kept where they still fit: `make lock UPGRADE=1` moves everything to the newest release.
# site.lock: [project] dependencies and the build requirements (the editable installs use
# --no-build-isolation); test.lock: the `test` extra, at site.lock's versions, without
# repeating what site.lock holds. Needs only the package index.
UPGRADE ?= 0
UV_COMPILE = $(UV) pip compile --quiet --generate-hashes --python $(PYTHON) \
	--custom-compile-command "make lock" $(if $(filter 1,$(UPGRADE)),--upgrade)
$(UV): $(TOOLS_LOCK) $(PIP_LOCK)
	test -x $(LOCK_VENV)/bin/python || $(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r $(PIP_LOCK)
	$(LOCK_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r $(TOOLS_LOCK)
	touch $@

lock: $(UV)
	$(UV_COMPILE) -o $(PIP_LOCK) requirements/pip.in
	$(UV_COMPILE) -o $(TOOLS_LOCK) requirements/tools.in
	$(PYTHON) -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")' \
	  | $(UV_COMPILE) -o $(SITE_LOCK) pyproject.toml -
	$(UV_COMPILE) -o $(TEST_LOCK) pyproject.toml --extra test -c $(SITE_LOCK) \
	  $$(sed -n 's/^\([A-Za-z0-9._-]*\)==.*/--no-emit-package \1/p' $(SITE_LOCK))

# Benchmark against Hugo and stock Pelican (bench/run.py): `make bench`,
# `make bench N=1000,5000,20000,50000 RUNS=1 BENCH_FLAGS="--dev --incremental"`.
# Debian's hugo is installed when missing and it can be (root with apt-get); else Hugo is skipped.
N ?= 1000
RUNS ?= 1
BENCH_FLAGS ?=
bench: $(TEST_INSTALLED)
	@command -v hugo >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo >/dev/null; } || true
	$(BIN)/python bench/run.py --n $(N) --runs $(RUNS) $(BENCH_FLAGS)

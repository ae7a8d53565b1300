# `make site` builds the demo site into output/; `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SETTINGS ?= pelicanconf.py

# The locks: every package at one version, each file checked against its sha256.
# test.txt = runtime + test + dev extras + build tools; runtime.txt = what a deployment needs.
LOCK := requirements/test.txt
RUNTIME_LOCK := requirements/runtime.txt
UV ?= $(BIN)/uv
# uv ignores pip.conf and resolves against its default index (PyPI) for the platform CI runs
# on; existing pins are kept unless UPGRADE=1 (`make lock UPGRADE=1` moves every package).
COMPILE = $(UV) pip compile --quiet --no-config --generate-hashes \
	--python-version 3.11 --python-platform x86_64-manylinux_2_28$(if $(UPGRADE), --upgrade)

.PHONY: install lock site test axe bench golden docs screenshots lint clean

install: $(STAMP)

# Nothing unpinned is fetched: the lock brings pip and setuptools too, so flagboard itself
# installs from the working tree with no dependencies and no isolated build environment.
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Regenerate the locks after changing the dependencies in pyproject.toml or requirements/build.in.
lock: $(STAMP)
	$(COMPILE) pyproject.toml requirements/build.in --extra test --extra dev -o $(LOCK)
	$(COMPILE) pyproject.toml requirements/build.in -c $(LOCK) -o $(RUNTIME_LOCK)

site: $(STAMP)
	$(BIN)/flagboard build --scores scores --out output --settings $(SETTINGS)

# On every core (pytest-xdist): about 1 minute on 2 cores with HYPOTHESIS_PROFILE=ci, as CI runs
# it; `.venv/bin/python -m pytest` runs the same tests in one process.
TEST_JOBS ?= auto
test: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_JOBS) --dist loadgroup

# axe-core for the accessibility tests (tests/test_site_axe.py), from npm at the version and
# hash of tests/axe/package-lock.json, into tests/axe/node_modules; no install script runs.
# The tests read the file only: they contact nothing but 127.0.0.1.
AXE := tests/axe/node_modules/axe-core/axe.min.js
axe: $(AXE)

$(AXE): tests/axe/package.json tests/axe/package-lock.json
	npm ci --prefix tests/axe --ignore-scripts --no-audit --no-fund
	touch $(AXE)

bench: $(STAMP)
	$(BIN)/python bench/run.py

# Regenerate the demo town's golden results; review the diff before committing.
# The problem catalogue as a table for docs/ (tests/test_catalogue.py checks it is current).
docs: $(STAMP)
	$(BIN)/python -m generator.catalogue docs/problems.md

# The README's screenshots, from the demo built as published (needs /usr/bin/chromium).
screenshots: $(STAMP)
	$(BIN)/python docs/screenshots/make.py

golden: $(STAMP)
	rm -rf .golden-scores
	$(BIN)/python -m generator.demo demo .golden-scores
	$(BIN)/flagboard compute --scores .golden-scores --out tests/golden/demo
	rm -rf .golden-scores

lint: $(STAMP)
	$(BIN)/ruff check generator tests bench
	$(BIN)/ruff format --check generator tests bench

clean:
	rm -rf output results test-artifacts

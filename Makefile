# `make site` builds the demo site into output/; `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# What is installed: the runtime lock (all `make site` needs), then the test lock on top of it.
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
SETTINGS ?= pelicanconf.py
# More options for `flagboard build` (the forges' workflows pass --published here).
BUILD_FLAGS ?=

# The locks: every package at one version, each file checked against its sha256.
# test.txt = runtime + test + dev extras + build tools; runtime.txt = what a deployment needs.
LOCK := requirements/test.txt
RUNTIME_LOCK := requirements/runtime.txt
UV ?= $(BIN)/uv
# uv ignores pip.conf and resolves against its default index (PyPI) for the platform CI runs
# on; existing pins are kept unless UPGRADE=1 (`make lock UPGRADE=1` moves every package).
COMPILE = $(UV) pip compile --quiet --no-config --generate-hashes \
	--python-version 3.11 --python-platform x86_64-manylinux_2_28$(if $(UPGRADE), --upgrade)

# pip's own notice of a newer pip is English and says nothing about the site: not shown.
PIP := $(BIN)/pip --disable-pip-version-check

.PHONY: install install-test lock site test axe bench golden docs screenshots lint clean

# What `make site` needs and no more: the newcomer's first command installs the runtime lock only.
install: $(STAMP)

# The test tools on top (pytest, Chromium's driver, ruff, zizmor, uv …): `make test` asks for it.
install-test: $(TEST_STAMP)

# Nothing unpinned is fetched: the lock brings pip and setuptools too, so flagboard itself
# installs from the working tree with no dependencies and no isolated build environment.
# PIP_INDEX_URL may name a mirror (https://mirrors.aliyun.com/pypi/simple/): every file is
# still checked against the lock's sha256, so a mirror can serve only the same bytes.
# --no-compile: no bytecode written ahead for every module of every package (pandas' own tests
# alone are 46 MB of it): Python writes it for the modules the site imports, on first use.
# Half the install's time and a third of its size (236 MB → 152 MB for the runtime lock).
$(STAMP): pyproject.toml $(RUNTIME_LOCK)
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --no-compile --require-hashes -r $(RUNTIME_LOCK)
	$(PIP) install --quiet --no-compile --no-deps --no-build-isolation -e .
	touch $(STAMP)

# The test lock holds the runtime lock's packages at the same versions and hashes (a test
# checks it), so this only adds; a changed runtime install (the stamp above) redoes it. The
# suite starts hundreds of processes, where PYTHONDONTWRITEBYTECODE may keep Python from
# caching bytecode: all of it is compiled once here, flagboard's own package too (each
# `flagboard` a test runs compiled its 120 modules again; an edited module is still read from
# its source, which Python checks against the bytecode). A file that does not compile, some
# package's deliberately broken test data, is left to the interpreter, as pip leaves it.
$(TEST_STAMP): $(STAMP) $(LOCK)
	$(PIP) install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m compileall -qq -j 0 "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')" generator || true
	touch $(TEST_STAMP)

# Regenerate the locks after changing the dependencies in pyproject.toml or requirements/build.in.
lock: $(TEST_STAMP)
	$(COMPILE) pyproject.toml requirements/build.in --extra test --extra dev -o $(LOCK)
	$(COMPILE) pyproject.toml requirements/build.in -c $(LOCK) -o $(RUNTIME_LOCK)

site: $(STAMP)
	$(BIN)/flagboard build --scores scores --out output --settings $(SETTINGS)$(if $(BUILD_FLAGS), $(BUILD_FLAGS))

# On every core (pytest-xdist): about 8 minutes on 2 cores with HYPOTHESIS_PROFILE=ci, as CI runs
# it; `.venv/bin/python -m pytest` runs the same tests in one process. The longest groups of tests
# start first (tests/conftest.py LONG_FIRST), not those with the most tests.
TEST_JOBS ?= auto
test: $(TEST_STAMP)
	$(BIN)/python -m pytest -n $(TEST_JOBS) --dist loadgroup --no-loadscope-reorder

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
screenshots: $(TEST_STAMP)
	$(BIN)/python docs/screenshots/make.py

golden: $(STAMP)
	rm -rf .golden-scores
	$(BIN)/python -m generator.demo demo .golden-scores
	$(BIN)/flagboard compute --scores .golden-scores --out tests/golden/demo
	rm -rf .golden-scores

lint: $(TEST_STAMP)
	$(BIN)/ruff check generator tests bench
	$(BIN)/ruff format --check generator tests bench

clean:
	rm -rf output results test-artifacts

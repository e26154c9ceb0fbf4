# Two commands do all set-up on a fresh machine with Python 3.11+ and make:
#   make run    install, load the demo world into the embedded store, start the explorer
#   make test   install, run the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
export ACCOUNTGRAPH_DATA_DIR ?= $(CURDIR)/data

.PHONY: install run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@# GraphiQL's React/GraphiQL files from the npm registry (gitignored; never a CDN).
	$(BIN)/python -m api.graphiql.vendor || echo "GraphiQL assets not fetched (needs npm): the API works; /graphql in a browser says how"
	touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/accountgraph demo

test: install
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) data build *.egg-info

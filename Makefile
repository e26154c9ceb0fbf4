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

# Neo4j's own Cypher front end checks queries/ for Neo4j 5 without a server
# (tests/unit/test_neo4j_cypher_lint.py); only the tests need it.
CYPHER_LINT := tests/tools/cypher_lint/node_modules/.package-lock.json
$(CYPHER_LINT): tests/tools/cypher_lint/package-lock.json
	npm ci --prefix tests/tools/cypher_lint --no-audit --no-fund --silent || echo "Cypher linter not installed (needs npm): its test is skipped"

test: install $(CYPHER_LINT)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) data build *.egg-info

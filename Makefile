# Two commands do all set-up on a fresh machine with Python 3.11+ and make:
#   make run    install, load the demo world into the embedded store, start the explorer
#   make test   install, run the test suite
# The store is where the settings say (ACCOUNTGRAPH_DATA_DIR, default
# ~/.local/share/accountgraph), the same for `make run` and every CLI command.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

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

# A Neo4j 5 Community server from Maven Central for the Neo4j tests when neither
# NEO4J_URI nor a Docker engine gives one (tests/integration/neo4j_fixture.py).
# Maven caches the jars in ~/.m2; only the tests need it.
NEO4J_LAUNCHER := tests/tools/neo4j_launcher/target/.built
$(NEO4J_LAUNCHER): tests/tools/neo4j_launcher/pom.xml $(shell find tests/tools/neo4j_launcher/src -name '*.java')
	mvn -q -B -f tests/tools/neo4j_launcher/pom.xml package && touch $@ || echo "Neo4j launcher not built (needs Java 17 and Maven): Neo4j tests are skipped"

test: install $(CYPHER_LINT) $(NEO4J_LAUNCHER)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build *.egg-info

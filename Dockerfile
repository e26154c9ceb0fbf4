# The accountgraph API, for docker-compose.yml (which wires it to Neo4j 5).

# GraphiQL's browser files come from the npm registry at build time, so the
# running server never loads anything from a CDN. npm stays in this stage.
FROM python:3.11-slim AS graphiql
RUN apt-get update \
    && apt-get install -y --no-install-recommends npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY api/__init__.py api/
COPY api/graphiql/ api/graphiql/
RUN pip install --no-cache-dir "fastapi>=0.115" && python -m api.graphiql.vendor

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

COPY pyproject.toml README.md ./
COPY graph/ graph/
COPY queries/ queries/
COPY api/ api/
COPY visualizer/ visualizer/
COPY seed/ seed/
COPY --from=graphiql /src/api/static/vendor/ api/static/vendor/
RUN pip install . && rm -rf /app/build

# Run as a user of its own; its home holds the embedded store if one is used.
RUN useradd --create-home --uid 10001 accountgraph
USER accountgraph
ENV ACCOUNTGRAPH_DATA_DIR=/home/accountgraph/data

EXPOSE 8000
CMD ["accountgraph", "serve", "--host", "0.0.0.0", "--port", "8000"]

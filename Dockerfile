# The accountgraph API, for docker-compose.yml (which wires it to Neo4j 5).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Metadata first, so the dependency layer is rebuilt only when it changes.
COPY pyproject.toml README.md ./
COPY graph/ graph/
COPY queries/ queries/
COPY api/ api/
COPY visualizer/ visualizer/
COPY seed/ seed/
RUN pip install . && rm -rf /app/build

# Run as a user of its own; its home holds the embedded store if one is used.
RUN useradd --create-home --uid 10001 accountgraph
USER accountgraph
ENV ACCOUNTGRAPH_DATA_DIR=/home/accountgraph/data

EXPOSE 8000
CMD ["accountgraph", "serve", "--host", "0.0.0.0", "--port", "8000"]

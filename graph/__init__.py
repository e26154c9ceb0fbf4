"""accountgraph's core: the domain model, the store interface and its backends.

Nothing in this package imports FastAPI, Strawberry or pyvis.
"""

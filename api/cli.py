"""The ``accountgraph`` command.

Each area registers its own sub-commands from a module in ``api/commands/``
(a ``register(app)`` function), listed in ``COMMAND_MODULES``; this module only
assembles them and turns our errors into one readable line and exit code 2.
"""

from __future__ import annotations

import importlib
import sys

import typer

from graph.errors import AccountGraphError

COMMAND_MODULES = [
    "api.commands.analyze",
    "api.commands.evaluate",
    "api.commands.store",
    "api.commands.import_",
    "api.commands.map",
    "api.commands.brief",
    "api.commands.seed",
    "api.commands.serve", "api.commands.users", "api.commands.export", "api.commands.demo",
    "api.commands.triggers", "api.commands.capture",
]

app = typer.Typer(
    name="accountgraph",
    help="Graph-based account relationship explorer for B2B teams.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def main() -> None:
    """Entry point: run the command, and report our own errors as one line."""
    try:
        app()
    except AccountGraphError as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    main()

"""The ``accountgraph`` command.

Each area registers its own sub-commands from a module in ``api/commands/``
(a ``register(app)`` function), listed in ``COMMAND_MODULES``; this module only
assembles them and turns our errors into one readable line and exit code 2.

``--verbose`` (anywhere on the line) says which store each command opened; a
"not found" error always does, since the commonest cause is the wrong store.
"""

from __future__ import annotations

import importlib
import logging
import sys

import typer

from graph.errors import AccountGraphError, ConfigError, NotFound

COMMAND_MODULES = [
    "api.commands.analyze",
    "api.commands.evaluate",
    "api.commands.store",
    "api.commands.import_",
    "api.commands.map",
    "api.commands.brief",
    "api.commands.seed",
    "api.commands.serve", "api.commands.users", "api.commands.teams", "api.commands.export",
    "api.commands.demo", "api.commands.triggers", "api.commands.capture",
]

app = typer.Typer(
    name="accountgraph",
    help="Graph-based account relationship explorer for B2B teams.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _options(
    verbose: bool = typer.Option(
        False, "--verbose", help="Say which store each command opens (also after the command)."),
) -> None:
    if verbose:
        say_which_store()


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def say_which_store() -> None:
    """Print each store opened, to stderr (the store logger's INFO lines, plainly)."""
    log = logging.getLogger("accountgraph.store")
    if not any(getattr(h, "_which_store", False) for h in log.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("accountgraph: %(message)s"))
        handler._which_store = True  # type: ignore[attr-defined]
        log.addHandler(handler)
    log.setLevel(logging.INFO)


def where_it_looked() -> str:
    """The store the settings name, for an error line ("" when the settings are bad)."""
    from graph.settings import get_settings

    try:
        settings = get_settings()
    except ConfigError:
        return ""
    return (f" in the {settings.store} store {settings.store_location} (another store? "
            "set ACCOUNTGRAPH_DATA_DIR, or NEO4J_URI)")


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the command, and report our own errors as one line."""
    args = list(sys.argv[1:] if argv is None else argv)
    # `accountgraph analyze X --verbose` as well as `accountgraph --verbose analyze X`.
    cut = args.index("--") if "--" in args else len(args)
    if "--verbose" in args[:cut]:
        args = [a for a in args[:cut] if a != "--verbose"] + args[cut:]
        say_which_store()
    try:
        app(args=args, prog_name="accountgraph")
    except NotFound as exc:
        typer.secho(f"error: {exc}{where_it_looked()}", fg=typer.colors.RED, err=True)
        sys.exit(2)
    except AccountGraphError as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    main()

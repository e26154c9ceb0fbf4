"""The README's command list names every command the CLI has (issue 18, "Done when")."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from api.cli import app

README = Path(__file__).resolve().parents[2] / "README.md"


def _listed() -> dict[str, str]:
    """Each command the README's command block shows, with the rest of its lines."""
    block = README.read_text().split("## The command line", 1)[1].split("```sh", 1)[1]
    block = block.split("```", 1)[0]
    listed: dict[str, str] = {}
    for line in block.splitlines():
        if m := re.match(r"accountgraph (\S+)(.*)", line.strip()):
            listed[m[1]] = listed.get(m[1], "") + " " + m[2].split("#", 1)[0]
    return listed


def test_every_command_and_subcommand_is_listed() -> None:
    group = typer.main.get_command(app)
    commands = group.commands  # type: ignore[attr-defined]  # a group of commands
    listed = _listed()
    missing = sorted(set(commands) - set(listed))
    assert not missing, f"README.md's command list lacks {missing}"
    for name, command in commands.items():
        if hasattr(command, "commands"):  # users, tokens, teams: their verbs too
            verbs = set(re.split(r"[|\s]+", listed[name]))
            assert set(command.commands) <= verbs, (name, sorted(set(command.commands) - verbs))

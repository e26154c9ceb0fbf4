"""``accountgraph map ACCOUNT -o FILE.html``: one account's map as a self-contained page."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import typer

from graph.errors import NotFound, PermissionDenied
from graph.evidence import rules_of_settings
from graph.model import Company, User
from graph.neighbourhood import key
from graph.privacy import team_in_store
from graph.settings import Settings, get_settings
from graph.store import Store
from graph.stores import open_reader, open_store
from visualizer.inputs import AccountReadings, Viewer, readings_for


@dataclass
class Account:
    """One account opened for a command: its graph, readings, and who is looking."""

    store: Store
    company_id: str
    G: nx.MultiDiGraph
    readings: AccountReadings
    viewer: Viewer
    privacy: object | None  # api.privacy.Privacy when --as names a user

    def audit(self, reads: list[tuple[str, str]]) -> None:
        if self.privacy is None:
            return
        self.privacy.record_reads(reads)  # type: ignore[attr-defined]
        self.privacy.flush(self.store)  # type: ignore[attr-defined]


def resolve_company(store: Store, account: str) -> str:
    """An account by id, or else by a unique name match."""
    if isinstance(store.get("company", account), Company):
        return account
    found = [
        c for c in store.search(account, kinds=("company",), limit=5) if isinstance(c, Company)
    ]
    exact = [c for c in found if c.name.lower() == account.lower()]
    if len(exact) == 1 or len(found) == 1:
        return (exact or found)[0].id
    if found:
        names = ", ".join(f"{c.name} ({c.id})" for c in found)
        raise NotFound("company", f"{account}: several match ({names}); pass the id")
    raise NotFound("company", account)


def load_account(store: Store, account: str, as_user: str | None, to: str | None = None,
                 settings: Settings | None = None) -> Account:
    """An account opened for a command, seen as ``as_user`` (nobody: no personal data)."""
    settings = settings or get_settings()
    company_id = resolve_company(store, account)
    G = store.account_graph(company_id)
    readings = readings_for(
        G, rules=rules_of_settings(store, settings),
        half_life_days=settings.strength_half_life_days,
        to=key("contact", to) if to else None,
    )  # fmt: skip
    viewer, privacy = Viewer(), None
    if as_user:
        from api.auth import Viewer as ApiViewer
        from api.privacy import Privacy, team_user_ids

        user = store.get("user", as_user)
        if not isinstance(user, User):
            raise PermissionDenied(f"--as {as_user!r}: no such user (see `accountgraph users`)")

        def team_of(cid: str) -> frozenset[str]:
            # Decided per contact: a contact who moved is their new account's.
            return team_user_ids(G) if cid == company_id else team_in_store(store, cid)

        privacy = Privacy(ApiViewer(user, None), team_of, door="cli")
        viewer = Viewer(user.name, privacy.rule, key("user", user.id))
    return Account(store, company_id, G, readings, viewer, privacy)


@contextmanager
def open_account(account: str, as_user: str | None, to: str | None = None) -> Iterator[Account]:
    settings = get_settings()
    # Read-only unless we must write audit rows, so this works while `serve` runs.
    store = open_store(settings) if as_user is not None else open_reader(settings)
    try:
        yield load_account(store, account, as_user, to, settings)
    finally:
        store.close()


def map_html(a: Account, to: str | None = None) -> tuple[str, int]:
    """The map page of an opened account (its personal reads audited); and its contacts."""
    from visualizer.map import map_data, render_map

    data = map_data(a.G, a.readings, a.viewer, paths=a.readings.paths,
                    target=key("contact", to) if to else None)  # fmt: skip
    html = render_map(data, viewer_name=a.viewer.name)
    a.audit(data.personal_reads)
    return html, sum(1 for n in data.nodes if n["kind"] == "contact")


AS_USER = typer.Option(
    None, "--as", help="Show it as this user sees it: personal notes only if on the team."
)


def map_command(
    account: str = typer.Argument(..., help="Company id (or its exact name)."),
    output: Path = typer.Option(..., "-o", "--output", help="The HTML file to write."),
    to: str | None = typer.Option(None, "--to", help="Highlight warm paths to this contact id."),
    as_user: str | None = AS_USER,
) -> None:
    """Write one account's interactive map as a self-contained HTML file."""
    with open_account(account, as_user, to) as a:
        html, contacts = map_html(a, to)
    output.write_text(html, encoding="utf-8")
    typer.echo(f"wrote {output} ({contacts} contacts, {len(html) / 1e6:.1f} MB)")


def register(app: typer.Typer) -> None:
    app.command("map")(map_command)

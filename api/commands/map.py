"""``accountgraph map ACCOUNT -o FILE.html``: one account's map as a self-contained page."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import typer

from graph.errors import NotFound, PermissionDenied
from graph.model import Company, User
from graph.neighbourhood import key
from graph.settings import get_settings
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
        for contact_id, field in reads:
            self.privacy.record(contact_id, field)  # type: ignore[attr-defined]
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


@contextmanager
def open_account(account: str, as_user: str | None, to: str | None = None) -> Iterator[Account]:
    settings = get_settings()
    # Read-only unless we must write audit rows, so this works while `serve` runs.
    store = open_store(settings) if as_user is not None else open_reader(settings)
    try:
        company_id = resolve_company(store, account)
        G = store.account_graph(company_id)
        readings = readings_for(
            G, rules=settings.rules_file, half_life_days=settings.strength_half_life_days,
            to=key("contact", to) if to else None,
        )  # fmt: skip
        viewer, privacy = Viewer(), None
        if as_user:
            from api.auth import Viewer as ApiViewer
            from api.privacy import Privacy, team_user_ids

            user = store.get("user", as_user)
            if not isinstance(user, User):
                raise PermissionDenied(f"--as {as_user!r}: no such user (see `accountgraph users`)")
            privacy = Privacy(ApiViewer(user, None), lambda _: team_user_ids(G), door="cli")
            viewer = Viewer(user.name, privacy.may_see_personal(company_id), key("user", user.id))
        yield Account(store, company_id, G, readings, viewer, privacy)
    finally:
        store.close()


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
    from visualizer.map import map_data, render_map

    with open_account(account, as_user, to) as a:
        data = map_data(a.G, a.readings, a.viewer, paths=a.readings.paths,
                        target=key("contact", to) if to else None)  # fmt: skip
        html = render_map(data, viewer_name=a.viewer.name)
        a.audit(data.personal_reads)
    output.write_text(html, encoding="utf-8")
    contacts = sum(1 for n in data.nodes if n["kind"] == "contact")
    typer.echo(f"wrote {output} ({contacts} contacts, {len(html) / 1e6:.1f} MB)")


def register(app: typer.Typer) -> None:
    app.command("map")(map_command)

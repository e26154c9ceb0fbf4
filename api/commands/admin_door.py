"""How the CLI's administration reaches the store: itself, or through a running server.

The embedded store takes one writing process. While ``accountgraph serve`` holds
it, ``users create``, ``tokens create|revoke``, ``users deactivate`` and ``teams
add|remove`` send their writes to that server's GraphQL API with an admin's token
(``ACCOUNTGRAPH_ADMIN_TOKEN``), so a leaked token is revoked without downtime and
the server refuses it from the next request on (it drops its token cache). With
the token set, writes go to the server whenever one answers, on Neo4j too, for the
same reason; with no server answering, or no token, the CLI opens the store
itself. Reading commands (``users list``, ``tokens list``) open it read-only.

Both doors offer the same operations (:class:`AdminDoor`) and give the same
results, so the commands do not care which one they hold.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from graph import model as m
from graph.errors import (
    AccountGraphError,
    ConfigError,
    NotFound,
    PermissionDenied,
    StoreLocked,
    StoreUnavailable,
    ValidationError,
)
from graph.settings import Settings, get_settings
from graph.store import Store


@dataclass(frozen=True)
class Issued:
    """A token just made: the secret (shown once) and its record."""

    token: str
    id: str
    user_id: str
    expires_at: datetime | None


class AdminDoor(Protocol):
    """What the CLI's administration asks of a store or a server."""

    where: str  # for people: which store, or which server

    def create_user(self, user: m.User) -> bool: ...
    def update_user(self, user_id: str, **changes: Any) -> m.User: ...
    def create_token(self, user_id: str, name: str | None,
                     expires_in_days: float | None) -> Issued: ...
    def revoke_token(self, token_id: str) -> m.ApiToken: ...
    def set_team(self, company_id: str, user_id: str, role: m.TeamRole,
                 remove: bool) -> None: ...


class StoreDoor:
    """Administration straight on a store this process opened for writing."""

    def __init__(self, store: Store, where: str):
        self.store = store
        self.where = where

    def create_user(self, user: m.User) -> bool:
        from api.admin import create_user

        return create_user(self.store, user, replace=True)

    def update_user(self, user_id: str, **changes: Any) -> m.User:
        from api.admin import update_user

        return update_user(self.store, user_id, **changes)

    def create_token(self, user_id: str, name: str | None,
                     expires_in_days: float | None) -> Issued:
        from api.admin import create_token

        plain, record = create_token(self.store, user_id, name=name,
                                     expires_in_days=expires_in_days)
        return Issued(plain, record.id, record.user_id, record.expires_at)

    def revoke_token(self, token_id: str) -> m.ApiToken:
        from api.admin import revoke_token

        return revoke_token(self.store, token_id)

    def set_team(self, company_id: str, user_id: str, role: m.TeamRole, remove: bool) -> None:
        from api.admin import set_team

        set_team(self.store, company_id, user_id, role=role, remove=remove)


class ServerUnreachable(StoreUnavailable):
    """No server answers at the URL (so the CLI may open the store itself)."""


_USER = "... on User { id name email role access active }"
_ERRORS = """... on InvalidInput { message errors { field message } }
    ... on NotFoundError { message kind missingId: id } ... on NotAllowed { message }"""
_TOKEN = "id userId name createdAt expiresAt revokedAt state"


class ServerDoor:
    """Administration through a running server's GraphQL API, as an admin."""

    def __init__(self, url: str, token: str, timeout: float = 30.0):
        self.url = url.rstrip("/")
        self.where = f"the server at {self.url}"
        self._token = token
        self._timeout = timeout

    def _call(self, field: str, document: str, variables: dict[str, Any]) -> dict[str, Any]:
        body = json.dumps({"query": document, "variables": variables}).encode()
        request = urllib.request.Request(
            f"{self.url}/graphql", data=body, method="POST",
            headers={"Content-Type": "application/json",
                     "Authorization": f"Bearer {self._token}"})
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:
                answer = json.loads(response.read())
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")
            with suppress(ValueError):
                detail = json.loads(detail).get("detail", detail)
            if exc.code == 401:
                raise PermissionDenied(
                    f"{self.where} refused ACCOUNTGRAPH_ADMIN_TOKEN: {detail}") from None
            raise AccountGraphError(f"{self.where} answered {exc.code}: {detail}") from None
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ServerUnreachable(f"no server answers at {self.url} ({reason})") from None
        if answer.get("errors"):
            raise AccountGraphError(
                f"{self.where}: {answer['errors'][0].get('message', answer['errors'][0])}")
        result: dict[str, Any] = answer["data"][field]
        kind = result.get("__typename")
        if kind == "InvalidInput":
            first = (result.get("errors") or [{}])[0]
            raise ValidationError(result["message"], field=first.get("field"))
        if kind == "NotFoundError":
            raise NotFound(result["kind"], result["missingId"])
        if kind == "NotAllowed":
            raise PermissionDenied(f"{self.where}: {result['message']} "
                                   "(ACCOUNTGRAPH_ADMIN_TOKEN must be an admin's)")
        return result

    def ping(self, location: str | None = None) -> None:
        """Raise ServerUnreachable unless a server answers; check the token is an admin's
        and, given ``location``, that the server serves that store (not another one)."""
        me = self._call("me", "{ me { id access } }", {})
        if me.get("access") != m.Access.ADMIN.name:
            raise PermissionDenied(
                f"ACCOUNTGRAPH_ADMIN_TOKEN signs in {me.get('id')!r}, who is not an admin")
        served = self._call("serverStore", """{ serverStore { __typename
            ... on ServerStore { kind location } ... on NotAllowed { message } } }""", {})
        if location is not None and served.get("location") not in (location, "unknown"):
            raise ConfigError(
                f"{self.where} serves the {served.get('kind')} store {served.get('location')}, "
                f"not {location}, which this command's settings name: point "
                "ACCOUNTGRAPH_API_URL at the server of this store, or ACCOUNTGRAPH_DATA_DIR "
                "(or NEO4J_URI) at the server's store")

    def create_user(self, user: m.User) -> bool:
        data = {"id": user.id, "name": user.name, "email": user.email,
                "role": m.UserRole(user.role).name, "access": m.Access(user.access).name}
        try:
            self._call("createUser", f"""mutation($input: UserInput!) {{
                createUser(input: $input) {{ __typename {_USER} {_ERRORS} }} }}""",
                       {"input": data})
            return True
        except ValidationError as exc:
            if exc.field != "id":
                raise
        # The user exists: the CLI's `users create` updates them, as on the store.
        patch = {k: v for k, v in data.items() if k != "id"}
        self._call("updateUser", f"""mutation($id: ID!, $patch: UserPatch!) {{
            updateUser(id: $id, patch: $patch) {{ __typename {_USER} {_ERRORS} }} }}""",
                   {"id": user.id, "patch": patch})
        return False

    def update_user(self, user_id: str, **changes: Any) -> m.User:
        patch = {k: (v.name if isinstance(v, (m.Access, m.UserRole)) else v)
                 for k, v in changes.items() if v is not None}
        got = self._call("updateUser", f"""mutation($id: ID!, $patch: UserPatch!) {{
            updateUser(id: $id, patch: $patch) {{ __typename {_USER} {_ERRORS} }} }}""",
                         {"id": user_id, "patch": patch})
        return m.User(id=got["id"], name=got["name"], email=got["email"],
                      role=m.UserRole[got["role"]], access=m.Access[got["access"]],
                      active=got["active"])

    def create_token(self, user_id: str, name: str | None,
                     expires_in_days: float | None) -> Issued:
        got = self._call("createToken", f"""mutation($u: ID!, $n: String, $d: Float) {{
            createToken(userId: $u, name: $n, expiresInDays: $d) {{ __typename
              ... on IssuedToken {{ token record {{ {_TOKEN} }} }} {_ERRORS} }} }}""",
                         {"u": user_id, "n": name, "d": expires_in_days})
        record = got["record"]
        expires = record.get("expiresAt")
        return Issued(got["token"], record["id"], record["userId"],
                      datetime.fromisoformat(expires) if expires else None)

    def revoke_token(self, token_id: str) -> m.ApiToken:
        got = self._call("revokeToken", f"""mutation($id: ID!) {{ revokeToken(id: $id) {{
            __typename ... on ApiToken {{ {_TOKEN} }} {_ERRORS} }} }}""", {"id": token_id})
        return m.ApiToken(id=got["id"], user_id=got["userId"], token_hash="-",
                          name=got["name"], created_at=got["createdAt"],
                          expires_at=got["expiresAt"], revoked_at=got["revokedAt"])

    def set_team(self, company_id: str, user_id: str, role: m.TeamRole, remove: bool) -> None:
        self._call("assignTeam", f"""mutation($a: ID!, $u: ID!, $r: TeamRole!, $x: Boolean!) {{
            assignTeam(accountId: $a, userId: $u, role: $r, remove: $x) {{
              __typename ... on Account {{ id }} {_ERRORS} }} }}""",
                   {"a": company_id, "u": user_id, "r": m.TeamRole(role).name, "x": remove})


@contextmanager
def admin_door(settings: Settings | None = None) -> Iterator[AdminDoor]:
    """The server when an admin token is set and a server answers, else the store.

    A store held by a running server (StoreLocked) without a token is one error
    line saying how to send the write through that server instead.
    """
    from graph.stores import describe, open_store

    settings = settings or get_settings()
    if settings.admin_token is not None:
        door = ServerDoor(settings.server_url, settings.admin_token.get_secret_value())
        try:
            door.ping(settings.store_location)
        except ServerUnreachable:
            pass  # nobody serves: the store is ours to open
        else:
            yield door
            return
    try:
        store = open_store(settings)
    except StoreLocked as exc:
        raise StoreLocked(
            f"{exc}: set ACCOUNTGRAPH_ADMIN_TOKEN to an admin's token and this command goes "
            f"to the server at {settings.server_url} (ACCOUNTGRAPH_API_URL if it listens "
            "elsewhere)") from None
    try:
        yield StoreDoor(store, describe(settings))
    finally:
        store.close()

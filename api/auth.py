"""Bearer API tokens: issue, check, list, revoke.

A token looks like ``ag_<token id>_<secret>``. Only ``sha256(secret)`` is stored
(as a :class:`graph.model.ApiToken` node keyed by the token id), so a copy of the
database does not hand out working tokens. A plain fast hash is enough here, unlike
for passwords: the secret is 32 random bytes (256 bits) chosen by us, so there is
no dictionary to try and brute force is out of reach whatever the hash speed; a
slow KDF (scrypt) would only cost every request several milliseconds.

The token id in the clear lets us fetch the one candidate by id instead of
scanning by hash, and the comparison is constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from graph.errors import AccountGraphError, NotFound
from graph.model import Access, ApiToken, User
from graph.store import Store

PREFIX = "ag"
# A verified token is trusted for this long without asking the store again;
# revoking through this process clears it at once (see TokenCache.forget).
CACHE_SECONDS = 10.0


class AuthError(AccountGraphError):
    """The request is not signed in; the message is the one-line reason for the 401."""


@dataclass(frozen=True)
class Viewer:
    """Who is asking: the signed-in user and the token they used."""

    user: User
    token_id: str | None

    @property
    def id(self) -> str:
        return self.user.id

    @property
    def access(self) -> Access:
        return Access(self.user.access)

    @property
    def is_admin(self) -> bool:
        return self.access is Access.ADMIN


def now() -> datetime:
    return datetime.now(UTC)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    store: Store, user_id: str, *, name: str | None = None, expires_in_days: float | None = None
) -> tuple[str, ApiToken]:
    """Issue a token for a user; returns the plaintext (shown once) and the stored record."""
    user = store.get("user", user_id)
    if user is None:
        raise NotFound("user", user_id)
    token_id = "tok-" + secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    created = now()
    record = ApiToken(
        id=token_id,
        user_id=user_id,
        token_hash=hash_secret(secret),
        name=name,
        created_at=created,
        expires_at=created + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    report = store.upsert("api_token", [record])
    if report.rejected:
        raise AccountGraphError(f"could not store token: {report.rejected[0]}")
    return f"{PREFIX}_{token_id}_{secret}", record


def list_tokens(store: Store, user_id: str | None = None) -> list[ApiToken]:
    """Every token (of one user), newest first; never the secrets."""
    filters = {"user_id": user_id} if user_id else None
    out: list[ApiToken] = []
    after = None
    while True:
        page = store.list("api_token", filters, after=after, limit=500)
        out.extend(t for t in page.items if isinstance(t, ApiToken))
        if page.next_cursor is None:
            break
        after = page.next_cursor
    return sorted(out, key=lambda t: t.created_at, reverse=True)


def revoke_token(store: Store, token_id: str) -> ApiToken:
    """Mark a token revoked (kept, so the listing shows when)."""
    token = store.get("api_token", token_id)
    if not isinstance(token, ApiToken):
        raise NotFound("api_token", token_id)
    if token.revoked_at is None:
        token = token.model_copy(update={"revoked_at": now()})
        store.upsert("api_token", [token])
    TOKEN_CACHE.forget(token_id)
    return token


def parse_authorization(header: str | None) -> str:
    """The token in an ``Authorization: Bearer ...`` header, or AuthError why not."""
    if not header:
        raise AuthError(
            "no token: send 'Authorization: Bearer <token>' "
            "(create one with 'accountgraph tokens create USER_ID')"
        )
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError("the Authorization header must be 'Bearer <token>'")
    return token.strip()


def authenticate(store: Store, token: str) -> Viewer:
    """The viewer a token stands for, or AuthError with the reason it does not work."""
    cached = TOKEN_CACHE.get(token)
    if cached is not None:
        return cached
    prefix, _, rest = token.partition("_")
    token_id, _, secret = rest.partition("_")  # ids have no "_"; secrets may
    if prefix != PREFIX or not token_id.startswith("tok-") or not secret:
        raise AuthError("malformed token: expected ag_tok-..._...")
    record = store.get("api_token", token_id)
    if not isinstance(record, ApiToken) or not hmac.compare_digest(
        record.token_hash, hash_secret(secret)
    ):
        raise AuthError("unknown token")
    if record.revoked_at is not None:
        raise AuthError(f"token {token_id} was revoked at {record.revoked_at:%Y-%m-%d %H:%M} UTC")
    if record.expires_at is not None and record.expires_at <= now():
        raise AuthError(f"token {token_id} expired at {record.expires_at:%Y-%m-%d %H:%M} UTC")
    user = store.get("user", record.user_id)
    if not isinstance(user, User):
        raise AuthError(f"the user of token {token_id} no longer exists")
    if not user.active:
        raise AuthError(f"user {user.id} is inactive")
    viewer = Viewer(user=user, token_id=token_id)
    TOKEN_CACHE.put(token, viewer, record.expires_at)
    return viewer


class TokenCache:
    """Verified tokens, briefly, so every request does not cost two store reads."""

    def __init__(self, seconds: float = CACHE_SECONDS):
        self.seconds = seconds
        self._lock = threading.Lock()
        self._items: dict[str, tuple[float, Viewer]] = {}

    def get(self, token: str) -> Viewer | None:
        with self._lock:
            hit = self._items.get(token)
            if hit is None:
                return None
            if hit[0] < time.monotonic():
                del self._items[token]
                return None
            return hit[1]

    def put(self, token: str, viewer: Viewer, expires_at: datetime | None) -> None:
        deadline = time.monotonic() + self.seconds
        if expires_at is not None:
            deadline = min(deadline, time.monotonic() + (expires_at - now()).total_seconds())
        with self._lock:
            if len(self._items) > 10_000:
                self._items.clear()
            self._items[token] = (deadline, viewer)

    def forget(self, token_id: str | None = None, user_id: str | None = None) -> None:
        everything = token_id is None and user_id is None
        with self._lock:
            for k, (_, v) in list(self._items.items()):
                if everything or v.token_id == token_id or v.id == user_id:
                    del self._items[k]


TOKEN_CACHE = TokenCache()

"""Administration in GraphQL: users, their tokens, team membership (admins only).

So an admin never has to stop the server to revoke a leaked token or deactivate
someone who left: a revocation here is refused at the very next request (the
token cache is dropped in :mod:`api.admin`). The CLI sends its writes here when
a running server holds the embedded store (:mod:`api.commands.admin_door`).
Team membership is ``assignTeam`` (owners and admins), in mutations.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.types.unset import UNSET

from api import admin
from api.auth import now
from api.schema.context import Context
from api.schema.enums import Access, UserRole
from api.schema.errors import InvalidInput, NotAllowed, NotFoundError, expected_errors
from api.schema.types import Ctx, User
from api.schema.validation import Problems, check_id, id_problem
from graph import model as m
from graph.errors import PermissionDenied, ValidationError


def _admin(ctx: Context, what: str) -> None:
    if not ctx.viewer.is_admin:
        raise PermissionDenied(f"only admins may {what}")


@strawberry.type(description="An API token, never its secret.")
class ApiToken:
    id: strawberry.ID
    user_id: strawberry.ID
    name: str | None
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    state: str = strawberry.field(description="active, revoked or expired")

    @classmethod
    def of(cls, t: m.ApiToken) -> ApiToken:
        return cls(id=strawberry.ID(t.id), user_id=strawberry.ID(t.user_id), name=t.name,
                   created_at=t.created_at, expires_at=t.expires_at, revoked_at=t.revoked_at,
                   state=admin.token_state(t, now()))


@strawberry.type
class ApiTokenList:
    items: list[ApiToken]


@strawberry.type(description="The store this server serves (the CLI checks it is its own).")
class ServerStore:
    kind: str
    location: str


@strawberry.type(description="A new token: the secret is shown here once and stored hashed.")
class IssuedToken:
    token: str
    record: ApiToken


@strawberry.input
class UserInput:
    id: strawberry.ID
    name: str
    email: str | None = None
    role: UserRole = m.UserRole.ACCOUNT_MANAGER
    access: Access = m.Access.MEMBER


@strawberry.input(description="Only the fields given change.")
class UserPatch:
    name: str | None = UNSET
    email: str | None = UNSET
    role: UserRole | None = UNSET
    access: Access | None = UNSET
    active: bool | None = UNSET


Errors = InvalidInput | NotFoundError | NotAllowed
UserResult = Annotated[User | Errors, strawberry.union("UserResult")]
ApiTokenResult = Annotated[ApiToken | Errors, strawberry.union("ApiTokenResult")]
IssuedTokenResult = Annotated[IssuedToken | Errors, strawberry.union("IssuedTokenResult")]
ApiTokensResult = Annotated[ApiTokenList | NotAllowed, strawberry.union("ApiTokensResult")]
ServerStoreResult = Annotated[ServerStore | NotAllowed, strawberry.union("ServerStoreResult")]


@strawberry.type
class AdminQuery:
    @strawberry.field(description="Admins: API tokens (of one user), newest first.")
    @expected_errors
    async def api_tokens(self, info: Ctx, user_id: strawberry.ID | None = None) -> ApiTokensResult:
        ctx = info.context
        _admin(ctx, "list tokens")
        user = check_id(str(user_id), "userId") if user_id else None
        return ApiTokenList(items=[ApiToken.of(t) for t in admin.list_tokens(ctx.store, user)])

    @strawberry.field(description="Admins: which store this server serves, and where.")
    @expected_errors
    async def server_store(self, info: Ctx) -> ServerStoreResult:
        ctx = info.context
        _admin(ctx, "see where the store is")
        settings = ctx.settings
        if settings is None:
            return ServerStore(kind="unknown", location="unknown")
        return ServerStore(kind=str(settings.store), location=settings.store_location)


@strawberry.type
class AdminMutation:
    @strawberry.mutation
    @expected_errors
    async def create_user(self, info: Ctx, input: UserInput) -> UserResult:
        ctx = info.context
        _admin(ctx, "create users")
        # Every invalid field at once, a taken id among them (issue 18, item 5).
        p = Problems()
        user = p.model(m.User, vars(input))
        if id_problem(str(input.id)) is None and ctx.store.get("user", str(input.id)):
            p.add("id", f"a user with id {str(input.id)!r} exists; use updateUser")
        p.check()
        assert user is not None
        admin.create_user(ctx.store, user)
        return User.of(user.model_dump())

    @strawberry.mutation(description="Admins: change a user (active: false deactivates).")
    @expected_errors
    async def update_user(self, info: Ctx, id: strawberry.ID, patch: UserPatch) -> UserResult:
        ctx = info.context
        _admin(ctx, "change users")
        changes = {k: v for k, v in vars(patch).items() if v is not UNSET and v is not None}
        user = admin.update_user(ctx.store, check_id(str(id)), **changes)
        return User.of(user.model_dump())

    @strawberry.mutation(description="Admins: a user who left; their tokens stop at once.")
    @expected_errors
    async def deactivate_user(self, info: Ctx, id: strawberry.ID) -> UserResult:
        ctx = info.context
        _admin(ctx, "deactivate users")
        if str(id) == ctx.viewer.id:
            raise ValidationError("you cannot deactivate yourself; ask another admin", field="id")
        user = admin.update_user(ctx.store, check_id(str(id)), active=False)
        return User.of(user.model_dump())

    @strawberry.mutation(description="Admins: issue a token for a user (shown once).")
    @expected_errors
    async def create_token(self, info: Ctx, user_id: strawberry.ID, name: str | None = None,
                           expires_in_days: float | None = None) -> IssuedTokenResult:
        ctx = info.context
        _admin(ctx, "issue tokens")
        if expires_in_days is not None and not expires_in_days > 0:
            raise ValidationError("must be more than 0 days", field="expiresInDays")
        admin.user_of(ctx.store, check_id(str(user_id), "userId"))
        plain, record = admin.create_token(ctx.store, str(user_id), name=name,
                                           expires_in_days=expires_in_days)
        return IssuedToken(token=plain, record=ApiToken.of(record))

    @strawberry.mutation(description="Admins: revoke a token; refused from the next request on.")
    @expected_errors
    async def revoke_token(self, info: Ctx, id: strawberry.ID) -> ApiTokenResult:
        ctx = info.context
        _admin(ctx, "revoke tokens")
        return ApiToken.of(admin.revoke_token(ctx.store, check_id(str(id))))

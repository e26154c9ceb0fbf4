"""The privacy suite: every door, every identity, random canaries (DOMAIN.md, Privacy).

The world is :mod:`tests.integration.privacy_world`: Xena's direct email and
phone and two personal items are random strings; ``MAY_SEE`` are the admin and
her current account's team, everyone else (her former account's team, another
team, an analyst on another team, an ex-member, no token) may not see them.

Two promises are checked on every door:

* no canary reaches anyone who may not see it (bodies, headers, errors);
* every canary shown to someone who may see it left an audit row naming that
  user, Xena, the field and the door, written by that very request.

A door is a GraphQL document, an HTTP route or a command (``--as``). A new
route, or a new field in the GraphQL schema, fails
:func:`test_every_route_and_graphql_field_is_a_door` until a door here uses it
(or, for a route that cannot carry personal data, it is listed in
``NO_PERSONAL_DATA`` with the reason).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from graphql import TypeInfo, TypeInfoVisitor, Visitor, parse, visit

from graph.settings import Settings
from graph.store import Store
from tests.integration.privacy_world import MAY_NOT_SEE, MAY_SEE, XENA, World, serve


@pytest.fixture
def world(store: Store, tmp_path: Path) -> Iterator[World]:
    yield from serve(store, tmp_path)


# -- the doors -------------------------------------------------------------------------

CONTACT_FIELDS = """id name title seniority status departmentId companyId email phone
    redactedFields profileItems { id key value redacted visibility enteredBy enteredAt }"""

GRAPHQL: dict[str, str] = {
    "contact": f"""{{ contact(id: "{XENA}") {{ {CONTACT_FIELDS}
        company {{ id name }} department {{ id function name contactCount }}
        category {{ primary secondary reasons entered enteredBy inferred }} strength
        touchpoints {{ id type at direction outcome campaign subject contactIds userIds }}
        colleagues(first: 10) {{ totalCount pageInfo {{ endCursor hasNextPage }}
                                items {{ {CONTACT_FIELDS} }} }}
        directReports {{ {CONTACT_FIELDS} }} }} }}""",
    "reporting line from Globex": f"""{{ contact(id: "c-gus") {{
        reportsTo {{ {CONTACT_FIELDS} }} reportingLine {{ {CONTACT_FIELDS} }} }} }}""",
    "account views": """query($id: ID!) { account(id: $id) {
        id name domain industry sizeBand revenueBand region lifecycle target canSeePersonal
        departments { id function name contactCount }
        contacts(first: 50) { totalCount items { id email phone redactedFields
            profileItems { key value redacted } } }
        touchpoints(first: 50) { totalCount pageInfo { hasNextPage }
            items { id subject contactIds } }
        opportunities { id name amount stage closeDate contactIds won }
        team { user { id name email role access active } role }
        ownershipHistory { user { id } since until } owner { id }
        readings { status reasons notes unknown missing
          mix { total categories { category count ratio } }
          breadth { departmentsKnown departmentsCovered departmentCoverage categoriesEngaged
            senioritiesReached liveRelationships liveContacts executivesEngaged executivesLive
            contacts engagedContacts unknown reasons }
          whitespace { emptyDepartments unengagedDepartments missingCategories
            departmentCategories { department counts { name count } }
            grid { department counts { name count } } gaps { department seniority }
            unknown reasons }
          keyPeople { central { key name kind betweenness weight links reasons }
            singlePoints { key name kind cuts reasons } unreachable engine reasons }
          jobChanges { contactId name direction on otherCompanyId categories strength risk
            opening reasons } } } }""",
    "contacts filtered by a personal value": """query($id: ID!, $v: String) {
        account(id: $id) { contacts(profile: {key: "family", value: $v}) {
            totalCount items { id } } } }""",
    "search by email": """query($q: String!) { search(text: $q) { totalCount complete
        pageInfo { endCursor hasNextPage } items {
        __typename ... on Contact { id email phone profileItems { value } }
        ... on Account { id name } } } }""",
    "search by name": """{ search(text: "xena") { items { ... on Contact { id email phone
        profileItems { value } } } } }""",
    "contacts across accounts": f"""{{ contacts(first: 50, sort: STRENGTH,
        filter: {{status: null, account: {{text: "a"}}}}) {{ totalCount
        items {{ {CONTACT_FIELDS} }} }}
        byReading: accounts(sort: LAST_TOUCH, first: 10) {{ totalCount items {{ id }} }} }}""",
    "influence paths": f"""{{ influencePaths(contactId: "{XENA}", k: 3) {{ targetId targetName
        complete reasons paths {{ strength hops {{ fromKey fromName toKey toName strength
        evidence }} }} }} }}""",
    "me, users, accounts": """{ me { id name } users(first: 50) { totalCount
        pageInfo { endCursor hasNextPage } items { id name email } }
        accounts(first: 10, filter: {text: "a"}) { totalCount pageInfo { endCursor }
        items { id name } } }""",
    "audit trail": f"""{{ auditEvents(contactId: "{XENA}", first: 50) {{ totalCount
        pageInfo {{ hasNextPage }}
        items {{ id at userId contactId field action door requestId }} }} }}""",
    "database readings": """{ databaseReadings {
        ... on NotAllowed { message }
        ... on DatabaseReadings { accounts computedAt categories
          mix(by: INDUSTRY) { segment accounts contacts categories { category count ratio } }
          concentration(top: 5) { accounts contacts top { companyId name contacts share target }
            shareTop10 shareTop1Pct shareTop10Pct hhi thinTargetCount
            thinTargets { companyId } reasons }
          purchasePlan(accounts: {target: null}) { accountCount targetMix { category count }
            byCategory { category count } contactsToBuy pricePerContact totalCost reasons
            accounts { companyId name have { category count } buy { category count }
                       engage { category count } contactsToBuy cost reasons } }
          revenueTriggers(minSupport: 1, includePersonal: true) { cases wins baseRate minSupport
            confidence intervalConfidence personalIncluded rankedCount unrankedCount reasons
            adjusted
            ranked { feature kind value support winsWith winRateWith winRateWithout lift
              difference differenceInterval { low high } winRateInterval { low high }
              ranked significant direction adjustedOddsRatio adjustedInterval { low high }
              explainedBy reasons }
            unranked { feature value } }
          classificationAgreement(folds: 2) { contacts folds weightsFrom leftOut notes
            classification { name accuracy macroF1 correct total }
            majority { name accuracy macroF1 correct total }
            titleOnly { name accuracy macroF1 correct total }
            confusion { entered read contacts } } } } }""",
    "tokens": """{ apiTokens { __typename ... on ApiTokenList { items { id userId name
        createdAt expiresAt revokedAt state } } ... on NotAllowed { message } }
        serverStore { __typename ... on ServerStore { kind location }
        ... on NotAllowed { message } } }""",
    "errors naming the contact": f"""{{ contact(id: "{XENA}") {{ colleagues(first: 5000) {{
        totalCount }} }} account(id: "no-such") {{ id }} }}""",
}

# Mutations: run by everyone who may not see (refused, or allowed without showing
# anything); the destructive ones are left out of the audit walk of those who may.
MUTATIONS: dict[str, str] = {
    "update contact": f"""mutation {{ updateContact(id: "{XENA}", patch: {{title: "VP Ops"}}) {{
        __typename ... on Contact {{ {CONTACT_FIELDS} }}
        ... on InvalidInput {{ message errors {{ field message }} }}
        ... on NotAllowed {{ message }} ... on NotFoundError {{ message kind id }} }} }}""",
    "move contact": f"""mutation {{ updateContact(id: "{XENA}", patch: {{companyId: "initech"}})
        {{ __typename ... on Contact {{ email profileItems {{ value }} }}
        ... on NotAllowed {{ message }} }} }}""",
    "create contact": """mutation { createContact(input: {id: "c-new", companyId: "initech",
        name: "New Person", email: "new@initech.example"}) { __typename
        ... on Contact { id email } ... on NotAllowed { message } ... on InvalidInput { message } }
        createCompany(input: {id: "newco", name: "NewCo"}) { __typename ... on Account { id }
        ... on NotAllowed { message } ... on InvalidInput { message } }
        updateCompany(id: "initech", patch: {region: "NA"}) { __typename
        ... on Account { id } } }""",
    "record touchpoint with her": f"""mutation {{ recordTouchpoint(input: {{companyId: "initech",
        type: CALL, at: "2026-04-01T10:00:00Z", contactIds: ["{XENA}"], id: "tp-suite"}}) {{
        __typename ... on Touchpoint {{ id contactIds }} ... on NotAllowed {{ message }} }} }}""",
    "profile items": f"""mutation {{ addProfileItem(input: {{contactId: "{XENA}", key: "note",
        value: "suite note"}}) {{ __typename ... on ProfileItem {{ id value }}
        ... on NotAllowed {{ message }} }} }}""",
    "links": f"""mutation {{ setReportsTo(contactId: "c-ian", managerId: "{XENA}") {{
        __typename ... on Contact {{ reportsTo {{ email phone profileItems {{ value }} }} }}
        ... on NotAllowed {{ message }} }}
        setKnows(sourceId: "c-ian", targetId: "{XENA}", strength: 0.4) {{ __typename
        ... on Knows {{ sourceId targetId strength origin }}
        ... on NotAllowed {{ message }} }} }}""",
}
DESTRUCTIVE: dict[str, str] = {
    "team and handover": """mutation { assignTeam(accountId: "acme", userId: "u-mo") {
        __typename ... on Account { id } ... on NotAllowed { message } }
        handOver(accountId: "acme", toUserId: "u-mo") { __typename ... on Account { id }
        ... on NotAllowed { message } } }""",
    "remove profile item": """mutation { removeProfileItem(id: "pi-x-family") { __typename
        ... on Removed { id } ... on NotAllowed { message } } }""",
    "create user": """mutation { createUser(input: {id: "u-new", name: "New"}) { __typename
        ... on User { id } ... on NotAllowed { message } } }""",
    "administration": """mutation { createToken(userId: "u-mo", name: "suite") { __typename
        ... on IssuedToken { token record { id userId name createdAt expiresAt revokedAt state } }
        ... on NotAllowed { message } }
        revokeToken(id: "tok-0000000000000000") { __typename ... on ApiToken { id }
        ... on NotAllowed { message } }
        updateUser(id: "u-gone", patch: {name: "Gone"}) { __typename ... on User { id }
        ... on NotAllowed { message } }
        deactivateUser(id: "u-gone") { __typename ... on User { id }
        ... on NotAllowed { message } } }""",
    "erase": f"""mutation {{ eraseContactPersonalData(contactId: "{XENA}") {{ __typename
        ... on Erasure {{ contactId profileItemsRemoved fieldsCleared }}
        ... on NotAllowed {{ message }} }} }}""",
}

ACCOUNTS = ("acme", "globex", "initech")

#: (method, path) of every route, and the requests that use it.
ROUTES: dict[tuple[str, str], list[str]] = {
    ("GET", "/accounts/{company_id}/map"): [
        *(f"/accounts/{a}/map" for a in ACCOUNTS), f"/accounts/initech/map?to={XENA}"],
    ("GET", "/accounts/{company_id}/brief"): [f"/accounts/{a}/brief" for a in ACCOUNTS],
    ("GET", "/accounts/{company_id}/export"): [
        f"/accounts/{a}/export?format={f}" for a in ACCOUNTS for f in ("json", "graphml", "csv")],
    ("GET", "/"): ["/", "/?q=xena", "/?q=x&sort=status&desc=1", "/?status=at_risk&page=2"],
    ("GET", "/signin"): ["/signin?next=/accounts/acme/brief"],
    ("GET", "/graphql"): ["/graphql"],
    ("POST", "/graphql"): [],  # every GraphQL door
}
#: Routes that hand out no data about anyone, and why.
NO_PERSONAL_DATA: dict[tuple[str, str], str] = {
    ("POST", "/signin"): "takes a token, answers with a redirect or the sign-in form",
    ("POST", "/signout"): "forgets the cookie",
    ("GET", "/admin"): "admins only: our users and their tokens, no contact's data",
    ("POST", "/admin/users/{user_id}/{action}"): "admins only: (de)activates one of our users",
    ("POST", "/admin/tokens"): "admins only: issues a token",
    ("POST", "/admin/tokens/{token_id}/revoke"): "admins only: revokes a token",
    ("POST", "/admin/teams"): "admins only: team membership, answered with the admin page",
    ("GET", "/healthz"): "a fixed answer",
    ("GET", "/favicon.ico"): "the site's icon",
    ("GET", "/readyz"): "whether the store answers",
    ("GET", "/openapi.json"): "the API's description",
    ("GET", "/docs"): "the API's description",
    ("GET", "/docs/oauth2-redirect"): "a fixed page of FastAPI's",
    ("MOUNT", "/static/vendor"): "GraphiQL's page files, from the package",
    ("WEBSOCKET", "/graphql"): "subscriptions: the schema has none",
}


@dataclass
class Door:
    name: str
    audit_door: str  # the door its audit rows name
    run: Callable[[World, str], str]
    destructive: bool = False


def _graphql(name: str, doc: str, *, destructive: bool = False) -> list[Door]:
    accounts = ACCOUNTS if "$id" in doc else (None,)
    doors = []
    for account in accounts:
        def run(w: World, who: str, doc: str = doc, account: str | None = account) -> str:
            variables = {"id": account, "q": w.canaries.email.split("@")[0],
                         "v": w.canaries.family}
            return w.gql(who, doc, {k: v for k, v in variables.items() if f"${k}" in doc})
        doors.append(Door(f"graphql {name}" + (f" ({account})" if account else ""), "graphql",
                          run, destructive))
    return doors


def _http(path: str) -> Door:
    door = "export" if "/export" in path else "map" if "/map" in path else "brief"
    return Door(f"GET {path}", door, lambda w, who: w.get(who, path))


def _cli(kind: str, account: str) -> Door:
    def run(w: World, who: str) -> str:
        from api.commands.brief import brief_text
        from api.commands.export import export_as
        from api.commands.map import load_account, map_html

        user = None if who == "anon" else f"u-{who}"
        if kind == "export":
            if user is None:
                return ""  # --as is required
            return "".join(export_as(w.store, account, user, "json"))
        a = load_account(w.store, account, user, settings=Settings(data_dir=w.tmp))
        return map_html(a)[0] if kind == "map" else brief_text(a)

    return Door(f"cli {kind} {account} --as", "cli-export" if kind == "export" else "cli", run)


def doors() -> list[Door]:
    out = [d for name, doc in {**GRAPHQL, **MUTATIONS}.items() for d in _graphql(name, doc)]
    out += [d for name, doc in DESTRUCTIVE.items()
            for d in _graphql(name, doc, destructive=True)]
    out += [_http(p) for paths in ROUTES.values() for p in paths if p != "/graphql"]
    out.append(Door("GET /graphql (GraphiQL)", "graphql", lambda w, who: w.get(who, "/graphql")))
    out += [_cli(kind, a) for kind in ("map", "brief", "export") for a in ACCOUNTS]
    return out


# -- the promises ------------------------------------------------------------------------


def test_no_canary_reaches_anyone_who_may_not_see_it(world: World) -> None:
    leaks = []
    for who in MAY_NOT_SEE:
        for door in doors():
            found = world.canaries.found_in(door.run(world, who))
            if found:
                leaks.append(f"{who} via {door.name}: {sorted(found)}")
    assert leaks == []


def test_every_personal_read_is_audited(world: World) -> None:
    missing, shown = [], set()
    for who in sorted(MAY_SEE):
        for door in doors():
            if door.destructive:
                continue
            before = {e.id for e in world.audit()}
            found = world.canaries.found_in(door.run(world, who))
            shown |= set(found)
            rows = {(e.user_id, e.contact_id, e.field, e.door) for e in world.audit()
                    if e.id not in before}
            for field in found:
                if (f"u-{who}", XENA, field, door.audit_door) not in rows:
                    missing.append(f"{who} read {field} via {door.name} unaudited")
    assert missing == []
    # The walk did show every kind of personal value to those who may see it.
    assert shown == set(world.canaries.personal)


def test_search_and_filters_are_no_oracle(world: World) -> None:
    by_email = GRAPHQL["search by email"]
    local = world.canaries.email.split("@")[0]
    for who in MAY_NOT_SEE:
        assert XENA not in world.gql(who, by_email, {"q": local}), who
    assert XENA in world.gql("amy", by_email, {"q": local})
    filtered = GRAPHQL["contacts filtered by a personal value"]

    def body(who: str, guess: str) -> str:
        r = world.client.post("/graphql", headers=world.headers(who), json={
            "query": filtered, "variables": {"id": "acme", "v": guess}})
        return f"{r.status_code} {r.text}"

    for who in MAY_NOT_SEE:
        # Guessing her family right and guessing wrong look the same.
        assert body(who, world.canaries.family) == body(who, "not-her-family"), who
    assert XENA in body("amy", world.canaries.family)


def test_hidden_email_and_phone_say_that_they_exist(world: World) -> None:
    q = f'{{ contact(id: "{XENA}") {{ email phone redactedFields }} }}'
    assert '"email":null,"phone":null,"redactedFields":["email","phone"]' in world.gql("fay", q)
    assert f'"email":"{world.canaries.email}"' in world.gql("amy", q)
    assert '"redactedFields":[]' in world.gql("amy", q)


def _routes(app: object) -> set[tuple[str, str]]:
    """(method, path) of every route the app answers, through included routers."""
    out: set[tuple[str, str]] = set()
    for route in getattr(app, "routes", []):
        contexts = getattr(route, "effective_route_contexts", None)
        if contexts is not None:
            prefix = getattr(getattr(route, "include_context", None), "prefix", "")
            for ctx in contexts() if callable(contexts) else contexts:
                methods = getattr(ctx, "methods", None) or {"WEBSOCKET"}
                path = ctx.path or prefix + getattr(ctx.original_route, "path", "")
                out |= {(m, path) for m in methods if m != "HEAD"}
        elif getattr(route, "methods", None):
            out |= {(m, route.path) for m in route.methods if m != "HEAD"}  # type: ignore[attr-defined]
        else:
            out.add(("MOUNT", getattr(route, "path", repr(route))))
    return out


def _fields_used(schema: object, documents: list[str]) -> set[str]:
    info = TypeInfo(schema)  # type: ignore[arg-type]
    used: set[str] = set()

    class Fields(Visitor):
        def enter_field(self, node: object, *_: object) -> None:
            parent = info.get_parent_type()
            if parent is not None:
                used.add(f"{parent.name}.{node.name.value}")  # type: ignore[attr-defined]

    for doc in documents:
        visit(parse(doc), TypeInfoVisitor(info, Fields()))
    return used


def test_every_route_and_graphql_field_is_a_door(world: World) -> None:
    from graphql import GraphQLObjectType

    from api.schema import build_schema

    app = world.client.app
    uncovered = _routes(app) - set(ROUTES) - set(NO_PERSONAL_DATA)
    assert uncovered == set(), (
        "new routes: add each to ROUTES (with requests that use it) or NO_PERSONAL_DATA "
        "(with why) in tests/integration/test_privacy_suite.py")
    schema = build_schema()._schema
    every = {f"{name}.{field}" for name, t in schema.type_map.items()
             if isinstance(t, GraphQLObjectType) and not name.startswith("__")
             for field in t.fields}
    used = _fields_used(schema, [*GRAPHQL.values(), *MUTATIONS.values(), *DESTRUCTIVE.values()])
    assert every - used == set(), (
        "GraphQL fields no privacy door asks for: use each in a document of GRAPHQL, "
        "MUTATIONS or DESTRUCTIVE in tests/integration/test_privacy_suite.py")

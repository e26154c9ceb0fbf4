"""The admin page: users, tokens and teams in a browser, admins only (issue 18.2)."""

from __future__ import annotations

import re

from api.deps import COOKIE
from tests.unit.api.conftest import Api


def _open(api: Api, who: str) -> tuple[int, str]:
    api.client.cookies.set(COOKIE, api.tokens[who])
    r = api.client.get("/admin")
    return r.status_code, r.text


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert found
    return found.group(1)


def _me(api: Api, token: str) -> int:
    return api.client.post("/graphql", json={"query": "{ me { id } }"},
                           headers={"Authorization": f"Bearer {token}"}).status_code


def test_only_admins_open_it(api: Api) -> None:
    for who in ("ann", "amy"):
        assert _open(api, who)[0] == 403
    code, page = _open(api, "ada")
    assert code == 200 and "u-oscar" in page and "revoke" in page


def test_revoke_from_the_page_is_refused_at_once(api: Api) -> None:
    _, page = _open(api, "ada")
    oscar = api.tokens["oscar"]
    assert _me(api, oscar) == 200
    r = api.client.post(f"/admin/tokens/{oscar.split('_')[1]}/revoke",
                        data={"csrf": _csrf(page)})
    assert r.status_code == 200 and "revoked" in r.text
    assert _me(api, oscar) == 401


def test_issue_a_token_and_put_someone_on_a_team(api: Api) -> None:
    _, page = _open(api, "ada")
    r = api.client.post("/admin/tokens", data={"csrf": _csrf(page), "user_id": "u-cara"})
    token = re.search(r"(ag_tok-[0-9a-f]+_[\w-]+)", r.text)
    assert token and _me(api, token.group(1)) == 200
    r = api.client.post("/admin/teams", data={"csrf": _csrf(page), "account_id": "acme",
                                              "user_id": "u-cara", "role": "sales_rep"})
    assert r.status_code == 200 and "u-cara is on the team of acme" in r.text
    team = api.gql("ada", '{ account(id: "acme") { team { user { id } role } } }')
    assert {"user": {"id": "u-cara"}, "role": "SALES_REP"} in team["data"]["account"]["team"]
    r = api.client.post("/admin/teams", data={"csrf": _csrf(page), "account_id": "nope",
                                              "user_id": "u-cara"})
    assert r.status_code == 422 and "no company with id &#39;nope&#39;" in r.text


def test_a_form_from_elsewhere_does_nothing(api: Api) -> None:
    _, page = _open(api, "ada")
    oscar = api.tokens["oscar"]
    no_csrf = api.client.post("/admin/users/u-oscar/deactivate", data={})
    other_site = api.client.post("/admin/users/u-oscar/deactivate",
                                 data={"csrf": _csrf(page)},
                                 headers={"Origin": "https://evil.example"})
    assert no_csrf.status_code == 403 and other_site.status_code == 403
    assert _me(api, oscar) == 200
    r = api.client.post("/admin/users/u-oscar/deactivate", data={"csrf": _csrf(page)})
    assert r.status_code == 200 and _me(api, oscar) == 401

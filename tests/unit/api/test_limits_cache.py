"""A query seen before is not validated again (limits included): the cache must hit."""

from __future__ import annotations

from strawberry.extensions.validation_cache import _get_validate_cache

from tests.unit.api.conftest import Api


def test_a_repeated_query_is_validated_once(api: Api) -> None:
    info = _get_validate_cache(256).cache_info
    query = "{ me { id name } } # test_a_repeated_query_is_validated_once"
    api.gql("ann", query)
    before = info()
    again = api.gql("oscar", query)
    assert again["data"]["me"]["id"] == "u-oscar"
    after = info()
    assert (after.hits, after.misses) == (before.hits + 1, before.misses)


def test_limits_still_refuse_a_cached_query(api: Api) -> None:
    deep = "{ contact(id: \"c-bob\") { " + "reportsTo { " * 10 + "id" + " }" * 12
    for _ in range(2):  # the second answer comes from the cache, and must refuse too
        errors = api.gql("ann", deep)["errors"]
        assert "exceeds maximum operation depth of 10" in errors[0]["message"]

"""The read path's caches (docs/api.md, "Response cache"): whole GraphQL responses and the bearer
token -> user answers. A response never crosses tenants, users or permission scopes; a committed
write is visible to the next read; a revoked token, a deactivated user or a suspended tenant is
refused on the very next request; with Redis down every answer still comes from PostgreSQL."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from saas.graphql.response_cache import HEADER
from tests.catalog.graphql.test_products_write import CREATE, UPDATE, new_product
from tests.catalog.test_selectors import DEAD_REDIS
from tests.support import error_codes, issue_token, marker

pytestmark = pytest.mark.django_db

PAGE = "query Page { products(first: 10) { totalCount edges { node { id name price } } } }"
ME_AND_PAGE = "query { me { email } products(first: 1) { totalCount } }"


def post(client, schema: str, query: str, token: str | None = None, variables: dict | None = None, **body):
    headers = {"HTTP_HOST": f"{schema}.localhost"}
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    payload = {"query": query, "variables": variables or {}, **body}
    return client.post("/graphql/", data=json.dumps(payload), content_type="application/json", **headers)


def read(client, schema, query, token=None, variables=None, **body) -> tuple[dict, str | None]:
    response = post(client, schema, query, token, variables, **body)
    return response.json(), response.get(HEADER)


def test_a_repeated_read_is_a_hit_that_runs_no_sql(client, catalog):
    token = issue_token("acme", "member")
    first, state = read(client, "acme", PAGE, token)
    assert state == "miss"
    with CaptureQueriesContext(connection) as captured:
        second, state = read(client, "acme", PAGE, token)
    assert state == "hit"
    assert second == first
    assert captured.captured_queries == []


def test_hits_never_cross_tenants(client, catalog):
    """The same document on both hosts: each answers its own rows, also once both are cached."""
    tokens = {schema: issue_token(schema, "member") for schema in ("acme", "beta")}
    for _ in range(2):
        answers = {schema: read(client, schema, PAGE, tokens[schema]) for schema in ("acme", "beta")}
    assert [state for _, state in answers.values()] == ["hit", "hit"]
    assert marker("acme") in str(answers["acme"][0]) and marker("beta") not in str(answers["acme"][0])
    assert marker("beta") in str(answers["beta"][0]) and marker("acme") not in str(answers["beta"][0])


def test_hits_never_cross_permission_scopes(client, catalog):
    """A page cached for a member is not served to an anonymous caller, nor reused for staff."""
    read(client, "acme", PAGE, issue_token("acme", "member"))
    anonymous, state = read(client, "acme", PAGE)
    assert error_codes(anonymous) == ["UNAUTHENTICATED"] and state is None
    staff, state = read(client, "acme", PAGE, issue_token("acme", "owner"))
    assert state == "miss"
    assert staff["data"]["products"]["totalCount"] == 3


def test_private_fields_bypass_the_cache(client, catalog):
    """A document asking for `me` is answered per user, never stored or served from the cache."""
    answers = []
    for role in ("member", "owner", "member"):
        body, state = read(client, "acme", ME_AND_PAGE, issue_token("acme", role))
        assert state is None
        answers.append(body["data"]["me"]["email"])
    assert answers == ["member@acme.test", "owner@acme.test", "member@acme.test"]


def test_mutations_are_never_cached(client, catalog, django_capture_on_commit_callbacks):
    token = issue_token("acme", "owner")
    for index in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            body, state = read(client, "acme", CREATE, token, {"input": new_product(sku=f"MUT-{index}")})
        assert state is None
        assert body["data"]["createProduct"]["sku"] == f"MUT-{index}"


def test_spellings_of_one_document_share_an_entry_but_string_values_do_not(client, catalog):
    """Whitespace and comments do not matter; a different string literal or variable does."""
    token = issue_token("acme", "member")
    read(client, "acme", PAGE, token)
    respelled = (
        "# the first page\nquery Page {\n  products(first: 10) {\n totalCount edges { node { id name price } } } }"
    )
    assert read(client, "acme", respelled, token)[1] == "hit"
    one_space = '{ products(filters: {name: {contains: "a b"}}) { totalCount } }'
    two_spaces = '{ products(filters: {name: {contains: "a  b"}}) { totalCount } }'
    assert read(client, "acme", one_space, token)[1] == "miss"
    assert read(client, "acme", two_spaces, token)[1] == "miss"
    by_variable = "query($n: Int) { products(first: $n) { edges { node { id } } } }"
    assert len(read(client, "acme", by_variable, token, {"n": 1})[0]["data"]["products"]["edges"]) == 1
    assert len(read(client, "acme", by_variable, token, {"n": 2})[0]["data"]["products"]["edges"]) == 2


def test_a_committed_write_is_visible_to_the_next_read(client, catalog, django_capture_on_commit_callbacks):
    member, owner = issue_token("acme", "member"), issue_token("acme", "owner")
    read(client, "acme", PAGE, member)
    assert read(client, "acme", PAGE, member)[1] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        read(client, "acme", UPDATE, owner, {"id": catalog[9001], "input": {"price": "77.00"}})
    page, state = read(client, "acme", PAGE, member)
    assert state == "miss"
    assert page["data"]["products"]["edges"][0]["node"]["price"] == "77.00"
    with django_capture_on_commit_callbacks(execute=True):
        read(client, "acme", CREATE, owner, {"input": new_product()})
    assert read(client, "acme", PAGE, member)[0]["data"]["products"]["totalCount"] == 4


def test_a_write_in_one_tenant_keeps_the_others_responses(client, catalog, django_capture_on_commit_callbacks):
    beta = issue_token("beta", "member")
    read(client, "beta", PAGE, beta)
    with django_capture_on_commit_callbacks(execute=True):
        read(client, "acme", UPDATE, issue_token("acme", "owner"), {"id": catalog[9001], "input": {"price": "1.00"}})
    assert read(client, "beta", PAGE, beta)[1] == "hit"


def test_a_revoked_token_is_refused_on_the_next_request(client, catalog, django_capture_on_commit_callbacks):
    token = issue_token("acme", "member")
    for _ in range(2):
        assert read(client, "acme", PAGE, token)[0]["data"]["products"]["totalCount"] == 3
    with django_capture_on_commit_callbacks(execute=True):
        read(client, "acme", "mutation { logout }", token)
    assert error_codes(read(client, "acme", PAGE, token)[0]) == ["UNAUTHENTICATED"]


@pytest.mark.parametrize("change", ["deactivate", "password", "delete"])
def test_a_user_change_is_seen_on_the_next_request(client, acme, catalog, change, django_capture_on_commit_callbacks):
    from users.models import User
    from users.services import user_set_active, user_set_password

    token = issue_token("acme", "member")
    for _ in range(2):
        assert read(client, "acme", PAGE, token)[1] in {"hit", "miss"}
    with tenant_context(acme), django_capture_on_commit_callbacks(execute=True):
        user = User.objects.get(email="member@acme.test")
        if change == "deactivate":
            user_set_active(user=user, is_active=False)
        elif change == "password":
            user_set_password(user=user, password="another-pass-2026")
        else:
            user.delete()
    assert error_codes(read(client, "acme", PAGE, token)[0]) == ["UNAUTHENTICATED"]


def test_a_demotion_applies_on_the_next_request(client, acme, catalog, django_capture_on_commit_callbacks):
    """The cached token answer carries is_staff; demoting the user drops it on commit."""
    from users.models import User

    token = issue_token("acme", "owner")
    assert read(client, "acme", "{ me { isStaff } }", token)[0]["data"]["me"]["isStaff"] is True
    with tenant_context(acme), django_capture_on_commit_callbacks(execute=True):
        owner = User.objects.get(email="owner@acme.test")
        owner.is_staff = False
        owner.save(update_fields=["is_staff"])
    assert read(client, "acme", "{ me { isStaff } }", token)[0]["data"]["me"]["isStaff"] is False
    refused = read(client, "acme", CREATE, token, {"input": new_product()})[0]
    assert error_codes(refused) == ["FORBIDDEN"]


def test_a_suspended_tenant_is_refused_on_the_next_request(client, acme, catalog, django_capture_on_commit_callbacks):
    from tenants.services import tenant_set_active

    token = issue_token("acme", "member")
    for _ in range(2):
        read(client, "acme", PAGE, token)
    with django_capture_on_commit_callbacks(execute=True):
        tenant_set_active(tenant=acme, is_active=False)
    response = post(client, "acme", PAGE, token)
    assert response.status_code == 403
    assert error_codes(response.json()) == ["TENANT_SUSPENDED"]


def test_redis_down_still_answers_from_postgres(client, catalog, settings, django_capture_on_commit_callbacks):
    """No cache at all: reads, authentication, writes and revocation all still hold."""
    member, owner = issue_token("acme", "member"), issue_token("acme", "owner")
    settings.CACHES = DEAD_REDIS
    for _ in range(2):
        page, state = read(client, "acme", PAGE, member)
        assert page["data"]["products"]["totalCount"] == 3
        assert marker("acme") in str(page) and state != "hit"
    with django_capture_on_commit_callbacks(execute=True):
        read(client, "acme", UPDATE, owner, {"id": catalog[9001], "input": {"price": "5.00"}})
    assert read(client, "acme", PAGE, member)[0]["data"]["products"]["edges"][0]["node"]["price"] == "5.00"
    with django_capture_on_commit_callbacks(execute=True):
        read(client, "acme", "mutation { logout }", member)
    assert error_codes(read(client, "acme", PAGE, member)[0]) == ["UNAUTHENTICATED"]


def test_a_deleted_token_row_is_refused_on_the_next_request(client, acme, catalog, django_capture_on_commit_callbacks):
    """Tokens removed outside the services (the admin deletes rows) drop their cached answer too."""
    from users.models import AuthToken

    token = issue_token("acme", "member")
    for _ in range(2):
        assert read(client, "acme", PAGE, token)[0]["data"]["products"]["totalCount"] == 3
    with tenant_context(acme), django_capture_on_commit_callbacks(execute=True):
        AuthToken.objects.get(user__email="member@acme.test").delete()
    assert error_codes(read(client, "acme", PAGE, token)[0]) == ["UNAUTHENTICATED"]


def test_queries_by_get_share_the_cache(client, catalog):
    token = issue_token("acme", "member")
    headers = {"HTTP_HOST": "acme.localhost", "HTTP_AUTHORIZATION": f"Bearer {token}"}
    states = [client.get("/graphql/", {"query": PAGE}, **headers).get(HEADER) for _ in range(2)]
    assert states == ["miss", "hit"]
    assert read(client, "acme", PAGE, token)[1] == "hit"

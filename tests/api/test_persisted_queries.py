"""Automatic persisted queries (Apollo's protocol) and HTTP caching of GET queries: hashes verified,
documents stored per deployment in Redis under the tenant's prefix, the allow-list lock-down, and
ETag / Cache-Control / Vary on GET so no shared cache ever keeps a signed-in user's data."""

import hashlib
import json
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django_tenants.utils import tenant_context

from saas.graphql import persisted
from tenants.db import connection
from tests.support import error_codes, issue_token

pytestmark = pytest.mark.django_db

TENANT = "{ tenant { schemaName } }"
PRODUCTS = "query Page($first: Int) { products(first: $first) { totalCount edges { node { name price } } } }"
CREATE = 'mutation { createProduct(input: {name: "Kite", sku: "K-1", price: "3.00"}) { __typename } }'


def sha(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


def apq(digest: str) -> dict:
    return {"persistedQuery": {"version": 1, "sha256Hash": digest}}


def post(schema: str, body: dict, token: str | None = None):
    headers: dict[str, Any] = {"HTTP_HOST": f"{schema}.localhost"}
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return Client().post("/graphql/", data=json.dumps(body), content_type="application/json", **headers)


def get(schema: str, params: dict, token: str | None = None, client: Client | None = None, **headers):
    headers["HTTP_HOST"] = f"{schema}.localhost"
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    query = {key: json.dumps(value) if isinstance(value, dict) else value for key, value in params.items()}
    return (client or Client()).get("/graphql/", query, HTTP_ACCEPT="application/json", **headers)


@pytest.fixture(autouse=True)
def fresh_store():
    """Each test starts with no registered documents and no allow-list."""
    cache.clear()
    persisted.allowlist.cache_clear()
    yield
    persisted.allowlist.cache_clear()


def test_unknown_hash_then_full_query_then_hash_alone(acme):
    """The Apollo handshake: NOT_FOUND, the query with its hash runs and is kept, then the hash suffices."""
    digest = sha(TENANT)
    first = post("acme", {"extensions": apq(digest)})
    assert first.status_code == 200
    assert error_codes(first.json()) == ["PERSISTED_QUERY_NOT_FOUND"]
    assert first.json()["errors"][0]["message"] == "PersistedQueryNotFound"

    registered = post("acme", {"query": TENANT, "extensions": apq(digest)})
    assert registered.json() == {"data": {"tenant": {"schemaName": "acme"}}}
    assert post("acme", {"extensions": apq(digest)}).json() == {"data": {"tenant": {"schemaName": "acme"}}}


def test_a_hash_that_does_not_match_its_query_is_refused_and_not_stored(acme):
    wrong = sha("{ me { email } }")
    response = post("acme", {"query": TENANT, "extensions": apq(wrong)})
    assert response.status_code == 400
    assert error_codes(response.json()) == ["BAD_USER_INPUT"]
    assert error_codes(post("acme", {"extensions": apq(wrong)}).json()) == ["PERSISTED_QUERY_NOT_FOUND"]


def test_oversized_or_unparsable_documents_run_or_fail_as_sent_but_are_not_stored(acme):
    padded = TENANT + "\n#" + "x" * persisted.MAX_STORED_DOCUMENT_BYTES
    assert post("acme", {"query": padded, "extensions": apq(sha(padded))}).json() == {
        "data": {"tenant": {"schemaName": "acme"}}
    }
    broken = "{ tenant { "
    assert error_codes(post("acme", {"query": broken, "extensions": apq(sha(broken))}).json()) == ["BAD_USER_INPUT"]
    for document in (padded, broken):
        assert error_codes(post("acme", {"extensions": apq(sha(document))}).json()) == ["PERSISTED_QUERY_NOT_FOUND"]


@pytest.mark.parametrize(
    "extension",
    [
        {"persistedQuery": {"version": 2, "sha256Hash": "0" * 64}},
        {"persistedQuery": {"version": 1, "sha256Hash": "not-a-hash"}},
        {"persistedQuery": {"version": 1}},
        {"persistedQuery": "yes"},
    ],
)
def test_malformed_persisted_query_extensions_are_bad_input(acme, extension):
    response = post("acme", {"extensions": extension})
    assert response.status_code == 400
    assert error_codes(response.json()) == ["BAD_USER_INPUT"]


def test_documents_are_stored_per_tenant_and_per_deployment(acme, beta, monkeypatch):
    """Stored under the tenant's Redis prefix and this deployment's schema digest: beta, or a
    deployment with another schema, has to register the document again."""
    digest = sha(TENANT)
    post("acme", {"query": TENANT, "extensions": apq(digest)})
    with tenant_context(acme):
        key = f"graphql:apq:{persisted.deployment()}:{digest}"
        assert cache.get(key) == TENANT
        assert cache.make_key(key).startswith(f"{connection.schema_name}:")
    assert error_codes(post("beta", {"extensions": apq(digest)}).json()) == ["PERSISTED_QUERY_NOT_FOUND"]
    monkeypatch.setattr(persisted, "deployment", lambda: "another-schema")
    assert error_codes(post("acme", {"extensions": apq(digest)}).json()) == ["PERSISTED_QUERY_NOT_FOUND"]


def test_get_by_hash_is_an_operation_even_for_clients_that_accept_anything(acme):
    """curl sends ``Accept: */*``: a GET without ``query`` but with ``extensions`` is not a GraphiQL visit."""
    from saas.graphql.views import TenantGraphQLView
    from saas.schema import schema

    digest = sha(TENANT)
    post("acme", {"query": TENANT, "extensions": apq(digest)})
    request: Any = RequestFactory().get(
        "/graphql/", {"extensions": json.dumps(apq(digest))}, HTTP_ACCEPT="*/*", HTTP_HOST="acme.localhost"
    )
    request.tenant, request.user = acme, AnonymousUser()
    with tenant_context(acme):
        response = TenantGraphQLView.as_view(schema=schema, graphql_ide="graphiql")(request)
    assert isinstance(response, HttpResponse)
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content) == {"data": {"tenant": {"schemaName": "acme"}}}


def test_a_persisted_mutation_cannot_run_by_get(acme):
    digest = sha(CREATE)
    post("acme", {"query": CREATE, "extensions": apq(digest)}, token=issue_token("acme", "owner"))
    response = get("acme", {"extensions": apq(digest)}, token=issue_token("acme", "owner"))
    assert response.status_code == 400
    assert error_codes(response.json()) == ["BAD_USER_INPUT"]


def test_get_by_hash_with_a_token_is_private_and_revalidates(acme):
    token = issue_token("acme", "member")
    digest = sha(PRODUCTS)
    params = {"extensions": apq(digest), "variables": {"first": 2}}
    assert error_codes(get("acme", params, token).json()) == ["PERSISTED_QUERY_NOT_FOUND"]
    assert (
        "errors"
        not in post("acme", {"query": PRODUCTS, "variables": {"first": 2}, "extensions": apq(digest)}, token).json()
    )

    response = get("acme", params, token)
    assert response.status_code == 200
    assert response.json()["data"]["products"]["totalCount"] == 0
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert "private" in cache_control and "public" not in cache_control
    assert {"Authorization", "Cookie"} <= {part.strip() for part in response["Vary"].split(",")}
    etag = response["ETag"]
    assert etag == f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'

    again = get("acme", params, token, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag and "private" in again["Cache-Control"]
    assert get("acme", params, token, HTTP_IF_NONE_MATCH='"stale"').status_code == 200


def test_etag_changes_when_the_data_does(acme, django_capture_on_commit_callbacks):
    owner = issue_token("acme", "owner")
    params = {"query": PRODUCTS, "variables": {"first": 5}}
    before = get("acme", params, owner)
    with django_capture_on_commit_callbacks(execute=True):
        created = post("acme", {"query": CREATE}, owner).json()
    assert created == {"data": {"createProduct": {"__typename": "Product"}}}
    after = get("acme", params, owner, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert after.json()["data"]["products"]["totalCount"] == 1


def test_anonymous_get_may_be_shared_but_only_after_revalidation(acme):
    response = get("acme", {"query": TENANT})
    assert response.json() == {"data": {"tenant": {"schemaName": "acme"}}}
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert cache_control == {"public", "no-cache"}
    assert {"Authorization", "Cookie"} <= {part.strip() for part in response["Vary"].split(",")}


def test_any_credential_makes_a_get_private(acme):
    """Even a stale session cookie or an unknown token: the response is never for a shared cache."""
    browser = Client()
    browser.cookies["sessionid"] = "whatever"
    assert "private" in get("acme", {"query": TENANT}, client=browser)["Cache-Control"]
    assert "private" in get("acme", {"query": TENANT}, token="unknown-token")["Cache-Control"]


def test_post_responses_get_no_validators(acme):
    response = post("acme", {"query": TENANT})
    assert "ETag" not in response
    assert "public" not in response.get("Cache-Control", "")


@pytest.fixture
def allowlist(tmp_path, settings):
    manifest = tmp_path / "operations.json"
    manifest.write_text(json.dumps({"format": "apollo-persisted-query-manifest", "version": 1,
                                    "operations": [{"id": sha(TENANT), "name": None, "type": "query", "body": TENANT}]}))  # fmt: skip
    settings.GRAPHQL_PERSISTED_QUERIES_ALLOWLIST = str(manifest)
    persisted.allowlist.cache_clear()
    return manifest


def test_allowlist_runs_listed_operations_by_hash_or_text(acme, allowlist):
    assert post("acme", {"extensions": apq(sha(TENANT))}).json() == {"data": {"tenant": {"schemaName": "acme"}}}
    assert post("acme", {"query": TENANT}).json() == {"data": {"tenant": {"schemaName": "acme"}}}


def test_allowlist_refuses_everything_else_and_registers_nothing(acme, allowlist):
    other = "{ me { email } }"
    for body in ({"query": other}, {"query": other, "extensions": apq(sha(other))}, {"extensions": apq(sha(other))}):
        response = post("acme", body)
        assert response.status_code == 400, body
        assert error_codes(response.json()) == ["PERSISTED_QUERY_NOT_IN_LIST"], body
    with tenant_context(acme):
        assert cache.get(f"graphql:apq:{persisted.deployment()}:{sha(other)}") is None


def test_allowlist_with_a_wrong_hash_fails_loudly(tmp_path, settings):
    manifest = tmp_path / "operations.json"
    manifest.write_text(json.dumps({"0" * 64: TENANT}))
    settings.GRAPHQL_PERSISTED_QUERIES_ALLOWLIST = str(manifest)
    with pytest.raises(ValueError, match="not the sha256"):
        persisted.allowlist()

"""The contract's catalog journey against the running server (daphne): a client that knows only
docs/api.md signs in on one tenant's host, lists, filters, pages, creates, updates and deletes
products, and gets nothing with that token on another tenant's host.

The journey runs on a tenant of its own, committed for this module and deleted afterwards, so the
rows it commits never show up in the acme/beta tests."""

import json

import pytest
from django_tenants.utils import tenant_context

from tests.live import http_graphql
from tests.support import PASSWORD, error_codes

SHOP = {"schema": "shop", "domain": "shop.localhost", "marker": "SHOP-MARKER"}

LOGIN = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token user { id email } } }"
PRODUCTS = """
query($first: Int, $after: String, $filters: ProductFilter, $order: ProductOrder) {
  products(first: $first, after: $after, filters: $filters, order: $order) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id name sku price isActive } }
  }
}
"""
CREATE = """
mutation($input: ProductInput!) {
  createProduct(input: $input) { ... on Product { id name price } ... on OperationInfo { messages { field } } }
}
"""
UPDATE = (
    "mutation($id: ID!, $input: ProductPatch!) { updateProduct(id: $id, input: $input) { ... on Product { price } } }"
)
DELETE = "mutation($id: ID!) { deleteProduct(id: $id) { ... on DeletedProduct { id } } }"
PRODUCT = "query($id: ID!) { product(id: $id) { name price } }"


@pytest.fixture(scope="module")
def shop(django_db_setup, django_db_blocker):
    """A committed tenant with an owner (staff) and a member, removed with everything it owns at the end."""
    from tenants.services import tenant_create, tenant_delete
    from users.services import user_create

    with django_db_blocker.unblock():
        tenant = tenant_create(name="Shop Test", schema_name=SHOP["schema"], domain=SHOP["domain"])
        with tenant_context(tenant):
            user_create(email="owner@shop.test", password=PASSWORD, is_staff=True, full_name=SHOP["marker"])
            user_create(email="member@shop.test", password=PASSWORD, full_name=SHOP["marker"])
    yield tenant
    with django_db_blocker.unblock():
        tenant_delete(tenant=tenant)


def call(server, schema: str, query: str, variables: dict | None = None, token: str | None = None) -> dict:
    return http_graphql(server, schema, query, variables, token)[0]


def test_catalog_journey_on_one_tenant(platform_server, shop):
    """Sign in, create, page, filter, order, update and delete over real HTTP; member writes are FORBIDDEN."""
    schema = SHOP["schema"]
    login = call(platform_server, schema, LOGIN, {"e": "owner@shop.test", "p": PASSWORD})["data"]["login"]
    token = login["token"]
    assert login["user"]["email"] == "owner@shop.test"

    created = {}
    for name, price in [("Lamp", "30.00"), ("Desk", "120.00"), ("Chair", "75.50")]:
        product = {"name": f"{name} {SHOP['marker']}", "sku": name.upper(), "price": price}
        created[name] = call(platform_server, schema, CREATE, {"input": product}, token)["data"]["createProduct"]
        assert created[name]["price"] == price

    duplicate = {"name": "Lamp again", "sku": "LAMP", "price": "1.00"}
    assert call(platform_server, schema, CREATE, {"input": duplicate}, token)["data"]["createProduct"] == {
        "messages": [{"field": "sku"}]
    }

    first_page = call(platform_server, schema, PRODUCTS, {"first": 2, "order": {"name": "ASC"}}, token)["data"][
        "products"
    ]
    assert first_page["totalCount"] == 3 and first_page["pageInfo"]["hasNextPage"] is True
    rest = call(
        platform_server, schema, PRODUCTS, {"first": 2, "order": {"name": "ASC"}, "after": first_page["pageInfo"]["endCursor"]},
        token,
    )["data"]["products"]  # fmt: skip
    skus = [edge["node"]["sku"] for edge in first_page["edges"] + rest["edges"]]
    assert skus == ["CHAIR", "DESK", "LAMP"]

    filtered = call(
        platform_server, schema, PRODUCTS, {"filters": {"price": {"gte": "50"}, "name": {"iContains": "des"}}}, token
    )
    assert [edge["node"]["sku"] for edge in filtered["data"]["products"]["edges"]] == ["DESK"]

    call(platform_server, schema, UPDATE, {"id": created["Desk"]["id"], "input": {"price": "99.00"}}, token)
    assert (
        call(platform_server, schema, PRODUCT, {"id": created["Desk"]["id"]}, token)["data"]["product"]["price"]
        == "99.00"
    )

    deleted = call(platform_server, schema, DELETE, {"id": created["Lamp"]["id"]}, token)["data"]["deleteProduct"]
    assert deleted == {"id": created["Lamp"]["id"]}
    assert call(platform_server, schema, PRODUCT, {"id": created["Lamp"]["id"]}, token) == {"data": {"product": None}}
    assert call(platform_server, schema, PRODUCTS, {}, token)["data"]["products"]["totalCount"] == 2

    member = call(platform_server, schema, LOGIN, {"e": "member@shop.test", "p": PASSWORD})["data"]["login"]["token"]
    assert call(platform_server, schema, PRODUCTS, {}, member)["data"]["products"]["totalCount"] == 2
    refused = call(platform_server, schema, DELETE, {"id": created["Desk"]["id"]}, member)
    assert error_codes(refused) == ["FORBIDDEN"]


def test_token_is_useless_on_another_tenants_host(platform_server, shop):
    """A token issued on shop.localhost is anonymous on beta.localhost: no reads, no writes, no data."""
    token = call(platform_server, SHOP["schema"], LOGIN, {"e": "owner@shop.test", "p": PASSWORD})["data"]["login"][
        "token"
    ]
    beta = "beta"
    assert call(platform_server, beta, "{ me { email } }", token=token) == {"data": {"me": None}}
    listing = call(platform_server, beta, PRODUCTS, token=token)
    assert error_codes(listing) == ["UNAUTHENTICATED"]
    assert "BETA-MARKER" not in json.dumps(listing) and SHOP["marker"] not in json.dumps(listing)
    write = call(platform_server, beta, CREATE, {"input": {"name": "Intruder", "sku": "X", "price": "1"}}, token)
    assert error_codes(write) == ["UNAUTHENTICATED"]
    assert call(platform_server, SHOP["schema"], "mutation { logout }", token=token) == {"data": {"logout": True}}
    assert call(platform_server, SHOP["schema"], "{ me { email } }", token=token) == {"data": {"me": None}}

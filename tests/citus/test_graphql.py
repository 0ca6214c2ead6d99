"""GraphQL through the coordinator: reads, writes and the tenant boundary with two tenants whose
primary keys collide, each tenant's rows on its own worker."""

import pytest
from django_tenants.utils import tenant_context
from strawberry import relay

from tests.support import error_codes, marker

pytestmark = pytest.mark.django_db

CREATE = """
mutation($input: ProductInput!) {
  createProduct(input: $input) { __typename ... on Product { id name sku } ... on OperationInfo { messages { field code } } }
}
"""
PRODUCTS = "query($filters: ProductFilter) { products(first: 50, filters: $filters) { totalCount edges { node { id name sku } } } }"
PRODUCT = "query($id: ID!) { product(id: $id) { id name sku } }"
UPDATE = "mutation($id: ID!, $input: ProductPatch!) { updateProduct(id: $id, input: $input) { __typename ... on Product { name } } }"


def create(gql, schema: str, sku: str) -> dict:
    result = (
        gql.on(schema)
        .as_user("owner")
        .execute(CREATE, {"input": {"name": f"Crate {marker(schema)}", "sku": sku, "price": "3.00"}})
    )
    return result["data"]["createProduct"]


def test_writes_and_reads_stay_in_their_tenant(gql, acme, beta):
    """The same primary key in both schemas (each on its worker) reads as each host's own row; rows
    written over GraphQL with the same sku are listed by their tenant only."""
    from catalog.models import Product

    for tenant in (acme, beta):
        with tenant_context(tenant):
            Product.objects.bulk_create(
                [Product(pk=7001, name=f"Colliding {marker(tenant.schema_name)}", sku="PK-7001", price="1.00")]
            )
    same_id = relay.to_base64("Product", 7001)
    made = {schema: create(gql, schema, "CRATE-1") for schema in ("acme", "beta")}
    assert made["acme"]["__typename"] == made["beta"]["__typename"] == "Product"
    for schema, other in (("acme", "beta"), ("beta", "acme")):
        listed = gql.on(schema).as_user("member").execute(PRODUCTS)
        assert listed["data"]["products"]["totalCount"] == 2
        assert marker(schema) in str(listed) and marker(other) not in str(listed)
        one = gql.on(schema).as_user("member").execute(PRODUCT, {"id": same_id})
        assert one["data"]["product"]["name"] == f"Colliding {marker(schema)}"
        made_here = gql.on(schema).as_user("member").execute(PRODUCT, {"id": made[schema]["id"]})
        assert made_here["data"]["product"]["name"] == f"Crate {marker(schema)}"


def test_update_on_one_tenant_leaves_the_other_untouched(gql, acme, beta):
    from catalog.models import Product

    made = {schema: create(gql, schema, "CRATE-2") for schema in ("acme", "beta")}
    result = gql.on("acme").as_user("owner").execute(UPDATE, {"id": made["acme"]["id"], "input": {"name": "Renamed"}})
    assert result["data"]["updateProduct"] == {"__typename": "Product", "name": "Renamed"}
    with tenant_context(beta):
        assert Product.objects.get(sku="CRATE-2").name == f"Crate {marker('beta')}"
    with tenant_context(acme):
        assert Product.objects.get(sku="CRATE-2").name == "Renamed"


def test_unique_sku_is_enforced_per_tenant_on_the_worker(gql, acme, beta):
    """The unique constraint lives on the worker's shard and still answers as a field error."""
    assert create(gql, "acme", "CRATE-3")["__typename"] == "Product"
    again = create(gql, "acme", "CRATE-3")
    assert again["__typename"] == "OperationInfo"
    assert [m["field"] for m in again["messages"]] == ["sku"]
    assert create(gql, "beta", "CRATE-3")["__typename"] == "Product"


def test_token_of_one_tenant_is_anonymous_on_the_other(gql, acme, beta):
    token = gql.on("acme").as_user("owner").token
    result = gql.on("beta").with_token(token).execute(PRODUCTS)
    assert error_codes(result) == ["UNAUTHENTICATED"]
    assert marker("acme") not in str(result) and marker("beta") not in str(result)

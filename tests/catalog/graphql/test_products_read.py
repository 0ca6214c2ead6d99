"""Product reads over HTTP: detail, Relay pages, filters, order, page-size cap, tenant isolation."""

import pytest
from strawberry import relay

from tests.catalog.rows import product_gid
from tests.support import error_codes, marker

pytestmark = pytest.mark.django_db

PRODUCT = "query($id: ID!) { product(id: $id) { id name sku price isActive description createdAt updatedAt } }"
PRODUCTS = """
query($first: Int, $after: String, $filters: ProductFilter, $order: ProductOrder) {
  products(first: $first, after: $after, filters: $filters, order: $order) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id name sku price isActive } }
  }
}
"""


def names(result: dict) -> list[str]:
    return [edge["node"]["name"] for edge in result["data"]["products"]["edges"]]


def test_member_reads_one_product(gql, catalog):
    """A member gets every contract field of a product of their tenant."""
    result = gql.on("acme").as_user("member").execute(PRODUCT, {"id": catalog[9001]})
    product = result["data"]["product"]
    assert product["id"] == catalog[9001]
    assert product["name"] == f"Anvil {marker('acme')}"
    assert product["price"] == "10.00"
    assert product["sku"] == "SKU-1"
    assert product["isActive"] is True
    assert product["createdAt"] and product["updatedAt"]


def test_same_id_on_each_tenant_reads_that_tenants_row(gql, catalog):
    """One global id (same pk in both schemas) resolves to the row of the host's tenant only."""
    acme = gql.on("acme").as_user("member").execute(PRODUCT, {"id": catalog[9002]})
    beta = gql.on("beta").as_user("member").execute(PRODUCT, {"id": catalog[9002]})
    assert marker("acme") in acme["data"]["product"]["name"]
    assert marker("beta") not in str(acme)
    assert marker("beta") in beta["data"]["product"]["name"]
    assert marker("acme") not in str(beta)


def test_product_only_in_another_tenant_is_null(gql, catalog, beta):
    """An id that exists only in beta is null on acme, never beta's row."""
    from django_tenants.utils import tenant_context

    from catalog.models import Product

    with tenant_context(beta):
        only_beta = Product.objects.create(name=f"Lonely {marker('beta')}", sku="ONLY-BETA", price="1.00")
    result = gql.on("acme").as_user("owner").execute(PRODUCT, {"id": product_gid(only_beta.pk)})
    assert result == {"data": {"product": None}}


@pytest.mark.parametrize("bad_id", ["not-base64!", relay.to_base64("User", 1), relay.to_base64("Product", "x")])
def test_malformed_product_id_is_bad_user_input(gql, catalog, bad_id):
    """Ids that are not product ids get BAD_USER_INPUT, not a 500."""
    result = gql.on("acme").as_user("member").execute(PRODUCT, {"id": bad_id})
    assert error_codes(result) == ["BAD_USER_INPUT"]


def test_anonymous_cannot_read_products(gql, catalog):
    """Reading the catalog needs a signed-in user of the tenant."""
    assert error_codes(gql.on("acme").execute(PRODUCT, {"id": catalog[9001]})) == ["UNAUTHENTICATED"]
    assert error_codes(gql.on("acme").execute(PRODUCTS)) == ["UNAUTHENTICATED"]


def test_token_of_another_tenant_reads_nothing(gql, catalog):
    """An acme token on beta's host is anonymous there: no beta rows, no acme rows."""
    acme_token = gql.on("acme").as_user("owner").token
    result = gql.on("beta").with_token(acme_token).execute(PRODUCTS)
    assert error_codes(result) == ["UNAUTHENTICATED"]
    assert marker("beta") not in str(result)
    assert marker("acme") not in str(result)


def test_list_is_the_tenants_catalog_only(gql, catalog):
    """products lists the host tenant's rows, with totalCount, and none of the other tenant's."""
    result = gql.on("beta").as_user("member").execute(PRODUCTS)
    connection = result["data"]["products"]
    assert connection["totalCount"] == 3
    assert [edge["node"]["id"] for edge in connection["edges"]] == [catalog[9001], catalog[9002], catalog[9003]]
    assert all(marker("beta") in name for name in names(result))
    assert marker("acme") not in str(result)


def test_paging_with_cursors_walks_every_product_once(gql, catalog):
    """first/after pages through the list; pageInfo tells when to stop."""
    client = gql.on("acme").as_user("member")
    first = client.execute(PRODUCTS, {"first": 2})["data"]["products"]
    assert first["pageInfo"]["hasNextPage"] is True
    assert first["pageInfo"]["hasPreviousPage"] is False
    assert first["pageInfo"]["endCursor"] == first["edges"][-1]["cursor"]
    second = client.execute(PRODUCTS, {"first": 2, "after": first["pageInfo"]["endCursor"]})["data"]["products"]
    assert second["pageInfo"]["hasNextPage"] is False
    assert second["pageInfo"]["hasPreviousPage"] is True
    assert second["totalCount"] == 3
    seen = [edge["node"]["sku"] for edge in first["edges"] + second["edges"]]
    assert seen == ["SKU-1", "SKU-2", "SKU-3"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"name": {"iContains": "ROCKET"}}, ["Rocket skates"]),
        ({"sku": {"exact": "SKU-3"}}, ["Giant magnet"]),
        ({"price": {"gte": "40", "lte": "50"}}, ["Giant magnet"]),
        ({"isActive": {"exact": False}}, ["Giant magnet"]),
        ({"isActive": {"exact": True}, "price": {"lte": "50"}}, ["Anvil"]),
        ({"OR": {"sku": {"exact": "SKU-1"}}, "sku": {"exact": "SKU-2"}}, ["Anvil", "Rocket skates"]),
        ({"NOT": {"sku": {"exact": "SKU-1"}}}, ["Rocket skates", "Giant magnet"]),
    ],
)
def test_filters(gql, catalog, filters, expected):
    """Each contract lookup narrows the list, and totalCount counts the matches."""
    result = gql.on("acme").as_user("member").execute(PRODUCTS, {"filters": filters})
    assert names(result) == [f"{name} {marker('acme')}" for name in expected]
    assert result["data"]["products"]["totalCount"] == len(expected)


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ({"name": "ASC"}, ["SKU-1", "SKU-3", "SKU-2"]),
        ({"price": "DESC"}, ["SKU-2", "SKU-3", "SKU-1"]),
        ({"createdAt": "ASC"}, ["SKU-1", "SKU-2", "SKU-3"]),
    ],
)
def test_order(gql, catalog, order, expected):
    """order sorts by name, price or creation time (ties by id)."""
    result = gql.on("acme").as_user("member").execute(PRODUCTS, {"order": order})
    assert [edge["node"]["sku"] for edge in result["data"]["products"]["edges"]] == expected


def test_page_size_is_capped_at_100(gql, catalog):
    """first above 100 (or negative) is BAD_USER_INPUT; 100 is allowed; 0 returns only the count."""
    client = gql.on("acme").as_user("member")
    assert error_codes(client.execute(PRODUCTS, {"first": 101})) == ["BAD_USER_INPUT"]
    assert error_codes(client.execute(PRODUCTS, {"first": -1})) == ["BAD_USER_INPUT"]
    assert client.execute(PRODUCTS, {"first": 100})["data"]["products"]["totalCount"] == 3
    empty = client.execute(PRODUCTS, {"first": 0})["data"]["products"]
    assert empty["edges"] == [] and empty["totalCount"] == 3 and empty["pageInfo"]["hasNextPage"] is True


@pytest.mark.parametrize(
    "cursor",
    ["garbage", relay.to_base64("other", 1), relay.to_base64("arrayconnection", 10**12), "YXJyYXljb25uZWN0aW9uOng="],
)
def test_foreign_cursor_is_bad_user_input(gql, catalog, cursor):
    """after accepts only cursors this list produced."""
    assert error_codes(gql.on("acme").as_user("member").execute(PRODUCTS, {"after": cursor})) == ["BAD_USER_INPUT"]


def test_invalid_filter_value_is_bad_user_input(gql, catalog):
    """A value of the wrong type in a filter is a validation error, not a 500."""
    result = gql.on("acme").as_user("member").execute(PRODUCTS, {"filters": {"price": {"gte": "cheap"}}})
    assert error_codes(result) == ["BAD_USER_INPUT"]

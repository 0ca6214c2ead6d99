"""Cache-aside catalog reads: hits run no SQL, keys carry the schema, every write is visible to the
next read, pages cost a constant number of queries, and a Redis outage only costs speed."""

import logging
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context
from strawberry.django.context import StrawberryDjangoContext

from saas import cache as cache_keys
from saas.schema import schema
from tests.api.test_products_read import PRODUCT, PRODUCTS
from tests.api.test_products_write import CREATE, DELETE, UPDATE, new_product
from tests.support import marker

pytestmark = pytest.mark.django_db

DEAD_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
    }
}


def signed_in_context(tenant, role: str) -> StrawberryDjangoContext:
    """A GraphQL context whose request is already authenticated (the user row loaded)."""
    from users.models import User

    with tenant_context(tenant):
        request: Any = RequestFactory().post("/graphql/", HTTP_HOST=f"{tenant.schema_name}.localhost")
        request.tenant = tenant
        request.user = User.objects.get(email=f"{role}@{tenant.schema_name}.test")
    return StrawberryDjangoContext(request=request, response=HttpResponse())


def execute(tenant, context: StrawberryDjangoContext, query: str, variables: dict | None = None) -> dict:
    """Run the schema directly in the tenant's schema, so only resolver work is measured."""
    with tenant_context(tenant):
        result = schema.execute_sync(query, variable_values=variables, context_value=context)
    assert result.errors is None, result.errors
    return result.data


def redis_keys(pattern: str) -> list[str]:
    return sorted(key.decode() for key in cache_keys.redis_client().keys(pattern))


def test_product_hit_runs_no_sql(acme, catalog, django_assert_num_queries):
    """The second read of a product is answered from Redis: zero SQL queries in the resolvers."""
    context = signed_in_context(acme, "member")
    query = "query($id: ID!) { product(id: $id) { id name price createdAt } }"
    first = execute(acme, context, query, {"id": catalog[9001]})
    with django_assert_num_queries(0):
        second = execute(acme, context, query, {"id": catalog[9001]})
    assert second == first
    assert marker("acme") in second["product"]["name"]


def test_products_page_hit_runs_no_sql(acme, catalog, django_assert_num_queries):
    """A repeated page (same filters, order, cursor) is answered from Redis with zero SQL queries."""
    context = signed_in_context(acme, "member")
    variables = {"first": 2, "filters": {"isActive": {"exact": True}}, "order": {"price": "DESC"}}
    first = execute(acme, context, PRODUCTS, variables)
    with django_assert_num_queries(0):
        second = execute(acme, context, PRODUCTS, variables)
    assert second == first
    assert first["products"]["totalCount"] == 2
    assert all(marker("acme") in edge["node"]["name"] for edge in second["products"]["edges"])


def test_http_hit_runs_no_sql(gql, catalog):
    """Over HTTP a repeated read runs no SQL at all, the bearer-token authentication included."""
    client = gql.on("acme").as_user("member")
    client.execute(PRODUCT, {"id": catalog[9002]})
    client.execute(PRODUCTS)
    with CaptureQueriesContext(connection) as captured:
        product = client.execute(PRODUCT, {"id": catalog[9002]})
        page = client.execute(PRODUCTS)
    assert marker("acme") in product["data"]["product"]["name"]
    assert page["data"]["products"]["totalCount"] == 3
    assert captured.captured_queries == []


def test_cache_keys_carry_the_schema(gql, catalog):
    """Detail and page entries are stored under <schema>:...catalog:products:..., one namespace per tenant."""
    gql.on("acme").as_user("member").execute(PRODUCT, {"id": catalog[9001]})
    gql.on("beta").as_user("member").execute(PRODUCTS)
    assert any(key.startswith("acme:") and key.endswith("catalog:products:detail:9001") for key in redis_keys("*"))
    assert any(key.startswith("beta:") and ":catalog:products:list:" in key for key in redis_keys("*"))
    assert not any(key.startswith("beta:") and key.endswith("detail:9001") for key in redis_keys("*"))


def test_entries_expire_after_the_configured_ttl(gql, catalog, settings):
    """Cached details and pages carry a TTL of at most CACHE_TTL_SECONDS."""
    client = gql.on("acme").as_user("member")
    client.execute(PRODUCT, {"id": catalog[9001]})
    client.execute(PRODUCTS)
    redis = cache_keys.redis_client()
    entries = [key for key in redis_keys("acme:*catalog:products:*") if ":detail:" in key or ":list:" in key]
    assert len(entries) == 2
    assert all(0 < redis.ttl(key) <= settings.CACHE_TTL_SECONDS for key in entries)


def test_same_pk_cached_in_both_tenants_stays_apart(gql, catalog):
    """With both tenants' product 9003 cached, each host still answers its own row."""
    acme, beta = gql.on("acme").as_user("member"), gql.on("beta").as_user("member")
    for _ in range(2):
        acme_result = acme.execute(PRODUCT, {"id": catalog[9003]})
        beta_result = beta.execute(PRODUCT, {"id": catalog[9003]})
    assert marker("acme") in str(acme_result) and marker("beta") not in str(acme_result)
    assert marker("beta") in str(beta_result) and marker("acme") not in str(beta_result)


def test_create_is_visible_to_the_next_read(gql, catalog, django_capture_on_commit_callbacks):
    """A cached page is retired on commit of a create: the next read lists the new product."""
    member, owner = gql.on("acme").as_user("member"), gql.on("acme").as_user("owner")
    assert member.execute(PRODUCTS)["data"]["products"]["totalCount"] == 3
    with django_capture_on_commit_callbacks(execute=True):
        created = owner.execute(CREATE, {"input": new_product()})["data"]["createProduct"]
    page = member.execute(PRODUCTS)["data"]["products"]
    assert page["totalCount"] == 4
    assert created["id"] in [edge["node"]["id"] for edge in page["edges"]]
    assert member.execute(PRODUCT, {"id": created["id"]})["data"]["product"]["sku"] == "PAINT-1"


def test_create_replaces_a_cached_absence(gql, acme, django_capture_on_commit_callbacks):
    """An id read (and cached as absent) before its product exists is found once the product is created."""
    from catalog.models import Product
    from tests.api.conftest import product_gid

    with tenant_context(acme):
        upcoming = product_gid(Product.objects.create(name="Probe", sku="PROBE", price=1).pk + 1)
    member, owner = gql.on("acme").as_user("member"), gql.on("acme").as_user("owner")
    assert member.execute(PRODUCT, {"id": upcoming})["data"]["product"] is None
    with django_capture_on_commit_callbacks(execute=True):
        created = owner.execute(CREATE, {"input": new_product()})["data"]["createProduct"]
    assert created["id"] == upcoming
    assert member.execute(PRODUCT, {"id": upcoming})["data"]["product"]["sku"] == "PAINT-1"


def test_update_is_visible_to_the_next_read(gql, catalog, django_capture_on_commit_callbacks):
    """A cached product and page show the new values right after an update commits."""
    member, owner = gql.on("acme").as_user("member"), gql.on("acme").as_user("owner")
    assert member.execute(PRODUCT, {"id": catalog[9001]})["data"]["product"]["price"] == "10.00"
    assert member.execute(PRODUCTS)["data"]["products"]["edges"][0]["node"]["price"] == "10.00"
    with django_capture_on_commit_callbacks(execute=True):
        owner.execute(UPDATE, {"id": catalog[9001], "input": {"price": "12.00"}})
    assert member.execute(PRODUCT, {"id": catalog[9001]})["data"]["product"]["price"] == "12.00"
    assert member.execute(PRODUCTS)["data"]["products"]["edges"][0]["node"]["price"] == "12.00"


def test_delete_is_visible_to_the_next_read(gql, catalog, django_capture_on_commit_callbacks):
    """A cached product becomes null and leaves the cached page right after a delete commits."""
    member, owner = gql.on("acme").as_user("member"), gql.on("acme").as_user("owner")
    assert member.execute(PRODUCT, {"id": catalog[9002]})["data"]["product"] is not None
    assert member.execute(PRODUCTS)["data"]["products"]["totalCount"] == 3
    with django_capture_on_commit_callbacks(execute=True):
        owner.execute(DELETE, {"id": catalog[9002]})
    assert member.execute(PRODUCT, {"id": catalog[9002]})["data"]["product"] is None
    page = member.execute(PRODUCTS)["data"]["products"]
    assert page["totalCount"] == 2
    assert catalog[9002] not in [edge["node"]["id"] for edge in page["edges"]]


def test_write_in_one_tenant_keeps_the_others_cache(gql, catalog, beta, django_capture_on_commit_callbacks):
    """An acme write retires acme's pages only: beta's cached page is still a hit (no catalog SQL)."""
    beta_member = gql.on("beta").as_user("member")
    beta_member.execute(PRODUCTS)
    with django_capture_on_commit_callbacks(execute=True):
        gql.on("acme").as_user("owner").execute(UPDATE, {"id": catalog[9001], "input": {"price": "1.00"}})
    with CaptureQueriesContext(connection) as captured:
        page = beta_member.execute(PRODUCTS)
    assert marker("beta") in str(page) and marker("acme") not in str(page)
    assert not [query for query in captured.captured_queries if "catalog_product" in query["sql"]]


def test_page_query_count_does_not_grow_with_page_size(acme, django_assert_num_queries):
    """products(first: 10) and products(first: 100) cost the same two queries (rows, count) on a miss."""
    from catalog.models import Product

    with tenant_context(acme):
        Product.objects.bulk_create(
            Product(name=f"Item {n} {marker('acme')}", sku=f"BULK-{n}", price=Decimal(n)) for n in range(120)
        )
    context = signed_in_context(acme, "member")
    counts = {}
    for first in (10, 100):
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            data = execute(acme, context, PRODUCTS, {"first": first})
        # django-tenants re-sends SET search_path before each query; count the statements that read data.
        counts[first] = len([q for q in captured.captured_queries if not q["sql"].startswith("SET search_path")])
        assert len(data["products"]["edges"]) == first
        assert data["products"]["totalCount"] == 120
    assert counts[10] == counts[100] == 2


def test_redis_outage_reads_and_writes_from_postgres(
    gql, catalog, settings, caplog, django_capture_on_commit_callbacks
):
    """With Redis unreachable every read and write still works from PostgreSQL, and the failure is logged."""
    settings.CACHES = DEAD_REDIS
    caplog.set_level(logging.WARNING, logger="saas.cache")
    member, owner = gql.on("acme").as_user("member"), gql.on("acme").as_user("owner")
    for _ in range(2):
        assert marker("acme") in member.execute(PRODUCT, {"id": catalog[9001]})["data"]["product"]["name"]
        assert member.execute(PRODUCTS)["data"]["products"]["totalCount"] == 3
    with django_capture_on_commit_callbacks(execute=True):
        updated = owner.execute(UPDATE, {"id": catalog[9001], "input": {"price": "3.00"}})
    assert updated["data"]["updateProduct"]["price"] == "3.00"
    assert member.execute(PRODUCT, {"id": catalog[9001]})["data"]["product"]["price"] == "3.00"
    assert any(record.name == "saas.cache" for record in caplog.records)

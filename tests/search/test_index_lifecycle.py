"""Index naming and lifecycle: one alias per tenant over a versioned index with an explicit mapping,
created with the tenant and removed with it."""

import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django_tenants.utils import schema_context, tenant_context

from catalog.search.client import get_client
from catalog.search.documents import NoTenantSchema, product_index_alias
from tenants.services import tenant_create, tenant_delete
from tests.search.helpers import alias_of

pytestmark = pytest.mark.django_db


def concrete_indexes(alias: str) -> list[str]:
    found = get_client().indices.get_alias(index=f"{alias}*", ignore_unavailable=True, allow_no_indices=True)
    return sorted(name for name in found.body if re.fullmatch(rf"{alias}_v\d+", name))


def test_alias_name_comes_from_the_active_schema(acme, beta, settings):
    """Each tenant's index is <prefix>_<schema>_products, whatever the prefix."""
    settings.ELASTICSEARCH_INDEX_PREFIX = "saas"
    with tenant_context(acme):
        assert product_index_alias() == "saas_acme_products"
    with tenant_context(beta):
        assert product_index_alias() == "saas_beta_products"
    settings.ELASTICSEARCH_INDEX_PREFIX = "staging"
    with tenant_context(acme):
        assert product_index_alias() == "staging_acme_products"


def test_public_schema_has_no_product_index():
    """Search code refuses to run on the public schema instead of inventing an index name."""
    with schema_context("public"), pytest.raises(NoTenantSchema):
        product_index_alias()


@pytest.mark.parametrize("schema", ["acme", "beta"])
def test_session_tenants_have_an_alias_over_one_index(schema, search_strategy, settings):
    """Per-tenant strategy: the alias points at exactly one concrete index named <alias>_v<timestamp>.
    Shared strategy: at the shared index, filtered on the tenant and routed by its schema."""
    ((index, details),) = get_client().indices.get_alias(name=alias_of(schema)).body.items()
    if search_strategy == "index":
        assert re.fullmatch(rf"{alias_of(schema)}_v\d+", index)
        assert "filter" not in details["aliases"][alias_of(schema)]
    else:
        alias = details["aliases"][alias_of(schema)]
        assert index == f"{settings.ELASTICSEARCH_INDEX_PREFIX}__shared_products"
        assert {"term": {"tenant": schema}} in alias["filter"]["bool"]["filter"]
        assert alias["index_routing"] == alias["search_routing"] == schema


def test_index_mapping_is_explicit():
    """Analyzed name and description, keyword SKU, typed price, flag and timestamps; unknown fields refused."""
    (mapping,) = get_client().indices.get_mapping(index=alias_of("acme")).body.values()
    properties = mapping["mappings"]["properties"]
    assert mapping["mappings"]["dynamic"] == "strict"
    assert properties["name"] == {"type": "text", "analyzer": "product_name"}
    assert properties["description"] == {"type": "text", "analyzer": "product_text"}
    assert properties["sku"] == {"type": "keyword", "normalizer": "sku"}
    assert properties["sku_parts"] == {"type": "text", "analyzer": "sku_parts"}
    assert properties["price"]["type"] == "scaled_float"
    assert properties["is_active"] == {"type": "boolean"}
    assert properties["created_at"] == {"type": "date"}
    assert properties["updated_at"] == {"type": "date"}


def shared_documents(schema: str, settings) -> int:
    response = (
        get_client()
        .options(ignore_status=404)
        .count(index=f"{settings.ELASTICSEARCH_INDEX_PREFIX}__shared_products", query={"term": {"tenant": schema}})
    )
    return response.body.get("count", 0)


def test_new_tenant_gets_an_index_and_deleting_it_removes_the_index(search_strategy, settings, committed):
    """tenant_create makes the tenant's alias and index (or its place in the shared index);
    tenant_delete removes alias, index and documents."""
    tenant = tenant_create(name="Gamma Search", schema_name="gamma_search", domain="gamma-search.localhost")
    alias = alias_of("gamma_search")
    try:
        assert get_client().indices.exists_alias(name=alias)
        if search_strategy == "index":
            assert len(concrete_indexes(alias)) == 1
        else:
            from catalog.services import product_create

            with tenant_context(tenant), committed():
                product_create(name="Gamma Gadget", sku="GAMMA-1", price=Decimal("1"), description="gamma")
            get_client().indices.refresh(index=alias)
            assert shared_documents("gamma_search", settings) == 1
    finally:
        assert tenant_delete(tenant=tenant) == []
    assert not get_client().indices.exists_alias(name=alias)
    assert concrete_indexes(alias) == []
    assert shared_documents("gamma_search", settings) == 0


def test_tenant_created_while_search_is_down_gets_its_index_from_search_sync(search_down, caplog):
    """Search down does not block tenant creation; the next search_sync creates the missing index."""
    tenant = tenant_create(name="Delta Search", schema_name="delta_search", domain="delta-search.localhost")
    alias = alias_of("delta_search")
    try:
        assert any("could not create the search index of delta_search" in r.getMessage() for r in caplog.records)
        search_down()
        assert not get_client().indices.exists_alias(name=alias)
        call_command("search_sync", schema="delta_search")
        assert get_client().indices.exists_alias(name=alias)
    finally:
        tenant_delete(tenant=tenant)
    assert concrete_indexes(alias) == []

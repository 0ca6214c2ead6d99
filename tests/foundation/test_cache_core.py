"""Cache core: keys carry the schema, generations invalidate lists, Redis outages fail open."""

import pytest
from django.core.cache import cache
from django_redis.cache import RedisCache
from django_tenants.utils import tenant_context

from saas import cache as cache_keys

pytestmark = pytest.mark.django_db


def raw_keys() -> list[str]:
    return sorted(key.decode() for key in cache_keys.redis_client().keys("*"))


def test_keys_carry_the_schema_prefix(acme, beta):
    """The same logical key is stored under each tenant's own prefix and never collides."""
    with tenant_context(acme):
        cache.set(cache_keys.product_detail_key(1), "ACME-MARKER")
    with tenant_context(beta):
        cache.set(cache_keys.product_detail_key(1), "BETA-MARKER")
        assert cache.get(cache_keys.product_detail_key(1)) == "BETA-MARKER"
    with tenant_context(acme):
        assert cache.get(cache_keys.product_detail_key(1)) == "ACME-MARKER"
    keys = raw_keys()
    assert any(key.startswith("acme:") and key.endswith("catalog:products:detail:1") for key in keys)
    assert any(key.startswith("beta:") and key.endswith("catalog:products:detail:1") for key in keys)


def test_bumping_one_tenant_generation_leaves_the_other(acme, beta):
    """A write in acme retires acme's list keys only."""
    params = {"first": 10}
    with tenant_context(acme):
        acme_before = cache_keys.product_list_key(params)
    with tenant_context(beta):
        beta_before = cache_keys.product_list_key(params)
    with tenant_context(acme):
        cache_keys.invalidate_product(1)
        assert cache_keys.product_list_key(params) != acme_before
    with tenant_context(beta):
        assert cache_keys.product_list_key(params) == beta_before


def test_get_or_compute_hits_after_first_miss(acme):
    """Cache-aside: the second read does not compute."""
    calls = []

    def compute() -> str:
        calls.append(1)
        return "ACME-MARKER"

    with tenant_context(acme):
        for _ in range(2):
            value = cache_keys.get_or_compute("catalog:products:probe", compute)
    assert value == "ACME-MARKER"
    assert calls == [1]


def test_redis_down_fails_open(acme, monkeypatch, caplog):
    """With Redis unreachable, reads compute from the source and nothing raises."""
    dead = RedisCache(
        "redis://127.0.0.1:1/0",
        {
            "KEY_FUNCTION": "django_tenants.cache.make_key",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        },
    )
    monkeypatch.setattr(cache_keys, "cache", dead)
    with tenant_context(acme):
        assert cache_keys.get_or_compute(cache_keys.product_list_key({"first": 1}), lambda: "fresh") == "fresh"
        cache_keys.invalidate_product(1)
    assert any(record.name == "saas.cache" for record in caplog.records)


def test_write_invalidation_runs_in_the_schema_of_the_write(acme, beta, django_capture_on_commit_callbacks):
    """A product write retires its own tenant's pages even when the commit happens on another schema."""
    from decimal import Decimal

    from catalog.services import product_create

    params = {"first": 10}
    with tenant_context(acme):
        acme_before = cache_keys.product_list_key(params)
    with tenant_context(beta):
        beta_before = cache_keys.product_list_key(params)
    with django_capture_on_commit_callbacks(execute=True), tenant_context(acme):
        product_create(name="ACME-MARKER cache", sku="CACHE-SCHEMA-1", price=Decimal("1.00"))
    with tenant_context(acme):
        assert cache_keys.product_list_key(params) != acme_before
    with tenant_context(beta):
        assert cache_keys.product_list_key(params) == beta_before

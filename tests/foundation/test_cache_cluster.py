"""Cache keys for Redis Cluster: with REDIS_HASH_TAGS the schema is a hash tag, so every key of one
tenant (generation keys included) lives in one slot and a tenant's namespace is cleared at once."""

import pytest
from django.core.cache import cache
from django_tenants.utils import tenant_context
from redis.crc import key_slot

from saas import cache as cache_keys

pytestmark = pytest.mark.django_db


@pytest.fixture
def hash_tagged(settings):
    settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_FUNCTION": "saas.cache.make_hash_tagged_key"}}


def test_a_tenants_keys_share_one_slot_and_clear_together(acme, beta, hash_tagged):
    for tenant, value in ((acme, "ACME-MARKER"), (beta, "BETA-MARKER")):
        with tenant_context(tenant):
            cache.set(cache_keys.product_detail_key(1), value)
            cache_keys.bump_generation(cache_keys.PRODUCTS)
            cache.set(cache_keys.product_list_key({"first": 5}), [value])
    redis = cache_keys.redis_client()
    acme_keys = redis.keys("{acme}:*")
    beta_keys = redis.keys("{beta}:*")
    assert len(acme_keys) == len(beta_keys) == 3
    assert len({key_slot(key) for key in acme_keys}) == 1
    assert len({key_slot(key) for key in beta_keys}) == 1
    with tenant_context(acme):
        assert cache.get(cache_keys.product_detail_key(1)) == "ACME-MARKER"

    assert cache_keys.clear_tenant_namespace("acme") == 3
    assert redis.keys("{acme}:*") == []
    assert len(redis.keys("{beta}:*")) == 3
    with tenant_context(beta):
        assert cache.get(cache_keys.product_detail_key(1)) == "BETA-MARKER"

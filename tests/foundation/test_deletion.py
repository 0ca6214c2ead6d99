"""Deleting a tenant leaves nothing behind, even when Redis and search are down at that moment.

These tests run their own Redis and search servers (real processes, started here) and pause them
with SIGSTOP, the way a hung service looks to the platform; the shared test services are never
touched. What the deletion could not remove is queued in the public schema and removed by the
search relay's next pass once the services answer again; a tenant re-created with the same
schema name starts empty.
"""

import os
import signal
import sys
from contextlib import contextmanager
from decimal import Decimal
from typing import cast

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django_tenants.utils import schema_exists, tenant_context

from catalog.search.client import get_client
from catalog.search.indexes import index_ensure
from notifications.events import STREAM_END_EVENT, broadcast_group
from tenants.models import Client, TenantLeftover
from tenants.services import tenant_create, tenant_delete
from tests.notifications.conftest import GroupListener
from tests.support import ROOT

pytestmark = pytest.mark.django_db

SCHEMA = "gone_tenant"
DOMAIN = "gone-tenant.localhost"


def _services_module():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import services
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    return services


class PrivateServices:
    """A Redis and a search server of this test only, which it can pause and resume."""

    def __init__(self, data_dir):
        services = _services_module()
        self.redis_url, self.redis = services.start_redis(data_dir)
        self.search_url, self.search = services.start_search()
        self._stop = services.stop

    @contextmanager
    def paused(self):
        for process in (self.redis, self.search):
            os.kill(process.pid, signal.SIGSTOP)
        try:
            yield
        finally:
            self.resume()

    def resume(self):
        for process in (self.redis, self.search):
            os.kill(process.pid, signal.SIGCONT)

    def close(self):
        self.resume()
        for process in (self.redis, self.search):
            self._stop(process)


@pytest.fixture
def private_services(settings, tmp_path):
    """Cache, channel layer and search client pointed at servers of this test (short timeouts)."""
    services = PrivateServices(tmp_path)
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "LOCATION": services.redis_url,
            "OPTIONS": {**settings.CACHES["default"]["OPTIONS"], "SOCKET_CONNECT_TIMEOUT": 0.3, "SOCKET_TIMEOUT": 0.3},
        }
    }
    layer = settings.CHANNEL_LAYERS["default"]
    settings.CHANNEL_LAYERS = {
        "default": {
            **layer,
            "CONFIG": {
                **layer["CONFIG"],
                "hosts": [{"address": services.redis_url, "socket_timeout": 0.5, "socket_connect_timeout": 0.5}],
            },
        }
    }
    settings.ELASTICSEARCH_URL = services.search_url
    # Long enough for a loaded machine; a paused server costs this much per attempt.
    settings.ELASTICSEARCH_TIMEOUT_SECONDS = 4
    settings.ELASTICSEARCH_MAX_RETRIES = 0
    get_client.cache_clear()
    yield services
    services.close()
    get_client.cache_clear()


def redis_keys(services: PrivateServices, pattern: str) -> list[bytes]:
    import redis

    keys = redis.Redis.from_url(services.redis_url).keys(pattern)
    return sorted(cast(list[bytes], keys))  # bytes: the client does not decode responses


def tenant_keys(services: PrivateServices) -> list[bytes]:
    return [key for key in redis_keys(services, "*") if key.startswith(f"{SCHEMA}:".encode()) or SCHEMA.encode() in key]


def alias_exists() -> bool:
    return bool(get_client().indices.exists_alias(name=f"{settings.ELASTICSEARCH_INDEX_PREFIX}_{SCHEMA}_products"))


def documents_of_tenant() -> int:
    """Documents of the tenant anywhere in the search server, whatever the strategy."""
    client = get_client()
    client.indices.refresh(index="_all")
    per_tenant = client.count(
        index=f"{settings.ELASTICSEARCH_INDEX_PREFIX}_{SCHEMA}_products_v*", allow_no_indices=True
    )
    shared = client.options(ignore_status=404).count(
        index=f"{settings.ELASTICSEARCH_INDEX_PREFIX}__shared_products", query={"term": {"tenant": SCHEMA}}
    )
    return per_tenant["count"] + shared.body.get("count", 0)


def populate(tenant) -> None:
    """A product (pushed to search), cache entries with a generation, a channel group, a host lookup."""
    from catalog.services import product_create
    from saas import cache as cache_keys

    with tenant_context(tenant):
        index_ensure()  # in case creating it timed out on a loaded machine
        product = product_create(name="Leftover Lamp", sku="GONE-1", price=Decimal("3.00"), description="gone")
        # The relay runs after commit; run it now (the test's transaction never commits).
        from catalog.search.outbox import outbox_relay

        outbox_relay()
        cache.set(cache_keys.product_detail_key(product.pk), "OLD-DETAIL")
        cache_keys.bump_generation(cache_keys.PRODUCTS)
        cache.set(cache_keys.product_list_key({"first": 10}), ["OLD-LIST"])
    async_to_sync(get_channel_layer().group_add)(broadcast_group(SCHEMA), "specific.leftover!socket")


@pytest.mark.parametrize("strategy", ["index", "shared"])
def test_deletion_while_services_are_paused_is_finished_when_they_return(private_services, settings, strategy):
    settings.SEARCH_INDEX_STRATEGY = strategy
    tenant = tenant_create(name="Gone", schema_name=SCHEMA, domain=DOMAIN)
    populate(tenant)
    assert alias_exists() and documents_of_tenant() == 1
    generation_key = [key for key in tenant_keys(private_services) if key.endswith(b"catalog:products:gen")]
    assert generation_key, "the tenant's generation key should be in Redis before the deletion"
    assert redis_keys(private_services, f"*:group:{SCHEMA}.*")

    with private_services.paused():
        remaining = tenant_delete(tenant=tenant)
        assert sorted(remaining) == ["cache", "channels", "search"]
        assert not schema_exists(SCHEMA)
        assert not Client.objects.filter(schema_name=SCHEMA).exists()
        queued = TenantLeftover.objects.filter(schema_name=SCHEMA)
        assert sorted(queued.values_list("kind", flat=True)) == ["cache", "channels", "search"]
        assert all(item.last_error for item in queued)
        # The same schema name cannot be provisioned while its predecessor's leftovers remain.
        with pytest.raises(ValidationError) as refused:
            tenant_create(name="Gone Again", schema_name=SCHEMA, domain=DOMAIN)
        assert refused.value.error_dict["schema_name"][0].code == "leftovers_pending"

    # Back, but nothing cleaned yet: the leftovers are real.
    assert alias_exists() and documents_of_tenant() == 1
    assert generation_key[0] in redis_keys(private_services, "*")
    with GroupListener([broadcast_group(SCHEMA)]) as sockets:
        call_command("search_sync")  # one relay pass, as the supervised relay runs it
    assert [message["type"] for message in sockets.messages] == [STREAM_END_EVENT]

    assert not TenantLeftover.objects.filter(schema_name=SCHEMA).exists()
    assert not alias_exists()
    assert documents_of_tenant() == 0
    assert tenant_keys(private_services) == []
    assert redis_keys(private_services, f"*:group:{SCHEMA}.*") == []

    # Re-created with the same schema name, the tenant starts empty.
    again = tenant_create(name="Gone Again", schema_name=SCHEMA, domain=DOMAIN)
    try:
        with tenant_context(again):
            from saas import cache as cache_keys

            assert cache.get(f"{cache_keys.PRODUCTS}:gen") is None
            assert cache.get(cache_keys.product_detail_key(1)) is None
        assert documents_of_tenant() == 0
    finally:
        assert tenant_delete(tenant=again) == []


def test_deletion_with_services_up_cleans_at_once(private_services):
    tenant = tenant_create(name="Gone", schema_name=SCHEMA, domain=DOMAIN)
    populate(tenant)
    assert tenant_delete(tenant=tenant) == []
    assert not TenantLeftover.objects.exists()
    assert not alias_exists() and documents_of_tenant() == 0
    assert tenant_keys(private_services) == []
    assert redis_keys(private_services, f"*:group:{SCHEMA}.*") == []


@pytest.mark.parametrize("strategy", ["index", "shared"])
def test_a_relay_pass_racing_the_deletion_creates_no_index(private_services, settings, strategy):
    """A relay pass that listed the tenant before it was deleted finds it gone and creates nothing."""
    settings.SEARCH_INDEX_STRATEGY = strategy
    tenant = tenant_create(name="Gone", schema_name=SCHEMA, domain=DOMAIN)
    listed_by_the_relay = Client.objects.get(schema_name=SCHEMA)
    tenant_delete(tenant=tenant)
    with tenant_context(listed_by_the_relay):
        assert index_ensure() is False
    assert not alias_exists()
    assert documents_of_tenant() == 0


def test_clean_leftovers_command_reports_what_remains(private_services):
    tenant = tenant_create(name="Gone", schema_name=SCHEMA, domain=DOMAIN)
    with private_services.paused():
        tenant_delete(tenant=tenant)
        with pytest.raises(Exception, match="still queued: .*search of gone_tenant"):
            call_command("clean_leftovers")
    call_command("clean_leftovers")
    assert not TenantLeftover.objects.exists()


def test_search_down_does_not_keep_the_tenant(private_services):
    """The schema goes at once; only the documents wait for search."""
    tenant = tenant_create(name="Gone", schema_name=SCHEMA, domain=DOMAIN)
    os.kill(private_services.search.pid, signal.SIGSTOP)
    try:
        assert tenant_delete(tenant=tenant) == ["search"]
    finally:
        os.kill(private_services.search.pid, signal.SIGCONT)
    assert not schema_exists(SCHEMA)
    assert alias_exists()
    call_command("clean_leftovers", schema=SCHEMA)
    assert not alias_exists()

"""The platform layer's extension points (saas.hooks, tenants.hooks): an empty slot is a
configuration error, not a silent default, and the apps fill every hook from their AppConfig."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from saas import hooks
from tenants import hooks as tenant_hooks


def test_an_empty_slot_is_a_configuration_error():
    slot: hooks.Slot[str] = hooks.Slot("a thing")
    with pytest.raises(ImproperlyConfigured, match="no app provides a thing"):
        slot.get()
    assert slot.get_or_none() is None


def test_a_registry_keeps_first_registration_order_and_replaces_by_name():
    registry: hooks.Registry[int] = hooks.Registry("things")
    registry.register("a", 1)
    registry.register("b", 2)
    registry.register("a", 3)
    assert list(registry.items()) == [("a", 3), ("b", 2)]


def test_the_apps_fill_the_platform_hooks():
    from catalog.search.services import search_readiness
    from tenants.middleware import lookup_tenant
    from users import services

    assert hooks.accounts.get() is services
    assert hooks.tenant_by_host.get() is lookup_tenant
    assert dict(hooks.readiness_checks.items())["search"] is search_readiness
    assert "search_outbox" in hooks.metrics_collectors
    assert hooks.console_search_word.get_or_none() is not None
    assert [name for name, _ in tenant_hooks.console_panels.items()] == ["users", "products", "search"]
    assert "users" in tenant_hooks.tenant_pages
    seeders = sorted(tenant_hooks.demo_seeders.items(), key=lambda item: item[1].order)
    assert [name for name, _ in seeders] == ["products", "users"]

"""Tenant lifecycle: provisioning clones the template, deletion removes the schema and cache namespace."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_exists, tenant_context

from saas import cache as cache_keys
from tenants.models import Client, Domain
from tenants.services import tenant_create, tenant_delete

pytestmark = pytest.mark.django_db


def test_create_and_delete_tenant(client):
    """A new tenant answers on its domain at once; deleting it drops schema, domain and cache keys."""
    tenant = tenant_create(name="Gamma", schema_name="gamma", domain="gamma.localhost")
    assert schema_exists("gamma")
    assert client.get("/healthz", HTTP_HOST="gamma.localhost").status_code == 200
    with tenant_context(tenant):
        from users.models import User

        assert User.objects.count() == 0
        cache.set("catalog:products:detail:1", "GAMMA-MARKER")
    tenant_delete(tenant=tenant)
    assert not schema_exists("gamma")
    assert not Client.objects.filter(schema_name="gamma").exists()
    assert not Domain.objects.filter(domain="gamma.localhost").exists()
    assert not any(key.startswith(b"gamma:") for key in cache_keys.redis_client().keys("*"))
    assert client.get("/admin/login/", HTTP_HOST="gamma.localhost").status_code == 404


@pytest.mark.parametrize("schema_name", ["public", "Bad-Name", "pg_catalog", "x", "tenant_template", "1abc"])
def test_invalid_schema_names_are_refused(schema_name):
    """Reserved or malformed schema names never reach PostgreSQL."""
    with pytest.raises(ValidationError):
        tenant_create(name="Bad", schema_name=schema_name, domain=f"{schema_name.lower()}.example.test")


def test_duplicate_domain_is_refused_without_side_effects():
    """A taken domain fails validation before any schema is created."""
    with pytest.raises(ValidationError):
        tenant_create(name="Dup", schema_name="dup", domain="acme.localhost")
    assert not schema_exists("dup")

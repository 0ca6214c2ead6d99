"""Which tenants a catalog command works on."""

from django.conf import settings
from django.core.management.base import CommandError


def tenants_for(schema: str | None) -> list:
    """Every tenant (not the public schema), or just the one with ``schema``."""
    from tenants.models import Client

    tenants = Client.objects.exclude(schema_name=settings.PUBLIC_SCHEMA_NAME).order_by("schema_name")
    if schema is None:
        return list(tenants)
    tenant = tenants.filter(schema_name=schema).first()
    if tenant is None:
        raise CommandError(f"no tenant with schema {schema!r}")
    return [tenant]

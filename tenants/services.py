"""Tenant lifecycle: provision, suspend/resume, delete. The only code that creates or drops schemas."""

import logging
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django_tenants.utils import schema_context, schema_exists

from tenants.models import Client, Domain
from tenants.signals import tenant_deleting, tenant_provisioned, tenant_status_changed

logger = logging.getLogger(__name__)

_SCHEMA_NAME = re.compile(r"^[a-z][a-z0-9_]{1,62}$")
RESERVED_SCHEMAS = {"public", "information_schema", settings.TENANT_BASE_SCHEMA}


def _validate_schema_name(schema_name: str) -> None:
    if not _SCHEMA_NAME.match(schema_name) or schema_name.startswith("pg_") or schema_name in RESERVED_SCHEMAS:
        raise ValidationError(
            {"schema_name": "Use 2-63 lowercase letters, digits or underscores, starting with a letter."},
            code="invalid",
        )


def template_schema_ensure() -> None:
    """Create the tenant template schema if missing and apply any migration it lacks.

    New tenants are cloned from it with their migrations faked, so it must never lag behind.
    """
    from django.core.management import call_command

    template = settings.TENANT_BASE_SCHEMA
    if not schema_exists(template):
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{template}"')
    with schema_context(template):
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        call_command("migrate_schemas", schema_name=template, tenant=True, interactive=False, verbosity=0)
    connection.set_schema_to_public()


def tenant_create(
    *,
    name: str,
    schema_name: str,
    domain: str,
    plan: str = Client._meta.get_field("plan").default,
    extra_domains: tuple[str, ...] = (),
) -> Client:
    """Provision a tenant: registry row, schema cloned from the template, primary domain."""
    _validate_schema_name(schema_name)
    tenant = Client(name=name, schema_name=schema_name, plan=plan)
    tenant.full_clean()
    domains = [Domain(domain=domain.lower(), tenant=tenant, is_primary=True)]
    domains += [Domain(domain=extra.lower(), tenant=tenant, is_primary=False) for extra in extra_domains]
    for item in domains:
        item.full_clean(exclude=["tenant"])

    template_schema_ensure()
    with transaction.atomic():
        tenant.save()
        for item in domains:
            item.tenant = tenant
            item.save()
        tenant.create_schema(check_if_exists=False, verbosity=0)
    connection.set_schema_to_public()
    logger.info("tenant %s provisioned", schema_name)
    tenant_provisioned.send(sender=Client, tenant=tenant)
    return tenant


def tenant_set_active(*, tenant: Client, is_active: bool) -> Client:
    """Suspend (is_active=False) or resume a tenant."""
    if tenant.is_active != is_active:
        tenant.is_active = is_active
        with schema_context(settings.PUBLIC_SCHEMA_NAME):
            tenant.save(update_fields=["is_active", "updated_on"])
        logger.info("tenant %s %s", tenant.schema_name, "resumed" if is_active else "suspended")
        tenant_status_changed.send(sender=Client, tenant=tenant)
    return tenant


def tenant_delete(*, tenant: Client) -> None:
    """Remove a tenant completely: per-tenant resources (hooks), its schema, its registry rows."""
    if tenant.schema_name == settings.PUBLIC_SCHEMA_NAME:
        raise ValidationError("The public schema cannot be deleted.", code="invalid")
    tenant_deleting.send(sender=Client, tenant=tenant)
    connection.set_schema_to_public()
    with transaction.atomic():
        domains = list(tenant.domains.values_list("domain", flat=True))
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{tenant.schema_name}" CASCADE')
        tenant.delete()
    from saas import cache as cache_keys

    cache_keys.forget_domains(domains)
    cache_keys.clear_tenant_namespace(tenant.schema_name)
    logger.info("tenant %s deleted", tenant.schema_name)


def public_tenant_ensure(*, domain: str = "localhost") -> Client:
    """The public tenant row and its domain (idempotent)."""
    tenant, _ = Client.objects.get_or_create(schema_name=settings.PUBLIC_SCHEMA_NAME, defaults={"name": "Platform"})
    Domain.objects.get_or_create(domain=domain, defaults={"tenant": tenant, "is_primary": True})
    return tenant

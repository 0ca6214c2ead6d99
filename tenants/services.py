"""Tenant lifecycle: provision, suspend/resume, delete. The only code that creates or drops schemas."""

import logging
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.migrations.executor import MigrationExecutor
from django_tenants.utils import schema_context, schema_exists

from tenants.citus import built_then_distributed
from tenants.clone import schema_clone
from tenants.db import connection
from tenants.leftovers import leftovers_clean, leftovers_pending, leftovers_record
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
    """Provision a tenant: registry row, schema cloned from the template (tenants.clone), primary domain."""
    _validate_schema_name(schema_name)
    tenant = Client(name=name, schema_name=schema_name, plan=plan)
    tenant.full_clean()
    domains = [Domain(domain=domain.lower(), tenant=tenant, is_primary=True)]
    domains += [Domain(domain=extra.lower(), tenant=tenant, is_primary=False) for extra in extra_domains]
    for item in domains:
        item.full_clean(exclude=["tenant"])

    _leftovers_ensure_cleaned(schema_name)
    template_schema_ensure()
    # On a Citus coordinator the new schema ends up on a worker node (tenants.citus).
    with transaction.atomic(), built_then_distributed(schema_name):
        tenant.save()
        for item in domains:
            item.tenant = tenant
            item.save()
        if settings.TENANT_CREATION_FAKES_MIGRATIONS:
            schema_clone(settings.TENANT_BASE_SCHEMA, schema_name)
        else:
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


def _leftovers_ensure_cleaned(schema_name: str) -> None:
    """A schema name whose previous tenant left resources behind is provisioned only once they are
    gone: the new tenant must not meet old search documents, cache generations or channel groups."""
    if not leftovers_pending(schema_name):
        return
    remaining = leftovers_clean(schema_name=schema_name)
    if remaining:
        kinds = ", ".join(sorted(leftover.kind for leftover in remaining))
        raise ValidationError(
            {
                "schema_name": ValidationError(
                    f"A deleted tenant of this name still has {kinds} to remove (a service is down); "
                    "try again once it is back.",
                    code="leftovers_pending",
                )
            }
        )


def tenant_delete(*, tenant: Client) -> list[str]:
    """Remove a tenant completely: its schema and registry rows, then everything it owns in other
    services (search documents, cache namespace, channel groups and live sockets).

    Those other resources are queued in the same transaction that drops the schema and cleaned
    right after; whatever a service that is down could not remove stays queued and is cleaned when
    it is back (see tenants.leftovers). Returns the kinds still queued (empty when all is gone).
    """
    if tenant.schema_name == settings.PUBLIC_SCHEMA_NAME:
        raise ValidationError("The public schema cannot be deleted.", code="invalid")
    schema_name = tenant.schema_name
    tenant_deleting.send(sender=Client, tenant=tenant)
    connection.set_schema_to_public()
    with transaction.atomic():
        domains = list(tenant.domains.values_list("domain", flat=True))
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{schema_name}" CASCADE')
        tenant.delete()
        leftovers_record(schema_name=schema_name, detail={"domains": domains})
    remaining = [leftover.kind for leftover in leftovers_clean(schema_name=schema_name)]
    if remaining:
        logger.warning("tenant %s deleted; its %s will be removed when reachable", schema_name, ", ".join(remaining))
    else:
        logger.info("tenant %s deleted", schema_name)
    return remaining


def public_tenant_ensure(*, domain: str = "localhost") -> Client:
    """The public tenant row and its domain (idempotent)."""
    tenant, _ = Client.objects.get_or_create(schema_name=settings.PUBLIC_SCHEMA_NAME, defaults={"name": "Platform"})
    Domain.objects.get_or_create(domain=domain, defaults={"tenant": tenant, "is_primary": True})
    return tenant

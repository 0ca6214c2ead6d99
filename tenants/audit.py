"""The platform audit trail: what an operator did to a tenant or to a tenant's users."""

import enum
from typing import Any

from django.conf import settings
from django.db import transaction
from django_tenants.utils import schema_context

from tenants.models import AuditLog


class AuditAction(enum.StrEnum):
    TENANT_CREATE = "tenant.create"
    TENANT_UPDATE = "tenant.update"
    TENANT_SUSPEND = "tenant.suspend"
    TENANT_RESUME = "tenant.resume"
    TENANT_DELETE = "tenant.delete"
    USER_CREATE = "user.create"
    USER_UPDATE = "user.update"
    USER_ACTIVATE = "user.activate"
    USER_DEACTIVATE = "user.deactivate"
    USER_SET_PASSWORD = "user.set_password"


def audit_record(
    *, actor: str, action: str, tenant_schema: str, target: str = "", detail: dict[str, Any] | None = None
) -> AuditLog:
    """Append one entry to the audit log, which lives in the public schema whatever schema is active."""
    entry = AuditLog(actor=actor, action=str(action), tenant_schema=tenant_schema, target=target, detail=detail or {})
    entry.full_clean()
    with schema_context(settings.PUBLIC_SCHEMA_NAME), transaction.atomic():
        entry.save()
    return entry

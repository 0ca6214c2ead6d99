"""Plan limits of the active tenant, checked by the services that create limited rows."""

from django.conf import settings
from django.core.exceptions import ValidationError

from tenants.db import connection


def limit_enforce(*, limit_field: str, current_count: int, label: str) -> None:
    """``ValidationError`` when the active tenant already holds its plan's maximum of ``label``.

    The public schema and schema-only contexts (no tenant row) have no limits.
    """
    tenant = getattr(connection, "tenant", None)
    limit = getattr(tenant, limit_field, None)
    if limit is None or connection.schema_name == settings.PUBLIC_SCHEMA_NAME:
        return
    if current_count >= limit:
        raise ValidationError(f"This tenant's plan allows at most {limit} {label}.", code="limit_reached")

"""``django.db.connection`` with the type of the backend it is here (saas/settings.py).

django-stubs declares the default connection as Django's base wrapper; the configured backend,
``django_tenants.postgresql_backend``, adds the active schema and the methods that switch it. This
is the same object (the per-thread proxy), only declared with those attributes for the type checker.
"""

from typing import TYPE_CHECKING, Any, cast

from django.db import connection as _connection

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

    class TenantDatabaseWrapper(BaseDatabaseWrapper):
        """What django-tenants' backend adds to Django's wrapper (it ships no type information)."""

        schema_name: str
        tenant: Any  # the active Tenant, or django-tenants' FakeTenant for a schema without a tenant row

        def set_tenant(self, tenant: Any, include_public: bool = True) -> None: ...
        def set_schema(self, schema_name: str, include_public: bool = True, tenant_type: str | None = None) -> None: ...
        def set_schema_to_public(self) -> None: ...


connection = cast("TenantDatabaseWrapper", _connection)

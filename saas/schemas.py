"""Schemas: the default connection typed with the active schema, and the one question asked about
schemas everywhere (is this the public schema?).

``connection`` is ``django.db.connection`` with the type of the backend it is here
(saas/settings.py). django-stubs declares the default connection as Django's base wrapper; the
configured backend, ``django_tenants.postgresql_backend``, adds the active schema and the methods
that switch it. This is the same object (the per-thread proxy), only declared with those
attributes for the type checker.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, transaction
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


def is_public_schema(schema_name: str | None = None) -> bool:
    """Whether ``schema_name`` (by default: the connection's current schema) is the public schema,
    where the platform's own tables and operators live and no tenant's data does."""
    if schema_name is None:
        schema_name = getattr(connection, "schema_name", None)
    return schema_name == settings.PUBLIC_SCHEMA_NAME


def on_commit_in_this_schema(callback: Callable[[], None], *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Run ``callback`` once the transaction commits, in the schema active now rather than whichever
    is active when the commit happens (a request may have switched schemas by then)."""
    from django_tenants.utils import schema_context

    schema_name = connection.schema_name

    def in_schema() -> None:
        with schema_context(schema_name):
            callback()

    transaction.on_commit(in_schema, using=using)

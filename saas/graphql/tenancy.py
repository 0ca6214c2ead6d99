"""Tenant schema for socket work (docs/architecture.md, rule 3).

Sync code of many sockets runs on shared threads, so every ORM call made for a socket goes through
``run_in_tenant``/``tenant_sync``: the schema is set and restored inside the one sync function that
does the work, and nothing else touches it. The tenant itself comes from the Host header, resolved
by ``tenants.websocket.TenantWebsocketMiddleware`` before the consumer runs.

``tenant_sync`` runs on Channels' database thread (``database_sync_to_async``), which closes
unusable or expired connections before and after each call.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from channels.db import database_sync_to_async
from django.conf import settings
from django_tenants.utils import schema_context, tenant_context

from saas.logging import schema_var

T = TypeVar("T")


def run_in_tenant(tenant, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run ``fn`` with the connection on ``tenant``'s schema (``None``: public), then restore it."""
    schema = tenant.schema_name if tenant is not None else settings.PUBLIC_SCHEMA_NAME
    token = schema_var.set(schema)
    try:
        context = tenant_context(tenant) if tenant is not None else schema_context(schema)
        with context:
            return fn(*args, **kwargs)
    finally:
        schema_var.reset(token)


async def tenant_sync(tenant, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``run_in_tenant`` from async code, on Channels' database thread."""
    return await database_sync_to_async(run_in_tenant)(tenant, fn, *args, **kwargs)

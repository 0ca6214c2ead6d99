"""Websocket tenancy (docs/architecture.md, rule 3).

Websockets get no Django middleware, so ``TenantWebsocketMiddleware`` resolves the tenant from
the Host header, refuses unknown hosts, suspended tenants and foreign Origins, and puts the
tenant in the scope. Sync code of many sockets runs on shared threads, so every ORM call made
for a socket goes through ``run_in_tenant``/``tenant_sync``: the schema is set and restored
inside the one sync function that does the work, and nothing else touches it.

``tenant_sync`` runs on Channels' database thread (``database_sync_to_async``), which closes
unusable or expired connections before and after each call.
"""

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlparse

from channels.db import database_sync_to_async
from channels.security.websocket import OriginValidator, WebsocketDenier
from django.conf import settings
from django.core.cache import cache
from django.http.request import validate_host
from django_tenants.utils import schema_context, tenant_context

from saas import cache as cache_keys
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


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin1")
    return None


def hostname_of(host_header: str) -> str:
    """The host name in a Host header, or "" when there is none or it is not one ``ALLOWED_HOSTS`` admits
    (as Django refuses such hosts over HTTP before any tenant lookup)."""
    try:
        hostname = urlparse(f"//{host_header}").hostname or ""
    except ValueError:  # "[::1" and other broken IPv6 literals
        return ""
    allowed = settings.ALLOWED_HOSTS or ([".localhost", "127.0.0.1", "[::1]"] if settings.DEBUG else [])
    return hostname if validate_host(hostname, allowed) else ""


def _resolve(hostname: str):
    """The tenant of ``hostname`` and all its host names; both cached like HTTP's host lookup (the
    host list is forgotten whenever one of the tenant's domains or the tenant changes,
    tenants/signals.py), so a handshake usually reaches no database."""
    from tenants.middleware import DOMAIN_CACHE_SECONDS, lookup_tenant
    from tenants.models import Domain

    tenant = lookup_tenant(hostname)
    if tenant is None or tenant.schema_name == settings.PUBLIC_SCHEMA_NAME:
        return None, []
    key = cache_keys.tenant_domains_key(tenant.pk)
    domains = cache.get(key)
    if domains is None:
        domains = list(Domain.objects.filter(tenant_id=tenant.pk).values_list("domain", flat=True))
        cache.set(key, domains, timeout=DOMAIN_CACHE_SECONDS)
    return tenant, domains


class TenantWebsocketMiddleware:
    """Host -> tenant for websockets; refuses what the HTTP side would 404 or 403."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "websocket":
            return await self.app(scope, receive, send)
        hostname = hostname_of(_header(scope, b"host") or "")
        tenant, domains = await tenant_sync(None, _resolve, hostname) if hostname else (None, [])
        origin = _header(scope, b"origin")
        if tenant is None or not tenant.is_active or not self._origin_allowed(origin, domains):
            return await WebsocketDenier()(scope, receive, send)
        return await self.app({**scope, "tenant": tenant, "tenant_hostname": hostname, "origin": origin}, receive, send)

    @staticmethod
    def _origin_allowed(origin: str | None, domains: list[str]) -> bool:
        if origin is None:
            return True
        allowed = [*domains, *settings.WEBSOCKET_ALLOWED_ORIGINS]
        return OriginValidator(None, allowed).valid_origin(urlparse(origin))

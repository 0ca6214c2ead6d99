"""Websocket tenancy (docs/architecture.md, rule 3).

Websockets get no Django middleware, so ``TenantWebsocketMiddleware`` resolves the tenant from
the Host header, refuses unknown hosts, suspended tenants and foreign Origins, and puts the
tenant in the scope. ORM work for the socket then runs through ``saas.graphql.tenancy``.
"""

from urllib.parse import urlparse

from channels.security.websocket import OriginValidator, WebsocketDenier
from django.conf import settings
from django.core.cache import cache
from django.http.request import validate_host

from saas import cache as cache_keys
from saas.graphql.tenancy import tenant_sync
from saas.schemas import is_public_schema
from tenants.middleware import DOMAIN_CACHE_SECONDS, lookup_tenant
from tenants.models import Domain


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
    tenant = lookup_tenant(hostname)
    if tenant is None or is_public_schema(tenant.schema_name):
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

"""HTTP tenancy: the Host header picks the tenant; unknown hosts 404, suspended tenants 403."""

from django.core.cache import cache
from django.http import HttpResponseForbidden
from django_tenants.middleware.main import TenantMainMiddleware

from saas import cache as cache_keys
from saas.db import retry_read_once
from saas.errors import ErrorCode, error_response

DOMAIN_CACHE_SECONDS = 60
UNKNOWN_HOST_CACHE_SECONDS = 60
UNKNOWN_HOST = "unknown-host"
# Process probes answer on every known host, suspended tenants' included: they show no tenant data.
PROBE_PATHS = {"/healthz", "/readyz"}


def suspended_response(request):
    message = "This tenant is suspended."
    if request.path.startswith("/graphql"):
        return error_response(message, ErrorCode.TENANT_SUSPENDED, 403)
    return HttpResponseForbidden(message)


def lookup_tenant(hostname: str):
    """The tenant owning ``hostname`` or None; cached briefly in the public cache namespace.

    Unknown hosts are cached too (``UNKNOWN_HOST``), so a client repeating one does not reach the
    database on every request or websocket handshake. Saving or deleting a Domain forgets its
    host's entry now and again on commit (tenants/signals.py), which drops such a negative entry
    as soon as a tenant or domain for that host exists.
    """
    from tenants.models import Domain

    key = cache_keys.domain_key(hostname)
    tenant = cache.get(key)
    if tenant == UNKNOWN_HOST:
        return None
    if tenant is None:
        domain = Domain.objects.select_related("tenant").filter(domain=hostname).first()
        if domain is None:
            cache.set(key, UNKNOWN_HOST, timeout=UNKNOWN_HOST_CACHE_SECONDS)
            return None
        tenant = domain.tenant
        cache.set(key, tenant, timeout=DOMAIN_CACHE_SECONDS)
    return tenant


class TenantMiddleware(TenantMainMiddleware):
    def get_tenant(self, domain_model, hostname):
        tenant = retry_read_once(lookup_tenant, hostname)
        if tenant is None:
            raise domain_model.DoesNotExist(hostname)
        return tenant

    def process_request(self, request):
        response = super().process_request(request)
        if response is not None:
            return response
        if not request.tenant.is_active and request.path not in PROBE_PATHS:
            return suspended_response(request)
        return None

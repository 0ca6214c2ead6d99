"""HTTP tenancy: the Host header picks the tenant; unknown hosts 404, suspended tenants 403."""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponseForbidden, JsonResponse
from django_tenants.middleware.main import TenantMainMiddleware

from saas import cache as cache_keys

DOMAIN_CACHE_SECONDS = 60
# Served on every host, before tenant resolution: they expose no tenant data.
PROBE_PATHS = {"/healthz", "/readyz"}


def suspended_response(request):
    message = "This tenant is suspended."
    if request.path.startswith("/graphql"):
        return JsonResponse(
            {"data": None, "errors": [{"message": message, "extensions": {"code": "TENANT_SUSPENDED"}}]},
            status=403,
        )
    return HttpResponseForbidden(message)


def lookup_tenant(hostname: str):
    """The tenant owning ``hostname`` or None; cached briefly in the public cache namespace."""
    from tenants.models import Domain

    key = cache_keys.domain_key(hostname)
    tenant = cache.get(key)
    if tenant is None:
        domain = Domain.objects.select_related("tenant").filter(domain=hostname).first()
        if domain is None:
            return None
        tenant = domain.tenant
        cache.set(key, tenant, timeout=DOMAIN_CACHE_SECONDS)
    return tenant


class TenantMiddleware(TenantMainMiddleware):
    def get_tenant(self, domain_model, hostname):
        tenant = lookup_tenant(hostname)
        if tenant is None:
            raise domain_model.DoesNotExist(hostname)
        return tenant

    def process_request(self, request):
        if request.path in PROBE_PATHS:
            from django.db import connection

            connection.set_schema_to_public()
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
            return None
        response = super().process_request(request)
        if response is not None:
            return response
        if not request.tenant.is_active:
            return suspended_response(request)
        return None

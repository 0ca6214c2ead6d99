"""Routes of the public host (platform administration)."""

from django.urls import path

from saas.admin_sites import platform_admin_site
from saas.health import healthz, readyz

urlpatterns = [
    path("admin/", platform_admin_site.urls),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
]

"""Routes of the public host (platform administration)."""

from django.contrib import admin
from django.urls import path

from saas.health import healthz, readyz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
]

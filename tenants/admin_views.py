"""Platform-admin pages about one tenant: its console, and the pages apps add (its users).

They are served on the public host to platform superusers, under the tenant's admin page
(``/admin/tenants/client/<id>/...``). Every read and write of tenant data runs inside
``tenant_context(tenant)``; whatever a template shows is loaded before the context is left,
because templates render after the view has returned, back on the public schema.

The console's figures and the pages under a tenant come from the apps (``tenants.hooks``:
``console_panels``, ``tenant_pages``), so this module knows no app's models.
"""

from typing import TYPE_CHECKING, Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django_tenants.utils import schema_exists, tenant_context

from saas.schemas import is_public_schema
from tenants.audit import AuditAction, audit_record
from tenants.hooks import console_panels, tenant_pages
from tenants.models import Client


def tenant_overview(tenant: Client) -> dict[str, Any]:
    """What the console shows about one tenant: schema, then each app's figures, last activity."""
    overview: dict[str, Any] = {"schema_present": schema_exists(tenant.schema_name)}
    if not overview["schema_present"]:
        return overview
    activity = []
    with tenant_context(tenant):
        for name, panel in console_panels.items():
            overview[name] = panel.figures()
            if panel.last_activity:
                activity.append(overview[name].get(panel.last_activity))
    overview["last_activity"] = max((moment for moment in activity if moment), default=None)
    return overview


if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin

    _ClientAdmin = ModelAdmin[Client]  # what this is mixed into (tenants/admin.py)
else:
    _ClientAdmin = object


class TenantPages(_ClientAdmin):
    """ClientAdmin mixin: the console of one tenant, the pages apps add under it, and their helpers."""

    def tenant_urls(self) -> list:
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        urls = [path("<int:tenant_id>/console/", wrap(self.console_view), name=f"{info}_console")]
        for _name, pages in tenant_pages.items():
            urls += pages.urls(self)
        return urls

    def tenant_for_page(self, request, tenant_id: int) -> Client:
        """The tenant to manage; the public 'tenant' has no tenant data (its users are platform operators)."""
        tenant = get_object_or_404(Client.objects.all(), pk=tenant_id)
        if is_public_schema(tenant.schema_name) or not self.has_change_permission(request, tenant):
            raise Http404
        return tenant

    def tenant_page(self, request, tenant: Client, template: str, title: str, **context) -> TemplateResponse:
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request,
            f"admin/tenants/client/{template}",
            {**self.admin_site.each_context(request), "opts": self.opts, "tenant": tenant, "title": title, **context},
        )

    def tenant_audit(self, request, action: AuditAction, tenant: Client, target: str = "", **detail) -> None:
        audit_record(
            actor=request.user.email, action=action, tenant_schema=tenant.schema_name, target=target, detail=detail
        )

    def console_view(self, request, tenant_id: int):
        tenant = self.tenant_for_page(request, tenant_id)
        domains = list(tenant.domains.order_by("-is_primary", "domain"))
        return self.tenant_page(
            request,
            tenant,
            "console.html",
            f"Console: {tenant.name}",
            overview=tenant_overview(tenant),
            domains=domains,
        )

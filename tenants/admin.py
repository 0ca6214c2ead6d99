"""Platform admin (public host): tenants and their domains, tenants' users, the audit log.

Tenants are provisioned, suspended, resumed and deleted only through tenants.services, so a
tenant made here is complete (schema, search index, primary domain) and a deleted one leaves
nothing behind (schema, index, cache namespace). Every such action is written to the audit log.
"""

import re

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from saas.admin_sites import ReadOnlyAdmin, add_service_errors, platform_admin_site, render_form_page
from tenants.admin_views import TenantUserViews, tenant_overview
from tenants.audit import AuditAction
from tenants.models import AuditLog, Client, Domain, Plan
from tenants.services import tenant_create, tenant_delete, tenant_set_active
from tenants.signals import forget_domains_on_change

_HOSTNAME = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")


def validate_hostname(value: str) -> None:
    if not _HOSTNAME.match(value):
        raise ValidationError("Enter a host name such as shop.example.com (no scheme, port or path).", code="invalid")


class HostnameField(forms.CharField):
    default_validators = [validate_hostname]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 253)
        super().__init__(**kwargs)

    def to_python(self, value):
        return (super().to_python(value) or "").strip().lower()  # empty_value is "": never None here


class TenantCreationForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="Display name of the tenant.")
    schema_name = forms.CharField(
        max_length=63,
        help_text="PostgreSQL schema: lowercase letters, digits and underscores, starting with a letter. Permanent.",
    )
    domain = HostnameField(help_text="Primary host name of the tenant, e.g. gamma.localhost.")
    plan = forms.ChoiceField(choices=Plan.choices, initial=Plan.STANDARD)


class DomainInlineForm(forms.ModelForm):
    domain = HostnameField()

    class Meta:
        model = Domain
        fields = ["domain", "is_primary"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A domain added beside existing ones should not silently take over as primary.
        if self.instance.pk is None:
            self.fields["is_primary"].initial = False


class DomainInline(admin.TabularInline):
    model = Domain
    form = DomainInlineForm
    extra = 1


def _is_public(tenant: Client) -> bool:
    return tenant.schema_name == settings.PUBLIC_SCHEMA_NAME


@admin.register(Client, site=platform_admin_site)
class ClientAdmin(TenantUserViews, admin.ModelAdmin):
    list_display = ["name", "schema_name", "primary_domain", "plan", "is_active", "created_on", "manage_links"]
    list_filter = ["is_active", "plan"]
    search_fields = ["name", "schema_name", "domains__domain"]
    fields = ["name", "schema_name", "plan", "max_users", "max_products", "is_active", "created_on", "updated_on"]
    readonly_fields = ["schema_name", "is_active", "created_on", "updated_on"]
    inlines = [DomainInline]
    actions = ["suspend_tenants", "resume_tenants", "delete_selected"]
    change_form_template = "admin/tenants/client/change_form.html"
    delete_confirmation_template = "admin/tenants/client/delete_confirmation.html"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("domains")

    def get_urls(self):
        return self.tenant_urls() + super().get_urls()

    @admin.display(description="primary domain")
    def primary_domain(self, tenant: Client) -> str:
        return next((domain.domain for domain in tenant.domains.all() if domain.is_primary), "")

    @admin.display(description="manage")
    def manage_links(self, tenant: Client) -> str:
        if _is_public(tenant):
            return ""
        return format_html(
            '<a href="{}">console</a> · <a href="{}">users</a>',
            reverse("admin:tenants_client_console", args=[tenant.pk], current_app=self.admin_site.name),
            reverse("admin:tenants_client_users", args=[tenant.pk], current_app=self.admin_site.name),
        )

    def has_delete_permission(self, request, obj=None):
        if obj is not None and _is_public(obj):
            return False
        return super().has_delete_permission(request, obj)

    def add_view(self, request, form_url="", extra_context=None):
        """Provision through tenant_create, never through Client.save()."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = TenantCreationForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            data = form.cleaned_data
            try:
                tenant = tenant_create(
                    name=data["name"], schema_name=data["schema_name"], domain=data["domain"], plan=data["plan"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                self._audit(request, AuditAction.TENANT_CREATE, tenant, data["domain"], plan=tenant.plan)
                self.log_addition(request, tenant, [{"added": {}}])
                messages.success(request, f"Tenant {tenant} is ready at {data['domain']}.")
                return HttpResponseRedirect(
                    reverse("admin:tenants_client_console", args=[tenant.pk], current_app=self.admin_site.name)
                )
        return render_form_page(
            self, request, title="Add tenant", form=form, submit_label="Create tenant", extra_context=extra_context
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["manageable"] = obj is not None and not _is_public(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changes = {field: str(form.cleaned_data[field]) for field in form.changed_data}
        if change and changes:
            self._audit(request, AuditAction.TENANT_UPDATE, obj, **changes)

    def save_formset(self, request, form, formset, change):
        renamed_from = [
            domain_form.initial["domain"]
            for domain_form in formset.initial_forms
            if "domain" in domain_form.changed_data and domain_form.initial.get("domain")
        ]
        super().save_formset(request, form, formset, change)
        # The post_save signal forgets the new host name; the old one must stop routing too.
        forget_domains_on_change(renamed_from)
        detail = {
            "added": [domain.domain for domain in formset.new_objects],
            "changed": [domain.domain for domain, _ in formset.changed_objects],
            "deleted": [domain.domain for domain in formset.deleted_objects],
        }
        if any(detail.values()):
            self._audit(request, AuditAction.TENANT_UPDATE, form.instance, "domains", **detail)

    def delete_view(self, request, object_id, extra_context=None):
        tenant = self.get_object(request, object_id)
        if tenant is not None and not _is_public(tenant) and request.method != "POST":
            extra_context = {**(extra_context or {}), "overview": tenant_overview(tenant)}
        return super().delete_view(request, object_id, extra_context)

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Domains are read-only on their own admin page but always go with their tenant.
        perms_needed.discard(Domain._meta.verbose_name)
        return deleted, model_count, perms_needed, protected

    def delete_model(self, request, obj):
        """Drop the tenant's schema, search index and cache namespace with its registry rows."""
        remaining = tenant_delete(tenant=obj)
        self._audit(request, AuditAction.TENANT_DELETE, obj)
        if remaining:
            messages.warning(
                request,
                f"{obj.schema_name}: its {', '.join(remaining)} could not be reached and will be removed "
                "by the search relay once they are back.",
            )

    def delete_queryset(self, request, queryset):
        for tenant in queryset.exclude(schema_name=settings.PUBLIC_SCHEMA_NAME):
            self.delete_model(request, tenant)

    def _set_active(self, request, queryset, is_active: bool) -> None:
        changed = 0
        for tenant in queryset:
            if _is_public(tenant):
                messages.warning(request, "The platform itself cannot be suspended.")
                continue
            if tenant.is_active == is_active:
                continue
            tenant_set_active(tenant=tenant, is_active=is_active)
            self._audit(request, AuditAction.TENANT_RESUME if is_active else AuditAction.TENANT_SUSPEND, tenant)
            changed += 1
        messages.success(request, f"{changed} tenant(s) {'resumed' if is_active else 'suspended'}.")

    @admin.action(description="Suspend selected tenants (their hosts answer 403)", permissions=["change"])
    def suspend_tenants(self, request, queryset):
        self._set_active(request, queryset, is_active=False)

    @admin.action(description="Resume selected tenants", permissions=["change"])
    def resume_tenants(self, request, queryset):
        self._set_active(request, queryset, is_active=True)


@admin.register(Domain, site=platform_admin_site)
class DomainAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Every host name of the platform at a glance; domains are edited on their tenant's page."""

    list_display = ["domain", "tenant", "is_primary"]
    list_filter = ["is_primary"]
    list_select_related = ["tenant"]
    search_fields = ["domain", "tenant__name", "tenant__schema_name"]


@admin.register(AuditLog, site=platform_admin_site)
class AuditLogAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "tenant_schema", "target"]
    list_filter = ["action", "tenant_schema"]
    search_fields = ["actor", "tenant_schema", "target"]
    date_hierarchy = "created_at"
    fields = readonly_fields = ("created_at", "actor", "action", "tenant_schema", "target", "detail")

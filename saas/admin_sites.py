"""The two admin sites: the platform admin on the public host, the tenant admin on tenant hosts.

Both are mounted at ``/admin/``; the Host header picks the URLconf and so the site. Each site
authenticates against the ``users_user`` table of the schema the host resolved to, and
sessions are stored in that schema too, so an account or a session cookie of one host means
nothing on another.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.forms import AdminPasswordChangeForm as BaseAdminPasswordChangeForm
from django.contrib.auth.views import PasswordChangeView
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse

from saas import hooks
from saas.errors import RateLimited, Unauthenticated
from saas.schemas import is_public_schema


def add_service_errors(form: forms.Form, error: ValidationError, default_field: str | None = None) -> None:
    """Show a service's ValidationError on a form: by field where the form has it, else on ``default_field``."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else default_field, field_errors)
    else:
        form.add_error(default_field, error)


def _tenant_schema(request) -> str | None:
    tenant = getattr(request, "tenant", None)
    return tenant.schema_name if tenant is not None else None


def _on_public_host(request) -> bool:
    return is_public_schema(_tenant_schema(request))


def _signed_in_by_session(request) -> bool:
    """The HTML admin counts only its own session sign-in: a request authenticated by a bearer
    token (which skips CSRF) never gets in, whatever middleware let the token through."""
    return getattr(request, "auth_token", None) is None


class RateLimitedAuthenticationForm(AdminAuthenticationForm):
    """The admin login, counted against the same per-address and per-account limits as the API's."""

    def clean(self):
        email, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if email is not None and password:
            try:
                accounts = hooks.accounts.get()
                self.user_cache = accounts.user_authenticate(
                    email=email,
                    password=password,
                    client_address=accounts.client_address(self.request),
                    request=self.request,
                )
            except RateLimited as error:
                raise ValidationError(str(error), code="rate_limited") from error
            except Unauthenticated as error:
                raise self.get_invalid_login_error() from error
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class PlatformAuthenticationForm(RateLimitedAuthenticationForm):
    """Only platform superusers may sign in to the platform admin."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.is_superuser:
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class OwnPasswordChangeForm(BaseAdminPasswordChangeForm):
    """Changing one's own password goes through the accounts' service (``saas.hooks.accounts``:
    users.services), which also revokes bearer tokens."""

    def save(self, commit=True):
        return hooks.accounts.get().user_set_password(user=self.user, password=self.cleaned_data["new_password1"])


class PlatformAdminSite(admin.AdminSite):
    """Tenant lifecycle, tenants' users and the audit log, for platform superusers on the public host."""

    site_header = "Platform administration"
    site_title = "Platform admin"
    index_title = "Tenants and platform operators"
    site_url = None
    login_form = PlatformAuthenticationForm

    def has_permission(self, request):
        user = request.user
        return user.is_active and user.is_superuser and _on_public_host(request) and _signed_in_by_session(request)

    def password_change(self, request, extra_context=None):
        return _password_change(self, request, extra_context)


class TenantAdminSite(admin.AdminSite):
    """A tenant's own users, products and notifications, for that tenant's staff on its hosts."""

    site_title = "Tenant admin"
    index_title = "Manage this tenant"
    login_form = RateLimitedAuthenticationForm

    def has_permission(self, request):
        user = request.user
        schema = _tenant_schema(request)
        return (
            user.is_active
            and user.is_staff
            and schema is not None
            and not is_public_schema(schema)
            and _signed_in_by_session(request)
        )

    def each_context(self, request):
        context = super().each_context(request)
        tenant = getattr(request, "tenant", None)
        if tenant is not None:
            context["site_header"] = f"{tenant.name} administration"
            context["site_title"] = f"{tenant.name} admin"
        return context

    def password_change(self, request, extra_context=None):
        return _password_change(self, request, extra_context)


def _password_change(site: admin.AdminSite, request, extra_context):
    request.current_app = site.name
    return PasswordChangeView.as_view(
        form_class=OwnPasswordChangeForm,
        success_url=reverse("admin:password_change_done", current_app=site.name),
        extra_context={**site.each_context(request), **(extra_context or {})},
    )(request)


platform_admin_site = PlatformAdminSite(name="admin")
tenant_admin_site = TenantAdminSite(name="admin")


class TenantStaffPermissions:
    """ModelAdmin mixin: tenant staff may use the tenant admin without per-model permission rows.

    Members never get this far (the site refuses them), but the checks stand on their own.
    """

    def _is_staff(self, request) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_module_permission(self, request):
        return self._is_staff(request)

    def has_view_permission(self, request, obj=None):
        return self._is_staff(request)

    def has_add_permission(self, request):
        return self._is_staff(request)

    def has_change_permission(self, request, obj=None):
        return self._is_staff(request)

    def has_delete_permission(self, request, obj=None):
        return self._is_staff(request)


class ReadOnlyAdmin:
    """ModelAdmin mixin for lists that are looked at, never edited here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def render_form_page(
    model_admin: admin.ModelAdmin, request, *, title: str, form, submit_label: str, extra_context=None
):
    """A plain admin page with one form, for add views that go through a service."""
    request.current_app = model_admin.admin_site.name
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": title,
        "form": form,
        "submit_label": submit_label,
        **(extra_context or {}),
    }
    return TemplateResponse(request, "admin/form_page.html", context)

"""Platform-admin pages about one tenant: its console and its users.

They are served on the public host to platform superusers, under the tenant's admin page
(``/admin/tenants/client/<id>/...``). Every read and write of tenant data runs inside
``tenant_context(tenant)``; whatever a template shows is loaded before the context is left,
because templates render after the view has returned, back on the public schema.
"""

import logging
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Max, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST
from django_tenants.utils import schema_exists, tenant_context

from catalog.models import Product
from saas.admin_sites import add_service_errors
from tenants.audit import AuditAction, audit_record
from tenants.models import Client
from users.models import User
from users.services import user_create, user_set_active, user_set_password

logger = logging.getLogger(__name__)

USERS_PER_PAGE = 50


def _search_figures() -> dict[str, Any]:
    """Document count of the active tenant's index and its changes still waiting in the outbox."""
    from catalog.search import indexes, outbox

    try:
        return {"ok": True, "documents": indexes.index_document_count(), "backlog": outbox.outbox_pending_count()}
    except Exception as exc:
        logger.warning("search figures unavailable: %s", exc.__class__.__name__)
        return {"ok": False, "error": exc.__class__.__name__}


def tenant_overview(tenant: Client) -> dict[str, Any]:
    """What the console shows about one tenant: schema, users, products, search, last activity."""
    overview: dict[str, Any] = {"schema_present": schema_exists(tenant.schema_name)}
    if not overview["schema_present"]:
        return overview
    with tenant_context(tenant):
        overview["users"] = User.objects.aggregate(
            total=Count("id"),
            active=Count("id", filter=Q(is_active=True)),
            staff=Count("id", filter=Q(is_staff=True)),
            last_login=Max("last_login"),
        )
        overview["products"] = Product.objects.aggregate(
            total=Count("id"),
            active=Count("id", filter=Q(is_active=True)),
            last_change=Max("updated_at"),
        )
        overview["search"] = _search_figures()
    activity = [overview["users"]["last_login"], overview["products"]["last_change"]]
    overview["last_activity"] = max((moment for moment in activity if moment), default=None)
    return overview


class TenantUserCreationForm(forms.Form):
    email = forms.EmailField(max_length=254)
    full_name = forms.CharField(max_length=150, required=False)
    is_staff = forms.BooleanField(
        required=False,
        label="Tenant staff",
        help_text="May write products, send notifications and use this tenant's admin.",
    )
    password1 = forms.CharField(
        label="Password",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Leave both password fields empty to create the account without a usable password.",
    )
    password2 = forms.CharField(
        label="Password confirmation",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean() returns cleaned_data
        if cleaned.get("password1", "") != cleaned.get("password2", ""):
            self.add_error("password2", "The two password fields didn't match.")
        return cleaned


class TenantUserChangeForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["email", "full_name", "is_staff"]
        labels = {"is_staff": "Tenant staff"}

    def clean_email(self):
        # Stored lower-case (user_create), so uniqueness must be checked lower-case too.
        return User.objects.normalize_email(self.cleaned_data["email"]).lower()


if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin

    _ClientAdmin = ModelAdmin[Client]  # what this is mixed into (tenants/admin.py)
else:
    _ClientAdmin = object


class TenantUserViews(_ClientAdmin):
    """ClientAdmin mixin: the console and user-management pages of one tenant."""

    def tenant_urls(self) -> list:
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path("<int:tenant_id>/console/", wrap(self.console_view), name=f"{info}_console"),
            path("<int:tenant_id>/users/", wrap(self.users_view), name=f"{info}_users"),
            path("<int:tenant_id>/users/add/", wrap(self.user_add_view), name=f"{info}_user_add"),
            path("<int:tenant_id>/users/<int:user_id>/", wrap(self.user_change_view), name=f"{info}_user_change"),
            path(
                "<int:tenant_id>/users/<int:user_id>/password/",
                wrap(self.user_password_view),
                name=f"{info}_user_password",
            ),
            path(
                "<int:tenant_id>/users/<int:user_id>/active/",
                wrap(require_POST(self.user_active_view)),
                name=f"{info}_user_active",
            ),
        ]

    def _tenant(self, request, tenant_id: int) -> Client:
        """The tenant to manage; the public 'tenant' has no tenant data (its users are platform operators)."""
        tenant = get_object_or_404(Client.objects.exclude(schema_name=settings.PUBLIC_SCHEMA_NAME), pk=tenant_id)
        if not self.has_change_permission(request, tenant):
            raise Http404
        return tenant

    def _page(self, request, tenant: Client, template: str, title: str, **context) -> TemplateResponse:
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request,
            f"admin/tenants/client/{template}",
            {**self.admin_site.each_context(request), "opts": self.opts, "tenant": tenant, "title": title, **context},
        )

    def _users_url(self, tenant: Client) -> str:
        return reverse("admin:tenants_client_users", args=[tenant.pk], current_app=self.admin_site.name)

    def _user_url(self, tenant: Client, user_id: int) -> str:
        return reverse("admin:tenants_client_user_change", args=[tenant.pk, user_id], current_app=self.admin_site.name)

    def _audit(self, request, action: AuditAction, tenant: Client, target: str = "", **detail) -> None:
        audit_record(
            actor=request.user.email, action=action, tenant_schema=tenant.schema_name, target=target, detail=detail
        )

    def console_view(self, request, tenant_id: int):
        tenant = self._tenant(request, tenant_id)
        domains = list(tenant.domains.order_by("-is_primary", "domain"))
        return self._page(
            request,
            tenant,
            "console.html",
            f"Console: {tenant.name}",
            overview=tenant_overview(tenant),
            domains=domains,
        )

    def users_view(self, request, tenant_id: int):
        tenant = self._tenant(request, tenant_id)
        query = request.GET.get("q", "").strip()[:254]
        with tenant_context(tenant):
            users = User.objects.order_by("email")
            if query:
                users = users.filter(Q(email__icontains=query) | Q(full_name__icontains=query))
            page = Paginator(users, USERS_PER_PAGE).get_page(request.GET.get("page"))
            page.object_list = list(page.object_list)
            total = page.paginator.count
        return self._page(request, tenant, "users.html", f"Users of {tenant.name}", page=page, total=total, query=query)

    def user_add_view(self, request, tenant_id: int):
        tenant = self._tenant(request, tenant_id)
        form = TenantUserCreationForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with tenant_context(tenant):
                    user = user_create(
                        email=data["email"],
                        password=data["password1"] or None,
                        full_name=data["full_name"],
                        is_staff=data["is_staff"],
                    )
            except ValidationError as error:
                add_service_errors(form, error, default_field="password1")
            else:
                self._audit(request, AuditAction.USER_CREATE, tenant, user.email, is_staff=user.is_staff)
                messages.success(request, f"User {user.email} created in {tenant.name}.")
                return HttpResponseRedirect(self._user_url(tenant, user.pk))
        return self._page(
            request, tenant, "user_form.html", f"Add a user to {tenant.name}", form=form, submit_label="Create user"
        )

    def _tenant_user(self, tenant: Client, user_id: int):
        with tenant_context(tenant):
            user = User.objects.filter(pk=user_id).first()
        if user is None:
            raise Http404
        return user

    def user_change_view(self, request, tenant_id: int, user_id: int):
        tenant = self._tenant(request, tenant_id)
        user = self._tenant_user(tenant, user_id)
        with tenant_context(tenant):
            form = TenantUserChangeForm(request.POST if request.method == "POST" else None, instance=user)
            saved = form.is_valid()
            if saved:
                with transaction.atomic():
                    form.save()
        if saved:
            changes = {field: form.cleaned_data[field] for field in form.changed_data}
            if changes:
                self._audit(request, AuditAction.USER_UPDATE, tenant, user.email, **changes)
            messages.success(request, f"User {user.email} saved.")
            return HttpResponseRedirect(self._users_url(tenant))
        return self._page(
            request,
            tenant,
            "user_form.html",
            f"User {user.email} of {tenant.name}",
            form=form,
            submit_label="Save",
            managed_user=user,
            show_access=True,
        )

    def user_password_view(self, request, tenant_id: int, user_id: int):
        tenant = self._tenant(request, tenant_id)
        user = self._tenant_user(tenant, user_id)
        form = SetPasswordForm(user, request.POST if request.method == "POST" else None)
        if form.is_valid():
            try:
                with tenant_context(tenant):
                    user_set_password(user=user, password=form.cleaned_data["new_password1"])
            except ValidationError as error:
                add_service_errors(form, error, default_field="new_password1")
            else:
                self._audit(request, AuditAction.USER_SET_PASSWORD, tenant, user.email)
                messages.success(request, f"Password of {user.email} reset; their sign-in tokens are revoked.")
                return HttpResponseRedirect(self._user_url(tenant, user.pk))
        return self._page(
            request,
            tenant,
            "user_form.html",
            f"Reset the password of {user.email}",
            form=form,
            submit_label="Reset password",
            managed_user=user,
        )

    def user_active_view(self, request, tenant_id: int, user_id: int):
        tenant = self._tenant(request, tenant_id)
        user = self._tenant_user(tenant, user_id)
        choice = request.POST.get("is_active")
        if choice not in ("true", "false"):
            messages.error(request, "Choose whether the user should be active.")
            return HttpResponseRedirect(self._user_url(tenant, user.pk))
        is_active = choice == "true"
        with tenant_context(tenant):
            user_set_active(user=user, is_active=is_active)
        action = AuditAction.USER_ACTIVATE if is_active else AuditAction.USER_DEACTIVATE
        self._audit(request, action, tenant, user.email)
        state = "reactivated" if is_active else "deactivated; their sign-in tokens are revoked"
        messages.success(request, f"User {user.email} {state}.")
        return HttpResponseRedirect(self._user_url(tenant, user.pk))

"""Platform-admin pages of one tenant's users (``/admin/tenants/client/<id>/users/...``).

Added under the tenant's admin page through ``tenants.hooks.tenant_pages`` (UsersConfig.ready);
the tenant, the page frame and the audit record come from the tenant ModelAdmin
(``tenants.admin_views.TenantPages``). Every read and write runs inside ``tenant_context(tenant)``.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.views.decorators.http import require_POST
from django_tenants.utils import tenant_context

from saas.admin_sites import add_service_errors
from tenants.audit import AuditAction
from tenants.models import Client
from users.models import User
from users.services import user_create, user_set_active, user_set_password

USERS_PER_PAGE = 50


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


class TenantUserPages:
    """The user pages of one tenant ModelAdmin (``admin``: a ``tenants.admin_views.TenantPages``)."""

    def __init__(self, admin) -> None:
        self.admin = admin

    @classmethod
    def urls(cls, admin) -> list:
        pages = cls(admin)
        info = f"{admin.opts.app_label}_{admin.opts.model_name}"
        wrap = admin.admin_site.admin_view
        return [
            path("<int:tenant_id>/users/", wrap(pages.users_view), name=f"{info}_users"),
            path("<int:tenant_id>/users/add/", wrap(pages.user_add_view), name=f"{info}_user_add"),
            path("<int:tenant_id>/users/<int:user_id>/", wrap(pages.user_change_view), name=f"{info}_user_change"),
            path(
                "<int:tenant_id>/users/<int:user_id>/password/",
                wrap(pages.user_password_view),
                name=f"{info}_user_password",
            ),
            path(
                "<int:tenant_id>/users/<int:user_id>/active/",
                wrap(require_POST(pages.user_active_view)),
                name=f"{info}_user_active",
            ),
        ]

    def _users_url(self, tenant: Client) -> str:
        return reverse("admin:tenants_client_users", args=[tenant.pk], current_app=self.admin.admin_site.name)

    def _user_url(self, tenant: Client, user_id: int) -> str:
        return reverse(
            "admin:tenants_client_user_change", args=[tenant.pk, user_id], current_app=self.admin.admin_site.name
        )

    def users_view(self, request, tenant_id: int):
        tenant = self.admin.tenant_for_page(request, tenant_id)
        query = request.GET.get("q", "").strip()[:254]
        with tenant_context(tenant):
            users = User.objects.order_by("email")
            if query:
                users = users.filter(Q(email__icontains=query) | Q(full_name__icontains=query))
            page = Paginator(users, USERS_PER_PAGE).get_page(request.GET.get("page"))
            page.object_list = list(page.object_list)
            total = page.paginator.count
        return self.admin.tenant_page(
            request, tenant, "users.html", f"Users of {tenant.name}", page=page, total=total, query=query
        )

    def user_add_view(self, request, tenant_id: int):
        tenant = self.admin.tenant_for_page(request, tenant_id)
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
                self.admin.tenant_audit(request, AuditAction.USER_CREATE, tenant, user.email, is_staff=user.is_staff)
                messages.success(request, f"User {user.email} created in {tenant.name}.")
                return HttpResponseRedirect(self._user_url(tenant, user.pk))
        return self.admin.tenant_page(
            request, tenant, "user_form.html", f"Add a user to {tenant.name}", form=form, submit_label="Create user"
        )

    def _tenant_user(self, tenant: Client, user_id: int):
        with tenant_context(tenant):
            user = User.objects.filter(pk=user_id).first()
        if user is None:
            raise Http404
        return user

    def user_change_view(self, request, tenant_id: int, user_id: int):
        tenant = self.admin.tenant_for_page(request, tenant_id)
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
                self.admin.tenant_audit(request, AuditAction.USER_UPDATE, tenant, user.email, **changes)
            messages.success(request, f"User {user.email} saved.")
            return HttpResponseRedirect(self._users_url(tenant))
        return self.admin.tenant_page(
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
        tenant = self.admin.tenant_for_page(request, tenant_id)
        user = self._tenant_user(tenant, user_id)
        form = SetPasswordForm(user, request.POST if request.method == "POST" else None)
        if form.is_valid():
            try:
                with tenant_context(tenant):
                    user_set_password(user=user, password=form.cleaned_data["new_password1"])
            except ValidationError as error:
                add_service_errors(form, error, default_field="new_password1")
            else:
                self.admin.tenant_audit(request, AuditAction.USER_SET_PASSWORD, tenant, user.email)
                messages.success(request, f"Password of {user.email} reset; their sign-in tokens are revoked.")
                return HttpResponseRedirect(self._user_url(tenant, user.pk))
        return self.admin.tenant_page(
            request,
            tenant,
            "user_form.html",
            f"Reset the password of {user.email}",
            form=form,
            submit_label="Reset password",
            managed_user=user,
        )

    def user_active_view(self, request, tenant_id: int, user_id: int):
        tenant = self.admin.tenant_for_page(request, tenant_id)
        user = self._tenant_user(tenant, user_id)
        choice = request.POST.get("is_active")
        if choice not in ("true", "false"):
            messages.error(request, "Choose whether the user should be active.")
            return HttpResponseRedirect(self._user_url(tenant, user.pk))
        is_active = choice == "true"
        with tenant_context(tenant):
            user_set_active(user=user, is_active=is_active)
        action = AuditAction.USER_ACTIVATE if is_active else AuditAction.USER_DEACTIVATE
        self.admin.tenant_audit(request, action, tenant, user.email)
        state = "reactivated" if is_active else "deactivated; their sign-in tokens are revoked"
        messages.success(request, f"User {user.email} {state}.")
        return HttpResponseRedirect(self._user_url(tenant, user.pk))

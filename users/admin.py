"""Users in the admin: a tenant's own users on the tenant admin, platform operators on the platform admin.

Accounts are created with users.services.user_create; password changes and deactivation go
through user_set_password / user_set_active, which revoke the user's bearer tokens.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm, UserChangeForm

from saas.admin_sites import TenantStaffPermissions, platform_admin_site, tenant_admin_site
from users.models import User
from users.services import user_create, user_set_active, user_set_password


class EmailUserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields: tuple[str, ...] = ("email", "full_name", "is_staff")

    def clean_email(self):
        # Stored lower-case (user_create), so uniqueness must be checked lower-case too.
        return User.objects.normalize_email(self.cleaned_data["email"]).lower()


class PlatformUserCreationForm(EmailUserCreationForm):
    class Meta(EmailUserCreationForm.Meta):
        fields = ("email", "full_name", "is_staff", "is_superuser")


class EmailUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self):
        return User.objects.normalize_email(self.cleaned_data["email"]).lower()


class UserPasswordForm(AdminPasswordChangeForm):
    """Sets (or disables) a user's password and revokes their bearer tokens."""

    def save(self, commit=True):
        usable = self.cleaned_data["set_usable_password"]
        return user_set_password(user=self.user, password=self.cleaned_data["password1"] if usable else None)


class BaseEmailUserAdmin(DjangoUserAdmin):
    form = EmailUserChangeForm
    add_form = EmailUserCreationForm
    change_password_form = UserPasswordForm
    list_display = ["email", "full_name", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_active"]
    search_fields = ["email", "full_name"]
    ordering = ["email"]
    filter_horizontal = ()
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("full_name",)}),
        ("Access", {"fields": ("is_active", "is_staff")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "is_staff", "usable_password", "password1", "password2"),
            },
        ),
    )
    # Fields a user may not change on their own account, so nobody locks themselves out by accident.
    self_locked_fields: tuple[str, ...] = ("is_active", "is_staff")

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk:
            readonly += self.self_locked_fields
        return readonly

    def has_delete_permission(self, request, obj=None):
        # Deactivate instead: it keeps the history and revokes the user's tokens.
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            data = form.cleaned_data
            user = user_create(
                email=obj.email,
                password=data["password1"] if data.get("set_usable_password") else None,
                full_name=obj.full_name,
                is_staff=obj.is_staff,
                is_superuser=obj.is_superuser,
            )
            # The admin goes on with ``obj`` (history entry, redirect), so it takes the new row's key.
            obj.pk = user.pk
            return
        super().save_model(request, obj, form, change)
        if "is_active" in form.changed_data:
            user_set_active(user=obj, is_active=obj.is_active)


@admin.register(User, site=tenant_admin_site)
class TenantUserAdmin(TenantStaffPermissions, BaseEmailUserAdmin):
    """This tenant's users, for its staff. Superuser and per-model permissions play no part here."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User, site=platform_admin_site)
class PlatformUserAdmin(BaseEmailUserAdmin):
    """Platform operators (users of the public schema); tenants' users are managed per tenant."""

    add_form = PlatformUserCreationForm
    fieldsets = (
        *BaseEmailUserAdmin.fieldsets[:2],
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser")}),
        BaseEmailUserAdmin.fieldsets[3],
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "is_staff",
                    "is_superuser",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    self_locked_fields = ("is_active", "is_staff", "is_superuser")

"""Tenants' users managed from the platform admin: every page works in that tenant's schema only."""

import pytest
from django.test import Client as HttpClient
from django_tenants.utils import tenant_context

from tenants.models import AuditLog
from tests.admin.helpers import PLATFORM_ADMIN, PUBLIC_HOST, admin_login
from tests.support import PASSWORD, issue_token, marker
from users.models import User
from users.services import token_user

pytestmark = pytest.mark.django_db


def users_url(tenant, suffix: str = "") -> str:
    return f"/admin/tenants/client/{tenant.pk}/users/{suffix}"


def user_in(tenant, email: str) -> User | None:
    with tenant_context(tenant):
        return User.objects.filter(email=email).first()


def stored_user(tenant, email: str) -> User:
    with tenant_context(tenant):
        return User.objects.get(email=email)


def test_lists_only_that_tenants_users(platform_admin, acme):
    """acme's user page shows acme's users and never beta's, although their primary keys collide."""
    response = platform_admin.get(users_url(acme), HTTP_HOST=PUBLIC_HOST)
    assert response.status_code == 200
    assert b"owner@acme.test" in response.content and b"member@acme.test" in response.content
    assert marker("acme").encode() in response.content
    assert marker("beta").encode() not in response.content
    assert b"beta.test" not in response.content
    assert response.context["total"] == 2


def test_user_search_stays_in_the_tenant(platform_admin, acme):
    """Searching acme's users for beta's marker finds nothing."""
    response = platform_admin.get(users_url(acme), {"q": marker("beta")}, HTTP_HOST=PUBLIC_HOST)
    assert response.status_code == 200
    assert response.context["total"] == 0
    found = platform_admin.get(users_url(acme), {"q": "member"}, HTTP_HOST=PUBLIC_HOST)
    assert [user.email for user in found.context["page"].object_list] == ["member@acme.test"]


def test_creates_a_user_in_that_tenant_only(platform_admin, acme, beta, public_tenant):
    """A user created for acme exists in acme's schema only and can sign in on acme's admin."""
    data = {
        "email": "New.Staff@Acme.test",
        "full_name": "New staff",
        "is_staff": "on",
        "password1": "new-staff-pass-2026",
        "password2": "new-staff-pass-2026",
    }
    response = platform_admin.post(users_url(acme, "add/"), data, HTTP_HOST=PUBLIC_HOST)
    created = stored_user(acme, "new.staff@acme.test")
    assert response.status_code == 302
    assert response["Location"] == users_url(acme, f"{created.pk}/")
    assert created.is_staff and created.check_password("new-staff-pass-2026")
    assert user_in(beta, "new.staff@acme.test") is None
    assert user_in(public_tenant, "new.staff@acme.test") is None
    assert admin_login(HttpClient(), "acme.localhost", "new.staff@acme.test", "new-staff-pass-2026").status_code == 302
    entry = AuditLog.objects.get(action="user.create")
    assert (entry.actor, entry.tenant_schema, entry.target) == (PLATFORM_ADMIN, "acme", "new.staff@acme.test")


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"email": "OWNER@acme.test"}, "email"),
        ({"email": "not-an-email"}, "email"),
        ({"password2": "something-else-2026"}, "password2"),
        ({"password1": "short", "password2": "short"}, "password1"),
        ({"password1": "password", "password2": "password"}, "password1"),
    ],
)
def test_invalid_user_is_refused_with_a_form_error(platform_admin, acme, fields, error_field):
    """Taken emails, mismatched or weak passwords come back as form errors."""
    data = {"email": "fresh@acme.test", "password1": "fresh-pass-2026", "password2": "fresh-pass-2026", **fields}
    response = platform_admin.post(users_url(acme, "add/"), data, HTTP_HOST=PUBLIC_HOST)
    assert response.status_code == 200
    assert response.context["form"].errors.get(error_field)
    with tenant_context(acme):
        assert User.objects.count() == 2


def test_user_without_password_cannot_sign_in(platform_admin, acme):
    """Leaving both password fields empty creates an account that has no usable password."""
    response = platform_admin.post(users_url(acme, "add/"), {"email": "nopass@acme.test"}, HTTP_HOST=PUBLIC_HOST)
    assert response.status_code == 302
    assert not stored_user(acme, "nopass@acme.test").has_usable_password()


def test_edits_the_user_of_that_tenant_only(platform_admin, acme, beta):
    """Editing acme's user 2 leaves beta's user 2 (same primary key) untouched."""
    member = stored_user(acme, "member@acme.test")
    beta_twin = stored_user(beta, "member@beta.test")
    assert member.pk == beta_twin.pk
    page = platform_admin.get(users_url(acme, f"{member.pk}/"), HTTP_HOST=PUBLIC_HOST)
    assert page.status_code == 200
    assert b"member@acme.test" in page.content and b"member@beta.test" not in page.content
    data = {"email": "member@acme.test", "full_name": "Renamed member", "is_staff": "on"}
    response = platform_admin.post(users_url(acme, f"{member.pk}/"), data, HTTP_HOST=PUBLIC_HOST)
    assert response.status_code == 302
    member = stored_user(acme, "member@acme.test")
    assert (member.full_name, member.is_staff) == ("Renamed member", True)
    beta_twin = stored_user(beta, "member@beta.test")
    assert (beta_twin.full_name, beta_twin.is_staff) == (marker("beta"), False)
    entry = AuditLog.objects.get(action="user.update")
    assert entry.detail == {"full_name": "Renamed member", "is_staff": True}


def test_edit_refuses_another_users_email(platform_admin, acme):
    """Taking an email already used in the tenant is a form error, not a crash."""
    member = stored_user(acme, "member@acme.test")
    data = {"email": "owner@acme.test", "full_name": "x"}
    response = platform_admin.post(users_url(acme, f"{member.pk}/"), data, HTTP_HOST=PUBLIC_HOST)
    assert response.status_code == 200
    assert response.context["form"].errors["email"]


def test_deactivation_revokes_tokens_in_that_tenant_only(platform_admin, acme, beta):
    """Deactivating acme's member revokes their token; beta's member with the same key keeps theirs."""
    acme_token = issue_token("acme", "member")
    beta_token = issue_token("beta", "member")
    member = stored_user(acme, "member@acme.test")
    response = platform_admin.post(
        users_url(acme, f"{member.pk}/active/"), {"is_active": "false"}, HTTP_HOST=PUBLIC_HOST
    )
    assert response.status_code == 302
    with tenant_context(acme):
        assert token_user(raw_token=acme_token) is None
        assert not User.objects.get(pk=member.pk).is_active
    with tenant_context(beta):
        beta_member = token_user(raw_token=beta_token)
        assert beta_member is not None and beta_member.email == "member@beta.test"
    platform_admin.post(users_url(acme, f"{member.pk}/active/"), {"is_active": "true"}, HTTP_HOST=PUBLIC_HOST)
    assert stored_user(acme, "member@acme.test").is_active
    actions = AuditLog.objects.filter(tenant_schema="acme").order_by("id").values_list("action", flat=True)
    assert list(actions) == ["user.deactivate", "user.activate"]


def test_activation_endpoint_refuses_get_and_unclear_input(platform_admin, acme):
    """Changing a user's state needs a POST saying true or false; anything else changes nothing."""
    member = stored_user(acme, "member@acme.test")
    url = users_url(acme, f"{member.pk}/active/")
    assert platform_admin.get(url, HTTP_HOST=PUBLIC_HOST).status_code == 405
    for data in ({}, {"is_active": "maybe"}):
        assert platform_admin.post(url, data, HTTP_HOST=PUBLIC_HOST).status_code == 302
    assert stored_user(acme, "member@acme.test").is_active


def test_password_reset_applies_in_that_tenant_and_revokes_tokens(platform_admin, acme, beta):
    """A reset sets acme's owner's password, revokes their tokens and leaves beta's owner alone."""
    token = issue_token("acme", "owner")
    owner = stored_user(acme, "owner@acme.test")
    data = {"new_password1": "reset-pass-2026", "new_password2": "reset-pass-2026"}
    response = platform_admin.post(users_url(acme, f"{owner.pk}/password/"), data, HTTP_HOST=PUBLIC_HOST)
    assert response.status_code == 302
    assert stored_user(acme, "owner@acme.test").check_password("reset-pass-2026")
    assert stored_user(beta, "owner@beta.test").check_password(PASSWORD)
    with tenant_context(acme):
        assert token_user(raw_token=token) is None
    assert admin_login(HttpClient(), "acme.localhost", "owner@acme.test", "reset-pass-2026").status_code == 302
    assert AuditLog.objects.filter(action="user.set_password", target="owner@acme.test").exists()


def test_weak_password_reset_is_refused(platform_admin, acme):
    """Password validators apply to resets too."""
    owner = stored_user(acme, "owner@acme.test")
    data = {"new_password1": "short", "new_password2": "short"}
    response = platform_admin.post(users_url(acme, f"{owner.pk}/password/"), data, HTTP_HOST=PUBLIC_HOST)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert stored_user(acme, "owner@acme.test").check_password(PASSWORD)


def test_unknown_users_and_the_platform_itself_have_no_user_pages(platform_admin, acme, public_tenant):
    """Unknown user ids, unknown tenants and the public tenant answer 404."""
    assert platform_admin.get(users_url(acme, "999/"), HTTP_HOST=PUBLIC_HOST).status_code == 404
    assert platform_admin.get(users_url(public_tenant), HTTP_HOST=PUBLIC_HOST).status_code == 404
    assert platform_admin.get("/admin/tenants/client/999999/users/", HTTP_HOST=PUBLIC_HOST).status_code == 404
    assert (
        platform_admin.get(f"/admin/tenants/client/{public_tenant.pk}/console/", HTTP_HOST=PUBLIC_HOST).status_code
        == 404
    )


def test_tenant_user_pages_need_the_platform_admin(client, acme, acme_staff):
    """Anonymous visitors and tenant staff are sent to the public login page."""
    for browser in (client, acme_staff):
        response = browser.get(users_url(acme), HTTP_HOST=PUBLIC_HOST)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")

"""Tenant admin on tenant hosts: staff manage their own tenant through the same services as the API."""

from decimal import Decimal

import pytest
from django_tenants.utils import tenant_context

from catalog.models import Product
from catalog.services import product_create
from notifications.models import Notification
from tests.admin.helpers import PUBLIC_HOST, admin_login
from tests.support import issue_token, marker
from users.models import User
from users.services import token_user

pytestmark = pytest.mark.django_db

ACME = "acme.localhost"
PRODUCT_BY_SKU = """
query ($sku: String!) {
  products(filters: {sku: {exact: $sku}}) { totalCount edges { node { name price isActive } } }
}"""
SEARCH = "query ($q: String!) { searchProducts(query: $q) { name sku } }"


def product_form(**overrides) -> dict:
    return {"name": "", "description": "", "sku": "", "price": "", "is_active": "on", **overrides}


def products_by_sku(gql, schema: str, sku: str) -> dict:
    result = gql.on(schema).as_user("member").execute(PRODUCT_BY_SKU, {"sku": sku})
    assert not result.get("errors"), result
    return result["data"]["products"]


def searched_names(gql, schema: str, query: str) -> list[str]:
    result = gql.on(schema).as_user("member").execute(SEARCH, {"q": query})
    assert not result.get("errors"), result
    return [hit["name"] for hit in result["data"]["searchProducts"]]


def test_staff_signs_in_to_their_tenant_admin(acme_staff):
    """acme's owner signs in on acme.localhost and sees the tenant's models under its own name."""
    response = acme_staff.get("/admin/", HTTP_HOST=ACME)
    assert response.status_code == 200
    assert b"Acme Test administration" in response.content
    for section in (b"/admin/catalog/product/", b"/admin/notifications/notification/", b"/admin/users/user/"):
        assert section in response.content
    assert b"/admin/tenants/" not in response.content


def test_members_cannot_sign_in_to_any_admin(client):
    """A member's right password still does not open the tenant admin."""
    response = admin_login(client, ACME, "member@acme.test")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert client.get("/admin/", HTTP_HOST=ACME).status_code == 302


@pytest.mark.parametrize(
    ("host", "email"),
    [
        ("beta.localhost", "owner@acme.test"),
        (PUBLIC_HOST, "owner@acme.test"),
        (ACME, "owner@beta.test"),
        (ACME, "admin@platform.test"),
    ],
)
def test_accounts_do_not_exist_on_other_hosts(client, host, email):
    """Staff of one tenant, and platform superusers, have no account on any other host's admin."""
    response = admin_login(client, host, email)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert client.get("/admin/", HTTP_HOST=host).status_code == 302


def test_a_tenant_session_cookie_is_useless_on_other_hosts(acme_staff):
    """acme's admin session opens nothing on beta or on the public host (sessions live per schema)."""
    assert acme_staff.get("/admin/", HTTP_HOST=ACME).status_code == 200
    for host in ("beta.localhost", PUBLIC_HOST):
        response = acme_staff.get("/admin/", HTTP_HOST=host)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    assert acme_staff.get("/admin/catalog/product/", HTTP_HOST="beta.localhost").status_code == 302


def test_a_platform_session_cookie_is_useless_on_tenant_hosts(platform_admin):
    """The platform superuser's session is unknown to every tenant schema."""
    assert platform_admin.get("/admin/", HTTP_HOST=PUBLIC_HOST).status_code == 200
    for host in (ACME, "beta.localhost"):
        assert platform_admin.get("/admin/", HTTP_HOST=host).status_code == 302


def test_session_cookie_flags(client):
    """The admin session cookie is HttpOnly and SameSite=Lax, and Secure outside DEBUG (SECURE_COOKIES)."""
    response = admin_login(client, ACME, "owner@acme.test")
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["secure"] is True


def test_staff_product_changes_reach_graphql_search_and_notifications(
    acme_staff, gql, acme, beta, django_capture_on_commit_callbacks
):
    """Add, edit and delete a product in acme's admin: GraphQL, search and notifications follow; beta sees none."""
    sku = "ACME-ADMIN-ZEPHYR"
    name = "Zephyrlantern admin lamp"
    with django_capture_on_commit_callbacks(execute=True):
        response = acme_staff.post(
            "/admin/catalog/product/add/",
            product_form(name=name, sku=sku, price="9.50", description=marker("acme")),
            HTTP_HOST=ACME,
        )
    assert response.status_code == 302
    with tenant_context(acme):
        product = Product.objects.get(sku=sku)
        assert Notification.objects.filter(message__contains=sku, recipient__isnull=True).count() == 1
    with tenant_context(beta):
        assert not Product.objects.filter(sku=sku).exists()
        assert not Notification.objects.filter(message__contains=sku).exists()
    assert products_by_sku(gql, "acme", sku)["edges"][0]["node"]["name"] == name
    assert products_by_sku(gql, "beta", sku)["totalCount"] == 0
    assert name in searched_names(gql, "acme", "zephyrlantren")
    assert name not in searched_names(gql, "beta", "zephyrlantern")

    with django_capture_on_commit_callbacks(execute=True):
        response = acme_staff.post(
            f"/admin/catalog/product/{product.pk}/change/",
            product_form(name="Zephyrlantern renamed", sku=sku, price="12.00", description=marker("acme")),
            HTTP_HOST=ACME,
        )
    assert response.status_code == 302
    node = products_by_sku(gql, "acme", sku)["edges"][0]["node"]
    assert (node["name"], node["price"]) == ("Zephyrlantern renamed", "12.00")
    assert "Zephyrlantern renamed" in searched_names(gql, "acme", "zephyrlantern")

    with django_capture_on_commit_callbacks(execute=True):
        response = acme_staff.post(f"/admin/catalog/product/{product.pk}/delete/", {"post": "yes"}, HTTP_HOST=ACME)
    assert response.status_code == 302
    assert products_by_sku(gql, "acme", sku)["totalCount"] == 0
    assert searched_names(gql, "acme", "zephyrlantern") == []
    with tenant_context(acme):
        assert Notification.objects.filter(message__contains="deleted", level="warning").exists()


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"price": "-1"}, "price"),
        ({"price": "abc"}, "price"),
        ({"sku": "ACME-TAKEN"}, "sku"),
        ({"name": ""}, "name"),
        ({"description": "x" * 5001}, "description"),
    ],
)
def test_invalid_products_are_refused_with_a_form_error(acme_staff, acme, fields, error_field):
    """Bad prices, taken SKUs, empty names and oversized text are form errors, never a crash."""
    with tenant_context(acme):
        product_create(name="Taken", sku="ACME-TAKEN", price=Decimal("1.00"))
    data = product_form(**{"name": "Valid", "sku": "ACME-VALID", "price": "1.00", **fields})
    response = acme_staff.post("/admin/catalog/product/add/", data, HTTP_HOST=ACME)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors.get(error_field)
    with tenant_context(acme):
        assert not Product.objects.filter(sku="ACME-VALID").exists()


def test_product_list_searches_and_filters_within_the_tenant(acme_staff, acme, beta):
    """Search by name or SKU and the is_active/price filters list acme's products only."""
    with tenant_context(acme):
        product_create(name="Cheap Acme Widget", sku="ACME-LIST-1", price=Decimal("5.00"))
        product_create(name="Pricey Acme Gadget", sku="ACME-LIST-2", price=Decimal("500.00"), is_active=False)
    with tenant_context(beta):
        product_create(name=f"Cheap {marker('beta')} Widget", sku="BETA-LIST-1", price=Decimal("5.00"))

    def listed(**params) -> set[str]:
        response = acme_staff.get("/admin/catalog/product/", params, HTTP_HOST=ACME)
        assert response.status_code == 200
        assert marker("beta").encode() not in response.content
        return {product.sku for product in response.context["cl"].result_list}

    assert listed() == {"ACME-LIST-1", "ACME-LIST-2"}
    assert listed(q="widget") == {"ACME-LIST-1"}
    assert listed(q="ACME-LIST-2") == {"ACME-LIST-2"}
    assert listed(q="BETA-LIST-1") == set()
    assert listed(is_active__exact="0") == {"ACME-LIST-2"}
    assert listed(price_range="lt10") == {"ACME-LIST-1"}
    assert listed(price_range="100-1000") == {"ACME-LIST-2"}


def test_bulk_delete_goes_through_the_service(acme_staff, acme, django_capture_on_commit_callbacks):
    """The delete action removes each selected product with product_delete (users are notified of each)."""
    with tenant_context(acme):
        ids = [product_create(name=f"Bulk {n}", sku=f"ACME-BULK-{n}", price=Decimal("1.00")).pk for n in range(3)]
    action = {"action": "delete_selected", "_selected_action": ids[:2], "post": "yes"}
    with django_capture_on_commit_callbacks(execute=True):
        response = acme_staff.post("/admin/catalog/product/", action, HTTP_HOST=ACME)
    assert response.status_code == 302
    with tenant_context(acme):
        assert list(Product.objects.filter(pk__in=ids).values_list("sku", flat=True)) == ["ACME-BULK-2"]
        deleted_notices = Notification.objects.filter(level="warning", message__contains="ACME-BULK-")
        assert deleted_notices.filter(recipient__isnull=True).count() == 2


def test_staff_manage_their_tenants_users(acme_staff, acme, beta):
    """Staff add users to their own tenant; superuser and permission fields are not offered."""
    page = acme_staff.get("/admin/users/user/add/", HTTP_HOST=ACME)
    assert "is_superuser" not in page.context["adminform"].form.fields
    data = {
        "email": "Clerk@Acme.test",
        "full_name": "Clerk",
        "usable_password": "true",
        "password1": "clerk-pass-2026",
        "password2": "clerk-pass-2026",
    }
    response = acme_staff.post("/admin/users/user/add/", data, HTTP_HOST=ACME)
    assert response.status_code == 302
    with tenant_context(acme):
        clerk = User.objects.get(email="clerk@acme.test")
        assert clerk.check_password("clerk-pass-2026") and not clerk.is_staff and not clerk.is_superuser
    with tenant_context(beta):
        assert not User.objects.filter(email="clerk@acme.test").exists()
    listing = acme_staff.get("/admin/users/user/", HTTP_HOST=ACME)
    assert marker("acme").encode() in listing.content and marker("beta").encode() not in listing.content
    change = acme_staff.get(f"/admin/users/user/{clerk.pk}/change/", HTTP_HOST=ACME)
    assert set(change.context["adminform"].form.fields) >= {"email", "is_active", "is_staff"}
    assert not {"is_superuser", "groups", "user_permissions"} & set(change.context["adminform"].form.fields)


def test_duplicate_email_is_a_form_error(acme_staff, acme):
    """An email already used in the tenant, in any case, is refused on the add form."""
    data = {"email": "MEMBER@acme.test", "usable_password": "false"}
    response = acme_staff.post("/admin/users/user/add/", data, HTTP_HOST=ACME)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"]


def test_password_change_and_deactivation_revoke_tokens(acme_staff, acme):
    """Password changes and deactivation in the tenant admin go through users.services and revoke tokens."""
    with tenant_context(acme):
        member = User.objects.get(email="member@acme.test")
    token = issue_token("acme", "member")
    data = {"usable_password": "true", "password1": "member-new-2026", "password2": "member-new-2026"}
    response = acme_staff.post(f"/admin/users/user/{member.pk}/password/", data, HTTP_HOST=ACME)
    assert response.status_code == 302
    with tenant_context(acme):
        assert User.objects.get(pk=member.pk).check_password("member-new-2026")
        assert token_user(raw_token=token) is None

    token = issue_token("acme", "member")
    form = {"email": "member@acme.test", "full_name": "Member", "is_staff": ""}
    response = acme_staff.post(f"/admin/users/user/{member.pk}/change/", form, HTTP_HOST=ACME)
    assert response.status_code == 302
    with tenant_context(acme):
        assert not User.objects.get(pk=member.pk).is_active
        assert token_user(raw_token=token) is None


def test_staff_cannot_lock_themselves_out_or_delete_users(acme_staff, acme):
    """On their own page staff cannot change their active/staff flags; nobody deletes users (deactivate instead)."""
    with tenant_context(acme):
        owner = User.objects.get(email="owner@acme.test")
    response = acme_staff.post(
        f"/admin/users/user/{owner.pk}/change/", {"email": "owner@acme.test", "full_name": "Owner"}, HTTP_HOST=ACME
    )
    assert response.status_code == 302
    with tenant_context(acme):
        owner.refresh_from_db()
        assert owner.is_active and owner.is_staff and owner.full_name == "Owner"
    assert acme_staff.get(f"/admin/users/user/{owner.pk}/delete/", HTTP_HOST=ACME).status_code == 403
    assert acme_staff.get("/admin/", HTTP_HOST=ACME).status_code == 200


def test_own_password_change_revokes_tokens_but_keeps_the_session(acme_staff, acme):
    """The admin's 'change password' page uses users.services; the current session survives it."""
    token = issue_token("acme", "owner")
    data = {"old_password": "test-pass-2026", "new_password1": "owner-new-2026", "new_password2": "owner-new-2026"}
    response = acme_staff.post("/admin/password_change/", data, HTTP_HOST=ACME)
    assert response.status_code == 302
    with tenant_context(acme):
        assert token_user(raw_token=token) is None
    assert acme_staff.get("/admin/", HTTP_HOST=ACME).status_code == 200


def test_staff_send_and_broadcast_notifications(acme_staff, acme, beta, django_capture_on_commit_callbacks):
    """The send page notifies one user or every user of acme; beta receives nothing."""
    with tenant_context(acme):
        member = User.objects.get(email="member@acme.test")
        active_users = User.objects.filter(is_active=True).count()
    send = "/admin/notifications/notification/add/"
    with django_capture_on_commit_callbacks(execute=True):
        direct = acme_staff.post(
            send, {"recipient": member.pk, "message": "Direct hello", "level": "info"}, HTTP_HOST=ACME
        )
        broadcast = acme_staff.post(
            send, {"recipient": "", "message": "Hello everyone", "level": "warning"}, HTTP_HOST=ACME
        )
    assert direct.status_code == 302 and broadcast.status_code == 302
    with tenant_context(acme):
        assert list(Notification.objects.filter(message="Direct hello").values_list("recipient__email", flat=True)) == [
            "member@acme.test"
        ]
        broadcast_row = Notification.objects.get(message="Hello everyone", level="warning")
        assert broadcast_row.recipient_id is None and active_users > 1
        sent = Notification.objects.filter(message="Direct hello").get()
    with tenant_context(beta):
        assert not Notification.objects.filter(message__in=["Direct hello", "Hello everyone"]).exists()

    again = {"action": "broadcast_again", "_selected_action": [sent.pk]}
    assert acme_staff.post("/admin/notifications/notification/", again, HTTP_HOST=ACME).status_code == 302
    with tenant_context(acme):
        assert Notification.objects.filter(message="Direct hello", recipient__isnull=True).count() == 1


def test_notification_send_form_refuses_bad_input(acme_staff, acme):
    """Empty messages, unknown levels and other tenants' user ids are form errors."""
    send = "/admin/notifications/notification/add/"
    for data in (
        {"recipient": "", "message": "", "level": "info"},
        {"recipient": "", "message": "Hi", "level": "shout"},
        {"recipient": "999", "message": "Hi", "level": "info"},
    ):
        response = acme_staff.post(send, data, HTTP_HOST=ACME)
        assert response.status_code == 200
        assert response.context["form"].errors
    with tenant_context(acme):
        assert not Notification.objects.filter(message="Hi").exists()


def test_notifications_are_read_only_in_the_admin(acme_staff, acme):
    """A sent notification can be viewed but not edited in the admin."""
    from notifications.services import notification_send

    with tenant_context(acme):
        sent = notification_send(message=f"{marker('acme')} note", recipient_id=1)
    page = acme_staff.get(f"/admin/notifications/notification/{sent.pk}/change/", HTTP_HOST=ACME)
    assert page.status_code == 200 and marker("acme").encode() in page.content
    response = acme_staff.post(
        f"/admin/notifications/notification/{sent.pk}/change/", {"message": "edited"}, HTTP_HOST=ACME
    )
    assert response.status_code == 403


def test_anonymous_visitors_are_sent_to_the_tenant_login(client):
    """Every tenant admin page asks an anonymous visitor to sign in on that host."""
    response = client.get("/admin/catalog/product/", HTTP_HOST=ACME)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize(
    ("host", "email"), [("acme.localhost", "owner@acme.test"), ("localhost", "admin@platform.test")]
)
def test_admin_login_shares_the_sign_in_rate_limit(client, host, email, settings):
    """Password guessing on an admin login form hits the same limit as the API's login."""
    settings.LOGIN_RATE_LIMIT = 3
    for _ in range(3):
        assert admin_login(client, host, email, password="wrong-password").status_code == 200
    refused = admin_login(client, host, email)
    assert refused.status_code == 200
    assert b"Too many attempts" in refused.content
    assert "_auth_user_id" not in client.session

"""Platform admin on the public host: tenant lifecycle through tenants.services, console, audit log."""

import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client as HttpClient
from django_tenants.utils import schema_exists, tenant_context

from catalog.search.client import get_client
from tenants.models import AuditLog, Client, Domain
from tenants.services import tenant_delete
from tests.admin.helpers import PLATFORM_ADMIN, PUBLIC_HOST, admin_login
from tests.support import error_codes, marker

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/tenants/client/"
NEW_TENANT = {"name": "Gamma Admin Test", "schema_name": "gamma_admin", "domain": "gamma-admin.localhost"}


def index_exists(schema: str) -> bool:
    """Whether the tenant's search index (naming of docs/search.md) answers in the search server."""
    return bool(get_client().indices.exists(index=f"{settings.ELASTICSEARCH_INDEX_PREFIX}_{schema}_products"))


def tenant_graphql(client, host: str, query: str) -> dict:
    response = client.post("/graphql/", json.dumps({"query": query}), content_type="application/json", HTTP_HOST=host)
    return response.json()


@pytest.fixture
def leftover_tenants():
    """Schema names a test may create; whatever is left at the end is deleted (search indexes are not rolled back)."""
    schemas: list[str] = []
    yield schemas
    for tenant in Client.objects.filter(schema_name__in=schemas):
        tenant_delete(tenant=tenant)


def audit_actions(schema: str) -> list[str]:
    return list(
        AuditLog.objects.filter(tenant_schema=schema).order_by("created_at", "id").values_list("action", flat=True)
    )


def test_superuser_signs_in_and_sees_tenants(platform_admin):
    """The platform superuser signs in through the form on localhost and lists every tenant."""
    response = platform_admin.get(CHANGELIST, HTTP_HOST=PUBLIC_HOST)
    assert response.status_code == 200
    assert b"acme.localhost" in response.content and b"beta.localhost" in response.content


def test_tenant_lifecycle_from_the_admin(platform_admin, leftover_tenants, client):
    """Create a tenant and use it at once, suspend it (403), resume it, delete it (schema and index gone)."""
    leftover_tenants.append(NEW_TENANT["schema_name"])
    host = NEW_TENANT["domain"]

    response = platform_admin.post(f"{CHANGELIST}add/", {**NEW_TENANT, "plan": "free"}, HTTP_HOST=PUBLIC_HOST)
    tenant = Client.objects.get(schema_name="gamma_admin")
    assert response.status_code == 302
    assert response["Location"] == f"{CHANGELIST}{tenant.pk}/console/"
    assert schema_exists("gamma_admin")
    assert tenant.plan == "free" and tenant.is_active
    assert Domain.objects.get(domain=host).tenant == tenant
    assert index_exists("gamma_admin")
    with tenant_context(tenant):
        from users.models import User

        assert User.objects.count() == 0
    assert client.get("/admin/login/", HTTP_HOST=host).status_code == 200
    result = tenant_graphql(client, host, "{ tenant { schemaName } }")
    assert result["data"]["tenant"]["schemaName"] == "gamma_admin"
    console = platform_admin.get(response["Location"], HTTP_HOST=PUBLIC_HOST)
    assert console.status_code == 200 and b"gamma_admin" in console.content

    suspend = {"action": "suspend_tenants", "_selected_action": [tenant.pk]}
    assert platform_admin.post(CHANGELIST, suspend, HTTP_HOST=PUBLIC_HOST).status_code == 302
    assert client.get("/admin/login/", HTTP_HOST=host).status_code == 403
    assert error_codes(tenant_graphql(client, host, "{ tenant { name } }")) == ["TENANT_SUSPENDED"]
    assert client.get("/admin/login/", HTTP_HOST="acme.localhost").status_code == 200

    resume = {"action": "resume_tenants", "_selected_action": [tenant.pk]}
    assert platform_admin.post(CHANGELIST, resume, HTTP_HOST=PUBLIC_HOST).status_code == 302
    assert client.get("/admin/login/", HTTP_HOST=host).status_code == 200

    confirmation = platform_admin.get(f"{CHANGELIST}{tenant.pk}/delete/", HTTP_HOST=PUBLIC_HOST)
    assert confirmation.status_code == 200
    assert b"permanently deletes" in confirmation.content and b"gamma_admin" in confirmation.content
    assert schema_exists("gamma_admin")
    deleted = platform_admin.post(f"{CHANGELIST}{tenant.pk}/delete/", {"post": "yes"}, HTTP_HOST=PUBLIC_HOST)
    assert deleted.status_code == 302
    assert not schema_exists("gamma_admin")
    assert not index_exists("gamma_admin")
    assert not Client.objects.filter(schema_name="gamma_admin").exists()
    assert client.get("/admin/login/", HTTP_HOST=host).status_code == 404
    assert audit_actions("gamma_admin") == [
        "tenant.create",
        "tenant.suspend",
        "tenant.resume",
        "tenant.delete",
    ]
    assert set(AuditLog.objects.filter(tenant_schema="gamma_admin").values_list("actor", flat=True)) == {PLATFORM_ADMIN}


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"schema_name": "Bad-Name"}, "schema_name"),
        ({"schema_name": "public"}, "schema_name"),
        ({"schema_name": "acme"}, "schema_name"),
        ({"domain": "acme.localhost"}, "domain"),
        ({"domain": "not a host/path"}, "domain"),
        ({"name": ""}, "name"),
    ],
)
def test_invalid_tenant_is_refused_with_a_form_error(platform_admin, leftover_tenants, fields, error_field):
    """Bad or taken names come back as form errors; nothing is provisioned."""
    leftover_tenants.append("gamma_admin")
    data = {**NEW_TENANT, "plan": "standard", **fields}
    response = platform_admin.post(f"{CHANGELIST}add/", data, HTTP_HOST=PUBLIC_HOST)
    assert response.status_code == 200
    assert response.context["form"].errors.get(error_field)
    assert not Client.objects.filter(name=NEW_TENANT["name"]).exists()
    assert not schema_exists("gamma_admin")


def test_platform_itself_cannot_be_suspended_or_deleted(platform_admin, public_tenant, client):
    """The public tenant refuses suspension and deletion, so the platform admin cannot lock itself out."""
    action = {"action": "suspend_tenants", "_selected_action": [public_tenant.pk]}
    platform_admin.post(CHANGELIST, action, HTTP_HOST=PUBLIC_HOST)
    public_tenant.refresh_from_db()
    assert public_tenant.is_active
    assert platform_admin.get(f"{CHANGELIST}{public_tenant.pk}/delete/", HTTP_HOST=PUBLIC_HOST).status_code == 403
    bulk = {"action": "delete_selected", "_selected_action": [public_tenant.pk], "post": "yes"}
    platform_admin.post(CHANGELIST, bulk, HTTP_HOST=PUBLIC_HOST)
    assert Client.objects.filter(pk=public_tenant.pk).exists()
    assert client.get("/admin/login/", HTTP_HOST=PUBLIC_HOST).status_code == 200


def test_console_shows_the_tenants_own_figures(platform_admin, acme, beta):
    """The console counts acme's users and products from acme's schema, never beta's."""
    from catalog.services import product_create

    with tenant_context(beta):
        for index in range(3):
            product_create(name=f"{marker('beta')} {index}", sku=f"BETA-CONSOLE-{index}", price=Decimal("1.00"))
    with tenant_context(acme):
        product_create(name=f"{marker('acme')} console", sku="ACME-CONSOLE-1", price=Decimal("2.00"), is_active=False)
    response = platform_admin.get(f"{CHANGELIST}{acme.pk}/console/", HTTP_HOST=PUBLIC_HOST)
    assert response.status_code == 200
    overview = response.context["overview"]
    assert overview["schema_present"] is True
    assert overview["users"]["total"] == 2 and overview["users"]["staff"] == 1
    assert overview["products"] == {"total": 1, "active": 0, "last_change": overview["products"]["last_change"]}
    assert overview["last_activity"] is not None
    assert b"acme.localhost" in response.content
    assert b"beta.localhost" not in response.content


def test_console_reports_search_figures(platform_admin, acme):
    """The console asks the search service for the index document count and the outbox backlog."""
    response = platform_admin.get(f"{CHANGELIST}{acme.pk}/console/", HTTP_HOST=PUBLIC_HOST)
    search = response.context["overview"]["search"]
    assert search["ok"] is True, search
    assert isinstance(search["documents"], int) and isinstance(search["backlog"], int)


def test_editing_a_tenant_is_audited(platform_admin, beta):
    """Plan changes on the tenant page are saved and written to the audit log."""
    page = platform_admin.get(f"{CHANGELIST}{beta.pk}/change/", HTTP_HOST=PUBLIC_HOST)
    assert b"Console" in page.content and b"Users" in page.content
    domain = beta.domains.get()
    data = {
        "name": beta.name,
        "plan": "enterprise",
        "max_users": 500,
        "max_products": beta.max_products,
        "domains-TOTAL_FORMS": 1,
        "domains-INITIAL_FORMS": 1,
        "domains-0-id": domain.pk,
        "domains-0-tenant": beta.pk,
        "domains-0-domain": domain.domain,
        "domains-0-is_primary": "on",
    }
    response = platform_admin.post(f"{CHANGELIST}{beta.pk}/change/", data, HTTP_HOST=PUBLIC_HOST)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    beta.refresh_from_db()
    assert (beta.plan, beta.max_users) == ("enterprise", 500)
    entry = AuditLog.objects.get(tenant_schema="beta", action="tenant.update")
    assert entry.detail == {"plan": "enterprise", "max_users": "500"}


def test_audit_log_is_read_only(platform_admin):
    """Operators can read the audit log but not add, change or delete entries."""
    from tenants.audit import audit_record

    entry = audit_record(actor=PLATFORM_ADMIN, action="tenant.update", tenant_schema="acme", detail={"plan": "free"})
    listing = platform_admin.get("/admin/tenants/auditlog/", HTTP_HOST=PUBLIC_HOST)
    assert listing.status_code == 200 and b"tenant.update" in listing.content
    assert platform_admin.get("/admin/tenants/auditlog/add/", HTTP_HOST=PUBLIC_HOST).status_code == 403
    detail = platform_admin.post(f"/admin/tenants/auditlog/{entry.pk}/change/", {"actor": "x"}, HTTP_HOST=PUBLIC_HOST)
    assert detail.status_code == 403
    assert (
        platform_admin.post(
            f"/admin/tenants/auditlog/{entry.pk}/delete/", {"post": "yes"}, HTTP_HOST=PUBLIC_HOST
        ).status_code
        == 403
    )
    entry.refresh_from_db()
    assert entry.actor == PLATFORM_ADMIN


def test_staff_who_are_not_superusers_cannot_sign_in(client, public_tenant):
    """Platform staff without is_superuser are refused by the public admin's login form."""
    from users.services import user_create

    with tenant_context(public_tenant):
        user_create(email="operator@platform.test", password="operator-pass-2026", is_staff=True)
    response = admin_login(client, PUBLIC_HOST, "operator@platform.test", "operator-pass-2026")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert client.get("/admin/", HTTP_HOST=PUBLIC_HOST).status_code == 302


def test_platform_operators_are_managed_on_the_public_admin(platform_admin, public_tenant):
    """Superusers add platform operators (public schema) through users.services."""
    data = {
        "email": "Second@Platform.test",
        "full_name": "Second operator",
        "is_staff": "on",
        "is_superuser": "on",
        "usable_password": "true",
        "password1": "second-pass-2026",
        "password2": "second-pass-2026",
    }
    response = platform_admin.post("/admin/users/user/add/", data, HTTP_HOST=PUBLIC_HOST)
    assert response.status_code == 302
    fresh = HttpClient()
    assert admin_login(fresh, PUBLIC_HOST, "second@platform.test", "second-pass-2026").status_code == 302
    with tenant_context(public_tenant):
        from users.models import User

        assert User.objects.get(email="second@platform.test").is_superuser


def test_renamed_domain_stops_routing_at_once(platform_admin, beta, client):
    """Renaming a domain on the tenant page routes the new host and 404s the old one without waiting for the cache."""
    assert client.get("/admin/login/", HTTP_HOST="beta.localhost").status_code == 200
    domain = beta.domains.get()
    data = {
        "name": beta.name,
        "plan": beta.plan,
        "max_users": beta.max_users,
        "max_products": beta.max_products,
        "domains-TOTAL_FORMS": 1,
        "domains-INITIAL_FORMS": 1,
        "domains-0-id": domain.pk,
        "domains-0-tenant": beta.pk,
        "domains-0-domain": "Beta-Renamed.localhost",
        "domains-0-is_primary": "on",
    }
    response = platform_admin.post(f"{CHANGELIST}{beta.pk}/change/", data, HTTP_HOST=PUBLIC_HOST)
    assert response.status_code == 302
    assert client.get("/admin/login/", HTTP_HOST="beta.localhost").status_code == 404
    assert client.get("/admin/login/", HTTP_HOST="beta-renamed.localhost").status_code == 200
    entry = AuditLog.objects.get(tenant_schema="beta", action="tenant.update", target="domains")
    assert entry.detail["changed"] == ["beta-renamed.localhost"]

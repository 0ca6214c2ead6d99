"""HTTP tenancy: the Host header alone picks the schema; unknown hosts and suspended tenants are refused."""

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from tenants.services import tenant_set_active
from tests.support import error_codes, marker

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("host", ["acme.localhost", "beta.localhost", "localhost"])
def test_healthz_answers_on_every_known_host(client, host):
    """Liveness is served on the public host and on each tenant host."""
    response = client.get("/healthz", HTTP_HOST=host)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_unknown_host_gets_404_not_public_data(client):
    """An unknown host never falls back to the public schema or another tenant."""
    assert client.get("/admin/login/", HTTP_HOST="nope.localhost").status_code == 404
    assert client.get("/healthz", HTTP_HOST="nope.localhost").status_code == 404
    assert client.post("/graphql/", data={}, HTTP_HOST="nope.localhost").status_code == 404
    assert client.get("/", HTTP_HOST="nope.localhost").status_code == 404


def test_public_admin_login_page_answers(client):
    """The public host serves the platform admin."""
    response = client.get("/admin/login/", HTTP_HOST="localhost")
    assert response.status_code == 200
    assert b"password" in response.content


def test_public_host_has_no_graphql(client):
    """GraphQL is routed on tenant hosts only."""
    assert client.post("/graphql/", data={}, HTTP_HOST="localhost").status_code == 404


def test_readyz_reports_each_dependency(client):
    """Readiness is JSON with database, cache and search sections; the database being up means 200."""
    response = client.get("/readyz", HTTP_HOST="acme.localhost")
    body = response.json()
    assert response.status_code == 200
    assert body["database"]["ok"] is True
    assert body["cache"]["ok"] is True
    assert set(body) >= {"status", "database", "cache", "search"}


def test_schemas_exist_and_public_holds_no_tenant_tables():
    """Tenant business tables exist in each tenant schema and nowhere in public."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_name IN ('catalog_product', 'notifications_notification', 'users_user')"
        )
        found = set(cursor.fetchall())
    assert {("acme", "catalog_product"), ("beta", "catalog_product")} <= found
    assert {("acme", "notifications_notification"), ("beta", "notifications_notification")} <= found
    assert ("public", "catalog_product") not in found
    assert ("public", "notifications_notification") not in found
    # users_user is in public for platform staff only.
    assert ("public", "users_user") in found


def test_users_of_one_tenant_are_invisible_from_the_other(acme, beta):
    """Same primary keys, different people: each schema sees only its own users."""
    from users.models import User

    with tenant_context(acme):
        acme_users = {(u.pk, u.email, u.full_name) for u in User.objects.all()}
    with tenant_context(beta):
        beta_users = {(u.pk, u.email, u.full_name) for u in User.objects.all()}
    assert {pk for pk, _, _ in acme_users} == {pk for pk, _, _ in beta_users}
    assert all(name == marker("acme") for _, _, name in acme_users)
    assert all(name == marker("beta") for _, _, name in beta_users)
    assert not any("beta" in email for _, email, _ in acme_users)


def test_token_from_one_tenant_is_anonymous_on_the_other(gql):
    """A bearer token is looked up in the schema of the host it is sent to."""
    query = "{ me { email fullName } }"
    token_holder = gql.on("acme").as_user("owner")
    assert token_holder.execute(query)["data"]["me"]["email"] == "owner@acme.test"
    foreign = gql.on("beta").with_token(token_holder.token).execute(query)
    assert foreign["data"]["me"] is None
    assert marker("acme") not in str(foreign)


def test_suspended_tenant_answers_403(client, gql, acme):
    """A suspended tenant's hosts refuse HTTP; GraphQL says TENANT_SUSPENDED; others are unaffected."""
    tenant_set_active(tenant=acme, is_active=False)
    try:
        assert client.get("/admin/login/", HTTP_HOST="acme.localhost").status_code == 403
        assert client.get("/healthz", HTTP_HOST="acme.localhost").status_code == 200
        result = gql.on("acme").execute("{ tenant { name } }")
        assert error_codes(result) == ["TENANT_SUSPENDED"]
        assert gql.on("beta").execute("{ tenant { schemaName } }")["data"]["tenant"]["schemaName"] == "beta"
    finally:
        tenant_set_active(tenant=acme, is_active=True)
    assert client.get("/admin/login/", HTTP_HOST="acme.localhost").status_code == 200


def test_readiness_report_is_shared_for_a_few_seconds(client, settings, monkeypatch):
    """Within READINESS_CACHE_SECONDS a second probe reuses the report instead of querying again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from saas import health

    monkeypatch.setattr(health, "_last_report", None)
    settings.READINESS_CACHE_SECONDS = 60
    with CaptureQueriesContext(connection) as first:
        assert client.get("/readyz", HTTP_HOST="acme.localhost").status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get("/readyz", HTTP_HOST="acme.localhost").json()["database"]["ok"] is True
    assert any("SELECT 1" in query["sql"] for query in first.captured_queries)
    assert not any("SELECT 1" in query["sql"] for query in second.captured_queries)

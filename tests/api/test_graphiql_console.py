"""The GraphiQL console of each tenant host: its own starter document, a sign-in form instead of a
password in a document or URL, operations by POST only (the browser behaviour is in web/e2e)."""

from decimal import Decimal
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django_tenants.utils import tenant_context

from tests.support import must_search

pytestmark = pytest.mark.django_db


def console(schema: str) -> str:
    """The page served on the tenant's host when GraphiQL is enabled (as with DEBUG)."""
    from saas.graphql.views import TenantGraphQLView
    from saas.schema import schema as graphql_schema
    from tenants.models import Client as Tenant

    tenant = Tenant.objects.get(schema_name=schema)
    request: Any = RequestFactory().get("/graphql/", HTTP_HOST=f"{schema}.localhost", HTTP_ACCEPT="text/html")
    request.tenant = tenant
    with tenant_context(tenant):
        response = TenantGraphQLView.as_view(schema=graphql_schema, graphql_ide="graphiql")(request)
    assert isinstance(response, HttpResponse) and response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


@pytest.fixture
def first_products(acme, beta):
    """Each tenant's first product starts with another word: the starter searches for it."""
    from catalog.models import Product

    for tenant, name in ((acme, "Anvil ACME"), (beta, "Rocket BETA")):
        with tenant_context(tenant):
            Product.objects.create(pk=9001, name=name, sku="SKU-1", price=Decimal("1.00"))


def test_each_tenant_gets_its_own_starter_document(acme, beta, first_products):
    acme_page, beta_page = console("acme"), console("beta")
    assert "# Acme Test (acme) on acme.localhost" in acme_page
    assert "# Beta Test (beta) on beta.localhost" in beta_page
    assert "Beta Test" not in acme_page and "Acme Test" not in beta_page
    assert 'searchProducts(query: \\"Anvil\\"' in acme_page
    assert 'searchProducts(query: \\"Rocket\\"' in beta_page
    for operation in ("query Whoami", "query Products($after: String)", "query Search", "subscription Notifications"):
        assert operation in acme_page


def test_sign_in_form_posts_and_nothing_goes_into_the_url(acme):
    page = console("acme")
    form = must_search(r"<form id=\"sign-in\"[^>]*>", page).group(0)
    assert 'method="post"' in form  # even without the script, the password never lands in a URL
    assert 'type="password"' in page
    assert "login(email: $email, password: $password, session: true)" in page
    assert "updateURL" not in page and "window.location.search.slice" not in page
    assert 'history.replaceState(null, "", window.location.pathname)' in page
    assert "shouldPersistHeaders: false" in page
    assert page.count('method: "POST"') == 2  # the form's requests and every operation of the editor
    assert "wsConnectionParams: { get authToken() { return token || undefined; } }" in page

"""GraphiQL is self-hosted: its page loads scripts and styles from /graphiql/ (web/dist/graphiql/), never a CDN."""

import base64
import hashlib
import json
import re
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.test import RequestFactory
from django_tenants.utils import tenant_context

from saas.graphql.views import GRAPHIQL_ASSETS_URL, TenantGraphQLView, self_hosted_graphiql
from saas.schema import schema
from tests.support import ROOT

WEB = ROOT / "web"
COPIED = json.loads((WEB / "scripts" / "graphiql-assets.json").read_text())
REFERENCE = re.compile(r"""(?:src|href)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
ASSET_TAG = re.compile(r"<(?:script|link)\b[^>]*>", re.IGNORECASE)


@pytest.fixture(autouse=True)
def _acme(acme):
    """The console names the host's tenant and reads a search word from its catalog."""
    with tenant_context(acme):
        yield


def graphiql_page() -> str:
    from tenants.models import Client

    view = CsrfViewMiddleware(TenantGraphQLView.as_view(schema=schema, graphql_ide="graphiql"))
    request: Any = RequestFactory().get("/graphql/", HTTP_ACCEPT="text/html", HTTP_HOST="acme.localhost")
    request.tenant = Client.objects.get(schema_name="acme")
    response = view(request)
    assert isinstance(response, HttpResponse) and response.status_code == 200
    return response.content.decode()


def attribute(tag: str, name: str) -> str | None:
    found = re.search(rf"""\b{name}\s*=\s*["']([^"']*)["']""", tag)
    return found.group(1) if found else None


def test_page_references_no_external_host():
    """Every script and stylesheet is a same-origin /graphiql/ path; nothing names another host."""
    page = graphiql_page()
    references = [ref for ref in REFERENCE.findall(page) if not ref.startswith("data:")]
    assert references
    for reference in references:
        assert reference.startswith(GRAPHIQL_ASSETS_URL), reference
        assert "//" not in reference, reference
    assert "unpkg" not in page
    assert "https://" not in page


def test_page_links_exactly_the_files_the_web_build_copies():
    """The /graphiql/ files the page links are the ones web/scripts/copy-graphiql.mjs puts in web/dist/graphiql/."""
    page = graphiql_page()
    linked = [ref.removeprefix(GRAPHIQL_ASSETS_URL) for ref in REFERENCE.findall(page) if not ref.startswith("data:")]
    assert sorted(linked) == sorted(COPIED)


def test_page_keeps_csrf_subscriptions_and_header_editor():
    page = graphiql_page()
    assert 'Cookies.get("csrftoken")' in page
    assert '"X-CSRFToken": csrf' in page
    assert "subscriptionUrl: wsEndpoint" in page
    assert "isHeadersEditorEnabled: true" in page


def test_integrity_hashes_match_the_installed_packages():
    """Each linked file keeps the upstream SRI hash, which must be the hash of what the build copies."""
    if not (WEB / "node_modules").is_dir():
        pytest.skip("web/node_modules is not installed (npm ci in web/)")
    for tag in ASSET_TAG.findall(graphiql_page()):
        reference = attribute(tag, "src") or attribute(tag, "href")
        if not reference or reference.startswith("data:"):
            continue
        source = WEB / "node_modules" / COPIED[reference.removeprefix(GRAPHIQL_ASSETS_URL)]
        digest = base64.b64encode(hashlib.sha384(source.read_bytes()).digest()).decode()
        assert attribute(tag, "integrity") == f"sha384-{digest}", reference


@pytest.mark.parametrize(
    "tag",
    [
        '<script src="https://unpkg.com/graphiql@9.9.9/graphiql.min.js"></script>',
        '<link rel="stylesheet" href="//cdn.example.com/style.css" />',
    ],
)
def test_an_unmapped_external_file_is_refused(tag):
    """A template change that adds or bumps a CDN file fails loudly instead of loading from the internet."""
    with pytest.raises(ImproperlyConfigured, match="unmapped"):
        self_hosted_graphiql(f"<html><head>{tag}</head></html>")

"""What the hostile-input table cannot show from outside: unknown hosts are looked up once, not
on every request; logout over a cookie socket ends the session; the admin sites count only their
own session sign-in; an error that escapes every policy still leaves masked, with a code."""

import json
from typing import Any

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context
from graphql import GraphQLError, ValidationRule

from saas.admin_sites import platform_admin_site, tenant_admin_site
from tests.live import ME, GraphQLSocket, http_graphql, login, origin_of
from tests.security.clients import request


@pytest.mark.django_db
def test_unknown_hosts_are_looked_up_once_until_a_domain_for_them_commits(acme, django_capture_on_commit_callbacks):
    """An unknown host costs one query, then none (a cached negative answer) until a Domain row
    for it is committed, which drops the cached answer."""
    from tenants.middleware import lookup_tenant
    from tenants.models import Domain

    with schema_context("public"):
        with CaptureQueriesContext(connection) as first:
            assert lookup_tenant("later.localhost") is None
        with CaptureQueriesContext(connection) as again:
            assert lookup_tenant("later.localhost") is None
        assert any("tenants_domain" in query["sql"] for query in first.captured_queries)
        assert len(again) == 0
        with django_capture_on_commit_callbacks(execute=True):
            Domain.objects.create(domain="later.localhost", tenant=acme, is_primary=False)
        assert lookup_tenant("later.localhost") == acme


def test_websocket_hosts_outside_allowed_hosts_never_reach_the_database(settings):
    """The handshake applies ALLOWED_HOSTS before any tenant lookup, as Django does for HTTP."""
    from saas.graphql.tenancy import hostname_of

    settings.ALLOWED_HOSTS = [".localhost"]
    assert hostname_of("acme.localhost:8000") == "acme.localhost"
    assert hostname_of("evil.example") == ""
    assert hostname_of("[::1") == ""


@pytest.mark.parametrize("site", [platform_admin_site, tenant_admin_site], ids=["platform", "tenant"])
def test_admin_sites_refuse_requests_authenticated_by_a_bearer_token(site, acme, public_tenant):
    """Even a superuser, when a bearer token authenticated the request, gets no admin page."""
    from users.models import User

    request_: Any = RequestFactory().get("/admin/")
    request_.tenant = public_tenant if site is platform_admin_site else acme
    request_.user = User(email="root@platform.test", is_active=True, is_staff=True, is_superuser=True)
    assert site.has_permission(request_)
    request_.auth_token = "a-token"
    assert not site.has_permission(request_)


def test_codeless_errors_from_outside_execution_are_masked(caplog):
    """An exception in a validation rule would leave with its own text and no code; it is masked."""
    import strawberry
    from strawberry.extensions import AddValidationRules

    from saas.schema import PlatformSchema

    class Exploding(ValidationRule):
        def __init__(self, context):
            raise KeyError("internal detail")

    @strawberry.type
    class Query:
        ok: bool = True

    schema = PlatformSchema(query=Query, extensions=[lambda: AddValidationRules([Exploding])])
    result = schema.execute_sync("{ ok }")
    assert [error.formatted for error in result.errors] == [
        {"message": "Internal server error.", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}
    ]
    assert "internal detail" in caplog.text
    assert isinstance(result.errors[0], GraphQLError)


def test_logout_over_a_cookie_socket_ends_that_session_only(hostile_server):
    """`logout` sent over a socket that a session cookie opened ends that session (the cookie is
    anonymous afterwards) and closes that socket with 4401; a token socket of the same user stays."""
    token, session = login(hostile_server, "acme", "member")
    cookie = f"sessionid={session}"
    origin = origin_of(hostile_server, "acme")
    with (
        GraphQLSocket(hostile_server, "acme", origin=origin, cookie=cookie) as by_cookie,
        GraphQLSocket(hostile_server, "acme") as by_token,
    ):
        assert by_cookie.init()["type"] == "connection_ack"
        assert by_token.init({"authToken": token})["type"] == "connection_ack"
        by_cookie.send({"id": "out", "type": "subscribe", "payload": {"query": "mutation { logout }"}})
        # The socket closes as the logout commits, which may be before its answer goes out.
        assert by_cookie.close_code() == 4401
        assert by_token.execute(ME)["payload"]["data"]["me"]["email"] == "member@acme.test"
    response = request(
        hostile_server, "GET", "/graphql/?query=%7Bme%7Bemail%7D%7D", host="acme.localhost",
        headers={"Cookie": cookie},
    )  # fmt: skip
    assert json.loads(response.body) == {"data": {"me": None}}
    answer, _ = http_graphql(hostile_server, "acme", ME, token=token)
    assert answer["data"]["me"]["email"] == "member@acme.test"

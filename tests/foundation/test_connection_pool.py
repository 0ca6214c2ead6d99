"""PostgreSQL connections kept in psycopg's pool (DATABASE_POOL_MAX_SIZE): one connection serves
request after request, for one tenant then another, and each request sees only its own tenant.

The server runs with one pooled connection and no cache, so every request reads its token and its
user from PostgreSQL on a connection the previous request, of another tenant, has just used: a
search_path left over from that request would show up as a wrong user or a refused token.
"""

import os
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connection

from tests.live import http_graphql, login
from tests.support import LiveServer, marker

ME = "{ tenant { schemaName } me { email fullName } }"
APP_NAME = "pooled-test-server"


@pytest.fixture(scope="module")
def pooled_server(django_db_setup):
    env = {
        **os.environ,
        "DATABASE_POOL_MAX_SIZE": "1",
        "DATABASE_POOL_MIN_SIZE": "1",
        "CACHE_TTL_SECONDS": "0",
        "AUTH_TOKEN_CACHE_SECONDS": "0",
        # libpq names the server's connections, so the test can tell them from everyone else's.
        "PGAPPNAME": APP_NAME,
    }
    server = LiveServer(database_name=settings.DATABASES["default"]["NAME"], env=env)
    server.start()
    yield server
    server.stop()


def _server_backends(django_db_blocker) -> set[int]:
    """PostgreSQL backends the pooled server holds open on the test database."""
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = %s",
            [APP_NAME],
        )
        return {pid for (pid,) in cursor.fetchall()}


def _ask(server, schema: str, token: str) -> dict:
    result, _ = http_graphql(server, schema, ME, token=token)
    assert "errors" not in result, result
    return result["data"]


def test_one_pooled_connection_serves_tenants_in_turn_without_leaking_search_path(pooled_server, django_db_blocker):
    tokens = {schema: login(pooled_server, schema, "member")[0] for schema in ("acme", "beta")}
    before = _server_backends(django_db_blocker)
    for _ in range(15):
        for schema in ("acme", "beta", "beta", "acme"):
            data = _ask(pooled_server, schema, tokens[schema])
            assert data["tenant"]["schemaName"] == schema
            assert data["me"] == {"email": f"member@{schema}.test", "fullName": marker(schema)}
    after = _server_backends(django_db_blocker)
    # The same backend stayed open across all 60 requests: they were served by the pool, not by a
    # connection opened and closed per request.
    assert len(after) == 1 and before == after, (before, after)


def test_concurrent_requests_wait_for_the_pooled_connection_and_stay_in_their_tenant(pooled_server):
    tokens = {schema: login(pooled_server, schema, "member")[0] for schema in ("acme", "beta")}
    work = [("acme" if n % 2 else "beta") for n in range(48)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda schema: (schema, _ask(pooled_server, schema, tokens[schema])), work))
    for schema, data in answers:
        assert data["tenant"]["schemaName"] == schema
        assert data["me"]["fullName"] == marker(schema)

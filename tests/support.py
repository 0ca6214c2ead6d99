"""Helpers shared by the tests: demo tenants, a GraphQL client, a live daphne server."""

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from django.conf import settings
from django_tenants.utils import tenant_context

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "test-pass-2026"
TENANTS = {
    "acme": {"name": "Acme Test", "domain": "acme.localhost", "marker": "ACME-MARKER"},
    "beta": {"name": "Beta Test", "domain": "beta.localhost", "marker": "BETA-MARKER"},
}


def marker(schema: str) -> str:
    return TENANTS[schema]["marker"]


def issue_token(schema: str, role: str) -> str:
    """A bearer token for ``<role>@<schema>.test`` issued by that tenant."""
    from tenants.models import Client
    from users.models import User
    from users.services import token_issue

    with tenant_context(Client.objects.get(schema_name=schema)):
        return token_issue(user=User.objects.get(email=f"{role}@{schema}.test"))


class GraphQLClient:
    def __init__(self, django_client, schema: str = "acme", token: str | None = None):
        self.client = django_client
        self.schema = schema
        self.token = token

    def on(self, schema: str) -> "GraphQLClient":
        return GraphQLClient(self.client, schema, self.token)

    def as_user(self, role: str, schema: str | None = None) -> "GraphQLClient":
        """Authenticate as ``owner`` or ``member`` of ``schema`` (default: the target tenant)."""
        return GraphQLClient(self.client, self.schema, issue_token(schema or self.schema, role))

    def with_token(self, token: str | None) -> "GraphQLClient":
        return GraphQLClient(self.client, self.schema, token)

    @property
    def host(self) -> str:
        return TENANTS[self.schema]["domain"]

    def execute(self, query: str, variables: dict | None = None, **headers) -> dict:
        extra = {"HTTP_HOST": self.host, **headers}
        if self.token:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {self.token}"
        response = self.client.post(
            "/graphql/", data=json.dumps({"query": query, "variables": variables or {}}),
            content_type="application/json", **extra,
        )  # fmt: skip
        assert response.status_code in (200, 400, 403, 413), response.content
        return response.json()


def must_search(pattern: str, text: str, flags: int = 0) -> re.Match[str]:
    """``re.search`` that fails the test when nothing matches."""
    found = re.search(pattern, text, flags)
    assert found is not None, f"{pattern!r} is not in the text"
    return found


def error_codes(result: dict) -> list[str]:
    return [error.get("extensions", {}).get("code") for error in result.get("errors") or []]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """daphne in a subprocess, on a free port, pointed at the given database."""

    def __init__(self, database_name: str, env: dict, log_path: str | None = None):
        url = urlparse(env["DATABASE_URL"])
        self.env = {**env, "DATABASE_URL": urlunparse(url._replace(path=f"/{database_name}"))}
        self.env.setdefault("SAAS_TESTING", "1")
        # Share the test process's cache and channel-layer namespace, not the test database's name.
        self.env.setdefault("REDIS_KEY_PREFIX", settings.REDIS_KEY_PREFIX)
        self.port = free_port()
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def url(self, schema: str | None = None, path: str = "/", scheme: str = "http") -> str:
        host = TENANTS[schema]["domain"] if schema else "localhost"
        return f"{scheme}://{host}:{self.port}{path}"

    def command(self) -> list[str]:
        return [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port), "saas.asgi:application"]

    def start(self) -> None:
        # LIVE_SERVER_LOG=<file> keeps the server's output (appended) for debugging a failing test.
        log_path = self.log_path or os.environ.get("LIVE_SERVER_LOG")
        output = open(log_path, "a") if log_path else subprocess.DEVNULL  # noqa: SIM115 - the child owns it
        self.process = subprocess.Popen(self.command(), cwd=ROOT, env=self.env, stdout=output, stderr=output)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                request = urllib.request.Request(f"http://127.0.0.1:{self.port}/healthz", headers={"Host": "localhost"})
                with urllib.request.urlopen(request, timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the live server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


def start_platform_server() -> LiveServer:
    """A daphne process (HTTP + websockets) serving the test database."""
    from django.conf import settings

    # Some tests open 100 sockets per user from one address: above the default caps.
    env = {"WEBSOCKET_MAX_PER_USER": "500", "WEBSOCKET_MAX_PER_ADDRESS": "1000", **os.environ}
    server = LiveServer(database_name=settings.DATABASES["default"]["NAME"], env=env)
    server.start()
    return server


def post_graphql(client, schema: str, query: str, variables: dict | None = None, **headers):
    """POST /graphql/ on ``<schema>.localhost`` through Django's test client, with extra headers."""
    return client.post(
        "/graphql/", data=json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json", HTTP_HOST=f"{schema}.localhost", **headers,
    )  # fmt: skip


@contextlib.contextmanager
def committed_user(django_db_blocker, schema: str, email: str):
    """A user of ``schema`` committed for live-server tests (outside the test's transaction), deleted
    afterwards; yields the tenant."""
    from tenants.models import Client
    from users.models import User
    from users.services import user_create

    with django_db_blocker.unblock():
        tenant = Client.objects.get(schema_name=schema)
        with tenant_context(tenant):
            user_create(email=email, password=PASSWORD, full_name=marker(schema))
    try:
        yield tenant
    finally:
        with django_db_blocker.unblock(), tenant_context(tenant):
            User.objects.filter(email=email).delete()


def first_subscription_result(query: str, user):
    """The first result of running subscription ``query`` through the schema (no socket) as ``user``:
    a refusal, or the error of a resolver that needs the socket this context has not got."""
    import asyncio
    from types import SimpleNamespace

    from saas.schema import schema

    async def run():
        context = SimpleNamespace(request=SimpleNamespace(user=user))
        stream = await schema.subscribe(query, context_value=context)
        async for result in stream:
            return result

    return asyncio.run(run())

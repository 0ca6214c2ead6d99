"""Websocket tenancy (ARCHITECTURE.md rule 3).

Websockets get no Django middleware, so ``TenantWebsocketMiddleware`` resolves the tenant from
the Host header, refuses unknown hosts, suspended tenants and foreign Origins, and puts the
tenant in the scope. Sync code of many sockets runs on shared threads, so every ORM call made
for a socket goes through ``run_in_tenant``/``tenant_sync``: the schema is set and restored
inside the one sync function that does the work, and nothing else touches it.

``tenant_sync`` runs on a few threads of their own (``WEBSOCKET_DB_THREADS``), not on Channels'
single database thread that HTTP views also use, so one slow socket or request does not hold up
every other tenant's sockets. Each of those threads keeps its PostgreSQL connection open from
one call to the next (a socket's sign-in is one query, not a new connection); a connection that
broke is replaced on the next call.
"""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar
from urllib.parse import urlparse

from asgiref.sync import sync_to_async
from channels.security.websocket import OriginValidator, WebsocketDenier
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.http.request import validate_host
from django_tenants.utils import schema_context, tenant_context

from saas.logging import schema_var

T = TypeVar("T")


def run_in_tenant(tenant, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run ``fn`` with the connection on ``tenant``'s schema (``None``: public), then restore it."""
    schema = tenant.schema_name if tenant is not None else settings.PUBLIC_SCHEMA_NAME
    token = schema_var.set(schema)
    try:
        context = tenant_context(tenant) if tenant is not None else schema_context(schema)
        with context:
            return fn(*args, **kwargs)
    finally:
        schema_var.reset(token)


class SocketDatabaseThreads:
    """The threads that run websockets' ORM work, each on a connection it keeps."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None
        self._connections: list = []

    def _register(self) -> None:
        # close_all() may close this thread's connection from another thread.
        connection.inc_thread_sharing()
        with self._lock:
            self._connections.append(connections[DEFAULT_DB_ALIAS])

    def executor(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    max_workers=settings.WEBSOCKET_DB_THREADS,
                    thread_name_prefix="socket-db",
                    initializer=self._register,
                )
            return self._executor

    @staticmethod
    def call(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        if connection.connection is not None and (
            connection.connection.closed or (connection.errors_occurred and not connection.is_usable())
        ):
            connection.close()
        connection.errors_occurred = False
        if connection.in_atomic_block:  # left open by a failed call: start clean
            connection.close()
        # A kept connection may have been killed since the last call (server restart, failover,
        # pg_terminate_backend): with CONN_HEALTH_CHECKS, Django pings it before its first query
        # of this call and opens a fresh one if it is gone, as it does at the start of a request.
        connection.health_check_done = False  # type: ignore[attr-defined]  # set by Django, missing from django-stubs
        return fn(*args, **kwargs)

    def close_all(self) -> None:
        """Close every kept connection (a test run does this before dropping its database)."""
        with self._lock:
            executor, self._executor, wrappers, self._connections = self._executor, None, self._connections, []
        if executor is not None:
            executor.shutdown(wait=True)
        for wrapper in wrappers:
            wrapper.close()


socket_database_threads = SocketDatabaseThreads()


async def tenant_sync(tenant, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``run_in_tenant`` from async code, on one of the websocket database threads.

    asgiref's ``sync_to_async`` (rather than a bare ``run_in_executor``) runs it there: when the
    socket's operation is cancelled mid-call (the client went away), the awaiting task still ends
    cleanly once the thread's call returns, instead of being left pending and destroyed."""
    work = partial(socket_database_threads.call, run_in_tenant, tenant, fn, *args, **kwargs)
    return await sync_to_async(work, thread_sensitive=False, executor=socket_database_threads.executor())()


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin1")
    return None


def hostname_of(host_header: str) -> str:
    """The host name in a Host header, or "" when there is none or it is not one ``ALLOWED_HOSTS`` admits
    (as Django refuses such hosts over HTTP before any tenant lookup)."""
    try:
        hostname = urlparse(f"//{host_header}").hostname or ""
    except ValueError:  # "[::1" and other broken IPv6 literals
        return ""
    allowed = settings.ALLOWED_HOSTS or ([".localhost", "127.0.0.1", "[::1]"] if settings.DEBUG else [])
    return hostname if validate_host(hostname, allowed) else ""


def _resolve(hostname: str):
    from tenants.middleware import lookup_tenant
    from tenants.models import Domain

    tenant = lookup_tenant(hostname)
    if tenant is None or tenant.schema_name == settings.PUBLIC_SCHEMA_NAME:
        return None, []
    domains = list(Domain.objects.filter(tenant_id=tenant.pk).values_list("domain", flat=True))
    return tenant, domains


class TenantWebsocketMiddleware:
    """Host -> tenant for websockets; refuses what the HTTP side would 404 or 403."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "websocket":
            return await self.app(scope, receive, send)
        hostname = hostname_of(_header(scope, b"host") or "")
        tenant, domains = await tenant_sync(None, _resolve, hostname) if hostname else (None, [])
        origin = _header(scope, b"origin")
        if tenant is None or not tenant.is_active or not self._origin_allowed(origin, domains):
            return await WebsocketDenier()(scope, receive, send)
        return await self.app({**scope, "tenant": tenant, "origin": origin}, receive, send)

    @staticmethod
    def _origin_allowed(origin: str | None, domains: list[str]) -> bool:
        if origin is None:
            return True
        allowed = [*domains, *settings.WEBSOCKET_ALLOWED_ORIGINS]
        return OriginValidator(None, allowed).valid_origin(urlparse(origin))
